/* 站内搜索的中文切分：与 plugins/gongshi_search/tokens.py 逐行对应，两边必须一起修改。
   Normalise (NFKC, ASCII lowercase), split into Han runs (overlapping bigrams, a one-character
   run gives that character) and ASCII letter/digit runs (whole); everything else separates.
   Two ASCII runs apart by at most MAX_JOIN_GAP separators also give "a_b" (〔2025〕6 → 2025_6).
   ES5 only, no modules: a browser gets window.GongshiTokens, Node gets module.exports. */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) {
    module.exports = factory();
  } else {
    root.GongshiTokens = factory();
  }
}(this, function () {
  "use strict";

  var JOIN = "_";
  var MAX_JOIN_GAP = 3;
  var HAN = "han";
  var WORD = "word";
  var HAN_RANGES = [
    [0x3007, 0x3007],
    [0x3400, 0x4DBF],
    [0x4E00, 0x9FFF],
    [0xF900, 0xFAFF],
    [0x20000, 0x3FFFF]
  ];

  /* Browsers without String.prototype.normalize (old IE) still fold full-width ASCII. */
  function foldWidth(text) {
    return text.replace(/[\uFF01-\uFF5E]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xFEE0);
    }).replace(/\u3000/g, " ");
  }

  function normalise(text) {
    var folded = typeof text.normalize === "function" ? text.normalize("NFKC") : foldWidth(text);
    return folded.replace(/[A-Z]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) + 32);
    });
  }

  /* The code point at i (a surrogate pair counts as one character, as in Python). */
  function codePointAt(text, i) {
    var high = text.charCodeAt(i);
    if (high >= 0xD800 && high <= 0xDBFF && i + 1 < text.length) {
      var low = text.charCodeAt(i + 1);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        return (high - 0xD800) * 0x400 + (low - 0xDC00) + 0x10000;
      }
    }
    return high;
  }

  function charClass(code) {
    if ((code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x7A)) {
      return WORD;
    }
    for (var i = 0; i < HAN_RANGES.length; i++) {
      if (code >= HAN_RANGES[i][0] && code <= HAN_RANGES[i][1]) {
        return HAN;
      }
    }
    return null;
  }

  /* The characters (code points, as strings) of a run. */
  function chars(text) {
    var out = [];
    for (var i = 0; i < text.length;) {
      var width = codePointAt(text, i) > 0xFFFF ? 2 : 1;
      out.push(text.substr(i, width));
      i += width;
    }
    return out;
  }

  /* [class, run, separators since the previous run] over normalised text. */
  function runs(text) {
    var out = [];
    var current = null;
    var start = 0;
    var gap = 0;
    var runGap = 0;
    for (var i = 0; i < text.length;) {
      var code = codePointAt(text, i);
      var cls = charClass(code);
      var width = code > 0xFFFF ? 2 : 1;
      if (cls !== null && cls === current) {
        i += width;
        continue;
      }
      if (current !== null) {
        out.push([current, text.substring(start, i), runGap]);
        gap = 0;
      }
      if (cls === null) {
        gap += 1;
      } else {
        runGap = gap;
        start = i;
      }
      current = cls;
      i += width;
    }
    if (current !== null) {
      out.push([current, text.substring(start), runGap]);
    }
    return out;
  }

  function tokens(text, name) {
    var out = [];
    var previousWord = null;
    var all = runs(normalise(text));
    for (var r = 0; r < all.length; r++) {
      var kind = all[r][0];
      var run = all[r][1];
      var gap = all[r][2];
      if (kind === WORD) {
        out.push(run);
        if (previousWord !== null && gap <= MAX_JOIN_GAP) {
          out.push(previousWord + JOIN + run);
        }
        previousWord = run;
        continue;
      }
      previousWord = null;
      var cs = chars(run);
      if (cs.length === 1) {
        out.push(run);
        continue;
      }
      for (var i = 0; i < cs.length - 1; i++) {
        out.push(cs[i] + cs[i + 1]);
      }
      if (name) {
        for (var j = 0; j < cs.length; j++) {
          out.push(cs[j]);
        }
      }
    }
    return out;
  }

  function queryTokens(text) {
    var seen = {};
    var out = [];
    var all = tokens(text, false);
    for (var i = 0; i < all.length; i++) {
      if (!Object.prototype.hasOwnProperty.call(seen, all[i])) {
        seen[all[i]] = true;
        out.push(all[i]);
      }
    }
    return out;
  }

  /* 32-bit multiplication for browsers without Math.imul. */
  function imul(a, b) {
    var ah = (a >>> 16) & 0xFFFF;
    var al = a & 0xFFFF;
    var bh = (b >>> 16) & 0xFFFF;
    var bl = b & 0xFFFF;
    return ((al * bl) + ((((ah * bl) + (al * bh)) << 16) >>> 0)) | 0;
  }

  /* 32-bit FNV-1a over the token's UTF-8 bytes (unescape(encodeURIComponent()) yields them). */
  function fnv1a(token) {
    var bytes = unescape(encodeURIComponent(token));
    var hash = 0x811C9DC5;
    for (var i = 0; i < bytes.length; i++) {
      hash = imul(hash ^ bytes.charCodeAt(i), 0x01000193);
    }
    return hash >>> 0;
  }

  function bucketOf(token, buckets) {
    return fnv1a(token) % buckets;
  }

  return {
    JOIN: JOIN,
    normalise: normalise,
    chars: chars,
    tokens: tokens,
    queryTokens: queryTokens,
    fnv1a: fnv1a,
    bucketOf: bucketOf
  };
}));
