"""How a page's context becomes its fingerprint (gongshi_portal.fingerprint, Fingerprints._walk):
every value counts, and a long list shared by many pages is walked once."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from gongshi_portal.fingerprint import _LONG, Fingerprints, Unbounded
from gongshi_portal.pages import Pager


@dataclasses.dataclass(frozen=True)
class Row:
    name: str
    due: dt.date
    fine: Decimal


def walker() -> Fingerprints:
    """The walk alone: it reads no Site for values that are not records."""
    prints = Fingerprints.__new__(Fingerprints)
    prints._records, prints._long_digests = {}, {}
    return prints


def walked(value: Any, prints: Fingerprints | None = None) -> list[str]:
    out: list[str] = []
    (prints or walker())._walk(value, out)
    return out


def rows(count: int, changed: int | None = None) -> list[Row]:
    return [
        Row(f"第{n}行", dt.date(2026, 1, 1), Decimal("100.5" if n == changed else "100"))
        for n in range(count)
    ]


@pytest.mark.parametrize("count", [3, _LONG, _LONG * 3])
def test_any_value_changed_changes_the_walk(count: int) -> None:
    same = walked({"late": rows(count), "total": count})
    assert same == walked({"late": rows(count), "total": count})
    assert same != walked({"late": rows(count, changed=count - 1), "total": count})
    assert same != walked({"late": rows(count), "total": count + 1})
    assert walked([1]) != walked([True]) != walked(["1"])
    assert walked(rows(count)[:-1]) != walked(rows(count))


def test_a_long_list_is_walked_once_for_all_the_pages_showing_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    prints, late = walker(), rows(_LONG * 10)
    items = 0
    walk_items = Fingerprints._walk_items

    def counted(self: Fingerprints, value: Any, out: list[str]) -> None:
        nonlocal items
        items += len(value)
        walk_items(self, value, out)

    monkeypatch.setattr(Fingerprints, "_walk_items", counted)
    pages = [walked({"late": late, "page": n}, prints) for n in range(30)]
    assert items == len(late)
    assert len({tuple(p) for p in pages}) == 30
    # Another list equal to it walks the same; one that differs, not.
    assert walked({"late": list(late), "page": 0}, prints) == pages[0]
    assert walked({"late": rows(len(late), changed=5), "page": 0}, prints) != pages[0]


def test_a_value_it_cannot_read_is_unbounded() -> None:
    with pytest.raises(Unbounded):
        walked({"x": object()})


def test_a_pager_s_jumps_count() -> None:
    """Page 1 of an agency's decisions keeps its items when a decision further down moves
    from 2024 to 2023; its jump links change, so must its fingerprint (a stale "2024年"
    link otherwise)."""
    page = Pager(items=[1, 2], number=1, count=3, base="d", total=41, jumps=(("2024", 3),))
    assert walked(page) == walked(dataclasses.replace(page))
    assert walked(page) != walked(dataclasses.replace(page, jumps=(("2023", 3),)))
    assert walked(page) != walked(dataclasses.replace(page, by_region=True))
