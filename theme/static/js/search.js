/* 站内搜索页面：读取网址中的查询条件，加载所需的索引分片，显示并高亮结果。
   The query and filters live in the URL (search.html?q=…&type=…): a search pushes a history
   entry, Back restores the previous one. Record text reaches the page only through
   textContent and <mark> elements made with the DOM, never as HTML. ES5 only.
   Done signal (docs/search.md, "The done signal"): once the results of a query are on screen,
   #search-status gets data-answered = that query's canonical query string and data-outcome =
   found | none | broad | empty | failed. Both are removed when a new search starts, and only
   the latest search may set them, so a slow answer to an older query never shows.
   Phone first: a submitted search, and a page opened with ?q=, move focus to the heading of
   the answer (results, or what to try when nothing was found) and scroll it into view, so the
   on-screen keyboard closes and the answer is what the person sees. A changed filter or Back
   leaves focus where it is. An officer result leads with the officer page's status badge: the
   label is the store entry's extra text, its class the manifest's "standings" (both written
   by Python from gongshi_records.standing). */
(function () {
  "use strict";

  var PAGE = 20;
  var FIELDS = ["q", "type", "agency", "year", "category"];
  var DATE_LABELS = {
    officer: "有效期至", decision: "决定日期", withdrawal: "撤回事由发生日期", inspection: "检查日期"
  };
  var T = window.GongshiTokens;
  var ANSWERED = "data-answered";
  var OUTCOME = "data-outcome";

  function byId(id) { return document.getElementById(id); }

  function parseQuery(search) {
    var state = {};
    FIELDS.forEach(function (name) { state[name] = ""; });
    search.replace(/^\?/, "").split("&").forEach(function (pair) {
      var at = pair.indexOf("=");
      if (at < 0) { return; }
      try {
        var name = decodeURIComponent(pair.slice(0, at).replace(/\+/g, " "));
        if (FIELDS.indexOf(name) >= 0) {
          state[name] = decodeURIComponent(pair.slice(at + 1).replace(/\+/g, " "));
        }
      } catch (e) { /* a malformed escape: ignore that field */ }
    });
    return state;
  }

  function queryString(state) {
    var parts = [];
    FIELDS.forEach(function (name) {
      if (state[name]) { parts.push(name + "=" + encodeURIComponent(state[name])); }
    });
    return parts.length ? "?" + parts.join("&") : "";
  }

  function loader(base) {
    return function (path, callback) {
      var xhr = new XMLHttpRequest();
      xhr.open("GET", base + path, true);
      xhr.onload = function () {
        if (xhr.status >= 200 && xhr.status < 300) {
          var value;
          try { value = JSON.parse(xhr.responseText); } catch (e) { callback(e); return; }
          callback(null, value);
        } else {
          callback(new Error(path + ": HTTP " + xhr.status));
        }
      };
      xhr.onerror = function () { callback(new Error(path + ": network error")); };
      xhr.send();
    };
  }

  /* Today in Beijing by the reader's clock, "YYYY-MM-DD" (compared with ISO dates as strings):
     certificates end on Beijing calendar days whatever time zone the phone is set to (UTC+8 all
     year, no daylight saving time; validity.js reads the day the same way). */
  function readerDay() {
    var beijing = new Date(new Date().getTime() + 8 * 3600000);
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return beijing.getUTCFullYear() + "-" + pad(beijing.getUTCMonth() + 1) + "-" +
      pad(beijing.getUTCDate());
  }

  function formatDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return m ? m[1] + "年" + parseInt(m[2], 10) + "月" + parseInt(m[3], 10) + "日" : "";
  }

  /* Appends text to el with every occurrence of a query token wrapped in <mark>. */
  function highlight(el, text, tokens) {
    var chars = T.chars(text);
    var norm = "";
    var owner = [];
    chars.forEach(function (c, i) {
      var n = T.normalise(c);
      for (var k = 0; k < n.length; k++) { owner.push(i); }
      norm += n;
    });
    var marked = [];
    /* A lone character (文号's trailing 号) is marked only next to another mark, unless it is
       the whole query (a surname): otherwise every 号 in "文号：" would light up. */
    var lone = tokens.length < 2 ? [] : tokens.filter(function (t) {
      return t.length === 1 && !/^[0-9a-z]$/.test(t);
    });
    tokens.forEach(function (token) {
      if (token.indexOf(T.JOIN) >= 0 || lone.indexOf(token) >= 0) { return; }
      var word = /^[0-9a-z]+$/.test(token);
      for (var at = norm.indexOf(token); at >= 0; at = norm.indexOf(token, at + 1)) {
        var end = at + token.length;
        /* A number or word is marked only whole: "6" is not marked inside "2026". */
        if (word && (/[0-9a-z]/.test(norm.charAt(at - 1)) || /[0-9a-z]/.test(norm.charAt(end)))) {
          continue;
        }
        for (var k = at; k < end; k++) { marked[owner[k]] = true; }
      }
    });
    lone.forEach(function (token) {
      for (var at = norm.indexOf(token); at >= 0; at = norm.indexOf(token, at + 1)) {
        var i = owner[at];
        if (marked[i - 1] || marked[i + 1]) { marked[i] = true; }
      }
    });
    var run = "";
    var inMark = false;
    var flush = function () {
      if (!run) { return; }
      if (inMark) {
        var mark = document.createElement("mark");
        mark.textContent = run;
        el.appendChild(mark);
      } else {
        el.appendChild(document.createTextNode(run));
      }
      run = "";
    };
    chars.forEach(function (c, i) {
      if (!!marked[i] !== inMark) { flush(); inMark = !!marked[i]; }
      run += c;
    });
    flush();
  }

  function Page(form) {
    this.form = form;
    this.base = form.getAttribute("data-index");
    this.root = this.base.replace(/search\/$/, "");
    this.status = byId("search-status");
    this.output = byId("search-output");
    this.list = byId("search-results");
    this.more = byId("search-more");
    this.heading = byId("search-results-h");
    this.asOf = byId("search-asof");
    this.asOfDay = this.asOf.getAttribute("data-as-of");  /* the build's date, YYYY-MM-DD */
    this.asOfText = this.asOf.textContent;
    this.reMarked = false;  /* a valid badge shown as expired on the reader's date */
    this.examples = byId("search-empty");
    this.help = byId("search-help");
    this.helpHeading = byId("search-help-h");
    this.examplesHeading = byId("search-empty-h");
    this.trigger = null;  /* how the latest search started: "submit" | "arrival" | null */
    this.revealing = null;  /* the same while its answer is to take focus (see go) */
    this.askedFrom = null;  /* where focus was, and what the box said, when it was asked */
    this.askedText = "";
    this.engine = null;
    this.waiting = [];
    this.current = null;
    this.sequence = 0;
    this.hits = [];
    this.tokens = [];
    this.title = document.title;
  }

  Page.prototype.start = function () {
    var self = this;
    document.documentElement.className += " js-search";
    loader(this.base)("manifest.json", function (error, manifest) {
      if (!error) {
        try { self.engine = new window.GongshiSearch.Engine(window.lunr, loader(self.base), manifest); } catch (e) { error = e; }
      }
      if (error) { self.fail(error); return; }
      var waiting = self.waiting;
      self.waiting = [];
      waiting.forEach(function (job) { job(); });
    });
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      self.go(self.read(), true, "submit");
    });
    Array.prototype.forEach.call(this.form.querySelectorAll("select"), function (select) {
      select.addEventListener("change", function () {
        if (self.form.elements.q.value) { self.go(self.read(), true, null); }
      });
    });
    /* Examples and "search without filters" are links to this page: run them in place. */
    [this.examples, this.help].forEach(function (panel) {
      panel.addEventListener("click", function (event) {
        var link = event.target.closest ? event.target.closest("a") : null;
        if (link && link.pathname === location.pathname && link.search) {
          event.preventDefault();
          self.go(parseQuery(link.search), true, "submit");
        }
      });
    });
    this.more.addEventListener("click", function () { self.showMore(null); });
    window.addEventListener("popstate", function () { self.go(parseQuery(location.search), false, null); });
    this.go(parseQuery(location.search), false, "arrival");
  };

  Page.prototype.read = function () {
    var state = {};
    var elements = this.form.elements;
    FIELDS.forEach(function (name) { state[name] = elements[name].value.replace(/^\s+|\s+$/g, ""); });
    return state;
  };

  Page.prototype.write = function (state) {
    var elements = this.form.elements;
    FIELDS.forEach(function (name) { elements[name].value = state[name]; });
  };

  /* reveal: "submit" (the person asked: the answer takes focus), "arrival" (a page opened
     with ?q=: the answer takes focus unless the person has moved it) or null. */
  Page.prototype.go = function (state, push, reveal) {
    var self = this;
    this.write(state);
    this.trigger = reveal;
    this.revealing = state.q || reveal === "submit" ? reveal : null;
    this.askedFrom = document.activeElement;
    this.askedText = this.form.elements.q.value;
    this.examples.hidden = !!state.q;
    this.help.hidden = true;
    if (push && queryString(state) !== location.search && window.history.pushState) {
      window.history.pushState(null, "", location.pathname + queryString(state));
    }
    document.title = state.q ? "“" + state.q + "”的搜索结果 - " + this.title : this.title;
    this.current = state;
    ++this.sequence;
    this.unanswer();
    var job = function () { self.search(state); };
    if (this.engine) {
      job();
    } else {
      if (state.q) { this.say("正在加载搜索索引…"); }
      this.waiting = [job];
    }
  };

  Page.prototype.unanswer = function () {
    this.status.removeAttribute(ANSWERED);
    this.status.removeAttribute(OUTCOME);
  };

  /* The answer is on screen: bring it into view, then give the done signal. */
  Page.prototype.finish = function (state, outcome) {
    var target = { found: this.heading, none: this.helpHeading, broad: this.helpHeading,
      empty: this.examplesHeading }[outcome];
    if (target && this.revealing) { this.reveal(target, this.revealing); }
    this.revealing = null;
    this.answer(state, outcome);
  };

  /* Focus on the answer's heading (tabindex=-1), unless the person has moved on: after a
     submit focus is still on what asked (the box, the button, an example, a tip's link) and the
     box still says what was asked — someone typing on while the index loads keeps the keyboard
     —; on arrival focus is nowhere. Then scroll so the status line, the heading and the first
     result (tip, example) are in view, if they are not already. */
  Page.prototype.reveal = function (heading, mode) {
    var active = document.activeElement;
    var idle = !active || active === document.body || active === document.documentElement;
    var unmoved = active === this.askedFrom && this.form.elements.q.value === this.askedText;
    if (!idle && !(mode === "submit" && unmoved)) { return; }
    heading.focus({ preventScroll: true });
    var first = heading.parentNode.querySelector("li:not([hidden])");
    var height = window.innerHeight || document.documentElement.clientHeight;
    var top = this.status.getBoundingClientRect().top;
    var bottom = (first || heading).getBoundingClientRect().bottom;
    if (top < 0 || bottom > height) { this.status.scrollIntoView(true); }
  };

  /* The done signal: the results of `state` are on screen (or the page says why there are none). */
  Page.prototype.answer = function (state, outcome) {
    this.status.setAttribute(OUTCOME, outcome);
    this.status.setAttribute(ANSWERED, queryString(state));
  };

  Page.prototype.say = function (text) {
    this.status.textContent = text;
  };

  Page.prototype.fail = function () {
    this.output.hidden = true;
    this.help.hidden = true;
    this.examples.hidden = true;
    this.say("搜索索引加载失败，请稍后重试，或直接查看执法人员名单、执法决定列表。");
    document.documentElement.className = document.documentElement.className.replace(/\s*js-search/g, "");
    if (this.current) { this.answer(this.current, "failed"); }
  };

  /* Runs the search for `state`; go() has already numbered it as the latest. A result list is
     announced ("找到 N 条") only once its first page is rendered. */
  Page.prototype.search = function (state) {
    var self = this;
    var sequence = this.sequence;
    this.list.textContent = "";
    this.more.hidden = true;
    if (!state.q) {
      this.output.hidden = true;
      /* Said when the person submitted nothing; opening the page stays quiet. */
      this.say(this.trigger === "submit"
        ? "请输入要查询的内容，例如执法人员的姓名或执法证号、当事人名称、文号；下面有示例。" : "");
      this.finish(state, "empty");
      return;
    }
    this.say("正在搜索…");
    var progress = function (done, total) {
      if (sequence === self.sequence && total > 1) { self.say("正在加载索引 " + done + "/" + total + "…"); }
    };
    var filters = { type: state.type, agency: state.agency, year: state.year, category: state.category };
    this.engine.search(state.q, filters, progress, function (error, outcome) {
      if (sequence !== self.sequence) { return; }
      if (error) { self.fail(error); return; }
      self.hits = outcome.hits;
      self.tokens = outcome.tokens;
      if (!outcome.hits.length) {
        self.output.hidden = true;
        var answer = self.report(state, outcome);
        self.advise(state, answer);
        self.finish(state, answer);
        return;
      }
      self.showMore(function () {
        self.output.hidden = false;
        self.finish(state, self.report(state, outcome));
      });
    });
  };

  Page.prototype.report = function (state, outcome) {
    var count = outcome.hits.length;
    if (count) {
      var note = outcome.unverified.length ? "（结果较多，可输入更完整的名称或文号，或使用筛选条件缩小范围）" : "";
      this.say("找到 " + count + " 条与“" + state.q + "”相关的结果" + note + "。");
      return "found";
    }
    if (outcome.broad.length) {
      this.say("“" + state.q + "”过于常见，无法查出有用的结果：请输入更完整的名称、文号或执法证号。");
      return "broad";
    }
    this.say("没有找到与“" + state.q + "”相关的公示信息。");
    return "none";
  };

  /* What to try when a search found nothing (outcome "none") or too much ("broad"): the tips
     of #search-help that apply, the filters that are set named as the form names them. */
  Page.prototype.advise = function (state, outcome) {
    var set = this.filterNames(state);
    var length = T.chars(T.normalise(state.q)).length;
    var tips = {
      shorter: outcome === "none" && length > 2,
      longer: outcome === "broad",
      filters: set.length > 0,
      number: outcome === "none" && /[0-9]/.test(T.normalise(state.q)),
      withdrawn: outcome === "none",
      browse: true
    };
    Array.prototype.forEach.call(this.help.querySelectorAll("[data-tip]"), function (li) {
      li.hidden = !tips[li.getAttribute("data-tip")];
    });
    Array.prototype.forEach.call(this.help.querySelectorAll("[data-for]"), function (span) {
      span.hidden = span.getAttribute("data-for") !== outcome;
    });
    byId("search-filters-set").textContent = set.join("、");
    var unfilter = byId("search-unfilter");
    unfilter.href = location.pathname + queryString({ q: state.q });
    unfilter.textContent = "不限条件搜索“" + state.q + "”";
    this.help.hidden = false;
  };

  /* The filters set in `state`, each as its label and chosen option: 类型“执法人员”. */
  Page.prototype.filterNames = function (state) {
    var form = this.form;
    var names = [];
    FIELDS.slice(1).forEach(function (name) {
      if (!state[name]) { return; }
      var select = form.elements[name];
      var label = form.querySelector("label[for='" + select.id + "']");
      var option = select.options[select.selectedIndex];
      var value = option && option.value === state[name] ? option.text : state[name];
      names.push((label ? label.textContent : name) + "“" + value + "”");
    });
    return names;
  };

  /* Renders the next page of hits; rendered() runs once they are in the list. */
  Page.prototype.showMore = function (rendered) {
    var self = this;
    var start = this.list.children.length;
    var page = this.hits.slice(start, start + PAGE);
    var sequence = this.sequence;
    this.more.hidden = true;
    this.engine.shown(page, function () {}, function (error, shown) {
      if (sequence !== self.sequence) { return; }
      if (error) { self.fail(error); return; }
      if (start === 0) { self.reMarked = false; }
      shown.forEach(function (entry, i) { self.list.appendChild(self.item(page[i], entry)); });
      self.asOf.hidden = !self.list.querySelector(".result-standing");
      self.asOf.textContent = self.asOfText + (self.reMarked
        ? "按您设备的日期（" + formatDate(readerDay()) + "），已经到期的执法证改标为“已过期”。" : "");
      self.more.hidden = self.list.children.length >= self.hits.length;
      if (start > 0 && self.list.children[start]) {
        self.list.children[start].querySelector("a").focus();
      }
      if (rendered) { rendered(); }
    });
  };

  Page.prototype.item = function (hit, entry) {
    var facets = this.engine.facets(hit.collection, hit.number);
    var li = document.createElement("li");
    li.className = "search-result";
    var heading = document.createElement("h3");
    heading.className = "result-title";
    var link = document.createElement("a");
    link.href = this.root + entry[3];
    highlight(link, entry[0], this.tokens);
    heading.appendChild(link);
    li.appendChild(heading);
    var meta = document.createElement("p");
    meta.className = "result-meta";
    if (facets.type === "officer") { this.standing(meta, entry[4], entry[2]); }
    var labels = this.engine.manifest.types.filter(function (t) { return t[0] === facets.type; });
    this.span(meta, "result-type", labels.length ? labels[0][1] : facets.type);
    var agency = this.engine.manifest.agencies.filter(function (a) { return a[0] === facets.agency; });
    if (agency.length && facets.type !== "agency") { this.span(meta, "result-agency", agency[0][1]); }
    if (entry[2] && DATE_LABELS[facets.type]) {
      this.span(meta, "result-date", DATE_LABELS[facets.type] + " " + formatDate(entry[2]));
    }
    li.appendChild(meta);
    if (entry[1]) {
      var text = document.createElement("p");
      text.className = "result-text";
      highlight(text, entry[1], this.tokens);
      li.appendChild(text);
    }
    return li;
  };

  /* An officer's status as the officer page shows it: the label from the store, the badge's
     class from the manifest; a label the manifest does not know gets no badge. Like the officer
     page (validity.js), a certificate valid on the build's date but past its last valid day on
     the reader's date is shown as expired: a status may look worse than the build said, never
     better. */
  Page.prototype.standing = function (parent, label, validUntil) {
    var standings = this.engine.manifest.standings;
    if (!standings) { return; }
    var today = readerDay();
    if (label === standings.valid && validUntil && today >= this.asOfDay && today > validUntil) {
      label = standings.expired;
      this.reMarked = true;
    }
    var known = standings.badges.filter(function (s) { return s[0] === label; });
    if (!known.length) { return; }
    var wrap = document.createElement("span");
    wrap.className = "result-standing";
    this.span(wrap, "visually-hidden", "证件状态：");
    this.span(wrap, "badge " + known[0][1], label);
    parent.appendChild(wrap);
  };

  Page.prototype.span = function (parent, className, text) {
    var span = document.createElement("span");
    span.className = className;
    span.textContent = text;
    parent.appendChild(span);
  };

  function init() {
    var form = byId("search-form");
    if (!form || !T || !window.GongshiSearch || !window.lunr) { return; }
    new Page(form).start();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
