"""The Pelican generator that loads the records once and writes every page, feed and sitemap.

Records are not Pelican articles (STYLE.md): they are read through gongshi_records, validated,
and rendered by :meth:`RecordsGenerator.render_page` with the context Pelican's
``writer.write_file`` gives a page written with ``relative_urls``, so every link is relative.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gongshi_exports import DATA_DIR, write_open_data
from gongshi_exports.plainmemo import PlainTexts
from gongshi_history.changed import GitContent
from gongshi_history.trail import HistoryReading
from gongshi_records import TYPE_LABELS, Finding, validate_content
from gongshi_records.attachments import attachment_source
from gongshi_records.findings import errors_of, has_errors, sort_findings
from gongshi_records.forking import alongside
from gongshi_records.privacy_rules import site_allowances
from gongshi_records.prose import clear_memo
from gongshi_records.publication import public_view, resolve_as_of
from gongshi_records.registry import RECORD_TYPES, Kind, link_values
from gongshi_records.urls import page_of
from gongshi_records.vocabulary import CATEGORY_SLUGS, Category
from gongshi_search import write_search_index
from gongshi_search.state import Incremental
from gongshi_search.writer import LUNR_TARGET, SEARCH_DIR
from pelican.generators import Generator
from pelican.utils import get_relative_path, path_to_url, sanitised_join

from .audit import read_audit
from .buildcache import SETTING as CACHE_SETTING
from .buildcache import BuildCache, make_group, start_group
from .feeds import (
    FEED_PATH,
    INSPECTION_FEED_PATH,
    FeedEntry,
    InspectionEntry,
    render_feed,
    render_inspection_feed,
)
from .fingerprint import Fingerprints, page_prints
from .flowchart import flowchart
from .pages import PageSpec, plan
from .partition import PART_SETTING, PARTITION_SETTING, Part, partition
from .render import render_pages
from .safepages import dropped_pages
from .settings import SETTING, GongshiSettings, merged, typed
from .shortlinks import SHORT_FOLDER, ShortLinks, write_short_addresses
from .shortlinks import TEMPLATE as SHORT_TEMPLATE
from .site import Site, text_slug
from .sitemap import render_sitemap
from .sitescan import ALLOWED_SETTING, page_is_clean
from .supervision import LATE_SHOWN

# Where a decision names its attachment files (the registry's attachments path).
ATTACHMENT_FILES = RECORD_TYPES[Kind.DECISION].attachments or ()

log = logging.getLogger(__name__)


class BuildFailed(Exception):
    """The content has errors; nothing may be published until they are fixed."""

    def __init__(self, findings: list[Finding]) -> None:
        errors = len(errors_of(findings))
        super().__init__(f"{errors} 个错误，未生成网站")
        self.findings = findings


class RecordsGenerator(Generator):  # type: ignore[misc]  # Pelican ships no type hints
    """Validates content/ and writes the pages of every published record."""

    site: Site
    pages: list[PageSpec]
    options: GongshiSettings

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # What each portal-wide group of files is made from (_portal_wide), per build.
        self._group_prints: dict[str, str | None] = {}
        self._search_incremental: Incremental | None = None
        self._plain_texts: PlainTexts | None = None
        self.env.globals.update(
            page_of=page_of,
            TYPE_LABELS=TYPE_LABELS,
            CATEGORY_SLUGS=CATEGORY_SLUGS,
            Category=Category,
            text_slug=text_slug,
            flowchart=flowchart,
            LATE_SHOWN=LATE_SHOWN,
        )

    def generate_context(self) -> None:
        clear_memo()  # each text's HTML converted afresh by every build (prose.py)
        # Checked here too: a plain `pelican` run has no `gongshi build` checking them first.
        values = merged(self.settings.get(SETTING))
        as_of = resolve_as_of(values["as_of"])  # the one clock read of a build without --as-of
        # What runs after this (gongshi_trust's page and seal, the admin and search plugins)
        # reads the checked settings and this date, not the raw dict and the clock again.
        self.settings[SETTING] = {**values, "as_of": as_of.isoformat()}
        self.options = options = typed(self.settings[SETTING])
        content = Path(self.path)
        # Git walks the history (gitlog.Walking) while the records are read.
        with HistoryReading(content, publish=options.publish) as reading:
            self.site = self._read_site(content, as_of, reading)
        self.pages = plan(self.site)
        self._partition()
        corpus = self.site.corpus
        self.context.update(
            gongshi=self.site, portal=corpus.portal.data if corpus.portal else {}, as_of=as_of
        )
        # 亮证: short addresses always, QR codes only where the site's public address is known.
        self.context["shortlinks"] = ShortLinks.from_settings(self.settings)

    def _read_site(self, content: Path, as_of: dt.date, reading: HistoryReading) -> Site:
        """The site of the records under ``content``, validated, with their history."""
        # as_of: decision.future …; git: the corpus index `validate --changed-since` reads.
        validation = validate_content(content, as_of, git=GitContent(content))
        if has_errors(validation.findings):
            raise BuildFailed(validation.findings)
        # Pelican read the Markdown pages before this generator ran; one it dropped stops the
        # build too, even where the validator saw nothing wrong.
        dropped = dropped_pages(self.context, validation.corpus.prefix)
        if dropped:
            raise BuildFailed(dropped)
        corpus = validation.corpus
        # For the last check, of the built site (gongshi_trust's seal runs it): what may appear.
        self.settings[ALLOWED_SETTING] = site_allowances(corpus)
        publish = self.options.publish
        audit, findings = read_audit(content, corpus, as_of, publish=publish, reading=reading)
        if has_errors(findings):
            raise BuildFailed(sort_findings(findings))
        for finding in sort_findings(validation.findings + findings):  # warnings: built anyway
            log.warning("gongshi: %s", finding.text())
        return Site(corpus, public_view(corpus, as_of), audit)

    def generate_output(self, writer: Any) -> None:
        # Only this part's pages whose inputs changed (fingerprint.py), across the cores.
        chosen = [page for page in self._pages_to_render() if self._writes(page.name)]
        # Each page scanned for personal data by the worker that rendered it, while it has the
        # text: the build cache remembers the clean ones, which the seal's scan then passes
        # over (without the cache the seal reads every file, so the workers need not).
        scan = page_is_clean if self.settings.get(CACHE_SETTING) is not None else None
        for page, html, clean in render_pages(self, chosen, scan):
            self._write_bytes(page.name, html.encode("utf-8"), clean=clean)
        self._copy_attachments()
        part = self.settings.get(PART_SETTING)
        if part is not None and not part.is_global:
            return  # an agency part: the final job writes the portal-wide outputs
        output = Path(self.output_path)
        self._portal_wide(
            [SHORT_FOLDER],
            lambda: write_short_addresses(
                writer,
                self.get_template(SHORT_TEMPLATE),
                self.context,
                output,
                self.site.officers(),
                self.context["shortlinks"],
            ),
        )
        # Absolute page addresses in a publish build (a downloaded CSV has no site to be
        # relative to); a preview has no address, so its data keeps them site-relative.
        site_url = str(self.settings.get("FEED_DOMAIN") or "")
        # The statistics table is the pages' figures: computed once, with the history's years.
        open_data = self._start_portal_wide([DATA_DIR])
        search, incremental = self.options.search, self._search_incremental
        # The open data and the search index, the two largest groups, are made from the same
        # records independently: the one in a process forked for it while this one writes the
        # other (each a quarter of a rebuild after one change at 100,000 decisions).
        with alongside(
            None
            if open_data is None
            else lambda: write_open_data(
                output,
                self.site.corpus,
                self.site.view,
                self.site.statistics.stats,
                site_url,
                self._plain_texts,
            )
        ):
            self._portal_wide(
                [SEARCH_DIR, LUNR_TARGET],
                lambda: write_search_index(
                    output, self.site.corpus, self.site.view, search, incremental=incremental
                ),
            )
        if open_data is not None:
            open_data()
        self._write_bytes(FEED_PATH, self._feed())
        self._write_bytes(INSPECTION_FEED_PATH, self._inspection_feed())
        self._write_bytes("sitemap.xml", self._sitemap())

    def _portal_wide(self, paths: list[str], make: Callable[[], object]) -> None:
        """A portal-wide group of files (each one of ``paths`` or under one) made by ``make``:
        with the build cache, taken over from the previous build when made from the same inputs
        (``group_prints`` in _pages_to_render) and still intact (buildcache.py)."""
        fingerprint = self._group_prints.get(paths[0])
        make_group(self.settings, paths[0], fingerprint, Path(self.output_path), paths, make)

    def _start_portal_wide(self, paths: list[str]) -> Callable[[], None] | None:
        """_portal_wide for a group made alongside other work: None when taken over, else the
        call that records it once made (buildcache.start_group)."""
        fingerprint = self._group_prints.get(paths[0])
        return start_group(self.settings, paths[0], fingerprint, Path(self.output_path), paths)

    def render_page(self, page: PageSpec) -> str:
        """One planned page as HTML: the context ``writer.write_file(..., relative_urls=True)``
        would give it (SITEURL the way back to the site root), without writing anything."""
        root = path_to_url(get_relative_path(page.name))
        context = {**self.context, "SITEURL": root, "localsiteurl": root}
        context.update(output_file=page.name, page_name=page.name, **page.context)
        return str(self.get_template(page.template).render(context))

    def _pages_to_render(self) -> list[PageSpec]:
        """The planned pages whose inputs changed since the previous build (all of them without
        a build cache); the others are taken over from the previous site (buildcache.py)."""
        cache: BuildCache | None = self.settings.get(CACHE_SETTING)
        if cache is None:
            return list(self.pages)
        prints = Fingerprints(self.site, self.context, self.settings)
        self._group_prints = {
            SHORT_FOLDER: prints.of_group(Kind.OFFICER),  # an officer's name and certificate
            DATA_DIR: prints.corpus,
            SEARCH_DIR: prints.corpus,
        }
        cache.base_print = prints.of_group()
        # The search index writes only its files that change (gongshi_search/state.py).
        self._search_incremental = Incremental(cache.folder, prints.code, cache)
        # The open data reads the previous build's decision texts as plain text.
        self._plain_texts = PlainTexts(cache.folder, prints.code)
        chosen = []
        for page, fingerprint in zip(self.pages, page_prints(prints, self.pages), strict=True):
            target = self._target(page.name)
            if fingerprint is None or not cache.reuse_page(page.name, target, fingerprint):
                chosen.append(page)
        cache.rendered, cache.reused = len(chosen), len(self.pages) - len(chosen)
        log.info("gongshi: 重新生成 %d 个页面，沿用 %d 个", cache.rendered, cache.reused)
        return chosen

    def _partition(self) -> None:
        """In a partitioned build (partition.py), which part writes which page: left in the
        settings for build_site, which removes what other generators wrote for other parts."""
        part: Part | None = self.settings.get(PART_SETTING)
        if part is not None:
            pages = ((p.name, p.record.agency if p.record else None) for p in self.pages)
            self.settings[PARTITION_SETTING] = partition(pages, max(part.count, 1))

    def _writes(self, name: str) -> bool:
        """Whether this build writes output path ``name``: always, unless it is one part."""
        part: Part | None = self.settings.get(PART_SETTING)
        if part is None:
            return True
        return bool(self.settings[PARTITION_SETTING].owns(part, name))

    def _target(self, name: str) -> Path:
        # As Pelican's writer does (sanitised_join): a name from content never leaves the site.
        return Path(sanitised_join(self.output_path, name))

    def _write_bytes(self, name: str, data: bytes, *, clean: bool = False) -> None:
        """``clean``: the site scan finds no candidate number in ``data`` (page_is_clean)."""
        target = self._target(name)
        cache: BuildCache | None = self.settings.get(CACHE_SETTING)
        if cache is not None:  # the previous file linked when the bytes are the same
            cache.write(name, target, data, clean=clean)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    def _copy_attachments(self) -> None:
        """Only attachments of published decisions: a withdrawn one's files must not stay up."""
        content = Path(self.path)
        for entry in self.site.decisions():
            agency = str(entry.record.agency)
            for _where, name in link_values(entry.record.data, ATTACHMENT_FILES):
                # Checked again here, not only by the validator: nothing from outside the
                # agency's files/ may reach the site, whatever ran before.
                source = attachment_source(content, agency, str(name))
                if source is None or not self._writes(f"agencies/{agency}/files/{name}"):
                    continue
                target = Path(self.output_path) / "agencies" / agency / "files" / str(name)
                if not target.resolve().is_relative_to(Path(self.output_path).resolve()):
                    continue  # never written outside the output folder, whatever the name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)

    def _feed(self) -> bytes:
        audit = self.site.audit
        # An entry is dated by the day it reached the portal; a record not yet merged (preview)
        # by the build's date.
        entries = [
            FeedEntry(d, audit.published_on(d.record) or self.site.as_of)
            for d in self.site.decisions()
        ]
        entries += [
            FeedEntry(d, audit.withdrawn_on(d.record) or self.site.as_of)
            for d in self.site.withdrawn()
        ]
        name, key, site_url = self._feed_identity()
        return render_feed(name, key, site_url, entries, lambda d: page_of(d.record))

    def _feed_identity(self) -> tuple[str, str, str]:
        """The portal's name, the key that makes Atom ids unique to it, and the feeds' base."""
        portal = self.context["portal"]
        name = str(portal.get("name", ""))
        key = str(portal.get("site_code") or text_slug(name))
        return name, key, str(self.settings.get("FEED_DOMAIN") or "")

    def _inspection_feed(self) -> bytes:
        audit = self.site.audit
        # Dated by the last change of the record (results are added to it over the year).
        entries = [
            InspectionEntry(
                record,
                self.site.inspection_results(record),
                audit.updated_on(record) or audit.published_on(record) or self.site.as_of,
            )
            for record in self.site.corpus.of(Kind.INSPECTION)
        ]
        name, key, site_url = self._feed_identity()
        return render_inspection_feed(name, key, site_url, entries)

    def _sitemap(self) -> bytes:
        site_url = str(self.settings.get("FEED_DOMAIN") or "")
        audit = self.site.audit
        dated = [(p.name, audit.updated_on(p.record) if p.record else None) for p in self.pages]
        pages = self.context.get("pages") or []
        dated += [(str(p.save_as), None) for p in pages]
        return render_sitemap(site_url, dated)
