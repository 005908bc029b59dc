"""The `gongshi` command. main() only parses arguments; each command returns its exit code:
0 fine, 1 findings, 2 usage or environment error. Tests call main(argv)."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from types import ModuleType

from .common import EXIT_USAGE, UsageError

# Each module adds one subcommand; the order here is the order of `gongshi --help`. By name,
# so that a command imports its own module only: `validate --changed-since` in a pull
# request's check should not wait for the build's libraries to load.
COMMANDS: dict[str, str] = {
    "validate": "validate",
    "build": "build",
    "serve": "serve",
    "deadline": "deadline",
    "report": "report",
    "history": "history",
    "new": "new",
    "withdraw": "withdraw",
    "import": "import_",
    "export": "export",
    "keygen": "keygen",
    "verify": "verify",
}


def command_module(name: str) -> ModuleType:
    return importlib.import_module(f"{__package__}.commands.{COMMANDS[name]}")


def parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """Every subcommand, or only the one ``argv`` names (its help and errors are the same)."""
    top = argparse.ArgumentParser(prog="gongshi", description="行政执法公示平台工具")
    sub = top.add_subparsers(dest="command", required=True, metavar="命令")
    first = argv[0] if argv else None
    for name in [first] if first in COMMANDS else COMMANDS:
        command_module(name).register(sub)
    return top


def command_names() -> list[str]:
    return list(COMMANDS)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        arguments = list(sys.argv[1:] if argv is None else argv)
        args = parser(arguments).parse_args(arguments)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    try:
        return int(args.func(args))
    except UsageError as exc:
        sys.stderr.write(f"gongshi: {exc}\n")
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
