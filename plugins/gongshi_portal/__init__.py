"""Gongshi's portal: the Pelican plugin that writes a page for every published record."""

from .plugin import register

__all__ = ["register"]
