"""The expected output of the mini fixture portal, built from a git history with fixed dates.

    make expected        # after an intended change to the pages: regenerate, then review the diff

The test (test_expected_output.py) builds the same way and compares every file byte for byte.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from gitrepo import MINI, Repo, mini_base

EXPECTED = Path(__file__).parent / "expected" / "mini"
AS_OF = "2026-11-24"
DECISIONS = "content/agencies/demo-bureau/decisions"
# The web forms are tested by test_admin_*.py; their 6 MB Decap bundle is not expected output.
NOT_COMPARED = "admin"
# SHA256SUMS covers admin/ and theme/ too, so it would change with every stylesheet edit; the
# manifest and statement are compared between two builds of one commit in test_trust.py instead.
SEAL_FILES = ("SHA256SUMS", "SHA256SUMS.json", "SHA256SUMS.sig")


def history_repo(root: Path) -> Repo:
    """The mini portal as a clerk's office would have built it: the agency first, then each
    decision by pull request merged some days after the clerk's commit, then a correction and a
    withdrawal."""
    repo = Repo(root)
    repo.commit(mini_base(), "2025-01-02T10:00:00+08:00", "建立测试区门户")
    for name, clerk, merged in (
        ("2025/2025-002.yaml", "2025-01-07T09:00:00+08:00", "2025-01-08T16:00:00+08:00"),
        ("2025/2025-007.yaml", "2025-06-03T09:00:00+08:00", "2025-06-05T16:00:00+08:00"),
        ("2026/2026-001.yaml", "2026-04-13T09:00:00+08:00", "2026-04-14T16:00:00+08:00"),
    ):
        text = (MINI / "agencies/demo-bureau/decisions" / name).read_text("utf-8")
        if name.startswith("2025/2025-007"):
            text = text[: text.index("withdrawal:")]  # published first, withdrawn later
        repo.pull_request({f"{DECISIONS}/{name}": text}, clerk, merged, branch=name)
    final = (MINI / "agencies/demo-bureau/decisions/2025/2025-007.yaml").read_text("utf-8")
    repo.pull_request(
        {f"{DECISIONS}/2025/2025-007.yaml": final},
        "2025-09-02T09:00:00+08:00",
        "2025-09-03T16:00:00+08:00",
        branch="withdraw-7",
    )
    officer = "content/agencies/demo-bureau/officers/33029900000001.yaml"
    text = (root / officer).read_text("utf-8").replace("region: 测试区", "region: 测试区全域")
    repo.pull_request({officer: text}, "2026-05-06T09:00:00+08:00", "2026-05-07T16:00:00+08:00")
    repo.write("content/pages/about.md", (MINI / "pages/about.md").read_text("utf-8"))
    repo.commit({}, "2026-05-08T10:00:00+08:00", "关于本平台")
    return repo


def build_expected_site(workdir: Path) -> Path:
    """Build the mini portal's history in ``workdir`` and return the built site."""
    from gongshi_cli.main import main

    content = history_repo(workdir / "repo").root / "content"
    output = workdir / "site"
    code = main(["build", "--content", str(content), "--output", str(output), "--as-of", AS_OF])
    if code != 0:
        raise RuntimeError(f"the mini portal did not build (exit {code})")
    shutil.rmtree(output / NOT_COMPARED)
    for name in SEAL_FILES:
        (output / name).unlink(missing_ok=True)
    return output


def regenerate(workdir: Path) -> None:
    site = build_expected_site(workdir)
    shutil.rmtree(EXPECTED, ignore_errors=True)
    # theme/ is copied verbatim from the theme folder: not output worth keeping twice.
    shutil.copytree(
        site, EXPECTED, ignore=lambda folder, _names: ["theme"] if Path(folder) == site else []
    )
    count = sum(1 for p in EXPECTED.rglob("*") if p.is_file())
    print(f"{EXPECTED} regenerated: {count} files")


if __name__ == "__main__":
    import tempfile

    if sys.argv[1:] != ["regenerate"]:
        sys.exit("usage: python tests/expected_site.py regenerate")
    with tempfile.TemporaryDirectory() as tmp:
        regenerate(Path(tmp))
