"""Spreadsheet formula injection (issue 11, item 7): text a spreadsheet would run as a formula.

Content is untrusted, so the public ``data/*.csv`` and the clerk's register never hand a
spreadsheet a text cell starting with ``= + - @``, a tab or a carriage return: CSV cells get a
leading ``'`` (OWASP), reversible exactly; XLSX cells are typed as text, never formulas; JSON
keeps the values as recorded; typed (number, date, boolean) columns are untouched.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import frictionless
import openpyxl
import pytest
from conftest import FIXTURES, Result, write
from gongshi_exports import TABLES, write_open_data
from gongshi_records import validate_content
from gongshi_records.findings import has_errors
from gongshi_records.publication import public_view
from gongshi_records.spreadsheet import FORMULA_START, neutralise, restore
from gongshi_records.yamlload import load_path

AS_OF = dt.date(2026, 11, 24)
AGENCY = "agencies/demo-bureau"
Run = Callable[..., Result]

AGENCY_NAME = "+SUM(1,1)"
PARTY = "=cmd|' /C calc'!A0"
VIOLATION = "@x"
UNIT = "-1+1"
ADDRESS = "\t=1+1"
POWER_NAME = "-2+3"
INSPECTED = "@SUM(A1)"
HOSTILE = (AGENCY_NAME, PARTY, VIOLATION, UNIT, ADDRESS, POWER_NAME, INSPECTED)

POWER = f"""\
code: XK-001
name: "{POWER_NAME}"
category: 行政许可
basis:
  - law: 《中华人民共和国食品安全法》
    article: 第三十五条
handling_unit: 行政审批科
"""

INSPECTION = f"""\
title: 2026年度食品销售者双随机抽查
year: 2026
subject: 东江市测试区市场监督管理局
basis:
  - law: 《中华人民共和国食品安全法》
    article: 第一百一十条
objects: 辖区内食品销售者
content: 进货查验记录、食品贮存条件
ratio: "5%"
method: 现场检查
frequency: 每年1次
results:
  - party: {{name: "{INSPECTED}", credit_code: 91330299MA2Q8R6T1U}}
    checked_on: 2026-03-20
    outcome: 未发现问题
"""


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def hostile(content: Path) -> None:
    """The mini portal with formula-like text in an agency, a decision and an officer."""
    bureau = content / AGENCY
    _replace(bureau / "agency.yaml", "name: 东江市测试区市场监督管理局", f"name: '{AGENCY_NAME}'")
    _replace(bureau / "agency.yaml", "address: 东江市测试区政务路1号", 'address: "\\t=1+1"')
    decision = bureau / "decisions/2026/2026-001.yaml"
    _replace(decision, "name: 东江市测试区青禾食品有限公司", f'name: "{PARTY}"')
    _replace(decision, "violation: 经营超过保质期的食品", f"violation: '{VIOLATION}'")
    officer = bureau / "officers/33029900000001.yaml"
    officer.write_text(officer.read_text("utf-8") + f'unit: "{UNIT}"\n', encoding="utf-8")
    write(bureau / "powers/XK-001.yaml", POWER)
    write(bureau / "inspections/2026-food-sales.yaml", INSPECTION)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", content)
    hostile(content)
    validation = validate_content(content)
    assert not has_errors(validation.findings), [f.text() for f in validation.findings]
    corpus = validation.corpus
    write_open_data(tmp_path / "site", corpus, public_view(corpus, AS_OF))
    return tmp_path / "site/data"


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def read_json(path: Path) -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = json.loads(path.read_text("utf-8"))
    return loaded


def resources(data: Path) -> list[dict[str, Any]]:
    package: dict[str, Any] = json.loads((data / "datapackage.json").read_text("utf-8"))
    found: list[dict[str, Any]] = package["resources"]
    return found


# --- the rule ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+SUM(1,1)", "'+SUM(1,1)"),
        ("-1+1", "'-1+1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=x", "''=x"),  # a quote already there is kept: the reader removes only ours
        ("'abc", "'abc"),
        ("abc", "abc"),
        ("a=b", "a=b"),
        ("", ""),
        ("'", "'"),
    ],
)
def test_neutralise_prefixes_formula_starts_and_restore_undoes_it(value: str, written: str) -> None:
    assert neutralise(value) == written
    assert restore(written) == value
    assert written[:1] not in FORMULA_START or written == ""


# --- the public data/*.csv ---------------------------------------------------------------------


def test_public_csv_text_cells_start_with_a_quote(data: Path) -> None:
    agencies = read_csv(data / "agencies.csv")
    assert agencies[0]["name"] == "'+SUM(1,1)"
    assert agencies[0]["address"] == "'\t=1+1"
    officers = read_csv(data / "officers.csv")
    assert officers and all(row["agency_name"] == "'+SUM(1,1)" for row in officers)
    assert {row["unit"] for row in officers} >= {"'-1+1"}
    assert [row["name"] for row in read_csv(data / "powers.csv")] == ["'-2+3"]
    assert [row["party_name"] for row in read_csv(data / "inspections.csv")] == ["'@SUM(A1)"]
    decision = next(r for r in read_csv(data / "decisions.csv") if r["party_name"].startswith("'"))
    assert decision["party_name"] == "'=cmd|' /C calc'!A0"
    assert decision["violation"] == "'@x"
    assert decision["agency_name"] == "'+SUM(1,1)"
    # Typed columns keep their values: an amount is a number, a date a date.
    assert decision["fine_yuan"] == "50000.00" and decision["decided_on"] == "2026-04-10"


def test_no_csv_cell_starts_like_a_formula_and_typed_columns_are_untouched(data: Path) -> None:
    seen = 0
    for resource in resources(data):
        if resource["format"] != "csv":
            continue
        types = {f["name"]: f["type"] for f in resource["schema"]["fields"]}
        original = read_json(data / resource["path"].replace(".csv", ".json"))
        for row, json_row in zip(read_csv(data / resource["path"]), original, strict=True):
            for name, cell in row.items():
                assert cell[:1] not in FORMULA_START or cell == "", (resource["name"], name)
                if types[name] != "string":
                    assert not cell.startswith("'"), (resource["name"], name, cell)
                elif isinstance(json_row[name], str):
                    assert restore(cell) == json_row[name]
                    seen += cell != json_row[name]
    assert seen >= 7


def test_json_keeps_the_values_as_recorded(data: Path) -> None:
    text = "".join(p.read_text("utf-8") for p in data.glob("*.json"))
    for value in HOSTILE:
        assert json.dumps(value, ensure_ascii=False) in text
    agencies = read_json(data / "agencies.json")
    assert agencies[0]["name"] == AGENCY_NAME
    decisions = read_json(data / "decisions.json")
    assert any(d["party_name"] == PARTY and d["fine_yuan"] == 50000 for d in decisions)


def test_package_documents_the_rule_and_still_validates(data: Path) -> None:
    package = json.loads((data / "datapackage.json").read_text("utf-8"))
    assert "英文单引号（'）" in package["description"] and "OWASP" in package["description"]
    for resource in package["resources"]:
        assert ("单引号" in resource["description"]) == (resource["format"] == "csv")
    report = frictionless.validate(str(data / "datapackage.json"))
    errors = [(task.name, error.message) for task in report.tasks for error in task.errors]
    assert report.valid, errors
    assert sorted(task.name for task in report.tasks) == sorted(
        [t.name for t in TABLES] + [f"{t.name}-json" for t in TABLES]
    )


def test_a_pattern_that_admits_a_formula_start_admits_the_quote_in_csv(data: Path) -> None:
    fields = {
        (r["format"], r["schema"]["fields"][i]["name"], r["name"]): r["schema"]["fields"][i]
        for r in resources(data)
        for i in range(len(r["schema"]["fields"]))
    }
    # The schema lets a power code start with "-" (^[A-Za-z0-9-]+$), so its CSV cell may carry
    # the quote (the file-name rule does not, but the package says what the schema says).
    csv_code = fields[("csv", "code", "powers")]["constraints"]["pattern"]
    json_code = fields[("json", "code", "powers-json")]["constraints"]["pattern"]
    assert json_code == "[A-Za-z0-9-]+" and csv_code == "'?(?:[A-Za-z0-9-]+)"
    assert re.fullmatch(csv_code, neutralise("-1-1")) and re.fullmatch(csv_code, "CF-1")
    # Every text pattern admits the quote in CSV, and only in CSV.
    credit = fields[("csv", "credit_code", "agencies")]["constraints"]["pattern"]
    json_credit = fields[("json", "credit_code", "agencies-json")]["constraints"]["pattern"]
    assert credit == f"'?(?:{json_credit})"


# --- the clerk's register (gongshi export / import) --------------------------------------------


@pytest.fixture
def register(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", content)
    hostile(content)
    monkeypatch.chdir(tmp_path)
    return content


def snapshot(content: Path) -> dict[str, bytes]:
    return {p.relative_to(content).as_posix(): p.read_bytes() for p in content.rglob("*.yaml")}


def test_clerk_xlsx_holds_text_never_formulas_and_round_trips(register: Path, gongshi: Run) -> None:
    before = snapshot(register)
    for kind in ("officer", "decision"):
        assert gongshi("export", kind, "--output", f"{kind}.xlsx").code == 0
        book = openpyxl.load_workbook(f"{kind}.xlsx")
        cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"]
        values = {c.value for c in cells}
        wanted = {UNIT} if kind == "officer" else {PARTY, VIOLATION}
        assert wanted <= values  # the original text, no quote added
        result = gongshi("import", f"{kind}.xlsx", "--update")
        assert result.code == 0, result.out + result.err
    assert snapshot(register) == before
    assert load_path(register / AGENCY / "officers/33029900000001.yaml").data["unit"] == UNIT


def test_clerk_csv_is_neutralised_and_round_trips(register: Path, gongshi: Run) -> None:
    before = snapshot(register)
    for kind in ("officer", "decision"):
        assert gongshi("export", kind, "--output", f"{kind}.csv").code == 0
        cells = [c for row in csv.reader(io.StringIO(Path(f"{kind}.csv").read_text("utf-8-sig")))
                 for c in row]  # fmt: skip
        assert all(c[:1] not in FORMULA_START or c == "" for c in cells)
        wanted = {"'" + UNIT} if kind == "officer" else {"'" + PARTY, "'" + VIOLATION}
        assert wanted <= set(cells)
        result = gongshi("import", f"{kind}.csv", "--update")
        assert result.code == 0, result.out + result.err
    assert snapshot(register) == before
    data = load_path(register / AGENCY / "decisions/2026/2026-001.yaml").data
    assert data["party"]["name"] == PARTY and data["violation"] == VIOLATION
