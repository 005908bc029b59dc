"""libyaml's fast path under the strict loader gives exactly what the pure-Python loader gives:
the same data (types included), the same marks in the same order, or the same problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from gongshi_records.yamlfast import CParser, load_fast
from gongshi_records.yamlload import (
    Loaded,
    Mark,
    Marks,
    YamlProblem,
    load_path,
    load_pure,
    load_text,
    mark_at,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).parent.parent
FOLDERS = [ROOT / "content", ROOT / "tests" / "examples", ROOT / "tests" / "fixtures"]
FILES = sorted(p for folder in FOLDERS for p in folder.rglob("*") if p.suffix in (".yaml", ".yml"))


def typed(value: Any) -> Any:
    """``value`` with each scalar's type spelled out: True, 1 and 1.0 compare equal otherwise."""
    if isinstance(value, dict):
        return ("map", [(key, typed(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("seq", [typed(item) for item in value])
    return (type(value).__name__, value)


def outcome(load: Any, text: str) -> tuple[Any, ...]:
    try:
        loaded: Loaded = load(text)
    except YamlProblem as problem:
        return ("problem", problem.rule, problem.message, problem.line, problem.col)
    return ("loaded", typed(loaded.data), list(loaded.marks.items()))


def same_as_pure(text: str) -> bool:
    """Asserts both paths agree; True when the fast path answered by itself."""
    expected = outcome(load_pure, text)
    assert outcome(load_text, text) == expected
    fast = load_fast(text)
    if fast is None:
        return False
    assert ("loaded", typed(fast.data), list(fast.marks.items())) == expected
    return True


def test_libyaml_is_there() -> None:
    assert CParser is not None  # the pinned PyYAML wheel ships it: no silent slow builds


def test_every_yaml_file_of_the_repository_loads_the_same_both_ways() -> None:
    assert len(FILES) > 300
    fast = 0
    for path in FILES:
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            continue
        fast += same_as_pure(text)
    assert fast > 0.9 * len(FILES)  # the fast path is the common one, not the exception


# Each rule of the loader, through load_text (fast path first): (text, fast path answers).
CASES = [
    ("name: 甲\nregion: 乙\n", True),
    ("party:\n  name: 甲\nofficers:\n  - '1'\n  - \"2\"\nfacts: |\n  第一行\n", True),
    ("a: >-\n  折叠\n  文字\nb: {x: 1, y: [2, 3.5]}\nc:\n- - 1\n", True),
    ("a:\r\n  b: 1\r\n  c: |\r\n    x\r\n", True),  # Windows line ends
    ("a: no\nb: on\nc: y\nd: true\ne: FALSE\nf: ~\ng:\nh: null\n", True),  # booleans
    ("d: 2024-02-30\ne: 2024-3-5\nt: 2024-01-01 10:00:00\n", True),  # dates stay text
    ("c: 32050019001234\nd: 0512\ne: 1_000\nf: 1:20\ng: 0x1F\nh: .inf\ni: -12.50\n", True),
    ("---\na: 1\n...\n", True),
    ("name: 甲\nregion: 乙\nname: 丙\n", False),  # duplicate key
    ("party:\n  name: 甲\n  name: 乙\n", False),
    ("a: &x 1\nb: *x\n", False),  # anchor and alias
    ("a: &x [1]\n", False),  # an anchor alone
    ("a: *x\n", False),
    ("a: !!python/object/apply:os.system ['true']\n", False),
    ("a: !!float 12.5\nb: !!str 7\n", False),  # explicit tags: the pure path reads them
    ("a: !!float nan\n", False),
    ("a:\n\tb: 1\n", False),  # a tab
    ("a: x\ty\n", False),
    ("\ufeffa: 1\n", False),  # a BOM inside the text
    ("", False),  # empty
    ("# 只有注释\n", False),
    ("a: 1\n---\nb: 2\n", False),  # a second document
    ("%YAML 1.1\n---\na: 1\n", False),
    ("a: [1, 2\n", False),  # syntax errors
    ("a: b: c\n", False),
    ("a:\n  - x\n  y: 1\n", False),
    ('facts: "当事人\\0销售"\n', False),  # an escaped control character
    ('"x\\uDFFF": 1\n', False),
    ("? [a]\n: 1\n", False),  # a list as a key
    ("a: {x: }\n", False),  # an empty value in { }
    ("a: [t? rue]\n", False),
    ("just text\n", False),
    ("x: " + "[" * 800 + "\n", False),  # nesting
    ("a: [" + "1," * 20_000 + "]\n", False),  # too many values
    ("a: 1\nb:", False),  # no final line break, an empty value at the end
    ("a: 1\nb: 2", True),
]


@pytest.mark.parametrize(("text", "fast"), CASES)
def test_each_rule_through_load_text(text: str, fast: bool) -> None:
    assert same_as_pure(text) == fast


def test_control_characters_are_refused_before_either_path() -> None:
    with pytest.raises(YamlProblem) as caught:
        load_text("a: 甲\x0c\n")
    assert (caught.value.rule, caught.value.line, caught.value.col) == ("yaml.control-char", 1, 5)


def test_marks_through_the_fast_path() -> None:
    text = "party:\n  name: 甲\nofficers:\n  - '1'\n  - '2'\nfacts: |\n  第一行\n"
    loaded = load_fast(text)
    assert loaded is not None
    assert loaded.marks[("party", "name")][:4] == (2, 9, 2, 3)
    assert loaded.marks[("party",)].key_line == 1
    assert loaded.marks[("officers", 1)][:4] == (5, 5, 5, 5)
    assert loaded.marks[("facts",)].style == "|"
    assert loaded.marks[("officers", 0)].style == "'"


@pytest.mark.parametrize(
    ("raw", "rule"),
    [
        ("\ufeffname: 甲\n".encode(), None),
        ("name: 张三\n".encode("gbk"), "file.encoding"),
        (b"", "yaml.empty"),
        (b"a: 1\nb: [\n", "yaml"),
    ],
)
def test_files_through_load_path(tmp_path: Path, raw: bytes, rule: str | None) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(raw)
    try:
        got: Any = typed(load_path(path).data)
    except YamlProblem as problem:
        got = problem.rule
    assert got == (rule or typed({"name": "甲"}))


# --- Random text: record-like YAML, then the same with random damage -----------------------

WORDS = ["a", "名称", "doc_no", "1", "0512", "-3", "1.5", "true", "no", "~", "", "2024-01-01"]
WORDS += ["a:b", "a #c", "-x", "?x", ":x", "x:", "x y", "'q'", '"d"', '"e\\tf"', "[", "}", ","]
word = st.sampled_from(WORDS)
scalar = st.one_of(
    word,
    word.map(lambda w: "'" + w.replace("'", "''") + "'"),
    word.map(lambda w: '"' + w.replace("\\", "").replace('"', "") + '"'),
    st.tuples(word, st.sampled_from([" # c", "\n  cont", "\n\n  more", " "])).map("".join),
)
flow = st.recursive(
    scalar,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(st.tuples(word, inner), max_size=3).map(
            lambda kvs: "{" + ", ".join(f"{k}: {v}" for k, v in kvs) + "}"
        ),
    ),
    max_leaves=6,
)
BLOCK_SCALARS = st.sampled_from(["|", ">", "|-", ">+", "|2"])


@st.composite
def block(draw: st.DrawFn, indent: int = 0, depth: int = 0) -> str:
    pad = " " * indent
    is_list = draw(st.booleans())
    lines = []
    for _ in range(draw(st.integers(1, 3))):
        head = pad + ("- " if is_list else draw(word) + draw(st.sampled_from([":", ": ", " :"])))
        choice = draw(st.integers(0, 5 if depth < 3 else 3))
        if choice == 0:
            body = "".join(f"{pad}  {draw(word)}\n" for _ in range(draw(st.integers(0, 2))))
            lines.append(head + draw(BLOCK_SCALARS) + "\n" + body)
        elif choice == 1:
            lines.append(head + draw(flow) + "\n")
        elif choice <= 3:
            lines.append(head + draw(scalar) + "\n")
        else:
            lines.append(head.rstrip() + "\n" + draw(block(indent + 2, depth + 1)))
    return "".join(lines)


@st.composite
def damaged(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(["", "---\n", "# c\n"])) + draw(block())
    text += draw(st.sampled_from(["", "...\n", "# end", "\n"]))
    if draw(st.booleans()):
        text = text.replace("\n", draw(st.sampled_from(["\r\n", "\r"])))
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(text)))
        noise = draw(st.sampled_from(["\t", " ", "\n", ": ", "- ", "#", "'", '"', "[", "{", "? "]))
        text = text[:at] + noise + text[at + draw(st.integers(0, 2)) :]
    return text


PROPERTY = settings(
    deadline=None,
    max_examples=400,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@PROPERTY
@given(st.one_of(block(), damaged()))
def test_random_yaml_reads_the_same_both_ways(text: str) -> None:
    same_as_pure(text)


@PROPERTY
@given(st.text(st.sampled_from("ab甲 :-?[]{},#&*!|>'\"\n\t\r\ufeff%@`~01."), max_size=40))
def test_random_characters_read_the_same_both_ways(text: str) -> None:
    same_as_pure(text)


# --- Compact marks ------------------------------------------------------------------------------


def test_marks_keep_no_path_until_one_is_asked_for() -> None:
    loaded = load_text("a: 1\nb:\n  - x\n  - {c: 'y'}\n")
    assert isinstance(loaded.marks, Marks)
    assert loaded.marks._index is None  # nothing but the packed numbers so far
    assert len(loaded.marks) == 6
    assert loaded.marks[("b", 1, "c")] == Mark(4, 9, 4, 6, "'")
    assert list(loaded.marks) == [(), ("a",), ("b",), ("b", 0), ("b", 1), ("b", 1, "c")]
    assert mark_at(loaded.marks, ("b", 1, "missing")) == Mark(4, 5, 4, 5, None)


def test_marks_refuse_data_that_changed_shape() -> None:
    loaded = load_text("a: 1\nb: 2\n")
    loaded.data["c"] = 3
    with pytest.raises(ValueError, match="changed shape"):
        loaded.marks[("a",)]
    with pytest.raises(ValueError):
        Marks.of({"a": 1}, {(): Mark(1, 1, 1, 1)})
