"""`gongshi new`: a record's template at the registry's path, every field explained, never
overwriting, failing validation until the clerk fills it in."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from conftest import Result
from gongshi_clerk.scaffold import LATER_FIELDS, template
from gongshi_records.findings import errors_of
from gongshi_records.registry import RECORD_TYPES, Kind
from gongshi_records.schema import resolve_refs, schema_for
from gongshi_records.validate import check_record_file
from gongshi_records.yamlload import load_text

Run = Callable[..., Result]
AGENCY = "content/agencies/demo-bureau"


def schema_paths(kind: Kind) -> Iterator[tuple[str | int, ...]]:
    """Every field path of a type's schema (list items as 0), fields for later left out."""
    root = schema_for(kind)

    def walk(node: Mapping[str, Any], where: tuple[str | int, ...]) -> Iterator[Any]:
        node = resolve_refs(root, node)
        if node.get("type") == "object":
            for name, prop in node.get("properties", {}).items():
                if not where and name in LATER_FIELDS.get(kind, {}):
                    continue
                yield (*where, name)
                yield from walk(prop, (*where, name))
        elif node.get("type") == "array":
            yield (*where, 0)
            yield from walk(node.get("items", {}), (*where, 0))

    yield from walk(root, ())


def sample_id(kind: Kind) -> str | None:
    record_type = RECORD_TYPES[kind]
    if not record_type.needs("id"):
        return None
    return "2027" if record_type.id_pattern == r"\d{4}" else "ab-12"


@pytest.mark.parametrize("kind", list(Kind))
def test_every_type_template_has_every_field_and_loads_strictly(kind: Kind) -> None:
    text = template(kind, sample_id(kind))
    loaded = load_text(text)  # the strict loader: no duplicate keys, no aliases, dates as text
    assert set(schema_paths(kind)) <= set(loaded.marks), text
    lines = text.splitlines()
    for where, mark in loaded.marks.items():
        if where and isinstance(where[-1], str):
            above = lines[mark.key_line - 2].strip()
            assert above.startswith("# ") and re.search("必填|选填", above), (where, above)


@pytest.mark.parametrize("kind", list(Kind))
def test_every_unfilled_template_fails_validation(kind: Kind, tmp_path: Path) -> None:
    ident = sample_id(kind) or "record"
    path = tmp_path / f"{ident}.yaml"
    path.write_text(template(kind, sample_id(kind)), "utf-8")
    fields = {".".join(str(p) for p in where) for where in schema_paths(kind)}
    schema_errors = [e for e in errors_of(check_record_file(path, kind)) if e.rule in fields]
    assert schema_errors
    assert all("还没有填写" in e.message for e in schema_errors), schema_errors


def test_new_decision_takes_the_next_free_number(mini: Path, gongshi: Run) -> None:
    result = gongshi("new", Kind.DECISION.value, "--agency", "demo-bureau", "--year", "2025")
    assert result.code == 0, result.err
    path = f"{AGENCY}/decisions/2025/2025-008.yaml"  # 2025-002 and 2025-007 exist
    assert result.out == path + "\n"
    text = Path(path).read_text("utf-8")
    assert "# 决定书文号（必填）：" in text and 'doc_no: ""' in text
    assert "# 决定类别（必填）：" in text and "可选值：行政处罚、行政许可" in text
    assert "# 撤下公示（withdrawal）：新记录不写；决定须撤下公示时，运行 gongshi withdraw" in text
    assert "withdrawal:" not in text


def test_new_decision_defaults_to_this_year(mini: Path, gongshi: Run) -> None:
    year = dt.date.today().year
    result = gongshi("new", Kind.DECISION.value, "--agency", "demo-bureau")
    assert result.code == 0, result.err
    assert re.fullmatch(rf"{AGENCY}/decisions/{year}/{year}-\d{{3}}\.yaml\n", result.out)


def test_unfilled_decision_fails_with_what_to_write(mini: Path, gongshi: Run) -> None:
    path = gongshi("new", Kind.DECISION.value, "--agency", "demo-bureau", "--year", "2026").out
    result = gongshi("validate", path.strip())
    assert result.code == 1
    doc_no = (
        f"{path.strip()}:9:9: error [doc_no] 「决定书文号」(doc_no)还没有填写：机关代字〔年份〕"
    )
    assert doc_no in result.out
    assert (
        "「罚款金额」(fine)还没有填写：罚款数额，单位元，例如 5000；本项不适用时请删除这一行"
        in (result.out)
    )
    assert "[officers.0] 「执法证号」(0)还没有填写：一名执法人员的执法证号" in result.out


def test_new_officer_needs_the_certificate_number(mini: Path, gongshi: Run) -> None:
    result = gongshi("new", Kind.OFFICER.value, "--agency", "demo-bureau")
    assert result.code == 2
    assert "请用 --id 指定执法人员的执法证号" in result.err
    assert not list((mini / "agencies/demo-bureau/officers").glob("JS*"))


def filled_officer(text: str) -> str:
    """What a clerk does with the officer template: fill the required fields, delete the rest."""
    values = {
        "name": "李四",
        "category": "市场监管综合执法",
        "region": "测试区",
        "valid_from": "2024-01-01",
        "valid_until": "2028-12-31",
        "status": "在岗",
    }
    for name, value in values.items():
        text = text.replace(f'\n{name}: ""\n', f"\n{name}: {value}\n")
    text = text.replace('  - ""', "  - 执法")
    return re.sub(r'\n# [^\n]*（选填）[^\n]*\n[a-z_]+: ""\n', "\n", text)


def test_filled_officer_template_validates(mini: Path, gongshi: Run) -> None:
    result = gongshi("new", Kind.OFFICER.value, "--agency", "demo-bureau", "--id", "JS-0099")
    path = Path(result.out.strip())
    assert path == Path(f"{AGENCY}/officers/JS-0099.yaml")
    text = path.read_text("utf-8")
    assert 'cert_no: "JS-0099"' in text
    assert gongshi("validate", str(path)).code == 1
    path.write_text(filled_officer(text), "utf-8")
    result = gongshi("validate", str(path))
    assert result.code == 0, result.out
    assert result.out == ""


def test_never_overwrites(mini: Path, gongshi: Run) -> None:
    path = mini / "agencies/demo-bureau/officers/33029900000001.yaml"
    before = path.read_bytes()
    result = gongshi("new", Kind.OFFICER.value, "--agency", "demo-bureau", "--id", path.stem)
    assert result.code == 2
    assert "已存在，不会覆盖" in result.err and result.out == ""
    assert path.read_bytes() == before


def test_unknown_agency_is_refused(mini: Path, gongshi: Run) -> None:
    result = gongshi("new", Kind.POWER.value, "--agency", "no-such", "--id", "CF-1")
    assert result.code == 2
    assert (
        "没有执法主体 no-such" in result.err and "gongshi new agency --agency no-such" in result.err
    )
    assert not (mini / "agencies/no-such").exists()


def test_the_attachments_folder_name_is_not_an_agency(mini: Path, gongshi: Run) -> None:
    result = gongshi("new", Kind.AGENCY.value, "--agency", "files")
    assert result.code == 2 and "执法主体代号不能是 files" in result.err
    assert not (mini / "agencies/files").exists()


def test_new_agency_then_its_singletons(mini: Path, gongshi: Run) -> None:
    assert gongshi("new", Kind.AGENCY.value, "--agency", "new-bureau").code == 0
    assert (mini / "agencies/new-bureau/agency.yaml").is_file()
    result = gongshi("new", Kind.REVIEW_CATALOG.value, "--agency", "new-bureau")
    assert result.out == "content/agencies/new-bureau/review-catalog.yaml\n"
    refused = gongshi("new", Kind.AV_LIST.value, "--agency", "new-bureau", "--id", "x")
    assert refused.code == 2 and "请去掉 --id" in refused.err


def test_statistics_year_is_prefilled_as_a_number(mini: Path, gongshi: Run) -> None:
    result = gongshi("new", Kind.STATISTICS.value, "--agency", "demo-bureau", "--id", "2025")
    assert result.code == 0, result.err
    text = (mini / "agencies/demo-bureau/statistics/2025.yaml").read_text("utf-8")
    assert load_text(text).data["year"] == 2025


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ("officer", "--agency", "demo-bureau", "--id", "../../../x"),
            "执法证号（--id）只能用字母",
        ),
        (("officer", "--agency", "../x", "--id", "1"), "执法主体代号（--agency）只能用小写字母"),
        (("decision", "--agency", "demo-bureau", "--year", "26"), "年份（--year）应为四位年份"),
        (("decision", "--agency", "demo-bureau", "--id", "A/b"), "编号（--id）只能用小写字母"),
        (("portal", "--agency", "demo-bureau"), "请去掉 --agency"),
        (("officer", "--id", "1"), "请用 --agency 指定"),
        (("officer", "--agency", "demo-bureau", "--id", "1", "--year", "2026"), "请去掉 --year"),
    ],
)
def test_malformed_arguments_write_nothing(
    mini: Path, gongshi: Run, argv: tuple[str, ...], message: str
) -> None:
    before = sorted(p for p in mini.parent.rglob("*"))
    result = gongshi("new", *argv)
    assert result.code == 2
    assert message in result.err
    assert sorted(p for p in mini.parent.rglob("*")) == before


def test_unknown_type_is_a_usage_error(mini: Path, gongshi: Run) -> None:
    assert gongshi("new", "verdict", "--agency", "demo-bureau").code == 2


def test_never_writes_through_a_link_out_of_the_content(
    mini: Path, gongshi: Run, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (mini / "agencies/demo-bureau/powers").symlink_to(outside, target_is_directory=True)
    result = gongshi("new", Kind.POWER.value, "--agency", "demo-bureau", "--id", "CF-1")
    assert result.code == 2 and "内容目录" in result.err and "之外" in result.err
    assert list(outside.iterdir()) == []


def test_portal_wide_types_need_no_agency(mini: Path, gongshi: Run) -> None:
    result = gongshi("new", Kind.CALENDAR.value, "--id", "2027")
    assert result.out == "content/calendar/2027.yaml\n", result.err
    refused = gongshi("new", Kind.PORTAL.value, "--id", "x")
    assert refused.code == 2 and "整个平台只有一份" in refused.err
    assert gongshi("new", Kind.PORTAL.value).code == 2  # portal.yaml exists: not overwritten
