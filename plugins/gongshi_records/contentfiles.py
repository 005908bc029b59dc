"""What lies under content/: the record files and Markdown pages to read, and a finding for
everything that must not be read as it stands (issue 11: content is untrusted input).

Nothing here follows a symlink: a link under content/ (to /etc/passwd, to a folder of
withdrawn records, anywhere) is reported by name and never read through, so the build cannot
publish a file of the build machine. Files the build would silently skip (``x.YAML``,
``x.yml``, an agency folder named ``files``) are findings too, naming what to rename.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .findings import Finding, error, warning

RECORD_SUFFIX = ".yaml"
PAGE_SUFFIX = ".md"
PAGES = "pages"
# Folders under content/ whose files are no records; what is in them is checked elsewhere
# (pages) or never published (images/, static/: Pelican's STATIC_PATHS is empty).
_NOT_RECORDS = (PAGES, "images", "static")
# The folder of an agency that holds its attachments (attachments.py checks them).
FILES = "files"
_LOOKS_LIKE_YAML = re.compile(r"\.(ya?ml|ymal|yaml\s+)(?=$|[.~\s])", re.IGNORECASE)


@dataclass
class ContentFiles:
    """The files of a content folder: records to load, pages to check, and what is wrong."""

    root: Path
    # Each record file's path under ``root``, part by part, in path order: a province has
    # 100,000 of them, and a Path object for each cost a second of every validation.
    record_parts: list[tuple[str, ...]] = field(default_factory=list)
    pages: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def record_paths(self) -> list[Path]:
        return [self.root.joinpath(*parts) for parts in self.record_parts]


def first_symlink(root: Path, parts: Iterable[str]) -> Path | None:
    """The first symlink on the way from ``root`` down through ``parts`` (the last part itself
    included), if any. The one check of "is any step a link" for pages, attachments and the
    build's page reader; :func:`scan_content` makes the same check step by step as it walks
    (it never enters a linked folder, so each entry it meets has no link above it)."""
    here = root
    for part in parts:
        here = here / part
        if here.is_symlink():
            return here
    return None


def scan_content(content_dir: Path, shown: str) -> ContentFiles:
    """Walk ``content_dir`` (shown in findings as ``shown``) without following any symlink."""
    found = ContentFiles(content_dir)
    # Folder by folder, as os.walk(followlinks=False) goes, but with each entry's link test
    # from the directory listing itself: no lstat per file (a province has 100,000 records).
    # A stack, not recursion: a pull request may nest folders as deep as paths allow.
    pending: list[tuple[str, tuple[str, ...]]] = [(str(content_dir), ())]
    while pending:
        folder, relative = pending.pop()
        pending.extend(reversed(_scan_folder(folder, relative, shown, found)))
    # The order of the old rglob walk: by path (part by part, as paths compare), so a folder's
    # files and subfolders interleave.
    found.record_parts.sort()
    found.pages.sort()
    return found


def scan_paths(content_dir: Path, shown: str, relatives: Iterable[str]) -> ContentFiles:
    """What :func:`scan_content` says of the files at ``relatives`` (under ``content_dir``) and
    of nothing else: `validate --changed-since` looks again at the files git says changed and
    takes the rest from the corpus index. A path whose folder the walk would not enter gives
    that folder's finding as far as it is on the path; a path that is gone, or a folder,
    gives nothing (the files in a new folder are listed themselves)."""
    found = ContentFiles(content_dir)
    for relative in sorted(set(relatives)):
        parts = tuple(relative.split("/"))
        if "" in parts or "." in parts or ".." in parts:
            continue  # no file the walk can meet
        _scan_path(content_dir, parts, shown, found)
    found.record_parts.sort()
    found.pages.sort()
    return found


def _scan_path(content_dir: Path, parts: tuple[str, ...], shown: str, found: ContentFiles) -> None:
    for depth in range(1, len(parts)):
        folder = content_dir.joinpath(*parts[:depth])
        if not folder.is_dir():
            return  # gone, or not a folder: the walk never gets to the path
        below = ContentFiles(content_dir)
        if _skipped_folder(folder, parts[:depth], folder.is_symlink(), shown, below):
            # A linked folder's finding is on the folder, which git lists as the changed path
            # itself; a reserved folder's is on each file below it.
            found.findings += [f for f in below.findings if f.path == _shown(shown, parts)]
            return
    path = content_dir.joinpath(*parts)
    is_link = path.is_symlink()
    if not (is_link or path.exists()) or (path.is_dir() and not is_link):
        return
    if is_link and path.is_dir():
        _skipped_folder(path, parts, True, shown, found)
    else:
        _classify(str(path), parts, is_link, shown, found)


def _scan_folder(
    folder: str, relative: tuple[str, ...], shown: str, found: ContentFiles
) -> list[tuple[str, tuple[str, ...]]]:
    """The files of one folder classified; its subfolders to enter, in name order. An
    unreadable folder is skipped, as os.walk skips it."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError:
        return []
    folders = []
    for entry in entries:
        parts, is_link = (*relative, entry.name), entry.is_symlink()
        if _is_folder(entry):  # a link to a folder too: _skipped_folder reports it
            if not _skipped_folder(Path(entry.path), parts, is_link, shown, found):
                folders.append((entry.path, parts))
        else:
            _classify(entry.path, parts, is_link, shown, found)
    return folders


def _is_folder(entry: os.DirEntry[str]) -> bool:
    """Whether ``entry`` is a folder or a link to one. A link that loops, passes through a
    file or cannot be followed is no folder (as os.walk has it): _classify reports the link."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _skipped_folder(
    path: Path, parts: tuple[str, ...], is_link: bool, shown: str, found: ContentFiles
) -> bool:
    """Whether the walk must not enter ``path``; a finding says why when it is a mistake."""
    where = _shown(shown, parts)
    if is_link:
        found.findings.append(_symlink(where, "文件夹"))
        return True
    if len(parts) == 2 and parts[0] == "agencies" and parts[1] == FILES:
        # On each file in it: those are what is skipped, and what `--changed-since` names.
        message = (
            f"执法主体文件夹不能叫 {FILES}：{FILES}/ 是存放附件的保留名称，其中的记录不会被读取；"
            "请改用执法主体的代号（小写字母、数字和连字符），例如 qingxi-scjgj"
        )
        for inner in files_below(path):
            found.findings.append(error(f"{where}/{inner}", 1, 1, "content.reserved", message))
        return True
    # Everything else is entered, an agency's files/ too: a link in it is still a link
    # (attachments.py checks the files a record names).
    return False


def files_below(folder: Path) -> list[str]:
    """Every file below ``folder`` (links included, not followed), relative to it."""
    found = []
    for here, _dirs, files in os.walk(folder, followlinks=False):
        inner = Path(here).relative_to(folder)
        found += [(inner / name).as_posix() for name in files]
    return sorted(found)


def _in_attachments(parts: tuple[str, ...]) -> bool:
    return len(parts) >= 3 and parts[0] == "agencies" and parts[2] == FILES


def _classify(
    path: str, parts: tuple[str, ...], is_link: bool, shown: str, found: ContentFiles
) -> None:
    name = parts[-1]
    if is_link:
        found.findings.append(_symlink(_shown(shown, parts), "文件"))
    elif parts[0] == PAGES:
        if name.startswith("."):
            return  # Pelican ignores hidden files (IGNORE_FILES)
        if name.endswith(PAGE_SUFFIX):
            found.pages.append(Path(path))
        else:
            message = (
                f"页面只能是 Markdown 文件（.md）：{name} 不会作为页面发布（HTML、"
                "reStructuredText 等格式不被读取）；请改写为 .md 文件，或移出 content/pages/"
            )
            found.findings.append(error(_shown(shown, parts), 1, 1, "content.extension", message))
    elif parts[0] in _NOT_RECORDS or _in_attachments(parts):
        return
    elif name.endswith(RECORD_SUFFIX):
        found.record_parts.append(parts)
    elif not name.startswith(".") or _LOOKS_LIKE_YAML.search(name):
        found.findings.append(_not_yaml(_shown(shown, parts), name))


def _not_yaml(where: str, name: str) -> Finding:
    """A file that is no record: an error when it looks like one (it would be skipped)."""
    match = _LOOKS_LIKE_YAML.search(name)
    if match is None:
        message = (
            f"{name} 不是记录文件，不会被读取或公示：记录必须以 .yaml 结尾，"
            "附件放在执法主体的 files/ 文件夹中；其他文件请移出 content/"
        )
        return warning(where, 1, 1, "content.extension", message)
    fixed = name[: match.start()] + RECORD_SUFFIX
    # x.yaml.bak, x.yaml~: a copy, or a record with something added to its name.
    suffixed = match.end() < len(name)
    fix = f"是记录请改名为 {fixed}，否则请删除" if suffixed else f"请改名为 {fixed}"
    message = (
        f"{name} 不会被当作记录读取：记录文件名必须以小写的 .yaml 结尾"
        f"（.YAML、.Yaml、.yml 等写法都会被跳过），{fix}"
    )
    return error(where, 1, 1, "content.extension", message)


def _symlink(where: str, what: str) -> Finding:
    name = where.rsplit("/", 1)[-1]
    message = (
        f"{name} 是符号链接：content/ 中不能有符号链接（可能把构建机器上的任意{what}公示出去），"
        f"构建不会读取它；请删除链接，把{what}本身放在这里"
    )
    return error(where, 1, 1, "content.symlink", message)


def _shown(shown: str, parts: tuple[str, ...]) -> str:
    return "/".join((shown.rstrip("/"), *parts)) if shown not in ("", ".") else "/".join(parts)
