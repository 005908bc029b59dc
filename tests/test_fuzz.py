"""Property: any input gives findings (or a string), never an exception and never a hang.

Random YAML text (with control characters, tags, anchors, deep nesting), random records shaped
like a decision or a portal (the schemas' field names, values of every type, dates outside
1949–2100, absurd amounts, 文号 variants, hostile patterns) and random Markdown are fed to the
loader, the validator (one file, and a whole copy of the mini portal with every cross-record
rule and the future-date warnings) and the Markdown renderers. Examples are derandomised with
a fixed budget and no deadline, so CI runs the same inputs every time and cannot flake.
"""

from __future__ import annotations

import datetime as dt
import shutil
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

import pytest
import yaml
from conftest import FIXTURES
from gongshi_exports.plaintext import markdown_text
from gongshi_portal.markup import render_markdown
from gongshi_records import validate_content
from gongshi_records.findings import Finding
from gongshi_records.prose import markdown_html
from gongshi_records.publication import public_view
from gongshi_records.registry import RECORD_TYPES
from gongshi_records.schema import resolve_refs, schema_for
from gongshi_records.validate import check_record_file
from gongshi_records.yamlload import YamlProblem, load_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PROPERTY = settings(
    deadline=None,
    max_examples=100,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# The loader and the renderers take a millisecond an example: many more of them.
FAST = settings(PROPERTY, max_examples=300)
# One example of anything here takes milliseconds; seconds would be a hang in the making.
SLOW = 10.0

DECISION = "agencies/demo-bureau/decisions/2026/2026-001.yaml"
EXAMPLES = Path(__file__).parent / "examples"
CONTROL = "".join(map(chr, [0, 1, 8, 11, 12, 27, 127, 0x85, 0x9B, 0xFEFF, 0x200B, 0x202E]))
CHINESE = "测市监处罚罚款没收当事人经营食品有限公司号第"

T = TypeVar("T")


def quickly(call: Callable[[], T]) -> T:
    start = time.perf_counter()
    result = call()
    assert time.perf_counter() - start < SLOW, "took too long"
    return result


# --- Random YAML text ------------------------------------------------------------------------

FRAGMENTS = [
    "a: ",
    "doc_no: ",
    "- ",
    "  ",
    "\n",
    "\t",
    "[",
    "]",
    "{",
    "}",
    ",",
    ": ",
    "? ",
    "&a ",
    "*a",
    "!!int ",
    "!!float ",
    "!!binary ",
    "!!python/object:os.system ",
    "!foo ",
    "!x!y ",
    "!!bool ",
    "!!null ",
    "!!str ",
    "|",
    ">-",
    '"',
    "'",
    "\\x00",
    "\\u202e",
    "#",
    "---",
    "...",
    "%YAML 1.1",
    "1e309",
    ".inf",
    ".nan",
    "0x1f",
    "9999-12-31",
    "0001-01-01",
    "12345678901234567890",
    "<<: ",
    "=cmd",
]
yaml_text = st.lists(
    st.one_of(
        st.sampled_from(FRAGMENTS),
        st.text(st.sampled_from(CONTROL + CHINESE + "ab01 :-[]{}\n"), max_size=8),
        st.integers(1, 400).map(lambda n: "[" * n),
        st.integers(1, 60).map(lambda n: "".join(" " * i + "k:\n" for i in range(n))),
    ),
    max_size=40,
).map("".join)


@FAST
@given(yaml_text)
def test_any_yaml_text_loads_or_is_one_located_problem(text: str) -> None:
    try:
        loaded = quickly(lambda: load_text(text))
    except YamlProblem as problem:
        assert problem.rule and problem.message and problem.line >= 1 and problem.col >= 1
        return
    for line, col in ((m.line, m.col) for m in loaded.marks.values()):
        assert line >= 1 and col >= 1


@PROPERTY
@given(yaml_text)
def test_any_yaml_file_gives_only_findings(tmp_path_factory: Any, text: str) -> None:
    path = tmp_path_factory.mktemp("yaml") / "record.yaml"
    path.write_text(text, "utf-8", errors="surrogatepass")
    assert_findings(quickly(lambda: check_record_file(path, "decision")))


# --- Random records shaped by the schemas ------------------------------------------------------

DATES = [
    "2026-04-10",
    "2026-12-31",
    "2100-12-31",
    "2101-01-01",
    "9999-12-31",
    "0001-01-01",
    "1949-01-01",
    "1948-12-31",
    "2024-02-30",
    "20240101",
    "",
]
DOC_NOS = [
    "测市监处罚〔2026〕1号",
    "测市监处罚［２０２６］１号",
    "测市监处罚〘2026〙01号",
    "测市监处罚〔2026〕第1号",
    "测市监处罚〔2026〕1号\u200b",
    "〔2026〕" + "0" * 300,
    "",
]
PATTERNS = ["(a+)+$", "(" * 600, "a{99999999999}", "^[0-9]+$", "(a|ab)*$", "[", ""]
leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**16), 10**16),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(st.sampled_from(CONTROL[3:] + CHINESE + "abc012 -*[]#\n"), max_size=30),
    st.sampled_from(DATES + DOC_NOS + PATTERNS),
)


def shaped(root: Mapping[str, Any], node: Mapping[str, Any], depth: int = 0) -> Any:
    """Values that mostly look like what the field wants, sometimes anything at all."""
    node = resolve_refs(root, node)
    typed: Any = leaf
    if isinstance(node.get("properties"), Mapping) and depth < 3:
        fields = {k: shaped(root, v, depth + 1) for k, v in node["properties"].items()}
        typed = st.fixed_dictionaries({}, optional=fields)
    elif node.get("type") == "array" and isinstance(node.get("items"), Mapping):
        typed = st.lists(shaped(root, node["items"], depth + 1), max_size=3)
    elif isinstance(node.get("enum"), list):
        typed = st.sampled_from(node["enum"])
    elif node.get("format") == "date":
        typed = st.sampled_from(DATES)
    elif node.get("format") == "regex":
        typed = st.sampled_from(PATTERNS)
    elif node.get("type") in ("number", "integer"):
        typed = st.one_of(st.integers(-5, 10**15), st.sampled_from([0.01, 1860.37, 1e14]))
    return st.one_of(typed, typed, leaf)


def records(kind: str, base: Mapping[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """``base`` (a valid record) with some fields replaced, some dropped, some added."""
    root = schema_for(kind)
    fields = {k: shaped(root, v) for k, v in root["properties"].items()}

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        data = dict(base)
        for key in draw(st.sets(st.sampled_from(sorted(base)), max_size=3)):
            data.pop(key)
        data.update(draw(st.fixed_dictionaries({}, optional=fields)))
        data.update(draw(st.dictionaries(st.sampled_from(["x", "备注", "Doc_no"]), leaf)))
        return data

    return build()


def fixture_data(relative: str) -> dict[str, Any]:
    data: dict[str, Any] = load_text((FIXTURES / "mini" / relative).read_text("utf-8")).data
    return data


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One copy of the mini portal for the whole module; each example rewrites one file."""
    content = tmp_path_factory.mktemp("fuzz") / "content"
    shutil.copytree(FIXTURES / "mini", content)
    yield content


def assert_findings(found: object) -> None:
    assert isinstance(found, list)
    assert all(isinstance(f, Finding) and f.line >= 1 and f.col >= 1 for f in found)


def validate_with(content: Path, relative: str, data: Mapping[str, Any]) -> None:
    target = content / relative
    original = target.read_bytes()
    target.write_text(yaml.safe_dump(dict(data), allow_unicode=True), "utf-8")
    try:
        validation = quickly(lambda: validate_content(content, dt.date(2026, 11, 24)))
        assert_findings(validation.findings)
        quickly(lambda: public_view(validation.corpus, dt.date(2026, 11, 24)))
    finally:
        target.write_bytes(original)


@PROPERTY
@given(records("decision", fixture_data(DECISION)))
def test_any_decision_gives_only_findings(portal: Path, data: dict[str, Any]) -> None:
    validate_with(portal, DECISION, data)


@PROPERTY
@given(records("portal", fixture_data("portal.yaml")))
def test_any_portal_settings_give_only_findings(portal: Path, data: dict[str, Any]) -> None:
    validate_with(portal, "portal.yaml", data)


OFFICER = "agencies/demo-bureau/officers/33029900000001.yaml"


@PROPERTY
@given(records("officer", fixture_data(OFFICER)))
def test_any_officer_gives_only_findings(portal: Path, data: dict[str, Any]) -> None:
    validate_with(portal, OFFICER, data)


AGENCY = "agencies/demo-bureau/agency.yaml"


@PROPERTY
@given(records("agency", fixture_data(AGENCY)))
def test_any_agency_gives_only_findings(portal: Path, data: dict[str, Any]) -> None:
    validate_with(portal, AGENCY, data)


# Every other record type, from its first valid example, placed where its layout says.
OTHER_KINDS = sorted(
    str(k) for k in RECORD_TYPES if k not in ("decision", "portal", "officer", "agency")
)
FEW = settings(PROPERTY, max_examples=15)


def example_record(kind: str) -> tuple[str, dict[str, Any]]:
    example = sorted((EXAMPLES / kind / "valid").glob("*.yaml"))[0]
    record_type = RECORD_TYPES[kind]
    parts = {"agency": "demo-bureau", "year": "2026", "id": example.stem}
    wanted = {k: v for k, v in parts.items() if f"{{{k}}}" in record_type.layout}
    return record_type.path_for(**wanted), load_text(example.read_text("utf-8")).data


@pytest.mark.parametrize("kind", OTHER_KINDS)
def test_any_record_of_any_type_gives_only_findings(portal: Path, kind: str) -> None:
    relative, base = example_record(kind)
    target = portal / relative
    assert not target.exists()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(base, allow_unicode=True), "utf-8")

    @FEW
    @given(records(kind, base))
    def check(data: dict[str, Any]) -> None:
        validate_with(portal, relative, data)

    try:
        check()
    finally:
        target.unlink()


# --- Random Markdown ---------------------------------------------------------------------------

MARKDOWN = [
    "- ",
    "* ",
    "1. ",
    "> ",
    "    ",
    "\t",
    "\n",
    "\n\n",
    "[",
    "]",
    "(",
    ")",
    "![",
    "<![x]>",
    "<!--",
    "-->",
    "<script>",
    "<a href='javascript:x'>",
    "`",
    "```",
    "**",
    "_",
    "|",
    "---",
    "#",
    "&#0;",
    "&",
    "<",
    "\\",
    "[a]: http://x\n",
    "<?xml",
    "<!DOCTYPE",
    "]]>",
]
markdown_source = st.lists(
    st.one_of(
        st.sampled_from(MARKDOWN),
        st.text(st.sampled_from(CONTROL + CHINESE + "ab "), max_size=6),
        st.integers(1, 300).map(lambda n: "".join("  " * i + "- x\n" for i in range(n))),
        st.integers(1, 300).map(lambda n: "[" * n),
    ),
    max_size=40,
).map("".join)


@FAST
@given(markdown_source)
def test_any_markdown_renders_to_a_string(source: str) -> None:
    assert isinstance(quickly(lambda: markdown_html(source)), str)
    assert isinstance(quickly(lambda: str(render_markdown(source))), str)
    assert isinstance(quickly(lambda: markdown_text(source)), str)
