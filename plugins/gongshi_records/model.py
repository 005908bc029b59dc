"""The one record model: every record of a portal, loaded once, indexed for every later layer."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .findings import Finding, error, warning
from .identifiers import normalise_doc_no
from .registry import RECORD_TYPES, Kind, Place
from .yamlload import JsonPath, Mark, mark_at

# The years a record's date may fall in: the People's Republic's first to a century ahead. A
# typed 9999-12-31 (for "no end") or 0001-01-01 is a date.range finding and reads as absent, so
# no rule, page or deadline ever computes with year 10000.
FIRST_YEAR = 1949
LAST_YEAR = 2100

# Record types shown to people, in Chinese (from the registry).
TYPE_LABELS: Mapping[str, str] = {kind.value: t.label for kind, t in RECORD_TYPES.items()}


class LazyData(Mapping[str, Any]):
    """A record's data from the corpus index (corpusindex.py): the summary's fields at once,
    the whole record loaded on the first read of any other field."""

    __slots__ = ("_keys", "_load", "_summary", "_whole")

    def __init__(
        self, summary: dict[str, Any], keys: tuple[str, ...], load: Callable[[], dict[str, Any]]
    ) -> None:
        self._summary, self._keys, self._load = summary, keys, load
        self._whole: dict[str, Any] | None = None

    def __getitem__(self, key: str) -> Any:
        if key in self._summary:
            return self._summary[key]
        if key not in self._keys:
            raise KeyError(key)
        return self.whole()[key]

    def whole(self) -> dict[str, Any]:
        """Every field: the record as read from its file."""
        if self._whole is None:
            self._whole = self._load()
        return self._whole

    def get(self, key: str, default: Any = None) -> Any:
        if key in self._summary:
            return self._summary[key]
        return self[key] if key in self._keys else default

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


@dataclass(frozen=True)
class Record:
    """One YAML file under content/: its place, its data and where each value sits in the file."""

    kind: str
    path: str  # relative to the repository root, POSIX, as printed in findings
    place: Place
    data: Mapping[str, Any]
    marks: Mapping[JsonPath, Mark] = field(repr=False, compare=False)
    # The git blob id (SHA-1) of the file's bytes ``data`` was read from, when validation
    # knows it: the history takes these records for the files' latest versions without
    # reading 100,000 files again (gongshi_history.trail).
    blob: str | None = field(default=None, repr=False, compare=False)

    @property
    def key(self) -> str:
        return self.place.key

    @property
    def agency(self) -> str | None:
        return self.place.agency

    def get(self, *path: str | int, default: Any = None) -> Any:
        data = self.data
        if (
            len(path) == 1
            and type(path[0]) is str
            and (type(data) is dict or type(data) is LazyData)
        ):
            # A top-level field: most of the 10 million reads of a build at scale.
            return data.get(path[0], default)
        value: Any = self.data
        for part in path:
            try:
                value = value[part]
            except (KeyError, IndexError, TypeError):
                return default
        return value

    def date(self, *path: str | int) -> dt.date | None:
        """A date field, or None when absent, not a valid ISO date (the schema reports those) or
        outside FIRST_YEAR–LAST_YEAR (date.range reports those)."""
        value = self.get(*path)
        if not isinstance(value, str):
            return None
        try:
            day = dt.date.fromisoformat(value) if len(value) == 10 else None
        except ValueError:
            return None
        return day if day and FIRST_YEAR <= day.year <= LAST_YEAR else None

    def mark(self, path: Sequence[str | int]) -> Mark:
        return mark_at(self.marks, path)


def walk(value: Any, where: JsonPath = ()) -> Sequence[tuple[JsonPath, Any]]:
    """Every value in a record's data with its path, the mappings and lists themselves first,
    then what they hold, in file order: what every rule that looks at all fields walks. Inside
    ``walked_once(data)``, ``walk(data)`` of that very object from its root (no ``where``) is
    made once and the same sequence is returned to every rule: read it, never change it. (The
    loader caps nesting at MAX_DEPTH, so the recursion stays shallow.)"""
    shared = _WALKED.get() if not where else None
    if shared is None or shared.data is not value:
        return _walk(value, where)
    if shared.found is None:
        shared.found = _walk(value, where)
    return shared.found


def _walk(value: Any, where: JsonPath) -> list[tuple[JsonPath, Any]]:
    found: list[tuple[JsonPath, Any]] = [(where, value)]
    if isinstance(value, (dict, list)):
        _walk_into(value, where, found.append)
    return found


def _walk_into(
    node: dict[Any, Any] | list[Any], where: JsonPath, add: Callable[[tuple[JsonPath, Any]], None]
) -> None:
    # One call per mapping or list, not a generator per value: each of 100,000 decisions is
    # walked when it is read (once, shared by the rules: walked_once).
    for key, item in node.items() if isinstance(node, dict) else enumerate(node):
        at = (*where, key)
        add((at, item))
        if isinstance(item, (dict, list)):
            _walk_into(item, at, add)


@dataclass
class _SharedWalk:
    """The data being judged by the record rules and its walk, once made (walked_once)."""

    data: Any
    found: Sequence[tuple[JsonPath, Any]] | None = None


_WALKED: ContextVar[_SharedWalk | None] = ContextVar("walked", default=None)


@contextmanager
def walked_once(data: Any) -> Iterator[None]:
    """Inside, ``walk(data)`` is made once and shared by every rule that walks the record
    (they do not change it). Held in a context variable, so each thread (``gongshi serve``
    builds in one) has its own."""
    token = _WALKED.set(_SharedWalk(data))
    try:
        yield
    finally:
        _WALKED.reset(token)


def finding_at(
    record: Record,
    where: JsonPath,
    rule: str,
    message: str,
    *,
    warn: bool = False,
    at_key: bool = False,
) -> Finding:
    """A finding at the value on ``where`` in ``record`` (or at its key, for a problem with the
    whole list or mapping): what every record and portal rule reports through."""
    mark = record.mark(where)
    line, col = (mark.key_line, mark.key_col) if at_key else (mark.line, mark.col)
    return (warning if warn else error)(record.path, line, col, rule, message)


@dataclass
class Corpus:
    """All records of one content folder, grouped by type, in path order."""

    content_dir: Path  # where the files are read from
    prefix: str  # how that folder is named in findings: relative to the repository
    records: list[Record] = field(default_factory=list)
    # The paths whose findings are wanted (`validate --changed-since`); None: every record.
    scope: frozenset[str] | None = None
    _by_kind: dict[str, list[Record]] = field(default_factory=dict, repr=False, compare=False)
    _indexed: int = field(default=-1, repr=False, compare=False)
    _agencies: Mapping[str, Record] | None = field(default=None, repr=False, compare=False)
    _scoped: dict[str | None, list[Record]] | None = field(default=None, repr=False, compare=False)
    _doc_nos: tuple[tuple[Record, Any, str], ...] | None = field(
        default=None, repr=False, compare=False
    )
    # 文号 spellings whose normalise_doc_no is known already (the corpus index keeps them).
    spellings: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)
    _by_agency: dict[str, dict[str | None, list[Record]]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def _kinds(self) -> dict[str, list[Record]]:
        # Indexed once per set of records: a province has 100,000 decisions, and every page,
        # export and setting lookup asks for records by type.
        if self._indexed != len(self.records):
            index: dict[str, list[Record]] = defaultdict(list)
            for record in self.records:
                index[record.kind].append(record)
            self._by_kind, self._indexed = dict(index), len(self.records)
            self._agencies, self._by_agency, self._scoped = None, {}, None
            self._doc_nos = None
        return self._by_kind

    def of(self, kind: str) -> list[Record]:
        return list(self._kinds().get(kind, ()))

    def __iter__(self) -> Iterator[Record]:
        return iter(self.records)

    def subjects(self, kind: str | None = None) -> list[Record]:
        """The records a rule judges: those of ``kind`` (or all) within the scope. A rule reads
        its indexes from every record (``of``) and judges only these, so the findings a scoped
        run gives on a record are the ones a full run gives on it, for a fraction of the work."""
        kinds = self._kinds()
        if self.scope is None:
            return list(kinds.get(kind, ()) if kind else self.records)
        if self._scoped is None:  # once: eleven rules ask, and a province has 100,000 records
            self._scoped = defaultdict(list)
            for record in self.records:
                if record.path in self.scope:
                    self._scoped[record.kind].append(record)
                    self._scoped[None].append(record)
        return list(self._scoped.get(kind or None, ()))

    def within(self, paths: set[str] | frozenset[str]) -> Corpus:
        """The same records, judged only at ``paths`` (see ``subjects``), with the indexes
        made of them so far (they do not depend on the scope)."""
        scoped = Corpus(self.content_dir, self.prefix, self.records, frozenset(paths))
        scoped.spellings = self.spellings
        if self._indexed == len(self.records):
            scoped._by_kind, scoped._indexed = self._by_kind, self._indexed
            scoped._agencies, scoped._by_agency = self._agencies, self._by_agency
            scoped._doc_nos = self._doc_nos
        return scoped

    def read_whole(self, paths: set[str], whole: Callable[[Record], Record]) -> Corpus:
        """The same records, those at ``paths`` as ``whole`` gives them (the same record,
        read whole), judged only there; the 文号 list kept (it names records by path)."""
        records = [whole(r) if r.path in paths else r for r in self.records]
        judged = Corpus(self.content_dir, self.prefix, records, frozenset(paths))
        judged._kinds()  # indexed first: indexing forgets the 文号 list
        judged.spellings = self.spellings
        if self._indexed == len(self.records):
            judged._doc_nos = self._doc_nos
        return judged

    def doc_nos(self) -> tuple[tuple[Record, Any, str], ...]:
        """Each decision with its 文号 as written (any value: the schema reports what is not
        text) and that value's standard spelling (normalise_doc_no of its text), in path
        order; made once per set of records: the duplicate check, the references by 文号
        and `--changed-since` each go through 100,000 of them."""
        decisions = self._kinds().get(Kind.DECISION, ())
        if self._doc_nos is None:
            known = self.spellings
            self._doc_nos = tuple(
                (record, value, known.get(text) or normalise_doc_no(text))
                for record in decisions
                for value in (record.get("doc_no"),)
                for text in (str(value),)
            )
        return self._doc_nos

    @property
    def portal(self) -> Record | None:
        return next(iter(self.of(Kind.PORTAL)), None)

    def agencies(self) -> Mapping[str, Record]:
        """By key; made once per set of records (each decision's settings look its agency up)."""
        self._kinds()
        if self._agencies is None:
            self._agencies = MappingProxyType({r.key: r for r in self.of(Kind.AGENCY)})
        return self._agencies

    def officers(self) -> dict[str, Record]:
        return {r.key: r for r in self.of(Kind.OFFICER)}

    def by_agency(self, kind: str, agency: str) -> list[Record]:
        """The agency's records of ``kind`` in path order; indexed once per kind (asked for
        every agency: scanning every record each time was quadratic)."""
        records = self._kinds().get(kind, ())
        if kind not in self._by_agency:
            grouped: dict[str | None, list[Record]] = defaultdict(list)
            for record in records:
                grouped[record.agency].append(record)
            self._by_agency[kind] = dict(grouped)
        return list(self._by_agency[kind].get(agency, ()))
