"""Which fields one version of a record added, changed or removed compared with the previous one.

Field names are dotted paths as in findings (``penalty.fine``, ``withdrawal``). A mapping present
on both sides is compared field by field; a new or removed mapping is named once (``review``, not
each of its fields); lists are compared whole (``officers``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldDiff:
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return self.added + self.changed + self.removed

    def __bool__(self) -> bool:
        return bool(self.names)


def field_diff(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> FieldDiff:
    """Differences between two versions of a record (None: absent or unreadable = no fields)."""
    added: list[str] = []
    changed: list[str] = []
    removed: list[str] = []
    _compare(old or {}, new or {}, "", added, changed, removed)
    return FieldDiff(tuple(added), tuple(changed), tuple(removed))


def _compare(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    prefix: str,
    added: list[str],
    changed: list[str],
    removed: list[str],
) -> None:
    for key, value in new.items():
        name = f"{prefix}{key}"
        if key not in old:
            added.append(name)
        elif isinstance(value, Mapping) and isinstance(old[key], Mapping):
            _compare(old[key], value, f"{name}.", added, changed, removed)
        elif not _same(old[key], value):
            changed.append(name)
    removed.extend(f"{prefix}{key}" for key in old if key not in new)


def _same(a: Any, b: Any) -> bool:
    # 1 == 1.0 == True in Python; a clerk changing `fine: 1` to `fine: true` changed the field.
    return type(a) is type(b) and bool(a == b)
