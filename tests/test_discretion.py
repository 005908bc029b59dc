"""行政裁量权基准: the range check, the decisions that name a level, `gongshi report`'s
`discretion-range` over a real history, and the pages (power item → benchmark ← decision)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import Result
from gitrepo import Repo, decision, decision_path, mini_base
from gongshi_records.discretion import Level, fines_outside
from gongshi_records.validate import validate_content

Run = Callable[..., Result]
OVERLAY = Path(__file__).parent / "fixtures" / "discretion"
BENCHMARK = "agencies/demo-bureau/discretion/330299-CF-001.yaml"
DECISIONS = "agencies/demo-bureau/decisions"


def with_benchmark(content: Path) -> Path:
    """The mini portal plus two power items, the first with a benchmark (从轻 50000–65000,
    一般 65000–85000, 从重 85000–100000, 货值一万元以上 from 100000)."""
    shutil.copytree(OVERLAY, content, dirs_exist_ok=True)
    return content


def applying(number: int, level: str, fine: str | None, decided_on: str = "2026-05-20") -> str:
    """A decision of the mini portal under 330299-CF-001 naming ``level``; ``fine`` None
    states a penalty without a fine."""
    extra = f'power: "330299-CF-001"\ndiscretion_level: {level}\n'
    text = decision(number, decided_on, extra=extra)
    penalty = (
        "penalty: {kinds: [警告]}" if fine is None else f"penalty: {{kinds: [罚款], fine: {fine}}}"
    )
    return text.replace("penalty: {kinds: [罚款], fine: 5000}", penalty)


def level(low: str | None, high: str | None) -> Level:
    return Level(
        "一般", 0, None if low is None else Decimal(low), None if high is None else Decimal(high)
    )


# --- the range check ----------------------------------------------------------------------------


def test_a_range_includes_both_bounds() -> None:
    general = level("65000", "85000")
    assert general.admits(Decimal("65000")) and general.admits(Decimal("85000"))
    assert not general.admits(Decimal("64999.99")) and not general.admits(Decimal("85000.01"))


def test_a_missing_bound_is_no_bound() -> None:
    assert level("100000", None).admits(Decimal("1860000"))
    assert not level("100000", None).admits(Decimal("99999"))
    assert level(None, "40000").admits(Decimal("0"))
    assert level(None, None).admits(Decimal("123"))
    assert not level(None, "0").admits(Decimal("0.01"))


@pytest.mark.parametrize(
    ("low", "high", "text"),
    [
        ("65000", "85000", "65,000.00 元至85,000.00 元"),
        ("100000", None, "100,000.00 元以上"),
        (None, "49999.99", "49,999.99 元以下"),
        (None, "0", "不予罚款"),
        ("0", "0", "不予罚款"),
        ("2000", "2000", "2,000.00 元"),
        (None, None, "未规定罚款幅度"),
    ],
)
def test_a_range_in_words(low: str | None, high: str | None, text: str) -> None:
    assert level(low, high).range_text() == text


def test_fines_outside_their_level(mini: Path) -> None:
    content = with_benchmark(mini)
    cases = {
        "at-min": ("一般", "65000"),
        "at-max": ("一般", "85000"),
        "below": ("一般", "64999.99"),
        "above": ("从轻", "65000.5"),
        "open-ended": ("货值一万元以上", "186000"),
        "no-fine": ("一般", None),
        "unknown-level": ("较轻", "1"),  # an error of its own, never a range finding
    }
    for number, (name, (lvl, fine)) in enumerate(cases.items(), start=21):
        path = content / DECISIONS / f"2026/{name}.yaml"
        path.write_text(applying(number, lvl, fine), "utf-8")
    corpus = validate_content(content).corpus
    outside = {Path(o.decision.path).stem: o for o in fines_outside(corpus)}
    assert sorted(outside) == ["above", "below", "no-fine"]
    assert outside["below"].describe() == (
        f"罚款 64,999.99 元，不在裁量基准 content/{BENCHMARK}「一般」阶次的"
        "罚款幅度（65,000.00 元至85,000.00 元）内"
    )
    assert outside["no-fine"].describe().startswith("未处罚款，")


# --- validation across records -----------------------------------------------------------------


def test_validation_names_the_levels_and_warns_at_the_fine(mini: Path) -> None:
    content = with_benchmark(mini)
    (content / DECISIONS / "2026/x.yaml").write_text(applying(21, "较轻", "70000"), "utf-8")
    (content / DECISIONS / "2026/y.yaml").write_text(applying(22, "从重", "70000"), "utf-8")
    found = {Path(f.path).stem: f for f in validate_content(content).findings}
    unknown = found["x"]
    assert (unknown.severity, unknown.rule, unknown.line) == ("error", "discretion.level", 12)
    assert "可用的阶次为 从轻、一般、从重、货值一万元以上" in unknown.message
    outside = found["y"]
    assert (outside.severity, outside.rule, outside.line) == ("warning", "discretion.range", 7)
    assert "「从重」阶次的罚款幅度（85,000.00 元至100,000.00 元）" in outside.message


def test_a_level_without_a_benchmark_and_a_missing_power_are_not_reported_twice(
    mini: Path,
) -> None:
    content = with_benchmark(mini)
    text = applying(21, "一般", "70000").replace("330299-CF-001", "330299-CF-999")
    (content / DECISIONS / "2026/x.yaml").write_text(text, "utf-8")
    rules = [f.rule for f in validate_content(content).findings]
    assert rules == ["reference.power"]  # fix the code and the level is checked again


# --- gongshi report over a real history --------------------------------------------------------


def overlay_files() -> dict[str, str]:
    return {
        f"content/{p.relative_to(OVERLAY).as_posix()}": p.read_text("utf-8")
        for p in sorted(OVERLAY.rglob("*.yaml"))
    }


def test_report_lists_a_fine_outside_its_level(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gongshi: Run
) -> None:
    repo = Repo(tmp_path / "repo")
    repo.commit({**mini_base(), **overlay_files()}, "2026-01-05T10:00:00+08:00")
    for number, lvl, fine in ((1, "一般", "85000"), (2, "一般", "50000"), (3, "从重", "85000")):
        path = decision_path(number, 2026)
        repo.pull_request(
            {path: applying(number, lvl, fine)},
            "2026-05-20T09:00:00+08:00",
            "2026-05-21T16:00:00+08:00",
            branch=f"d{number}",
        )
    monkeypatch.chdir(repo.root)
    result = gongshi("report", "--as-of", "2026-06-01", "--format", "json")
    assert result.code == 1, result.out + result.err
    found = [f for f in result.json()["findings"] if f["rule"] == "discretion-range"]
    assert [f["path"] for f in found] == [decision_path(2, 2026)]  # 85000 is in 一般 and 从重
    [finding] = found
    assert (finding["due"], finding["actual"], finding["agency"]) == (None, None, "demo-bureau")
    for part in (
        f"content/{BENCHMARK}",
        "「一般」",
        "65,000.00 元至85,000.00 元",
        "罚款 50,000.00 元",
    ):
        assert part in finding["message"], part
    text = gongshi("report", "--as-of", "2026-06-01").out
    assert f"{decision_path(2, 2026)}: [discretion-range] 罚款 50,000.00 元" in text


def test_a_benchmark_change_rechecks_the_decisions_under_its_power(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gongshi: Run
) -> None:
    """`validate --changed-since`: narrowing a level, or deleting the benchmark, shows the
    decisions it no longer fits, though the decisions themselves did not change."""
    repo = Repo(tmp_path / "repo")
    path = decision_path(1, 2026)
    repo.commit(
        {**mini_base(), **overlay_files(), path: applying(1, "一般", "70000")},
        "2026-05-21T10:00:00+08:00",
    )
    repo.git("tag", "base")
    monkeypatch.chdir(repo.root)
    assert "discretion" not in gongshi("validate", "--changed-since", "base").out
    benchmark = repo.root / "content" / BENCHMARK
    benchmark.write_text(
        benchmark.read_text("utf-8").replace("fine_min: 65000", "fine_min: 75000"), "utf-8"
    )
    narrowed = gongshi("validate", "--changed-since", "base")
    assert f"{path}:7:30: warning [discretion.range]" in narrowed.out, narrowed.out
    benchmark.unlink()
    deleted = gongshi("validate", "--changed-since", "base")
    assert f"{path}:12:19: error [discretion.level]" in deleted.out, deleted.out


# --- pages ---------------------------------------------------------------------------------------


def hrefs(page: Path) -> list[str]:
    return re.findall(r'href="([^"]*)"', page.read_text("utf-8"))


def target(page: Path, href: str) -> Path:
    return (page.parent / unquote(urlsplit(href).path)).resolve()


def test_the_power_page_and_the_decision_link_to_the_benchmark(
    mini: Path, gongshi: Run, tmp_path: Path
) -> None:
    content = with_benchmark(mini)
    (content / DECISIONS / "2026/2026-021.yaml").write_text(applying(21, "一般", "70000"), "utf-8")
    (content / DECISIONS / "2026/2026-022.yaml").write_text(applying(22, "一般", "50000"), "utf-8")
    out = tmp_path / "site"
    result = gongshi(
        "build", "--content", str(content), "--output", str(out), "--as-of", "2026-06-01"
    )
    assert result.code == 0, result.out + result.err
    benchmark = out / "agencies/demo-bureau/discretion/330299-CF-001.html"
    text = benchmark.read_text("utf-8")
    assert "对经营不符合食品安全标准的食品的行政处罚行政裁量权基准" in text
    for shown in (
        "从轻",
        "货值金额不足一万元，初次违法并及时改正的。",
        "65,000.00 元至85,000.00 元",
    ):
        assert shown in text, shown
    assert "100,000.00 元以上" in text and "并处货值金额十倍以上二十倍以下罚款" in text
    power = out / "agencies/demo-bureau/powers/330299-CF-001.html"
    assert benchmark.resolve() in {target(power, h) for h in hrefs(power)}
    assert power.resolve() in {target(benchmark, h) for h in hrefs(benchmark)}
    other = out / "agencies/demo-bureau/powers/330299-CF-002.html"
    assert "裁量基准" not in other.read_text("utf-8")  # no benchmark, no link
    page = out / DECISIONS / "2026/2026-021.html"
    assert "适用“一般”阶次（罚款幅度：65,000.00 元至85,000.00 元）" in page.read_text("utf-8")
    linked = [h for h in hrefs(page) if target(page, h) == benchmark.resolve()]
    assert linked and all(h.endswith("#level-2") for h in linked)
    assert 'id="level-2"' in text
    hub = out / "agencies/demo-bureau/index.html"
    assert benchmark.resolve() in {target(hub, h) for h in hrefs(hub)}
    assert "agencies/demo-bureau/discretion/330299-CF-001.html" in (out / "sitemap.xml").read_text(
        "utf-8"
    )
    supervision = (out / "agencies/demo-bureau/supervision.html").read_text("utf-8")
    assert "罚款超出裁量基准幅度" in supervision and "测市监决〔2026〕22号" in supervision
    assert "测市监决〔2026〕21号" not in supervision


def test_benchmarks_are_edited_as_files_not_spreadsheets(mini: Path, gongshi: Run) -> None:
    result = gongshi("export", "discretion", "--output", "d.xlsx")
    assert result.code == 2
    assert "行政裁量权基准不能导出为表格" in result.err and "YAML" in result.err
