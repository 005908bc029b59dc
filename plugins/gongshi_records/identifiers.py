"""Check digits and formats of the identifiers records carry (DOMAIN.md, "Identifier checks")."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

from .invisible import CLASS as INVISIBLE_CLASS

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


# What a 文号 never means but a copy, a form or an input method adds: every character that
# shows nothing (invisible.py, the set the privacy scan uses) and every kind of space.
_INVISIBLE = re.compile(f"[\\s{INVISIBLE_CLASS}]+")
# Brackets typed for 〔〕 (GB/T 9704-2012); full-width ［］（） are folded to [] () first (NFKC).
_BRACKETS = str.maketrans("[(【〘〖{", "〔〔〔〔〔〔", "")
_CLOSING = str.maketrans("])】〙〗}", "〕〕〕〕〕〕", "")
# Possessive (++): a serial of 100,000 digits with no 号 after it fails at once, no backtracking.
_YEAR_SERIAL = re.compile(r"〔([0-9]{4})〕第?([0-9]++)号")


# Remembered: the duplicate check, the references to decisions, the inspection results' links
# and the site's lookups each ask for every decision's key (100,000 in a province), and the
# spelling takes a normalisation, two translations and two substitutions.
@lru_cache(maxsize=1 << 17)
def normalise_doc_no(doc_no: str) -> str:
    """The standard spelling of a 文号 (GB/T 9704-2012), so that every way of typing one number
    gives the same key: `[2024]`, `［2024］`, `〘2024〕` and `(2024)` read as `〔2024〕`; full-width
    digits as ASCII; `第12号` and `012号` as `12号` (the standard adds neither 第 nor leading
    zeros); zero-width characters and spaces anywhere are dropped. The duplicate check, the
    references to a decision by its 文号 and the site's lookups all compare these keys."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", doc_no))
    text = text.translate(_BRACKETS).translate(_CLOSING)
    return _YEAR_SERIAL.sub(lambda m: f"〔{m.group(1)}〕{m.group(2).lstrip('0') or '0'}号", text)
