"""Which records a change touches: the changed files and every record that refers to them.

The changed files themselves come from git (gongshi_history.changed); this is pure model logic."""

from __future__ import annotations

from .crossrules import references, target_keys
from .identifiers import normalise_doc_no
from .model import Corpus
from .registry import RECORD_TYPES, Kind, Place, place_of
from .views import Decision


def affected_paths(corpus: Corpus, changed: set[str]) -> set[str]:
    """The changed records plus every record whose references point at one of them, and
    every record that claims the same identity as one of them."""
    prefix = corpus.prefix.rstrip("/") + "/"
    # From the paths, not the records: a deleted agency.yaml or portal.yaml has none.
    places = [p for path in changed if (p := place_of(path.removeprefix(prefix))) is not None]
    touched: set[tuple[str, str]] = {(place.kind, place.key) for place in places}
    for record in corpus.of(Kind.DECISION):
        if record.path in changed and isinstance(record.get("doc_no"), str):
            touched.add(("doc_no", normalise_doc_no(record.get("doc_no"))))
    affected = set(changed) | _same_identity(corpus, touched) | _statistics_of(corpus, places)
    # Records whose settings judge others: portal.yaml judges every record of the portal (the
    # certificate pattern, masking, publicity periods); an agency's agency.yaml and review
    # catalogue every record of that agency (its settings, catalogue thresholds, entrustment
    # period, how its decisions and inspection results mask a party's name). A record of an
    # agency without its agency.yaml is agency.missing.
    if any(place.kind == Kind.PORTAL for place in places):
        return affected | {r.path for r in corpus}
    judging = (Kind.REVIEW_CATALOG, Kind.AGENCY)
    agencies = {place.agency for place in places if place.kind in judging}
    if agencies:  # else no record's agency is asked for (115,000 at scale)
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
    return affected | _referrers(corpus, touched)


def _statistics_of(corpus: Corpus, places: list[Place]) -> set[str]:
    """The annual statistics of the agency of each changed decision path (present, moved or
    deleted): one that states a year had none of a decision's category is
    statistics.zero-enforcement, naming how many there are, whichever year the change adds
    a decision to or takes one from."""
    agencies = {place.agency for place in places if place.kind == Kind.DECISION}
    return {r.path for r in corpus.of(Kind.STATISTICS) if r.agency in agencies}


def _referrers(corpus: Corpus, touched: set[tuple[str, str]]) -> set[str]:
    """The records that refer to a touched record, or to a record of a touched type that is
    not there (any more): a decision deleted, or whose 文号 changed, leaves the inspection
    results that named it pointing at nothing, and the corpus no longer says what it was."""
    kinds: set[str] = {kind for kind, _key in touched}
    if Kind.DECISION in kinds:
        kinds.add("doc_no")
    present: dict[str, set[str]] = {}
    referrers: set[str] = set()
    # Only the types that can refer to what was touched: ten changed decisions are named by
    # inspection results alone, not by the other 100,000 decisions of a province.
    for record_type in RECORD_TYPES.values():
        if not {link.by or link.target for link in record_type.links} & kinds:
            continue
        for record in corpus.of(record_type.kind):
            for ref in references(record):
                if ref.kind not in kinds:
                    continue
                key = normalise_doc_no(ref.key) if ref.kind == "doc_no" else ref.key
                if ref.kind not in present:
                    present[ref.kind] = target_keys(corpus, ref.kind)
                if (ref.kind, key) in touched or key not in present[ref.kind]:
                    referrers.add(record.path)
    return referrers


def _same_identity(corpus: Corpus, touched: set[tuple[str, str]]) -> set[str]:
    """The decisions with a changed decision's 文号 and the officers with a changed officer's
    certificate number: the uniqueness rules report the later record in path order, which is
    the unchanged one when a new record copies the number of one filed after it."""
    doc_nos = {key for kind, key in touched if kind == "doc_no"}
    certificates = {key.casefold() for kind, key in touched if kind == Kind.OFFICER}
    same: set[str] = set()
    for record, doc_no, norm in corpus.doc_nos() if doc_nos else ():
        if isinstance(doc_no, str) and norm in doc_nos:
            same.add(record.path)
    same |= {r.path for r in corpus.of(Kind.OFFICER) if r.key.casefold() in certificates}
    return same
