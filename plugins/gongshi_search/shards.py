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
import logging
import math
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .buckets import BODY_FLAG, BucketJob, collect_postings, write_buckets
from .documents import SearchDoc
from .state import CollectionFiles, PreviousSite, State, doc_digest, json_bytes
from .tokens import fnv1a, tokens

log = logging.getLogger(__name__)

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


HAS_BODY = 1  # the last item of a store entry whose document has a body in the body file


@dataclass
class _Doc:
    key: tuple[Any, ...]
    digest: bytes  # of everything search knows of the document (state.doc_digest)
    term_ids: array[int]  # distinct term ids, name field then body field
    freqs: array[int]  # their frequencies, BODY_FLAG set for the body field
    shown: list[Any]  # title, text, date, url[, extra][, HAS_BODY]
    body: str  # the long texts, written to the body file


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
    """Accumulates documents compactly, then writes its buckets and stores.

    With the previous build's ``State`` (state.py) an unchanged document takes its postings
    from there instead of being tokenised, and only the files whose contents change are
    written; the others are the previous site's (``CollectionFiles.reuse``). A bucket's file
    is a function of the collection's size, the number of buckets, the common terms, and the
    postings of its terms in number order. So while size, bucket count and numbering stay,
    bucket *k* changes only where a document that changed has different postings in it, or a
    term of it became common or stopped being; a store only where one of its documents
    changed. Anything else (a document added or removed shifts the numbers) writes every
    bucket, still without tokenising the unchanged documents.
    """

    def __init__(self, name: str, settings: ShardSettings, previous: State | None = None) -> None:
        self.name = name
        self.settings = settings
        self.previous = previous
        # Term ids are places in these arrays; the previous build's ids stay valid.
        self.terms: dict[str, int] = {}
        self.hashes: array[int] = array("I")  # fnv1a of each term (its bucket hash)
        self.df: array[int] = array("I")  # documents per term id
        self.docs: list[_Doc] = []
        self.buckets = 0
        self.files: dict[str, str] = {}  # what write() wrote: file name → SHA-256
        self._unclaimed: dict[bytes, list[int]] = {}  # previous documents not found again
        if previous is not None:
            self.terms = {word: number for number, word in enumerate(previous.words)}
            self.hashes, self.df = array("I", previous.hashes), array("I", previous.df)
            for number, digest in enumerate(previous.digests):
                self._unclaimed.setdefault(digest, []).append(number)

    def add(self, doc: SearchDoc) -> None:
        digest = doc_digest(doc.parts())
        known = self._unclaimed.get(digest)
        if known and self.previous is not None:
            number = known.pop()
            ids, freqs = self.previous.term_ids[number], self.previous.freqs[number]
        else:
            ids, freqs = self._tokenise(doc)
        shown: list[Any] = [doc.title, doc.text, doc.date, doc.url, doc.extra]
        if doc.body:
            shown.append(HAS_BODY)
        while len(shown) > 4 and not shown[-1]:
            shown.pop()
        key = (*doc.facets(), doc.order)
        self.docs.append(_Doc(key, digest, ids, freqs, shown, doc.body))

    def _tokenise(self, doc: SearchDoc) -> tuple[array[int], array[int]]:
        ids, freqs = array("I"), array("I")
        seen: set[int] = set()  # df counts a document once even with the term in both fields
        for flag, counts in ((0, Counter(doc.terms)), (BODY_FLAG, Counter(tokens(doc.body)))):
            for term, freq in counts.items():
                term_id = self.terms.get(term)
                if term_id is None:
                    term_id = self.terms[term] = len(self.hashes)
                    self.hashes.append(fnv1a(term))
                    self.df.append(0)
                if term_id not in seen:
                    self.df[term_id] += 1
                    seen.add(term_id)
                ids.append(term_id)
                freqs.append(freq | flag)
        return ids, freqs

    def extend(self, docs: Iterable[SearchDoc]) -> Collection:
        for doc in docs:
            self.add(doc)
        return self

    def write(
        self, folder: Path, facets: Facets, previous_site: PreviousSite | None = None
    ) -> dict[str, Any]:
        """Writes ``folder/<name>/b<k>.json``, ``s<n>.json`` and ``t<n>.json``, or takes them
        over from ``previous_site`` (names relative to ``folder/<name>``) where unchanged;
        returns the manifest entry."""
        self._forget_unclaimed()
        files = CollectionFiles(folder / self.name, previous_site, self.previous)
        self.docs.sort(key=lambda d: d.key)
        words = list(self.terms)  # in id order: ids are given in order
        common = self._common(self.df)
        self.buckets = self._bucket_count(common)
        changed = self._changed_buckets(common)
        build = [
            k
            for k in range(self.buckets)
            if (changed is None or k in changed) or not files.reuse(f"b{k}.json")
        ]
        self._write_buckets(BucketJob(files, words, self._refs(), len(self.docs)), common, build)
        self._write_stores(files)
        self.files = files.written
        return {
            "count": len(self.docs),
            "buckets": self.buckets,
            "store": self.settings.store_size,
            "common": sorted(words[i] for i in common),
            "commonDf": self.settings.common_threshold,
            "verify": self.settings.verify_limit,
            "runs": self._runs(facets),
        }

    def state(self) -> State:
        """What this collection wrote and was made from, for the next build (after write)."""
        self._compact()
        return State(
            words=list(self.terms),
            hashes=self.hashes,
            df=self.df,
            digests=[d.digest for d in self.docs],
            term_ids=[d.term_ids for d in self.docs],
            freqs=[d.freqs for d in self.docs],
            files=self.files,
            buckets=self.buckets,
        )

    def _forget_unclaimed(self) -> None:
        """The previous documents not found again no longer count towards their terms."""
        unclaimed, previous = self._unclaimed, self.previous
        self._unclaimed = {}
        if previous is None:
            return
        for numbers in unclaimed.values():
            for number in numbers:
                for term_id in set(previous.term_ids[number]):
                    # never below 0, whatever a state file says
                    self.df[term_id] = max(0, self.df[term_id] - 1)

    def _compact(self) -> None:
        """Drops the terms no document holds any more once they are half the vocabulary, so
        the state does not grow with every term ever written; renumbers the rest in order."""
        kept = [term_id for term_id, df in enumerate(self.df) if df]
        if len(self.df) - len(kept) <= len(kept):
            return
        renumber = array("I", [0]) * len(self.df)
        for new, old in enumerate(kept):
            renumber[old] = new
        words = list(self.terms)
        self.terms = {words[old]: new for new, old in enumerate(kept)}
        self.hashes = array("I", (self.hashes[old] for old in kept))
        self.df = array("I", (self.df[old] for old in kept))
        for doc in self.docs:
            doc.term_ids = array("I", (renumber[term_id] for term_id in doc.term_ids))

    def _common(self, df: array[int]) -> set[int]:
        return {i for i, n in enumerate(df) if n > self.settings.common_threshold}

    def _bucket_count(self, common: set[int]) -> int:
        postings: int = sum(df for i, df in enumerate(self.df) if i not in common)
        return max(1, math.ceil(postings / self.settings.postings_per_bucket))

    def _changed_buckets(self, common: set[int]) -> set[int] | None:
        """The buckets whose file differs from the previous build's; None for all of them."""
        previous = self.previous
        if previous is None or previous.count != len(self.docs) or previous.buckets != self.buckets:
            return None
        before = self._common(previous.df)
        changed = {self.hashes[term_id] % self.buckets for term_id in before ^ common}
        for number, doc in enumerate(self.docs):
            if doc.digest == previous.digests[number]:
                continue
            old = self._by_bucket(previous.term_ids[number], previous.freqs[number], before)
            new = self._by_bucket(doc.term_ids, doc.freqs, common)
            changed.update(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
        return changed

    def _by_bucket(
        self, term_ids: array[int], freqs: array[int], common: set[int]
    ) -> dict[int, list[tuple[int, int]]]:
        """One document's postings in each bucket, in the order the bucket reads them."""
        out: dict[int, list[tuple[int, int]]] = {}
        for term_id, freq in zip(term_ids, freqs, strict=True):
            if term_id not in common:
                out.setdefault(self.hashes[term_id] % self.buckets, []).append((term_id, freq))
        return out

    def _refs(self) -> list[str]:
        return [ref_of(number) for number in range(len(self.docs))]

    def _write_buckets(self, job: BucketJob, common: set[int], chosen: list[int]) -> None:
        """The ``chosen`` buckets: their postings collected, then written (buckets.py)."""
        place = {k: n for n, k in enumerate(chosen)}
        slot = array("i", (place.get(h % self.buckets, -1) for h in self.hashes))
        for term_id in common:
            slot[term_id] = -1
        postings = collect_postings([(d.term_ids, d.freqs) for d in self.docs], slot, len(chosen))
        write_buckets(job, chosen, postings)

    def _write_stores(self, files: CollectionFiles) -> None:
        """A store and its body file are taken over when they hold the same documents."""
        size = self.settings.store_size
        before = self.previous.digests if self.previous is not None else []
        for n in range(0, len(self.docs), size):
            docs = self.docs[n : n + size]
            store, bodies = f"s{n // size}.json", f"t{n // size}.json"
            has_body = any(d.body for d in docs)
            same = before[n : n + size] == [d.digest for d in docs]
            if same and files.reuse(store) and (not has_body or files.reuse(bodies)):
                continue
            files.write_json(store, [d.shown for d in docs])
            if has_body:
                files.write_json(bodies, [d.body for d in docs])

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
    path.write_bytes(json_bytes(value))
