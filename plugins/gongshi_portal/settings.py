"""The ``GONGSHI`` settings of pelicanconf.py / publishconf.py: every key, its type and its default,
in one place. Every reader goes through :func:`merged` (and :func:`typed`) or :func:`read_gongshi`.

The defaults live beside the code that uses them (the search sizes in
``gongshi_search.shards.ShardSettings``, the signing settings in ``gongshi_trust.config``); this
module only collects them. Configured values are merged key by key with the defaults, so a
configuration that sets one search size keeps the others. An unknown key, at the top level or
inside a namespace, or a value of the wrong type is a :class:`SettingsError` naming it: a typo
must never leave a setting silently at its default. docs/portal.md documents every key
(tests/test_settings.py keeps the two in step).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gongshi_search import ShardSettings
from gongshi_trust.config import TRUST_DEFAULTS

SETTING = "GONGSHI"


class SettingsError(ValueError):
    """A ``GONGSHI`` setting that is unknown or has a value of the wrong type."""


@dataclass(frozen=True)
class Setting:
    """One key: the types its value may have and its default. Numbers must be positive (sizes,
    counts and periods only); ``date`` means an ISO date, as a string or a date."""

    kinds: tuple[type, ...]
    default: Any
    maximum: int | None = None


def _kinds(hint: Any) -> tuple[type, ...]:
    """``int | None`` → (int, NoneType); a float setting also takes an int."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        return tuple(k for arg in typing.get_args(hint) for k in _kinds(arg))
    return (float, int) if hint is float else (hint,)


def _search_settings() -> dict[str, Setting]:
    hints = typing.get_type_hints(ShardSettings)
    return {
        f.name: Setting(_kinds(hints[f.name]), f.default) for f in dataclasses.fields(ShardSettings)
    }


# The types of the signing settings (gongshi_trust keeps their defaults).
_TRUST_KINDS: Mapping[str, tuple[type, ...]] = {
    "signing_key": (str, os.PathLike, type(None)),  # the Ed25519 private key, outside the repo
    "statement_days": (int,),  # the signed statement expires as-of + this many days
}
_TRUST_MAXIMUM = {"statement_days": 366}  # gongshi_trust refuses a statement valid for years

TOP_LEVEL: Mapping[str, Setting] = {
    "as_of": Setting((dt.date, type(None)), None),  # `gongshi build --as-of`; None = today
    "publish": Setting((bool,), False),  # `gongshi build --publish` / publishconf.py
}
NAMESPACES: Mapping[str, Mapping[str, Setting]] = {
    "search": _search_settings(),
    "trust": {
        key: Setting(_TRUST_KINDS[key], value, _TRUST_MAXIMUM.get(key))
        for key, value in TRUST_DEFAULTS.items()
    },
}


def registered_keys() -> list[str]:
    """Every key by its documented name: ``as_of``, ``search.bucket_bytes``, …"""
    names = list(TOP_LEVEL)
    for space, keys in NAMESPACES.items():
        names += [f"{space}.{key}" for key in keys]
    return names


@dataclass(frozen=True)
class GongshiSettings:
    """``GONGSHI``, checked and complete."""

    as_of: dt.date | None
    publish: bool
    search: ShardSettings
    trust: Mapping[str, Any]


def merged(raw: Mapping[str, Any] | None) -> dict[str, Any]:
    """``raw`` merged key by key with the defaults, every value checked: the plain dict
    Pelican's settings carry. Every problem is reported at once."""
    if raw is not None and not isinstance(raw, Mapping):
        raise SettingsError(f"{SETTING} 应为字典（{{键: 值}}），当前为 {_shown(raw)}")
    given = dict(raw or {})
    problems: list[str] = []
    result: dict[str, Any] = {}
    for key in _unknown(given, [*TOP_LEVEL, *NAMESPACES]):
        problems.append(_unknown_message(SETTING, key, [*TOP_LEVEL, *NAMESPACES]))
    for key, setting in TOP_LEVEL.items():
        result[key] = _checked(f"{SETTING}['{key}']", given.get(key, setting.default), setting)
    for space, settings in NAMESPACES.items():
        result[space] = _namespace(space, given.get(space), settings, problems)
    errors = [str(v) for v in _errors(result)]
    if problems or errors:
        raise SettingsError("；".join([*problems, *errors]))
    return result


def read_gongshi(raw: Mapping[str, Any] | None) -> GongshiSettings:
    """The checked settings, typed: what the build reads."""
    return typed(merged(raw))


def typed(values: Mapping[str, Any]) -> GongshiSettings:
    """What :func:`merged` returned, as the typed settings (no second check)."""
    as_of = values["as_of"]
    return GongshiSettings(
        as_of=dt.date.fromisoformat(as_of) if isinstance(as_of, str) else as_of,
        publish=values["publish"],
        search=ShardSettings(**values["search"]),
        trust=dict(values["trust"]),
    )


class _Invalid:
    """A value that failed its check, kept in place so every problem is reported together."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __str__(self) -> str:
        return self.message


def _errors(values: Any) -> list[_Invalid]:
    if isinstance(values, _Invalid):
        return [values]
    if isinstance(values, dict):
        return [e for v in values.values() for e in _errors(v)]
    return []


def _namespace(
    space: str, raw: Any, settings: Mapping[str, Setting], problems: list[str]
) -> dict[str, Any]:
    name = f"{SETTING}['{space}']"
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        problems.append(f"{name} 应为字典（{{键: 值}}），当前为 {_shown(raw)}")
        raw = {}
    problems += [_unknown_message(name, key, list(settings)) for key in _unknown(raw, settings)]
    return {
        key: _checked(f"{name}['{key}']", raw.get(key, setting.default), setting)
        for key, setting in settings.items()
    }


def _unknown(given: Mapping[Any, Any], known: typing.Iterable[str]) -> list[str]:
    names = set(known)
    return sorted(str(k) for k in given if k not in names)


def _unknown_message(where: str, key: str, known: list[str]) -> str:
    return f"{where} 中有不认识的设置“{key}”（可用：{', '.join(known)}）"


def _checked(name: str, value: Any, setting: Setting) -> Any:
    """The value as the build reads it, or an :class:`_Invalid` saying what is wrong."""
    kinds = setting.kinds
    if value is None:
        return None if type(None) in kinds else _Invalid(f"{name} 不能为空")
    if dt.date in kinds:
        return _date(name, value)
    # bool is an int in Python; `bucket_bytes: True` is a mistake, not 1.
    if isinstance(value, bool) and bool not in kinds:
        return _Invalid(f"{name} 应为{_wanted(kinds)}，当前为 {_shown(value)}")
    if not isinstance(value, tuple(k for k in kinds if k is not type(None))):
        return _Invalid(f"{name} 应为{_wanted(kinds)}，当前为 {_shown(value)}")
    if isinstance(value, int | float) and not isinstance(value, bool) and value <= 0:
        return _Invalid(f"{name} 应为正数，当前为 {_shown(value)}")
    if setting.maximum is not None and isinstance(value, int) and value > setting.maximum:
        return _Invalid(f"{name} 不能大于 {setting.maximum}，当前为 {_shown(value)}")
    if isinstance(value, str) and not value.strip():
        return _Invalid(f"{name} 不能为空字符串；不用时写 None")
    return value


def _date(name: str, value: Any) -> Any:
    if isinstance(value, dt.datetime) or not isinstance(value, str | dt.date):
        return _Invalid(f"{name} 应为日期（YYYY-MM-DD）或 None，当前为 {_shown(value)}")
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        return _Invalid(f"{name} 应为日期（YYYY-MM-DD）或 None，当前为 {_shown(value)}")


_KIND_NAMES = {
    int: "整数",
    float: "数字",
    bool: "True 或 False",
    str: "字符串",
    type(None): "None",
    dt.date: "日期",
    os.PathLike: "路径",
}


def _wanted(kinds: tuple[type, ...]) -> str:
    names = dict.fromkeys(_KIND_NAMES.get(k, k.__name__) for k in kinds)
    if "数字" in names:
        names.pop("整数", None)
    return "或".join(names)


def _shown(value: Any) -> str:
    return repr(value)
