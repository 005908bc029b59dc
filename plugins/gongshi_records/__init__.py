"""Gongshi's ground layer: the record model every build step and command shares.

Load (strict YAML with line marks) → validate (JSON Schema, record rules, cross-record rules).
This package is also a Pelican plugin only in name: it wires no signals; the portal plugin
builds on it.
"""

from .findings import Finding, Severity
from .model import TYPE_LABELS, Corpus, Record
from .validate import Validation, validate_content

__all__ = [
    "TYPE_LABELS",
    "Corpus",
    "Finding",
    "Record",
    "Severity",
    "Validation",
    "validate_content",
]
