"""Open data (data/*.csv, data/*.json, data/datapackage.json) built from the mini fixture portal.

The mini portal is extended here (in a temporary copy) with what it lacks: a natural-person
party, a licensing decision, a power-list item and a 双随机 inspection with results.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import frictionless
import pytest
from conftest import FIXTURES, write
from gongshi_exports import TABLES, markdown_text, open_data, serialize, write_open_data
from gongshi_exports.package import table_rows
from gongshi_records import Corpus, forking, validate_content
from gongshi_records.findings import has_errors
from gongshi_records.forking import PROCESSES_ENV, can_fork
from gongshi_records.forking import forked_pool as pool
from gongshi_records.publication import PublicView, public_view
from hypothesis import given
from hypothesis import strategies as st

AS_OF = dt.date(2026, 11, 24)
REPO = Path(__file__).resolve().parents[1]

NATURAL_PERSON = """\
doc_no: 测市监处罚〔2026〕5号
category: 行政处罚
party:
  name: 张三丰
  kind: 自然人
violation: 无证经营食品
facts: |
  当事人在测试区**夜市**摆摊销售
  自制糕点，未取得食品经营许可。
basis: |
  《无证无照经营查处办法》第十三条。
penalty: {kinds: [罚款, 没收违法所得], fine: 1500.5, confiscated: 80}
content: |
  1. 没收违法所得80元；
  2. 罚款1500.50元。
decided_on: 2026-09-01
officers: ["33029900000001", "33029900000002"]
"""

LICENCE = """\
doc_no: 测市监许可〔2026〕3号
category: 行政许可
power: XK-001
party:
  name: 东江市测试区青禾食品有限公司
  kind: 法人及非法人组织
  credit_code: 91330299MA2B3C4D59
  legal_rep: 陈某
content: 准予食品经营许可。
decided_on: 2026-05-06
officers: ["33029900000001", "33029900000002"]
license:
  doc_name: 准予行政许可决定书
  kind: 普通
  certificate_name: 食品经营许可证
  certificate_no: JY13302990000001
  valid_from: 2026-05-06
  valid_until: 2031-05-05
"""

POWER = """\
code: XK-001
name: 食品经营许可
category: 行政许可
basis:
  - law: 《中华人民共和国食品安全法》
    article: 第三十五条
  - law: 《食品经营许可和备案管理办法》
handling_unit: 行政审批科
time_limit: 法定20个工作日，承诺5个工作日
"""

# Results naming a published decision, a natural person, a withdrawn decision and none.
INSPECTION = """\
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
  - party: {name: 东江市测试区青禾食品有限公司, credit_code: 91330299MA2B3C4D59}
    checked_on: 2026-03-20
    outcome: 发现问题已立案查处
    decision: 测市监处罚[2026]1号
  - party: {name: 张三丰, kind: 自然人}
    checked_on: 2026-08-20
    outcome: 发现问题已立案查处
    decision: 测市监处罚〔2026〕5号
  - party: {name: 东江市测试区临江五金店, kind: 个体工商户, credit_code: 92330299MA2P7L3K5E}
    checked_on: 2025-06-02
    outcome: 发现问题已立案查处
    decision: 测市监处罚〔2025〕7号
  - party: {name: 东江市测试区百川商贸有限公司, credit_code: 91330299MA2Q8R6T1U}
    checked_on: 2026-03-20
    outcome: 未发现问题
"""

# What the withdrawn (2025-007) and expired (2025-002) decisions of the mini portal contain.
GONE = (
    "撤回建材",
    "撤回专用事实",
    "测市监处罚〔2025〕7号",
    "91330299MA00XK12PP",
    "2025-007",
    "到期小吃店",
    "到期专用事实",
    "测市监处罚〔2025〕2号",
    "92330299MA7E8F9G1C",
    "2025-002",
)


def load(content: Path) -> tuple[Corpus, PublicView]:
    validation = validate_content(content)
    assert not has_errors(validation.findings), [f.text() for f in validation.findings]
    return validation.corpus, public_view(validation.corpus, AS_OF)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", folder)
    agency = folder / "agencies/demo-bureau"
    write(agency / "decisions/2026/2026-005.yaml", NATURAL_PERSON)
    write(agency / "decisions/2026/2026-xk-003.yaml", LICENCE)
    write(agency / "powers/XK-001.yaml", POWER)
    write(agency / "inspections/2026-food-sales.yaml", INSPECTION)
    return folder


@pytest.fixture
def data(content: Path, tmp_path: Path) -> Path:
    corpus, view = load(content)
    write_open_data(tmp_path / "site", corpus, view)
    return tmp_path / "site/data"


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    raw = path.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8), f"{path.name}: no BOM"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    return rows[0], [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def descriptor(data: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((data / "datapackage.json").read_text("utf-8"))
    return loaded


def decision(data: Path, doc_no: str) -> dict[str, str]:
    _, rows = read_csv(data / "decisions.csv")
    return next(row for row in rows if row["doc_no"] == doc_no)


# Files ------------------------------------------------------------------------------------------


def test_writes_every_file_and_returns_their_paths(content: Path, tmp_path: Path) -> None:
    corpus, view = load(content)
    written = write_open_data(tmp_path / "out", corpus, view)
    names = [p.name for p in written]
    assert sorted(names) == sorted(
        [f"{t.name}.csv" for t in TABLES]
        + [f"{t.name}.json" for t in TABLES]
        + ["datapackage.json"]
    )
    assert all(p.parent == tmp_path / "out/data" and p.is_file() for p in written)
    assert names[-1] == "datapackage.json"


def test_csv_is_utf8_with_bom_crlf_and_a_header_row(data: Path) -> None:
    counts = {
        "agencies": 1,
        "officers": 3,
        "powers": 1,
        "decisions": 3,
        "inspections": 4,
        # 2025 and 2026 × 行政处罚 (decided) and 行政许可 (in the power list; none in 2025).
        "statistics": 4,
    }
    for table in TABLES:
        raw = (data / f"{table.name}.csv").read_bytes()
        assert raw.startswith(codecs.BOM_UTF8)
        header, rows = read_csv(data / f"{table.name}.csv")
        # Records end in CRLF; a line break inside a quoted cell stays a bare LF.
        assert raw.endswith(b"\r\n") and raw.count(b"\r\n") == len(rows) + 1
        assert header == table.names
        assert len(rows) == counts[table.name], table.name


def test_json_has_the_same_rows_as_csv_without_bom(data: Path) -> None:
    for table in TABLES:
        raw = (data / f"{table.name}.json").read_bytes()
        assert not raw.startswith(codecs.BOM_UTF8)
        objects = json.loads(raw.decode("utf-8"))
        _, rows = read_csv(data / f"{table.name}.csv")
        assert [list(o) for o in objects] == [table.names] * len(rows)
        assert [str(o[table.primary_key[-1]]) for o in objects] == [
            r[table.primary_key[-1]] for r in rows
        ]
    assert "东江市测试区市场监督管理局" in (data / "agencies.json").read_text("utf-8")


def test_output_is_byte_identical_for_the_same_input(content: Path) -> None:
    corpus, view = load(content)
    first = open_data(corpus, view).files
    corpus, view = load(content)
    assert open_data(corpus, view).files == first


def test_the_files_written_one_at_a_time_are_the_bytes_in_memory(
    content: Path, tmp_path: Path
) -> None:
    """write_open_data streams each file (decisions.json is 134 MB at 100,000 decisions):
    the same bytes, in the same order, as open_data holds in memory."""
    corpus, view = load(content)
    written = write_open_data(tmp_path, corpus, view, site_url="https://gongshi.invalid/")
    files = open_data(corpus, view, site_url="https://gongshi.invalid/").files
    assert [p.name for p in written] == list(files)
    assert {p.name: p.read_bytes() for p in written} == files


def test_rows_made_by_worker_processes_are_the_same_files(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert can_fork()
    corpus, view = load(content)
    monkeypatch.setenv(PROCESSES_ENV, "1")
    alone = open_data(corpus, view).files
    monkeypatch.setenv(PROCESSES_ENV, "3")
    pools: list[int] = []

    def counted(processes: int) -> Any:
        pools.append(processes)
        return pool(processes)

    monkeypatch.setattr(forking, "forked_pool", counted)
    assert open_data(corpus, view).files == alone
    assert pools == [3]  # the decisions' rows were made by workers


# What must never be exported --------------------------------------------------------------------


def test_withdrawn_and_expired_decisions_appear_in_no_export_file(data: Path) -> None:
    for path in data.iterdir():
        text = path.read_text("utf-8-sig")
        for secret in GONE:
            assert secret not in text, f"{secret} in {path.name}"


def test_withdrawal_notices_stay_out_even_on_the_plain_fixture() -> None:
    corpus, view = load(FIXTURES / "mini")
    assert [d.record.get("doc_no") for d in view.withdrawn] == ["测市监处罚〔2025〕7号"]
    files = open_data(corpus, view).files
    everything = "\n".join(content.decode("utf-8-sig") for content in files.values())
    assert not [secret for secret in GONE if secret in everything]
    assert "测市监处罚〔2026〕1号" in everything


def test_natural_person_party_is_exported_masked(data: Path) -> None:
    row = decision(data, "测市监处罚〔2026〕5号")
    assert row["party_name"] == "张某" and row["party_kind"] == "自然人"
    assert row["party_credit_code"] == ""
    for path in data.iterdir():
        assert "张三丰" not in path.read_text("utf-8-sig"), path.name


def test_inspection_results_one_row_per_party_masked_and_linked(data: Path) -> None:
    header, rows = read_csv(data / "inspections.csv")
    assert header[:4] == ["agency_id", "agency_name", "inspection_id", "number"]
    assert [row["number"] for row in rows] == ["1", "2", "3", "4"]
    first, person, withdrawn, clean = rows
    assert first["party_name"] == "东江市测试区青禾食品有限公司"
    assert first["decision_doc_no"] == "测市监处罚〔2026〕1号"  # the decision's own spelling
    assert (first["year"], first["checked_on"]) == ("2026", "2026-03-20")
    assert first["inspection_title"] == "2026年度食品销售者双随机抽查"
    assert first["page"] == "agencies/demo-bureau/inspections/2026-food-sales.html"
    assert (person["party_name"], person["party_kind"]) == ("张某", "自然人")
    assert person["decision_doc_no"] == "测市监处罚〔2026〕5号"
    # The follow-up decision was withdrawn: its 文号 is not repeated here.
    assert withdrawn["party_name"] == "东江市测试区临江五金店"
    assert withdrawn["decision_doc_no"] == ""
    assert (clean["outcome"], clean["decision_doc_no"]) == ("未发现问题", "")
    as_json = json.loads((data / "inspections.json").read_text("utf-8"))
    assert as_json[0]["number"] == 1 and as_json[0]["year"] == 2026


def test_inspection_rows_sort_by_position_as_a_number(content: Path) -> None:
    results = "".join(
        f"  - party: {{name: 东江市测试区第{n}商店}}\n    checked_on: 2026-03-20\n"
        "    outcome: 未发现问题\n"
        for n in range(1, 12)
    )
    inspection = INSPECTION.split("results:")[0] + "results:\n" + results
    write(content / "agencies/demo-bureau/inspections/2026-food-sales.yaml", inspection)
    text = open_data(*load(content)).files["inspections.csv"].decode("utf-8-sig")
    numbers = [line.split(",")[3] for line in text.splitlines()[1:]]
    assert numbers == [str(n) for n in range(1, 12)]


# Values -----------------------------------------------------------------------------------------


def test_amounts_in_yuan_and_wan_yuan(data: Path) -> None:
    row = decision(data, "测市监处罚〔2026〕1号")
    assert (row["fine_yuan"], row["fine_wan_yuan"]) == ("50000.00", "5.0000")
    assert (row["confiscated_yuan"], row["confiscated_wan_yuan"]) == ("120.00", "0.0120")
    assert row["penalty_kinds"] == "罚款；没收违法所得"
    person = decision(data, "测市监处罚〔2026〕5号")
    assert (person["fine_yuan"], person["fine_wan_yuan"]) == ("1500.50", "0.1501")
    objects = json.loads((data / "decisions.json").read_text("utf-8"))
    first = next(o for o in objects if o["doc_no"] == "测市监处罚〔2026〕1号")
    assert (first["fine_yuan"], first["fine_wan_yuan"], first["confiscated_wan_yuan"]) == (
        50000,
        5,
        0.012,
    )
    assert first["major"] is True and first["license_kind"] is None


def test_markdown_fields_are_plain_text(data: Path) -> None:
    row = decision(data, "测市监处罚〔2026〕5号")
    assert row["facts"] == "当事人在测试区夜市摆摊销售自制糕点，未取得食品经营许可。"
    assert row["content"] == "没收违法所得80元；\n罚款1500.50元。"
    assert row["basis"] == "《无证无照经营查处办法》第十三条。"
    for path in data.glob("decisions.*"):
        text = path.read_text("utf-8-sig")
        assert "<" not in text and "**" not in text, path.name


def test_markdown_text_drops_html_and_scripts() -> None:
    assert markdown_text("<script>alert(1)</script><b onclick=x>当事人</b> & 5 < 6") == (
        "当事人 & 5 < 6"
    )
    assert markdown_text("first\nline\n\n- 一\n- 二") == "first line\n一\n二"
    assert markdown_text(None) == "" and markdown_text("") == ""


def test_licence_decision_and_dates(data: Path) -> None:
    row = decision(data, "测市监许可〔2026〕3号")
    assert row["license_doc_name"] == "准予行政许可决定书"
    assert (row["license_kind"], row["license_certificate_no"]) == ("普通", "JY13302990000001")
    assert (row["license_valid_from"], row["license_valid_until"]) == ("2026-05-06", "2031-05-05")
    assert row["fine_yuan"] == row["penalty_kinds"] == row["publicity_until"] == ""
    assert row["major"] == "false"
    penalty = decision(data, "测市监处罚〔2026〕1号")
    # 罚款 + 没收违法所得 decided after 2026-04-01: 一般, published for one year.
    assert (penalty["decided_on"], penalty["publicity_until"]) == ("2026-04-10", "2027-04-10")
    assert (penalty["grade"], row["grade"]) == ("一般", "")
    assert penalty["agency_credit_code"] == "11330299MB0000012G"
    assert penalty["page"] == "agencies/demo-bureau/decisions/2026/2026-001.html"


def test_officers_powers_and_agencies(data: Path) -> None:
    _, officers = read_csv(data / "officers.csv")
    assert [o["cert_no"] for o in officers] == sorted(o["cert_no"] for o in officers)
    li = next(o for o in officers if o["cert_no"] == "33029900000002")
    assert (li["name"], li["roles"], li["status"]) == ("李静", "执法；法制审核", "在岗")
    assert li["page"] == "officers/33029900000002.html"
    _, powers = read_csv(data / "powers.csv")
    assert (
        powers[0]["basis"]
        == "《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》"
    )
    assert powers[0]["page"] == "agencies/demo-bureau/powers/XK-001.html"
    _, agencies = read_csv(data / "agencies.csv")
    assert agencies[0]["page"] == "agencies/demo-bureau/index.html"
    assert agencies[0]["website"] == ""


# The data package -------------------------------------------------------------------------------


def test_datapackage_describes_every_file(data: Path) -> None:
    package = descriptor(data)
    assert package["profile"] == "tabular-data-package"
    assert package["title"] == "测试区行政执法信息公示平台开放数据"
    assert re.fullmatch(r"[-a-z0-9._/]+", package["name"])
    resources = package["resources"]
    assert len({r["name"] for r in resources}) == len(resources) == 2 * len(TABLES)
    for resource in resources:
        path = data / resource["path"]
        names = [f["name"] for f in resource["schema"]["fields"]]
        assert all(f["title"] and f["description"] for f in resource["schema"]["fields"])
        if resource["format"] == "csv":
            assert resource["encoding"] == "utf-8-sig" and resource["mediatype"] == "text/csv"
            assert read_csv(path)[0] == names
            assert resource["bytes"] == path.stat().st_size
        else:
            assert resource["mediatype"] == "application/json"
            assert all(list(o) == names for o in json.loads(path.read_text("utf-8")))


def test_keys_are_unique_and_foreign_keys_resolve(data: Path) -> None:
    resources = {r["name"]: r for r in descriptor(data)["resources"] if r["format"] == "csv"}
    rows = {name: read_csv(data / r["path"])[1] for name, r in resources.items()}
    for name, resource in resources.items():
        schema = resource["schema"]
        key = as_list(schema["primaryKey"])
        keys = [tuple(row[k] for k in key) for row in rows[name]]
        assert len(set(keys)) == len(keys) and all(all(k) for k in keys), name
        for foreign in schema.get("foreignKeys", []):
            target = foreign["reference"]
            known = {
                tuple(row[k] for k in as_list(target["fields"])) for row in rows[target["resource"]]
            }
            for row in rows[name]:
                value = tuple(row[k] for k in as_list(foreign["fields"]))
                # An empty reference refers to nothing (a result without a follow-up decision).
                assert value in known or not any(value), (name, row)
    assert {
        fk["reference"]["resource"] for fk in resources["decisions"]["schema"]["foreignKeys"]
    } == {"agencies"}


def test_constraints_hold_for_every_cell(data: Path) -> None:
    for resource in descriptor(data)["resources"]:
        if resource["format"] != "csv":
            continue
        for row in read_csv(data / resource["path"])[1]:
            for field in resource["schema"]["fields"]:
                check_cell(field, row[field["name"]])


def check_cell(field: dict[str, Any], value: str) -> None:
    rules = field.get("constraints", {})
    if value == "":
        assert not rules.get("required"), field["name"]
        return
    assert value in rules.get("enum", [value]), (field["name"], value)
    assert re.fullmatch(rules.get("pattern", ".*"), value, re.S), (field["name"], value)
    if field["type"] == "date":
        dt.date.fromisoformat(value)
    elif field["type"] == "number":
        assert float(value) >= rules.get("minimum", 0)
    elif field["type"] == "boolean":
        assert value in ("true", "false")


def test_frictionless_validates_the_package(data: Path) -> None:
    report = frictionless.validate(str(data / "datapackage.json"))
    errors = [(task.name, error.message) for task in report.tasks for error in task.errors]
    assert report.valid, errors + [e.message for e in report.errors]
    assert sorted(task.name for task in report.tasks) == sorted(
        [t.name for t in TABLES] + [f"{t.name}-json" for t in TABLES]
    )


def test_frictionless_catches_a_dangling_foreign_key(data: Path) -> None:
    path = data / "officers.json"
    path.write_text(path.read_text("utf-8").replace('"demo-bureau"', '"no-such-bureau"'), "utf-8")
    report = frictionless.validate(str(data / "datapackage.json"))
    types = {(task.name, error.type) for task in report.tasks for error in task.errors}
    assert ("officers-json", "foreign-key") in types


def test_officer_certificate_pattern_comes_from_portal_yaml(content: Path) -> None:
    portal = content / "portal.yaml"
    portal.write_text(portal.read_text("utf-8") + "cert_no_pattern: '^330299\\d{8}$'\n", "utf-8")
    package = open_data(*load(content)).descriptor
    cert = package["resources"][1]["schema"]["fields"][0]
    # A CSV resource's text patterns admit the formula-guarding quote (spreadsheet.neutralise).
    assert cert["name"] == "cert_no" and cert["constraints"]["pattern"] == "'?(?:330299\\d{8})"


def test_demo_portal_exports_a_valid_package(tmp_path: Path) -> None:
    corpus, view = load(REPO / "content")
    write_open_data(tmp_path, corpus, view)
    report = frictionless.validate(str(tmp_path / "data/datapackage.json"))
    assert report.valid, [(t.name, e.message) for t in report.tasks for e in t.errors][:10]
    text = "\n".join(p.read_text("utf-8-sig") for p in (tmp_path / "data").iterdir())
    published = {d.record.path for d in view.published}
    hidden = [r for r in corpus.of("decision") if r.path not in published]
    assert hidden, "the demo should show withdrawn or expired decisions"
    for record in hidden:
        assert str(record.get("doc_no")) not in text, record.path
        for line in markdown_text(record.get("facts")).splitlines():
            assert len(line) < 10 or line not in text, record.path


# Addresses --------------------------------------------------------------------------------------


def as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value


@pytest.mark.parametrize("rows_per_write", [1, 2, 3, 1000])
def test_tables_written_in_pieces_are_their_bytes(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows_per_write: int
) -> None:
    """write_json and write_csv give json_bytes and csv_bytes (and the CSV's own size and
    SHA-256) however the rows are cut into writes, for empty tables too."""
    monkeypatch.setattr(serialize, "_ROWS_PER_WRITE", rows_per_write)
    corpus, view = load(content)
    rows = table_rows(corpus, view)
    for table in TABLES:
        for chosen in (rows[table.name], []):
            path = tmp_path / f"{table.name}.json"
            serialize.write_json(path, table, chosen)
            assert path.read_bytes() == serialize.json_bytes(table, chosen), table.name
            path = tmp_path / f"{table.name}.csv"
            written = serialize.write_csv(path, table, chosen)
            data = serialize.csv_bytes(table, chosen)
            assert path.read_bytes() == data, table.name
            assert written == (len(data), hashlib.sha256(data).hexdigest())


SCALARS = (
    st.text()
    | st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
)


@given(st.dictionaries(st.text(), SCALARS, max_size=8))
def test_a_row_is_encoded_as_the_json_encoder_would(row: dict[str, Any]) -> None:
    """write_json's own encoding of a row of scalars (the encoder's indent makes it pure
    Python) is the encoder's, character for character: any text, number or key."""
    encoder = json.JSONEncoder(ensure_ascii=False, indent=1, allow_nan=False)
    expected = encoder.encode(row).replace("\n", "\n ")
    assert serialize._object_text(encoder, serialize._keys(row), row) == expected


@pytest.mark.parametrize("odd", [float("nan"), float("inf"), [1, 2], {"a": 1}])
def test_a_value_that_is_not_a_plain_scalar_goes_to_the_encoder(odd: Any) -> None:
    encoder = json.JSONEncoder(ensure_ascii=False, indent=1, allow_nan=False)
    row = {"a": "文本", "b": odd}
    keys = serialize._keys(row)
    if isinstance(odd, float):
        with pytest.raises(ValueError):
            serialize._object_text(encoder, keys, row)
    else:
        assert serialize._object_text(encoder, keys, row) == encoder.encode(row).replace(
            "\n", "\n "
        )
