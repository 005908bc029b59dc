"""Every example record under tests/examples/<type>/{valid,invalid}/ through one test.

An invalid example states what it must produce in its first lines:
    # expect: error 14 penalty.fine
and the test checks that finding (severity, line, rule) is reported, and no unexpected error.

A rule across records (an adviser's engagement, a catalogue threshold) needs the rest of a
portal: such an example names a fixture portal and its place in it,
    # portal: mini agencies/demo-bureau/decisions/2026/hearing.yaml
and is checked inside a copy of tests/fixtures/<portal> with every rule the build runs.
Fixtures joined by ``+`` are copied one over the other: ``mini+discretion`` is the mini portal
with tests/fixtures/discretion's power items and benchmark added, records several examples need.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from gongshi_records.findings import Finding, Severity, render_text
from gongshi_records.registry import RECORD_TYPES
from gongshi_records.validate import check_record_file, validate_content

EXAMPLES = Path(__file__).parent / "examples"
CASES = sorted(EXAMPLES.glob("*/*/*.yaml"))
_EXPECT = re.compile(r"^# expect: (error|warning) (\d+) (\S+)\s*$")
_PORTAL = re.compile(r"^# portal: (\S+) (\S+\.yaml)\s*$", re.M)
FIXTURES = Path(__file__).parent / "fixtures"


def expectations(path: Path) -> set[tuple[str, int, str]]:
    found = set()
    for line in path.read_text("utf-8").splitlines():
        match = _EXPECT.match(line)
        if match:
            found.add((match.group(1), int(match.group(2)), match.group(3)))
    return found


@pytest.mark.parametrize("path", CASES, ids=lambda p: "/".join(p.parts[-3:]))
def test_example(path: Path, tmp_path: Path) -> None:
    kind, validity = path.parts[-3], path.parts[-2]
    findings = findings_of(path, kind, tmp_path)
    got = {(str(f.severity), f.line, f.rule) for f in findings}
    report = render_text(findings)
    if validity == "valid":
        assert findings == [], report
        return
    expected = expectations(path)
    assert expected, f"{path.name} states no '# expect:' line"
    assert expected <= got, f"expected {sorted(expected - got)}, got:\n{report}"
    unexpected_errors = {g for g in got if g[0] == Severity.ERROR} - expected
    assert not unexpected_errors, f"unexpected:\n{report}"


@pytest.mark.parametrize("kind", RECORD_TYPES)
def test_every_type_has_valid_and_invalid_examples(kind: str) -> None:
    assert len(list((EXAMPLES / kind / "valid").glob("*.yaml"))) >= 2
    assert len(list((EXAMPLES / kind / "invalid").glob("*.yaml"))) >= 3


def findings_of(path: Path, kind: str, tmp_path: Path) -> list[Finding]:
    """The example checked on its own, or in a copy of the portal it names."""
    portal = _PORTAL.search(path.read_text("utf-8"))
    if portal is None:
        return check_record_file(path, kind)
    content = tmp_path / "content"
    for layer in portal.group(1).split("+"):
        shutil.copytree(FIXTURES / layer, content, dirs_exist_ok=True)
    target = content / portal.group(2)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, target)
    found = validate_content(content).findings
    # The fixture is clean (test_rules checks it), so every finding is the example's doing;
    # they are reported against the example's own lines.
    return [f for f in found if f.path.endswith(portal.group(2))] + [
        f for f in found if not f.path.endswith(portal.group(2)) and f.severity == "error"
    ]


def test_portal_example_is_checked_in_its_portal(tmp_path: Path) -> None:
    example = tmp_path / "example.yaml"
    example.write_text(
        "# portal: mini agencies/demo-bureau/decisions/2026/x.yaml\n"
        + (FIXTURES / "mini/agencies/demo-bureau/decisions/2026/2026-001.yaml").read_text("utf-8")
    )
    rules = {f.rule for f in findings_of(example, "decision", tmp_path / "run")}
    assert "doc-no.unique" in rules  # only a portal knows the 文号 is taken
