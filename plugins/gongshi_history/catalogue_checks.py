"""Report rule on the review catalogue (重大执法决定法制审核目录清单): a decision that meets an
item's machine-checkable criteria (``match``) but was not marked major."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from gongshi_records.catalogue import unmarked_major
from gongshi_records.model import Corpus

from .reportfinding import ReportFinding


def catalogue_not_major(corpus: Corpus, as_of: dt.date) -> Iterator[ReportFinding]:
    """One finding per such decision, naming each catalogue item it meets (name, criteria) and
    what met it. No dates: the duty (review before deciding) has no deadline of its own to
    show beside the decision date, which the record carries; ``due`` and ``actual`` are null."""
    for record, met in unmarked_major(corpus):
        items = "；".join(
            f"「{m.item.name}」（目录标准：{m.item.criteria}；本决定{'，'.join(m.reasons)}）"
            for m in met
        )
        message = (
            f"决定满足本机关法制审核目录{items}，却未标为重大执法决定（major: true）："
            "重大执法决定应先经法制审核再作出"
        )
        yield ReportFinding(record.path, "catalogue-not-major", None, None, message, record.agency)
