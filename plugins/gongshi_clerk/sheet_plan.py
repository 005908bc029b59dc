"""What an import would do, decided before anything is written.

Every imported record is checked as if it were already a file: the content folder is read,
the imported records replace or join its records in memory, and the schema, the record rules
and the cross-record rules run over that corpus. A finding on an imported record is located
by sheet, row and column; a finding the import newly causes in an existing file (an officer's
certificate shortened under a decision he signed) is reported against that file. Findings the
content already had are not the import's business.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from gongshi_records.crossrules import corpus_findings
from gongshi_records.findings import Finding, Severity
from gongshi_records.model import Corpus, Record
from gongshi_records.rules import record_findings
from gongshi_records.schema import schema_findings, schema_for
from gongshi_records.validate import display_path, repo_root, validate_content

from .columns import EACH, CellKind, Column, ColumnPath, Layout
from .sheet_import import Problem, Rows, header_map
from .yamlwrite import dump_record


class Status(StrEnum):
    NEW = "新增"
    CHANGED = "修改"
    UNCHANGED = "未变"


@dataclass
class Change:
    rows: Rows
    relative: str  # under content/
    shown: str  # as findings name it
    status: Status
    data: dict[str, Any]
    old: dict[str, Any] | None
    text: str = ""  # the YAML to write (new and changed records)


@dataclass
class Plan:
    changes: list[Change] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    by_relative: dict[str, Change] = field(default_factory=dict)


def plan_import(content: Path, records: list[Rows], update: bool) -> Plan:
    baseline = validate_content(content)
    known = {_key(f) for f in baseline.findings}
    existing = {r.path: r for r in baseline.corpus.records}
    root = repo_root(content)
    plan = Plan()
    for rows in records:
        change = _change(content, root, rows, existing, plan)
        if change is None:
            continue
        if change.status is Status.CHANGED and not update:
            plan.errors.append(_exists(change))
        plan.changes.append(change)
        plan.by_relative[change.relative] = change
    if plan.errors:
        return plan
    _check(baseline.corpus, plan, known)
    if not plan.errors:
        _render(plan)
    return plan


def _key(finding: Finding) -> tuple[str, str, str]:
    return finding.path, finding.rule, finding.message


def _change(
    content: Path, root: Path, rows: Rows, existing: dict[str, Record], plan: Plan
) -> Change | None:
    record_type = rows.layout.record_type
    relative = record_type.path_for(rows.agency, rows.ident, rows.year)
    target = (content / relative).resolve()
    if not target.is_relative_to(content.resolve()):  # the patterns forbid it; never trust it
        plan.errors.append(Problem(rows.sheet.where(rows.rows[0]), "记录位置超出内容目录").text())
        return None
    shown = display_path(content / relative, root)
    first = plan.by_relative.get(relative)
    if first is not None:
        where = rows.sheet.where(rows.rows[0])
        plan.errors.append(f"{where}：与 {first.rows.sheet.where(first.rows.rows[0])} 是同一条记录")
        return None
    old = existing.get(shown)
    if old is None:
        return Change(rows, relative, shown, Status.NEW, rows.data, None)
    data = merge(dict(old.data), rows)
    status = Status.UNCHANGED if data == old.data else Status.CHANGED
    return Change(rows, relative, shown, status, data, dict(old.data))


def merge(old: dict[str, Any], rows: Rows) -> dict[str, Any]:
    """The existing record with the sheet's columns applied: a column the sheet has sets or
    (when empty) removes its field; a field the sheet has no column for is kept. Markdown that
    differs only in trailing line breaks (Excel drops them) keeps the stored text."""
    data = copy.deepcopy(old)
    lists = {
        path[0] for path in rows.covered if EACH in path or any(isinstance(p, int) for p in path)
    }
    for path in rows.covered:
        if path[0] in lists:
            continue
        _put(data, path, _get(rows.data, path))
    for key in lists:
        _put(data, (key,), rows.data.get(str(key)))
    for column in rows.layout.columns:
        if column.kind is CellKind.MARKDOWN and column.path in rows.covered:
            before, after = _get(old, column.path), _get(data, column.path)
            if (
                isinstance(before, str)
                and isinstance(after, str)
                and before.rstrip("\n") == after.rstrip("\n")
            ):
                _put(data, column.path, before)
    return data


def _get(data: Any, path: ColumnPath) -> Any:
    for part in path:
        data = data.get(part) if isinstance(data, dict) and isinstance(part, str) else None
    return data


def _put(data: dict[str, Any], path: ColumnPath, value: Any) -> None:
    node = data
    for part in path[:-1]:
        child = node.get(str(part))
        if not isinstance(child, dict):
            if value is None:
                return
            child = node[str(part)] = {}
        node = child
    if value is None:
        node.pop(str(path[-1]), None)
    else:
        node[str(path[-1])] = value
    if len(path) > 1 and not node:
        _put(data, path[:-1], None)


def _exists(change: Change) -> str:
    label = change.rows.layout.record_type.label
    where = change.rows.sheet.where(change.rows.rows[0])
    name = change.rows.ident or change.rows.agency
    return f"{where}：{label}「{name}」已存在（{change.shown}）且内容不同：确认要修改请加 --update"


def _check(corpus: Corpus, plan: Plan, known: set[tuple[str, str, str]]) -> None:
    imported: dict[str, Change] = {}
    records = {r.path: r for r in corpus.records}
    findings: list[Finding] = []
    for change in plan.changes:
        if change.status is Status.UNCHANGED:
            continue
        place = change.rows.layout.record_type.parse(change.relative)
        assert place is not None, change.relative
        record = Record(place.kind, change.shown, place, change.data, change.rows.marks)
        records[change.shown] = record
        imported[change.shown] = change
        findings += schema_findings(place.kind, change.data, change.rows.marks, change.shown)
        findings += record_findings(record)
    merged = Corpus(
        corpus.content_dir, corpus.prefix, sorted(records.values(), key=_order(imported))
    )
    findings += corpus_findings(merged)
    for finding in sorted(set(findings)):
        source = imported.get(finding.path)
        if source is None and _key(finding) in known:
            continue
        text = _locate(source, finding) if source else _elsewhere(finding)
        (plan.errors if finding.severity is Severity.ERROR else plan.warnings).append(text)


def _order(imported: dict[str, Change]) -> Any:
    # Existing files first: a duplicate (文号, 证号) is reported on the imported row.
    return lambda record: (record.path in imported, record.path)


def _elsewhere(finding: Finding) -> str:
    return f"导入后 {finding.path}:{finding.line}:{finding.col} 将出现问题：{finding.message}"


def _locate(change: Change, finding: Finding) -> str:
    rows = change.rows
    row = finding.line if finding.line in rows.rows else rows.rows[0]
    header = _rule_header(rows, finding.rule)
    if header is None and finding.line in rows.rows:
        header = rows.headers.get(finding.col - 1)
    return f"{rows.sheet.where(row, header)}：{finding.message}"


def _rule_header(rows: Rows, rule: str) -> str | None:
    """The header of the column a schema finding's field path (``results.3.outcome``) names."""
    parts: list[str | int] = [int(p) if p.isdigit() else p for p in rule.split(".")]
    if rows.layout.expanded and len(parts) > 1 and parts[0] == rows.layout.expanded:
        parts[1] = EACH
    by_path = {c.path: c for c in rows.layout.columns}
    for end in range(len(parts), 0, -1):
        column = by_path.get(tuple(parts[:end]))
        if column is not None:
            return _header_of(rows, column)
    return None


def _header_of(rows: Rows, column: Column) -> str:
    index = next(
        (i for i, text in rows.headers.items() if _matches(rows.layout, text, column)), None
    )
    return rows.headers[index] if index is not None else column.title


def _matches(layout: Layout, text: str, column: Column) -> bool:
    found, _ = header_map(layout, [text])
    return found.get(0) is column


def _render(plan: Plan) -> None:
    for change in plan.changes:
        if change.status is Status.UNCHANGED:
            continue
        schema = schema_for(change.rows.layout.kind.value)
        try:
            change.text = dump_record(change.data, schema)
        except ValueError as exc:
            plan.errors.append(
                f"{change.rows.sheet.where(change.rows.rows[0])}：无法写成 YAML（{exc}）"
            )


def diff_lines(change: Change) -> list[str]:
    """What changes, field by field, with the fields' Chinese titles."""
    old, new = _leaves(change.old or {}, ()), _leaves(change.data, ())
    titles = {c.path: c.title for c in change.rows.layout.columns}
    lines = []
    for path in sorted(set(old) | set(new), key=lambda p: _position(change.rows.layout, p)):
        if old.get(path) != new.get(path):
            title = titles.get(_generic(change.rows.layout, path), ".".join(map(str, path)))
            lines.append(f"  {title}：{_shown(old.get(path))} → {_shown(new.get(path))}")
    return lines


def _generic(layout: Layout, path: ColumnPath) -> ColumnPath:
    if layout.expanded and len(path) > 1 and path[0] == layout.expanded:
        return (path[0], EACH, *path[2:])
    return path


def _position(layout: Layout, path: ColumnPath) -> tuple[int, str]:
    order = {c.path: i for i, c in enumerate(layout.columns)}
    return order.get(_generic(layout, path), len(order)), ".".join(map(str, path))


def _leaves(data: Any, where: ColumnPath) -> dict[ColumnPath, Any]:
    if isinstance(data, dict):
        out: dict[ColumnPath, Any] = {}
        for key, value in data.items():
            out |= _leaves(value, (*where, key))
        return out
    if isinstance(data, list) and data and all(isinstance(v, dict) for v in data):
        out = {}
        for index, value in enumerate(data):
            out |= _leaves(value, (*where, index))
        return out
    return {where: data}


def _shown(value: Any) -> str:
    if value is None:
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "；".join(map(str, value))
    text = str(value).replace("\n", "⏎")
    return text if len(text) <= 60 else text[:57] + "…"


def write_changes(content: Path, changes: Iterable[Change]) -> int:
    """Write new and changed records; each file is written whole (temporary file, rename)."""
    count = 0
    for change in changes:
        if change.status is Status.UNCHANGED:
            continue
        target = content / change.relative
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(target.name + ".tmp")
        temporary.write_text(change.text, encoding="utf-8", newline="\n")
        temporary.replace(target)
        count += 1
    return count
