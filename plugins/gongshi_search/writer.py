"""``output/search/``: the manifest, the term buckets and the stores of both collections, and
lunr.js copied from node_modules into the theme's output."""

from __future__ import annotations

import itertools
import logging
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from gongshi_records import Corpus
from gongshi_records.paths import NODE_MODULES
from gongshi_records.publication import PublicView
from gongshi_records.registry import Kind
from gongshi_records.standing import EXPIRED_LABEL, VALID_LABEL, standing_badges

from .documents import (
    DECISIONS,
    DIRECTORY,
    TYPES,
    SearchDoc,
    decision_docs,
    directory_docs,
    inspection_docs,
)
from .shards import Collection, Facets, ShardSettings, decode_runs, write_json
from .state import Incremental, State, Within

log = logging.getLogger(__name__)

SEARCH_DIR = "search"
MANIFEST = "manifest.json"
LUNR_TARGET = "theme/js/lunr.min.js"
LUNR_SOURCE = NODE_MODULES / "lunr/lunr.min.js"
FORMAT = 2  # bumped when the files change shape; the browser refuses another format


class SearchBuildError(Exception):
    """The search index cannot be written (for example lunr.js was never installed)."""


def write_search_index(
    output_dir: Path,
    corpus: Corpus,
    view: PublicView,
    options: ShardSettings | None = None,
    lunr_js: Path | None = None,
    incremental: Incremental | None = None,
) -> dict[str, Any]:
    """Writes ``output_dir/search/`` and ``output_dir/theme/js/lunr.min.js``; returns the
    manifest. Records come from the same public view as the pages. ``options`` are the
    ``GONGSHI["search"]`` settings, checked by gongshi_portal.settings (defaults when None);
    ``incremental``: how to reach the previous build's files (state.py)."""
    directory = directory_docs(corpus, view.as_of)
    agencies = {r.key: str(r.get("name", default="")) for r in corpus.of(Kind.AGENCY)}
    return write_collections(
        output_dir,
        # Inspection results sit with decisions: dated results of enforcement, filtered by year.
        {
            DIRECTORY: directory,
            DECISIONS: itertools.chain(decision_docs(corpus, view), inspection_docs(corpus, view)),
        },
        agencies,
        options or ShardSettings(),
        lunr_js,
        incremental,
    )


def write_collections(
    output_dir: Path,
    collections: dict[str, Iterable[SearchDoc]],
    agencies: dict[str, str],
    settings: ShardSettings,
    lunr_js: Path | None = None,
    incremental: Incremental | None = None,
) -> dict[str, Any]:
    """The same for documents made elsewhere."""
    copy_lunr(output_dir, lunr_js or LUNR_SOURCE)
    folder = output_dir / SEARCH_DIR
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    facets = Facets(agencies=sorted(agencies))
    written = {
        name: _write_collection(folder, name, docs, facets, settings, incremental)
        for name, docs in collections.items()
    }
    manifest = {
        "format": FORMAT,
        "types": [[code, label] for code, label in TYPES.items()],
        "agencies": [[key, agencies.get(key, key)] for key in facets.agencies],
        "categories": facets.categories,
        # An officer result's badge: its standing label (the store's extra) → the page's class;
        # a valid certificate past its valid_until on the reader's date is shown as expired.
        "standings": {
            "badges": [[label, badge] for label, badge in standing_badges().items()],
            "valid": VALID_LABEL,
            "expired": EXPIRED_LABEL,
        },
        "collections": written,
        **filter_values(written),
    }
    write_json(folder / MANIFEST, manifest)
    return manifest


def _write_collection(
    folder: Path,
    name: str,
    docs: Iterable[SearchDoc],
    facets: Facets,
    settings: ShardSettings,
    incremental: Incremental | None,
) -> dict[str, Any]:
    """One collection's files; with ``incremental``, from the previous build's state, and the
    state of this one left for the next (state.py)."""
    if incremental is None:
        return Collection(name, settings).extend(docs).write(folder, facets)
    # The files depend on the settings and the code (in the key) as much as on the documents.
    key = f"{FORMAT}:{incremental.key}:{settings!r}"
    path = incremental.folder / f"search-{name}.state"
    collection = Collection(name, settings, State.load(path, key)).extend(docs)
    entry = collection.write(folder, facets, Within(incremental.site, f"{SEARCH_DIR}/{name}/"))
    try:
        collection.state().save(path, key)
    except OSError as problem:
        log.warning("gongshi: 无法写入搜索索引缓存 %s（%s）", path, problem)
    return entry


def filter_values(collections: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Which filter values occur at all: years (newest first) and categories per type."""
    years: set[int] = set()
    by_type: dict[str, list[int]] = {}
    types = list(TYPES)
    for entry in collections.values():
        for _start, kind, _agency, year, category in decode_runs(entry["runs"]):
            if year:
                years.add(year)
            ids = by_type.setdefault(types[kind], [])
            if category >= 0 and category not in ids:
                ids.append(category)
    return {
        "years": sorted(years, reverse=True),
        "categoryTypes": [[kind, sorted(ids)] for kind, ids in by_type.items() if ids],
    }


def copy_lunr(output_dir: Path, lunr_js: Path) -> None:
    if not lunr_js.is_file():
        raise SearchBuildError(
            f"找不到 {lunr_js}：站内搜索需要 lunr.js，请先运行 `make setup`（npm ci）安装"
        )
    target = output_dir / LUNR_TARGET
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(lunr_js, target)
