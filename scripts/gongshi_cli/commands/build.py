"""`gongshi build`: validate, then build the site with Pelican."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from gongshi_records.publication import resolve_as_of

from ..common import (
    EXIT_FINDINGS,
    EXIT_OK,
    UsageError,
    add_content_option,
    content_dir,
    iso_date,
    print_findings,
)

NAME = "build"


def register(sub: Any) -> None:
    parser = sub.add_parser(NAME, help="校验后生成网站")
    add_content_option(parser)
    parser.add_argument("--output", default="output", help="输出目录（默认 output/）")
    parser.add_argument("--publish", action="store_true", help="正式发布（使用 publishconf.py）")
    parser.add_argument("--as-of", type=iso_date, help="以该日期判断公示是否到期（默认今天）")
    parser.add_argument(
        "--cache-dir",
        type=Path,
        help="构建缓存目录：未改变的页面不重新生成、未改变的文件沿用上次的"
        "（默认在用户缓存目录中，按输出目录区分）",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="不读也不写构建缓存，完整生成（结果相同）"
    )
    split = parser.add_mutually_exclusive_group()
    split.add_argument(
        "--part",
        metavar="K/N",
        help="分区构建：只生成 N 个分区中第 K 个分区的执法主体页面（见 docs/scaling.md）",
    )
    split.add_argument(
        "--merge",
        nargs="+",
        metavar="目录",
        help="合并分区：生成全站页面，合并各分区目录的输出并签署（见 docs/scaling.md）",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # Imported here: validation must stay fast and not load Pelican.
    from gongshi_admin import AdminBuildError, AdminSettingsError
    from gongshi_portal.build import build_site
    from gongshi_portal.buildcache import default_cache_dir
    from gongshi_portal.generator import BuildFailed
    from gongshi_portal.partition import PartError, parse_part
    from gongshi_portal.parts import PartsRefused
    from gongshi_portal.render import PageRenderError
    from gongshi_portal.settings import SettingsError
    from gongshi_search import SearchBuildError
    from gongshi_trust import TrustError

    content = content_dir(args.content)
    as_of = resolve_as_of(args.as_of)
    output = Path(args.output)
    if args.no_cache and args.cache_dir:
        raise UsageError("--cache-dir 与 --no-cache 不能同时使用")
    cache_dir = None if args.no_cache else (args.cache_dir or default_cache_dir(output))
    try:
        part = parse_part(args.part) if args.part else None
    except PartError as wrong:
        raise UsageError(str(wrong)) from wrong
    merge = [Path(folder) for folder in args.merge or ()]
    try:
        cache = build_site(
            content,
            output,
            publish=args.publish,
            as_of=as_of,
            cache_dir=cache_dir,
            part=part,
            merge=merge,
        )
    except BuildFailed as failed:
        print_findings(failed.findings, "text")
        sys.stderr.write(f"{failed}：请先修正以上错误，原有网站保持不变\n")
        return EXIT_FINDINGS
    except SearchBuildError as missing:  # lunr.js not installed: an environment error
        raise UsageError(f"{missing}；原有网站保持不变") from missing
    except (AdminBuildError, AdminSettingsError) as problem:  # Decap missing, bad settings
        raise UsageError(f"{problem}；原有网站保持不变") from problem
    except TrustError as problem:  # signing key unusable in a publish build, bad trust settings
        raise UsageError(f"{problem}；原有网站保持不变") from problem
    except PageRenderError as problem:  # a template or data bug the validator did not catch
        raise UsageError(f"{problem}；原有网站保持不变") from problem
    except SettingsError as problem:  # GONGSHI in pelicanconf.py/publishconf.py
        raise UsageError(f"{problem}；请修改设置文件，原有网站保持不变") from problem
    except PartsRefused as refused:  # parts that do not make one site
        raise UsageError(f"{refused}；原有网站保持不变") from refused
    if cache is not None and cache.unchanged:
        sys.stderr.write(
            f"{args.output} 已是这次生成的结果（同一提交、同一截止日期 {as_of}、同样的代码、"
            "设置和签名密钥，网站文件与上次生成时相同），无需重新生成\n"
        )
        return EXIT_OK
    built = f"分区 {part.label()}" if part is not None else "网站"
    sys.stderr.write(f"{built}已生成到 {args.output}（公示截止判断日期 {as_of}）\n")
    if cache is not None:
        sys.stderr.write(f"重新生成 {cache.rendered} 个页面，沿用上次的 {cache.reused} 个\n")
    return EXIT_OK
