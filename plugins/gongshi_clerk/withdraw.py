"""`gongshi withdraw`: add the ``withdrawal:`` block to a published decision.

The block is appended as text at the end of the file, so everything the clerk wrote stays
exactly as it was (order, comments, blank lines, quoting). Before anything is written the new
text is read back with the strict loader and validated (schema, record rules and the portal's
cross-record rules); a change that adds an error is refused and the file is left untouched.
Whether the decision was ever published is a question for the history capability: the command
asks it before calling :func:`apply`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gongshi_records.crossrules import corpus_findings
from gongshi_records.findings import Finding, error, errors_of, sort_findings
from gongshi_records.model import Corpus, Record
from gongshi_records.registry import RECORD_TYPES, Kind, Place, place_of
from gongshi_records.rules import record_findings
from gongshi_records.schema import field_schema, schema_findings, schema_for
from gongshi_records.validate import display_path, repo_root, validate_content
from gongshi_records.yamlload import YamlProblem, load_text

FIELD = "withdrawal"


def causes() -> tuple[str, ...]:
    """The allowed causes, as the decision schema lists them."""
    cause = field_schema(schema_for(Kind.DECISION), (FIELD, "cause"))
    return tuple(str(value) for value in cause.get("enum", ()))


class WithdrawError(Exception):
    """The decision cannot be withdrawn this way: a Chinese message saying why."""


@dataclass(frozen=True)
class Target:
    """A decision file that may receive a withdrawal."""

    content: Path
    path: Path  # absolute
    shown: str  # repository-relative, as in findings
    place: Place
    raw: bytes


@dataclass(frozen=True)
class Outcome:
    written: bool
    errors: list[Finding]  # errors the withdrawal would add (nothing written when any)
    existing: list[Finding]  # errors the record had before, untouched by the withdrawal


def locate(content: Path, path: Path) -> Target:
    """The decision at ``path`` under ``content``; WithdrawError for anything else, for a file
    that cannot be read and for a decision that already carries a withdrawal."""
    base, absolute = content.resolve(), path.resolve()
    if not absolute.is_relative_to(base):
        raise WithdrawError(f"{path} 不在内容目录 {content} 中：请用 --content 指定记录所在目录")
    if not absolute.is_file():
        raise WithdrawError(f"找不到文件 {path}")
    place = place_of(absolute.relative_to(base).as_posix())
    decisions = RECORD_TYPES[Kind.DECISION]
    if place is None or place.kind != Kind.DECISION:
        what = f"是{RECORD_TYPES[Kind(place.kind)].label}" if place else "不是记录文件"
        raise WithdrawError(
            f"{path} {what}：只有{decisions.label}可以撤下公示（{decisions.layout}）"
        )
    raw = absolute.read_bytes()
    data = _read(raw, path)
    if FIELD in data:
        raise WithdrawError(f"{path} 已经有撤下说明（{FIELD}:），不能重复撤下：如需修改请直接编辑")
    shown = display_path(absolute, repo_root(content))
    return Target(content, absolute, shown, place, raw)


def _read(raw: bytes, path: Path) -> dict[str, Any]:
    try:
        data = load_text(raw.decode("utf-8-sig")).data
    except (UnicodeDecodeError, YamlProblem) as exc:
        detail = exc.message if isinstance(exc, YamlProblem) else "不是 UTF-8 编码"
        raise WithdrawError(f"{path} 无法读取（{detail}）：请先修正，再撤下") from exc
    if not isinstance(data, dict):
        raise WithdrawError(f"{path} 不是一条记录（应由若干“字段: 值”组成）")
    return data


def block(
    cause: str,
    occurred_on: dt.date,
    reason: str,
    newline: str = "\n",
    late_reason: str | None = None,
) -> str:
    """The ``withdrawal:`` block as YAML text; the reasons quoted so that they read back as is."""
    lines = [f"{FIELD}:", f"  cause: {cause}"]  # one of causes(): plain words, safe unquoted
    lines.append(f"  occurred_on: {occurred_on.isoformat()}")
    lines += _reason_lines(reason)
    if late_reason is not None:  # one line (the schema refuses more): always a quoted scalar
        lines.append(f"  late_reason: {json.dumps(late_reason, ensure_ascii=False)}")
    return "".join(line + newline for line in lines)


def _reason_lines(reason: str) -> list[str]:
    """A literal block for several lines of plain text, else a double-quoted scalar."""
    printable = all(ch.isprintable() or ch == "\n" for ch in reason)
    if "\n" in reason and printable and not reason.startswith((" ", "\n")):
        return ["  reason: |-", *(f"    {line}" if line else "" for line in reason.split("\n"))]
    return [f"  reason: {json.dumps(reason, ensure_ascii=False)}"]


def normalise_reason(reason: str) -> str:
    text = reason.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise WithdrawError("撤下理由（--reason）不能为空：它会在网站上向公众公开说明")
    return "\n".join(line.rstrip() for line in text.split("\n"))


def new_bytes(raw: bytes, text: str) -> bytes:
    """``raw`` with ``text`` appended, on a line of its own, in the file's line ending."""
    newline = b"\r\n" if b"\r\n" in raw else b"\n"
    separator = b"" if not raw or raw.endswith(b"\n") else newline
    body = text.encode("utf-8")
    if newline == b"\r\n":
        body = body.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    return raw + separator + body


def apply(
    target: Target,
    cause: str,
    occurred_on: dt.date,
    reason: str,
    late_reason: str | None = None,
) -> Outcome:
    """Append the withdrawal to ``target`` if that adds no error; otherwise write nothing.
    ``late_reason``: why it comes after the 3 working days (shown on the supervision pages)."""
    if cause not in causes():
        raise WithdrawError(f"撤下原因只能是：{'、'.join(causes())}（当前为 {cause}）")
    reason = normalise_reason(reason)
    late = late_reason.strip() if late_reason is not None else None
    updated = new_bytes(target.raw, block(cause, occurred_on, reason, late_reason=late))
    before = validate_content(target.content)
    after = _findings_after(target, updated, before.corpus)
    expected = {"cause": cause, "occurred_on": occurred_on.isoformat(), "reason": reason}
    if late is not None:
        expected["late_reason"] = late
    added = sorted(set(errors_of(after)) - set(before.findings))
    if not added and _read(updated, target.path).get(FIELD) != expected:
        raise WithdrawError("撤下说明写入后无法原样读回：请检查理由中的特殊字符")
    existing = [f for f in errors_of(before.findings) if f.path == target.shown]
    if added:
        return Outcome(False, added, existing)
    with target.path.open("ab") as handle:
        handle.write(updated[len(target.raw) :])
    return Outcome(True, [], existing)


def _findings_after(target: Target, updated: bytes, corpus: Corpus) -> list[Finding]:
    """Every finding of the portal as it would be with ``updated`` in place of the file."""
    shown = target.shown
    try:
        loaded = load_text(updated.decode("utf-8-sig"))
    except YamlProblem as problem:
        return [error(shown, problem.line, problem.col, problem.rule, problem.message)]
    data: dict[str, Any] = loaded.data if isinstance(loaded.data, dict) else {}
    record = Record(target.place.kind, shown, target.place, data, loaded.marks)
    own = schema_findings(record.kind, data, loaded.marks, shown) + record_findings(record)
    records = [record if r.path == shown else r for r in corpus.records]
    if all(r.path != shown for r in corpus.records):
        records.append(record)
    after = Corpus(corpus.content_dir, corpus.prefix, records)
    return sort_findings(own + corpus_findings(after))
