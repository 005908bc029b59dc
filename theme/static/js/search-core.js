/* 站内搜索的查询逻辑：与 plugins/gongshi_search/query.py 逐步对应（测试在 Node 中逐条比对）。
   Every query token is required. Per collection: common tokens are set aside (none other left:
   the collection is "broad"); the first lookups (every other remaining token, at most six) are
   made, each in its own bucket with one required lunr term, scores summed in typed order, and
   filters applied; with more than `verify` documents left the remaining tokens are looked up
   too; tokens not looked up are checked against the stores of the documents left when there
   are at most `verify` of them (else the collection is "unverified"); a document's body file
   (t<n>.json) is fetched only when its store entry lacks one of those tokens and it has a
   body (store entry ends with HAS_BODY). A query that finds
   nothing and has a letter/digit run longer than four characters is asked again as code
   fragments (T.fragmentTokens: 4-grams, as certificate numbers and credit codes are indexed).
   Files come through load(path, callback(error, json)): the browser and Node share this code.
   ES5 only. */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) {
    module.exports = factory(require("./search-tokens.js"));
  } else {
    root.GongshiSearch = factory(root.GongshiTokens);
  }
}(this, function (T) {
  "use strict";

  var COLLECTIONS = ["directory", "decisions"];
  var FILTERS = ["type", "agency", "year", "category"];
  var FORMAT = 2;
  var SMALL_QUERY = 3;
  var FIRST_MAX = 6;
  var HAS_BODY = 1;  /* the last item of a store entry whose document has a body (shards.py) */
  var has = function (object, key) { return Object.prototype.hasOwnProperty.call(object, key); };

  function firstTokens(active) {
    if (active.length <= SMALL_QUERY) {
      return active.slice();
    }
    var out = [];
    for (var i = 0; i < active.length && out.length < FIRST_MAX; i += 2) {
      out.push(active[i]);
    }
    return out;
  }

  /* The texts of a store entry a document is found by (as store_texts): title, text, extra. */
  function storeTexts(shown) {
    return [shown[0], shown[1]].concat(shown.slice(4, 5));
  }

  /* The first lookups of a fragment pass (as cover_tokens): every fourth 4-gram and the last. */
  function coverTokens(active) {
    var out = [];
    for (var i = 0; i < active.length; i += 4) {
      out.push(active[i]);
    }
    if ((active.length - 1) % 4) {
      out.push(active[active.length - 1]);
    }
    return out.slice(0, FIRST_MAX);
  }

  /* Facet runs come as columns, each run's start as the distance from the previous one. */
  function decodeRuns(columns) {
    var runs = [];
    var start = 0;
    for (var i = 0; i < columns.start.length; i++) {
      start += columns.start[i];
      runs.push([start, columns.type[i], columns.agency[i], columns.year[i], columns.category[i]]);
    }
    return runs;
  }

  function Engine(lunr, load, manifest) {
    if (manifest.format !== FORMAT) {
      throw new Error("search index format " + manifest.format + " is not supported");
    }
    this.lunr = lunr;
    this.load = load;
    this.manifest = manifest;
    this.runs = {};
    for (var name in manifest.collections) {
      if (has(manifest.collections, name)) {
        this.runs[name] = decodeRuns(manifest.collections[name].runs);
      }
    }
    this.files = {};  /* path -> loaded value (lunr index or store) */
    this.pending = {};  /* path -> callbacks waiting for its request in flight */
    this.fetched = [];  /* paths in the order they were requested */
  }

  Engine.prototype.collectionsFor = function (kind) {
    if (!kind) {
      return COLLECTIONS.slice();
    }
    /* as DECISION_TYPES in gongshi_search/documents.py */
    return (kind === "decision" || kind === "withdrawal" || kind === "inspection") ? ["decisions"] : ["directory"];
  };

  Engine.prototype.bucketPath = function (name, term) {
    return name + "/b" + T.bucketOf(term, this.manifest.collections[name].buckets) + ".json";
  };

  Engine.prototype.storePath = function (hit) {
    var size = this.manifest.collections[hit.collection].store;
    return hit.collection + "/s" + Math.floor(hit.number / size) + ".json";
  };

  /* The body file beside a store: same number, "t" for the texts. */
  Engine.prototype.bodyPath = function (hit) {
    var size = this.manifest.collections[hit.collection].store;
    return hit.collection + "/t" + Math.floor(hit.number / size) + ".json";
  };

  Engine.prototype.entry = function (path, hit) {
    return this.files[path][hit.number % this.manifest.collections[hit.collection].store];
  };

  Engine.prototype.hasBody = function (hit) {
    var shown = this.entry(this.storePath(hit), hit);
    return shown.length > 5 && shown[5] === HAS_BODY;
  };

  /* Fetches every path not loaded yet, in parallel; progress(done, total) after each file. */
  Engine.prototype.fetchAll = function (paths, progress, done) {
    var self = this;
    var missing = [];
    for (var i = 0; i < paths.length; i++) {
      if (!has(self.files, paths[i]) && missing.indexOf(paths[i]) < 0) {
        missing.push(paths[i]);
      }
    }
    var remaining = missing.length;
    var failed = false;
    if (!remaining) {
      done(null);
      return;
    }
    progress(0, missing.length);
    missing.forEach(function (path) {
      self.request(path, function (error) {
        if (failed) {
          return;
        }
        if (error) {
          failed = true;
          done(error);
          return;
        }
        remaining -= 1;
        progress(missing.length - remaining, missing.length);
        if (!remaining) {
          done(null);
        }
      });
    });
  };

  /* Loads one file once: a query that needs a file still in flight for an earlier query waits
     for that request instead of starting a second one (a slow phone would pay for both). */
  Engine.prototype.request = function (path, callback) {
    var self = this;
    if (has(this.pending, path)) {
      this.pending[path].push(callback);
      return;
    }
    this.pending[path] = [callback];
    this.fetched.push(path);
    this.load(path, function (error, value) {
      var waiting = self.pending[path];
      delete self.pending[path];
      if (!error) {
        /* Buckets are lunr indexes; stores and body files are arrays. */
        try {
          self.files[path] = /\/b\d+\.json$/.test(path) ? self.lunr.Index.load(value) : value;
        } catch (e) {
          error = e;
        }
      }
      waiting.forEach(function (waiter) { waiter(error || null); });
    });
  };

  Engine.prototype.termScores = function (index, term) {
    var lunr = this.lunr;
    var found = {};
    var matches = index.query(function (q) {
      q.term(term, { usePipeline: false, presence: lunr.Query.presence.REQUIRED });
    });
    for (var i = 0; i < matches.length; i++) {
      found[matches[i].ref] = matches[i].score;
    }
    return found;
  };

  Engine.prototype.facets = function (name, number) {
    var runs = this.runs[name];
    var low = 0;
    var high = runs.length - 1;
    while (low < high) {  /* the last run starting at or before number */
      var mid = (low + high + 1) >> 1;
      if (runs[mid][0] <= number) { low = mid; } else { high = mid - 1; }
    }
    var run = runs[low];
    return {
      type: this.manifest.types[run[1]][0],
      agency: run[2] >= 0 ? this.manifest.agencies[run[2]][0] : "",
      year: run[3] ? String(run[3]) : "",
      category: run[4] >= 0 ? this.manifest.categories[run[4]] : ""
    };
  };

  Engine.prototype.passes = function (facets, filters) {
    for (var i = 0; i < FILTERS.length; i++) {
      var wanted = filters[FILTERS[i]];
      if (wanted && facets[FILTERS[i]] !== wanted) {
        return false;
      }
    }
    return true;
  };

  /* Documents found by every term (loaded already) and passing the filters, in number order. */
  Engine.prototype.lookup = function (name, terms, filters) {
    var scores = null;
    for (var t = 0; t < terms.length; t++) {
      var found = this.termScores(this.files[this.bucketPath(name, terms[t])], terms[t]);
      if (scores === null) {
        scores = found;
        continue;
      }
      var next = {};
      for (var ref in scores) {
        if (has(scores, ref) && has(found, ref)) {
          next[ref] = scores[ref] + found[ref];
        }
      }
      scores = next;
    }
    var hits = [];
    for (var r in scores) {
      if (has(scores, r)) {
        var number = parseInt(r, 36);
        if (this.passes(this.facets(name, number), filters)) {
          hits.push({ collection: name, number: number, score: scores[r] });
        }
      }
    }
    hits.sort(function (a, b) { return a.number - b.number; });
    return hits;
  };

  /* Every token a document can be found by from its store entry and facets (see query.py). */
  Engine.prototype.checkTokens = function (hit) {
    var shown = this.entry(this.storePath(hit), hit);
    var facets = this.facets(hit.collection, hit.number);
    var agency = "";
    for (var a = 0; a < this.manifest.agencies.length; a++) {
      if (this.manifest.agencies[a][0] === facets.agency) {
        agency = this.manifest.agencies[a][1];
      }
    }
    var found = {};
    var add = function (list) {
      for (var i = 0; i < list.length; i++) {
        found[list[i]] = true;
      }
    };
    var texts = storeTexts(shown);
    for (var i = 0; i < texts.length; i++) {
      add(T.tokens(texts[i], true));
      add(T.codeGrams(texts[i]));
    }
    add(T.tokens(agency, false));
    add(T.tokens(facets.category, false));
    add(T.tokens(facets.year, false));
    return found;
  };

  /* What a body can be found by (as the store's texts: name unigrams and 4-grams). */
  Engine.prototype.bodyTokens = function (hit) {
    var body = this.entry(this.bodyPath(hit), hit);
    var found = {};
    var list = T.tokens(body, true).concat(T.codeGrams(body));
    for (var i = 0; i < list.length; i++) {
      found[list[i]] = true;
    }
    return found;
  };

  /* The unchecked tokens a document's store entry and facets do not give. */
  Engine.prototype.missing = function (hit, unchecked) {
    var found = this.checkTokens(hit);
    return unchecked.filter(function (t) { return !has(found, t); });
  };

  /* The per-collection state of one query. */
  function Part(name, entry, tokens, choose) {
    var common = {};
    for (var i = 0; i < entry.common.length; i++) {
      common[entry.common[i]] = true;
    }
    this.name = name;
    this.verify = entry.verify;
    this.tokens = tokens;
    this.active = tokens.filter(function (t) { return !has(common, t); });
    this.first = choose(this.active);
    this.lookedUp = this.first.slice();
    this.rest = [];
    this.hits = [];
    this.missing = {};  /* hit number -> unchecked tokens its store entry does not give */
  }

  Part.prototype.unchecked = function () {
    var self = this;
    return this.tokens.filter(function (t) { return self.lookedUp.indexOf(t) < 0; });
  };

  /* done(error, {tokens, hits: [{collection, number, score}], broad, unverified}) */
  Engine.prototype.search = function (text, filters, progress, done) {
    var self = this;
    var fragments = T.fragmentTokens(text);
    this.searchTokens(T.queryTokens(text), firstTokens, filters, progress, function (error, outcome) {
      if (error || outcome.hits.length || fragments === null) {
        done(error, outcome);
        return;
      }
      self.searchTokens(fragments, coverTokens, filters, progress, function (error2, found) {
        if (error2) {
          done(error2, found);
          return;
        }
        self.wholeFragments(found, T.fragmentRuns(text), progress, done);
      });
    });
  };

  /* The fragment pass's hits whose certificate number or credit code holds each typed run in
     one piece (as whole_fragments): the 4-grams of a mistyped number can all be in another. */
  Engine.prototype.wholeFragments = function (outcome, wanted, progress, done) {
    this.shown(outcome.hits, progress, function (error, entries) {
      if (error) {
        done(error, outcome);
        return;
      }
      outcome.hits = outcome.hits.filter(function (hit, i) {
        var shown = entries[i];
        var codes = T.normalise(storeTexts(shown).join(" "));
        return wanted.every(function (run) { return codes.indexOf(run) >= 0; });
      });
      done(null, outcome);
    });
  };

  Engine.prototype.searchTokens = function (tokens, choose, filters, progress, done) {
    var self = this;
    var outcome = { tokens: tokens, hits: [], broad: [], unverified: [] };
    var parts = [];
    filters = filters || {};
    if (tokens.length) {
      this.collectionsFor(filters.type || "").forEach(function (name) {
        var part = new Part(name, self.manifest.collections[name], tokens, choose);
        if (part.active.length) { parts.push(part); } else { outcome.broad.push(name); }
      });
    }
    var paths = function (list, key) {  /* the buckets of part[key] for every part in list */
      var out = [];
      list.forEach(function (part) {
        part[key].forEach(function (term) { out.push(self.bucketPath(part.name, term)); });
      });
      return out;
    };
    var steps = [
      function (next) {  /* first lookups */
        self.fetchAll(paths(parts, "first"), progress, next);
      },
      function (next) {  /* the remaining tokens where too many documents are left */
        var more = [];
        parts.forEach(function (part) {
          part.hits = self.lookup(part.name, part.first, filters);
          var rest = part.active.filter(function (t) { return part.first.indexOf(t) < 0; });
          if (rest.length && part.hits.length > part.verify) {
            part.rest = rest;
            more.push(part);
          }
        });
        self.fetchAll(paths(more, "rest"), progress, next);
      },
      function (next) {  /* stores of the documents whose unchecked tokens are checked */
        var stores = [];
        parts.forEach(function (part) {
          if (part.rest.length) {
            self.addRest(part, filters);
          }
          if (part.unchecked().length && part.hits.length <= part.verify) {
            part.hits.forEach(function (hit) { stores.push(self.storePath(hit)); });
          }
        });
        self.fetchAll(stores, progress, next);
      },
      function (next) {  /* body files, only where a store entry lacks an unchecked token */
        var bodies = [];
        parts.forEach(function (part) {
          var unchecked = part.unchecked();
          part.missing = {};
          if (!unchecked.length || part.hits.length > part.verify) {
            return;
          }
          part.hits.forEach(function (hit) {
            var missing = self.missing(hit, unchecked);
            part.missing[hit.number] = missing;
            if (missing.length && self.hasBody(hit)) {
              bodies.push(self.bodyPath(hit));
            }
          });
        });
        self.fetchAll(bodies, progress, next);
      }
    ];
    var run = function (i) {
      if (i === steps.length) {
        self.finish(parts, outcome);
        done(null, outcome);
        return;
      }
      steps[i](function (error) {
        if (error) { done(error); } else { run(i + 1); }
      });
    };
    run(0);
  };

  Engine.prototype.addRest = function (part, filters) {
    var more = {};
    this.lookup(part.name, part.rest, filters).forEach(function (hit) { more[hit.number] = hit.score; });
    part.hits = part.hits.filter(function (hit) { return has(more, hit.number); }).map(function (hit) {
      return { collection: hit.collection, number: hit.number, score: hit.score + more[hit.number] };
    });
    part.lookedUp = part.lookedUp.concat(part.rest);
  };

  Engine.prototype.finish = function (parts, outcome) {
    var self = this;
    parts.forEach(function (part) {
      var unchecked = part.unchecked();
      var hits = part.hits;
      if (unchecked.length && hits.length > part.verify) {
        outcome.unverified.push(part.name);
      } else if (unchecked.length) {
        hits = hits.filter(function (hit) {
          var missing = part.missing[hit.number];
          if (!missing.length) {
            return true;
          }
          if (!self.hasBody(hit)) {
            return false;
          }
          var found = self.bodyTokens(hit);
          return missing.every(function (t) { return has(found, t); });
        });
      }
      hits.sort(function (a, b) { return (b.score - a.score) || (a.number - b.number); });
      outcome.hits = outcome.hits.concat(hits);
    });
  };

  /* done(error, [[title, text, date, url]…]) for the given hits, fetching their stores. */
  Engine.prototype.shown = function (hits, progress, done) {
    var self = this;
    var paths = hits.map(function (hit) { return self.storePath(hit); });
    this.fetchAll(paths, progress, function (error) {
      if (error) {
        done(error);
        return;
      }
      done(null, hits.map(function (hit, i) {
        var size = self.manifest.collections[hit.collection].store;
        return self.files[paths[i]][hit.number % size];
      }));
    });
  };

  return { Engine: Engine, FILTERS: FILTERS, firstTokens: firstTokens, coverTokens: coverTokens };
}));
