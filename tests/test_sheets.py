"""`gongshi export` / `gongshi import`: the clerk's spreadsheet round trip on real files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import FIXTURES, Result
from gongshi_clerk.columns import SUPPORTED, layout_for
from gongshi_records.registry import RECORD_TYPES, Kind
from gongshi_records.yamlload import load_path

DEMO = Path(__file__).parents[1] / "content"
AGENCY = "agencies/demo-bureau"
OFFICER = f"{AGENCY}/officers/33029900000001.yaml"
Run = Callable[..., Result]


def snapshot(content: Path) -> dict[str, bytes]:
    return {p.relative_to(content).as_posix(): p.read_bytes() for p in content.rglob("*.yaml")}


def parsed(content: Path) -> dict[str, Any]:
    return {p.relative_to(content).as_posix(): load_path(p).data for p in content.rglob("*.yaml")}


def officer_csv(rows: list[list[str]]) -> str:
    header = ["执法主体代号", "姓名", "执法证号", "执法类别", "执法区域", "岗位职能"]
    header += ["有效期起", "有效期止", "证件状态"]
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows([header, *rows])
    return buffer.getvalue()


NEW_OFFICER = ["demo-bureau", "赵六", "33029900000009", "市场监管综合执法", "测试区"]
NEW_OFFICER += ["执法；法制审核", "2024-01-01", "2028-12-31", "在岗"]


# --- the demo content: export → import changes nothing -----------------------------------------


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@pytest.mark.parametrize("kind", SUPPORTED, ids=str)
def test_demo_export_imports_back_unchanged(
    kind: Kind, suffix: str, tmp_path: Path, gongshi: Run
) -> None:
    content = tmp_path / "content"
    shutil.copytree(DEMO, content)
    before = snapshot(content)
    register = tmp_path / f"register{suffix}"
    exported = gongshi("export", kind.value, "--content", str(content), "--output", str(register))
    assert exported.code == 0, exported.err
    assert "不是公开数据" in exported.err
    result = gongshi("import", str(register), "--content", str(content))
    assert result.code == 0, result.out + result.err
    assert "没有改动" in result.err
    assert snapshot(content) == before


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_demo_records_imported_into_an_empty_folder_are_equal(
    suffix: str, tmp_path: Path, gongshi: Run
) -> None:
    content = tmp_path / "content"
    shutil.copytree(DEMO, content)
    files = {}
    for kind in (Kind.POWER, Kind.DECISION, Kind.INSPECTION):
        files[kind] = tmp_path / f"{kind.value}{suffix}"
        args = ("--content", str(content), "--output", str(files[kind]))
        assert gongshi("export", kind.value, *args).code == 0
    expected = parsed(content)
    for folder in ("powers", "decisions", "inspections"):
        for path in content.glob(f"agencies/*/{folder}"):
            shutil.rmtree(path)
    for kind in (Kind.POWER, Kind.DECISION, Kind.INSPECTION):
        result = gongshi("import", str(files[kind]), "--content", str(content))
        assert result.code == 0, result.out + result.err
    assert parsed(content) == expected


# --- editing a register in a spreadsheet -------------------------------------------------------


def test_edit_one_cell_then_update_changes_exactly_that_field(mini: Path, gongshi: Run) -> None:
    assert gongshi("export", "officers", "--output", "officers.xlsx").code == 0
    book = openpyxl.load_workbook("officers.xlsx")
    sheet = book["执法人员"]
    header = [c.value for c in sheet[1]]
    row = next(
        r
        for r in sheet.iter_rows(min_row=2)
        if r[header.index("执法证号")].value == "33029900000001"
    )
    row[header.index("有效期止")].value = dt.date(2028, 6, 30)
    book.save("officers.xlsx")
    before = parsed(mini)

    refused = gongshi("import", "officers.xlsx")
    assert refused.code == 1
    assert "已存在" in refused.out and "--update" in refused.out
    assert parsed(mini) == before

    result = gongshi("import", "officers.xlsx", "--update")
    assert result.code == 0, result.out + result.err
    assert "有效期止：2027-12-31 → 2028-06-30" in result.out
    after = parsed(mini)
    assert after[OFFICER] == {**before[OFFICER], "valid_until": "2028-06-30"}
    assert {k: v for k, v in after.items() if k != OFFICER} == {
        k: v for k, v in before.items() if k != OFFICER
    }
    assert gongshi("import", "officers.xlsx").code == 0  # now identical: unchanged


def test_dry_run_shows_the_change_and_writes_nothing(mini: Path, gongshi: Run) -> None:
    Path("new.csv").write_text(officer_csv([NEW_OFFICER]), encoding="utf-8-sig")
    before = snapshot(mini)
    result = gongshi("import", "new.csv", "--dry-run")
    assert result.code == 0, result.out
    assert f"新增 content/{AGENCY}/officers/33029900000009.yaml" in result.out
    assert "试运行" in result.err
    assert snapshot(mini) == before


def test_invalid_row_names_sheet_row_and_header_and_writes_nothing(
    mini: Path, gongshi: Run
) -> None:
    assert gongshi("export", "officer", "--output", "officers.xlsx").code == 0
    book = openpyxl.load_workbook("officers.xlsx")
    sheet = book["执法人员"]
    sheet.append(["demo-bureau", "钱七", "33029900000008", "市场监管综合执法", "测试区", "执法"])
    sheet.cell(5, 7).value = "2024-01-01"
    sheet.cell(5, 8).value = "2023-02-30"  # no such day
    sheet.cell(5, 9).value = "休假"  # not one of the statuses
    book.save("officers.xlsx")
    Path("content/more.csv").unlink(missing_ok=True)
    before = snapshot(mini)
    result = gongshi("import", "officers.xlsx")
    assert result.code == 1
    assert "officers.xlsx 工作表「执法人员」第 5 行「有效期止」：" in result.out
    assert "officers.xlsx 工作表「执法人员」第 5 行「证件状态」：" in result.out
    assert "未写入任何文件" in result.err
    assert snapshot(mini) == before


def test_a_cross_record_problem_is_located_in_the_sheet(mini: Path, gongshi: Run) -> None:
    assert gongshi("export", "decision", "--output", "d.csv").code == 0
    text = Path("d.csv").read_text("utf-8-sig").replace("33029900000003", "33029900000077")
    Path("d.csv").write_text(text, encoding="utf-8-sig")
    result = gongshi("import", "d.csv", "--update")
    assert result.code == 1
    assert (
        "d.csv 第 4 行「法制审核·审核人员」：引用的执法人员「33029900000077」不存在" in result.out
    )


def test_shortening_a_certificate_breaks_an_existing_decision(mini: Path, gongshi: Run) -> None:
    row = ["demo-bureau", "欧阳明轩", "33029900000001", "市场监管综合执法", "测试区", "执法"]
    Path("o.csv").write_text(officer_csv([[*row, "2022-01-01", "2024-12-31", "在岗"]]), "utf-8")
    result = gongshi("import", "o.csv", "--update")
    assert result.code == 1
    assert "导入后 content/agencies/demo-bureau/decisions/2026/2026-001.yaml" in result.out


@pytest.mark.parametrize(
    ("agency", "cert"),
    [("../evil", "33029900000010"), ("demo-bureau", "../../x"), ("demo-bureau", "a/b")],
)
def test_a_row_can_never_name_a_path_outside_content(
    mini: Path, gongshi: Run, agency: str, cert: str
) -> None:
    row = [agency, "某人", cert, *NEW_OFFICER[3:]]
    Path("o.csv").write_text(officer_csv([row]), encoding="utf-8")
    before = sorted(p.as_posix() for p in mini.parent.rglob("*"))
    result = gongshi("import", "o.csv")
    assert result.code == 1
    assert "o.csv 第 2 行「" in result.out
    assert sorted(p.as_posix() for p in mini.parent.rglob("*")) == before


# --- encodings and formulas --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "shown"), [("gbk", "GB18030"), ("gb18030", "GB18030"), ("utf-8", "UTF-8")]
)
def test_csv_in_gbk_or_utf8_without_bom(
    mini: Path, gongshi: Run, encoding: str, shown: str
) -> None:
    Path("new.csv").write_bytes(officer_csv([NEW_OFFICER]).encode(encoding))
    result = gongshi("import", "new.csv")
    assert result.code == 0, result.out + result.err
    assert f"按 {shown} 编码读取" in result.err
    data = load_path(mini / f"{AGENCY}/officers/33029900000009.yaml").data
    assert data["name"] == "赵六" and data["roles"] == ["执法", "法制审核"]


def test_formula_prefix_is_written_in_csv_and_removed_on_import(mini: Path, gongshi: Run) -> None:
    path = mini / OFFICER
    path.write_text(path.read_text("utf-8") + 'unit: "=SUM(A1)"\n', encoding="utf-8")
    assert gongshi("export", "officer", "--output", "o.csv").code == 0
    assert ",'=SUM(A1)" in Path("o.csv").read_text("utf-8-sig")
    assert gongshi("export", "officer", "--output", "o.xlsx").code == 0
    book = openpyxl.load_workbook("o.xlsx")
    cells = [c for row in book["执法人员"].iter_rows() for c in row if c.value == "=SUM(A1)"]
    assert cells and all(c.data_type == "s" for c in cells)  # text, never a formula
    path.write_text(path.read_text("utf-8").replace('"=SUM(A1)"', "执法一队"), encoding="utf-8")
    result = gongshi("import", "o.csv", "--update")
    assert result.code == 0, result.out
    assert load_path(path).data["unit"] == "=SUM(A1)"


def test_a_formula_typed_into_a_cell_is_refused(mini: Path, gongshi: Run) -> None:
    assert gongshi("export", "officer", "--output", "o.xlsx").code == 0
    book = openpyxl.load_workbook("o.xlsx")
    book["执法人员"]["D2"] = '=CONCAT("市场","监管")'
    book.save("o.xlsx")
    result = gongshi("import", "o.xlsx", "--update")
    assert result.code == 1
    assert "第 2 行「执法类别」：单元格是公式" in result.out


# --- the workbook itself -----------------------------------------------------------------------


def test_workbook_types_cells_and_offers_drop_downs(mini: Path, gongshi: Run) -> None:
    assert gongshi("export", "decision", "--output", "d.xlsx").code == 0
    book = openpyxl.load_workbook("d.xlsx")
    sheet = book["执法决定"]
    assert sheet.freeze_panes == "A2"
    assert book["选项"].sheet_state == "hidden"
    header = [c.value for c in sheet[1]]
    assert "行政相对人·名称或姓名" in header and "执法主体代号" in header
    row = {h: c for h, c in zip(header, sheet[2], strict=True)}
    assert isinstance(row["决定日期"].value, dt.datetime)
    assert row["行政相对人·统一社会信用代码"].number_format == "@"
    assert row["行政相对人·统一社会信用代码"].data_type == "s"
    assert isinstance(row["处罚·罚款金额"].value, int)
    validated = {str(v.sqref).split(":")[0] for v in sheet.data_validations.dataValidation}
    letter = openpyxl.utils.get_column_letter(header.index("决定类别") + 1)
    assert f"{letter}2" in validated


def test_every_column_has_a_unique_chinese_title() -> None:
    for kind in SUPPORTED:
        titles = [c.title for c in layout_for(kind, 3).columns]
        assert len(titles) == len(set(titles)), kind
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in titles), kind


def test_types_that_are_not_tables_say_why(mini: Path, gongshi: Run) -> None:
    result = gongshi("export", "flowchart", "--output", "f.xlsx")
    assert result.code == 2
    assert RECORD_TYPES[Kind.FLOWCHART].label in result.err and "图" in result.err


# --- the portal's public officers.csv ----------------------------------------------------------


def test_public_officers_csv_imports_back_into_equal_records(
    tmp_path: Path, gongshi: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", content)
    monkeypatch.chdir(tmp_path)
    site = tmp_path / "site"
    built = gongshi(
        "build", "--content", str(content), "--output", str(site), "--as-of", "2026-11-24"
    )
    assert built.code == 0, built.err
    public = site / "data/officers.csv"
    assert "agency_name" in public.read_text("utf-8-sig").splitlines()[0]
    expected = parsed(content)
    unchanged = gongshi("import", str(public))
    assert unchanged.code == 0 and "没有改动" in unchanged.err, unchanged.out
    shutil.rmtree(content / AGENCY / "officers")
    result = gongshi("import", str(public))
    assert result.code == 0, result.out + result.err
    assert parsed(content) == expected
