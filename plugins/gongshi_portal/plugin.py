"""Pelican registration: signals only; the work lives in generator.py and safepages.py."""

from __future__ import annotations

from typing import Any

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
