"""Text measured here, not by the browser: 1 em for each CJK or full-width character, about
0.55 em for ASCII; and wrapped into lines of a given width, breaking where Chinese typesetting
allows (no line starts with “，”, a number stays with its unit)."""

from __future__ import annotations

import re
import unicodedata

_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[.,:/_-][A-Za-z0-9]+)*%?|\s+|.", re.DOTALL)
_NO_LINE_START = frozenset("，。、；：？！）》」』”’〕】〉,.;:?!)%")
_NO_LINE_END = frozenset("（《「『“‘〔【〈(")
_PHRASE = re.compile(r"[^，、；：。！？,;: ]+[，、；：。！？,;: ]*|[，、；：。！？,;: ]+")


def char_em(ch: str) -> float:
    """Width of one character in em: CJK and full-width 1, ASCII about 0.55."""
    if unicodedata.combining(ch):
        return 0.0
    if unicodedata.east_asian_width(ch) in ("W", "F", "A"):
        return 1.0
    if ch == " ":
        return 0.3
    if ch.isupper() or ch in "@%&#MWmw":
        return 0.7
    return 0.55


def text_em(text: str) -> float:
    return sum(char_em(ch) for ch in text)


def _fit_em(line: str) -> float:
    """Width a line needs to fit: closing punctuation at its end may hang past the limit."""
    line = line.rstrip()
    while line and line[-1] in _NO_LINE_START:
        line = line[:-1]
    return text_em(line)


def _tokens(text: str) -> list[str]:
    """Break opportunities: each CJK character, whole ASCII words; closing punctuation stays with
    what it closes, opening punctuation with what it opens (no line starts with “，”) and a number
    with its unit (5日, 20个)."""
    tokens: list[str] = []
    opening = ""
    for token in _TOKEN.findall(text):
        if token in _NO_LINE_START and tokens and not opening:
            tokens[-1] += token
        elif token in _NO_LINE_END:
            opening += token
        elif tokens and not opening and _is_number(tokens[-1]) and char_em(token) == 1.0:
            tokens[-1] += token
        else:
            tokens.append(opening + token)
            opening = ""
    if opening:
        tokens.append(opening)
    return tokens


def _is_number(token: str) -> bool:
    """Whether ``token`` ends in an ASCII digit (a unit after it stays with it)."""
    return token.isascii() and token[-1:].isdigit()


def _greedy(tokens: list[str], limit: float) -> list[str]:
    """Each line filled with as many tokens as fit in ``limit``."""
    lines: list[str] = []
    line = ""
    for token in tokens:
        if not line and token.isspace():
            continue
        if line and _fit_em(line + token) > limit + 1e-9:
            lines.append(line.rstrip())
            line = "" if token.isspace() else token
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _balanced(text: str, max_em: float) -> list[str]:
    """As few lines as greedy filling gives, made as even as the breaks allow."""
    tokens: list[str] = []
    for token in _tokens(text):
        # A token wider than a line may be broken anywhere.
        tokens.extend(list(token) if _fit_em(token) > max_em else [token])
    widest = _greedy(tokens, max_em)
    limit = _fit_em(text) / len(widest)
    while limit < max_em:
        even = _greedy(tokens, limit)
        if len(even) <= len(widest):
            return even
        limit += 0.5
    return widest


def _by_phrase(text: str, max_em: float) -> list[str]:
    """Lines broken after punctuation (，、；：) where possible; a phrase too long for one line is
    broken on its own."""
    lines: list[str] = []
    line = ""
    for phrase in _PHRASE.findall(text):
        if _fit_em(phrase) > max_em:
            lines += [line.rstrip()] if line.strip() else []
            lines += _balanced(phrase.strip(), max_em)
            line = ""
        elif line and _fit_em(line + phrase) > max_em:
            lines.append(line.rstrip())
            line = phrase.lstrip()
        else:
            line += phrase
    if line.strip():
        lines.append(line.rstrip())
    return lines


def wrap(text: str, max_em: float) -> list[str]:
    """``text`` in lines of at most ``max_em`` (a longer word or hanging punctuation may overhang):
    after punctuation where that takes no more lines, else as even as the breaks allow (12
    characters at 8 a line give 6 + 6, not 8 + 4). Line breaks in ``text`` are kept."""
    lines: list[str] = []
    for paragraph in text.splitlines():
        paragraph = " ".join(paragraph.split())
        if not paragraph:
            continue
        if _fit_em(paragraph) <= max_em:
            lines.append(paragraph)
            continue
        even = _balanced(paragraph, max_em)
        phrased = _by_phrase(paragraph, max_em)
        lines += phrased if len(phrased) <= len(even) else even
    return lines
