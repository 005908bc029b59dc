"""The `gongshi` command. main() only parses arguments; each command returns its exit code:
0 fine, 1 findings, 2 usage or environment error. Tests call main(argv)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .commands import (
    build,
    deadline,
    export,
    history,
    import_,
    keygen,
    new,
    report,
    serve,
    validate,
    verify,
    withdraw,
)
from .common import EXIT_USAGE, UsageError

# Each module adds one subcommand; the order here is the order of `gongshi --help`.
COMMAND_MODULES = (
    validate,
    build,
    serve,
    deadline,
    report,
    history,
    new,
    withdraw,
    import_,
    export,
    keygen,
    verify,
)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="gongshi", description="行政执法公示平台工具")
    sub = top.add_subparsers(dest="command", required=True, metavar="命令")
    for module in COMMAND_MODULES:
        module.register(sub)
    return top


def command_names() -> list[str]:
    return [module.NAME for module in COMMAND_MODULES]


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    try:
        return int(args.func(args))
    except UsageError as exc:
        sys.stderr.write(f"gongshi: {exc}\n")
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
