"""A build with nothing to do: the same inputs as the build that made the live site.

The output of a build is a function of its inputs (DESIGN.md: no clock inside a build): the
content at one commit, the as-of date and the other settings, the code (plugins, schemas,
theme, the installed Python and npm packages) and the signing key. When all of them are what
the previous build recorded and the live site still holds exactly the files that build wrote,
byte for byte as recorded (size, mtime, inode), a build would write the same bytes again:
`gongshi build` leaves the site as it is (buildcache.BuildCache.still_published).

The key is only given when it can be: content/ inside a git repository at a commit, with
nothing uncommitted, untracked or ignored under content/ (files git does not track are read by
a build too). Anything else (a preview of uncommitted changes, a folder outside git, a
partitioned build) gets no key and builds as usual. Other plugins add the files they read from
outside content/ and the code by connecting to :data:`build_inputs` (gongshi_trust: the
signing key).
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import git
from blinker import signal
from gongshi_records.paths import PROJECT_ROOT

from .fingerprint import code_digest, settings_digest

# Receivers take the Pelican settings and return the paths of files the build reads besides
# content/ and the code (a missing file counts as missing: creating it changes the key).
build_inputs = signal("gongshi-build-inputs")
LOCK_FILE = PROJECT_ROOT / "package-lock.json"  # what `npm ci` installed: lunr.js, the web forms


def build_key(content: Path, settings: Mapping[str, Any]) -> str | None:
    """One digest of every input of a build of ``content`` with ``settings``, or None when
    the inputs cannot be named (see the module's docstring)."""
    commit = clean_commit(content)
    if commit is None:
        return None
    theme = Path(str(settings.get("THEME", PROJECT_ROOT / "theme")))
    digest = hashlib.sha256()
    for part in (commit, code_digest(theme), settings_digest(settings), sys.version):
        digest.update(part.encode() + b"\0")
    extra = {Path(p) for _receiver, paths in build_inputs.send(settings) for p in paths or ()}
    for path in [*_files(theme / "static"), LOCK_FILE, *sorted(extra)]:
        digest.update(str(path).encode() + b"\0" + _bytes_digest(path) + b"\0")
    return digest.hexdigest()


def clean_commit(content: Path) -> str | None:
    """HEAD's commit when nothing under ``content`` differs from it (no change, no untracked
    and no ignored file), else None."""
    try:
        repo = git.Repo(content, search_parent_directories=True)
        commit = repo.head.commit.hexsha
        status = repo.git.status(
            "--porcelain", "--untracked-files=all", "--ignored", "--", str(content.resolve())
        )
    except (git.GitError, ValueError, OSError):
        return None
    return None if str(status).strip() else str(commit)


def _files(folder: Path) -> Iterable[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


def _bytes_digest(path: Path) -> bytes:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest().encode()
    except OSError:
        return b"missing"
