"""Text cells a spreadsheet would run as a formula, neutralised the way OWASP recommends.

https://owasp.org/www-community/attacks/CSV_Injection: a cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return is written with a leading ``'``, which Excel, WPS and
LibreOffice show as text. Used for every text cell of the portal's public ``data/*.csv``
(gongshi_exports) and of the clerk's CSV register (gongshi_clerk), so the rule is one.

The rule is reversible, so a program (or ``gongshi import``) recovers the value exactly: a
value made of any number of ``'`` followed by one of those characters gets one more ``'``;
reading removes one ``'`` from a cell that starts with one or more ``'`` followed by one of
those characters, and leaves every other cell alone.
"""

from __future__ import annotations

import re

FORMULA_START = "=+-@\t\r"  # OWASP's list: what makes a spreadsheet read a cell as a formula
PREFIX = "'"
_NEEDS_PREFIX = re.compile(r"'*[=+\-@\t\r]")
_PREFIXED = re.compile(r"'+[=+\-@\t\r]")


def neutralise(text: str) -> str:
    """``text`` as a spreadsheet cell that is never a formula (``'`` added when needed)."""
    return PREFIX + text if _NEEDS_PREFIX.match(text) else text


def restore(cell: str) -> str:
    """The value ``neutralise`` was given: exactly one added ``'`` removed."""
    return cell[1:] if _PREFIXED.match(cell) else cell
