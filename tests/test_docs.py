"""Docs stay complete because a test says so: every rule and every command is documented."""

from __future__ import annotations

import re
from pathlib import Path

from gongshi_cli.main import command_names
from gongshi_records.registry import RECORD_TYPES

ROOT = Path(__file__).parents[1]
RULE_LITERAL = re.compile(r'"([a-z]+(?:[.-][a-z]+)+)"')
# Badge classes of the certificate standing (standing.py) look like rule ids but are CSS.
NOT_RULES = set(RECORD_TYPES) | {"not-published", "badge-ok", "badge-bad"}


def test_every_rule_is_documented() -> None:
    doc = (ROOT / "docs/validation.md").read_text("utf-8")
    sources = (ROOT / "plugins/gongshi_records").glob("*.py")
    rules = {m for p in sources for m in RULE_LITERAL.findall(p.read_text("utf-8"))} - NOT_RULES
    assert len(rules) > 25
    undocumented = sorted(r for r in rules if f"`{r}`" not in doc)
    assert not undocumented


def test_every_command_has_a_readme_section() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert readme.lstrip().startswith("# ") and "make site" in readme and "make test" in readme
    for command in command_names():
        assert f"### `gongshi {command}" in readme, command


def test_the_clerk_guide_explains_every_rule() -> None:
    """Every rule docs/validation.md lists has a row in the clerk guide: what it means, the fix."""
    rules = re.findall(
        r"^\| `([a-z.-]+)` \|", (ROOT / "docs/validation.md").read_text("utf-8"), re.M
    )
    assert len(rules) > 30
    guide = (ROOT / "docs/clerk-guide.md").read_text("utf-8")
    explained = set(re.findall(r"^\| `([a-z.-]+)` \| [^|]+\| [^|]+\|$", guide, re.M))
    assert not sorted(set(rules) - explained)
