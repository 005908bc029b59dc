"""Benchmark: the one-pass history against per-file git queries (issue 5, "Performance").

Generates a synthetic publishing repository with ``git fast-import`` (default: 100,000 record
files across 10,000 first-parent commits, a quarter of them ``--no-ff``-style merges of a clerk
commit, with edits, withdrawals and renames), then times:

1. the one-pass history as ``gongshi report`` uses it: the ``git log --first-parent`` walk plus
   the withdrawal dates of every decision (one ``git cat-file --batch``);
2. the same plus the change list with field names of every record, as the portal's 修订记录 needs:
   cold (every version of every file parsed here with the strict loader), and as a build runs
   it, reusing the records the build has already loaded (only older versions parsed here; the
   build's own load of the current files is timed separately, it happens with or without
   history);
3. a per-file GitPython query (``repo.iter_commits(paths=f, first_parent=True)``, reading each
   commit's date) on a sample of files, extrapolated to all files.

Each one-pass figure is the median of ``--runs`` runs. Usage::

    .venv/bin/python bench/history_bench.py [--files 100000] [--commits 10000] [--sample 50]

Not part of the test suite.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import git
from gongshi_history.trail import read_history
from gongshi_records.model import Corpus, Record
from gongshi_records.registry import place_of
from gongshi_records.yamlload import load_path

AGENCIES = 50
YEARS = range(2019, 2026)
START = 1_546_300_800  # 2019-01-01 00:00 UTC


def record(number: int, year: int, fine: int) -> str:
    return (
        f"doc_no: 测市监处罚〔{year}〕{number}号\n"
        "category: 行政处罚\n"
        f"party: {{name: 东江市某某商贸有限公司{number}, kind: 法人及非法人组织}}\n"
        "violation: 经营超过保质期的食品\n"
        f"penalty: {{kinds: [罚款], fine: {fine}}}\n"
        "content: 罚款。\n"
        f"decided_on: {year}-03-05\n"
        'officers: ["33029900000001", "33029900000002"]\n'
    )


WITHDRAWAL = "withdrawal: {cause: 撤销, occurred_on: 2025-05-06, reason: 经复议撤销。}\n"


def _data(text: str) -> bytes:
    raw = text.encode("utf-8")
    return b"data %d\n%s\n" % (len(raw), raw)


class Generator:
    """Writes a fast-import stream: each step adds files, edits some, sometimes renames."""

    def __init__(self, files: int, commits: int, seed: int = 5) -> None:
        self.files, self.commits = files, commits
        self.rng = random.Random(seed)
        self.paths: list[str] = []
        self.texts: dict[str, str] = {}
        self.mark = 0

    def path_for(self, number: int) -> str:
        year = YEARS[number % len(YEARS)]
        return (
            f"content/agencies/a{number % AGENCIES:02d}/decisions/{year}/{year}-{number:06d}.yaml"
        )

    def changes(self, step: int) -> list[bytes]:
        """File commands of one pull request."""
        out: list[bytes] = []
        per_step = self.files // self.commits + (1 if step < self.files % self.commits else 0)
        for _ in range(per_step):
            number = len(self.paths)
            path = self.path_for(number)
            self.paths.append(path)
            self.texts[path] = record(number, YEARS[number % len(YEARS)], 100 + number % 9000)
            out.append(b"M 100644 inline %s\n" % path.encode() + _data(self.texts[path]))
        if len(self.paths) > 100:
            for path in self.rng.sample(self.paths[: len(self.paths) - per_step], 2):
                self.texts[path] = self.texts[path].replace(
                    "content: 罚款。", f"content: 改{step}。"
                )
                out.append(b"M 100644 inline %s\n" % path.encode() + _data(self.texts[path]))
            if step % 20 == 0:
                path = self.rng.choice(self.paths)
                if "withdrawal" not in self.texts[path]:
                    self.texts[path] += WITHDRAWAL
                    out.append(b"M 100644 inline %s\n" % path.encode() + _data(self.texts[path]))
            if step % 100 == 0:
                index = self.rng.randrange(len(self.paths))
                old = self.paths[index]
                new = old.replace(".yaml", "-r.yaml")
                self.paths[index] = new
                self.texts[new] = self.texts.pop(old)
                out.append(b'R "%s" "%s"\n' % (old.encode(), new.encode()))
        return out

    def commit(self, ref: str, when: int, changes: list[bytes], parents: list[int]) -> bytes:
        self.mark += 1
        who = b"%s <clerk@example.invalid> %d +0800" % ("书记员".encode(), when)
        head = [b"commit %s\n" % ref.encode(), b"mark :%d\n" % self.mark]
        head += [b"author " + who + b"\n", b"committer " + who + b"\n", _data("提交")]
        if parents:
            head.append(b"from :%d\n" % parents[0])
        head += [b"merge :%d\n" % p for p in parents[1:]]
        return b"".join(head + changes) + b"\n"

    def stream(self) -> Iterator[bytes]:
        main = 0
        for step in range(self.commits):
            when = START + step * 3600
            changes = self.changes(step)
            parents = [main] if main else []
            if step % 4 == 3 and main:  # a clerk's commit merged --no-ff an hour later
                yield self.commit("refs/heads/clerk", when - 1800, changes, parents)
                side = self.mark
                yield self.commit("refs/heads/main", when, changes, [main, side])
            else:
                yield self.commit("refs/heads/main", when, changes, parents)
            main = self.mark


def generate(root: Path, files: int, commits: int) -> int:
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    gen = Generator(files, commits)
    proc = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=root, stdin=subprocess.PIPE)
    assert proc.stdin is not None
    for chunk in gen.stream():
        proc.stdin.write(chunk)
    proc.stdin.close()
    if proc.wait() != 0:
        raise SystemExit("git fast-import failed")
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=root, check=True)
    return gen.mark


def load_corpus(content: Path) -> Corpus:
    """The current records, loaded as the build loads them (schema checks left out)."""
    corpus = Corpus(content, "content")
    for path in sorted(content.rglob("*.yaml")):
        relative = path.relative_to(content).as_posix()
        place = place_of(relative)
        if place is not None:
            loaded = load_path(path)
            corpus.records.append(
                Record(place.kind, f"content/{relative}", place, loaded.data, loaded.marks)
            )
    return corpus


def median_seconds(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def one_pass(content: Path) -> int:
    history = read_history(content)
    return sum(history.withdrawn(p) is not None for p in history.paths())


def one_pass_with_fields(content: Path, corpus: Corpus | None = None) -> int:
    history = read_history(content)
    if corpus is not None:
        history.reuse(corpus)
    return sum(len(changes) for changes in history.all_changes().values())


def per_file(root: Path, sample: list[str]) -> float:
    repo = git.Repo(root)
    start = time.perf_counter()
    for path in sample:
        commits = list(repo.iter_commits("main", paths=path, first_parent=True))
        _dates = [c.committed_date for c in commits]
    return (time.perf_counter() - start) / len(sample)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--commits", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cold-runs", type=int, default=1, help="runs of the cold field pass")
    parser.add_argument("--dir", type=Path, help="where to create the repository (default: temp)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gongshi-bench-", dir=args.dir) as tmp:
        root = Path(tmp) / "repo"
        start = time.perf_counter()
        total = generate(root, args.files, args.commits)
        print(
            f"生成仓库：{args.files} 个记录文件，{args.commits} 个第一父提交（共 {total} 个提交），"
            f"用时 {time.perf_counter() - start:.1f} 秒"
        )
        content = root / "content"
        history = read_history(content)
        paths = history.paths()
        print(f"记录文件 {len(paths)} 个，撤回 {one_pass(content)} 个")
        walk = median_seconds(lambda: one_pass(content), args.runs)
        print(f"一次遍历（发布日期 + 撤回日期）：{walk:.2f} 秒（{args.runs} 次取中位数）")
        start = time.perf_counter()
        corpus = load_corpus(content)
        print(
            f"（生成网站时本来就要做的）读取当前 {len(corpus.records)} 条记录："
            f"{time.perf_counter() - start:.1f} 秒"
        )
        full = median_seconds(lambda: one_pass_with_fields(content, corpus), args.runs)
        print(
            f"一次遍历 + 全部修订记录（复用已读取的当前记录）：{full:.2f} 秒"
            f"（{args.runs} 次取中位数）"
        )
        cold = median_seconds(lambda: one_pass_with_fields(content), args.cold_runs)
        print(
            f"一次遍历 + 全部修订记录（冷启动，每个版本都在此解析）：{cold:.2f} 秒"
            f"（{args.cold_runs} 次取中位数）"
        )
        sample = random.Random(1).sample(paths, min(args.sample, len(paths)))
        each = per_file(root, sample)
        print(
            f"逐文件 GitPython 查询：每个文件 {each * 1000:.0f} 毫秒（抽样 {len(sample)} 个），"
            f"外推到 {len(paths)} 个文件约 {each * len(paths):.0f} 秒"
            f"（{each * len(paths) / 60:.0f} 分钟）"
        )


if __name__ == "__main__":
    main()
