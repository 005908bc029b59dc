"""gongshi_records.walk: the files under a folder as the build's walks need them."""

from __future__ import annotations

import os
from pathlib import Path

from gongshi_records.walk import entries_under, files_under


def tree(root: Path) -> None:
    (root / "a/b/c").mkdir(parents=True)
    (root / "a-b").mkdir()
    for name in ("index.html", "a/x.html", "a/b/c/deep.json", "a-b/y.css"):
        (root / name).write_text(name, "utf-8")
    (root / "a/to-folder").symlink_to(root / "a-b", target_is_directory=True)
    (root / "a/to-file").symlink_to(root / "index.html")
    (root / "empty").mkdir()


def test_every_entry_but_folders_with_its_relative_path(tmp_path: Path) -> None:
    tree(tmp_path)
    found = dict(entries_under(tmp_path))
    expected = {
        "index.html",
        "a/x.html",
        "a/b/c/deep.json",
        "a-b/y.css",
        "a/to-folder",
        "a/to-file",
    }
    assert set(found) == expected
    assert found["a/to-folder"].is_symlink() and found["a/to-file"].is_symlink()
    assert found["a/x.html"].path == os.path.join(tmp_path, "a", "x.html")
    # Links are never followed: a link to a folder does not list that folder's files again.
    assert not any(name.startswith("a/to-folder/") for name in found)


def test_files_leave_links_out(tmp_path: Path) -> None:
    tree(tmp_path)
    names = {name for name, _entry in files_under(tmp_path)}
    assert names == {"index.html", "a/x.html", "a/b/c/deep.json", "a-b/y.css"}


def test_a_missing_root_or_a_file_has_nothing_under_it(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", "utf-8")
    assert list(entries_under(tmp_path / "missing")) == []
    assert list(entries_under(tmp_path / "file")) == []
