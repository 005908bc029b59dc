"""The order people are listed in: by the pinyin of their name (汉语拼音字母顺序), as Chinese
rosters and name lists are, instead of by Unicode code point (which follows neither pinyin nor
stroke order: 张 U+5F20 sorts before 李 U+674E, 王 before 刘).

One key function, :func:`officer_key`, serves every officer list (roster, filtered rosters, an
agency's roster, its legal-review staff). The pinyin comes from pypinyin (pinned), syllable by
syllable and without tones, so 李娜 (li na) comes before 林 (lin) as in a dictionary; ü is
written ``v`` and sorts after every ``u`` syllable (lu, luo, lv). Ties — the same toneless
pinyin, as 李娜 and 李纳 — are broken by the name's code points, then by the certificate number,
so the order never depends on the order files were read in.

Known limit, stated honestly: pypinyin gives a character its most common reading and has no
surname mode, so the surnames 曾 (zēng) and 单 (shàn) sort as ``ceng`` and ``dan`` — among the
C and D names, not the Z and S ones — and 仇 (qiú), 解 (xiè), 区 (ōu), 朴 (piáo) likewise by
their common readings. The order stays deterministic; no hand-made table overrides the library.
"""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin

from .model import Record


@lru_cache(maxsize=8192)
def pinyin_of(name: str) -> tuple[str, ...]:
    """The name's syllables without tones, lower case; characters without a reading (Latin
    letters, digits, the middle dot of 阿卜杜拉·买买提) are kept as they are, lower-cased."""
    return tuple(part.lower() for part in lazy_pinyin(name.strip(), style=Style.NORMAL) if part)


def name_key(name: str) -> tuple[tuple[str, ...], str]:
    """The sort key of a person's name: pinyin, then the name itself."""
    return pinyin_of(name), name


def officer_key(officer: Record) -> tuple[tuple[str, ...], str, str]:
    """An officer's place in every list: pinyin of the name, the name, the certificate number."""
    name = str(officer.get("name") or "")
    return (*name_key(name), officer.key)
