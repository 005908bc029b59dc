"""One lunr index (a term bucket) built with lunr.py and serialised for lunr.js.

lunr's defaults cannot index Chinese: its tokenizer splits on spaces and its trimmer, stop-word
filter and stemmer are for English (the JS trimmer deletes CJK characters). So both pipelines
are emptied and every document's field is handed over already segmented by :mod:`.tokens`, as
a list of strings, which lunr takes token by token without splitting again.

Two fields: ``t``, what names a record (document number, party, name, codes …), and ``b``, the
long texts (a decision's facts, basis and content; an inspection result's findings), boosted
by ``BODY_BOOST`` so a record whose identifying fields hold the query ranks before one that
only mentions it. A field vector that would be empty is not written: lunr reads the vector of
a (document, field) pair only when a term matched there (lunr.js and lunr.py alike).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from lunr.builder import Builder
from lunr.index import Index
from lunr.pipeline import Pipeline

# Every field costs one vector per document per bucket; empty ones are dropped (below), so a
# second field costs only where a document has terms of both fields in one bucket.
FIELD = "t"
BODY = "b"
BODY_BOOST = 0.25  # a body term scores at most 0.55 of a name term (tf saturates at 2.2)
K1 = 1.2  # lunr's default term-frequency saturation
B = 0.0  # no length normalisation: a document's length inside one bucket means nothing


Document = tuple[str, Sequence[str]] | tuple[str, Sequence[str], Sequence[str]]


def build_index(documents: Iterable[Document], corpus_size: int) -> dict[str, Any]:
    """A serialised lunr index of ``(ref, terms[, body terms])`` documents.

    ``corpus_size`` is the number of documents in the whole collection, not in this bucket:
    lunr computes idf from the builder's document count, and a bucket holds only the documents
    that contain one of its terms. With the collection's size every bucket weighs a term as the
    single index would, so scores from different buckets can be added.
    """
    builder = Builder()
    builder.pipeline = Pipeline()
    builder.search_pipeline = Pipeline()
    builder.ref("id")
    builder.field(FIELD)
    builder.field(BODY, boost=BODY_BOOST)
    builder.k1(K1)
    builder.b(B)
    for ref, terms, *body in documents:
        builder.add({"id": ref, FIELD: list(terms), BODY: list(body[0]) if body else []})
    builder.document_count = max(corpus_size, builder.document_count)
    serialised: dict[str, Any] = builder.build().serialize()
    serialised["fieldVectors"] = [pair for pair in serialised["fieldVectors"] if pair[1]]
    # lunr.js inserts terms into its token set in JavaScript string order (UTF-16 code units)
    # and throws on any other order; Python sorts by code point, which differs for characters
    # outside the BMP (rare Han characters in names). Files are written in the JS order;
    # :func:`load_index` restores Python's.
    serialised["invertedIndex"].sort(key=lambda pair: utf16_key(pair[0]))
    return serialised


def load_index(serialised: dict[str, Any]) -> Index:
    inverted = sorted(serialised["invertedIndex"], key=lambda pair: pair[0])
    return Index.load({**serialised, "invertedIndex": inverted})


def utf16_key(term: str) -> bytes:
    return term.encode("utf-16-be")
