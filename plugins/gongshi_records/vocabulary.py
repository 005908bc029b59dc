"""The one vocabulary of the portal: decision categories, penalty kinds, party kinds and review
opinions, read from ``schemas/vocabulary.json``, which every schema refers to. Templates,
exports, spreadsheets and rules take their lists from here, so no two of them can disagree.

Values the portal once used and has since renamed (``x-replaced``: 权责清单 said 行政征收 where
decisions say 行政征收征用) are upgraded when a record is loaded, with a warning naming the new
value: a content repository written before the rename keeps validating.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from enum import StrEnum
from typing import Any

from .paths import SCHEMA_DIR

VOCABULARY_FILE = "vocabulary.json"


def _load() -> Mapping[str, Any]:
    with (SCHEMA_DIR / VOCABULARY_FILE).open(encoding="utf-8") as handle:
        defs: Mapping[str, Any] = json.load(handle)["$defs"]
    return defs


_DEFS = _load()

CATEGORIES: tuple[str, ...] = tuple(_DEFS["category"]["enum"])
PENALTY_KINDS: tuple[str, ...] = tuple(_DEFS["penalty_kind"]["enum"])
PARTY_KINDS: tuple[str, ...] = tuple(_DEFS["party_kind"]["enum"])
REVIEW_OPINIONS: tuple[str, ...] = tuple(_DEFS["review_opinion"]["enum"])
PASSING_OPINIONS: frozenset[str] = frozenset(_DEFS["review_opinion"]["x-passing"])
REPLACED_CATEGORIES: Mapping[str, str] = dict(_DEFS["category"]["x-replaced"])
# Each category's ASCII name in list URLs (decisions/penalty/…), in the list's order.
CATEGORY_SLUGS: Mapping[str, str] = {c: _DEFS["category"]["x-slugs"][c] for c in CATEGORIES}


class Category(StrEnum):
    """The categories code treats specially (the rest only ever come from the list above)."""

    PENALTY = "行政处罚"
    LICENCE = "行政许可"
    COERCION = "行政强制"
    INSPECTION = "行政检查"
    OTHER = "其他"


class PenaltyKind(StrEnum):
    """The penalty kinds rules single out (grades, catalogue thresholds, publication)."""

    WARNING = "警告"
    CRITICISM = "通报批评"
    FINE = "罚款"
    CONFISCATE_GAINS = "没收违法所得"
    CONFISCATE_PROPERTY = "没收非法财物"
    REVOKE_LICENCE = "吊销许可证件"
    SUSPEND_BUSINESS = "责令停产停业"
    CLOSE = "责令关闭"
    BAR_FROM_TRADE = "限制从业"
    DETENTION = "行政拘留"


class PartyKind(StrEnum):
    ORGANISATION = "法人及非法人组织"
    INDIVIDUAL_BUSINESS = "个体工商户"
    NATURAL_PERSON = "自然人"


# Checked when the module loads: a renamed value in the JSON file fails at once, not in a page.
assert set(Category) <= set(CATEGORIES), "vocabulary.json lost a category the code names"
assert set(PenaltyKind) <= set(PENALTY_KINDS), "vocabulary.json lost a penalty kind the code names"
assert set(PartyKind) == set(PARTY_KINDS), "vocabulary.json and PartyKind disagree"
assert set(REPLACED_CATEGORIES.values()) <= set(CATEGORIES)

JsonPath = tuple[str | int, ...]


def replaced_values(data: object, where: JsonPath = ()) -> Iterator[tuple[JsonPath, str, str]]:
    """Every ``category`` field at any depth holding a renamed value: (path, old, new)."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "category" and isinstance(value, str) and value in REPLACED_CATEGORIES:
                yield (*where, key), value, REPLACED_CATEGORIES[value]
            else:
                yield from replaced_values(value, (*where, key))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from replaced_values(item, (*where, index))


def upgrade(data: Any) -> Any:
    """``data`` with every renamed value replaced by its current one (a copy where changed)."""
    if isinstance(data, dict):
        return {
            key: REPLACED_CATEGORIES.get(value, value)
            if key == "category" and isinstance(value, str)
            else upgrade(value)
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [upgrade(item) for item in data]
    return data
