"""Running a real Pelican build of a content folder, as `gongshi build` and `make site` do."""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import socket
import tempfile
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from gongshi_records.paths import PROJECT_ROOT
from pelican import Pelican
from pelican.settings import read_settings

from .buildcache import SETTING as CACHE_SETTING
from .buildcache import BuildCache
from .partition import Part
from .parts import PartitionedBuild
from .settings import merged
from .unchanged import build_key


def build_site(
    content: Path,
    output: Path,
    *,
    publish: bool = False,
    as_of: dt.date,
    cache_dir: Path | None = None,
    part: Part | None = None,
    merge: Sequence[Path] = (),
) -> BuildCache | None:
    """Build into a fresh folder beside ``output`` and swap it in only when the build succeeded,
    so a failed build never leaves a half-written or emptied site behind.

    With ``cache_dir``, unchanged pages are not rendered again and unchanged files are hard
    links to the previous site's (buildcache.py); returns the cache, which counts them. With
    ``part``, only that agency part; with ``merge``, the global outputs and the parts built in
    those folders (parts.py, docs/scaling.md)."""
    conf = PROJECT_ROOT / ("publishconf.py" if publish else "pelicanconf.py")
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(output)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}-", dir=output.parent))
    swapped = False
    cache: BuildCache | None = None
    try:
        site = _mark_staging(staging)
        settings = read_settings(
            str(conf),
            override={
                "PATH": str(content.resolve()),
                "OUTPUT_PATH": str(site),
                # gongshi_trust refuses a signing key inside the folder the site replaces.
                "GONGSHI_FINAL_OUTPUT": str(output),
            },
        )
        settings["GONGSHI"] = with_build_options(settings.get("GONGSHI"), as_of, publish)
        cache = BuildCache(cache_dir, output) if cache_dir is not None else None
        settings[CACHE_SETTING] = cache
        split = None
        if part is not None or merge:
            split = PartitionedBuild.prepare(content, conf, settings, part, merge)
        _quiet_pelican()
        pelican = Pelican(settings)  # the plugins registered: they name their inputs too
        if (
            cache is not None
            and split is None
            and cache.still_published(build_key(content, settings))
        ):
            return cache  # the same inputs as the live site's build: nothing to do
        pelican.run()
        if split is not None:
            split.finish(site, settings)
        if cache is not None and not cache.settled:
            # The seal settles the site, then records the files it writes itself; a build
            # without one (an agency part) is settled here.
            cache.settle(site)
        _swap(site, output, staging)
        swapped = True
    finally:
        # The old site (150,000 files at scale) is removed while the manifest is written: the
        # one waits on the file system, the other on the processor.
        remover = threading.Thread(target=shutil.rmtree, args=(staging, True))
        remover.start()
        try:
            if swapped and cache is not None:
                _save(cache)
        finally:
            remover.join()
    return cache


def _save(cache: BuildCache) -> None:
    """The manifest of the site now published; the site stays published if this fails (the
    next build is then a full one)."""
    try:
        cache.save()
    except OSError as problem:
        logging.getLogger(__name__).warning("gongshi: 无法写入构建缓存（%s）", problem)


def with_build_options(
    configured: Mapping[str, Any] | None, as_of: dt.date, publish: bool
) -> dict[str, Any]:
    """The configuration's ``GONGSHI`` settings with this build's date and mode: merged, not
    replaced, so what pelicanconf.py sets there (the search settings) still applies; checked
    (settings.py), so an unknown key or a wrong value stops the build before Pelican starts."""
    return merged({**(configured or {}), "as_of": as_of.isoformat(), "publish": publish})


def _swap(site: Path, output: Path, staging: Path) -> None:
    """The new site in, the old one into the staging folder (removed with it). A build killed
    between the two renames leaves no output and the old site in ``staging/old``: the next
    build puts it back before it cleans up (:func:`remove_stale_staging`)."""
    old = staging / OLD_SITE
    if output.exists():
        output.rename(old)
    try:
        site.rename(output)
    except BaseException:
        if old.exists() and not output.exists():
            old.rename(output)  # the old site stays published rather than none
        raise


# A build writes into ``.<output>-XXXX/site`` beside the output; the marker file in that
# staging folder says which process made it, so the next build removes what a killed build
# left behind, and never a folder it did not make (nor one a running build is filling).
STAGING_MARKER = ".gongshi-staging"
OLD_SITE = "old"  # inside a staging folder: the previous site while the new one moves in


def _mark_staging(staging: Path) -> Path:
    (staging / STAGING_MARKER).write_text(f"{socket.gethostname()} {os.getpid()}\n", "utf-8")
    site = staging / "site"
    site.mkdir()
    return site


def remove_stale_staging(output: Path) -> list[Path]:
    """Remove the staging folders of killed builds of ``output`` (and the ``.<output>-old``
    folder earlier versions swapped through); returns what was removed. When the output is
    missing because a build was killed half way through its swap, the old site it set aside
    is moved back first: the site is never lost to a cleanup."""
    removed = []
    legacy = output.with_name(f".{output.name}-old")
    for folder in sorted(output.parent.iterdir()) if output.parent.is_dir() else ():
        if not folder.name.startswith(f".{output.name}-") or folder.is_symlink():
            continue
        if folder == legacy and folder.is_dir():
            _restore(folder, output)
        elif _stale(folder / STAGING_MARKER):
            _restore(folder / OLD_SITE, output)
        else:
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def _restore(old: Path, output: Path) -> None:
    if output.exists() or output.is_symlink() or old.is_symlink() or not old.is_dir():
        return
    old.rename(output)
    logging.getLogger(__name__).warning(
        "gongshi: 上次构建在替换网站时中断，已把原来的网站从 %s 恢复到 %s", old, output
    )


def _stale(marker: Path) -> bool:
    """Whether ``marker`` is a staging marker of a build on this machine that no longer runs."""
    try:
        host, pid = marker.read_text("utf-8").split()
        if host != socket.gethostname():
            return False
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except (OSError, ValueError):  # no marker, unreadable, or a live process of another user
        return False
    return False


def _quiet_pelican() -> None:
    # Pelican's own progress lines drown the findings clerks need to read.
    logging.getLogger("pelican").setLevel(logging.WARNING)
