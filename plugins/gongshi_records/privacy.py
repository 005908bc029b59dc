"""Finds personal data that must never be published (DOMAIN.md, "What must never be published").

Text is *folded* before matching, one character for one character, so every offset found is an
offset in the original text and a finding keeps its line and column: full-width and other
scripts' digits and letters become ASCII, the many spaces, dashes and dots become ``' '``,
``'-'`` and ``'.'``, and invisible characters (invisible.py: zero-width and bidi controls,
fillers, variation selectors, tags) are kept but matched as if absent. A number is then read
from *digit groups*: maximal runs of letters and digits, taken whole (a 14-digit certificate
number or an 18-character credit code never yields a "mobile number" inside it), joined across
short separators (``138 1234 5678``, ``+86-138-1234-5678``, ``139 1234-5678``) when the groups
have the shape people write that kind of number in; a few letters glued to a long digit run
(``wx13712345678``) leave the run a number of its own.
Every step is a linear scan: no pattern here can backtrack more than one word.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from .identifiers import (
    USCC_SHAPE,
    luhn_valid,
    old_resident_id_valid,
    resident_id_valid,
    uscc_valid,
)
from .invisible import CLASS
from .invisible import INVISIBLE as INVISIBLE

_INV = "".join(INVISIBLE)  # for deleting them
_SPACES = "\u00a0\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200B)))
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63"
_DOTS = "\u00b7\u2027\u30fb\uff65"

# What may stand between two digit groups of one number, after folding: at most three of these.
_SEPARATORS = frozenset(" -._")
_MAX_GAP = 3
# Separators one number may mix (``139 1234-5678``); a dot never mixes: ``190.4856 1234`` is two
# decimals side by side (chart coordinates, amounts), not a phone number.
_MIXABLE = frozenset(" -")

# A word that holds a digit, starting at a word boundary: the lookbehind makes every other start
# fail at once, so the scan stays linear however long a word of letters is.
_WORD = re.compile(f"(?<![0-9A-Za-z{CLASS}])[A-Za-z{CLASS}]*[0-9][0-9A-Za-z{CLASS}]*")
_STRIP_INV = str.maketrans("", "", _INV)
_HAS_INVISIBLE = re.compile(f"[{CLASS}]")
# A word of a few letters glued to a long digit run, before or after it (``wx13712345678``,
# ``QQ13712345678``, ``13712345678tel``): the run is read as a number of its own. One letter
# (``A13812345678``) is taken for a serial's prefix, and a run between letters (a credit code's
# ``MA2…``, a hash, a commit id) is part of an identifier, never a number.
_GLUED = re.compile(r"([A-Za-z]{2,8})([0-9]{11,19}X?)|([0-9]{11,19})[A-Za-z]{2,8}")
_GLUED_MAX = 8 + 19 + 1

_MOBILE = re.compile(r"1[3-9]\d{9}")
_COUNTRY = ("86", "0086")
# How people group the digits of each kind of number, beyond writing them in one run.
_MOBILE_SHAPES = frozenset({(3, 8), (3, 4, 4), (7, 4)})
_ID_SHAPES = frozenset({(6, 8, 4), (6, 4, 4, 4), (4, 4, 4, 4, 2), (6, 8, 3, 1), (6, 12), (6, 6, 3)})
_MAX_GROUPS = 6
# How many digits each kind has: a mobile (with 86 or 0086 before it), an ID, a card.
_LENGTHS = frozenset({11, 13, 15, 16, 17, 18, 19})
# Issuer prefixes of bank cards (UnionPay 62, Visa 4, Mastercard 2221–2720 and 5, JCB and others
# 3, domestic 9): a 16–19 digit Luhn number starting otherwise (a lawyer's 17-digit licence
# starts with 1) is not a card.
_BANK_PREFIX = re.compile(r"2[2-7]|[345689]")
# Every number above has at least 11 digits, and a digit is a character that folds to one (a
# decimal digit of any script: what ``\d`` matches): a text with fewer holds none. Most texts
# a page is made of (labels, names, dates) are ruled out by this count alone.
_FEWEST_DIGITS = 11
_DIGIT = re.compile(r"\d")
# Matches (from its start) a text with that many digits: too_few_digits is its opposite. One
# call into C, stopping at the eleventh digit; scans test millions of lines with it by ``map``.
ENOUGH_DIGITS = re.compile(f"(?:\\D*+\\d){{{_FEWEST_DIGITS}}}")
# A run of groups holds only word characters and separators: every other character ends it.
# Only the runs long enough to hold a number are read group by group (a search index line of
# ``[0,0.34,1,0.585]`` has thousands of short runs and none of them).
_RUN = re.compile(f"[0-9A-Za-z ._\\-{CLASS}]{{{_FEWEST_DIGITS},}}")  # separators: _SEPARATORS


@dataclass(frozen=True)
class Leak:
    rule: str
    offset: int  # character offset of the leak in the scanned text
    message: str
    text: str = ""  # the leak as written, separators and invisible characters included
    digits: str = ""  # the number it reads as: a mobile number without its country code


@cache
def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    # The decimal digits of every script are what ``\d`` matches: found by the regex engine
    # in one pass instead of asking unicodedata about each of a million code points.
    beyond_ascii = "".join(map(chr, range(0x80, sys.maxunicode + 1)))
    for char in _DIGIT.findall(beyond_ascii):
        table[ord(char)] = str(unicodedata.decimal(char))
    for code in range(0xFF01, 0xFF5F):  # full-width ASCII
        table[code] = chr(code - 0xFEE0)
    table.update({ord(c): " " for c in _SPACES})
    table.update({ord(c): "-" for c in _DASHES})
    table.update({ord(c): "." for c in _DOTS})
    return table


def fold(text: str) -> str:
    """``text`` with full-width and other digits and letters in ASCII and the other spaces,
    dashes and middle dots as ``' '``, ``'-'``, ``'.'``: as long as ``text``, so an offset in
    one is the same offset in the other. Invisible characters are kept (see ``INVISIBLE``)."""
    folded = text.translate(_fold_table())
    assert len(folded) == len(text)  # every mapping is one character for one character
    return folded


def visible(text: str) -> str:
    """``text`` without its invisible characters."""
    return text.translate(_STRIP_INV)


def has_invisible(text: str) -> bool:
    return _HAS_INVISIBLE.search(text) is not None


def find_invisible(text: str) -> Iterator[tuple[int, str]]:
    """The offset and Chinese name of every invisible character in ``text``."""
    if not has_invisible(text):  # most text has none: not a loop over each
        return
    for offset, char in enumerate(text):
        if char in INVISIBLE:
            yield offset, INVISIBLE[char]


class _Group(NamedTuple):
    start: int
    end: int
    digits: str  # the digits, invisible characters removed; an ID's check "X" kept at the end
    gap: str = ""  # the separators before it, when it continues a run of groups


def _groups(folded: str, start: int, end: int) -> Iterator[list[_Group]]:
    """Runs of digit groups in ``folded[start:end]`` that may belong to one number: consecutive
    groups with only a few separators between them. A word mixing letters and digits ends a
    run and is no group."""
    chain: list[_Group] = []
    hidden = _HAS_INVISIBLE.search(folded, start, end) is not None  # most text has none
    for match in _WORD.finditer(folded, start, end):
        word = visible(match.group()) if hidden else match.group()
        if word.endswith("x"):
            word = word[:-1] + "X"
        is_group = word.isdigit() or (word.endswith("X") and word[:-1].isdigit())
        glued = None if is_group else _glued(word)
        if glued is not None:  # a number of its own: it ends the run before it
            if chain:
                yield chain
                chain = []
            start, end = _visible_span(folded, *match.span(), *glued)
            yield [_Group(start, end, word[glued[0] : glued[1]])]
            continue
        gap = folded[chain[-1].end : match.start()] if chain else ""
        gap = visible(gap) if hidden else gap
        if chain and not (is_group and _joined(gap)):
            yield chain
            chain, gap = [], ""
        if is_group:
            start, end = match.span()
            while hidden and folded[start] in INVISIBLE:
                start += 1
            while hidden and folded[end - 1] in INVISIBLE:
                end -= 1
            chain.append(_Group(start, end, word, gap))
            if word.endswith("X"):  # a check character ends a number
                yield chain
                chain = []
    if chain:
        yield chain


def _glued(word: str) -> tuple[int, int] | None:
    """Where the digit run glued to letters lies in ``word`` (``_GLUED``), if it is one; a
    valid credit code (letters and digits in its own order) is none."""
    if len(word) > _GLUED_MAX:
        return None
    match = _GLUED.fullmatch(word)
    if match is None or (USCC_SHAPE.fullmatch(word) and uscc_valid(word)):
        return None
    return match.span(2) if match.group(2) else match.span(3)


def _visible_span(folded: str, start: int, end: int, low: int, high: int) -> tuple[int, int]:
    """The span in ``folded`` of the visible characters ``low``..``high`` of ``folded[start:end]``
    (the word the invisible characters were removed from)."""
    seen, first = 0, start
    for position in range(start, end):
        if folded[position] in INVISIBLE:
            continue
        if seen == low:
            first = position
        seen += 1
        if seen == high:
            return first, position + 1
    return first, end


def _joined(gap: str) -> bool:
    return 0 < len(gap) <= _MAX_GAP and all(c in _SEPARATORS for c in gap)


def _evenly(window: Sequence[_Group]) -> bool:
    """One number is written with one separator throughout (``138 1234 5678``) or with spaces
    and dashes mixed (``139 1234-5678``), not the ``190.4856 1234`` of two decimals side by side.
    The shape checks that follow (3-4-4 for a mobile, 6-8-4 for an ID…) do the rest."""
    gaps = {g.gap for g in window[1:]}
    return len(gaps) <= 1 or all(set(gap) <= _MIXABLE for gap in gaps)


def _shape_ok(lengths: tuple[int, ...], shapes: frozenset[tuple[int, ...]]) -> bool:
    return len(lengths) == 1 or lengths in shapes


def _bank_shape(lengths: tuple[int, ...]) -> bool:
    fours = len(lengths) >= 4 and all(n == 4 for n in lengths[:-1]) and lengths[-1] <= 4
    return len(lengths) == 1 or fours


def _mask(token: str) -> str:
    return token[:4] + "*" * (len(token) - 7) + token[-3:] if len(token) > 7 else "*" * len(token)


def _classify(window: Sequence[_Group]) -> tuple[str, str, str] | None:
    """The rule, message and number for a number made of these groups, or None when these
    groups make none."""
    digits = "".join(g.digits for g in window)
    lengths = tuple(len(g.digits) for g in window)
    if len(window) > 1 and not _evenly(window[1:] if window[0].digits in _COUNTRY else window):
        return None
    valid_id = len(digits) in (15, 18) and _shape_ok(lengths, _ID_SHAPES)
    if valid_id and (resident_id_valid(digits) or old_resident_id_valid(digits)):
        message = f"含有未打码的身份证号：请改为 {_mask(digits)} 这样的打码形式"
        return "privacy.id-number", message, digits
    if not digits.isdigit():
        return None
    mobile = _mobile_part(window) if len(digits) in (11, 13, 15) else None
    if mobile is not None:
        message = f"含有未打码的手机号码：请删除或改为 {mobile[:3]}****{mobile[-4:]}"
        return "privacy.mobile", message, mobile
    card = 16 <= len(digits) <= 19 and _BANK_PREFIX.match(digits) and _bank_shape(lengths)
    if card and luhn_valid(digits):
        message = f"含有银行卡号：不得公开，请删除或改为 {_mask(digits)}"
        return "privacy.bank-card", message, digits
    return None


def _mobile_part(window: Sequence[_Group]) -> str | None:
    """The mobile number these groups spell, a leading country code (86, 0086) allowed."""
    groups = [g.digits for g in window]
    if len(groups) > 1 and groups[0] in _COUNTRY:
        groups = groups[1:]
    else:  # the country code written onto the first group: +8613812345678, +86138 1234 5678
        for code in _COUNTRY:
            if groups[0].startswith(code) and len(groups[0]) - len(code) in (3, 7, 11):
                groups = [groups[0][len(code) :], *groups[1:]]
                break
    number = "".join(groups)
    lengths = tuple(len(g) for g in groups)
    return number if _MOBILE.fullmatch(number) and _shape_ok(lengths, _MOBILE_SHAPES) else None


def too_few_digits(text: str) -> bool:
    """Whether ``text`` holds fewer digits (of any script) than the shortest number
    :func:`find_leaks` looks for: then it finds nothing, without looking further."""
    return len(text) < _FEWEST_DIGITS or ENOUGH_DIGITS.match(text) is None


def find_leaks(text: str) -> Iterator[Leak]:
    """Unmasked resident ID numbers, mobile numbers and bank card numbers in ``text``, however
    they are spaced, dashed, written in full-width digits or interleaved with invisible
    characters. From each group the longest run of groups that reads as a number is taken."""
    if too_few_digits(text):
        return
    folded = fold(text)
    for run in _RUN.finditer(folded):
        if sum(map(run.group().count, "0123456789")) >= _FEWEST_DIGITS:
            yield from _run_leaks(text, folded, *run.span())


def _run_leaks(text: str, folded: str, start: int, end: int) -> Iterator[Leak]:
    for chain in _groups(folded, start, end):
        total = [0]  # digits in chain[:k], so a window's length costs nothing to know
        for group in chain:
            total.append(total[-1] + len(group.digits))
        i = 0
        while i < len(chain):
            found = None
            for j in range(min(len(chain), i + _MAX_GROUPS), i, -1):
                found = total[j] - total[i] in _LENGTHS and _classify(chain[i:j])
                if found:
                    break
            if not found:
                i += 1
                continue
            start, end = chain[i].start, chain[j - 1].end
            before = start - 1
            while before >= 0 and folded[before] in INVISIBLE:
                before -= 1
            if before >= 0 and folded[before] == "+":
                start = before
            rule, message, digits = found
            yield Leak(rule, start, message, text[start:end], digits)
            i = j
