"""Legal review as the law has it: a failed review is a report finding shown on the supervision
pages (named only while its decision is on display), and advisers review beside officers."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import Result, write
from gitrepo import Repo, decision, decision_path, mini_base
from gongshi_history.report import RECORD_CHECKS
from gongshi_history.reportfinding import RULE_LABELS
from gongshi_portal.review_staff import StaffRatio
from gongshi_records import validate_content
from gongshi_statistics.model import People

Run = Callable[..., Result]
AS_OF = "2026-11-24"
AGENCY = "agencies/demo-bureau"
CURRENT = f"{AGENCY}/decisions/2026/2026-001.yaml"
WITHDRAWN = f"{AGENCY}/decisions/2025/2025-007.yaml"
EXPIRED = f"{AGENCY}/decisions/2025/2025-002.yaml"


def review(reviewed_on: str, opinion: str) -> str:
    return (
        "major: true\n"
        f"review: {{reviewed_on: {reviewed_on}, opinion: {opinion}, "
        'reviewers: ["33029900000003"]}\n'
    )


def edit(content: Path, relative: str, old: str, new: str) -> None:
    path = content / relative
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new), "utf-8")


def append(content: Path, relative: str, text: str) -> None:
    path = content / relative
    path.write_text(path.read_text("utf-8") + text, "utf-8")


# gongshi report --------------------------------------------------------------------------------


@pytest.fixture
def reviewed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    """Three major decisions of 2025, published in time: one whose review did not pass, one
    that did not pass and came late, one reviewed properly."""
    repo = Repo(tmp_path / "repo")
    repo.commit(mini_base(), "2025-01-02T10:00:00+08:00")
    for number, extra in (
        (1, review("2025-03-03", "不同意")),
        (2, review("2025-03-06", "不通过")),
        (3, review("2025-03-03", "修改后同意")),
    ):
        text = decision(number, "2025-03-05", extra=extra)
        repo.pull_request(
            {decision_path(number, 2025): text},
            "2025-03-05T09:00:00+08:00",
            "2025-03-06T16:00:00+08:00",
            branch=f"d{number}",
        )
    monkeypatch.chdir(repo.root)
    return repo


def test_report_names_every_failed_review(reviewed: Repo, gongshi: Run) -> None:
    result = gongshi("report", "--as-of", "2025-04-01", "--format", "json")
    assert result.code == 1, result.err
    found = {(f["path"], f["rule"]): f for f in result.json()["findings"]}
    failed = found[(decision_path(1, 2025), "review-failed")]
    assert (failed["due"], failed["actual"], failed["agency"]) == (
        "2025-03-05",
        None,
        "demo-bureau",
    )
    assert "不同意" in failed["message"] and "2025-03-03" in failed["message"]
    # A review that failed and came late is both findings, each with its own rule.
    assert (decision_path(2, 2025), "review-failed") in found
    assert (decision_path(2, 2025), "review-after-decision") in found
    # 修改后同意 passes.
    assert not [key for key in found if key[0] == decision_path(3, 2025)]
    text = gongshi("report", "--as-of", "2025-04-01").out
    assert f"{decision_path(1, 2025)}: [review-failed] 法制审核意见为“不同意”" in text


def test_a_failed_review_is_still_only_a_warning(reviewed: Repo) -> None:
    found = validate_content(reviewed.root / "content").findings
    failed = [f for f in found if f.path == decision_path(1, 2025)]
    assert [(f.severity, f.rule) for f in failed] == [("warning", "review.opinion")]


# The supervision pages ---------------------------------------------------------------------------


def build(gongshi: Run, content: Path, out: Path) -> None:
    result = gongshi("build", "--content", str(content), "--output", str(out), "--as-of", AS_OF)
    assert result.code == 0, result.out + result.err


def test_supervision_names_findings_only_on_decisions_on_display(
    mini: Path, gongshi: Run, tmp_path: Path
) -> None:
    edit(mini, CURRENT, "opinion: 同意", "opinion: 不同意")
    append(mini, WITHDRAWN, review("2025-05-30", "不通过"))
    append(mini, EXPIRED, review("2025-01-03", "不同意"))
    out = tmp_path / "site"
    build(gongshi, mini, out)  # a preview without git history: record checks need none
    page = (out / AGENCY / "supervision.html").read_text("utf-8")
    assert "合规问题（3 项）" in page
    assert "法制审核未通过仍作出决定" in page
    assert (
        'href="../../agencies/demo-bureau/decisions/2026/2026-001.html">测市监处罚〔2026〕1号'
        in page
    )
    assert "法制审核意见为“不同意”（2026-04-08），仍于 2026-04-10 作出决定" in page
    assert "另有 2 项问题涉及已撤回、已过公示期或不予公示的决定" in page
    for secret in ("测市监处罚〔2025〕7号", "测市监处罚〔2025〕2号", "不通过", "2025-05-30"):
        assert secret not in page, secret
    portal = (out / "supervision/index.html").read_text("utf-8")
    link = '<a href="../agencies/demo-bureau/supervision.html#findings">3</a>'
    assert f'<td data-label="合规问题">{link}</td>' in portal


def test_supervision_without_findings(mini: Path, gongshi: Run, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(gongshi, mini, out)
    page = (out / AGENCY / "supervision.html").read_text("utf-8")
    assert "合规问题（0 项）" in page and '<td colspan="3">无。</td>' in page
    assert "另有" not in page


# Advisers ---------------------------------------------------------------------------------------


def test_agency_page_lists_review_staff_and_advisers(
    mini: Path, gongshi: Run, tmp_path: Path
) -> None:
    write(
        mini / AGENCY / "advisers/qian-expert.yaml",
        "name: 钱教授\nkind: 专家\norganisation: 东江大学法学院\n"
        "valid_from: 2024-01-01\nvalid_until: 2025-12-31\n",
    )
    edit(mini, CURRENT, 'reviewers: ["33029900000003"]}', "reviewers: [], advisers: [zhao-lawyer]}")
    out = tmp_path / "site"
    build(gongshi, mini, out)
    hub = (out / AGENCY / "index.html").read_text("utf-8")
    assert "法制审核人员（2 名）" in hub and "李静" in hub and "王海" in hub
    # 李静 (执法 and 法制审核) counts once, as review staff, beside 王海 and the engaged 赵律清;
    # the expired 钱教授 does not count: 3 review staff against 欧阳明轩 alone.
    assert "3 / 1 = 300.0%，符合不低于 5% 的要求" in hub
    assert "法律顾问、公职律师和专家（2 名）" in hub
    engaged, expired = hub.index("赵律清"), hub.index("钱教授")
    assert engaged < expired  # engaged advisers first
    assert "东江市测试律师事务所" in hub and "2026年1月1日 至 2026年12月31日" in hub
    assert "在聘" in hub[engaged:expired] and "聘期已满" in hub[expired:]
    page = (out / CURRENT.replace(".yaml", ".html")).read_text("utf-8")
    assert "参与审核的法律顾问：赵律清（法律顾问，东江市测试律师事务所）" in page
    assert "审核人员：" not in page  # no officer reviewed
    assert not (out / AGENCY / "advisers").exists()  # advisers have no pages of their own


def test_staff_ratio_minimum() -> None:
    assert StaffRatio(People(review_staff=1, enforcement=20)).meets_minimum
    short = StaffRatio(People(review_staff=1, enforcement=25))
    assert not short.meets_minimum and short.percent == "4.0%" and short.minimum == "5%"
    none = StaffRatio(People(review_staff=0, enforcement=0))
    assert none.people.review_share is None and not none.meets_minimum and none.percent == "—"
    assert StaffRatio(People(minimum_share=Decimal("0.075"))).minimum == "7.5%"


def test_adviser_of_another_agency_is_unknown(mini: Path) -> None:
    other = mini / "agencies/other-bureau"
    write(other / "agency.yaml", (mini / AGENCY / "agency.yaml").read_text("utf-8"))
    write(
        other / "advisers/sun-lawyer.yaml",
        "name: 孙律\nkind: 公职律师\norganisation: 司法局\n"
        "valid_from: 2026-01-01\nvalid_until: 2026-12-31\n",
    )
    edit(mini, CURRENT, 'reviewers: ["33029900000003"]}', "advisers: [sun-lawyer]}")
    found = validate_content(mini).findings
    [unknown] = [f for f in found if f.rule == "reference.adviser"]
    assert unknown.line == 19 and "「sun-lawyer」不存在" in unknown.message


def test_engagement_must_cover_the_review_day(mini: Path) -> None:
    edit(mini, CURRENT, 'reviewers: ["33029900000003"]}', "advisers: [zhao-lawyer]}")
    assert validate_content(mini).findings == []
    edit(
        mini,
        f"{AGENCY}/advisers/zhao-lawyer.yaml",
        "valid_until: 2026-12-31",
        "valid_until: 2026-04-07",
    )
    [late] = validate_content(mini).findings
    assert (late.rule, late.line) == ("review.adviser-engagement", 19)
    assert "2026-01-01 至 2026-04-07" in late.message and "2026-04-08" in late.message


def test_every_record_check_rule_has_a_chinese_label() -> None:
    """Supervision pages name record-check findings by label: a rule without one would show
    its ASCII id to the public."""
    rules = set()
    for check in RECORD_CHECKS:
        source = inspect.getsource(inspect.getmodule(check))  # type: ignore[arg-type]
        rules |= set(re.findall(r'ReportFinding\(\s*[\w.]+,\s*"([a-z-]+)"', source))
    assert len(rules) >= len(RECORD_CHECKS)
    assert rules <= set(RULE_LABELS), sorted(rules - set(RULE_LABELS))
