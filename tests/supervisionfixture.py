"""A portal history with every kind of late duty, for the supervision tests (test_supervision.py,
test_supervision_browser.py, test_accessibility.py -k supervision).

One agency (the mini fixture's) whose decisions were merged late across the National Day holiday,
late without a reason, withdrawn late with a reason, published late with a reason and withdrawn
since (the reason must then leave the site), a decision reviewed after it was made, and an officer
whose certificate expires 16 days after the as-of date.
"""

from __future__ import annotations

from pathlib import Path

from gitrepo import AGENCY, MINI, WITHDRAWAL, Repo, decision, decision_path, mini_base

AS_OF = "2026-11-24"
SUPERVISION = "agencies/demo-bureau/supervision.html"
KEEP = "publicity_until: 2027-06-30\n"  # every decision here stays on display on AS_OF
HOLIDAY_REASON = "国庆节前执法办案系统停机升级，节后即行公示。"
WITHDRAWAL_REASON = "复议决定书于撤下事由发生后第四日才送达本机关。"
HIDDEN_REASON = "承办人员外出培训，延误公示。"
EXPIRING = f"{AGENCY}/officers/33029900000003.yaml"
REVIEWED_AFTER = (
    'major: true\nreview: {reviewed_on: 2025-03-04, opinion: 同意, reviewers: ["33029900000003"]}\n'
)


def pr(repo: Repo, path: str, text: str, merged: str) -> None:
    repo.pull_request({path: text}, f"{merged}T09:00:00+08:00", f"{merged}T16:00:00+08:00")


def late_history(root: Path) -> Repo:
    """One agency's history with every kind of late duty, in a new repository at ``root``."""
    repo = Repo(root)
    about = {"content/pages/about.md": (MINI / "pages/about.md").read_text("utf-8")}
    repo.commit({**mini_base(), **about}, "2024-01-02T10:00:00+08:00")
    # Decided Fri 2024-09-20: 7 working days (Sun 09-29 a makeup working day) end on Mon 09-30;
    # merged Tue 10-08 after the National Day holiday: 8 calendar days, 1 working day late.
    extra = f"late_reason: {HOLIDAY_REASON}\n{KEEP}"
    pr(repo, decision_path(1, 2024), decision(1, "2024-09-20", extra=extra), "2024-10-08")
    # Decided Mon 2025-03-03, due Wed 03-12, merged Fri 03-14: 2 working days late, no reason;
    # reviewed after the decision, a finding (合规问题) as well.
    extra = KEEP + REVIEWED_AFTER
    pr(repo, decision_path(2, 2025), decision(2, "2025-03-03", extra=extra), "2025-03-14")
    # Published on time, withdrawn late: event Mon 03-03, due Thu 03-06, merged Mon 03-10.
    path = decision_path(3, 2025)
    pr(repo, path, decision(3, "2025-02-24", extra=KEEP), "2025-02-25")
    withdrawal = WITHDRAWAL.format(day="2025-03-03") + f"  late_reason: {WITHDRAWAL_REASON}\n"
    pr(repo, path, (repo.root / path).read_text("utf-8") + withdrawal, "2025-03-10")
    # Published late with a reason, then withdrawn in time: the notice stays, the reason goes.
    path = decision_path(4, 2025)
    extra = f"late_reason: {HIDDEN_REASON}\n{KEEP}"
    pr(repo, path, decision(4, "2025-04-01", extra=extra), "2025-04-15")
    text = (repo.root / path).read_text("utf-8") + WITHDRAWAL.format(day="2025-05-06")
    pr(repo, path, text, "2025-05-07")
    # A certificate that expires 16 days after the as-of date.
    officer = (repo.root / EXPIRING).read_text("utf-8")
    pr(
        repo,
        EXPIRING,
        officer.replace("valid_until: 2027-12-31", "valid_until: 2026-12-10"),
        "2026-01-05",
    )
    return repo


def build_late_site(workdir: Path) -> Path:
    """The late history built as a preview at ``workdir``/site (for browser tests)."""
    from gongshi_cli.main import main

    content = late_history(workdir / "repo").root / "content"
    output = workdir / "site"
    code = main(["build", "--content", str(content), "--output", str(output), "--as-of", AS_OF])
    if code != 0:
        raise RuntimeError(f"the late portal did not build (exit {code})")
    return output
