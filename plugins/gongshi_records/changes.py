"""Which records a change touches: the changed files and every record that refers to them."""

from __future__ import annotations

from pathlib import Path

import git

from .crossrules import references
from .identifiers import normalise_doc_no
from .layout import place_of
from .model import Corpus


class ChangeError(Exception):
    """The revision cannot be compared (not a repository, unknown revision)."""


def changed_paths(content_dir: Path, rev: str) -> set[str]:
    """Repository-relative paths under ``content_dir`` changed since ``rev``, untracked included."""
    try:
        repo = git.Repo(content_dir, search_parent_directories=True)
        root = Path(repo.working_tree_dir or ".").resolve()
        scope = content_dir.resolve().relative_to(root).as_posix()
        diff = repo.git.diff("--name-only", "-z", "--no-renames", rev, "--", scope)
        untracked = repo.git.ls_files("--others", "--exclude-standard", "-z", "--", scope)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
        raise ChangeError(f"{content_dir} 不在 git 仓库中，无法使用 --changed-since") from exc
    except git.GitCommandError as exc:
        raise ChangeError(f"无法与修订 {rev} 比较：{exc.stderr.strip()}") from exc
    return {p for p in (diff + "\0" + untracked).split("\0") if p}


def affected_paths(corpus: Corpus, changed: set[str]) -> set[str]:
    """The changed records plus every record whose references point at one of them."""
    prefix = corpus.prefix.rstrip("/") + "/"
    touched: set[tuple[str, str]] = set()
    for path in changed:
        place = place_of(path.removeprefix(prefix))
        if place is not None:
            touched.add((place.kind, place.key))
    for record in corpus.of("decision"):
        if record.path in changed and isinstance(record.get("doc_no"), str):
            touched.add(("doc_no", normalise_doc_no(record.get("doc_no"))))
    affected = set(changed)
    for record in corpus:
        for ref in references(record):
            key = normalise_doc_no(ref.key) if ref.kind == "doc_no" else ref.key
            if (ref.kind, key) in touched:
                affected.add(record.path)
    return affected
