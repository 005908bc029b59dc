"""The build manifest: what the previous build wrote, so the next one reuses what did not change.

It lives outside content/ and outside the published site (``gongshi build --cache-dir``; by
default in the user's cache folder, one per absolute output path) and holds, for every file of
the previous site, its SHA-256, size, mtime and inode, whether the last privacy scan found no
candidate number in it, each planned page's fingerprint (fingerprint.py), and for each
portal-wide *group* of files (the search index, the open data, the short addresses, the web
forms) the fingerprint it was made from and the files it wrote.

The cache is an optimisation only: a build from an empty cache gives the same bytes. So the
manifest is never trusted blindly. It must be JSON of this format, for this output, and carry
its own digest (a corrupt or hand-edited file is ignored whole); and a previous file is reused
only while its size, mtime and inode are still what the manifest recorded, so a file changed
in the live site since (or a different file under its name) is read and hashed again.

A reused file is *hard-linked* from the previous site into the staging folder (copied where
links are impossible): its inode and mtime stay, so mirrors (rsync) see it unchanged. The
staging folder starts empty, so nothing written by any plugin can write through a link into
the live site, and a file the new build does not produce is simply not there.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from gongshi_records.walk import entries_under, files_under

from .cleanlines import scan_code_key

log = logging.getLogger(__name__)
T = TypeVar("T")

FORMAT = 2
MANIFEST_NAME = "manifest.json"
SETTING = "GONGSHI_BUILD_CACHE"  # where build_site leaves the BuildCache for the plugins
CHUNK = 1 << 16


@dataclass(frozen=True)
class FileEntry:
    sha256: str
    size: int
    mtime_ns: int
    ino: int
    clean: bool = False  # the privacy scan (sitescan) found no candidate number at all

    def matches(self, stat: os.stat_result) -> bool:
        return (stat.st_size, stat.st_mtime_ns, stat.st_ino) == (self.size, self.mtime_ns, self.ino)


@dataclass(frozen=True)
class Group:
    fingerprint: str
    files: list[str]


def _files_under(site: Path, paths: Sequence[str]) -> set[str]:
    """The files of ``site`` that are one of ``paths`` or lie under one."""
    found: set[str] = set()
    for path in paths:
        if (site / path).is_file() and not (site / path).is_symlink():
            found.add(path)
        found.update(f"{path}/{name}" for name, _entry in files_under(site / path))
    return found


def make_group(
    settings: Any,
    group: str,
    fingerprint: str | None,
    staging: Path,
    paths: Sequence[str],
    make: Callable[[], object],
) -> None:
    """``make()`` a portal-wide group of files, through the build's cache when it has one
    (``BuildCache.start_group``): the one way every generator writes such a group."""
    finish = start_group(settings, group, fingerprint, staging, paths)
    if finish is not None:
        make()
        finish()


def start_group(
    settings: Any, group: str, fingerprint: str | None, staging: Path, paths: Sequence[str]
) -> Callable[[], None] | None:
    """make_group in two steps, for a group made while other work goes on: None when the
    previous build's files were taken over, else the call that records the group once its
    files are written (``BuildCache.start_group``)."""
    cache: BuildCache | None = settings.get(SETTING)
    if cache is None:
        return lambda: None
    return cache.start_group(group, fingerprint, staging, paths)


def _inside(name: str) -> bool:
    """Whether a manifest's file name is a plain path inside the site (never absolute, never
    through ``..``): the names are joined to the live site's and the staging folder's paths.
    The parts as PurePosixPath has them (empty and ``.`` parts dropped), without making one:
    150,000 names are checked at the start of every rebuild (1.3 s through pathlib)."""
    parts = [part for part in name.split("/") if part not in ("", ".")]
    return bool(parts) and not name.startswith("/") and ".." not in parts


def default_cache_dir(output: Path) -> Path:
    """``$XDG_CACHE_HOME/gongshi/builds/<digest of the absolute output path>``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    key = hashlib.sha256(str(output.resolve()).encode("utf-8")).hexdigest()[:24]
    return Path(base) / "gongshi" / "builds" / key


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _canonical(body: dict[str, Any]) -> bytes:
    """The manifest's body as its digest is computed over (and as it is written)."""
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8")


def _body_digest(body: dict[str, Any]) -> str:
    return hashlib.sha256(_canonical(body)).hexdigest()


class BuildCache:
    """The previous build's manifest (read once) and the one this build records."""

    def __init__(self, folder: Path, output: Path) -> None:
        self.folder = folder
        self.output = output.resolve()  # the live site: where previous files are reused from
        self._live = str(self.output)
        self.previous: dict[str, FileEntry] = {}
        self.previous_pages: dict[str, str] = {}
        self.previous_groups: dict[str, Group] = {}
        self.previous_key: str | None = None
        self.files: dict[str, FileEntry] = {}
        self.pages: dict[str, str] = {}
        self.groups: dict[str, Group] = {}
        # The fingerprint of what is shown on every page (fingerprint.Fingerprints.of_group):
        # for a group of files made from nothing else (the web forms of gongshi_admin).
        self.base_print: str | None = None
        self.groups_reused: list[str] = []
        # Every input of this build as one digest (unchanged.py), and whether it matched the
        # previous build's with the live site intact, so nothing was built.
        self.key: str | None = None
        self.unchanged = False
        self.settled = False  # the whole staging site settled once (its files recorded)
        self.rendered = 0
        self.reused = 0
        self._load()

    # The previous manifest ---------------------------------------------------------------------
    def _load(self) -> None:
        path = self.folder / MANIFEST_NAME
        try:
            data = json.loads(path.read_text("utf-8"))
            self._accept(data)
        except FileNotFoundError:
            return
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as problem:
            log.warning("gongshi: 构建缓存 %s 无法使用（%s），本次完整生成", path, problem)
            self.previous, self.previous_pages, self.previous_groups = {}, {}, {}
            self.previous_key = None

    def _accept(self, data: Any) -> None:
        body = {k: v for k, v in data.items() if k != "digest"}
        if data.get("format") != FORMAT or data.get("output") != str(self.output):
            raise ValueError("不是本输出目录、本版本的构建清单")
        if data.get("digest") != _body_digest(body):
            raise ValueError("清单摘要不符，可能已损坏或被改动")
        files = {str(name): FileEntry(**entry) for name, entry in data["files"].items()}
        for entry in files.values():
            if not (isinstance(entry.sha256, str) and len(entry.sha256) == 64):
                raise ValueError("文件摘要格式不对")
            if not all(isinstance(v, int) for v in (entry.size, entry.mtime_ns, entry.ino)):
                raise ValueError("文件信息格式不对")
        pages = {str(k): str(v) for k, v in data["pages"].items()}
        groups = {
            str(k): Group(str(v["fingerprint"]), [str(f) for f in v["files"]])
            for k, v in data["groups"].items()
        }
        if not all(_inside(name) for name in files):
            raise ValueError("文件名不在网站目录之内")
        if not all(name in files for group in groups.values() for name in group.files):
            raise ValueError("文件组列出了清单中没有的文件")
        if data.get("scan") != _scan_key():  # found clean by other privacy patterns: scan again
            files = {name: replace(entry, clean=False) for name, entry in files.items()}
        self.previous, self.previous_pages, self.previous_groups = files, pages, groups
        key = data.get("key")
        self.previous_key = key if isinstance(key, str) else None

    def still_published(self, key: str | None) -> bool:
        """Whether the live site is what a build with inputs ``key`` writes: the previous
        build had the same key, and the site holds exactly its files, each as recorded. Then
        this build is skipped, and the manifest kept as it is."""
        self.key = key
        if key is None or key != self.previous_key or not self.output.is_dir():
            return False
        seen = 0
        for name, found in entries_under(self.output):
            entry = self.previous.get(name)
            if entry is None or found.is_symlink():
                return False
            if not entry.matches(found.stat(follow_symlinks=False)):
                return False
            seen += 1
        if seen != len(self.previous):
            return False
        self.files, self.pages, self.groups = (
            self.previous,
            self.previous_pages,
            self.previous_groups,
        )
        self.unchanged, self.reused = True, len(self.previous_pages)
        return True

    def previous_file(self, name: str) -> Path | None:
        """The live site's ``name``, if it is still the very file the manifest recorded."""
        found = self._previous(name)
        return Path(found) if found is not None else None

    def _previous(self, name: str) -> str | None:
        # Strings and one lstat, no Path objects: asked for each of 150,000 files at L.
        entry = self.previous.get(name)
        if entry is None:
            return None
        path = os.path.join(self._live, name)
        try:
            found = os.lstat(path)
        except OSError:
            return None
        return path if stat.S_ISREG(found.st_mode) and entry.matches(found) else None

    def previous_sha256(self, name: str) -> str | None:
        """The SHA-256 the manifest recorded for the previous site's ``name``, if any."""
        entry = self.previous.get(name)
        return entry.sha256 if entry is not None else None

    # Writing into the staging folder ----------------------------------------------------------
    def reuse(self, name: str, target: Path) -> bool:
        """Link (or copy) the previous ``name`` to ``target``; False if there is none to reuse."""
        source = self._previous(name)
        if source is None:
            return False
        entry = self.previous[name]
        linked = _in_folder(target, lambda: _place(source, target))
        if linked:  # the very file: the same inode, size and mtime as recorded
            self.files[name] = entry
        else:
            self._record(name, target, entry.sha256, entry.clean)
        return True

    def write(self, name: str, target: Path, data: bytes, *, clean: bool = False) -> None:
        """``data`` as ``target``: the previous file linked when its bytes are the same.
        ``clean``: the privacy scan's verdict on ``data``, found by whoever made it
        (sitescan.page_is_clean), remembered as if the scan had read the file."""
        digest = hashlib.sha256(data).hexdigest()
        entry = self.previous.get(name)
        if entry is not None and entry.sha256 == digest and self.reuse(name, target):
            if clean:
                self.files[name] = replace(self.files[name], clean=True)
            return
        _in_folder(target, lambda: _replace_bytes(target, data))
        self._record(name, target, digest, clean)

    def reuse_page(self, name: str, target: Path, fingerprint: str) -> bool:
        """The previous page ``name`` as ``target`` when its fingerprint is the same."""
        self.pages[name] = fingerprint
        return self.previous_pages.get(name) == fingerprint and self.reuse(name, target)

    def start_group(
        self, group: str, fingerprint: str | None, staging: Path, paths: Sequence[str]
    ) -> Callable[[], None] | None:
        """The portal-wide files of ``group`` (each one of ``paths`` or under one) in
        ``staging``: the previous build's, linked, when they were made from the same inputs
        (the same ``fingerprint``; None: never taken over) and are all still intact in the live
        site (returns None); else the call that records what was added under ``paths`` once
        the caller has written them."""
        previous = self.previous_groups.get(group)
        if fingerprint is not None and previous is not None and previous.fingerprint == fingerprint:
            sources = [self.previous_file(name) for name in previous.files]
            if all(source is not None for source in sources):
                for name in previous.files:
                    self.reuse(name, staging / name)
                self.groups[group] = previous
                self.groups_reused.append(group)
                return None
        # Listed before anything is made: all that is there after, and not now, is the group's.
        before = _files_under(staging, paths)

        def finish() -> None:
            if fingerprint is not None:
                made = sorted(_files_under(staging, paths) - before)
                self.groups[group] = Group(fingerprint, made)

        return finish

    def _record(self, name: str, target: Path, digest: str, clean: bool) -> None:
        stat = target.lstat()
        self.files[name] = FileEntry(digest, stat.st_size, stat.st_mtime_ns, stat.st_ino, clean)

    # After every plugin wrote its files -------------------------------------------------------
    def settle(self, site: Path) -> dict[str, str]:
        """Every file of the staging ``site`` hashed (recorded ones not read again), an unchanged
        one replaced by a link to the previous file; returns name → SHA-256 for SHA256SUMS."""
        present: set[str] = set()
        # Listed first: reuse() renames links into these very folders.
        for name, found in list(files_under(site)):
            present.add(name)
            self._settle_file(name, found.path, found.stat(follow_symlinks=False))
        for gone in set(self.files) - present:
            del self.files[gone]
        self.settled = True
        return {name: entry.sha256 for name, entry in self.files.items()}

    def settle_written(self, site: Path, names: Iterable[str]) -> None:
        """``settle`` for the files named only, written (or removed) after the site was settled:
        the seal's own files, without walking 150,000 files again."""
        for name in names:
            path = site / name
            try:
                found = path.lstat()
            except FileNotFoundError:
                self.files.pop(name, None)
                continue
            if stat.S_ISREG(found.st_mode):
                self._settle_file(name, str(path), found)
            else:
                self.files.pop(name, None)

    def _settle_file(self, name: str, where: str, found: os.stat_result) -> None:
        known = self.files.get(name)
        if known is not None and known.matches(found):
            return  # most files: recorded as written or linked (no path object made)
        path = Path(where)
        digest = sha256_of(path)
        entry = self.previous.get(name)
        if entry is not None and entry.sha256 == digest and self.reuse(name, path):
            return
        self._record(name, path, digest, False)

    def is_clean(self, name: str, path: str | os.PathLike[str]) -> bool:
        """Whether the privacy scan may skip ``path``: the same bytes scanned clean before.
        (Asked of 150,000 files: a string path, without a Path object each, takes half as
        long.)"""
        entry = self.files.get(name)
        return bool(entry and entry.clean and entry.matches(os.lstat(path)))

    def mark_clean(self, name: str, path: Path) -> None:
        entry = self.files.get(name)
        if entry is not None and entry.matches(path.lstat()):
            self.files[name] = replace(entry, clean=True)

    def save(self) -> None:
        """Write the manifest of the site just swapped in (settled before the swap, which
        keeps every file's inode and mtime)."""
        body: dict[str, Any] = {
            "format": FORMAT,
            "output": str(self.output),
            # vars(), not asdict(): asdict deep-copies each field, 2 s for 150,000 files.
            "files": {name: dict(vars(entry)) for name, entry in sorted(self.files.items())},
            "pages": dict(sorted(self.pages.items())),
            "groups": {k: asdict(v) for k, v in sorted(self.groups.items())},
            "key": self.key,
            "scan": _scan_key(),
        }
        # The body as its digest is computed, the digest added as one more key: 150,000 files
        # serialised once, not twice (the reader recomputes the digest from what it parsed).
        text = _canonical(body)
        digest = hashlib.sha256(text).hexdigest()
        self.folder.mkdir(parents=True, exist_ok=True)
        _replace_bytes(
            self.folder / MANIFEST_NAME, text[:-1] + b',"digest":"%s"}' % digest.encode()
        )


def _scan_key() -> str:
    """The privacy scan's code: what a file's ``clean`` was found by (cleanlines.py)."""
    return scan_code_key().hex()


def _in_folder(target: Path, write: Callable[[], T]) -> T:
    """``write()`` (which makes ``target``), making ``target``'s folder only when it is
    missing: most folders exist already, and 40,000 files reused made as many mkdir calls."""
    try:
        return write()
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        return write()


def _place(source: str, target: Path) -> bool:
    """``target`` becomes ``source``'s file: a hard link (True), or a copy across file
    systems. Linked straight to its name when nothing is there yet (the staging folder starts
    empty), else beside it and renamed over: a file there is replaced, never written to."""
    try:
        os.link(source, target)
        return True
    except FileNotFoundError:
        raise  # no folder yet (_in_folder makes it), or the source went away
    except OSError:
        pass  # a file there already, or no hard links on this file system
    temporary = target.with_name(f".{target.name}.gongshi-tmp")
    temporary.unlink(missing_ok=True)
    try:
        os.link(source, temporary)
        linked = True
    except OSError:
        shutil.copy2(source, temporary)
        linked = False
    os.replace(temporary, target)
    # Renaming a name over another name of the same file does nothing: the temporary stays.
    temporary.unlink(missing_ok=True)
    return linked


def _replace_bytes(target: Path, data: bytes) -> None:
    """Written beside and renamed over: a link to a previous file is replaced, not written to."""
    temporary = target.with_name(f".{target.name}.gongshi-tmp")
    temporary.write_bytes(data)
    os.replace(temporary, target)
