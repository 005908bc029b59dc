/* 有效期再核对：按读者设备的日期，重新核对本页所述的执法证有效期和决定公示期。
   A static page states validity as of its build date ("截至"); it carries the dates in data-*
   attributes (templates/_validity.html, decision.html). This script compares them with the
   reader's date and says so when the page is out of date. It may only make a status look
   WORSE: an element the build marked invalid is never touched, whatever the reader's date.
   Progressive enhancement, loaded with defer, plain ES5 for old browsers, no inline code. */
(function () {
  "use strict";
  var DAY = 86400000;
  var BEIJING_OFFSET = 8 * 3600000;  /* UTC+8 all year: China has no daylight saving time */
  /* = gongshi_portal.validity.EXPIRY_NOTICE_DAYS (a test compares them), for an element
     without data-notice-days (the agency's deadlines.certificate_notice) */
  var SOON_DAYS = 30;
  var STALE_DAYS = 3;  /* = gongshi_portal.validity.STALE_AFTER_DAYS: the rule is a daily rebuild */

  /* A calendar day as a whole number, from "YYYY-MM-DD"; NaN for anything else. */
  function parseDay(text) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || "");
    return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) / DAY : NaN;
  }

  /* Today in Beijing by the reader's clock: certificates and publicity end on Beijing calendar
     days, so a phone set to another time zone (or UTC) must not see a different day. */
  function readerDay() {
    return Math.floor((new Date().getTime() + BEIJING_OFFSET) / DAY);
  }

  function zh(day) {
    var d = new Date(day * DAY);
    return d.getUTCFullYear() + "年" + (d.getUTCMonth() + 1) + "月" + d.getUTCDate() + "日";
  }

  function swapClass(el, from, to) {
    el.className = (" " + el.className + " ").replace(" " + from + " ", " " + to + " ")
      .replace(/^\s+|\s+$/g, "");
  }

  function hasClass(el, name) {
    return (" " + el.className + " ").indexOf(" " + name + " ") >= 0;
  }

  /* querySelector is there (start() checks it); null when there is no such element. */
  function firstByClass(parent, name) {
    return parent ? parent.querySelector("." + name) : null;
  }

  function Check(today) {
    this.today = today;
    this.asOf = NaN;
    this.messages = [];
    this.expiredBadges = 0;
    this.anchor = null;
  }

  Check.prototype.say = function (text) {
    this.messages.push(text);
  };

  Check.prototype.officer = function (el, until) {
    var today = this.today;
    var noticeDays = parseInt(el.getAttribute("data-notice-days"), 10);
    var soonDays = isNaN(noticeDays) ? SOON_DAYS : noticeDays;
    if (el.getAttribute("data-standing") !== "valid" || isNaN(until) || today < until - soonDays) {
      return;  /* invalid at build time stays as it is; far from expiry: nothing to say */
    }
    var banner = !hasClass(el, "badge");
    var soon = document.getElementById("validity-soon");
    if (today > until) {
      if (banner) {
        swapClass(el, "standing-ok", "standing-bad");
        el.textContent = "按您设备的日期，该执法证已于 " + zh(until) + " 到期，不能从事执法活动";
        this.anchor = el;
        if (soon) { soon.hidden = true; }
        this.say("本页信息截至 " + zh(this.asOf) + "；按您设备的日期（" + zh(today) + "），该执法证已于 " +
          zh(until) + " 到期，不能再据此从事执法活动。请以发证机关核实为准。");
      } else {
        swapClass(el, "badge-ok", "badge-bad");
        el.textContent = "已过期";
        var next = el.nextElementSibling;
        if (next && hasClass(next, "badge-soon")) { next.parentNode.removeChild(next); }
        this.expiredBadges += 1;
      }
    } else if (banner && !soon) {
      this.anchor = el;
      this.say("即将到期：按您设备的日期（" + zh(today) + "），该执法证将于 " + zh(until) +
        " 到期（还有 " + (until - today) + " 天）。到期后未换发新证的，不能再从事执法活动。");
    } else if (!banner && !(el.nextElementSibling && hasClass(el.nextElementSibling, "badge-soon"))) {
      var badge = document.createElement("span");
      badge.className = "badge badge-soon";
      badge.textContent = "即将到期";
      el.parentNode.insertBefore(badge, el.nextSibling);
      el.parentNode.insertBefore(document.createTextNode(" "), badge);
    }
  };

  Check.prototype.publicity = function (el, until) {
    if (isNaN(until) || this.today <= until) { return; }
    var value = el.getElementsByTagName("dd")[0];
    if (value) { value.textContent = zh(until) + "（按您设备的日期，公示期已届满）"; }
    this.say("本页信息截至 " + zh(this.asOf) + "；按您设备的日期（" + zh(this.today) + "），本决定的公示期已于 " +
      zh(until) + " 届满，期满后应停止公示，本页已经过时。请以执法机关网站的现行公示为准。");
  };

  Check.prototype.run = function () {
    var items = document.querySelectorAll("[data-validity]");
    for (var i = 0; i < items.length; i += 1) {
      var el = items[i];
      var asOf = parseDay(el.getAttribute("data-as-of"));
      if (isNaN(asOf)) { continue; }
      this.asOf = isNaN(this.asOf) ? asOf : Math.min(this.asOf, asOf);
      if (this.today < asOf) { continue; }  /* the device's clock is behind the page: no claim */
      var kind = el.getAttribute("data-validity");
      if (kind === "officer") { this.officer(el, parseDay(el.getAttribute("data-valid-until"))); }
      if (kind === "publicity") { this.publicity(el, parseDay(el.getAttribute("data-publicity-until"))); }
    }
    if (this.expiredBadges && !document.getElementById("validity")) {  /* a roster */
      this.say("按您设备的日期（" + zh(this.today) + "），本页有 " + this.expiredBadges +
        " 名人员的执法证已经到期，已改标为“已过期”（本页信息截至 " + zh(this.asOf) + "）。");
    }
    var age = this.today - this.asOf;
    if (age >= STALE_DAYS) {
      /* Said once: after an expiry above, the dates need no repeating. */
      this.say((this.messages.length ? "本页" : "本页信息截至 " + zh(this.asOf) + "，按您设备的日期（" +
        zh(this.today) + "）") + "已有 " + age + " 天未更新（本站应每日更新）。" +
        "本页所示的状态和期限可能已经变化，请以发证机关或执法机关核实为准。");
    }
    this.show();
  };

  /* One notice, with role="status", right after the banner, or after a decision's summary line
     (which must stay on a phone's first screen), or after the page's heading. */
  Check.prototype.show = function () {
    if (!this.messages.length) { return; }
    var main = document.getElementById("main");
    var anchor = this.anchor || document.getElementById("validity") ||
      firstByClass(main, "decision-summary") || (main && main.getElementsByTagName("h1")[0]);
    if (!anchor) { return; }
    var notice = document.createElement("div");
    notice.className = "validity-notice validity-checked";
    notice.id = "validity-checked";
    notice.setAttribute("role", "status");
    anchor.parentNode.insertBefore(notice, anchor.nextSibling);
    for (var i = 0; i < this.messages.length; i += 1) {
      var p = document.createElement("p");
      p.textContent = this.messages[i];
      notice.appendChild(p);
    }
  };

  function start() {
    if (!document.querySelectorAll) { return; }
    new Check(readerDay()).run();
    /* Done (tests wait for this, never for time): the page's statements are checked. */
    document.documentElement.setAttribute("data-validity-checked", "");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
