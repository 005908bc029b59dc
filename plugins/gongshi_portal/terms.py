"""One word per concept on public pages.

The records and the clerks' registers keep the national data standard's 行政相对人 (schemas,
spreadsheet headers: a register exported before stays importable); what the public reads — pages,
search and the open data's Chinese titles — says 当事人, as a decision document does.
"""

from __future__ import annotations

# Longest first: 行政相对人 must not become 行政当事人.
PUBLIC_TERMS: tuple[tuple[str, str], ...] = (("行政相对人", "当事人"), ("相对人", "当事人"))


def public_term(text: str) -> str:
    """``text`` with the clerks' terms replaced by the public ones."""
    for clerk, public in PUBLIC_TERMS:
        text = text.replace(clerk, public)
    return text
