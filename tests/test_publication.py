"""What the public may see of a decision: settings layering and the order of the rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from gongshi_history.deadlines import deadline_settings
from gongshi_records import validate_content
from gongshi_records.publication import Status, public_view, settings_for
from test_rules import edit

AS_OF = dt.date(2026, 11, 24)
WITHDRAWN = "agencies/demo-bureau/decisions/2025/2025-007.yaml"


def test_a_warning_only_penalty_is_never_shown_even_when_withdrawn(mini: Path) -> None:
    edit(mini, WITHDRAWN, "penalty: {kinds: [罚款], fine: 200000}", "penalty: {kinds: [警告]}")
    corpus = validate_content(mini).corpus
    view = public_view(corpus, AS_OF)
    assert all(d.record.path.endswith("2025-007.yaml") is False for d in view.withdrawn)
    assert all(d.record.path.endswith("2025-007.yaml") is False for d in view.published)
    edit(mini, "portal.yaml", "publisher:", "settings: {publish_warnings: true}\npublisher:")
    # Published when warnings are, its notice is shown while the 3-month period lasts (from
    # the withdrawal's event, 2025-09-01: before it the decision is still published).
    view = public_view(validate_content(mini).corpus, dt.date(2025, 9, 1))
    assert [d.status for d in view.withdrawn] == [Status.WITHDRAWN]


def test_a_partial_nested_setting_keeps_the_other_defaults(mini: Path) -> None:
    edit(mini, "portal.yaml", "publisher:", "settings: {publicity_months: {minor: 6}}\npublisher:")
    edit(
        mini,
        "agencies/demo-bureau/agency.yaml",
        "kind: 行政机关",
        "kind: 行政机关\nsettings: {deadlines: {行政处罚: 5}}",
    )
    corpus = validate_content(mini).corpus
    settings = settings_for(corpus, "demo-bureau")
    assert settings["publicity_months"] == {"minor": 6, "general": 36}
    days = deadline_settings(corpus, "demo-bureau")
    assert days.publication_days("行政处罚") == 5
    assert days.publication_days("行政许可") == 7 and days.withdrawal_days == 3
    # The small fine of 2025-01-06 is now public for six months instead of three.
    view = public_view(corpus, dt.date(2025, 6, 1))
    assert any(d.record.path.endswith("2025-002.yaml") for d in view.published)
