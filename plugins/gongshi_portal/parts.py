"""The part manifest of an agency part, and merging the parts into one site (docs/scaling.md).

Each agency part leaves ``gongshi-part.json`` at its output root (not a hidden file: CI artifact
uploads skip those by default): which part it is, what it was
built from (content commit, as-of date, settings and code), its units and a digest of its file
list. The final job (``gongshi build --merge``) refuses parts that do not belong together (a
different commit, date, settings or code; a part missing, given twice or of another count; a file
list that is not what the part wrote, a file the part does not own or that differs from one
already there) and copies the rest in; the manifest itself never reaches the merged site.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from gongshi_records.paths import THEME_DIR
from gongshi_trust.seal import SEAL_LATER_SETTING, seal
from gongshi_trust.statement import provenance

from .partition import (
    GLOBAL,
    PART_SETTING,
    PARTITION_SETTING,
    Part,
    PartError,
    Partition,
    parse_part,
)

MANIFEST_NAME = "gongshi-part.json"
FORMAT = 1
# What must be equal in every part and the final job, in the order messages name them.
IDENTITY = {"content": "内容（提交）", "as_of": "公示截止判断日期", "publish": "发布模式",
            "settings": "设置", "code": "程序版本"}  # fmt: skip
_PLUGINS = Path(__file__).resolve().parents[1]
_LIBRARIES = ("pelican", "jinja2", "markdown", "pyyaml")


class PartsRefused(Exception):
    """The parts cannot be merged into one site (a Chinese message naming the part)."""


def identity(content: Path, conf: Path, settings: Mapping[str, Any]) -> dict[str, Any]:
    """What a part is built from: two builds with equal identities write equal bytes."""
    options = settings.get("GONGSHI") or {}
    chosen = {
        "GONGSHI": options,
        "SITEURL": settings.get("SITEURL"),
        "FEED_DOMAIN": settings.get("FEED_DOMAIN"),
        "GONGSHI_ADMIN": settings.get("GONGSHI_ADMIN"),
        "conf": conf.name,
    }
    return {
        "content": _content_id(content),
        "as_of": str(options.get("as_of")),
        "publish": bool(options.get("publish")),
        "settings": _digest(json.dumps(chosen, sort_keys=True, default=str).encode("utf-8")),
        "code": _code_id(conf.parent),
    }


def _content_id(content: Path) -> str:
    """The commit, or for content that is no commit (a preview) a digest of every file."""
    origin = provenance(content)
    if origin.commit is not None:
        return origin.commit
    return "files:" + _digest(b"".join(_file_lines(content, hashed=True)))


def _code_id(project: Path) -> str:
    """The program, its templates and schemas, the two settings files and main libraries."""
    lines: list[bytes] = []
    roots = [*sorted(_PLUGINS.glob("gongshi_*")), THEME_DIR, project / "schemas"]
    for root in roots:
        if root.is_dir():
            found = _file_lines(root, hashed=True, code=True)
            lines += [root.name.encode() + b"/" + line for line in found]
    for name in ("pelicanconf.py", "publishconf.py"):
        if (project / name).is_file():
            lines.append(f"{name}\t{_digest((project / name).read_bytes())}\n".encode())
    for library in _LIBRARIES:
        try:
            lines.append(f"{library}\t{version(library)}\n".encode())
        except PackageNotFoundError:
            lines.append(f"{library}\t-\n".encode())
    return _digest(b"".join(lines))


def _files(root: Path, *, code: bool = False) -> Iterator[tuple[str, Path]]:
    """Every file under ``root`` as (posix path relative to it, path), sorted; in the program's
    folders without Python's byte-code caches, which differ between machines."""
    found = []
    for folder, dirs, names in os.walk(root):
        if code:
            dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in names:
            path = Path(folder) / name
            found.append((path.relative_to(root).as_posix(), path))
    yield from sorted(found)


def _file_lines(root: Path, *, hashed: bool, code: bool = False) -> Iterator[bytes]:
    for name, path in _files(root, code=code):
        if name == MANIFEST_NAME:
            continue
        detail = _digest(path.read_bytes()) if hashed else str(path.stat().st_size)
        yield f"{name}\t{detail}\n".encode()


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def listing_of(folder: Path) -> tuple[int, str]:
    """How many files a part holds and a digest of their names and sizes (not the manifest):
    what an incomplete upload or download of a CI artifact changes."""
    listing = list(_file_lines(folder, hashed=False))
    return len(listing), _digest(b"".join(listing))


def write_manifest(site: Path, part: Part, made: Mapping[str, Any], split: Partition) -> None:
    """The part's manifest at its output root (after the part's files are in place)."""
    files, listing = listing_of(site)
    manifest = {
        "format": FORMAT,
        "part": part.label(),
        **made,
        "units": split.units(part),
        "files": files,
        "listing": listing,
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    (site / MANIFEST_NAME).write_text(text, "utf-8")


@dataclass(frozen=True)
class BuiltPart:
    folder: Path
    part: Part
    manifest: Mapping[str, Any]


def read_parts(folders: Sequence[Path], made: Mapping[str, Any]) -> list[BuiltPart]:
    """The parts in ``folders``, checked against each other and this build's identity before
    anything is built: exactly parts 1…N of one N, each built from what this build reads."""
    parts = [_read_part(folder, made) for folder in folders]
    counts = {p.part.count for p in parts}
    if len(counts) != 1:
        raise PartsRefused("各分区的分区总数不同：" + "、".join(p.part.label() for p in parts))
    count = counts.pop()
    seen: dict[int, Path] = {}
    for built in parts:
        if built.part.index in seen:
            raise PartsRefused(
                f"分区 {built.part.label()} 出现两次：{seen[built.part.index]} 和 {built.folder}"
            )
        seen[built.part.index] = built.folder
    missing = [f"{i}/{count}" for i in range(1, count + 1) if i not in seen]
    if missing:
        raise PartsRefused("缺少分区 " + "、".join(missing) + "：合并需要全部分区的输出")
    return sorted(parts, key=lambda p: p.part.index)


def _read_part(folder: Path, made: Mapping[str, Any]) -> BuiltPart:
    try:
        manifest = json.loads((folder / MANIFEST_NAME).read_text("utf-8"))
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise ValueError("unknown format")
        part = parse_part(str(manifest["part"]))
    except (OSError, ValueError, KeyError, PartError) as exc:
        raise PartsRefused(
            f"{folder} 不是分区构建（gongshi build --part K/N）的输出：缺少或无法读取 "
            f"{MANIFEST_NAME}"
        ) from exc
    for key, label in IDENTITY.items():
        if manifest.get(key) != made[key]:
            raise PartsRefused(
                f"分区 {part.label()}（{folder}）与本次构建的{label}不同"
                f"（{manifest.get(key)} ≠ {made[key]}）：各分区必须由同一提交、同一日期、"
                "同一设置和同一程序生成"
            )
    return BuiltPart(folder, part, manifest)


def merge_parts(site: Path, parts: Sequence[BuiltPart], split: Partition) -> None:
    """Copy every part into ``site`` (the global part, already built there)."""
    for built in parts:
        label = f"分区 {built.part.label()}（{built.folder}）"
        if built.manifest.get("units") != split.units(built.part):
            raise PartsRefused(f"{label}包含的执法主体与本次构建的划分不同")
        if listing_of(built.folder) != (built.manifest.get("files"), built.manifest.get("listing")):
            raise PartsRefused(f"{label}的文件与其 {MANIFEST_NAME} 所列不符（不完整或被改动）")
        for name, path in _files(built.folder):
            if name != MANIFEST_NAME:
                _copy_in(site, name, path, built, split, label)


def _copy_in(
    site: Path, name: str, source: Path, built: BuiltPart, split: Partition, label: str
) -> None:
    if source.is_symlink() or not split.owns(built.part, name):
        raise PartsRefused(f"{label}包含不属于它的文件 {name}")
    target = site / name
    if target.exists():
        if target.read_bytes() != source.read_bytes():
            raise PartsRefused(f"{label}的文件 {name} 与已合并的同名文件不同")
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def keep_only(site: Path, part: Part, split: Partition) -> None:
    """Remove what this build wrote for other parts (theme files, Pelican's pages, …)."""
    for name, path in list(_files(site)):
        if not split.owns(part, name):
            path.unlink()
    for folder, _dirs, _names in os.walk(site, topdown=False):  # the deepest first
        if Path(folder) != site and not any(Path(folder).iterdir()):
            Path(folder).rmdir()


@dataclass(frozen=True)
class PartitionedBuild:
    """One job of a partitioned build: an agency part, or the final job that merges."""

    part: Part
    made: Mapping[str, Any]
    parts: Sequence[BuiltPart]

    @classmethod
    def prepare(
        cls,
        content: Path,
        conf: Path,
        settings: dict[str, Any],
        part: Part | None,
        merge: Sequence[Path],
    ) -> PartitionedBuild:
        """Checks the parts to merge (before the long build) and sets up the settings."""
        made = identity(content, conf, settings)
        parts = read_parts(merge, made) if merge else []
        chosen = part or Part(GLOBAL, parts[0].part.count if parts else 1)
        settings[PART_SETTING] = chosen
        settings[SEAL_LATER_SETTING] = True
        return cls(chosen, made, parts)

    def finish(self, site: Path, settings: Mapping[str, Any]) -> None:
        """After Pelican ran: an agency part keeps its own files and its manifest; the final
        job copies the parts in and seals the whole site as a single build would."""
        split: Partition = settings[PARTITION_SETTING]
        keep_only(site, self.part, split)
        if not self.part.is_global:
            write_manifest(site, self.part, self.made, split)
            return
        merge_parts(site, self.parts, split)
        seal(site, settings)
