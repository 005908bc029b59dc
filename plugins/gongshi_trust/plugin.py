"""Pelican registration: signals only; the work lives in generator.py and seal.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gongshi_portal.unchanged import build_inputs
from pelican import signals

from .config import trust_settings
from .generator import TrustGenerator
from .seal import SEAL_LATER_SETTING, seal


def get_generators(_pelican: Any) -> type[TrustGenerator]:
    return TrustGenerator


def seal_output(pelican: Any) -> None:
    if pelican.settings.get(SEAL_LATER_SETTING):
        return
    seal(Path(pelican.output_path), pelican.settings)


def signing_key(settings: Any) -> list[Path]:
    """The signing key is an input of the build: a new key signs the same site differently."""
    key = trust_settings(settings).signing_key
    return [key] if key is not None else []


def register() -> None:
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(seal_output)
    build_inputs.connect(signing_key)
