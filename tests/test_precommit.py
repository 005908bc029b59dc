"""The pre-commit hook a content repository uses (.pre-commit-hooks.yaml), tried for real with
`pre-commit try-repo`, and the project's own .pre-commit-config.yaml.

try-repo clones a repository at a commit, and takes from a dirty checkout only its tracked files.
So the tests snapshot this working tree (tracked and new, unignored files) into a fresh repository
and try that one; the checkout itself is never staged, committed or stashed.
pre-commit installs the hook as an ordinary wheel in its own environment (a minute or so): this is
what proves the schemas travel with the package and `gongshi validate` needs no checkout.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"
DECISION = "content/agencies/demo-bureau/decisions/2026/2026-001.yaml"
OFFICER = "content/agencies/demo-bureau/officers/33029900000001.yaml"


def git(cwd: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    done = subprocess.run(
        ["git", "-c", "user.name=测试", "-c", "user.email=test@example.invalid", *args],
        cwd=cwd,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def commit_all(repo: Path) -> None:
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "snapshot")


def pre_commit(cwd: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env["PRE_COMMIT_HOME"] = str(home)
    return subprocess.run(
        [str(PRE_COMMIT), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This working tree as it would be committed, as a repository of its own."""
    target = tmp_path_factory.mktemp("gongshi-tool")
    listed = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():  # a tracked file may be deleted in the working tree
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    commit_all(target)
    return target


@pytest.fixture
def content_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "content-repo"
    shutil.copytree(FIXTURES / "mini", repo / "content")
    (repo / "README.md").write_text("不是记录，钩子不看它\n", "utf-8")
    commit_all(repo)
    return repo


def hook() -> dict[str, object]:
    [only] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert isinstance(only, dict)
    return only


def test_hook_manifest(tmp_path: Path) -> None:
    entry = hook()
    assert entry["id"] == "gongshi-validate"
    assert entry["entry"] == "gongshi validate"
    assert entry["language"] == "python"
    # All records are validated (cross-record rules), only the passed files are reported, in one
    # call: pre-commit would otherwise split the file list over parallel processes.
    assert entry["pass_filenames"] is True and entry["require_serial"] is True
    files = re.compile(str(entry["files"]))
    assert files.search(DECISION) and files.search("content/portal.yml")
    assert not files.search("README.md") and not files.search("content/pages/about.md")
    done = pre_commit(ROOT, tmp_path / "home", "validate-manifest", ".pre-commit-hooks.yaml")
    assert done.returncode == 0, done.stdout + done.stderr


def test_try_repo_passes_on_clean_content(
    snapshot: Path, content_repo: Path, tmp_path: Path
) -> None:
    done = pre_commit(
        content_repo,
        tmp_path / "home",
        "try-repo",
        str(snapshot),
        "gongshi-validate",
        "--all-files",
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert re.search(r"gongshi validate\）\.+Passed", output), output


def test_try_repo_fails_on_a_broken_record_and_reports_only_passed_files(
    snapshot: Path, content_repo: Path, tmp_path: Path
) -> None:
    decision = content_repo / DECISION
    decision.write_text(decision.read_text("utf-8").replace("fine: 50000", "fine: -5"), "utf-8")
    officer = content_repo / OFFICER
    officer.write_text(officer.read_text("utf-8") + "name: 重复\n", "utf-8")  # broken, not passed
    done = pre_commit(
        content_repo,
        tmp_path / "home",
        "try-repo",
        str(snapshot),
        "gongshi-validate",
        "--files",
        DECISION,
        "README.md",
    )
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert f"{DECISION}:13:" in output and "error [penalty.fine]" in output, output
    assert "必须 ≥ 0（当前为 -5）" in output
    assert OFFICER not in output, "only the files pre-commit passes are reported"


def test_project_config_runs_ruff_from_the_venv(snapshot: Path, tmp_path: Path) -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text("utf-8"))
    [local] = config["repos"]
    assert local["repo"] == "local"
    assert {h["id"] for h in local["hooks"]} == {"ruff-check", "ruff-format"}
    for entry in (h["entry"] for h in local["hooks"]):
        assert (ROOT / entry.split()[0]).is_file(), entry
    work = tmp_path / "project"
    shutil.copytree(snapshot, work, symlinks=True)
    (work / ".venv").symlink_to(ROOT / ".venv")
    tidy = work / "scripts" / "tidy.py"
    tidy.write_text('"""Tidy."""\n\nVALUE = 1\n', "utf-8")
    git(work, "add", "scripts/tidy.py")
    home = tmp_path / "home"
    done = pre_commit(work, home, "run", "--files", "scripts/tidy.py")
    assert done.returncode == 0, done.stdout + done.stderr
    messy = work / "scripts" / "messy.py"
    messy.write_text("import os,sys\nx=[1,\n2]\n", "utf-8")
    git(work, "add", "scripts/messy.py")  # staged, as in a commit: pre-commit sees the rewrite
    done = pre_commit(work, home, "run", "--files", "scripts/messy.py")
    assert done.returncode == 1
    assert "F401" in done.stdout, done.stdout  # ruff check: unused imports
    assert "files were modified by this hook" in done.stdout, done.stdout  # ruff format
