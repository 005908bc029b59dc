"""A natural person's full name stays out of every published text when the portal masks it.

With ``settings.party_name`` 姓氏加某 the pages, search, feeds and open data show a natural-person
party (a decision's, an inspected party's) as 张某; a facts paragraph that says 当事人张三丰
would publish the name anyway, on the decision page and, since search reads the long texts, to
anyone who types it. So the name may appear only in its own field, `party.name`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from typing import Any

from .findings import Finding
from .model import Corpus, Record, finding_at
from .privacy_rules import strings
from .publication import public_party_name, settings_for
from .registry import Kind
from .yamlload import JsonPath

NAME = ("party", "name")
MIN_NAME = 2  # a one-character name would match everywhere; no full name is that short


def _hidden_name(party: Record, settings: Mapping[str, Any]) -> tuple[str, str] | None:
    """(the full name the portal hides, what it shows instead), or None when it shows the
    party as written."""
    name = party.get(*NAME)
    if not isinstance(name, str) or len(name.strip()) < MIN_NAME:
        return None
    shown = public_party_name(party, settings)
    return (name.strip(), shown) if shown != name else None


def _texts_naming(
    record: Record, part: Any, where: JsonPath, hidden: tuple[str, str]
) -> Iterator[Finding]:
    name, shown = hidden
    for at, text in strings(part, where):
        if at[len(where) :] != NAME and name in text:
            yield finding_at(
                record,
                at,
                "privacy.party-name",
                f"这里写了当事人的全名“{name}”，而本平台对自然人当事人只公开“姓氏加某”：请改为"
                f"“{shown}”或“当事人”；全名只写在 party.name 中",
            )


def masked_party_names(corpus: Corpus) -> Iterator[Finding]:
    """No text of a decision or of an inspection result repeats a masked party's full name."""
    settings: dict[str | None, dict[str, Any]] = {}
    for kind in (Kind.DECISION, Kind.INSPECTION):
        for record in corpus.subjects(kind):
            if record.agency not in settings:
                settings[record.agency] = settings_for(corpus, record.agency)
            yield from _record_names(record, settings[record.agency])


def _record_names(record: Record, settings: Mapping[str, Any]) -> Iterator[Finding]:
    if record.kind == Kind.DECISION:
        hidden = _hidden_name(record, settings)
        if hidden:
            yield from _texts_naming(record, record.data, (), hidden)
        return
    results = record.get("results", default=[])
    for index, item in enumerate(results if isinstance(results, list) else []):
        if isinstance(item, dict):
            # A result has a decision's party shape, so the one masking rule applies.
            hidden = _hidden_name(dataclasses.replace(record, data=item), settings)
            if hidden:
                yield from _texts_naming(record, item, ("results", index), hidden)
