"""Which records a change touches: the changed files and every record that refers to them.

The changed files themselves come from git (gongshi_history.changed); this is pure model logic."""

from __future__ import annotations

from .crossrules import references
from .identifiers import normalise_doc_no
from .model import Corpus
from .registry import RECORD_TYPES, Kind, place_of
from .views import Decision


def affected_paths(corpus: Corpus, changed: set[str]) -> set[str]:
    """The changed records plus every record whose references point at one of them."""
    prefix = corpus.prefix.rstrip("/") + "/"
    touched: set[tuple[str, str]] = set()
    for path in changed:
        place = place_of(path.removeprefix(prefix))
        if place is not None:
            touched.add((place.kind, place.key))
    for record in corpus.of(Kind.DECISION):
        if record.path in changed and isinstance(record.get("doc_no"), str):
            touched.add(("doc_no", normalise_doc_no(record.get("doc_no"))))
    affected = set(changed)
    # Records whose settings judge others: portal.yaml judges every record of the portal (the
    # certificate pattern, masking, publicity periods); an agency's agency.yaml and review
    # catalogue every record of that agency (its settings, catalogue thresholds, entrustment
    # period, how its decisions and inspection results mask a party's name).
    judging = (Kind.REVIEW_CATALOG, Kind.AGENCY)
    agencies = {r.agency for kind in judging for r in corpus.of(kind) if r.path in changed}
    if any(r.path in changed for r in corpus.of(Kind.PORTAL)):
        return affected | {r.path for r in corpus}
    affected |= {r.path for r in corpus if r.agency is not None and r.agency in agencies}
    # A benchmark's levels judge the decisions under its power item (discretion.level, .range);
    # from the changed paths, so that deleting a benchmark re-checks them too.
    benchmarks = {key for kind, key in touched if kind == Kind.DISCRETION}
    if benchmarks:  # else no decision's power item is asked for (100,000 at scale)
        affected |= {
            r.path
            for r in corpus.of(Kind.DECISION)
            if f"{r.agency}/{Decision(r).power}" in benchmarks
        }
    # Only the types that can refer to what was touched: ten changed decisions are named by
    # inspection results alone, not by the other 100,000 decisions of a province.
    kinds = {kind for kind, _key in touched}
    for record_type in RECORD_TYPES.values():
        if not {link.by or link.target for link in record_type.links} & kinds:
            continue
        for record in corpus.of(record_type.kind):
            for ref in references(record):
                key = normalise_doc_no(ref.key) if ref.kind == "doc_no" else ref.key
                if (ref.kind, key) in touched:
                    affected.add(record.path)
    return affected
