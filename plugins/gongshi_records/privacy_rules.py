"""The privacy rules over records: every published string of every record is scanned for
personal data (privacy.py) and for invisible characters, identifier fields and file names
included. A value that validates as what its field says it is (a 统一社会信用代码 with the right
check character, a certificate number of the portal's pattern) is that, not a phone or an ID
number; a record may exempt a text it must publish, with a reason (``privacy_exemptions``),
which ``gongshi report`` lists (gongshi_history/privacy_checks.py).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import unquote

from .findings import Finding, error
from .identifiers import USCC_SHAPE, uscc_valid
from .model import Corpus, Record, finding_at, walk
from .patterns import safe_fullmatch, safe_pattern
from .privacy import Leak, find_invisible, find_leaks, has_invisible, too_few_digits
from .registry import Kind
from .schema import dotted, resolve_refs, schema_for
from .yamlload import JsonPath

EXEMPTIONS = "privacy_exemptions"


@dataclass(frozen=True)
class Exemption:
    index: int  # its place in the record's privacy_exemptions list
    text: str
    reason: str


def exemptions(record: Record) -> list[Exemption]:
    """The record's exemptions that the schema lets through (text and reason both strings)."""
    entries = record.get(EXEMPTIONS, default=[])
    return [
        Exemption(i, entry["text"], entry["reason"])
        for i, entry in enumerate(entries if isinstance(entries, list) else [])
        if isinstance(entry, dict)
        and isinstance(entry.get("text"), str)
        and isinstance(entry.get("reason"), str)
    ]


def strings(value: Any, where: JsonPath = ()) -> list[tuple[JsonPath, str]]:
    """Every string in a record's data with its path (numbers, dates as typed, booleans are
    not text: an amount is never a phone number)."""
    return [(at, item) for at, item in walk(value, where) if isinstance(item, str)]


def privacy(record: Record) -> Iterator[Finding]:
    """No unmasked ID number, mobile number or bank card in any string that gets published,
    unless the record exempts exactly that text; an exemption that exempts nothing is a
    warning. Certificate-number fields are judged with the portal's pattern
    (``certificate_privacy``)."""
    allowed = {e.text: e for e in exemptions(record)}
    used: set[str] = set()
    for where, value in strings(record.data):
        if _holds_no_number(value):  # most strings: nothing decoded_leaks could find
            continue
        exempted = len(where) == 3 and where[0] == EXEMPTIONS and where[2] == "text"
        if exempted or is_cert_field(record.kind, where):
            continue
        if _is_valid_credit_code(where, value):
            continue
        for leak, offset in decoded_leaks(value):
            if leak.text in allowed:
                used.add(leak.text)
                continue
            line, col = _position(record, where, value, offset)
            yield error(record.path, line, col, leak.rule, _message(where, leak))
    for part, leak in _path_leaks(record):
        if leak.text in allowed:
            used.add(leak.text)
            continue
        what = "文件名" if part.endswith(".yaml") else "文件夹名"
        message = (
            f"{what}「{part}」含有{_KINDS[leak.rule]}：文件夹名和文件名会出现在网站的网址中，"
            f"请给{what[:-1]}改名（机构代号、编号用小写字母、数字和连字符，不含个人信息）"
        )
        yield error(record.path, 1, 1, leak.rule, message)
    for exemption in allowed.values():
        if exemption.text not in used:
            yield finding_at(
                record,
                (EXEMPTIONS, exemption.index, "text"),
                "privacy.exemption-unused",
                f"隐私检查豁免「{exemption.text}」没有对应本记录中任何检查出的号码：豁免的文字须与"
                "记录中的写法一字不差（含空格和连字符）；号码已删除或改正的，请删除这条豁免",
                warn=True,
            )


def invisible_text(record: Record) -> Iterator[Finding]:
    """No zero-width or bidi control character in any string: they show nothing, yet change
    how a name or number reads or the order it is shown in."""
    texts = strings(record.data)
    # Most records have none: one search of all their text, not one of each string.
    if not has_invisible("".join([value for _where, value in texts])):
        return
    for where, value in texts:
        found = list(find_invisible(value))
        if not found:
            continue
        offset, name = found[0]
        char = value[offset]
        more = f"（共 {len(found)} 个）" if len(found) > 1 else ""
        line, col = _position(record, where, value, offset)
        yield error(
            record.path,
            line,
            col,
            "text.invisible",
            f"「{dotted(where)}」含有不可见字符 U+{ord(char):04X}（{name}）{more}：它不显示，"
            "却会改变文字或号码的读法和显示顺序，请删除（多由复制粘贴带入）",
        )


def certificate_privacy(corpus: Corpus) -> Iterator[Finding]:
    """Certificate numbers (an officer's ``cert_no``, a decision's ``officers`` and
    ``reviewers``) are scanned too, unless they match the portal's ``cert_no_pattern``: in a
    province whose numbers start 13, 14 or 15 an 11-digit number is a certificate there."""
    pattern = _cert_pattern(corpus)
    # Each number once: 10,000 officers sign 100,000 decisions of a province.
    leaks: dict[str, list[Leak]] = {}
    for record in corpus.subjects():
        for where, value in cert_values(record):
            if value not in leaks:
                leaks[value] = [] if _matches(pattern, value) else list(find_leaks(value))
            for leak in leaks[value]:
                hint = (
                    "；若这确是执法证号，请在 portal.yaml 的 cert_no_pattern 中写明本省证号格式"
                    if pattern is None
                    else ""
                )
                yield finding_at(record, where, leak.rule, _message(where, leak) + hint)


def site_allowances(corpus: Corpus) -> frozenset[str]:
    """What the scan of the built site (sitescan.py) must let through: every exempted text,
    and every identifier that validated as what its field says it is (credit codes, certificate
    numbers of the portal's pattern), which pages and URLs show as they are."""
    pattern = _cert_pattern(corpus)
    allowed: set[str] = set()
    for record in corpus:
        allowed.update(e.text for e in exemptions(record))
        allowed.update(value for _where, value in cert_values(record) if _matches(pattern, value))
        allowed.update(code for code in credit_code_values(record.data) if _is_valid_uscc(code))
    return frozenset(allowed)


def credit_code_values(data: Any) -> Iterator[str]:
    """The strings of every field named ``credit_code``, at any depth: the values
    ``_is_valid_credit_code`` looks at, without a path for every string of the record (the
    long texts of 100,000 decisions)."""
    stack = [data]
    while stack:
        node = stack.pop()
        if not isinstance(node, dict | list):
            continue
        children = node.items() if isinstance(node, dict) else enumerate(node)
        for key, child in children:
            if isinstance(child, str):
                if key == "credit_code":
                    yield child
            elif isinstance(child, dict | list):
                stack.append(child)


def _holds_no_number(value: str) -> bool:
    """Whether ``decoded_leaks(value)`` is sure to find nothing: too few digits to read, and no
    escape to decode into more."""
    return too_few_digits(value) and "&" not in value and "%" not in value


def decoded_leaks(value: str) -> Iterator[tuple[Leak, int]]:
    """The leaks of ``value`` with their offsets in it, and those a reader gets once the page
    decodes HTML entities (``138&#8203;1234``) or a link its URL escapes (``tel:%2B86…``),
    located at the start of their line."""
    seen = set()
    for leak in find_leaks(value):
        seen.add(leak.digits)
        yield leak, leak.offset
    if "&" not in value and "%" not in value:
        return  # nothing to decode (most texts)
    start = 0
    for line in value.split("\n"):  # neither kind of escape spans a line
        decoded = [html.unescape(line)] if "&" in line else []
        decoded += [unquote(line)] if "%" in line else []
        for text in decoded:
            for leak in find_leaks(text):
                if leak.digits not in seen:
                    seen.add(leak.digits)
                    yield leak, start
        start += len(line) + 1


_KINDS = {
    "privacy.mobile": "手机号码",
    "privacy.id-number": "身份证号",
    "privacy.bank-card": "银行卡号",
}
_AGENCIES = "agencies/"


def _path_leaks(record: Record) -> Iterator[tuple[str, Leak]]:
    """The leaks in the names of the record's file and of its folders under content/. The
    agency's own folder is reported once, with its agency.yaml; an officer's file named by its
    certificate number is that number, judged by certificate_privacy with the portal's
    pattern."""
    path = record.path
    anchor = path.rfind(f"{_AGENCIES}{record.agency}/") if record.agency else -1
    parts = path[anchor + len(_AGENCIES) :].split("/") if anchor >= 0 else [path.rsplit("/")[-1]]
    if anchor >= 0 and record.kind != Kind.AGENCY:
        parts = parts[1:]
    certs = {value for _where, value in cert_values(record)}
    for part in parts:
        if part.endswith(".yaml") and part[: -len(".yaml")] in certs:
            continue
        for leak in find_leaks(part):
            yield part, leak


def _message(where: JsonPath, leak: Leak) -> str:
    return f"「{dotted(where)}」{leak.message}"


def _cert_pattern(corpus: Corpus) -> re.Pattern[str] | None:
    # An unsafe or broken pattern is setting.pattern's finding (patterns.py), never matched.
    return safe_pattern(corpus.portal.get("cert_no_pattern") if corpus.portal else None)


def _matches(pattern: re.Pattern[str] | None, value: str) -> bool:
    return pattern is not None and safe_fullmatch(pattern, value)


def _is_valid_credit_code(where: JsonPath, value: str) -> bool:
    named = bool(where) and where[-1] == "credit_code"
    return named and _is_valid_uscc(value)


def _is_valid_uscc(value: str) -> bool:
    return USCC_SHAPE.fullmatch(value) is not None and uscc_valid(value)


def is_cert_field(kind: str, where: JsonPath) -> bool:
    """Whether the schema of ``kind`` declares the field at ``where`` a certificate number
    (its ``$defs/cert_no``)."""
    return tuple(isinstance(p, int) or p for p in where) in _cert_shapes(kind)


def cert_values(record: Record) -> Iterator[tuple[JsonPath, str]]:
    """The strings of the record's certificate-number fields with their paths: the strings
    for which ``is_cert_field`` holds, found by following the schema's paths instead of
    walking every string (most records have none)."""
    for shape in _cert_shapes(record.kind):
        yield from _strings_at(record.data, shape, ())


def _strings_at(
    node: object, shape: tuple[str | bool, ...], where: JsonPath
) -> Iterator[tuple[JsonPath, str]]:
    if not shape:
        if isinstance(node, str):
            yield where, node
        return
    head, rest = shape[0], shape[1:]
    if head is True and isinstance(node, list):
        for index, item in enumerate(node):
            yield from _strings_at(item, rest, (*where, index))
    elif isinstance(head, str) and isinstance(node, dict) and head in node:
        yield from _strings_at(node[head], rest, (*where, head))


@cache
def _cert_shapes(kind: str) -> tuple[tuple[str | bool, ...], ...]:
    """The paths (list indexes as ``True``) of the certificate-number fields of ``kind``, in
    the schema's order."""
    try:
        root = schema_for(kind)
    except OSError:
        return ()
    return tuple(dict.fromkeys(_refs_to(root, root, "/cert_no", ())))


def _refs_to(
    root: Mapping[str, Any], node: Mapping[str, Any], suffix: str, at: tuple[str | bool, ...]
) -> Iterator[tuple[str | bool, ...]]:
    if str(node.get("$ref", "")).endswith(suffix):
        yield at
    node = resolve_refs(root, node)
    for key, child in node.get("properties", {}).items():
        if isinstance(child, Mapping):
            yield from _refs_to(root, child, suffix, (*at, key))
    items = node.get("items")
    if isinstance(items, Mapping):
        yield from _refs_to(root, items, suffix, (*at, True))


def _position(record: Record, where: JsonPath, value: str, offset: int) -> tuple[int, int]:
    """The line and column of ``value[offset]`` in the record's file. In a block (``|``,
    ``>``) each text line is a file line; a value on one line is counted from its start (past
    the quote); elsewhere the value's own position is the best there is."""
    mark = record.mark(where)
    before = value[:offset]
    if mark.style in ("|", ">"):
        return mark.line + 1 + before.count("\n"), 1
    if "\n" in value:
        return mark.line, mark.col
    return mark.line, mark.col + offset + (1 if mark.style in ("'", '"') else 0)
