"""Running a real Pelican build of a content folder, as `gongshi build` and `make site` do."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gongshi_records.paths import PROJECT_ROOT
from pelican import Pelican
from pelican.settings import read_settings


def build_site(content: Path, output: Path, *, publish: bool = False, as_of: dt.date) -> None:
    """Build into a fresh folder beside ``output`` and swap it in only when the build succeeded,
    so a failed build never leaves a half-written or emptied site behind."""
    conf = PROJECT_ROOT / ("publishconf.py" if publish else "pelicanconf.py")
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}-", dir=output.parent))
    try:
        settings = read_settings(
            str(conf), override={"PATH": str(content.resolve()), "OUTPUT_PATH": str(staging)}
        )
        settings["GONGSHI"] = with_build_options(settings.get("GONGSHI"), as_of, publish)
        _quiet_pelican()
        Pelican(settings).run()
        _swap(staging, output)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def with_build_options(
    configured: Mapping[str, Any] | None, as_of: dt.date, publish: bool
) -> dict[str, Any]:
    """The configuration's ``GONGSHI`` settings with this build's date and mode: merged, not
    replaced, so what pelicanconf.py sets there (the search settings) still applies."""
    return {**(configured or {}), "as_of": as_of.isoformat(), "publish": publish}


def _swap(staging: Path, output: Path) -> None:
    old = output.with_name(f".{output.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if output.exists():
        output.rename(old)
    staging.rename(output)
    shutil.rmtree(old, ignore_errors=True)


def _quiet_pelican() -> None:
    # Pelican's own progress lines drown the findings clerks need to read.
    logging.getLogger("pelican").setLevel(logging.WARNING)
