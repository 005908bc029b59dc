"""Page fingerprints: one digest of everything that decides a planned page's bytes.

Every page's fingerprint starts from the *base*: the code and every template (and the versions
of the installed packages), the settings, the as-of date, what gongshi_trust says of the build
except its commit, the Markdown pages in the navigation, the portal-level records (portal.yaml,
the holiday calendar …), every agency record (names, settings and entrustments appear on
every kind of page) and the portal's facets (decision years and categories, officer
categories: list pages link them all). On top of it comes what the page itself shows:

* a record page (a decision, an officer, a power item, a flowchart …): the digest of its
  agency's partition, i.e. every record of that agency with its git timeline (so any backlink
  or sibling inside the agency is covered), plus the records it names across the portal
  (certificate numbers of officers, decisions named by 文号 in inspection results);
* a list page (decision lists, officer rosters, the withdrawn list): the records it lists (with
  their timelines), its pager and totals;
* an agency's officer and power lists: that agency's partition;
* an agency's own pages (its hub, supervision page and lists of late duties, annual reports):
  that agency's partition, the page's context and, by value, what the build derives for the
  agency from the history and from other records (:meth:`Fingerprints.agency_facts`). Every
  other read of their templates goes through ``gongshi`` to one of AGENCY_PAGE_READS
  (tests/test_fingerprint_reads.py walks the templates and fails on any other);
* every other page (home, portal-wide statistics and supervision, indexes …): the whole corpus
  and the history's commit. Those pages show portal-wide figures; they are not bounded here.

The data version ("数据版本：…（序号 N，编号 <commit>）") changes with every commit; only the home
page (a corpus page: its fingerprint has the commit) and verify.html (no fingerprint: always
rendered) state it, so a commit that changes one record leaves every other page's bytes alone.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import importlib.metadata
import json
from collections.abc import Iterable, Mapping, Set
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from gongshi_records import Record
from gongshi_records.forking import map_forked
from gongshi_records.paths import PROJECT_ROOT
from gongshi_records.publication import PublicDecision
from gongshi_records.registry import RECORD_TYPES, Kind, link_values

from . import render
from .pages import Pager, PageSpec
from .site import Site

# Pages that state the build's commit: never reused.
ALWAYS_RENDERED = frozenset({"verify"})
# Record templates bounded by their agency's partition and their portal-wide links; the
# agency hub and the annual statistics report also show figures derived from the history:
# they are agency pages (below).
AGENCY_RECORD_KINDS = (Kind.AGENCY, Kind.STATISTICS)
RECORD_TEMPLATES = frozenset(
    {"withdrawal"}
    | {
        t.template
        for t in RECORD_TYPES.values()
        if t.template and t.kind not in AGENCY_RECORD_KINDS
    }
)
LIST_TEMPLATES = frozenset({"decisions", "officers", "withdrawn_list"})
AGENCY_LIST_TEMPLATES = frozenset({"officers_agency", "powers"})
AGENCY_PAGE_TEMPLATES = frozenset(
    {"supervision", "supervision_late"}
    | {t.template for t in RECORD_TYPES.values() if t.template and t.kind in AGENCY_RECORD_KINDS}
)
# What the agency pages' templates ask `gongshi` for, and why each is bounded: the agency's
# own records (its partition: records with their timelines), the base (agency records,
# settings, as-of date, portal records), or a value in agency_facts.
_DRAWN = "code: worked out from the figures it is given (the page's context, or facts)"
AGENCY_PAGE_READS: Mapping[str, str] = {
    "advisers": "partition: the agency's advisers",
    "agency": "base: agency records",
    "audit.field_label": "code: schema titles",
    "audit.problem": "facts",
    "audit.published_on": "partition: the record's timeline",
    "audit.summary": "facts",
    "audit.timeline": "partition, or base for the agency record itself",
    "audit.updated_on": "partition, or base for the agency record itself",
    "data_version": "never shown: only the home page sets show_data_version",
    "decisions": "partition: the agency's decisions and their timelines, read on the as-of date",
    "entrusted_by": "base: agency records",
    "entrustment": "base: agency records",
    "of_agency": "partition",
    "officer": "partition: the hub links its own review staff by certificate number",
    "officers": "partition",
    "one_of_agency": "partition",
    "power": "partition: the agency's own power items",
    "review_staff": "partition: its officers, on the as-of date",
    "review_staff_ratio": "facts",
    "show_authors": "base: settings",
    "statistics.agency_years": "facts",
    "statistics.current": "facts",
    "statistics.has_page": "facts: for each of the agency's years",
    **dict.fromkeys(
        (
            *(
                f"statistics.{kind}_chart"
                for kind in (
                    *("amounts", "categories", "kinds", "licences"),
                    *("months", "people", "reported", "timeliness"),
                )
            ),
            "statistics.category_total",
            "statistics.penalty_kinds",
            "statistics.percent",
            "statistics.reported_rows",
            "statistics.share",
        ),
        _DRAWN,
    ),
    "supervision.count": "facts (shown and hidden)",
    "supervision.expiring": "facts",
    "supervision.hidden": "facts",
    "supervision.late_lists": "facts",
    "supervision.notice_days": "base: settings",
    "supervision.shown": "facts",
    "withdrawn": "partition: the agency's decisions and their timelines",
}
# Lists this long are walked once per build however many pages show them (Fingerprints._long).
_LONG = 64
# Pages fingerprinted by one task of a forked worker, at most.
_PRINTS_CHUNK = 2000
# Build-internal settings: the staging folder's path changes every build; the others are
# derived from the corpus (covered by it) or are the cache itself.
VOLATILE_SETTINGS = frozenset(
    {"OUTPUT_PATH", "GONGSHI_FINAL_OUTPUT", "GONGSHI_SITESCAN_ALLOWED", "GONGSHI_BUILD_CACHE"}
)


class Unbounded(Exception):
    """A page input this module cannot digest: the page falls back to the corpus digest."""


def _hash(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _package_versions() -> str:
    # A set: the same distribution found twice on sys.path is one package. `python -m` puts
    # the working folder first on sys.path, and the project's own checkout holds its
    # gongshi.egg-info beside the installed one: without the set, a build started from the
    # checkout and one started elsewhere had different code digests, and each rendered all
    # 136,000 pages again at 100,000 decisions.
    return "\n".join(
        sorted({f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions()})
    )


def code_digest(theme: Path) -> str:
    """The plugins, schemas, configuration and templates, and every installed package's
    version: a change to any of them can change any page. Read at every build (a few hundred
    small files), so a template edited while ``gongshi serve`` runs counts too."""
    digest = hashlib.sha256()
    roots = [PROJECT_ROOT / "plugins", PROJECT_ROOT / "schemas", theme / "templates"]
    files = [p for root in roots if root.is_dir() for p in root.rglob("*") if p.is_file()]
    files += [PROJECT_ROOT / name for name in ("pelicanconf.py", "publishconf.py")]
    for path in sorted(f for f in files if f.is_file() and "__pycache__" not in f.parts):
        digest.update(str(path).encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(_package_versions().encode())
    return digest.hexdigest()


def _plain(value: Any) -> Any:
    """A settings value as JSON can state it; other objects (functions …) by their type
    (their code is in :func:`code_digest`)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_plain(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, Path):
        return str(value)
    return f"<{type(value).__module__}.{type(value).__qualname__}>"


def settings_digest(settings: Mapping[str, Any]) -> str:
    kept = {k: _plain(v) for k, v in settings.items() if k not in VOLATILE_SETTINGS}
    return _hash(json.dumps(kept, sort_keys=True, ensure_ascii=False, default=str))


class Fingerprints:
    """The fingerprint of each planned page of one build."""

    def __init__(self, site: Site, context: Mapping[str, Any], settings: Mapping[str, Any]) -> None:
        self.site = site
        audit = site.audit
        self._records: dict[str, str] = {}
        partitions: dict[str | None, list[str]] = {}
        for record in site.corpus:
            timeline = audit.timeline(record)
            digest = _hash(record.kind, record.path, _json(record.data), repr(timeline))
            self._records[record.path] = digest
            partitions.setdefault(record.agency, []).append(digest)
        self.partitions = {k: _hash(*sorted(v)) for k, v in partitions.items()}
        self._facts: dict[str, str] = {}  # agency → digest of its facts
        self._long_digests: dict[int, tuple[Any, str]] = {}
        self.code = code_digest(Path(str(settings.get("THEME", PROJECT_ROOT / "theme"))))
        self.base = _hash(
            self.code,
            settings_digest(settings),
            repr(site.as_of),
            _trust(context.get("trust")),
            repr(
                [
                    (str(getattr(p, "url", "")), str(getattr(p, "title", "")))
                    for p in context.get("pages") or []
                ]
            ),
            self.partitions.get(None, ""),
            *(self.record(a) for a in site.agencies()),
            repr((site.decision_years(), site.decision_categories(), site.officer_categories())),
        )
        trust = context.get("trust")
        commit = getattr(trust, "commit", None)
        # The history (supervision, statistics, first years) is the commit's: without one (a
        # preview with uncommitted changes, or no repository) the unbounded pages are rendered.
        self.corpus: str | None = None
        if commit:
            self.corpus = _hash(
                self.base, str(commit), *sorted(f"{k}:{v}" for k, v in self.partitions.items())
            )

    def of_group(self, *kinds: Kind) -> str:
        """What a portal-wide group of files made from the base and the records of ``kinds``
        (none: the base alone, which holds every agency record) is made from."""
        chosen = sorted(self.record(r) for r in self.site.corpus if r.kind in kinds)
        return _hash(self.base, "group", *[k.value for k in kinds], *chosen)

    def record(self, record: Record) -> str:
        return self._records.get(record.path) or _hash("?", record.path, _json(record.data))

    def of(self, page: PageSpec) -> str | None:
        """The page's fingerprint, or None when it must be rendered whatever came before."""
        if page.template in ALWAYS_RENDERED:
            return None
        try:
            own = self._bounded(page)
        except Unbounded:
            own = None
        if own is not None:
            return _hash(self.base, page.name, page.template, own)
        if self.corpus is None:
            return None
        return _hash(self.corpus, page.name, page.template)

    def _bounded(self, page: PageSpec) -> str | None:
        agency = page.context.get("agency")
        agency_key = getattr(agency, "key", None)
        if page.template in RECORD_TEMPLATES and page.record is not None:
            links = self._portal_links(page.record)
            return _hash(
                self.partitions.get(page.record.agency, ""), self.record(page.record), *links
            )
        if page.template in AGENCY_LIST_TEMPLATES and agency_key:
            return _hash("agency", self.partitions.get(agency_key, ""))
        if page.template in AGENCY_PAGE_TEMPLATES and isinstance(agency, Record):
            return self._agency_page(page, agency)
        if page.template in LIST_TEMPLATES:
            listed: list[str] = []
            self._walk(page.context, listed)
            return _hash("list", *listed)
        return None

    def _agency_page(self, page: PageSpec, agency: Record) -> str:
        parts: list[str] = []
        self._walk(page.context, parts)
        facts = self._facts.get(agency.key)
        if facts is None:
            # Once per agency: its late lists alone are thousands of rows at scale, and it has
            # a page for every 20 of them.
            walked: list[str] = []
            self._walk(self.agency_facts(agency), walked)
            facts = self._facts[agency.key] = _hash(*walked)
        return _hash("agency page", self.partitions.get(agency.key, ""), facts, *parts)

    def agency_facts(self, agency: Record) -> tuple[Any, ...]:
        """What an agency's pages show that is not a record of its partition or the base:
        figures from the history (timeliness, first years) and checks across agencies
        (findings, staffing), as values."""
        site, key = self.site, agency.key
        statistics, supervision = site.statistics, site.supervision
        summary = site.audit.summary(key)
        years = statistics.agency_years(key)
        return (
            site.audit.problem,
            summary,
            supervision.late_lists(summary) if summary else None,
            supervision.shown(key),
            supervision.hidden(key),
            supervision.expiring(key),
            site.review_staff_ratio(key),
            years,
            [statistics.has_page(entry.year) for entry in years],
            statistics.current(),
        )

    def _portal_links(self, record: Record) -> Iterable[str]:
        """Digests of the records ``record`` names outside its agency (scope ``portal``)."""
        record_type = RECORD_TYPES.get(record.kind)  # type: ignore[call-overload]
        for link in record_type.links if record_type else ():
            if link.scope != "portal":
                continue
            for _where, value in link_values(record.data, link.path):
                yield from self._linked(link.target, link.by, value)

    def _linked(self, target: Kind, by: str | None, value: Any) -> Iterable[str]:
        if target is Kind.OFFICER and by is None:
            officer = self.site.officer(value)
            yield self.record(officer) if officer else f"no officer {value!r}"
        elif target is Kind.DECISION and by == "doc_no":
            found = self.site.decision_by_doc_no(value)
            yield self.record(found.record) if found else f"no decision {value!r}"
        elif target is Kind.AGENCY:
            yield f"agency {value!r}"  # every agency record is in the base
        else:
            raise Unbounded(target)

    def _walk(self, value: Any, out: list[str]) -> None:
        if isinstance(value, Record):
            out.append("R" + self.record(value))
        elif isinstance(value, PublicDecision):
            # What lists show of a decision is its record read with the agency's settings
            # (in the base) on the as-of date (in the base).
            out.append("D" + self.record(value.record))
        elif isinstance(value, Pager):
            # Everything the pager shows: its links, totals and the jumps to where each year
            # (or region) starts, which move when a record elsewhere in the list changes year.
            out.append(f"P{value.base}|{value.number}|{value.count}|{value.total}")
            out.append(f"J{value.by_region}")
            self._walk(list(value.jumps), out)
            self._walk(list(value.items), out)
        elif value is None or isinstance(value, (str, int, float, bool, Decimal, dt.date)):
            out.append(f"{type(value).__name__}:{value!r}")
        elif isinstance(value, enum.Enum):
            out.append(f"{type(value).__qualname__}.{value.name}")
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            # Every field, so a property worked out from them is covered too.
            out.append(f"({type(value).__qualname__}")
            for item in dataclasses.fields(value):
                out.append(item.name)
                self._walk(getattr(value, item.name), out)
            out.append(")")
        elif isinstance(value, Set):
            out.append(f"<{len(value)}")
            for item in sorted(value, key=repr):
                self._walk(item, out)
            out.append(">")
        elif isinstance(value, (list, tuple)) and len(value) >= _LONG:
            out.append("#" + self._long(value))
        elif isinstance(value, (list, tuple)):
            self._walk_items(value, out)
        elif isinstance(value, Mapping):
            out.append(f"{{{len(value)}")
            for key in sorted(value, key=str):
                out.append(str(key))
                self._walk(value[key], out)
            out.append("}")
        else:
            raise Unbounded(type(value))

    def _walk_items(self, value: list[Any] | tuple[Any, ...], out: list[str]) -> None:
        out.append(f"[{len(value)}")
        for item in value:
            self._walk(item, out)
        out.append("]")

    def _long(self, value: list[Any] | tuple[Any, ...]) -> str:
        """A long list's digest, walked once: the pages of one list share it (each page of an
        agency's late duties has the whole list in its context). Kept with the list itself,
        so its id cannot be another list's."""
        known = self._long_digests.get(id(value))
        if known is None or known[0] is not value:
            walked: list[str] = []
            self._walk_items(value, walked)
            known = self._long_digests[id(value)] = (value, _hash(*walked))
        return known[1]


def _json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)


def _trust(trust: Any) -> str:
    """What gongshi_trust says of the build, less the commit and serial (the data version)."""
    if trust is None or not dataclasses.is_dataclass(trust) or isinstance(trust, type):
        return repr(trust)
    fields = dataclasses.asdict(trust)
    fields.pop("commit", None)
    fields.pop("serial", None)
    return repr(sorted(fields.items()))


def page_prints(prints: Fingerprints, pages: list[PageSpec]) -> list[str | None]:
    """``prints.of`` of every page, in order, across the cores (forking.py: the workers inherit
    the site and the digests of its records; only the fingerprints come back). 136,000 pages
    at 100,000 decisions took a rebuild after one change 12 s in one process."""

    def chunk(start: int, stop: int) -> list[str | None]:
        return [prints.of(pages[n]) for n in range(start, stop)]

    return map_forked(chunk, len(pages), minimum=render.MIN_PAGES, most=_PRINTS_CHUNK)
