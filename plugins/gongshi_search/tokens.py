"""The one segmentation of Chinese text for search, at index time and at query time.

``theme/static/js/search-tokens.js`` mirrors this module line by line; a test runs both over the
same strings. Any change here must be made there too (and the other way round).

Text is normalised (NFKC, then ASCII lowercase), then split into runs:

* a run of Han characters gives overlapping bigrams (``欧阳明轩`` → 欧阳 阳明 明轩); a run of one
  character gives that character;
* a run of ASCII letters and digits is one token (``33029919010003``, ``91330299ma2jl2tt51``);
* everything else (spaces, punctuation, every kind of bracket) separates runs, so
  ``〔2024〕``, ``[2024]``, ``(2024)``, ``（2024）`` and ``【2024】`` all give ``2024``.

Two ASCII runs separated only by a few separators also give a joined token ``a_b``: the
``〔2025〕6`` of a document number becomes ``2025_6``, which is rare even when ``2025`` and ``6``
are both common, so a document number finds its one decision.

A 文号 is read in its standard spelling before it is segmented, in records and in queries
alike: ``〔2026〕第44号``, ``〔2026〕044号``, ``[2026]44号``, ``(2026)44号``, ``【2026】44号``
(full-width digits, spaces) all become ``〔2026〕44号``, through the one normaliser the
duplicate check uses (``gongshi_records.identifiers.normalise_doc_no``).

Name fields (officers, natural persons) also get one unigram per Han character, so a surname
typed alone (``欧``) finds the officer. A query is segmented without unigrams: a query of one
character is a one-character run, whose token is that character, and matches the unigram.

Certificate numbers and credit codes also get their overlapping 4-grams (``code_grams``), so a
fragment of four or more characters finds them: a query whose whole-run tokens find nothing is
asked again as grams (``fragment_tokens``; the fallback lives in query.py / search-core.js).
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterator

from gongshi_records.identifiers import normalise_doc_no

JOIN = "_"  # never inside a word run, so a joined token cannot collide with a typed one
MAX_JOIN_GAP = 3  # separators allowed between two ASCII runs that still form a joined token

HAN, WORD = "han", "word"
GRAM = 4  # the shortest fragment of a certificate number or credit code that finds it

# A 文号's year and serial as typed (after NFKC): any bracket kind, spaces, 第, leading zeros.
# Each such span is handed to normalise_doc_no. Spaces are written out (not \s): Python's \s
# and JavaScript's \s differ, and the JS mirror must match exactly the same spans.
DOC_NO_SPAN = re.compile(
    r"[〔\[(【〘〖{][ \t]*[0-9]{4}[ \t]*[〕\])】〙〗}][ \t]*第?[ \t]*[0-9]+[ \t]*号"
)

# Han ranges (code points): Extension A, the unified block, compatibility ideographs, 〇 and the
# supplementary planes (Extensions B–H, compatibility supplement). Shared with the JS mirror.
_HAN_RANGES = (
    (0x3007, 0x3007),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x3FFFF),
)


_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
# One run of either class (the ranges of _HAN_RANGES; char_class says the same per character).
_RUN = re.compile(
    "([0-9a-z]+)|([" + "".join(f"{chr(low)}-{chr(high)}" for low, high in _HAN_RANGES) + "]+)"
)


def normalise(text: str) -> str:
    """NFKC folds full-width letters, digits and brackets; only ASCII is lowercased so the
    result is the same in every language (JS and Python disagree on some non-ASCII cases)."""
    return unicodedata.normalize("NFKC", text).translate(_ASCII_LOWER)


def char_class(char: str) -> str | None:
    code = ord(char)
    if "0" <= char <= "9" or "a" <= char <= "z":
        return WORD
    for low, high in _HAN_RANGES:
        if low <= code <= high:
            return HAN
    return None


def runs(text: str) -> Iterator[tuple[str, str, int]]:
    """(class, run, number of separators since the previous run) over normalised text: the
    maximal runs of characters of one ``char_class`` (one regular expression, as the build
    segments every body: a loop over characters was a tenth of the build)."""
    end = 0
    for match in _RUN.finditer(text):
        yield (WORD if match.group(1) else HAN), match.group(0), match.start() - end
        end = match.end()


def standard_doc_nos(text: str) -> str:
    """Normalised text with every 文号 year-and-serial in its standard spelling."""
    return DOC_NO_SPAN.sub(lambda m: normalise_doc_no(m.group(0)), text)


def tokens(text: str, *, name: bool = False) -> list[str]:
    """Every token of ``text`` in order, repeats kept (they are term frequencies)."""
    out: list[str] = []
    previous_word: str | None = None
    for kind, run, gap in runs(standard_doc_nos(normalise(text))):
        if kind == WORD:
            out.append(run)
            if previous_word is not None and gap <= MAX_JOIN_GAP:
                out.append(previous_word + JOIN + run)
            previous_word = run
            continue
        previous_word = None
        if len(run) == 1:
            out.append(run)
            continue
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
        if name:
            out.extend(run)
    return out


def query_tokens(text: str) -> list[str]:
    """The tokens a query requires, each once, in the order typed."""
    return list(dict.fromkeys(tokens(text)))


def code_grams(text: str) -> list[str]:
    """The overlapping 4-grams of every letter/digit run longer than four characters (a run
    of four is its own token already): what a certificate number or credit code adds so that
    a fragment of it finds the record."""
    out: list[str] = []
    for kind, run, _gap in runs(normalise(text)):
        if kind == WORD and len(run) > GRAM:
            out.extend(run[i : i + GRAM] for i in range(len(run) - GRAM + 1))
    return out


def fragment_runs(text: str) -> list[str]:
    """The letter/digit runs of a query longer than four characters, normalised: what a
    fragment pass must find whole, in one piece, in a code of the record."""
    return [run for kind, run, _gap in runs(standard_doc_nos(normalise(text)))
            if kind == WORD and len(run) > GRAM]  # fmt: skip


def fragment_tokens(text: str) -> list[str] | None:
    """A query read as fragments of codes: Han runs as usual, every letter/digit run longer than
    four characters as its 4-grams (no joined tokens); None when no run is that long, so there
    is nothing to ask again."""
    out: list[str] = []
    fragment = False
    for kind, run, _gap in runs(standard_doc_nos(normalise(text))):
        if kind == WORD and len(run) > GRAM:
            fragment = True
            out.extend(code_grams(run))
        elif kind == WORD or len(run) == 1:
            out.append(run)
        else:
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return list(dict.fromkeys(out)) if fragment else None


def fnv1a(token: str) -> int:
    """32-bit FNV-1a over UTF-8: the bucket hash, computed the same way in the browser."""
    value = 0x811C9DC5
    for byte in token.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def bucket_of(token: str, buckets: int) -> int:
    return fnv1a(token) % buckets
