"""The strict YAML loader: each trap a clerk can fall into, and the line it is reported on."""

from __future__ import annotations

from pathlib import Path

import pytest
from gongshi_records.yamlload import YamlProblem, load_path, load_text


def problem(text: str) -> YamlProblem:
    with pytest.raises(YamlProblem) as caught:
        load_text(text)
    return caught.value


def test_duplicate_key_points_at_second_occurrence() -> None:
    err = problem("name: 甲\nregion: 乙\nname: 丙\n")
    assert (err.rule, err.line, err.col) == ("yaml.duplicate-key", 3, 1)
    assert "第 1 行" in err.message


def test_nested_duplicate_key() -> None:
    err = problem("party:\n  name: 甲\n  name: 乙\n")
    assert (err.rule, err.line) == ("yaml.duplicate-key", 3)


@pytest.mark.parametrize("text", ["a: &x 1\nb: *x\n", "a: &x [1]\n", "a: *x\n"])
def test_anchors_and_aliases_are_refused(text: str) -> None:
    assert problem(text).rule in ("yaml.alias", "yaml")


def test_alias_bomb_is_refused_before_expansion() -> None:
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\n"
    err = problem(bomb)
    assert (err.rule, err.line) == ("yaml.alias", 1)


@pytest.mark.parametrize("word", ["no", "on", "off", "yes", "y", "n", "No", "ON"])
def test_only_true_and_false_are_booleans(word: str) -> None:
    assert load_text(f"a: {word}\n").data == {"a": word}


def test_true_false_are_booleans() -> None:
    assert load_text("a: true\nb: false\n").data == {"a": True, "b": False}


@pytest.mark.parametrize("day", ["2024-02-30", "2024-03-05", "2024-3-5"])
def test_dates_stay_strings(day: str) -> None:
    assert load_text(f"d: {day}\n").data == {"d": day}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("c: 32050019001234", "32050019001234"),  # certificate numbers stay text
        ("c: 0512", "0512"),  # leading zero: not octal, not a number
        ("c: 5000", 5000),
        ("c: 12.5", 12.5),
        ("c: 1_000", "1_000"),
        ("c: 1:20", "1:20"),  # no sexagesimal numbers
        ("c: 0x1F", "0x1F"),
        ("c: .inf", ".inf"),
        ("c: ~", None),
    ],
)
def test_scalars(text: str, value: object) -> None:
    assert load_text(text).data == {"c": value}


def test_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes("\ufeffname: 甲\n".encode())
    assert load_path(path).data == {"name": "甲"}


def test_gbk_file_is_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes("name: 张三\n".encode("gbk"))
    with pytest.raises(YamlProblem) as caught:
        load_path(path)
    assert caught.value.rule == "file.encoding"
    assert "UTF-8" in caught.value.message


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("a: " + "x" * 200 + "\n", encoding="utf-8")
    with pytest.raises(YamlProblem) as caught:
        load_path(path, max_bytes=100)
    assert caught.value.rule == "file.too-large"


def test_empty_file() -> None:
    assert problem("").rule == "yaml.empty"
    assert problem("# 只有注释\n").rule == "yaml.empty"


def test_tab_indentation_is_explained() -> None:
    err = problem("a:\n\tb: 1\n")
    assert (err.rule, err.line) == ("yaml", 2)
    assert "Tab" in err.message


def test_python_tags_are_refused() -> None:
    assert problem("a: !!python/object/apply:os.system ['true']\n").rule == "yaml.tag"


def test_marks_for_values_and_keys() -> None:
    loaded = load_text("party:\n  name: 甲\nofficers:\n  - '1'\n  - '2'\nfacts: |\n  第一行\n")
    assert loaded.marks[("party", "name")].line == 2
    assert loaded.marks[("party", "name")].col == 9
    assert loaded.marks[("party",)].key_line == 1
    assert loaded.marks[("officers", 1)].line == 5
    assert loaded.marks[("facts",)].style == "|"


@pytest.mark.parametrize(
    "value", ["!!float nan", "!!float .inf", "!!float -.inf", "!!int 0x1f", "!!int " + "9" * 40]
)
def test_explicit_numbers_no_rule_could_compare_are_refused(value: str) -> None:
    # NaN compares false with everything and a 40-digit int overflows dates: refused at load.
    with pytest.raises(YamlProblem, match="无法使用") as problem:
        load_text(f"fine: {value}\n")
    assert (problem.value.line, problem.value.col) == (1, 7)


def test_explicit_numbers_in_range_still_load() -> None:
    assert load_text("a: !!float 12.5\nb: !!int 7\n").data == {"a": 12.5, "b": 7}
