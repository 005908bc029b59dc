"""`gongshi validate`: every finding in every file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from gongshi_history.changed import GitContent, deletion_findings
from gongshi_history.gitlog import HistoryUnavailable
from gongshi_records.findings import Finding, errors_of, has_errors, sort_findings
from gongshi_records.publication import resolve_as_of
from gongshi_records.reporters import RENDERERS
from gongshi_records.validate import display_path, repo_root, validate_content

from ..common import (
    EXIT_FINDINGS,
    EXIT_OK,
    UsageError,
    add_content_option,
    add_format_option,
    content_dir,
    iso_date,
    print_findings,
)

NAME = "validate"


def register(sub: Any) -> None:
    parser = sub.add_parser(NAME, help="校验记录，列出全部问题")
    parser.add_argument("paths", nargs="*", metavar="PATH", help="只报告这些文件或目录的问题")
    add_content_option(parser)
    parser.add_argument(
        "--changed-since", metavar="REV", help="只校验自该修订以来改动的记录及引用它们的记录"
    )
    parser.add_argument(
        "--as-of", type=iso_date, help="晚于该日期的决定和撤回给出提醒（默认今天，与生成网站一致）"
    )
    cache = parser.add_mutually_exclusive_group()
    cache.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="单个文件的校验结果缓存目录（默认 $GONGSHI_CACHE_DIR，或 ~/.cache/gongshi）",
    )
    cache.add_argument(
        "--no-cache", action="store_true", help="不读也不写缓存，每个文件都重新解析和校验"
    )
    # github: workflow commands (GitHub, Gitea, Forgejo); gitlab: a Code Quality report.
    add_format_option(parser, choices=RENDERERS)
    parser.set_defaults(func=run)


def _under(finding: Finding, wanted: set[str]) -> bool:
    return any(finding.path == w or finding.path.startswith(w.rstrip("/") + "/") for w in wanted)


def run(args: argparse.Namespace) -> int:
    content = content_dir(args.content)
    # Today unless told: what `gongshi build` without --as-of would hold back (decision.future).
    cache = "off" if args.no_cache else args.cache_dir
    # The corpus index (for the commit checked out) is written by a whole run and read by
    # --changed-since: the records git says are unchanged are not read again. git lists the
    # changes while the index is read.
    git = GitContent(content, since=args.changed_since or None)
    changed = git.changed_paths if args.changed_since else None
    as_of = resolve_as_of(args.as_of)
    try:
        validation = validate_content(content, as_of, cache=cache, changed=changed, git=git)
        deleted = deletion_findings(git.changes(args.changed_since)) if args.changed_since else []
    except HistoryUnavailable as exc:
        raise UsageError(str(exc)) from exc
    # Published records deleted since the revision: record.deleted.
    findings = sort_findings([*validation.findings, *deleted])
    if args.paths:
        root = repo_root(content)
        wanted = {display_path(Path(p), root) for p in args.paths}
        findings = [f for f in findings if _under(f, wanted)]
    print_findings(findings, args.format)
    if args.format == "text":
        errors = len(errors_of(findings))
        warnings = len(findings) - errors
        records = len(validation.corpus.records)
        sys.stderr.write(f"{records} 条记录，{errors} 个错误，{warnings} 个警告\n")
    return EXIT_FINDINGS if has_errors(findings) else EXIT_OK
