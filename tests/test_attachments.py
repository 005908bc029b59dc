"""Attachments are the one place a record names a file of the build machine: only a regular
PDF inside the agency's own files/ may be published (issue 11: symlinks and a newline that
slipped a `..` past the schema once published /etc/passwd and a withdrawn decision's YAML)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result
from gongshi_records import validate_content
from gongshi_records.attachments import attachment_problem

DECISION = "agencies/demo-bureau/decisions/2026/2026-001.yaml"
FILES = "agencies/demo-bureau/files"


def attach(content: Path, name: str) -> int:
    """Name ``name`` as the decision's attachment; the line its `file:` is on."""
    decision = content / DECISION
    text = decision.read_text("utf-8")
    quoted = name.encode("unicode_escape").decode("ascii").replace('"', '\\"')
    decision.write_text(text + f'attachments:\n  - title: 决定书\n    file: "{quoted}"\n', "utf-8")
    return text.count("\n") + 3


def rules_at(content: Path, line: int) -> set[str]:
    found = validate_content(content).findings
    return {f.rule for f in found if f.path.endswith("2026-001.yaml") and f.line == line}


def test_a_pdf_in_files_is_published(
    mini: Path, gongshi: Callable[..., Result], tmp_path: Path
) -> None:
    (mini / FILES / "2026").mkdir(parents=True)
    (mini / FILES / "2026/decision.pdf").write_bytes(b"%PDF-1.4\n")
    assert rules_at(mini, attach(mini, "2026/decision.pdf")) == set()
    out = tmp_path / "site"
    assert gongshi("build", "--content", str(mini), "--output", str(out)).code == 0
    assert (out / FILES / "2026/decision.pdf").read_bytes() == b"%PDF-1.4\n"


def test_a_symlink_to_a_file_of_the_machine_is_refused(
    mini: Path, gongshi: Callable[..., Result], tmp_path: Path
) -> None:
    (mini / FILES).mkdir(parents=True)
    os.symlink("/etc/passwd", mini / FILES / "passwd.pdf")
    line = attach(mini, "passwd.pdf")
    assert rules_at(mini, line) == {"attachment.symlink"}
    out = tmp_path / "site"
    assert gongshi("build", "--content", str(mini), "--output", str(out)).code != 0
    assert not (out / FILES / "passwd.pdf").exists()


def test_a_symlinked_files_folder_is_refused(mini: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.pdf").write_bytes(b"%PDF-1.4\n")
    os.symlink(outside, mini / FILES)
    assert rules_at(mini, attach(mini, "secret.pdf")) == {"attachment.symlink"}


@pytest.mark.parametrize(
    "name", ["x\n../../2026-001.yaml", "../decisions/2026/2026-001.yaml", "/etc/passwd", "a\\b.pdf"]
)
def test_paths_that_leave_files_are_refused(mini: Path, name: str) -> None:
    line = attach(mini, name)
    assert "attachment.path" in rules_at(mini, line)
    assert attachment_problem(mini, "demo-bureau", name) is not None


def test_only_pdf_files_are_attachments(mini: Path) -> None:
    (mini / FILES).mkdir(parents=True)
    (mini / FILES / "notes.yaml").write_text("a: 1\n", "utf-8")
    assert rules_at(mini, attach(mini, "notes.yaml")) == {"attachment.type"}
