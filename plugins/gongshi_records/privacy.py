"""Finds personal data that must never be published (DOMAIN.md, "What must never be published")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .identifiers import luhn_valid, old_resident_id_valid, resident_id_valid

# Digit runs are taken whole: a 14-digit certificate number must not yield a "mobile number".
_DIGIT_RUN = re.compile(r"(?<![0-9A-Za-z])\d{11,19}[0-9Xx]?(?![0-9A-Za-z])")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")


@dataclass(frozen=True)
class Leak:
    rule: str
    offset: int  # character offset of the leak in the scanned text
    message: str


def _mask(token: str) -> str:
    return token[:4] + "*" * (len(token) - 7) + token[-3:] if len(token) > 7 else "*" * len(token)


def find_leaks(text: str) -> Iterator[Leak]:
    """Unmasked resident ID numbers, mobile numbers and bank card numbers in ``text``."""
    for match in _DIGIT_RUN.finditer(text):
        token = match.group(0)
        masked = _mask(token)
        if resident_id_valid(token) or old_resident_id_valid(token):
            yield Leak(
                "privacy.id-number",
                match.start(),
                f"含有未打码的身份证号：请改为 {masked} 这样的打码形式",
            )
        elif _MOBILE.match(token):
            yield Leak(
                "privacy.mobile",
                match.start(),
                f"含有未打码的手机号码：请删除或改为 {token[:3]}****{token[-4:]}",
            )
        elif token.isdigit() and 16 <= len(token) <= 19 and luhn_valid(token):
            yield Leak(
                "privacy.bank-card",
                match.start(),
                f"含有银行卡号：不得公开，请删除或改为 {masked}",
            )
