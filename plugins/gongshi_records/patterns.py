"""Regular expressions that come from content (a portal's ``cert_no_pattern``), made safe.

A pattern typed into portal.yaml is untrusted input. Python's backtracking matcher takes
exponential time on patterns such as ``(a+)+$`` or ``(a|ab)*$`` against a long enough subject,
which would hang validation and every build. Instead of a time limit (which the ``re`` module
does not have) the pattern is checked statically: no quantifier inside another variable
quantifier, no alternation inside a repeat, no back-references, a length limit; and it is only
ever matched against short subjects. What remains can at worst be polynomial in a subject of at
most ``MAX_SUBJECT`` characters, which is fast.
"""

from __future__ import annotations

import re
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

# The longest sensible certificate-number pattern is a few dozen characters.
MAX_PATTERN = 200
# No certificate number is longer; longer values are never matched against a pattern.
MAX_SUBJECT = 64

# Adjacent variable quantifiers (`.*.*.*x`) backtrack polynomially: up to the product of their
# ranges of lengths. Four `.*` over 64 characters is 17 million steps; three, 274,625.
MAX_SPLITS = 1_000_000

_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
_BACKREFS = (sre.GROUPREF, sre.GROUPREF_EXISTS, sre.GROUPREF_IGNORE)


def compile_error(pattern: str) -> str | None:
    """Why ``pattern`` does not compile (in Python's words), or None. Never raises: a pattern
    of 2,000 nested groups exhausts the parser's recursion, a huge ``{n}`` overflows."""
    try:
        re.compile(pattern)
    except re.error as exc:
        return str(exc)
    except (RecursionError, OverflowError, ValueError) as exc:
        return str(exc) or type(exc).__name__
    return None


def pattern_problem(pattern: str) -> str | None:
    """What makes ``pattern`` unsafe or unusable, in Chinese with the fix; None when safe."""
    if len(pattern) > MAX_PATTERN:
        return f"正则表达式过长（{len(pattern)} 个字符，上限 {MAX_PATTERN}）：请写成简短的证号格式"
    error = compile_error(pattern)
    if error is not None:
        return f"不是有效的正则表达式（{error}）：请检查括号是否成对"
    try:
        parsed = _parser.parse(pattern)
    except (re.error, RecursionError, OverflowError, ValueError):  # compiled above: unlikely
        return "无法分析该正则表达式：请写成简单的证号格式"
    found = _unsafe(list(parsed), repeated=False)
    if found is None and _splits(list(parsed)) > MAX_SPLITS:
        found = "含过多长度可变的重复（如多个 .* 或 \\d+）：请写出固定位数，" + _EXAMPLE
    return found


def safe_pattern(pattern: object) -> re.Pattern[str] | None:
    """The compiled pattern when it is a string that passes :func:`pattern_problem`."""
    if not isinstance(pattern, str) or pattern_problem(pattern) is not None:
        return None
    return re.compile(pattern)


def safe_fullmatch(pattern: re.Pattern[str], subject: str) -> bool:
    """Whether ``subject`` matches all of a safe pattern; a subject too long never does."""
    return len(subject) <= MAX_SUBJECT and pattern.fullmatch(subject) is not None


_EXAMPLE = "例如 ^3211[0-9]{10}$"


def _splits(items: list[tuple[Any, Any]]) -> int:
    """An upper bound on the ways a subject of MAX_SUBJECT characters can be split among the
    pattern's variable quantifiers: the product of their length ranges."""
    total = 1
    for op, av in items:
        if op in _REPEATS:
            low, high, body = av
            total *= max(1, min(high, MAX_SUBJECT) - min(low, MAX_SUBJECT) + 1)
            total *= _splits(list(body))
        elif op == sre.BRANCH:
            total *= sum(_splits(list(branch)) for branch in av[1])
        elif op == sre.SUBPATTERN:
            total *= _splits(list(av[3]))
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            total *= _splits(list(av[1]))
        elif op == sre.ATOMIC_GROUP:
            total *= _splits(list(av))
        total = min(total, MAX_SPLITS + 1)  # no need to count further
    return total


def _unsafe(items: list[tuple[Any, Any]], repeated: bool) -> str | None:
    """The first construct that can backtrack exponentially; ``repeated`` when inside a
    quantifier that repeats its body more than once."""
    for op, av in items:
        found: str | None = None
        if op in _REPEATS:
            low, high, body = av
            if repeated and low != high:
                return (
                    "含嵌套的重复（如 (a+)+），较长的证号会让校验卡住：请改为不嵌套的写法，"
                    + _EXAMPLE
                )
            found = _unsafe(list(body), repeated or high > 1)
        elif op == sre.BRANCH:
            if repeated:
                return (
                    "在重复中使用了“|”分支（如 (a|ab)*），较长的证号会让校验卡住："
                    "请把分支移到重复之外，或用字符集 [ ] 代替，" + _EXAMPLE
                )
            for branch in av[1]:
                found = found or _unsafe(list(branch), repeated)
        elif op in _BACKREFS:
            return "不支持反向引用（如 \\1 或 (?P=name)）：请直接写出要匹配的字符，" + _EXAMPLE
        elif op == sre.SUBPATTERN:
            found = _unsafe(list(av[3]), repeated)
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            found = _unsafe(list(av[1]), repeated)
        elif op == sre.ATOMIC_GROUP:
            found = _unsafe(list(av), repeated)
        if found:
            return found
    return None
