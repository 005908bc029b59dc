"""行政裁量权基准: a power item's levels with their fine ranges, and the decisions that name
the level they applied (DOMAIN.md "The rest of the 事前 information").

A decision's ``discretion_level`` must be a level of the benchmark of its own ``power``: an
error otherwise, since a page would link to a level that does not exist. A fine outside the
named level's range is true but worth a look: one condition, :func:`fines_outside`, gives the
validator's warning (the clerk sees it in the pull request) and the `gongshi report` finding
(the supervisor sees it), so the two never disagree.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal

from .amounts import yuan
from .findings import Finding
from .model import Corpus, Record, finding_at
from .registry import Kind
from .views import Decision


def _bound(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None  # absent, or of a type the schema reports
    return Decimal(str(value))


@dataclass(frozen=True)
class Level:
    """One level of a benchmark; a missing bound is no bound (both inclusive)."""

    name: str
    index: int  # position in the benchmark's ``levels``
    fine_min: Decimal | None
    fine_max: Decimal | None

    def admits(self, fine: Decimal) -> bool:
        above = self.fine_min is None or fine >= self.fine_min
        below = self.fine_max is None or fine <= self.fine_max
        return above and below

    def range_text(self) -> str:
        """The range in words, each bound written as pages write amounts (amounts.yuan)."""
        low, high = self.fine_min, self.fine_max
        if high == 0:
            return "不予罚款"
        if low is not None and high is not None:
            return yuan(low) if low == high else f"{yuan(low)}至{yuan(high)}"
        if low is not None:
            return f"{yuan(low)}以上"
        if high is not None:
            return f"{yuan(high)}以下"
        return "未规定罚款幅度"


@dataclass(frozen=True)
class Benchmark:
    """A 裁量基准 record, its levels typed."""

    record: Record
    levels: tuple[Level, ...]

    @classmethod
    def of(cls, record: Record) -> Benchmark:
        items = record.get("levels")
        levels = tuple(
            Level(str(item["level"]), i, _bound(item.get("fine_min")), _bound(item.get("fine_max")))
            for i, item in enumerate(items if isinstance(items, list) else [])
            if isinstance(item, dict) and isinstance(item.get("level"), str)
        )
        return cls(record, levels)

    def level(self, name: str) -> Level | None:
        return next((level for level in self.levels if level.name == name), None)

    def names(self) -> str:
        return "、".join(level.name for level in self.levels)


def benchmarks(corpus: Corpus) -> dict[str, Benchmark]:
    """Every benchmark by its key, ``<agency>/<power code>`` (a power item's key too)."""
    return {record.key: Benchmark.of(record) for record in corpus.of(Kind.DISCRETION)}


def benchmark_for(table: Mapping[str, Benchmark], decision: Record) -> Benchmark | None:
    """The benchmark of a decision's power item (its own agency's), if there is one."""
    power = Decision(decision).power
    return table.get(f"{decision.agency}/{power}") if power else None


@dataclass(frozen=True)
class OutOfRange:
    """A decision whose fine lies outside the range of the level it names."""

    decision: Record
    benchmark: Benchmark
    level: Level
    fine: Decimal

    def describe(self) -> str:
        stated = Decision(self.decision).states_fine
        fine = f"罚款 {yuan(self.fine)}" if stated else "未处罚款"
        return (
            f"{fine}，不在裁量基准 {self.benchmark.record.path}「{self.level.name}」阶次的"
            f"罚款幅度（{self.level.range_text()}）内"
        )


def fines_outside(
    corpus: Corpus, table: Mapping[str, Benchmark] | None = None
) -> Iterator[OutOfRange]:
    """Penalty decisions naming a level of their benchmark whose fine that level does not
    admit. A level that states no bound, or a name that resolves to no level (an error of
    its own), is never a range finding."""
    table = benchmarks(corpus) if table is None else table
    for record in corpus.subjects(Kind.DECISION):
        decision = Decision(record)
        name, benchmark = decision.discretion_level, benchmark_for(table, record)
        if name is None or benchmark is None or not decision.has_penalty:
            continue
        level = benchmark.level(name)
        if level is not None and not level.admits(decision.fine):
            yield OutOfRange(record, benchmark, level, decision.fine)


def _unresolved(
    record: Record, name: str, table: Mapping[str, Benchmark], powers: set[str]
) -> str | None:
    """Why a decision's ``discretion_level`` names no level, or None when it does."""
    power = Decision(record).power
    if power is None:
        return (
            f"写明了适用的裁量阶次「{name}」，但没有写对应事项 power：请填写权责清单事项编码，"
            "或删去 discretion_level"
        )
    benchmark = table.get(f"{record.agency}/{power}")
    if benchmark is None:
        if f"{record.agency}/{power}" not in powers:
            return None  # the power itself is missing: reference.power says so at its line
        return (
            f"事项 {power} 没有行政裁量权基准（agencies/{record.agency}/discretion/{power}.yaml）："
            "请先发布该事项的裁量基准，或删去 discretion_level"
        )
    if benchmark.level(name) is None:
        return (
            f"裁量基准 {benchmark.record.path} 中没有「{name}」阶次：可用的阶次为 "
            f"{benchmark.names() or '（无）'}，请照其中一个一字不差地填写"
        )
    return None


def discretion_levels(corpus: Corpus) -> Iterator[Finding]:
    """A named level exists in its power item's benchmark; a fine outside it is a warning."""
    table = benchmarks(corpus)
    powers = {record.key for record in corpus.of(Kind.POWER)}
    for record in corpus.subjects(Kind.DECISION):
        name = Decision(record).discretion_level
        problem = _unresolved(record, name, table, powers) if name is not None else None
        if problem:
            yield finding_at(record, ("discretion_level",), "discretion.level", problem)
    for out in fines_outside(corpus, table):
        fix = "请核对罚款金额或适用的裁量阶次（幅度外的罚款会列入监督报告）"
        message = f"{out.describe()}：{fix}"
        yield finding_at(out.decision, ("penalty", "fine"), "discretion.range", message, warn=True)


def benchmark_levels(record: Record) -> Iterator[Finding]:
    """Within one benchmark: level names are unique and no range ends below its start."""
    if record.kind != Kind.DISCRETION:
        return
    seen: dict[str, int] = {}
    for level in Benchmark.of(record).levels:
        if level.name in seen:
            yield finding_at(
                record,
                ("levels", level.index, "level"),
                "discretion.level-unique",
                f"阶次「{level.name}」与第 {seen[level.name] + 1} 个阶次重名："
                "同一基准中每个阶次的名称必须不同，请改名或合并",
            )
        seen.setdefault(level.name, level.index)
        low, high = level.fine_min, level.fine_max
        if low is not None and high is not None and high < low:
            yield finding_at(
                record,
                ("levels", level.index, "fine_max"),
                "discretion.fine-order",
                f"阶次「{level.name}」的罚款上限 {yuan(high)} 小于下限 {yuan(low)}：请核对两个数额",
            )
