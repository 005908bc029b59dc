"""Where a working-day calendar file comes from (``source`` in content/calendar/<year>.yaml).

A calendar decides legal deadlines, so its source must be what was published: the State Council
notice's title and number, exactly (``source: {title, number, url?}``), or, for demo data and
calendars worked out before the notice appears, a plain statement that it is not official
(``source: {official: false, note}``). The old one-line form (``source: 国办发明电〔2025〕7号``)
is still read, with a ``calendar.source`` warning that shows the new form; an unofficial
calendar that cites a notice number or address is an error (``calendar.unofficial``): the issue
this fixes is demo data dressed as an official notice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .findings import Finding
from .model import Record, finding_at
from .registry import Kind

# "国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕9号）": title, then number.
_TITLE_AND_NUMBER = re.compile(r"^(?P<title>.+?)[（(](?P<number>[^（）()]*〔\d{4}〕\d+号)[）)]$")
_NUMBER = re.compile(r"^\S*〔\d{4}〕\d+号$")


@dataclass(frozen=True)
class CalendarSource:
    """A calendar file's ``source``, read leniently (the schema reports malformed ones)."""

    official: bool | None  # None: not stated (no source, or the old one-line form)
    title: str | None = None
    number: str | None = None
    url: str | None = None
    note: str | None = None
    legacy: str | None = None  # the old one-line form, as written

    def label(self) -> str:
        """One line for people: the notice, or that the data is not official."""
        if self.official is False:
            return f"非官方数据：{self.note.rstrip('。')}" if self.note else "非官方数据"
        if self.official:
            cited = f"{self.title}（{self.number}）"
            return f"{cited} {self.url}" if self.url else cited
        if self.legacy:
            return f"依据：{self.legacy}（旧写法，未分列通知标题和文号）"
        return "未注明依据"

    def as_dict(self) -> dict[str, Any]:
        fields = {
            "official": self.official,
            "title": self.title,
            "number": self.number,
            "url": self.url,
            "note": self.note,
            "legacy": self.legacy,
        }
        return {k: v for k, v in fields.items() if v is not None or k == "official"}


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def source_of(value: object) -> CalendarSource:
    if isinstance(value, str):
        return CalendarSource(None, legacy=_text(value))
    if not isinstance(value, Mapping):
        return CalendarSource(None)
    get = value.get
    if get("official") is False:
        return CalendarSource(False, note=_text(get("note")))
    return CalendarSource(
        True if _text(get("number")) else None,
        title=_text(get("title")),
        number=_text(get("number")),
        url=_text(get("url")),
        note=_text(get("note")),
    )


def upgrade_hint(legacy: str) -> str:
    """The new form of an old one-line source, as precisely as the line allows."""
    split = _TITLE_AND_NUMBER.match(legacy)
    if split:
        return f"source: {{title: {split['title']}, number: {split['number']}}}"
    if _NUMBER.match(legacy):
        return f"source: {{title: 通知标题, number: {legacy}}}"
    return "source: {title: 通知标题, number: 通知文号}"


def calendar_source(record: Record) -> Iterator[Finding]:
    """``calendar.source`` (old one-line form) and ``calendar.unofficial`` (non-official data
    citing a notice)."""
    if record.kind != Kind.CALENDAR:
        return
    raw = record.get("source")
    if isinstance(raw, str) and raw.strip():
        message = (
            f"「依据」(source) 是旧写法（一行文字），请分列通知标题和文号，改为 "
            f"{upgrade_hint(raw.strip())}；演示数据或尚无正式通知时改为 "
            "source: {official: false, note: 给读者看的说明}"
        )
        yield finding_at(record, ("source",), "calendar.source", message, warn=True)
        return
    if not isinstance(raw, Mapping) or raw.get("official") is not False:
        return
    for key in ("number", "url"):
        if key in raw:
            message = (
                f"非官方数据（official: false）不能写通知{'文号' if key == 'number' else '网址'}"
                f"（{key}），以免被当作官方通知：按正式通知填写时删去 official: false，"
                f"否则删去 {key}"
            )
            yield finding_at(record, ("source", key), "calendar.unofficial", message)
