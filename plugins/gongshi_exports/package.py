"""The open-data folder: six tables as CSV and JSON, described by one Frictionless Data Package."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gongshi_records import Corpus
from gongshi_records.publication import PublicView
from gongshi_statistics.figures import compute
from gongshi_statistics.model import PortalStatistics

from .columns import Row, Table
from .decision_table import DECISIONS
from .inspection_table import INSPECTIONS, inspection_rows
from .licence import open_data_licence
from .plainmemo import PlainTexts
from .rows import agency_rows, decision_rows, officer_rows, power_rows
from .serialize import (
    CSV_ENCODING,
    JSON_ENCODING,
    Written,
    csv_bytes,
    json_bytes,
    sorted_rows,
    write_csv,
    write_json,
)
from .statistics_table import STATISTICS, statistics_rows
from .tables import AGENCIES, OFFICERS, POWERS
from .tableschema import table_schema

DATA_DIR = "data"
DESCRIPTOR = "datapackage.json"
PACKAGE_NAME = "xingzheng-zhifa-gongshi"
JSON_SUFFIX = "-json"  # resource names of the JSON copies: agencies-json, …
CSV_DIALECT = {
    "delimiter": ",",
    "lineTerminator": "\r\n",
    "quoteChar": '"',
    "doubleQuote": True,
    "header": True,
}

# How a CSV text cell is kept from running as a formula (gongshi_records.spreadsheet), for
# people and programs reading the package.
FORMULA_GUARD = (
    "CSV 文件中以 =、+、-、@、制表符或回车开头的文本单元格，前面加一个英文单引号（'），"
    "以免电子表格软件把它当作公式执行（OWASP 建议的做法）；程序读取时，"
    "以一个或多个 ' 后接上述字符开头的单元格，去掉第一个 ' 即为原值。"
    "数字、日期和是否列不加引号，JSON 文件保留原值。"
)
CSV_NOTE = "以 =、+、-、@、制表符或回车开头的文本前加有一个英文单引号（'），去掉即为原值。"

# (table, its rows); decisions and inspection results come from the public view, so only
# published decisions are exported, and named from inspection results. The statistics count
# every decision (gongshi_statistics), but name none.
TABLES: tuple[Table, ...] = (AGENCIES, OFFICERS, POWERS, DECISIONS, INSPECTIONS, STATISTICS)


@dataclass(frozen=True)
class OpenData:
    """What goes into ``data/``: file name → bytes, and the package descriptor (for a page)."""

    files: dict[str, bytes]
    descriptor: dict[str, Any]


def table_rows(
    corpus: Corpus,
    view: PublicView,
    statistics: PortalStatistics | None = None,
    site_url: str = "",
) -> dict[str, list[Row]]:
    """Each table's rows in key order. ``statistics`` are the build's (the pages' figures, with
    the history's first years); without them they are computed from the records alone.
    ``site_url`` (a publish build's SITEURL) makes every ``page`` an absolute address."""
    makers = _row_makers(corpus, view, statistics, site_url)
    return {table.name: makers[table.name]() for table in TABLES}


def _row_makers(
    corpus: Corpus,
    view: PublicView,
    statistics: PortalStatistics | None,
    site_url: str,
    texts: PlainTexts | None = None,
) -> dict[str, Callable[[], list[Row]]]:
    """table_rows one table at a time: a province's decision rows are hundreds of MB, and
    write_open_data lets each table's rows go before making the next. ``texts``: the
    decisions' plain texts of the previous build (plainmemo.py)."""
    figures = statistics if statistics is not None else compute(corpus, view.as_of)
    makers: dict[str, Callable[[], list[Row]]] = {
        AGENCIES.name: lambda: agency_rows(corpus),
        OFFICERS.name: lambda: officer_rows(corpus, view.as_of),
        POWERS.name: lambda: power_rows(corpus),
        DECISIONS.name: lambda: decision_rows(corpus, view, texts),
        INSPECTIONS.name: lambda: inspection_rows(corpus, view),
        STATISTICS.name: lambda: statistics_rows(corpus, figures),
    }

    def in_order(table: Table) -> Callable[[], list[Row]]:
        make = makers[table.name]
        return lambda: sorted_rows(table, [absolute(row, site_url) for row in make()])

    return {table.name: in_order(table) for table in TABLES}


def absolute(row: Row, site_url: str) -> Row:
    """``row`` with its ``page`` under ``site_url``. Without one (a preview) the page stays
    relative to the site root: a preview has no address of its own to point at."""
    page = row.get("page")
    if not site_url or not isinstance(page, str):
        return row
    return {**row, "page": site_url.rstrip("/") + "/" + page}


def open_data(
    corpus: Corpus,
    view: PublicView,
    statistics: PortalStatistics | None = None,
    site_url: str = "",
) -> OpenData:
    """Every file of ``data/`` in memory; nothing is written. ``site_url``: see table_rows."""
    rows = table_rows(corpus, view, statistics, site_url)
    files: dict[str, bytes] = {}
    for table in TABLES:
        files[f"{table.name}.csv"] = csv_bytes(table, rows[table.name])
    for table in TABLES:
        files[f"{table.name}.json"] = json_bytes(table, rows[table.name])
    portal: Mapping[str, Any] = corpus.portal.data if corpus.portal else {}
    integrity = {
        name: _integrity(Written(len(data), hashlib.sha256(data).hexdigest()))
        for name, data in files.items()
        if name.endswith(".csv")
    }
    descriptor = package_descriptor(portal, integrity, site_url)
    files[DESCRIPTOR] = _descriptor_bytes(descriptor)
    return OpenData(files, descriptor)


def _descriptor_bytes(descriptor: Mapping[str, Any]) -> bytes:
    return (json.dumps(descriptor, ensure_ascii=False, indent=1) + "\n").encode()


def write_open_data(
    output_dir: Path,
    corpus: Corpus,
    view: PublicView,
    statistics: PortalStatistics | None = None,
    site_url: str = "",
    texts: PlainTexts | None = None,
) -> list[Path]:
    """Write ``output_dir/data/`` and return the paths written, descriptor last.
    ``texts``: the decisions' plain texts kept by the previous build (plainmemo.py)."""
    folder = output_dir / DATA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    # The bytes of open_data(), written a table at a time and a few rows at a time, so no
    # table's text and no second table's rows are in memory (tests/test_exports.py checks
    # they are the same bytes).
    makers = _row_makers(corpus, view, statistics, site_url, texts)
    csvs, jsons, integrity = [], [], {}
    for table in TABLES:
        rows = makers[table.name]()
        csv_path, json_path = folder / f"{table.name}.csv", folder / f"{table.name}.json"
        written = write_csv(csv_path, table, rows)
        integrity[csv_path.name] = _integrity(written)
        write_json(json_path, table, rows)
        del rows
        csvs.append(csv_path)
        jsons.append(json_path)
    portal: Mapping[str, Any] = corpus.portal.data if corpus.portal else {}
    path = folder / DESCRIPTOR
    path.write_bytes(_descriptor_bytes(package_descriptor(portal, integrity, site_url)))
    return [*csvs, *jsons, path]


def package_descriptor(
    portal: Mapping[str, Any], integrity: Mapping[str, Mapping[str, Any]], site_url: str = ""
) -> dict[str, Any]:
    """The datapackage.json; ``integrity``: each CSV file's ``_integrity``, by file name."""
    name = str(portal.get("name") or "行政执法信息公示平台")
    descriptor: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": f"{name}开放数据",
        "description": (
            f"{name}公示的执法主体、执法人员、权责清单、公示期内的行政执法决定、双随机抽查结果"
            "和年度执法统计。"
            "每张表有 CSV（UTF-8 带 BOM，可直接用电子表格软件打开）和 JSON 两种格式，内容相同；"
            "已撤回和公示期满的决定不在决定表中（年度统计按全部决定计数，不含决定内容）。"
            "金额以元为单位，决定表另附万元列。"
            f"{FORMULA_GUARD}"
        ),
        "keywords": [
            "行政执法公示",
            "双公示",
            "行政处罚",
            "行政许可",
            "权责清单",
            "执法人员",
            "双随机抽查",
            "执法统计",
        ],
        "licenses": [open_data_licence(portal)],
        "resources": [_csv_resource(t, portal, integrity) for t in TABLES]
        + [_json_resource(t, portal) for t in TABLES],
    }
    if site_url:
        descriptor["homepage"] = site_url.rstrip("/") + "/"
    if portal.get("publisher"):
        descriptor["contributors"] = [{"title": str(portal["publisher"]), "role": "publisher"}]
    return descriptor


def _resource(table: Table, path: str) -> dict[str, Any]:
    return {
        "path": path,
        "profile": "tabular-data-resource",
        "title": table.title,
        "description": table.description,
    }


def _integrity(written: Written) -> dict[str, Any]:
    """Size and SHA-256 of a CSV file, so a mirrored copy can be checked against the package.
    (JSON resources carry none: frictionless 5 cannot count a JSON source's bytes and would
    report every JSON resource as broken.)"""
    return {"bytes": written.size, "hash": f"sha256:{written.sha256}"}


def _csv_resource(
    table: Table, portal: Mapping[str, Any], integrity: Mapping[str, Mapping[str, Any]]
) -> dict[str, Any]:
    path = f"{table.name}.csv"
    return {
        "name": table.name,
        **_resource(table, path),
        "description": f"{table.description}{CSV_NOTE}",
        **integrity[path],
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": CSV_ENCODING,
        "dialect": CSV_DIALECT,
        "schema": table_schema(table, portal, csv=True),
    }


def _json_resource(table: Table, portal: Mapping[str, Any]) -> dict[str, Any]:
    path = f"{table.name}.json"
    return {
        "name": table.name + JSON_SUFFIX,
        **_resource(table, path),
        "format": "json",
        "mediatype": "application/json",
        "encoding": JSON_ENCODING,
        "schema": table_schema(table, portal, JSON_SUFFIX),
    }
