"""The rules across records judge only the records in scope (`validate --changed-since`): what a
scoped run finds on a record is exactly what a full run finds on it. A corpus made of the demo
records with mistakes that the cross-record rules catch, and random scopes over it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from gongshi_records import validate_content
from gongshi_records.changes import affected_paths
from gongshi_records.corpusindex import SUMMARY_FIELDS
from gongshi_records.crossrules import corpus_findings
from gongshi_records.findings import Finding
from gongshi_records.future import future_findings
from gongshi_records.model import Corpus, LazyData, Record
from gongshi_records.privacy_rules import cert_values, is_cert_field, strings
from gongshi_records.registry import Kind
from gongshi_records.validate import only_paths
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import ROOT

AS_OF = dt.date(2026, 11, 24)

Mistake = Callable[[dict[str, Any], Corpus], None]


def _unknown_officer(data: dict[str, Any], _corpus: Corpus) -> None:
    data["officers"] = ["ZF-NO-SUCH-1"]  # reference.officer, officer.count


def _before_certificates(data: dict[str, Any], _corpus: Corpus) -> None:
    data["decided_on"] = "2001-03-01"  # officer.valid


def _copied_doc_no(data: dict[str, Any], corpus: Corpus) -> None:
    data["doc_no"] = corpus.of(Kind.DECISION)[0].get("doc_no")  # doc-no.unique


def _later_doc_no(data: dict[str, Any], corpus: Corpus) -> None:
    # doc-no.unique, reported on the last decision: a record the change did not touch.
    data["doc_no"] = corpus.of(Kind.DECISION)[-1].get("doc_no")


def _unknown_power(data: dict[str, Any], _corpus: Corpus) -> None:
    data["power"] = "no-such-power"  # reference.power


def _late_review(data: dict[str, Any], _corpus: Corpus) -> None:
    data["major"] = True
    data["review"] = {"reviewed_on": "2099-01-01", "opinion": "不同意", "reviewers": ["ZF-X"]}


def _phone_as_certificate(data: dict[str, Any], _corpus: Corpus) -> None:
    data["officers"] = ["13812345678", *data.get("officers", [])[:1]]  # privacy.mobile


def _unknown_level(data: dict[str, Any], _corpus: Corpus) -> None:
    data["discretion_level"] = "不存在的阶次"  # discretion.level


def _stated_as_none(data: dict[str, Any], _corpus: Corpus) -> None:
    # statistics.zero-enforcement, on the agency's 2024 statistics (qingxi-scjgj states it had
    # no 行政强制 that year): a record the change did not touch.
    data["category"], data["decided_on"] = "行政强制", "2024-06-03"


def _future(data: dict[str, Any], _corpus: Corpus) -> None:
    data["decided_on"] = "2030-01-01"  # decision.future


MISTAKES: tuple[Mistake, ...] = (
    _unknown_officer,
    _before_certificates,
    _copied_doc_no,
    _later_doc_no,
    _unknown_power,
    _late_review,
    _phone_as_certificate,
    _unknown_level,
    _stated_as_none,
    _future,
)


@cache
def _demo() -> Corpus:
    return validate_content(ROOT / "content", cache="off").corpus


def _with_mistakes(choices: list[int | None]) -> Corpus:
    """The demo corpus with mistake ``choices[i]`` made in the i-th decision (None: left)."""
    demo = _demo()
    decisions = {r.path: i for i, r in enumerate(demo.of(Kind.DECISION))}
    records: list[Record] = []
    for record in demo.records:
        index = decisions.get(record.path)
        choice = choices[index % len(choices)] if index is not None else None
        if choice is not None:
            data = dict(record.data)
            MISTAKES[choice](data, demo)
            record = dataclasses.replace(record, data=data)
        records.append(record)
    return Corpus(demo.content_dir, demo.prefix, records)


def _all_findings(corpus: Corpus) -> list[Finding]:
    return sorted([*corpus_findings(corpus), *future_findings(corpus, AS_OF)])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    choices=st.lists(st.none() | st.sampled_from(range(len(MISTAKES))), min_size=1, max_size=12),
    picks=st.lists(st.integers(min_value=0, max_value=10_000), max_size=30),
)
def test_a_scoped_run_finds_on_its_records_what_a_full_run_finds(
    choices: list[int | None], picks: list[int]
) -> None:
    corpus = _with_mistakes(choices)
    paths = [r.path for r in corpus]
    scope = {paths[p % len(paths)] for p in picks}
    full = _all_findings(corpus)
    # Rules that judge every record anyway (cheap ones) may find outside the scope.
    assert only_paths(_all_findings(corpus.within(scope)), scope) == only_paths(full, scope)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(choices=st.lists(st.none() | st.sampled_from(range(len(MISTAKES))), min_size=1))
def test_every_finding_a_change_causes_is_found_by_the_check_of_that_change(
    choices: list[int | None],
) -> None:
    """`validate --changed-since`: the changed records and what they affect (affected_paths)
    judged, every finding the change brought is there, wherever the rule reports it."""
    before, after = _demo(), _with_mistakes(choices)
    changed = {a.path for a, b in zip(after, before, strict=True) if a.data != b.data}
    affected = affected_paths(after, changed)
    checked = set(only_paths(_all_findings(after.within(affected)), affected))
    assert set(_all_findings(after)) - set(_all_findings(before)) <= checked


def test_the_mistakes_are_found_across_records() -> None:
    """The corpus above gives the cross-record rules something to find, so the comparison can
    fail: every mistake is caught on a full run."""
    corpus = _with_mistakes(list(range(len(MISTAKES))))
    rules = {f.rule for f in _all_findings(corpus)}
    expected = {
        "reference.officer",
        "officer.count",
        "officer.valid",
        "doc-no.unique",
        "reference.power",
        "review.after-decision",
        "privacy.mobile",
        "discretion.level",
        "statistics.zero-enforcement",
        "decision.future",
    }
    assert expected <= rules


def test_certificate_values_are_the_strings_of_certificate_fields() -> None:
    """cert_values follows the schema's paths: the same strings walking every string finds."""
    for record in _with_mistakes(list(range(len(MISTAKES)))):
        walked = [(w, v) for w, v in strings(record.data) if is_cert_field(record.kind, w)]
        assert sorted(cert_values(record)) == sorted(walked), record.path


def test_validate_changed_judges_the_changed_records_and_their_referrers(tmp_path: Path) -> None:
    """validate_content(changed=…) gives the full run's findings on the affected paths."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    decision = next(content.glob("agencies/*/decisions/*/*.yaml"))
    decision.write_text(
        decision.read_text(encoding="utf-8").replace("officers: [", "officers: [ZF-NO-SUCH-9, "),
        encoding="utf-8",
    )
    full = validate_content(content, AS_OF, cache="off").findings
    shown = next(f.path for f in full if f.rule == "reference.officer")
    scoped = validate_content(content, AS_OF, cache="off", changed={shown}).findings
    assert scoped == [f for f in full if f.path == shown]
    untouched = validate_content(content, AS_OF, cache="off", changed={"content/nothing.yaml"})
    assert untouched.findings == []


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    choices=st.lists(st.none() | st.sampled_from(range(len(MISTAKES))), min_size=1, max_size=12),
    picks=st.lists(st.integers(min_value=0, max_value=10_000), max_size=30),
)
def test_the_rules_read_only_the_summary_of_a_record_they_do_not_judge(
    choices: list[int | None], picks: list[int]
) -> None:
    """`--changed-since` keeps only a summary of each decision it does not judge (the corpus
    index, corpusindex.SUMMARY_FIELDS): the scope and the findings are the same, and no rule
    needs the rest of such a decision."""
    corpus = _with_mistakes(choices)
    paths = [r.path for r in corpus]
    changed = {paths[p % len(paths)] for p in picks}
    scope = affected_paths(corpus, changed)
    loads: list[str] = []

    def summarised(record: Record) -> Record:
        fields = SUMMARY_FIELDS.get(record.kind)
        if fields is None or record.path in scope:
            return record
        data = dict(record.data)

        def load() -> dict[str, Any]:
            loads.append(record.path)
            return data

        summary = {key: data[key] for key in fields if key in data}
        return dataclasses.replace(record, data=LazyData(summary, tuple(data), load))

    lazy = Corpus(corpus.content_dir, corpus.prefix, [summarised(r) for r in corpus])
    assert affected_paths(lazy, changed) == scope
    found = only_paths(_all_findings(lazy.within(scope)), scope)
    assert found == only_paths(_all_findings(corpus.within(scope)), scope)
    assert loads == []
