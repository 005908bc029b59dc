"""A collection of search documents split into files a browser fetches only when a query needs
them: term buckets (lunr indexes), document stores and the collection's part of the manifest.

* **Term buckets.** Every term goes to bucket ``fnv1a(term) % K``; bucket *k* is a lunr index
  of the documents that contain a term of bucket *k*, holding only those terms. A query loads
  the buckets of its own tokens and nothing else. K is derived from the collection's size so a
  bucket stays near ``bucket_bytes`` (gzip).
* **Common terms.** A term found in more documents than ``common_df`` would make its bucket
  large and narrows little down (有限, 公司, the region's name); it is left out of the index
  and listed in the manifest. A query looks up its other tokens and then checks the common
  ones against the stores of the (few) documents found, so precision is not lost; a query of
  common tokens only is too broad to answer and says so.
* **Stores.** What the result list shows (title, line of text, date, page, and text that is
  searchable but not shown: the extra text), ``store_size`` documents per file, fetched only
  for the results on screen or being checked. An entry ends with ``HAS_BODY`` when the
  document has a body (its long texts).
* **Body files.** The bodies of a store's documents, ``t<n>.json`` beside ``s<n>.json`` (same
  numbering; written only where a document of that store has a body). A query fetches one only
  to check a token that a document's store entry and facets do not give (query.py). Every
  indexed token of a document can be found again in its store entry, body and facets, which
  is what makes the check exact.
* **Facet runs.** Documents are numbered in the order of (type, agency, year, category), so the
  manifest describes every document's facets as a short list of runs: filters need no store.

Built one bucket at a time: the whole collection is held only as integer arrays, never as one
lunr index.
"""

from __future__ import annotations

import itertools
import json
import math
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .documents import SearchDoc
from .index import build_counted
from .tokens import fnv1a, tokens

REF_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
RUN_COLUMNS = ("start", "type", "agency", "year", "category")


@dataclass(frozen=True)
class ShardSettings:
    """Sizes of the files a query fetches (settable as ``GONGSHI['search']`` in pelicanconf)."""

    bucket_bytes: int = 16_000  # target size of one term bucket, gzip
    posting_bytes: float = 9.0  # gzip bytes one posting costs in a bucket (measured)
    store_size: int = 100  # documents per store file
    common_df: int | None = None  # default: half a bucket's worth of postings
    verify_limit: int = 40  # most documents whose stores a query fetches to check common tokens

    @property
    def postings_per_bucket(self) -> int:
        return max(1, int(self.bucket_bytes / self.posting_bytes))

    @property
    def common_threshold(self) -> int:
        return self.common_df if self.common_df is not None else self.postings_per_bucket // 2


def ref_of(number: int) -> str:
    """Short document references (base 36): they are repeated in every posting."""
    digits = ""
    while True:
        number, rest = divmod(number, 36)
        digits = REF_DIGITS[rest] + digits
        if number == 0:
            return digits


BODY_FLAG = 1 << 31  # set on a posting's frequency when the term is in the body field
HAS_BODY = 1  # the last item of a store entry whose document has a body in the body file


@dataclass
class _Doc:
    key: tuple[Any, ...]
    term_ids: array[int]  # distinct term ids, name field then body field
    freqs: array[int]  # their frequencies, BODY_FLAG set for the body field
    shown: list[Any]  # title, text, date, url[, extra][, HAS_BODY]
    body: str  # the long texts, written to the body file


@dataclass
class _Bucket:
    """One bucket's postings as three parallel integer arrays (documents in order)."""

    numbers: array[int] = field(default_factory=lambda: array("I"))
    term_ids: array[int] = field(default_factory=lambda: array("I"))
    freqs: array[int] = field(default_factory=lambda: array("I"))


@dataclass
class Facets:
    """Values shared by the manifest's filters: agencies (by key) and categories, by index."""

    agencies: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)

    def agency_index(self, key: str) -> int:
        return self._index(self.agencies, key)

    def category_index(self, value: str) -> int:
        return self._index(self.categories, value)

    @staticmethod
    def _index(values: list[str], value: str) -> int:
        if not value:
            return -1
        if value not in values:
            values.append(value)
        return values.index(value)


class Collection:
    """Accumulates documents compactly, then writes its buckets and stores."""

    def __init__(self, name: str, settings: ShardSettings) -> None:
        self.name = name
        self.settings = settings
        self.terms: dict[str, int] = {}
        self.df: array[int] = array("I")  # documents per term id
        self.docs: list[_Doc] = []

    def add(self, doc: SearchDoc) -> None:
        ids, freqs = array("I"), array("I")
        seen: set[int] = set()  # df counts a document once even with the term in both fields
        for flag, counts in ((0, Counter(doc.terms)), (BODY_FLAG, Counter(tokens(doc.body)))):
            for term, freq in counts.items():
                term_id = self.terms.setdefault(term, len(self.terms))
                if term_id == len(self.df):
                    self.df.append(0)
                if term_id not in seen:
                    self.df[term_id] += 1
                    seen.add(term_id)
                ids.append(term_id)
                freqs.append(freq | flag)
        shown: list[Any] = [doc.title, doc.text, doc.date, doc.url, doc.extra]
        if doc.body:
            shown.append(HAS_BODY)
        while len(shown) > 4 and not shown[-1]:
            shown.pop()
        self.docs.append(_Doc((*doc.facets(), doc.order), ids, freqs, shown, doc.body))

    def extend(self, docs: Iterable[SearchDoc]) -> Collection:
        for doc in docs:
            self.add(doc)
        return self

    def write(self, folder: Path, facets: Facets) -> dict[str, Any]:
        """Writes ``folder/<name>/b<k>.json``, ``s<n>.json`` and ``t<n>.json``; returns the
        manifest entry."""
        target = folder / self.name
        target.mkdir(parents=True, exist_ok=True)
        self.docs.sort(key=lambda d: d.key)
        words = sorted(self.terms, key=self.terms.__getitem__)
        common = {i for i, df in enumerate(self.df) if df > self.settings.common_threshold}
        buckets = self._bucket_count(common)
        for k, postings in enumerate(self._postings(buckets, common)):
            self._write_bucket(target, k, postings, words)
        self._write_stores(target)
        return {
            "count": len(self.docs),
            "buckets": buckets,
            "store": self.settings.store_size,
            "common": sorted(words[i] for i in common),
            "commonDf": self.settings.common_threshold,
            "verify": self.settings.verify_limit,
            "runs": self._runs(facets),
        }

    def _bucket_count(self, common: set[int]) -> int:
        postings: int = sum(df for i, df in enumerate(self.df) if i not in common)
        return max(1, math.ceil(postings / self.settings.postings_per_bucket))

    def _postings(self, buckets: int, common: set[int]) -> list[_Bucket]:
        """Every bucket's postings, documents in order (integer arrays: with the long texts a
        portal of 100,000 decisions has tens of millions of postings)."""
        bucket_of = array("I", (fnv1a(term) % buckets for term in self.terms))
        out = [_Bucket() for _ in range(buckets)]
        for number, doc in enumerate(self.docs):
            for term_id, freq in zip(doc.term_ids, doc.freqs, strict=True):
                if term_id not in common:
                    bucket = out[bucket_of[term_id]]
                    bucket.numbers.append(number)
                    bucket.term_ids.append(term_id)
                    bucket.freqs.append(freq)
        return out

    def _write_bucket(self, target: Path, k: int, postings: _Bucket, words: list[str]) -> None:
        documents: dict[int, tuple[list[tuple[str, int]], list[tuple[str, int]]]] = {}
        for number, term_id, freq in zip(
            postings.numbers, postings.term_ids, postings.freqs, strict=True
        ):
            name, body = documents.setdefault(number, ([], []))
            if freq & BODY_FLAG:
                body.append((words[term_id], freq ^ BODY_FLAG))
            else:
                name.append((words[term_id], freq))
        # the bucket's arrays are not needed once its index is built
        postings.numbers, postings.term_ids, postings.freqs = array("I"), array("I"), array("I")
        write_json(
            target / f"b{k}.json",
            build_counted(
                ((ref_of(number), *fields) for number, fields in documents.items()), len(self.docs)
            ),
        )

    def _write_stores(self, target: Path) -> None:
        size = self.settings.store_size
        for n in range(0, len(self.docs), size):
            docs = self.docs[n : n + size]
            write_json(target / f"s{n // size}.json", [d.shown for d in docs])
            if any(d.body for d in docs):
                write_json(target / f"t{n // size}.json", [d.body for d in docs])

    def _runs(self, facets: Facets) -> dict[str, list[int]]:
        """The facets of every document as runs, column by column, each run's first document
        as the distance from the previous run's (gzip shrinks these columns to a quarter of a
        list of runs)."""
        columns: dict[str, list[int]] = {name: [] for name in RUN_COLUMNS}
        previous: tuple[Any, ...] | None = None
        last_start = 0
        for number, doc in enumerate(self.docs):
            kind, agency, year, category = doc.key[:4]
            if doc.key[:4] == previous:
                continue
            columns["start"].append(number - last_start)
            columns["type"].append(kind)
            columns["agency"].append(facets.agency_index(agency))
            columns["year"].append(int(year or 0))
            columns["category"].append(facets.category_index(category))
            previous, last_start = doc.key[:4], number
        return columns


def decode_runs(columns: dict[str, list[int]]) -> list[tuple[int, int, int, int, int]]:
    """(first document, type index, agency index, year, category index) per run."""
    starts = list(itertools.accumulate(columns["start"]))
    rest = (columns[name] for name in RUN_COLUMNS[1:])
    return list(zip(starts, *rest, strict=True))


def write_json(path: Path, value: Any) -> None:
    """Compact UTF-8 JSON (servers compress it; mirrors should enable gzip for .json)."""
    path.write_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")), "utf-8")
