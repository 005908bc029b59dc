"""The `gongshi` command. main() only parses arguments; each command returns its exit code:
0 fine, 1 findings, 2 usage or environment error."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from gongshi_records.changes import ChangeError, affected_paths, changed_paths
from gongshi_records.findings import Finding, has_errors, render_json, render_text
from gongshi_records.validate import display_path, only_paths, repo_root, validate_content

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad arguments or environment: reported in one Chinese line, exit 2."""


def _content_dir(value: str) -> Path:
    path = Path(value)
    if not path.is_dir():
        raise UsageError(f"内容目录 {value} 不存在：请用 --content 指定记录所在目录")
    return path


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{value}") from None


def _print_findings(findings: Sequence[Finding], fmt: str) -> None:
    sys.stdout.write(render_json(findings) if fmt == "json" else render_text(findings))


def cmd_validate(args: argparse.Namespace) -> int:
    content = _content_dir(args.content)
    validation = validate_content(content)
    findings = validation.findings
    root = repo_root(content)
    if args.changed_since:
        try:
            changed = changed_paths(content, args.changed_since)
        except ChangeError as exc:
            raise UsageError(str(exc)) from exc
        findings = only_paths(findings, affected_paths(validation.corpus, changed))
    if args.paths:
        wanted = {display_path(Path(p), root) for p in args.paths}
        findings = [
            f
            for f in findings
            if any(f.path == w or f.path.startswith(w.rstrip("/") + "/") for w in wanted)
        ]
    _print_findings(findings, args.format)
    if args.format == "text":
        errors = sum(1 for f in findings if f.severity == "error")
        warnings = len(findings) - errors
        records = len(validation.corpus.records)
        sys.stderr.write(f"{records} 条记录，{errors} 个错误，{warnings} 个警告\n")
    return EXIT_FINDINGS if has_errors(findings) else EXIT_OK


def cmd_build(args: argparse.Namespace) -> int:
    # Imported here: validation must stay fast and not load Pelican.
    from gongshi_portal.build import build_site
    from gongshi_portal.generator import BuildFailed

    content = _content_dir(args.content)
    as_of = args.as_of or dt.date.today()
    try:
        build_site(content, Path(args.output), publish=args.publish, as_of=as_of)
    except BuildFailed as failed:
        _print_findings(failed.findings, "text")
        sys.stderr.write(f"{failed}：请先修正以上错误，原有网站保持不变\n")
        return EXIT_FINDINGS
    sys.stderr.write(f"网站已生成到 {args.output}（公示截止判断日期 {as_of}）\n")
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gongshi", description="行政执法公示平台工具")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")

    validate = sub.add_parser("validate", help="校验记录，列出全部问题")
    validate.add_argument("paths", nargs="*", metavar="PATH", help="只报告这些文件或目录的问题")
    validate.add_argument("--content", default="content", help="记录目录（默认 content/）")
    validate.add_argument(
        "--changed-since", metavar="REV", help="只校验自该修订以来改动的记录及引用它们的记录"
    )
    validate.add_argument("--format", choices=("text", "json"), default="text")
    validate.set_defaults(func=cmd_validate)

    build = sub.add_parser("build", help="校验后生成网站")
    build.add_argument("--content", default="content", help="记录目录（默认 content/）")
    build.add_argument("--output", default="output", help="输出目录（默认 output/）")
    build.add_argument("--publish", action="store_true", help="正式发布（使用 publishconf.py）")
    build.add_argument("--as-of", type=_date, help="以该日期判断公示是否到期（默认今天）")
    build.set_defaults(func=cmd_build)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    try:
        return int(args.func(args))
    except UsageError as exc:
        sys.stderr.write(f"gongshi: {exc}\n")
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
