"""Every example record under tests/examples/<type>/{valid,invalid}/ through one test.

An invalid example states what it must produce in its first lines:
    # expect: error 14 penalty.fine
and the test checks that finding (severity, line, rule) is reported, and no unexpected error.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from gongshi_records.findings import Severity, render_text
from gongshi_records.registry import RECORD_TYPES
from gongshi_records.validate import check_record_file

EXAMPLES = Path(__file__).parent / "examples"
CASES = sorted(EXAMPLES.glob("*/*/*.yaml"))
_EXPECT = re.compile(r"^# expect: (error|warning) (\d+) (\S+)\s*$")


def expectations(path: Path) -> set[tuple[str, int, str]]:
    found = set()
    for line in path.read_text("utf-8").splitlines():
        match = _EXPECT.match(line)
        if match:
            found.add((match.group(1), int(match.group(2)), match.group(3)))
    return found


@pytest.mark.parametrize("path", CASES, ids=lambda p: "/".join(p.parts[-3:]))
def test_example(path: Path) -> None:
    kind, validity = path.parts[-3], path.parts[-2]
    findings = check_record_file(path, kind)
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
