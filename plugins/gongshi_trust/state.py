"""The rollback state of `gongshi verify --state FILE`: the highest serial seen per site.

A small JSON file, ``{"version": 1, "sites": {"<folder or base URL>": serial}}``, written only
after a clean verification, atomically (a temporary file renamed over it).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from .config import TrustError


class StateInvalid(TrustError):
    """The state file cannot be read or is not one gongshi verify wrote."""


def read_state(path: Path) -> dict[str, int]:
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StateInvalid(f"无法读取状态文件 {path}：{exc}") from exc
    sites = data.get("sites") if isinstance(data, dict) else None
    if (
        not isinstance(data, dict)
        or data.get("version") != 1
        or not isinstance(sites, dict)
        or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in sites.values()
        )
    ):
        raise StateInvalid(f"{path} 不是 gongshi verify 的状态文件：请换一个路径")
    return {str(k): int(v) for k, v in sites.items()}


def remember(path: Path, location: str, serial: int) -> None:
    sites = read_state(path)
    sites[location] = max(serial, sites.get(location, 0))
    text = json.dumps({"version": 1, "sites": sites}, ensure_ascii=False, indent=2, sort_keys=True)
    folder = path.resolve().parent
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}-", dir=folder)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
