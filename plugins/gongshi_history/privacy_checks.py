"""Report rule on privacy exemptions: every text a record exempts from the privacy check is
listed, with its reason, so a supervisor sees each one (DOMAIN.md, "What must never be
published": the exemption is for what is not personal data, never for a person's number)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from gongshi_records.model import Corpus
from gongshi_records.privacy_rules import exemptions

from .reportfinding import ReportFinding


def privacy_exemptions(corpus: Corpus, as_of: dt.date) -> Iterator[ReportFinding]:
    """One finding per exemption, in record order: the text exempted and why."""
    for record in corpus:
        for exemption in exemptions(record):
            message = (
                f"隐私检查豁免「{exemption.text}」，理由：{exemption.reason}"
                "（请核对它确实不是自然人的个人信息）"
            )
            yield ReportFinding(
                record.path, "privacy-exemption", None, None, message, record.agency
            )
