"""Rules one record can be checked against on its own, beyond what its schema says."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from .avlist import av_list_forms
from .bounds import bounds
from .calendarsource import calendar_source
from .catalogue import hearing_major
from .discretion import benchmark_levels
from .entrustment import entrustment_fields
from .findings import Finding
from .identifiers import (
    DOC_NO_STANDARD,
    USCC_SHAPE,
    doc_no_year,
    normalise_doc_no,
    uscc_valid,
)
from .model import Record, finding_at, walk, walked_once
from .privacy_rules import invisible_text, privacy
from .registry import Kind, record_type
from .views import Decision

RecordRule = Callable[[Record], Iterator[Finding]]

# The first year a decision (and so a year of statistics) may be dated in: the statistics
# schema's own minimum `year`.
EARLIEST_YEAR = 2000


def credit_codes(record: Record) -> Iterator[Finding]:
    """Every 统一社会信用代码 in the record passes the GB 32100 check digit."""
    for where, value in walk(record.data):
        is_code = bool(where) and where[-1] == "credit_code" and isinstance(value, str)
        # A code of the wrong shape is the schema's finding; here only the check character.
        if is_code and USCC_SHAPE.fullmatch(value) and not uscc_valid(value):
            yield finding_at(
                record,
                where,
                "credit-code",
                f"统一社会信用代码 {value} 校验位不正确：请与营业执照或公示系统核对每一位",
            )


def file_stem(record: Record) -> Iterator[Finding]:
    """The file name repeats the record's own identifier, so the URL and the record agree."""
    field = record_type(record.kind).id_field
    if field is None:
        return
    rule = f"{field.replace('_', '-')}.filename"
    value = record.get(field)
    if value is not None and str(value) != record.place.stem:
        yield finding_at(
            record,
            (field,),
            rule,
            f"{field} 为 {value}，与文件名 {record.place.stem}.yaml 不一致："
            f"请把文件改名为 {value}.yaml",
        )


def date_order(record: Record) -> Iterator[Finding]:
    """A period never ends before it starts."""
    for prefix in ((), ("license",), ("entrustment",)):
        start, end = record.date(*prefix, "valid_from"), record.date(*prefix, "valid_until")
        if start and end and end < start:
            yield finding_at(
                record,
                (*prefix, "valid_until"),
                "date.order",
                f"有效期截止日 {end} 早于起始日 {start}：请核对两个日期",
            )


def decision_dates(record: Record) -> Iterator[Finding]:
    """A decision's folder year matches its date; its withdrawal, publicity end and filing
    (备案) cannot precede it."""
    if record.kind != Kind.DECISION:
        return
    decided = record.date("decided_on")
    if decided and decided.year < EARLIEST_YEAR:
        # Statistics are owed from an agency's first year on: a typed 0999 or 1900 would make
        # it owe (and the site list) every year since. No portal publishes decisions that old.
        yield finding_at(
            record,
            ("decided_on",),
            "decision.too-old",
            f"决定日期 {decided} 早于 {EARLIEST_YEAR} 年：请核对年份是否写错",
        )
    folder = record.place.folder_year
    if decided and folder and str(decided.year) != folder:
        yield finding_at(
            record,
            ("decided_on",),
            "decision.folder-year",
            f"决定日期在 {decided.year} 年，但文件放在 decisions/{folder}/ 下："
            f"请移到 decisions/{decided.year}/",
            warn=True,
        )
    occurred = record.date("withdrawal", "occurred_on")
    if decided and occurred and occurred < decided:
        yield finding_at(
            record,
            ("withdrawal", "occurred_on"),
            "date.order",
            f"撤回事由发生日 {occurred} 早于决定日期 {decided}：请核对",
        )
    until = record.date("publicity_until")
    if decided and until and until < decided:
        yield finding_at(
            record,
            ("publicity_until",),
            "date.order",
            f"公示截止日 {until} 早于决定日期 {decided}：请核对",
        )
    filed = record.date("filed_on")
    if decided and filed and filed < decided:
        yield finding_at(
            record,
            ("filed_on",),
            "date.order",
            f"备案日期 {filed} 早于决定日期 {decided}：先作出决定才能备案，请核对",
        )


def doc_no_format(record: Record) -> Iterator[Finding]:
    """文号 follows GB/T 9704-2012: agency code + 〔YYYY〕 + serial + 号."""
    doc_no = record.get("doc_no")
    if record.kind != Kind.DECISION or not isinstance(doc_no, str):
        return
    # Full-width digits, a leading zero or an invisible space pass the pattern but are not the
    # standard spelling either: the normalised form differs from what was typed.
    if DOC_NO_STANDARD.match(doc_no) and normalise_doc_no(doc_no) == doc_no:
        return
    year = doc_no_year(doc_no)
    example = f"机关代字〔{year or 'YYYY'}〕序号号"
    yield finding_at(
        record,
        ("doc_no",),
        "doc-no.format",
        f"文号「{doc_no}」不是标准格式：年份应使用六角括号〔〕，数字用半角，"
        f"序号前不加“第”也不加 0，不含空格，例如 {example}",
        warn=True,
    )


def review_people(record: Record) -> Iterator[Finding]:
    """A legal review names who reviewed: officers with the 法制审核 role, advisers, or both."""
    if record.kind != Kind.DECISION:
        return
    review = Decision(record).review
    # A list of the wrong type is the schema's finding; only two empty (or absent) lists here.
    named = [record.get("review", field) for field in ("reviewers", "advisers")]
    if review is not None and all(value in (None, []) for value in named):
        yield finding_at(
            record,
            ("review",),
            "review.nobody",
            "法制审核没有写审核人：请在 reviewers 中填写本主体法制审核人员的执法证号，"
            "或在 advisers 中填写法律顾问的编号，合计至少一人",
            at_key=True,
        )


def flowchart_graph(record: Record) -> Iterator[Finding]:
    """Edges join existing nodes; one start; every node can be reached from it."""
    if record.kind != Kind.FLOWCHART:
        return
    # Malformed lists and ids are the schema's findings; here they must only not crash.
    nodes = [n for n in _list(record.get("nodes")) if isinstance(n, dict)]
    ids = {_hashable(n.get("id")): i for i, n in enumerate(nodes)}
    starts = [_hashable(n.get("id")) for n in nodes if n.get("kind") == "start"]
    if len(starts) != 1:
        yield finding_at(
            record,
            ("nodes",),
            "flowchart.start",
            f"流程图应有且只有一个开始节点（kind: start），当前有 {len(starts)} 个",
            at_key=True,
        )
    graph: dict[Any, list[Any]] = {node_id: [] for node_id in ids}
    for i, edge in enumerate(_list(record.get("edges"))):
        if not isinstance(edge, dict):
            continue
        ends = {end: _hashable(edge.get(end)) for end in ("from", "to")}
        for end, target in ends.items():
            if target not in ids:
                yield finding_at(
                    record,
                    ("edges", i, end),
                    "flowchart.edge",
                    f"连线指向不存在的节点「{target}」：可用节点为 {'、'.join(map(str, ids))}",
                )
        if ends["from"] in ids and ends["to"] in ids:
            graph[ends["from"]].append(ends["to"])
    if len(starts) == 1:
        reached = _reachable(graph, starts[0])
        for node_id, index in ids.items():
            if node_id not in reached:
                yield finding_at(
                    record,
                    ("nodes", index, "id"),
                    "flowchart.unreachable",
                    f"节点「{node_id}」从开始节点无法到达：请补上指向它的连线",
                )


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _hashable(value: Any) -> Any:
    """A node id usable as a key: a scalar as written, anything else as its text."""
    return value if value is None or isinstance(value, str | int | float) else str(value)


def _reachable(graph: dict[Any, list[Any]], start: Any) -> set[Any]:
    seen, queue = {start}, [start]
    while queue:
        for nxt in graph.get(queue.pop(), []):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


RECORD_RULES: tuple[RecordRule, ...] = (
    credit_codes,
    file_stem,
    date_order,
    decision_dates,
    doc_no_format,
    review_people,
    hearing_major,
    privacy,
    invisible_text,
    flowchart_graph,
    entrustment_fields,
    av_list_forms,
    benchmark_levels,
    bounds,
    calendar_source,
)


def record_findings(record: Record) -> list[Finding]:
    with walked_once(record.data):  # four rules walk every value of the record
        return [finding for rule in RECORD_RULES for finding in rule(record)]
