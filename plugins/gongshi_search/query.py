"""Searching the written shards from Python, exactly as ``theme/static/js/search-core.js``
does in the browser: the tests compare the two, and the benchmark uses this one to check itself.

Every query token is required. In each collection:

1. tokens the manifest lists as common are set aside; when no other token remains, the
   collection is *broad* (too common to answer) and not searched;
2. the first lookups (``first_tokens``: every other remaining token, at most six, which
   between them still cover every character of the query) are made: each token in its own
   bucket, with a single required lunr term. A document must be found by every one, and
   scores the sum of its per-token scores (added in the order the tokens were typed, so both
   languages get the same floating-point sums). Filters are applied from the facet runs;
3. if more than ``verify`` documents are left, the remaining tokens are looked up too;
4. every token not looked up (common ones, and those step 3 did not need) is checked against
   the stores of the documents left, when there are at most ``verify`` of them: a document
   stays only if its store entry and facets, or else its body, give every such token. A body
   file (``t<n>.json``) is read only for a document that has a body and whose store entry
   lacks one of those tokens. With more documents the collection is *unverified*: those tokens
   are not checked.

When no collection finds anything and the query has a letter/digit run longer than four
characters, it is asked once more as code fragments (``fragment_tokens``: that run's 4-grams,
which certificate numbers and credit codes are indexed by), so ``9010003`` finds
``33029919010003``; a whole number is found on the first pass, at the cost of one bucket.

Results: the directory (agencies, officers, powers) first, then the decisions collection
(decisions, withdrawal notices, inspection results); within each, by
score (highest first), then by document number (facet order: type, agency, newest first).
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lunr.index import Index
from lunr.query import QueryPresence

from .documents import DECISION_TYPES
from .index import load_index
from .shards import HAS_BODY, decode_runs, ref_of
from .tokens import (
    GRAM,
    bucket_of,
    code_grams,
    fragment_runs,
    fragment_tokens,
    normalise,
    query_tokens,
    tokens,
)

COLLECTION_ORDER = ("directory", "decisions")
SMALL_QUERY = 3  # a query with this many tokens or fewer looks all of them up at once
FIRST_MAX = 6  # most tokens looked up before the stores are asked
FILTERS = ("type", "agency", "year", "category")
Chooser = Callable[[list[str]], list[str]]  # which of a query's active tokens to look up first


@dataclass(frozen=True)
class Hit:
    collection: str
    number: int  # document number inside its collection (its ref, in base 36)
    score: float


@dataclass
class Outcome:
    hits: list[Hit] = field(default_factory=list)
    broad: list[str] = field(default_factory=list)  # every query token common: not searched
    unverified: list[str] = field(default_factory=list)  # too many found to check common tokens
    files: list[str] = field(default_factory=list)  # files read, in order (relative paths)


class Shards:
    """The manifest and every file loaded so far (each file is read once)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.manifest: dict[str, Any] = json.loads((folder / "manifest.json").read_text("utf-8"))
        self._indexes: dict[str, Index] = {}
        self._stores: dict[str, list[list[Any]]] = {}
        self._bodies: dict[str, list[str]] = {}
        self._runs: dict[str, tuple[list[int], list[tuple[int, int, int, int, int]]]] = {}

    def bucket(self, collection: str, k: int) -> Index:
        name = f"{collection}/b{k}.json"
        if name not in self._indexes:
            self._indexes[name] = load_index(self._read(name))
        return self._indexes[name]

    def shown(self, collection: str, number: int) -> list[Any]:
        """Title, text, date, page, (when there is one) extra searchable text and, when the
        document has a body, ``HAS_BODY``."""
        name = store_path(self.manifest, collection, number)
        if name not in self._stores:
            self._stores[name] = self._read(name)
        return self._stores[name][number % self.manifest["collections"][collection]["store"]]

    def body(self, collection: str, number: int) -> str:
        """The document's long texts, from its body file (only a document with a body has
        one: ``has_body``)."""
        name = body_path(self.manifest, collection, number)
        if name not in self._bodies:
            self._bodies[name] = self._read(name)
        size: int = self.manifest["collections"][collection]["store"]
        return self._bodies[name][number % size]

    def facets(self, collection: str, number: int) -> dict[str, str]:
        """type, agency (key), year and category of a document, from the manifest's runs."""
        if collection not in self._runs:
            runs = decode_runs(self.manifest["collections"][collection]["runs"])
            self._runs[collection] = ([run[0] for run in runs], runs)
        starts, runs = self._runs[collection]
        _, kind, agency, year, category = runs[bisect.bisect_right(starts, number) - 1]
        return {
            "type": self.manifest["types"][kind][0],
            "agency": self.manifest["agencies"][agency][0] if agency >= 0 else "",
            "year": str(year) if year else "",
            "category": self.manifest["categories"][category] if category >= 0 else "",
        }

    def _read(self, name: str) -> Any:
        return json.loads((self.folder / name).read_text("utf-8"))


def store_path(manifest: Mapping[str, Any], collection: str, number: int) -> str:
    return f"{collection}/s{number // manifest['collections'][collection]['store']}.json"


def body_path(manifest: Mapping[str, Any], collection: str, number: int) -> str:
    """The body file beside a document's store: same number, ``t`` for the texts."""
    return f"{collection}/t{number // manifest['collections'][collection]['store']}.json"


def has_body(shown: list[Any]) -> bool:
    return len(shown) > 5 and shown[5] == HAS_BODY


def term_scores(index: Index, term: str) -> dict[str, float]:
    query = index.create_query()
    query.term(term, use_pipeline=False, presence=QueryPresence.REQUIRED)
    return {match["ref"]: match["score"] for match in index.query(query)}


def collections_for(kind: str) -> list[str]:
    """The collections that can hold records of the type filter (all when no filter)."""
    if not kind:
        return list(COLLECTION_ORDER)
    return ["decisions"] if kind in DECISION_TYPES else ["directory"]


def first_tokens(active: list[str]) -> list[str]:
    """Every other token (overlapping bigrams: these still cover every character), at most six;
    a short query looks up all of its tokens."""
    return active if len(active) <= SMALL_QUERY else active[::2][:FIRST_MAX]


def cover_tokens(active: list[str]) -> list[str]:
    """The first lookups of a fragment pass: 4-grams overlap by three characters, so every
    fourth one and the last cover every character (``010003`` → 0100 0003: two buckets, not
    three); the others are checked against the stores like any token not looked up."""
    chosen = active[::GRAM]
    if (len(active) - 1) % GRAM:
        chosen.append(active[-1])
    return chosen[:FIRST_MAX]


def search(shards: Shards, text: str, filters: Mapping[str, str] | None = None) -> Outcome:
    wanted = {name: value for name, value in (filters or {}).items() if value}
    outcome = _search_tokens(shards, query_tokens(text), wanted, first_tokens)
    fragments = fragment_tokens(text)
    if not outcome.hits and fragments is not None:
        files = outcome.files
        outcome = _search_tokens(shards, fragments, wanted, cover_tokens)
        outcome.files[:0] = files
        outcome.hits = whole_fragments(shards, outcome, fragment_runs(text))
    return outcome


def whole_fragments(shards: Shards, outcome: Outcome, wanted_runs: list[str]) -> list[Hit]:
    """The fragment pass's hits whose certificate number or credit code holds each typed run in
    one piece: every 4-gram of 330299000000000001 is also in 33029900000001, and a mistyped
    number must not present another officer as the one looked for."""
    kept = []
    for hit in outcome.hits:
        outcome.files.append(store_path(shards.manifest, hit.collection, hit.number))
        shown = shards.shown(hit.collection, hit.number)
        codes = normalise(" ".join(str(text) for text in store_texts(shown)))
        if all(run in codes for run in wanted_runs):
            kept.append(hit)
    return kept


def _search_tokens(
    shards: Shards, typed: list[str], wanted: Mapping[str, str], first: Chooser
) -> Outcome:
    outcome = Outcome()
    if typed:
        for name in collections_for(wanted.get("type", "")):
            _search_collection(shards, name, typed, wanted, outcome, first)
    return outcome


def _search_collection(
    shards: Shards,
    name: str,
    typed: list[str],
    wanted: Mapping[str, str],
    outcome: Outcome,
    choose: Chooser,
) -> None:
    entry = shards.manifest["collections"][name]
    common = set(entry["common"])
    active = [t for t in typed if t not in common]
    if not active:
        outcome.broad.append(name)
        return
    first = choose(active)
    hits = _lookup(shards, name, first, wanted, outcome.files)
    looked_up = set(first)
    rest = [t for t in active if t not in looked_up]
    if rest and len(hits) > entry["verify"]:
        more = {h.number: h.score for h in _lookup(shards, name, rest, wanted, outcome.files)}
        hits = [Hit(name, h.number, h.score + more[h.number]) for h in hits if h.number in more]
        looked_up.update(rest)
    unchecked = {t for t in typed if t not in looked_up}
    if unchecked and len(hits) > entry["verify"]:
        outcome.unverified.append(name)
    elif unchecked:
        hits = check_hits(shards, hits, unchecked, outcome.files)
    outcome.hits += sorted(hits, key=lambda h: (-h.score, h.number))


def _lookup(
    shards: Shards, name: str, terms: list[str], wanted: Mapping[str, str], files: list[str]
) -> list[Hit]:
    """Documents found by every term and passing the filters, in document order."""
    buckets = shards.manifest["collections"][name]["buckets"]
    scores: dict[str, float] | None = None
    for term in terms:
        k = bucket_of(term, buckets)
        files.append(f"{name}/b{k}.json")
        found = term_scores(shards.bucket(name, k), term)
        if scores is None:
            scores = found
        else:
            scores = {ref: s + found[ref] for ref, s in scores.items() if ref in found}
    hits = [Hit(name, int(ref, 36), score) for ref, score in (scores or {}).items()]
    hits = [h for h in hits if _passes(shards.facets(name, h.number), wanted)]
    return sorted(hits, key=lambda h: h.number)


def check_hits(shards: Shards, hits: list[Hit], unchecked: set[str], files: list[str]) -> list[Hit]:
    """The hits whose documents give every unchecked token: first from the stores (fetched for
    all of them), then, for a document whose store entry lacks one and that has a body, from
    its body file. A body file is fetched only when that second step needs it."""
    kept: list[Hit] = []
    for hit in hits:
        files.append(store_path(shards.manifest, hit.collection, hit.number))
        shown = shards.shown(hit.collection, hit.number)
        missing = unchecked - check_tokens(shards, hit)
        if missing and has_body(shown):
            files.append(body_path(shards.manifest, hit.collection, hit.number))
            missing -= body_tokens(shards.body(hit.collection, hit.number))
        if not missing:
            kept.append(hit)
    return kept


def check_tokens(shards: Shards, hit: Hit) -> set[str]:
    """Every token a document can be found by from its store entry and facets; with its body's
    tokens (``body_tokens``), a superset of its indexed tokens (tests/test_search_index.py and
    tests/test_search_recall.py check that for every document)."""
    facets = shards.facets(hit.collection, hit.number)
    agency = dict(shards.manifest["agencies"]).get(facets["agency"], "")
    return searchable(shards.shown(hit.collection, hit.number), agency, facets)


def searchable(
    shown: list[Any], agency_name: str, facets: Mapping[str, str], body: str = ""
) -> set[str]:
    """Tokens of the title, text and extra text (with name unigrams and code 4-grams: a
    superset is safe), the agency's name, the category, the year and the given body."""
    found = {t for text in store_texts(shown) for t in tokens(text, name=True) + code_grams(text)}
    for text in (agency_name, facets["category"], facets["year"]):
        found.update(tokens(text))
    return found | body_tokens(body)


def store_texts(shown: list[Any]) -> list[Any]:
    """The texts of a store entry a document is found by: title, text and extra text (where an
    officer's certificate number, a party's credit code and a standing label stand)."""
    return [shown[0], shown[1], *shown[4:5]]


def body_tokens(body: str) -> set[str]:
    """What a body can be found by (as the store's texts: with name unigrams and 4-grams)."""
    return set(tokens(body, name=True) + code_grams(body)) if body else set()


def _passes(facets: Mapping[str, str], wanted: Mapping[str, str]) -> bool:
    return all(facets[name] == value for name, value in wanted.items() if name in FILTERS)


def refs(outcome: Outcome) -> list[str]:
    """Results as ``collection:ref`` strings (what the parity test compares)."""
    return [f"{hit.collection}:{ref_of(hit.number)}" for hit in outcome.hits]
