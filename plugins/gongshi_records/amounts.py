"""The one way an amount of money is written for people: "5,000.00 元".

Pages (the ``yuan`` Jinja filter), statistics charts, review-catalogue criteria and the messages
of checks that reach the supervision pages all call :func:`yuan`, so the same fine never reads
two ways on the site. Thousands are grouped and cents always shown, as the national 双公示
data standard keeps yuan to two decimals; the space before 元 keeps the digits one readable
group. Data exports keep plain numbers (machine values), not this text.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_CENT = Decimal("0.01")


def yuan(amount: object) -> str:
    """5000 → "5,000.00 元", 96.5 → "96.50 元"; "" for no amount (None, "", a bool or text
    that is not a number: the schema reports those)."""
    if amount is None or isinstance(amount, bool) or amount == "":
        return ""
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return ""
    if not value.is_finite():
        return ""
    return f"{value.quantize(_CENT, rounding=ROUND_HALF_UP):,.2f} 元"
