"""The `gongshi` command. main() only parses arguments; each command returns its exit code:
0 fine, 1 findings, 2 usage or environment error. Tests call main(argv); the process runs
run(), which also decides how the process spends its memory and how it ends."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import gc
import importlib
import os
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import NoReturn

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


# Full collections only after this many younger ones (Python's default is 10). A build keeps
# what it reads until it ends and makes almost no cyclic garbage: at 100,000 decisions its
# full collections each walked the whole heap for 1-1.5 s, 14 of them in a rebuild after one
# change (9 s of its 97) and 21 in a full build (15 s), and each found at most 500 objects to
# free. Younger collections still run as usual, and reference counting frees the rest. Not for
# `gongshi serve`, which rebuilds again and again in one long-lived process.
FULL_COLLECTION_AFTER = 1000
LONG_LIVED = frozenset({"serve"})
# The exit status of a command whose output could not be written (Python's own, when flushing
# the standard streams at exit fails).
EXIT_UNWRITTEN = 120


def run() -> NoReturn:
    """The console command: main() in a process that ends when it returns.

    The process ends without tearing its objects down one by one: a build at 100,000
    decisions holds over a gigabyte of them, and freeing each took 5 s after the site was
    written. What would run at exit still runs (atexit: the log handlers are flushed, a
    library's temporary files removed) and the standard streams are flushed. Not in main():
    tests call it and go on."""
    if sys.argv[1:2] and sys.argv[1] not in LONG_LIVED:
        young, middle, _full = gc.get_threshold()
        gc.set_threshold(young, middle, FULL_COLLECTION_AFTER)
    code = main()
    atexit._run_exitfuncs()  # what the interpreter would run at exit, before tearing down
    os._exit(_flushed(code))


def _flushed(code: int) -> int:
    """``code`` once the standard streams are flushed; EXIT_UNWRITTEN when what the command
    printed could not be written (a full disk), as Python itself exits then."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):
            pass  # a reader that went away (`gongshi validate | head`), a stream closed
        except OSError as problem:
            with contextlib.suppress(OSError, ValueError):
                os.write(2, f"gongshi: 输出未能写出（{problem.strerror}）\n".encode())
            return EXIT_UNWRITTEN
    return code


if __name__ == "__main__":
    run()
