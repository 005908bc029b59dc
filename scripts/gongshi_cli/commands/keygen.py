"""`gongshi keygen --output PATH`: a new Ed25519 key pair for signing the site's statement."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..common import EXIT_OK, UsageError

NAME = "keygen"


def register(sub: Any) -> None:
    parser = sub.add_parser(NAME, help="生成签署网站 SHA256SUMS 声明的 Ed25519 密钥对")
    parser.add_argument(
        "--output",
        required=True,
        metavar="PATH",
        help="私钥文件（另写 PATH.pub 公钥）；须在任何 git 仓库之外，已存在则拒绝覆盖",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from gongshi_trust.keys import KeyRefused, write_keypair

    path = Path(args.output)
    try:
        fingerprint = write_keypair(path)
    except KeyRefused as refused:
        raise UsageError(str(refused)) from refused
    sys.stdout.write(
        f"私钥：{path}（仅本人可读，切勿提交到仓库或放进网站目录）\n"
        f"公钥：{path}.pub\n"
        f"指纹：{fingerprint}\n"
        f"生成网站时设置环境变量 GONGSHI_SIGNING_KEY={path.resolve()}\n"
    )
    return EXIT_OK
