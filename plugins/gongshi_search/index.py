"""One lunr index (a term bucket), serialised for lunr.js.

lunr's defaults cannot index Chinese: its tokenizer splits on spaces and its trimmer, stop-word
filter and stemmer are for English (the JS trimmer deletes CJK characters). So both pipelines
are empty and every document's field is handed over already segmented by :mod:`.tokens`.

Two fields: ``t``, what names a record (document number, party, name, codes …), and ``b``, the
long texts (a decision's facts, basis and content; an inspection result's findings), boosted
by ``BODY_BOOST`` so a record whose identifying fields hold the query ranks before one that
only mentions it. A field vector that would be empty is not written: lunr reads the vector of
a (document, field) pair only when a term matched there (lunr.js and lunr.py alike).

The serialised index is written here directly from term frequencies, with lunr's own formulas
(``lunr.builder.Builder``: BM25 with ``K1`` and ``B``, lunr's idf, scores rounded to three
decimals), not through lunr.py's builder: that builder turns every token into a ``Token`` with
deep-copied metadata, builds a token set the serialised form never holds and a ``Vector`` per
field, and took four fifths of a 100,000-decision build once the long texts were indexed.
tests/test_search_index.py checks that the output is exactly what lunr.py's builder writes.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from lunr import __TARGET_JS_VERSION__
from lunr.index import Index

FIELD = "t"
BODY = "b"
FIELDS = (FIELD, BODY)
BODY_BOOST = 0.25  # a body term scores at most 0.55 of a name term (tf saturates at 2.2)
BOOSTS = (1.0, BODY_BOOST)
K1 = 1.2  # lunr's default term-frequency saturation
B = 0.0  # no length normalisation: a document's length inside one bucket means nothing


Document = tuple[str, Sequence[str]] | tuple[str, Sequence[str], Sequence[str]]
# (ref, name field's (term, frequency) pairs, body field's), terms in order of first occurrence
Counted = tuple[str, Sequence[tuple[str, int]], Sequence[tuple[str, int]]]


def build_index(documents: Iterable[Document], corpus_size: int) -> dict[str, Any]:
    """A serialised lunr index of ``(ref, terms[, body terms])`` documents (token lists)."""
    return build_counted(
        (
            (ref, list(Counter(terms).items()), list(Counter(body[0] if body else []).items()))
            for ref, terms, *body in documents
        ),
        corpus_size,
    )


def build_counted(documents: Iterable[Counted], corpus_size: int) -> dict[str, Any]:
    """A serialised lunr index of documents given as term frequencies per field: exactly what
    ``lunr.builder.Builder`` (fields ``t`` and ``b``, empty pipelines) serialises, with empty
    field vectors left out and terms in JavaScript string order.

    ``corpus_size`` is the number of documents in the whole collection, not in this bucket:
    lunr computes idf from the builder's document count, and a bucket holds only the documents
    that contain one of its terms. With the collection's size every bucket weighs a term as the
    single index would, so scores from different buckets can be added.
    """
    docs = documents if isinstance(documents, list) else list(documents)
    inverted: dict[str, dict[str, Any]] = {}
    lengths = [0, 0]
    for ref, *fields in docs:
        for number, counts in enumerate(fields):
            name = FIELDS[number]
            for term, frequency in counts:
                posting = inverted.get(term)
                if posting is None:
                    posting = inverted[term] = {FIELD: {}, BODY: {}, "_index": len(inverted)}
                posting[name][ref] = {}
                lengths[number] += frequency
    count = max(corpus_size, len(docs))
    places: dict[str, int] = {}
    idf: dict[str, float] = {}
    for term, posting in inverted.items():
        with_term = len(posting[FIELD]) + len(posting[BODY])  # lunr counts a document per field
        x = (count - with_term + 0.5) / (with_term + 0.5)
        idf[term] = math.log(1 + abs(x))
        places[term] = posting["_index"]
    averages = [total / len(docs) if docs else 0.0 for total in lengths]
    vectors: list[list[Any]] = []
    for ref, *fields in docs:
        for number, counts in enumerate(fields):
            if not counts:
                continue
            # With B = 0 (no length normalisation) the field's length is not needed.
            length = sum(frequency for _, frequency in counts) if B else 0
            norm = K1 * (1 - B + B * (length / averages[number] if B else 0))
            boost = BOOSTS[number]
            scored = []
            for term, tf in counts:
                score = idf[term] * ((K1 + 1) * tf) / (norm + tf)
                score *= boost
                score *= 1  # lunr's document boost
                scored.append((places[term], round(score, 3)))
            scored.sort()  # by place: a term has one place, so scores are never compared
            vectors.append([f"{FIELDS[number]}/{ref}", [v for pair in scored for v in pair]])
    return {
        "version": __TARGET_JS_VERSION__,
        "fields": list(FIELDS),
        "fieldVectors": vectors,
        # lunr.js inserts terms into its token set in JavaScript string order (UTF-16 code
        # units) and throws on any other order; Python sorts by code point, which differs for
        # characters outside the BMP (rare Han characters in names). Files are written in the
        # JS order; :func:`load_index` restores Python's.
        "invertedIndex": sorted(
            ([t, p] for t, p in inverted.items()), key=lambda pair: utf16_key(pair[0])
        ),
        "pipeline": [],
    }


def load_index(serialised: dict[str, Any]) -> Index:
    inverted = sorted(serialised["invertedIndex"], key=lambda pair: pair[0])
    return Index.load({**serialised, "invertedIndex": inverted})


def utf16_key(term: str) -> bytes:
    return term.encode("utf-16-be")
