"""Hostile content gives findings, never a traceback or a hang (issue 11, item 6).

Each case here crashed `gongshi validate` or `gongshi build`, hung validation, or was silently
accepted before: control characters, explicit YAML tags, deep nesting, dates outside
1949–2100, absurd amounts, an unsafe `cert_no_pattern`, duplicate 文号 typed differently, and
records dated after the build's date.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result, write
from gongshi_records import validate_content
from gongshi_records.findings import Finding
from gongshi_records.identifiers import normalise_doc_no
from gongshi_records.patterns import MAX_SUBJECT, pattern_problem, safe_fullmatch, safe_pattern
from gongshi_records.publication import Status, public_view
from gongshi_records.validate import check_record_file
from gongshi_records.yamlload import YamlProblem, load_text
from test_rules import DECISION, OFFICER, edit

Run = Callable[..., Result]
WITHDRAWN = "agencies/demo-bureau/decisions/2025/2025-007.yaml"
GONGSHI = Path(sys.executable).with_name("gongshi")


def found(content: Path, as_of: dt.date | None = None) -> list[Finding]:
    return validate_content(content, as_of).findings


def rules_at(content: Path, name: str) -> set[tuple[str, str, int]]:
    return {(f.severity, f.rule, f.line) for f in found(content) if f.path.endswith(name)}


def problem(text: str) -> YamlProblem:
    with pytest.raises(YamlProblem) as caught:
        load_text(text)
    return caught.value


# --- YAML: control characters ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("char", "name"),
    [
        ("\x00", "U+0000（NUL"),
        ("\x0c", "U+000C（换页符"),
        ("\x7f", "U+007F（DEL"),
        ("\x1b", "U+001B（ESC"),
        ("\x85", "U+0085（NEL"),
        ("\x9b", "U+009B（控制字符"),
        ("\x0b", "U+000B（垂直制表符"),
    ],
)
def test_a_control_character_is_a_finding_at_its_place(char: str, name: str) -> None:
    err = problem(f"doc_no: 甲\nfacts: 当事人{char}销售\n")
    assert (err.rule, err.line, err.col) == ("yaml.control-char", 2, 11)
    assert name in err.message and "删除从 Word 粘贴带入的不可见控制字符" in err.message


def test_an_escaped_control_character_is_a_finding_too() -> None:
    err = problem('facts: "当事人\\0销售"\n')
    assert (err.rule, err.line) == ("yaml.control-char", 1)
    assert "U+0000" in err.message


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('violation: "经营\\uD800食品"\n', 1),
        ('a: 1\n"x\\uDFFF": 1\n', 2),  # as a key: once crashed validate's own printing
        ('a:\n  "\\0": 1\n', 2),
    ],
)
def test_an_escaped_surrogate_or_control_in_a_value_or_key_is_a_finding(
    text: str, line: int
) -> None:
    err = problem(text)
    assert (err.rule, err.line) == ("yaml.control-char", line)
    assert "删除这个转义" in err.message


def test_a_lone_surrogate_is_named_as_one() -> None:
    assert "U+D800（孤立的代理码位" in problem('v: "\\uD800"\n').message


def test_a_surrogate_key_in_validate_is_a_finding(mini: Path, gongshi: Run) -> None:
    edit(mini, DECISION, "violation: 经营超过保质期的食品", '"x\\uD800": 1')
    result = gongshi("validate", "--content", str(mini))
    assert result.code == 1 and "[yaml.control-char]" in result.out and "U+D800" in result.out


def test_tabs_newlines_and_crlf_are_not_control_characters() -> None:
    assert load_text("a: 甲\r\nb: |\r\n  x\ty\r\n").data == {"a": "甲", "b": "x\ty\n"}


def test_nul_in_a_record_keeps_every_other_finding(mini: Path, gongshi: Run) -> None:
    edit(mini, DECISION, "violation: 经营超过保质期的食品", "violation: 经营\x00超过保质期的食品")
    edit(mini, OFFICER, "valid_until: 2027-12-31", "valid_until: 2027-12-32")
    result = gongshi("validate", "--content", str(mini))
    assert result.code == 1
    assert "[yaml.control-char]" in result.out and "U+0000" in result.out
    assert "33029900000001.yaml:7" in result.out  # the other file's finding is still there


# --- YAML: explicit tags ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "!!int abc",
        "!!float .inf",
        "!!float 1e309",
        "!!binary aGVsbG8=",
        "!!python/object/apply:os.system ['true']",
        "!!python/name:os.system",
        "!foo bar",
        "!x!y bar",
        "!!bool yes",
        "!!null text",
        "!!timestamp 2024-01-01",
        "!!set {a: null}",
    ],
)
def test_an_explicit_tag_is_a_finding(value: str) -> None:
    err = problem(f"doc_no: 甲\nviolation: {value}\n")
    assert (err.rule, err.line, err.col) == ("yaml.tag", 2, 12)


def test_a_tag_in_a_record_is_a_finding_not_a_crash(mini: Path) -> None:
    edit(mini, DECISION, "violation: 经营超过保质期的食品", "violation: !!binary aGVsbG8=")
    assert ("error", "yaml.tag", 8) in rules_at(mini, "2026-001.yaml")


# --- YAML: nesting and size ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "x: " + "[" * 800,
        "x: " + "{" * 800,
        "[" * 800 + "]" * 800,
        "- " * 900 + "x\n",
        "".join(" " * i + f"k{i}:\n" for i in range(800)) + " " * 800 + "v\n",
        "x: " + "[" * 999_000,
    ],
    ids=["flow-seq", "flow-map", "closed", "block-seq", "block-map", "megabyte"],
)
def test_deep_nesting_is_a_finding_and_quick(text: str) -> None:
    start = time.perf_counter()
    assert problem(text).rule == "yaml.nesting"
    assert time.perf_counter() - start < 5


def test_a_record_of_a_million_values_is_refused_quickly() -> None:
    start = time.perf_counter()
    assert problem("a: [" + "1," * 400_000 + "]\n").rule == "file.too-large"
    assert time.perf_counter() - start < 5


def test_deep_nesting_in_validate_is_a_finding(mini: Path, gongshi: Run) -> None:
    write(mini / DECISION, "x: " + "[" * 800 + "\n")
    result = gongshi("validate", "--content", str(mini))
    assert result.code == 1 and "[yaml.nesting]" in result.out


# --- Dates outside 1949–2100 and absurd amounts ---------------------------------------------


def test_year_9999_is_a_finding_and_the_build_stops_cleanly(
    mini: Path, gongshi: Run, tmp_path: Path
) -> None:
    edit(mini, DECISION, "decided_on: 2026-04-10", "decided_on: 9999-12-31")
    assert ("error", "date.range", 16) in rules_at(mini, "2026-001.yaml")
    out = tmp_path / "site"
    result = gongshi("build", "--content", str(mini), "--output", str(out), "--as-of", "2026-11-24")
    assert result.code == 1 and "[date.range]" in result.out and not out.exists()


@pytest.mark.parametrize(
    ("relative", "old", "new", "line"),
    [
        (OFFICER, "valid_from: 2022-01-01", "valid_from: 0001-01-01", 6),
        (OFFICER, "valid_until: 2027-12-31", "valid_until: 9999-12-31", 7),
        (DECISION, "reviewed_on: 2026-04-08", "reviewed_on: 1900-04-08", 19),
        (WITHDRAWN, "occurred_on: 2025-09-01", "occurred_on: 2101-01-01", 19),
        ("portal.yaml", "publisher:", "settings: {grades_from: 9999-12-31}\npublisher:", 3),
    ],
    ids=["valid-from", "valid-until", "reviewed-on", "occurred-on", "setting"],
)
def test_every_date_field_is_bounded(
    mini: Path, relative: str, old: str, new: str, line: int
) -> None:
    edit(mini, relative, old, new)
    name = relative.rsplit("/", 1)[-1]
    assert ("error", "date.range", line) in rules_at(mini, name)


LICENCE = """doc_no: 测市监许可〔2026〕3号
category: 行政许可
party: {name: 东江市测试区青禾食品有限公司, kind: 法人及非法人组织, credit_code: 91330299MA2B3C4D59}
content: 准予食品经营许可。
decided_on: 2026-04-10
officers: ["33029900000001"]
license:
  doc_name: 准予行政许可决定书
  outcome: 准予
  kind: 普通
  certificate_name: 食品经营许可证
  certificate_no: JY13302990000358
  valid_from: 2026-04-10
"""


def test_an_open_end_is_written_by_leaving_it_out(mini: Path, gongshi: Run, tmp_path: Path) -> None:
    write(mini / "agencies/demo-bureau/decisions/2026/2026-003.yaml", LICENCE)
    assert found(mini) == []
    out = tmp_path / "site"
    argv = ("build", "--content", str(mini), "--output", str(out), "--as-of", "2026-11-24")
    assert gongshi(*argv).code == 0
    page = (out / "agencies/demo-bureau/decisions/2026/2026-003.html").read_text("utf-8")
    assert "2026年4月10日 至 长期" in page


def test_the_last_allowed_year_is_computed_with(mini: Path, gongshi: Run, tmp_path: Path) -> None:
    for officer in (mini / "agencies/demo-bureau/officers").glob("*.yaml"):
        officer.write_text(
            re.sub(r"valid_until: .*", "valid_until: 2100-12-31", officer.read_text("utf-8")),
            "utf-8",
        )
    edit(mini, DECISION, "decided_on: 2026-04-10", "decided_on: 2100-12-31")
    edit(mini, DECISION, "reviewed_on: 2026-04-08", "reviewed_on: 2100-12-30")
    moved = mini / "agencies/demo-bureau/decisions/2100/2026-001.yaml"
    moved.parent.mkdir()
    (mini / DECISION).rename(moved)
    assert found(mini) == []
    out = tmp_path / "site"
    argv = ("build", "--content", str(mini), "--output", str(out), "--as-of", "2100-12-31")
    assert gongshi(*argv).code == 0  # publicity until 2103: no year arithmetic overflows


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("fine: 50000", "fine: 50000000000000"),  # 14 digits: read as text, still named
        ("fine: 50000", "fine: !!int 500000000000"),
        ("confiscated: 120", "confiscated: !!float 1e14"),
    ],
)
def test_an_absurd_amount_is_a_finding(mini: Path, old: str, new: str) -> None:
    edit(mini, DECISION, old, new)
    assert ("error", "amount.range", 13) in rules_at(mini, "2026-001.yaml")


def test_a_real_large_fine_is_not_refused(mini: Path) -> None:
    edit(mini, DECISION, "fine: 50000", "fine: 18228000000")  # the largest on record (2021)
    assert not any(f.rule == "amount.range" for f in found(mini))


def test_an_absurd_amount_in_settings_is_a_finding(mini: Path) -> None:
    edit(mini, "portal.yaml", "publisher:", "settings: {huge_fine: !!int 900000000000}\npublisher:")
    assert ("error", "amount.range", 3) in rules_at(mini, "portal.yaml")


# --- Regular expressions from content --------------------------------------------------------


@pytest.mark.parametrize(
    "pattern",
    ["(a+)+$", "^(a|ab)*$", "(.*a){20}", r"^(\w+\s?)*$", r"(a)\1", "^.*.*.*.*x$", "x" * 201],
)
def test_unsafe_patterns_are_refused(pattern: str) -> None:
    assert pattern_problem(pattern) is not None
    assert safe_pattern(pattern) is None


@pytest.mark.parametrize(
    "pattern", [r"^3211[0-9]{10}$", r"^(3302|3301)\d{10}$", r"^[A-Z]{2}-?\d{8,10}$", "^.*$"]
)
def test_ordinary_patterns_are_accepted(pattern: str) -> None:
    assert pattern_problem(pattern) is None


def test_a_long_subject_never_reaches_the_matcher() -> None:
    compiled = safe_pattern(r"^[a-z0-9]*$")
    assert compiled is not None
    assert safe_fullmatch(compiled, "a" * MAX_SUBJECT)
    assert not safe_fullmatch(compiled, "a" * (MAX_SUBJECT + 1))


@pytest.mark.parametrize(
    "pattern", ["(a+)+$", "(" * 600, "a{99999999999}"], ids=["redos", "nested", "overflow"]
)
def test_a_hostile_cert_no_pattern_is_a_finding_within_seconds(mini: Path, pattern: str) -> None:
    """A separate process with a time limit: a hang fails the test instead of the suite."""
    edit(mini, "portal.yaml", "publisher:", f"cert_no_pattern: {json.dumps(pattern)}\npublisher:")
    cert = "a" * 40 + "-"  # the subject on which (a+)+$ backtracks for ever
    write(
        mini / f"agencies/demo-bureau/officers/{cert}.yaml",
        (mini / OFFICER).read_text("utf-8").replace('"33029900000001"', f'"{cert}"'),
    )
    run = subprocess.run(
        [str(GONGSHI), "validate", "--content", str(mini), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "Traceback" not in run.stderr, run.stderr[-2000:]
    rules = {(f["rule"], f["line"]) for f in json.loads(run.stdout) if "portal" in f["path"]}
    assert rules & {("setting.pattern", 3), ("cert_no_pattern", 3)}


# --- Duplicate 文号 however typed ------------------------------------------------------------


@pytest.mark.parametrize(
    "variant",
    [
        "测市监处罚［２０２６］１号",
        "测市监处罚〘2026〙1号",
        "测市监处罚〔2026〕01号",
        "测市监处罚〔2026〕第1号",
        "测市监处罚〔2026〕1号\u200b",
        " 测市监处罚〔2026〕1号 ",
        "测市监处罚（2026）1号",
        "测市监处罚〔２０２６〕００１号",
    ],
)
def test_a_duplicate_doc_no_is_found_however_typed(mini: Path, variant: str) -> None:
    edit(mini, WITHDRAWN, "doc_no: 测市监处罚〔2025〕7号", f"doc_no: {json.dumps(variant)}")
    duplicates = [f for f in found(mini) if f.rule == "doc-no.unique"]
    assert len(duplicates) == 1
    both = duplicates[0].path + duplicates[0].message
    assert "2025-007.yaml" in both and "2026-001.yaml" in both


def test_normalised_doc_no() -> None:
    assert normalise_doc_no("吴市监处罚［２０２４］第０１２号 ") == "吴市监处罚〔2024〕12号"
    assert normalise_doc_no("吴市监处罚〔2024〕0号") == "吴市监处罚〔2024〕0号"
    assert normalise_doc_no("吴市监处罚〔2024〕10号") == "吴市监处罚〔2024〕10号"
    start = time.perf_counter()
    normalise_doc_no("〔2024〕" + "0" * 200_000)  # no 号: fails at once, no backtracking
    assert time.perf_counter() - start < 1


def test_a_non_standard_spelling_is_a_format_warning(mini: Path) -> None:
    edit(mini, DECISION, "doc_no: 测市监处罚〔2026〕1号", "doc_no: 测市监处罚〔2026〕01号")
    assert ("warning", "doc-no.format", 1) in rules_at(mini, "2026-001.yaml")


# --- Records dated after the build's date ----------------------------------------------------

FUTURE_DOC_NO = "测市监处罚〔2026〕1号"
WITHDRAWN_FACTS = "撤回专用事实文本"
WITHDRAWN_REASON = "撤回说明专用文本：复议撤销。"


def _texts(output: Path) -> str:
    """Every file of a site, as written and with JSON's \\u escapes undone."""
    parts = []
    for path in sorted(output.rglob("*")):
        if path.is_file():
            text = path.read_text("utf-8", errors="replace")
            parts.append(text)
            if path.suffix == ".json":
                parts.append(json.dumps(json.loads(text), ensure_ascii=False))
    return "\n".join(parts)


def test_future_records_are_held_back_until_their_date(
    mini: Path, gongshi: Run, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    edit(mini, DECISION, "decided_on: 2026-04-10", "decided_on: 2026-12-20")
    edit(mini, WITHDRAWN, "occurred_on: 2025-09-01", "occurred_on: 2026-12-01")
    edit(mini, WITHDRAWN, "reason: 经行政复议，原处罚决定被撤销。", f"reason: {WITHDRAWN_REASON}")
    before, after = tmp_path / "before", tmp_path / "after"
    with caplog.at_level(logging.WARNING):
        argv = ("build", "--content", str(mini), "--output", str(before), "--as-of", "2026-11-24")
        assert gongshi(*argv).code == 0
    assert "[decision.future]" in caplog.text and "[withdrawal.future]" in caplog.text
    argv = ("build", "--content", str(mini), "--output", str(after), "--as-of", "2026-12-20")
    assert gongshi(*argv).code == 0
    early, late = _texts(before), _texts(after)
    # The decision dated 2026-12-20: in no page, list, search shard, feed, data file, sitemap
    # or statistics row before its day; everywhere on it.
    for text, present in ((early, False), (late, True)):
        assert (FUTURE_DOC_NO in text) is present
        assert ("2026-001" in text) is present
        assert ("东江市测试区青禾食品有限公司" in text) is present
    assert "2026,demo-bureau" not in (before / "data/statistics.csv").read_text("utf-8-sig")
    assert "2026,demo-bureau" in (after / "data/statistics.csv").read_text("utf-8-sig")
    # The withdrawal of 2026-12-01: before it the decision is published as it was, counted as
    # not withdrawn; from it only the notice remains.
    assert WITHDRAWN_FACTS in early and WITHDRAWN_REASON not in early
    assert WITHDRAWN_FACTS not in late and WITHDRAWN_REASON in late
    stats = (before / "data/statistics.csv").read_text("utf-8-sig")
    assert "2025,demo-bureau,行政处罚,2,0," in stats


def test_validate_warns_about_future_records_as_of_today_or_a_given_date(
    mini: Path, gongshi: Run
) -> None:
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    edit(mini, DECISION, "decided_on: 2026-04-10", f"decided_on: {tomorrow}")
    edit(mini, DECISION, "reviewed_on: 2026-04-08", f"reviewed_on: {dt.date.today()}")
    result = gongshi("validate", "--content", str(mini))
    assert result.code == 0 and "[decision.future]" in result.out  # a warning
    later = (tomorrow + dt.timedelta(days=1)).isoformat()
    assert (
        "[decision.future]" not in gongshi("validate", "--content", str(mini), "--as-of", later).out
    )


def test_public_view_of_future_records(mini: Path) -> None:
    edit(mini, WITHDRAWN, "occurred_on: 2025-09-01", "occurred_on: 2026-12-01")
    corpus = validate_content(mini).corpus
    early = public_view(corpus, dt.date(2026, 3, 1))  # before 2026-001's date (2026-04-10)
    assert [d.record.place.id for d in early.published] == ["2025-007"]
    assert early.withdrawn == []
    late = public_view(corpus, dt.date(2026, 12, 1))
    assert [d.record.place.id for d in late.withdrawn] == ["2025-007"]
    assert [d.status for d in late.published] == [Status.PUBLISHED]


@pytest.mark.parametrize(
    "argv", [("deadline", "9999-12-31", "7"), ("validate", "--as-of", "0001-01-01")]
)
def test_a_date_argument_outside_the_years_is_a_usage_error(
    gongshi: Run, argv: tuple[str, ...]
) -> None:
    result = gongshi(*argv)
    assert result.code == 2 and "1949—2100" in result.err


@pytest.mark.parametrize(
    "text",
    [
        "nodes: null\nedges: 5\n",
        "nodes:\n  - {id: [a], kind: start}\n  - {id: {x: 1}}\n"
        "edges:\n  - {from: [a], to: {x: 1}}\n",
    ],
)
def test_a_malformed_flowchart_is_findings(tmp_path: Path, text: str) -> None:
    path = write(tmp_path / "flow.yaml", "name: 流程\n" + text)
    assert check_record_file(path, "flowchart")  # schema findings, no TypeError


def test_hostile_markdown_in_a_record_builds_quickly(
    mini: Path, gongshi: Run, tmp_path: Path
) -> None:
    deep = "".join("  " * i + "- 层\n" for i in range(400))
    facts = "facts: |\n" + "".join(
        f"  {line}\n" for line in (deep + "<![x]>\n\n" + "[" * 5000 + "\n").splitlines()
    )
    edit(
        mini,
        DECISION,
        "facts: |\n  当事人于2026年3月在其经营场所销售超过保质期的饼干12包。\n",
        facts,
    )
    assert found(mini) == []
    out = tmp_path / "site"
    start = time.perf_counter()
    argv = ("build", "--content", str(mini), "--output", str(out), "--as-of", "2026-11-24")
    assert gongshi(*argv).code == 0
    assert time.perf_counter() - start < 60
    page = (out / "agencies/demo-bureau/decisions/2026/2026-001.html").read_text("utf-8")
    assert "[[[[" in page and "&lt;![x]&gt;" in page
