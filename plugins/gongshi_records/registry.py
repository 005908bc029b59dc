"""The registry of record types: the one place that knows each type's name, Chinese label,
schema, where its files live, its page and template, and which of its fields refer to other
records. Layout, URLs, page planning, validation, `gongshi new`, spreadsheets and the web-form
configuration all read it; no other module names a type by a string.

A type's ``layout`` is a path template under content/ with the slots ``{agency}``,
``{year}`` and ``{id}``; it both parses a path (``parse``) and builds one (``path_for``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property, lru_cache
from pathlib import Path
from types import MappingProxyType

from .paths import SCHEMA_DIR

SLUG = r"[a-z0-9][a-z0-9-]*"
CODE = r"[A-Za-z0-9][A-Za-z0-9-]*"
YEAR = r"\d{4}"


class Kind(StrEnum):
    """A record type's name: its schema file's stem and the value of ``Record.kind``."""

    PORTAL = "portal"
    CALENDAR = "calendar"
    AGENCY = "agency"
    OFFICER = "officer"
    POWER = "power"
    FLOWCHART = "flowchart"
    INSPECTION = "inspection"
    REVIEW_CATALOG = "review-catalog"
    DECISION = "decision"
    STATISTICS = "statistics"
    SERVICE_GUIDE = "service-guide"
    AV_LIST = "av-list"
    ADVISER = "adviser"
    DISCRETION = "discretion"


@dataclass(frozen=True)
class Place:
    """What a path under content/ says about the record in it."""

    kind: str
    agency: str | None
    key: str  # stable identity, unique within its type; also the basis of its page URL
    stem: str
    folder_year: str | None = None  # decisions/<year>/: the year the clerk filed it under

    @property
    def id(self) -> str:
        """The record's own part of the key (the file stem for most types)."""
        return self.key.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Link:
    """A field whose values name records of ``target``: ``path`` with ``*`` for every list
    item. ``scope`` says where the named record is looked up: ``agency`` (the referring
    record's own agency: power codes and flowchart ids are unique per agency) or ``portal``
    (certificate numbers are unique across the portal). ``by`` names the target's identifying
    field when the reference is not its key (a decision is named by its 文号)."""

    path: tuple[str, ...]
    target: Kind
    scope: str = "agency"
    by: str | None = None


@dataclass(frozen=True)
class RecordType:
    kind: Kind
    label: str  # Chinese, as shown to people
    layout: str  # path template under content/
    page: str | None = None  # output path template of its page; None: no page of its own
    template: str | None = None  # theme/templates/<template>.html
    id_pattern: str = SLUG  # what {id} may be
    id_field: str | None = None  # a field that must equal the file stem
    id_label: str = "编号"  # how a clerk names the {id} part
    global_key: bool = False  # the key is the id alone: unique across the portal
    links: tuple[Link, ...] = ()
    attachments: tuple[str, ...] | None = None  # field naming a file in the agency's files/
    singleton: bool = False  # one file per agency (or per portal): no {id}

    @property
    def name(self) -> str:
        return self.kind.value

    @cached_property
    def linked_fields(self) -> tuple[str, ...]:
        """The top-level fields its links and attachments start at: what a record's
        references are read from (crossrules.references, the corpus index's summaries)."""
        starts = [link.path[0] for link in self.links]
        starts += self.attachments[:1] if self.attachments else []
        return tuple(dict.fromkeys(starts))

    @property
    def schema_file(self) -> Path:
        return SCHEMA_DIR / f"{self.kind.value}.schema.json"

    def _compile(self, template: str) -> re.Pattern[str]:
        groups = {"agency": SLUG, "year": YEAR, "id": self.id_pattern}
        pattern = re.escape(template)
        for name, body in groups.items():
            pattern = pattern.replace(re.escape(f"{{{name}}}"), f"(?P<{name}>{body})")
        return re.compile(pattern)

    @cached_property
    def _regex(self) -> re.Pattern[str]:
        return self._compile(self.layout)

    @cached_property
    def _folder_and_name(self) -> tuple[re.Pattern[str], re.Pattern[str]]:
        """The layout's folder and file name as two patterns. No slot matches a ``/``, so a
        path matches the layout exactly when its folder and its name match these."""
        folder, _, name = self.layout.rpartition("/")
        return self._compile(folder), self._compile(name)

    @cached_property
    def _literal_parts(self) -> tuple[int, tuple[tuple[int, str], ...]]:
        parts = self.layout.split("/")
        return len(parts), tuple((i, part) for i, part in enumerate(parts) if "{" not in part)

    def may_hold(self, parts: list[str]) -> bool:
        """Whether a path of these parts can be this type's: as many folders, and the fixed
        ones (``decisions``, ``agency.yaml``) where the layout has them. No part of a layout
        matches a ``/``, so this rules out only what ``parse`` would, at a fraction of the
        cost of one regular expression per type for each of 100,000 files."""
        count, literals = self._literal_parts
        return len(parts) == count and all(parts[i] == part for i, part in literals)

    def parse(self, relative: str) -> Place | None:
        """The place of ``relative`` (a POSIX path under content/) if it is this type's file."""
        match = self._regex.fullmatch(relative)
        return self._place(match.groupdict(), relative) if match else None

    def folder_slots(self, folder: str) -> Mapping[str, str] | None:
        """The slots (agency, year) a folder fills in this type's layout; None when it is no
        folder of this type."""
        match = self._folder_and_name[0].fullmatch(folder)
        return MappingProxyType(match.groupdict()) if match else None

    def place_in(self, slots: Mapping[str, str], name: str) -> Place | None:
        """The place of file ``name`` in a folder of ``slots`` (``folder_slots``): the same as
        ``parse`` of the whole path, with the folder matched once for all its files."""
        pattern = self._folder_and_name[1]
        match = pattern.fullmatch(name)
        if match is None:
            return None
        return self._place({**slots, **match.groupdict()} if pattern.groups else slots, name)

    def _place(self, slots: Mapping[str, str | None], relative: str) -> Place:
        get = slots.get
        agency, year, ident = get("agency"), get("year"), get("id")
        if self.global_key and ident:
            key = ident
        else:
            key = "/".join([p for p in (agency, year, ident) if p])
        # PurePosixPath(relative).stem without building a path (a province has 100,000 files):
        # every layout's file name has a suffix (.yaml), and no id starts with a dot.
        name = relative[relative.rfind("/") + 1 :]
        return Place(self.kind, agency, key, name[: name.rfind(".")], year)

    def path_for(
        self, agency: str | None = None, id: str | None = None, year: str | None = None
    ) -> str:
        """The path under content/ of the record with these parts; ValueError when a part is
        missing or not of its form (the same check ``parse`` makes)."""
        values = {"agency": agency, "year": year, "id": id}
        path = self.layout
        for name, value in values.items():
            if f"{{{name}}}" in path:
                if not value:
                    raise ValueError(f"缺少{_PART_LABELS[name]}")
                path = path.replace(f"{{{name}}}", value)
        if self.parse(path) is None:
            raise ValueError(f"{path} 不是{self.label}的有效位置：{self.layout}")
        return path

    def needs(self, part: str) -> bool:
        """Whether the layout has the slot ``part`` (agency, year or id)."""
        return f"{{{part}}}" in self.layout

    def page_for(self, place: Place) -> str | None:
        if self.page is None:
            return None
        agency = place.agency or ""
        rest = place.key.removeprefix(agency + "/") if agency else place.key
        year, _, ident = rest.rpartition("/")
        return self.page.format(agency=agency, year=year, id=ident or rest)


_PART_LABELS = {"agency": "执法主体代号（--agency）", "year": "年份", "id": "编号（--id）"}

_AGENCY = "agencies/{agency}"
RECORD_TYPES: Mapping[Kind, RecordType] = {
    t.kind: t
    for t in (
        RecordType(Kind.PORTAL, "平台信息", "portal.yaml", singleton=True),
        RecordType(
            Kind.CALENDAR, "工作日历", "calendar/{id}.yaml", id_pattern=YEAR, id_label="年份"
        ),
        RecordType(
            Kind.AGENCY,
            "执法主体",
            f"{_AGENCY}/agency.yaml",
            page=f"{_AGENCY}/index.html",
            template="agency",
            singleton=True,
            # A 受委托组织 names its entrusting agency by that agency's folder name.
            links=(Link(("entrustment", "agency"), Kind.AGENCY, "portal"),),
        ),
        RecordType(
            Kind.OFFICER,
            "执法人员",
            f"{_AGENCY}/officers/{{id}}.yaml",
            page="officers/{id}.html",
            template="officer",
            id_pattern=CODE,
            id_field="cert_no",
            id_label="执法证号",
            global_key=True,
        ),
        RecordType(
            Kind.POWER,
            "权责清单事项",
            f"{_AGENCY}/powers/{{id}}.yaml",
            page=f"{_AGENCY}/powers/{{id}}.html",
            template="power",
            id_pattern=CODE,
            id_field="code",
            id_label="事项编码",
            links=(Link(("flowchart",), Kind.FLOWCHART),),
        ),
        RecordType(
            Kind.FLOWCHART,
            "执法流程图",
            f"{_AGENCY}/flowcharts/{{id}}.yaml",
            page=f"{_AGENCY}/flowcharts/{{id}}.html",
            template="flowchart",
            links=(Link(("powers", "*"), Kind.POWER),),
        ),
        RecordType(
            Kind.INSPECTION,
            "双随机抽查",
            f"{_AGENCY}/inspections/{{id}}.yaml",
            page=f"{_AGENCY}/inspections/{{id}}.html",
            template="inspection",
            links=(
                Link(("power",), Kind.POWER),
                Link(("results", "*", "decision"), Kind.DECISION, "portal", by="doc_no"),
            ),
        ),
        RecordType(
            Kind.REVIEW_CATALOG,
            "重大执法决定法制审核目录",
            f"{_AGENCY}/review-catalog.yaml",
            page=f"{_AGENCY}/review-catalog.html",
            template="review_catalog",
            singleton=True,
        ),
        RecordType(
            Kind.DECISION,
            "执法决定",
            f"{_AGENCY}/decisions/{{year}}/{{id}}.yaml",
            page=f"{_AGENCY}/decisions/{{year}}/{{id}}.html",
            template="decision",
            links=(
                Link(("officers", "*"), Kind.OFFICER, "portal"),
                Link(("review", "reviewers", "*"), Kind.OFFICER, "portal"),
                Link(("review", "advisers", "*"), Kind.ADVISER),
                Link(("power",), Kind.POWER),
            ),
            attachments=("attachments", "*", "file"),
        ),
        RecordType(
            Kind.STATISTICS,
            "年度统计",
            f"{_AGENCY}/statistics/{{id}}.yaml",
            page=f"{_AGENCY}/statistics/{{id}}.html",
            template="statistics",
            id_pattern=YEAR,
            id_field="year",
            id_label="年份",
        ),
        RecordType(
            Kind.SERVICE_GUIDE,
            "服务指南",
            f"{_AGENCY}/service-guides/{{id}}.yaml",
            page=f"{_AGENCY}/service-guides/{{id}}.html",
            template="service_guide",
            links=(Link(("power",), Kind.POWER),),
        ),
        RecordType(
            Kind.AV_LIST,
            "音像记录事项清单",
            f"{_AGENCY}/av-list.yaml",
            page=f"{_AGENCY}/av-list.html",
            template="av_list",
            singleton=True,
        ),
        # 法律顾问、公职律师、专家: legal reviewers who hold no enforcement certificate. Listed on
        # their agency's page, named by file stem in a decision's review.advisers.
        RecordType(Kind.ADVISER, "法律顾问", f"{_AGENCY}/advisers/{{id}}.yaml"),
        RecordType(
            Kind.DISCRETION,
            "行政裁量权基准",
            f"{_AGENCY}/discretion/{{id}}.yaml",
            page=f"{_AGENCY}/discretion/{{id}}.html",
            template="discretion",
            id_pattern=CODE,
            id_field="power",
            id_label="事项编码",
            links=(Link(("power",), Kind.POWER),),
        ),
    )
}


def record_type(kind: str) -> RecordType:
    return RECORD_TYPES[Kind(kind)]


def place_of(relative: str) -> Place | None:
    """The record type and identity of ``relative`` (a POSIX path under content/), if any."""
    folder, slash, name = relative.rpartition("/")
    if slash and not folder:
        return None  # "/portal.yaml": no layout starts at the root of the file system
    for record_type, slots in _types_for(folder, name if name in _FIXED_NAMES else ""):
        place = record_type.place_in(slots, name)
        if place is not None:
            return place
    return None


# File names a layout fixes (agency.yaml, portal.yaml); any other name stands for an {id}.
_FIXED_NAMES = frozenset(
    name for t in RECORD_TYPES.values() if "{" not in (name := t.layout.rsplit("/", 1)[-1])
)


@lru_cache(maxsize=16384)
def _types_for(folder: str, fixed_name: str) -> tuple[tuple[RecordType, Mapping[str, str]], ...]:
    """The types whose layout may hold a file of ``folder``, with the slots the folder fills:
    asked once per folder, not for each of the 100,000 files in a province's few thousand
    folders. ``fixed_name`` is the file's name when a layout fixes it, else empty (it matches
    no fixed name)."""
    parts = [*(folder.split("/") if folder else ()), fixed_name or "\0"]
    held = [t for t in RECORD_TYPES.values() if t.may_hold(parts)]
    return tuple((t, slots) for t in held if (slots := t.folder_slots(folder)) is not None)


def link_values(
    data: object, path: tuple[str, ...]
) -> Iterator[tuple[tuple[str | int, ...], object]]:
    """Every value at ``path`` in a record's data (``*`` = each list item), with its JSON path."""

    def walk(
        node: object, rest: tuple[str, ...], where: tuple[str | int, ...]
    ) -> Iterator[tuple[tuple[str | int, ...], object]]:
        if not rest:
            if node not in (None, ""):
                yield where, node
            return
        head, tail = rest[0], rest[1:]
        if head == "*":
            if isinstance(node, list):
                for i, item in enumerate(node):
                    yield from walk(item, tail, (*where, i))
        elif isinstance(node, dict) and head in node:
            yield from walk(node[head], tail, (*where, head))

    yield from walk(data, path, ())


def expected_layout() -> str:
    return (
        "记录只能放在约定位置，例如 agencies/<机构代号>/officers/<执法证号>.yaml、"
        "agencies/<机构代号>/decisions/<年份>/<编号>.yaml（机构代号和编号用小写字母、数字和连字符）"
    )
