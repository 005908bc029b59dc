/* 站内搜索的中文切分：与 plugins/gongshi_search/tokens.py 逐行对应，两边必须一起修改。
   Normalise (NFKC, ASCII lowercase), split into Han runs (overlapping bigrams, a one-character
   run gives that character) and ASCII letter/digit runs (whole); everything else separates.
   Two ASCII runs apart by at most MAX_JOIN_GAP separators also give "a_b" (〔2025〕6 → 2025_6).
   A 文号's year and serial are read in their standard spelling first (〔2026〕第044号, [2026]44号,
   (2026)44号 → 〔2026〕44号), as gongshi_records.identifiers.normalise_doc_no writes them.
   Certificate numbers and credit codes add 4-grams (codeGrams); fragmentTokens reads a query
   as such fragments.
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
  var GRAM = 4;
  /* As DOC_NO_SPAN in tokens.py (after NFKC): bracket, year, bracket, 第?, serial, 号. */
  var DOC_NO_SPAN = /([〔\[(【〘〖{])[ \t]*([0-9]{4})[ \t]*[〕\])】〙〗}][ \t]*第?[ \t]*([0-9]+)[ \t]*号/g;
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

  /* normalise_doc_no on each span: 〔year〕serial号, without 第, spaces or leading zeros. */
  function standardDocNos(text) {
    return text.replace(DOC_NO_SPAN, function (span, open, year, serial) {
      return "〔" + year + "〕" + (serial.replace(/^0+/, "") || "0") + "号";
    });
  }

  function tokens(text, name) {
    var out = [];
    var previousWord = null;
    var all = runs(standardDocNos(normalise(text)));
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

  function unique(all) {
    var seen = {};
    var out = [];
    for (var i = 0; i < all.length; i++) {
      if (!Object.prototype.hasOwnProperty.call(seen, all[i])) {
        seen[all[i]] = true;
        out.push(all[i]);
      }
    }
    return out;
  }

  function queryTokens(text) {
    return unique(tokens(text, false));
  }

  function gramsOf(run, out) {
    for (var i = 0; i + GRAM <= run.length; i++) {
      out.push(run.substr(i, GRAM));
    }
  }

  /* The 4-grams of every letter/digit run longer than four characters (as code_grams). */
  function codeGrams(text) {
    var out = [];
    var all = runs(normalise(text));
    for (var r = 0; r < all.length; r++) {
      if (all[r][0] === WORD && all[r][1].length > GRAM) {
        gramsOf(all[r][1], out);
      }
    }
    return out;
  }

  /* The normalised letter/digit runs longer than four characters (as fragment_runs). */
  function fragmentRuns(text) {
    var out = [];
    var all = runs(standardDocNos(normalise(text)));
    for (var r = 0; r < all.length; r++) {
      if (all[r][0] === WORD && all[r][1].length > GRAM) {
        out.push(all[r][1]);
      }
    }
    return out;
  }

  /* A query read as code fragments (as fragment_tokens); null when no run is long enough. */
  function fragmentTokens(text) {
    var out = [];
    var fragment = false;
    var all = runs(standardDocNos(normalise(text)));
    for (var r = 0; r < all.length; r++) {
      var run = all[r][1];
      var cs = all[r][0] === HAN ? chars(run) : null;
      if (all[r][0] === WORD && run.length > GRAM) {
        fragment = true;
        gramsOf(run, out);
      } else if (cs === null || cs.length === 1) {
        out.push(run);
      } else {
        for (var i = 0; i < cs.length - 1; i++) {
          out.push(cs[i] + cs[i + 1]);
        }
      }
    }
    return fragment ? unique(out) : null;
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
    codeGrams: codeGrams,
    fragmentTokens: fragmentTokens,
    fragmentRuns: fragmentRuns,
    fnv1a: fnv1a,
    bucketOf: bucketOf
  };
}));
