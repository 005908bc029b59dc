"""The gongshi command through main(argv): exit codes, formats, --changed-since on a real repo."""

from __future__ import annotations

import errno
import io
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result, write

Run = Callable[..., Result]


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True)
    return done.stdout


def init_repo(root: Path) -> None:
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "测试")
    git(root, "config", "user.email", "test@example.invalid")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "initial")


def test_clean_content_exits_0(mini: Path, gongshi: Run) -> None:
    result = gongshi("validate", "--content", str(mini))
    assert result.code == 0, result.out
    assert result.out == ""
    assert "9 条记录，0 个错误" in result.err


def test_findings_text_format(mini: Path, gongshi: Run) -> None:
    decision = mini / "agencies/demo-bureau/decisions/2026/2026-001.yaml"
    decision.write_text(decision.read_text("utf-8").replace("fine: 50000", "fine: -5"), "utf-8")
    result = gongshi("validate", "--content", "content")
    assert result.code == 1
    assert result.out.startswith("content/agencies/demo-bureau/decisions/2026/2026-001.yaml:13:"), (
        result.out
    )
    assert "error [penalty.fine]" in result.out
    assert "必须 ≥ 0（当前为 -5）" in result.out


def test_json_format_has_the_same_fields(mini: Path, gongshi: Run) -> None:
    write(mini / "agencies/demo-bureau/officers/33029900000009.yaml", "name: 甲\nname: 乙\n")
    result = gongshi("validate", "--content", "content", "--format", "json")
    assert result.code == 1
    [finding] = result.json()
    assert finding == {
        "path": "content/agencies/demo-bureau/officers/33029900000009.yaml",
        "line": 2,
        "col": 1,
        "severity": "error",
        "rule": "yaml.duplicate-key",
        "message": finding["message"],
    }


def test_warnings_alone_exit_0(mini: Path, gongshi: Run) -> None:
    decision = mini / "agencies/demo-bureau/decisions/2026/2026-001.yaml"
    decision.write_text(decision.read_text("utf-8").replace("〔2026〕1号", "[2026]1号"), "utf-8")
    result = gongshi("validate", "--content", "content")
    assert result.code == 0
    assert "warning [doc-no.format]" in result.out


def test_paths_limit_the_report(mini: Path, gongshi: Run) -> None:
    write(mini / "agencies/demo-bureau/officers/33029900000009.yaml", "name: [\n")
    assert (
        gongshi("validate", "--content", "content", "content/agencies/demo-bureau/decisions").code
        == 0
    )
    assert (
        gongshi("validate", "--content", "content", "content/agencies/demo-bureau/officers").code
        == 1
    )


def test_missing_content_dir_is_usage_error(tmp_path: Path, gongshi: Run) -> None:
    result = gongshi("validate", "--content", str(tmp_path / "nope"))
    assert result.code == 2
    assert "不存在" in result.err


def test_bad_arguments_exit_2(gongshi: Run) -> None:
    assert gongshi("validate", "--format", "xml").code == 2
    assert gongshi("build", "--as-of", "2024-02-30").code == 2


def test_garbage_files_never_raise(mini: Path, gongshi: Run) -> None:
    write(mini / "agencies/demo-bureau/officers/33029900000007.yaml", "- 1\n- 2\n")
    (mini / "agencies/demo-bureau/officers/33029900000008.yaml").write_bytes(b"\xff\xfe\x00bad")
    write(mini / "agencies/demo-bureau/officers/33029900000006.yaml", "officers: {a: [}\n")
    result = gongshi("validate", "--content", "content")
    assert result.code == 1
    assert "Traceback" not in result.out + result.err
    assert result.out.count("error [") == 3


def test_changed_since_reports_changed_records_and_their_referrers(
    mini: Path, gongshi: Run
) -> None:
    root = mini.parent
    init_repo(root)
    officer = mini / "agencies/demo-bureau/officers/33029900000003.yaml"  # reviews 2026-001 only
    officer.write_text(
        officer.read_text("utf-8").replace("roles: [法制审核]", "roles: [执法]"), "utf-8"
    )
    old = mini / "agencies/demo-bureau/decisions/2025/2025-002.yaml"
    old.write_text(old.read_text("utf-8").replace("fine: 2000", "fine: -1"), "utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "both")
    git(root, "tag", "base")
    # Only the officer changes after `base`; the decision that names it is re-checked too.
    officer.write_text(officer.read_text("utf-8").replace("name: 王海", "name: 王 海"), "utf-8")
    result = gongshi("validate", "--content", "content", "--changed-since", "base")
    assert result.code == 1
    assert "2026-001.yaml" in result.out and "review.reviewer-role" in result.out
    assert "2025-002.yaml" not in result.out  # broken, but untouched by this change
    everything = gongshi("validate", "--content", "content")
    assert "2025-002.yaml" in everything.out


def test_changed_since_a_portal_setting_rechecks_every_record(mini: Path, gongshi: Run) -> None:
    """portal.yaml's settings judge records of every type: a certificate pattern the officers'
    numbers do not follow shows at each officer, though no officer file changed."""
    root = mini.parent
    init_repo(root)
    git(root, "tag", "base")
    portal = mini / "portal.yaml"
    portal.write_text(portal.read_text("utf-8") + "cert_no_pattern: '^99\\d{12}$'\n", "utf-8")
    result = gongshi("validate", "--content", "content", "--changed-since", "base")
    assert "33029900000001.yaml" in result.out and "[cert-no.pattern]" in result.out
    full = gongshi("validate", "--content", "content")
    assert sorted(result.out.splitlines()) == sorted(full.out.splitlines())


def test_changed_since_unknown_revision(mini: Path, gongshi: Run) -> None:
    init_repo(mini.parent)
    result = gongshi("validate", "--content", "content", "--changed-since", "no-such-rev")
    assert result.code == 2
    assert "no-such-rev" in result.err


DESIGN_PORTAL = Path(__file__).parent / "fixtures" / "design"


def test_a_portal_with_only_the_contract_fields_validates(
    gongshi: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """tests/fixtures/design holds DESIGN.md's example records, field for field."""
    monkeypatch.chdir(tmp_path)
    result = gongshi("validate", "--content", str(DESIGN_PORTAL))
    assert result.code == 0, result.out
    assert result.out == ""
    built = gongshi(
        "build", "--content", str(DESIGN_PORTAL), "--output", "design-site", "--as-of", "2026-11-24"
    )
    assert built.code == 0, built.out + built.err


def test_a_missing_attachment_is_reported_at_its_file_field(mini: Path, gongshi: Run) -> None:
    decision = mini / "agencies/demo-bureau/decisions/2026/2026-001.yaml"
    text = decision.read_text("utf-8")
    attachment = 'attachments:\n  - title: 决定书\n    file: "2026/missing.pdf"\n'
    decision.write_text(text + attachment, "utf-8")
    line = text.count("\n") + 3
    result = gongshi("validate", "--content", str(mini))
    assert result.code == 1
    assert f"2026-001.yaml:{line}:11: error [reference.file]" in result.out, result.out
    target = mini / "agencies/demo-bureau/files/2026/missing.pdf"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"%PDF-1.4\n")
    assert "reference.file" not in gongshi("validate", "--content", str(mini)).out


def test_each_command_imports_its_own_module_only(gongshi: Run) -> None:
    """main() loads the module of the command it runs (COMMANDS names each one without
    importing it); `gongshi --help` still lists every command."""
    from gongshi_cli.main import COMMANDS, command_module

    assert all(name == command_module(name).NAME for name in COMMANDS)
    code = subprocess.run(
        [sys.executable, "-c", IMPORTED, "validate", "--help"], capture_output=True, text=True
    )
    assert code.returncode == 0, code.stderr
    assert code.stdout.split() == ["gongshi_cli.commands.validate"]
    listed = gongshi("--help")
    assert listed.code == 0 and all(name in listed.out for name in COMMANDS)


def test_the_command_process_ends_with_its_whole_output_and_exit_code(mini: Path) -> None:
    """The process (run(), `python -m gongshi_cli`) ends without tearing its objects down:
    what it printed into block-buffered pipes still arrives, and its exit code is main()'s."""
    decision = mini / "agencies/demo-bureau/decisions/2026/2026-001.yaml"
    decision.write_text(decision.read_text("utf-8").replace("fine: 50000", "fine: -5"), "utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "gongshi_cli", "validate", "--content", "content"],
        capture_output=True,
        text=True,
        cwd=mini.parent,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith("content/agencies/demo-bureau/decisions/2026/2026-001.yaml:13:")
    assert "error [penalty.fine]" in done.stdout
    assert "1 个错误" in done.stderr
    usage = subprocess.run(
        [sys.executable, "-m", "gongshi_cli", "no-such-command"],
        text=True,
        capture_output=True,
        timeout=60,
    )
    assert usage.returncode == 2 and "no-such-command" in usage.stderr


def test_output_that_cannot_be_written_fails_the_command(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """Output left in a buffer that cannot be written at the end (a full disk): exit status
    120 and a message, never the command's 0; a reader that went away (`| head`) is no error."""
    from gongshi_cli import main as command

    class Full(io.StringIO):
        def flush(self) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

    class Gone(io.StringIO):
        def flush(self) -> None:
            raise BrokenPipeError(errno.EPIPE, "Broken pipe")

    monkeypatch.setattr(sys, "stdout", Full())
    assert command._flushed(0) == command.EXIT_UNWRITTEN == 120
    assert "输出未能写出（No space left on device）" in capfd.readouterr().err
    monkeypatch.setattr(sys, "stdout", Gone())
    assert command._flushed(1) == 1


def test_what_runs_at_exit_still_runs(tmp_path: Path) -> None:
    """The process skips tearing its objects down, not the handlers registered to run at exit
    (a library's temporary files: openpyxl removes its rows written to /tmp there)."""
    marker = tmp_path / "ran"
    script = (
        "import atexit, pathlib, sys\n"
        "from gongshi_cli.main import run\n"
        f"atexit.register(pathlib.Path({str(marker)!r}).write_text, 'ran')\n"
        "sys.argv = ['gongshi', '--help']\n"
        "run()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert marker.read_text() == "ran"


# Prints the command modules imported by `gongshi <argv>`.
IMPORTED = """
import contextlib, io, sys
from gongshi_cli.main import main
with contextlib.redirect_stdout(io.StringIO()):
    main(sys.argv[1:])
print(*sorted(m for m in sys.modules if m.startswith("gongshi_cli.commands.")))
"""
