"""Pelican registration: signals only; the work lives in generator.py and safepages.py."""

from __future__ import annotations

from typing import Any

from gongshi_records.prose import clear_memo
from pelican import signals

from .generator import RecordsGenerator
from .safepages import no_intrasite_links, use_safe_readers


def get_generators(_pelican: Any) -> type[RecordsGenerator]:
    return RecordsGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)
    # Pelican's page powers (metadata, link indicators, other readers) off: safepages.py.
    signals.initialized.connect(no_intrasite_links)
    signals.readers_init.connect(use_safe_readers)
    signals.finalized.connect(forget_prose)


def forget_prose(_pelican: Any) -> None:
    """The build's memo of Markdown HTML (prose.py) is not kept once the site is written."""
    clear_memo()
