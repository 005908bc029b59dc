"""A synthetic portal on disk: ``bench/synthetic.py``'s records written to the DESIGN.md
contract as YAML files under ``content/``, with the demo's pages and holiday calendar, and
optionally a git history of first-parent merges made with ``git fast-import``.

The files are what a clerk's tools would write (the strict loader reads them back to the same
data): the build, ``validate`` and the history pass measured by ``bench/scale.py`` read real
files and a real repository, not the in-memory corpus.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from gongshi_records import Corpus, Record
from gongshi_records.identifiers import uscc_check_char
from gongshi_records.registry import Kind
from synthetic import Generator

ROOT = Path(__file__).resolve().parents[1]
PORTAL = """\
name: 东江市行政执法信息公示平台（基准测试）
region: 东江市
publisher: 东江市司法局
contact:
  phone: "0574-87012300"
  email: "zfjd@dongjiang.gov.cn"
  address: 东江市人民中路88号
"""
START = 1_704_067_200  # 2024-01-01 00:00 UTC: the first commit of the history


@dataclass(frozen=True)
class Scale:
    """How big a synthetic portal is."""

    name: str
    decisions: int
    officers: int
    powers: int
    agencies: int
    commits: int


SCALES = {
    "tiny": Scale("tiny", 60, 20, 24, 3, 12),
    "S": Scale("S", 1_000, 1_000, 500, 30, 1_000),
    "M": Scale("M", 10_000, 10_000, 5_000, 300, 10_000),
    "L": Scale("L", 100_000, 10_000, 5_000, 300, 10_000),
}


def corpus_of(scale: Scale) -> Corpus:
    corpus = Generator(
        scale.decisions, scale.officers, agencies=scale.agencies, powers=scale.powers
    ).corpus()
    complete(corpus)
    return corpus


def complete(corpus: Corpus) -> None:
    """What the search benchmark's records leave out and a valid portal needs: regions, the
    legal basis of power items, two officers on each decision, valid credit codes, and no
    natural person's full name outside ``party.name``. Done after generation, so the search
    benchmark's records (and its labelled queries) stay what they were."""
    staff: dict[str, list[str]] = {}
    for record in corpus.of(Kind.OFFICER):
        data = mutable(record)
        data["region"] = "东江市"
        if data["status"] == "在岗":
            staff.setdefault(str(record.agency), []).append(str(data["cert_no"]))
    for record in corpus.records:
        _complete(record, staff)


def mutable(record: Record) -> dict[str, Any]:
    """The generator's records hold plain dicts (a loaded record's data is read-only)."""
    assert isinstance(record.data, dict), record.path
    return record.data


def _complete(record: Record, staff: dict[str, list[str]]) -> None:
    data = mutable(record)
    if record.kind is Kind.AGENCY:
        data["region"] = "东江市"
    if "credit_code" in data:
        data["credit_code"] = valid_code(str(data["credit_code"]))
    if record.kind is Kind.POWER:
        data["basis"] = [{"law": "《中华人民共和国行政处罚法》"}]
        data["handling_unit"] = "执法稽查大队"
    if record.kind is not Kind.DECISION:
        return
    party = data["party"]
    if "credit_code" in party:
        party["credit_code"] = valid_code(str(party["credit_code"]))
    if party["kind"] == "自然人":
        for key in ("title", "facts"):
            if key in data:
                data[key] = str(data[key]).replace(str(party["name"]), "当事人")
    data.setdefault("content", "准予行政许可。")
    officers = staff.get(str(record.agency)) or next(iter(staff.values()))
    number = int(Path(record.path).stem.lstrip("d") or 0)
    data["officers"] = [officers[number % len(officers)], officers[(number + 1) % len(officers)]]


def valid_code(code: str) -> str:
    """``code`` with its check character put right (the generator draws all 18 at random)."""
    return code[:17] + str(uscc_check_char(code[:17]) or "0")


def text_of(data: object) -> str:
    """A record as a clerk's YAML: block style, Chinese kept as it is, keys in record order."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200)


def files_of(corpus: Corpus) -> Iterator[tuple[str, str]]:
    """(path under the repository, text) of every file of the portal, records in corpus order."""
    yield "content/portal.yaml", PORTAL
    for folder in ("calendar", "pages"):
        for source in sorted((ROOT / "content" / folder).iterdir()):
            yield f"content/{folder}/{source.name}", source.read_text("utf-8")
    for record in corpus.records:
        yield record.path, text_of(record.data)


def write_portal(root: Path, scale: Scale) -> Path:
    """The portal's files under ``root/content`` without history; returns the content folder."""
    for path, text in files_of(corpus_of(scale)):
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
    return root / "content"


def _data(text: str) -> bytes:
    raw = text.encode("utf-8")
    return b"data %d\n%s\n" % (len(raw), raw)


def history_stream(files: list[tuple[str, str]], commits: int) -> Iterator[bytes]:
    """A fast-import stream of ``commits`` first-parent merges, each adding its share of the
    files as a clerk's commit merged with ``--no-ff`` an hour after it was written."""
    mark, main = 0, 0
    who = "书记员 <clerk@example.invalid>".encode()
    for step in range(commits):
        share = files[step * len(files) // commits : (step + 1) * len(files) // commits]
        changes = b"".join(
            b"M 100644 inline %s\n" % path.encode() + _data(text) for path, text in share
        )
        when = START + step * 3600
        heads = [("refs/heads/clerk", when - 1800, [main] if main else [])]
        heads.append(("refs/heads/main", when, [main, mark + 1] if main else [mark + 1]))
        for ref, stamp, parents in heads:
            mark += 1
            head = b"commit %s\nmark :%d\n" % (ref.encode(), mark)
            head += b"author %s %d +0800\ncommitter %s %d +0800\n" % (who, stamp, who, stamp)
            head += _data(f"提交 {step}")
            if parents:
                head += b"from :%d\n" % parents[0]
            head += b"".join(b"merge :%d\n" % p for p in parents[1:])
            # The merge's tree is its first parent's plus the clerk's changes.
            yield head + changes + b"\n"
        main = mark


def write_repository(root: Path, scale: Scale) -> Path:
    """The portal as a git repository whose first-parent history has ``scale.commits`` merges;
    returns the content folder of the checked-out working tree."""
    files = list(files_of(corpus_of(scale)))
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    proc = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=root, stdin=subprocess.PIPE)
    assert proc.stdin is not None
    for chunk in history_stream(files, max(1, min(scale.commits, len(files)))):
        proc.stdin.write(chunk)
    proc.stdin.close()
    if proc.wait() != 0:
        raise SystemExit("git fast-import failed")
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=root, check=True)
    return root / "content"


def copy_portal(source: Path, target: Path) -> Path:
    """A second working copy (the anchors must not see the build's cache)."""
    shutil.copytree(source, target, symlinks=True)
    return target
