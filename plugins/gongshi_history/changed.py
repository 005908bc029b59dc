"""Which files under content/ changed since a revision (for `gongshi validate --changed-since`)."""

from __future__ import annotations

from pathlib import Path

import git

from .gitlog import HistoryUnavailable, open_repo


def changed_paths(content_dir: Path, rev: str) -> set[str]:
    """Repository-relative paths under ``content_dir`` changed since ``rev`` (committed or not),
    untracked files included. Raises HistoryUnavailable outside a repository or for an unknown
    revision."""
    repo, prefix = open_repo(content_dir)
    scope = prefix or "."
    try:
        diff = repo.git.diff("--name-only", "-z", "--no-renames", rev, "--", scope)
        untracked = repo.git.ls_files("--others", "--exclude-standard", "-z", "--", scope)
    except git.GitCommandError as exc:
        raise HistoryUnavailable(f"无法与修订 {rev} 比较：{exc.stderr.strip()}") from exc
    return {p for p in (diff + "\0" + untracked).split("\0") if p}
