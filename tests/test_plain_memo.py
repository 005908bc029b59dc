"""The decisions' plain texts kept from one build to the next (gongshi_exports.plainmemo): the
next build converts only texts it has not seen, gives the same rows, keeps only its own texts,
and ignores a memo of other code or a damaged one."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from gongshi_exports import plainmemo
from gongshi_exports.plainmemo import FILE_NAME, PlainTexts
from gongshi_exports.plaintext import markdown_text

HEADER = b'{"format": "gongshi-plain-texts 2", "key": "code-1"}\n'
TEXTS = ["**罚款**5000元。", "1. 责令改正；\n2. 罚款。", "当事人\n销售过期食品。", "", None]


@pytest.fixture
def conversions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts converted (by the real conversion), in order."""
    seen: list[str] = []

    def counted(source: object) -> str:
        seen.append(str(source))
        return markdown_text(source)

    monkeypatch.setattr(plainmemo, "markdown_text", counted)
    return seen


def convert_all(texts: PlainTexts, sources: list[str | None]) -> list[str]:
    plain = [texts.of(s) for s in sources]
    texts.save(zip(sources, plain, strict=True))
    return plain


def test_the_next_build_converts_only_new_texts(tmp_path: Path, conversions: list[str]) -> None:
    expected = [markdown_text(s) for s in TEXTS]
    assert convert_all(PlainTexts(tmp_path, "code-1"), TEXTS) == expected
    assert len(conversions) == 3  # the empty texts need no conversion
    conversions.clear()

    changed = [*TEXTS[:2], "当事人销售过期饼干。"]
    assert convert_all(PlainTexts(tmp_path, "code-1"), changed) == [
        markdown_text(s) for s in changed
    ]
    assert conversions == ["当事人销售过期饼干。"]

    # Only that build's texts were kept: the one edited away is gone.
    kept = PlainTexts(tmp_path, "code-1").known
    assert sorted(kept.values()) == sorted(markdown_text(s) for s in changed)


def test_a_memo_of_other_code_is_not_used(tmp_path: Path, conversions: list[str]) -> None:
    convert_all(PlainTexts(tmp_path, "code-1"), TEXTS)
    conversions.clear()
    assert convert_all(PlainTexts(tmp_path, "code-2"), TEXTS) == [markdown_text(s) for s in TEXTS]
    assert len(conversions) == 3


@pytest.mark.parametrize(
    "damage",
    [
        b"\x00not json",
        b"[1, 2]\n",
        b"[" * 100_000,
        HEADER + b"not a line\n",
        HEADER + b"0123456789abcdef0123456789abcdef 1\n",
        HEADER + b"0123456789abcdef0123456789abcdef\n",
        HEADER + b'0123456789abcdef0123456789abcdef "\xff"\n',
        HEADER + b'0123 "plain"\n',
    ],
)
def test_a_damaged_memo_is_ignored(
    tmp_path: Path, damage: bytes, conversions: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / FILE_NAME).write_bytes(damage)
    with caplog.at_level(logging.WARNING):
        assert convert_all(PlainTexts(tmp_path, "code-1"), TEXTS) == [
            markdown_text(s) for s in TEXTS
        ]
    assert len(conversions) == 3
    assert FILE_NAME in caplog.text
    assert PlainTexts(tmp_path, "code-1").known  # written again, whole


def test_a_changed_byte_inside_a_text_is_found(tmp_path: Path, conversions: list[str]) -> None:
    """Still a valid line, the wrong text: the trailer's checksum no longer fits."""
    convert_all(PlainTexts(tmp_path, "code-1"), TEXTS)
    path = tmp_path / FILE_NAME
    data = path.read_bytes()
    assert "罚款".encode() in data
    path.write_bytes(data.replace("罚款".encode(), "罚没".encode(), 1))
    assert PlainTexts(tmp_path, "code-1").known == {}
    path.write_bytes(data.rsplit(b"#sha256", 1)[0])  # cut before the trailer
    assert PlainTexts(tmp_path, "code-1").known == {}
    path.write_bytes(data)
    assert len(PlainTexts(tmp_path, "code-1").known) == 3


def test_texts_with_line_breaks_of_any_kind_come_back_whole(tmp_path: Path) -> None:
    sources = ["甲\u2028乙", "丙\r\n\r\n丁", "戊\x85己", "\ud800孤"]
    plain = convert_all(PlainTexts(tmp_path, "code-1"), sources)
    again = PlainTexts(tmp_path, "code-1")
    assert [again.known[plainmemo.text_digest(s)] for s in sources] == plain


def test_without_a_folder_nothing_is_kept(tmp_path: Path, conversions: list[str]) -> None:
    texts = PlainTexts()
    assert convert_all(texts, TEXTS) == [markdown_text(s) for s in TEXTS]
    assert convert_all(texts, TEXTS) == [markdown_text(s) for s in TEXTS]
    assert len(conversions) == 6 and list(tmp_path.iterdir()) == []
