"""Which part of a partitioned build writes which output file (docs/scaling.md).

A national portal is built as N agency parts (``gongshi build --part K/N``), run as parallel CI
jobs, and one final job (``gongshi build --merge``) that writes the global outputs and copies the
parts in. Every job reads and validates the whole content, so every page renders the same bytes
in whichever job writes it; the partition only decides *who writes what*:

- a **unit** is an agency (``agencies/<key>/…``: its hub, lists, records, attachments, reports)
  or one year of an agency's decisions (``agencies/<key>/decisions/<year>/…``), so one agency
  with a hundred thousand decisions still spreads over several parts; a record page outside the
  agency's folder (an officer's ``officers/<cert>.html``) is its record's agency unit;
- everything else is **global** (part 0): portal-wide lists, home, search shards, open data,
  statistics, sitemap, feeds, short addresses, supervision, theme files, Pelican's own pages,
  the web forms, the public key, and the seal (SHA256SUMS and its signature);
- units go to the N parts by largest first onto the part with the fewest pages so far (ties by
  name), a pure function of the planned pages: every job computes the same assignment.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# Set by gongshi build: the part this build writes (a :class:`Part`).
PART_SETTING = "GONGSHI_PART"
# Left by the records generator for build_site: the :class:`Partition` of this content.
PARTITION_SETTING = "GONGSHI_PARTITION"

GLOBAL = 0  # the part number of the global outputs
_PART = re.compile(r"([1-9][0-9]*)/([1-9][0-9]*)")
_YEAR = re.compile(r"[0-9]{4}")


class PartError(ValueError):
    """A part named on the command line that does not exist (a Chinese message)."""


@dataclass(frozen=True)
class Part:
    """Part ``index`` of ``count`` agency parts, or the global part (index 0)."""

    index: int
    count: int

    @property
    def is_global(self) -> bool:
        return self.index == GLOBAL

    def label(self) -> str:
        return "global" if self.is_global else f"{self.index}/{self.count}"


def parse_part(text: str) -> Part:
    """``K/N`` (1 ≤ K ≤ N) as on the command line."""
    match = _PART.fullmatch(text.strip())
    if match is None:
        raise PartError(f"分区 {text!r} 应写成 K/N，例如 3/8（共 8 个分区中的第 3 个）")
    index, count = int(match[1]), int(match[2])
    if index > count:
        raise PartError(f"分区 {text}：序号 {index} 大于分区总数 {count}")
    return Part(index, count)


@dataclass(frozen=True, order=True)
class Unit:
    """An agency (``year`` empty) or one year of its decisions."""

    agency: str
    year: str = ""

    def label(self) -> str:
        return f"{self.agency}/{self.year}" if self.year else self.agency


def unit_of_path(name: str) -> Unit | None:
    """The unit an output path under ``agencies/<key>/`` belongs to; None: global."""
    parts = name.split("/")
    if len(parts) < 3 or parts[0] != "agencies" or not parts[1]:
        return None
    if len(parts) >= 5 and parts[2] == "decisions" and _YEAR.fullmatch(parts[3]):
        return Unit(parts[1], parts[3])
    return Unit(parts[1])


@dataclass(frozen=True)
class Partition:
    """The assignment of every unit to one of ``count`` parts."""

    count: int
    assigned: Mapping[Unit, int]
    # Planned record pages outside their agency's folder (officers/<cert>.html): their unit.
    moved: Mapping[str, Unit] = field(default_factory=dict)

    def unit_of(self, name: str) -> Unit | None:
        return self.moved.get(name) or unit_of_path(name)

    def owner(self, name: str) -> int:
        """The part that writes output path ``name`` (0: the global part)."""
        unit = self.unit_of(name)
        if unit is None:
            return GLOBAL
        found = self.assigned.get(unit)
        if found is None and unit.year:  # a file of a year no planned page has
            found = self.assigned.get(Unit(unit.agency))
        if found is None:  # an agency no page was planned for: still one fixed part
            found = zlib.crc32(unit.agency.encode("utf-8")) % self.count + 1
        return found

    def owns(self, part: Part, name: str) -> bool:
        return self.owner(name) == part.index

    def units(self, part: Part) -> list[str]:
        """The units of ``part``, as its manifest lists them."""
        return sorted(u.label() for u, index in self.assigned.items() if index == part.index)


def partition(pages: Iterable[tuple[str, str | None]], count: int) -> Partition:
    """The partition of planned pages, given as (output path, agency of the page's record)."""
    weights: Counter[Unit] = Counter()
    moved: dict[str, Unit] = {}
    for name, agency in pages:
        unit = unit_of_path(name)
        if unit is None and agency:
            unit = moved[name] = Unit(agency)
        if unit is not None:
            weights[unit] += 1
    loads = [0] * count
    assigned: dict[Unit, int] = {}
    for unit in sorted(weights, key=lambda u: (-weights[u], u)):
        lightest = min(range(count), key=lambda i: (loads[i], i))
        loads[lightest] += weights[unit]
        assigned[unit] = lightest + 1
    return Partition(count, assigned, moved)
