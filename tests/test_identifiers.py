"""Check digits, 文号 forms and the privacy scanner."""

from __future__ import annotations

import pytest
from gongshi_records.identifiers import (
    doc_no_year,
    normalise_doc_no,
    resident_id_valid,
    uscc_check_char,
    uscc_valid,
)
from gongshi_records.privacy import find_leaks


@pytest.mark.parametrize("code", ["11320584MB1938416M", "91330299MA2B3C4D59", "11330299MB0000012G"])
def test_valid_credit_codes(code: str) -> None:
    assert uscc_valid(code)


@pytest.mark.parametrize("code", ["11320584MB1938416N", "9133029MA2B3C4D59", "91330299MA2B3C4DI9"])
def test_invalid_credit_codes(code: str) -> None:
    assert not uscc_valid(code)


def test_check_char_refuses_letters_outside_the_alphabet() -> None:
    assert uscc_check_char("91330299MA2B3C4DI") is None  # I is not in GB 32100's alphabet


def test_resident_id() -> None:
    assert resident_id_valid("11010519491231002X")
    assert not resident_id_valid("110105194912310021")  # wrong check digit
    assert not resident_id_valid("110105194902300025")  # 30 February


@pytest.mark.parametrize(
    ("doc_no", "norm"),
    [
        ("吴市监处罚〔2024〕12号", "吴市监处罚〔2024〕12号"),
        ("吴市监处罚[2024]12号", "吴市监处罚〔2024〕12号"),
        ("吴市监处罚(2024)12号", "吴市监处罚〔2024〕12号"),
        ("吴市监处罚【2024】12号", "吴市监处罚〔2024〕12号"),
        ("吴市监处罚〔2024〕第12号", "吴市监处罚〔2024〕12号"),
    ],
)
def test_doc_no_normalisation(doc_no: str, norm: str) -> None:
    assert normalise_doc_no(doc_no) == norm
    assert doc_no_year(doc_no) == 2024


def rules(text: str) -> list[str]:
    return [leak.rule for leak in find_leaks(text)]


def test_privacy_finds_unmasked_numbers() -> None:
    assert rules("身份证号11010519491231002X。") == ["privacy.id-number"]
    assert rules("旧证号110105491231002") == ["privacy.id-number"]
    assert rules("联系电话13912345678") == ["privacy.mobile"]
    assert rules("银行卡号 4111111111111111") == ["privacy.bank-card"]


@pytest.mark.parametrize(
    "text",
    [
        "身份证号3205**********123X",
        "电话139****5678",
        "执法证号32050019001234",
        "信用代码91330299MA2B3C4D59",
        "罚款50000元",
        "当事人张某",
        "订单号 213912345678",  # a mobile-like run inside a longer number is not a phone
    ],
)
def test_privacy_passes_masked_and_harmless_text(text: str) -> None:
    assert rules(text) == []
