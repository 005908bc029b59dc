"""One reused Markdown instance (and the build's memo of each text's HTML) gives exactly the
HTML a fresh ``markdown.markdown`` call gives, whatever was converted before."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml
from gongshi_records import prose
from gongshi_records.prose import EXTENSIONS, clear_memo, markdown_html

ROOT = Path(__file__).parents[1]

# Texts that leave state in a Markdown instance that is not reset: reference definitions,
# raw HTML (the stash), nested and loose lists, tables, a half-open emphasis; each followed
# by texts that would read that state.
STATEFUL = [
    "[法规]: https://example.org/law\n\n见[法规]。\n\n<div>原样的 HTML</div>\n\n"
    + "\n".join(f"{i}. 第{i}项\n\n    - 子项 {i}\n" for i in range(1, 30))
    + "\n| 甲 | 乙 |\n| --- | --- |\n| 1 | 2 |\n\n*未闭合",
    "再见[法规]，这里没有定义。",
    "<div>另一段 HTML</div>\n\n正文",
    "- 一\n- 二\n\n    缩进的续行\n\n3. 三",
    "普通的一段话。",
]


def fresh(text: str) -> str:
    return markdown.markdown(text, extensions=list(EXTENSIONS), output_format="html")


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def every_text() -> list[str]:
    """Every scalar of every YAML file of content/ and tests/examples, as text (BaseLoader:
    no dates or numbers), in a fixed order; Markdown fields are among them. Examples that are
    deliberately not YAML are skipped."""
    texts = []
    for folder in (ROOT / "content", ROOT / "tests" / "examples"):
        for path in sorted(folder.rglob("*.yaml")):
            try:
                data = yaml.load(path.read_text("utf-8"), Loader=yaml.BaseLoader)
            except yaml.YAMLError:
                continue
            texts += strings(data)
    return list(dict.fromkeys(texts))  # each text once, in the order first met


@pytest.fixture(autouse=True)
def empty_memo() -> Iterator[None]:
    clear_memo()
    yield
    clear_memo()


def test_reused_instance_matches_fresh_for_every_text() -> None:
    texts = every_text()
    assert len(texts) > 1000  # the corpus really was read
    for text in texts:
        if prose.renders_as_markdown(text):
            assert prose._convert(text) == fresh(text), text


def test_no_state_carries_over_between_texts() -> None:
    for text in STATEFUL + STATEFUL[::-1]:
        assert prose._convert(text) == fresh(text), text
    assert "<a" not in prose._convert(STATEFUL[1])  # the definition did not survive


def test_a_failed_conversion_does_not_poison_the_next() -> None:
    prose._convert("- 一\n- 二")
    try:
        with pytest.MonkeyPatch.context() as patch:  # a conversion that dies half way
            patch.setattr(prose._converters.markdown.parser, "parseChunk", _explode)
            prose._convert("- 甲\n\n    - 乙")
    except RecursionError:
        pass
    assert prose._convert(STATEFUL[3]) == fresh(STATEFUL[3])


def _explode(*_args: Any) -> None:
    raise RecursionError


def test_memo_returns_the_same_html_and_respects_its_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for text in STATEFUL:
        assert markdown_html(text) == fresh(text)
        assert markdown_html(text) == fresh(text)  # the second answer comes from the memo
    assert set(prose._memo) == set(STATEFUL)
    clear_memo()
    monkeypatch.setattr(prose, "MEMO_CHARS", len(fresh(STATEFUL[4])) + 1)
    for text in reversed(STATEFUL):
        assert markdown_html(text) == fresh(text)
    assert list(prose._memo) == [STATEFUL[4]]  # full after the first: the rest not kept
