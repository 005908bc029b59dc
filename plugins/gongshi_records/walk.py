"""The files under a folder, read the cheap way: built sites hold 150,000 files, and the
build walks its output several times (settle, privacy scan, SHA256SUMS).

``os.scandir`` tells files, folders and links apart from the directory listing itself, and
a ``DirEntry`` keeps the one ``lstat`` it makes: where ``Path.rglob`` with ``is_file``,
``is_symlink`` and ``relative_to`` on each path made a dozen system calls and as many path
objects per file (most of the seal step's time at 100,000 decisions).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path


def entries_under(root: Path) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Every entry under ``root`` that is not a folder (files, links of any kind, anything
    else), with its '/'-separated path relative to ``root``, in no particular order. Folders
    are entered; a link to a folder is an entry, never followed. Nothing under a root that
    does not exist or is not a folder."""
    stack = [("", str(root))]
    while stack:
        prefix, folder = stack.pop()
        try:
            listing = os.scandir(folder)
        except (FileNotFoundError, NotADirectoryError):
            continue
        with listing:
            for entry in listing:
                name = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    stack.append((name + "/", entry.path))
                else:
                    yield name, entry


def files_under(root: Path) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """The regular files under ``root`` (links left out), as ``entries_under``."""
    for name, entry in entries_under(root):
        if entry.is_file(follow_symlinks=False):
            yield name, entry
