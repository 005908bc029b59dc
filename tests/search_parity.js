/* The browser's search code run in Node, for tests/test_search_node.py.

   node tests/search_parity.js <search dir> < queries.json
     Runs each [text, {type, agency, year, category}] with lunr.js (node_modules, pinned by
     package-lock.json) and theme/static/js/search-core.js over the shards Python built.
     Prints [{"refs": ["directory:g", …], "broad": […], "unverified": […], "fetched": […]}, …]:
     "fetched" is every file the query needed (buckets, stores, body files), each once.
   node tests/search_parity.js --tokens < strings.json
     Prints [[tokens, name tokens, query tokens, fnv1a], …] from search-tokens.js.
   node tests/search_parity.js --recall-tokens < strings.json
     Prints [[code grams, fragment tokens or null], …] (tests/test_search_recall.py). */
"use strict";

var fs = require("fs");
var path = require("path");
var lunr = require("lunr");
var T = require("../theme/static/js/search-tokens.js");
var GongshiSearch = require("../theme/static/js/search-core.js");

function readStdin() {
  return JSON.parse(fs.readFileSync(0, "utf8"));
}

function tokens() {
  return readStdin().map(function (text) {
    return [T.tokens(text, false), T.tokens(text, true), T.queryTokens(text), T.fnv1a(text)];
  });
}

function recallTokens() {
  return readStdin().map(function (text) {
    return [T.codeGrams(text), T.fragmentTokens(text)];
  });
}

function searches(folder) {
  var read = function (name) { return JSON.parse(fs.readFileSync(path.join(folder, name), "utf8")); };
  var load = function (name, callback) { callback(null, read(name)); };
  var manifest = read("manifest.json");
  return readStdin().map(function (query) {
    var answer = null;
    /* a fresh engine per query (no file loaded yet), so `fetched` is every file it needs */
    var engine = new GongshiSearch.Engine(lunr, load, manifest);
    engine.search(query[0], query[1] || {}, function () {}, function (error, outcome) {
      if (error) { throw error; }
      answer = {
        refs: outcome.hits.map(function (hit) { return hit.collection + ":" + hit.number.toString(36); }),
        broad: outcome.broad,
        unverified: outcome.unverified,
        fetched: engine.fetched
      };
    });
    return answer;  /* load() answers at once, so the search has finished */
  });
}

var arg = process.argv[2];
var modes = { "--tokens": tokens, "--recall-tokens": recallTokens };
process.stdout.write(JSON.stringify(Object.prototype.hasOwnProperty.call(modes, arg) ? modes[arg]() : searches(arg)));
