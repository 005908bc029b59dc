"""Gongshi's open data: ``data/*.csv``, ``data/*.json`` and ``data/datapackage.json``.

Pure functions over the record model (no Pelican): the portal plugin calls
:func:`write_open_data` once per build with the same :class:`PublicView` as the pages, so a
withdrawn or expired decision leaves the data exactly when it leaves the site.
"""

from .columns import Column, ForeignKey, Table
from .licence import DEFAULT_LICENCE, open_data_licence
from .package import DATA_DIR, DESCRIPTOR, TABLES, OpenData, open_data, write_open_data
from .plaintext import markdown_text

__all__ = [
    "DATA_DIR",
    "DEFAULT_LICENCE",
    "DESCRIPTOR",
    "TABLES",
    "Column",
    "ForeignKey",
    "OpenData",
    "Table",
    "markdown_text",
    "open_data",
    "open_data_licence",
    "write_open_data",
]
