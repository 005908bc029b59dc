"""Check digits and formats of the identifiers records carry (DOMAIN.md, "Identifier checks")."""

from __future__ import annotations

import datetime as dt
import re

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_SHAPE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}")
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# 〔〕 is the standard (GB/T 9704-2012); the other brackets are common mistakes.
DOC_NO_STANDARD = re.compile(r"^\S+〔(\d{4})〕\d+号$")
DOC_NO_VARIANT = re.compile(r"^\S+?[〔【\[(（](\d{4})[〕】\])）]第?\d+号$")


def uscc_check_char(body: str) -> str | None:
    """The check character for the first 17 characters of a 统一社会信用代码 (GB 32100-2015)."""
    if len(body) != 17 or any(c not in USCC_ALPHABET for c in body):
        return None
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_valid(code: str) -> bool:
    return len(code) == 18 and uscc_check_char(code[:17]) == code[17]


def resident_id_check_char(body: str) -> str:
    total = sum(int(c) * w for c, w in zip(body, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def _valid_birth(text: str) -> bool:
    try:
        born = dt.date(int(text[0:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return False
    return 1900 <= born.year <= 2100


def resident_id_valid(token: str) -> bool:
    """An 18-digit GB 11643 number with a real birth date and a matching check digit."""
    token = token.upper()
    if len(token) != 18 or not token[:17].isdigit():
        return False
    return _valid_birth(token[6:14]) and resident_id_check_char(token[:17]) == token[17]


def old_resident_id_valid(token: str) -> bool:
    """A 15-digit pre-1999 number: region + YYMMDD + 3 digits, no check digit."""
    return len(token) == 15 and token.isdigit() and _valid_birth("19" + token[6:12])


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        n = int(c) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def doc_no_year(doc_no: str) -> int | None:
    """The year inside a 文号, in the standard or a tolerated variant form."""
    match = DOC_NO_STANDARD.match(doc_no) or DOC_NO_VARIANT.match(doc_no)
    return int(match.group(1)) if match else None


def normalise_doc_no(doc_no: str) -> str:
    """The standard spelling of a 文号, so `[2024]` and `〔2024〕` count as the same number."""
    match = DOC_NO_VARIANT.match(doc_no)
    if not match or DOC_NO_STANDARD.match(doc_no):
        return doc_no
    prefix = doc_no[: match.start(1) - 1]
    serial = re.sub(r"^第", "", doc_no[match.end(1) + 1 :])
    return f"{prefix}〔{match.group(1)}〕{serial}"
