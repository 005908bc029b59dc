"""The long texts search also reads: what a decision says and what an inspection found.

They are indexed in their own lunr field (``index.BODY``) with a lower weight than the fields
that name a record (document number, party, name), so those still rank first, and they are
kept in the stores so that the check of tokens not looked up stays exact (query.py).
Only what the public page shows is read: a withdrawn decision has no body in search at all.
"""

from __future__ import annotations

from typing import Any

from gongshi_records import Record
from gongshi_records.inspections import PublicResult

# A decision's texts: the facts, the legal basis (of the decision, and so of the penalty), what
# was decided, the goods confiscated (products are named there as often as in the facts) and the
# penalty kinds (a decision whose content says only "警告。" is still found by 罚款 if fined).
DECISION_TEXTS: tuple[tuple[str, ...], ...] = (
    ("facts",),
    ("basis",),
    ("content",),
    ("penalty", "confiscated_items"),
    ("penalty", "kinds"),
)
SEPARATOR = "\n"  # a separator for the segmentation: no token spans two texts


def decision_body(record: Record) -> str:
    return _join(record.get(*path) for path in DECISION_TEXTS)


def result_body(result: PublicResult) -> str:
    """An inspection result's findings and handling: the note and, while that decision is on
    the site, the follow-up decision's 文号 as the result writes it."""
    return _join([result.note, result.followup_as_written])


def _join(values: Any) -> str:
    texts = ("、".join(map(str, v)) if isinstance(v, list) else v for v in values)
    return SEPARATOR.join(str(t) for t in texts if t not in (None, ""))
