"""Pelican registration: signals only; the work lives in generator.py."""

from __future__ import annotations

from typing import Any

from pelican import signals

from .generator import AdminGenerator


def get_generators(_pelican: Any) -> type[AdminGenerator]:
    return AdminGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)
