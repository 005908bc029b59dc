"""The fast reading of plain markup (fasthtml.py) answers only where its answer is
html.parser's: on every page of the demo site, and on generated markup of every shape the
fast path takes or refuses."""

from __future__ import annotations

from pathlib import Path

import pytest
from gongshi_portal import sitescan
from gongshi_records import fasthtml
from gongshi_records.fasthtml import Lines, read_simple
from gongshi_records.htmltext import INLINE_TAGS, PageText, read_html
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EXPECTED = Path(__file__).parent / "expected" / "mini"
PAGES = sorted(EXPECTED.rglob("*.html"))
PROPERTY = settings(
    deadline=None,
    max_examples=400,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)

Reading = tuple[list[tuple[int, int, str]], list[tuple[str, list[tuple[int, int, int]]]]]


def by_parser(text: str) -> Reading:
    parser = PageText()
    parser.feed(text)
    parser.close()
    return parser.pieces, parser.blocks


def fast(text: str) -> Reading | None:
    """read_simple's answer with offsets turned into html.parser's lines and columns."""
    simple = read_simple(text, INLINE_TAGS)
    if simple is None:
        return None
    lines = Lines(text)
    pieces = [(*lines.at(at), piece) for at, piece in simple[0]]
    blocks = [(joined, [(o, *lines.at(at)) for o, at in starts]) for joined, starts in simple[1]]
    return pieces, blocks


def test_the_demo_site_has_pages() -> None:
    assert len(PAGES) > 20


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(EXPECTED).as_posix())
def test_every_demo_page_is_read_fast_and_as_html_parser_reads_it(page: Path) -> None:
    text = page.read_text("utf-8")
    assert fast(text) is not None, "a template wrote markup the fast reading refuses"
    assert fast(text) == by_parser(text)


_TEXT = st.lists(
    st.sampled_from(
        [
            *["138", " ", "1234", "\n", "中", "&amp;", "&#49;", "&#x31;", "&nbsp;", "&", ";"],
            *["x", "'", "\\", "u0031", "%31", "13812345678", "\x0b", "\xa0"],
        ]
    ),
    max_size=6,
).map("".join)
_ATTR_VALUE = st.lists(
    st.sampled_from(["1", "a", " ", "&#51;", ">", "<", "'", "中", "13812345678", "\\u0031"]),
    max_size=4,
)
_TAG_NAME = st.sampled_from(
    [
        "p",
        "b",
        "span",
        "td",
        "a",
        "br",
        "div",
        "Strong",
        "script",
        "style",
        "SCRIPT",
        "bdi",
        "abbrx",
    ]
)


@st.composite
def _attribute(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(["title", "href", "data-x", "aria-label", "_x", "x:y"]))
    value = "".join(draw(_ATTR_VALUE))
    quote = draw(st.sampled_from(['"', "'", "", "none"]))
    if quote == "none":
        return f" {name}"
    if not quote and value:
        value = value.replace(" ", "")
    space = draw(st.sampled_from(["", " ", "\xa0"]))
    before = draw(st.sampled_from([" ", "\n", "\x0b", "\xa0", "\u3000"]))
    return f"{before}{name}{space}={space}{quote}{value}{quote}"


@st.composite
def _token(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["start", "end", "comment", "text", "doctype", "stray"]))
    if kind == "start":
        attributes = "".join(draw(st.lists(_attribute(), max_size=3)))
        end = draw(st.sampled_from(["", " ", "/", " /", "\x0b", "\xa0"]))
        return f"<{draw(_TAG_NAME)}{attributes}{end}>"
    if kind == "end":
        return f"</{draw(_TAG_NAME)}{draw(st.sampled_from(['', ' ']))}>"
    if kind == "comment":
        return f"<!--{draw(st.sampled_from(['', ' x ', '-', ' -- ', '中1']))}-->"
    if kind == "doctype":
        return "<!DOCTYPE html>"
    if kind == "stray":
        return draw(
            st.sampled_from(["<", "< p>", "<1>", "<!x>", "<?x?>", "</>", "<p", "<\u017fpan>"])
        )
    return draw(_TEXT)


@PROPERTY
@given(st.lists(_token(), max_size=14).map("".join))
def test_generated_markup_is_read_as_html_parser_reads_it_or_refused(text: str) -> None:
    reading = fast(text)
    if reading is not None:
        assert reading == by_parser(text)


def test_tokens_read_before_are_read_alike_when_the_memory_of_them_is_emptied(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Tokens are remembered (fasthtml._tokens), up to a bound: emptied every few tokens, the
    readings of the demo pages are still html.parser's."""
    monkeypatch.setattr(fasthtml, "_TOKENS_KEPT", 7)
    monkeypatch.setattr(fasthtml, "_tokens", {})
    for page in PAGES[:10]:
        text = page.read_text("utf-8")
        assert fast(text) == by_parser(text)
        assert all(len(known) <= 7 for known in fasthtml._tokens.values())


def test_tag_names_are_ascii_letters_as_html_parser_reads_them() -> None:
    """The long s and the Kelvin sign are not a tag's letters (they were under IGNORECASE)."""
    for text in ["<p>x<\u017fpan>y</p>", "<\u212a>1</\u212a>"]:
        assert read_simple(text, INLINE_TAGS) is None
        reading = read_html(text)
        assert reading is not None and fast(text) is None


def test_a_tag_name_ends_only_where_html_parser_ends_it() -> None:
    """html.parser ends a tag's name only at an ASCII space, ``/`` or ``>``: ``<b\x0bx=1>`` is
    a tag named ``b\x0bx=1``, not an inline ``b``, so it ends the paragraph's block before the
    last digit, and the scan reads the mobile number left in the block."""
    texts = [
        "<p>电话138<b>12345678</b><b\x0bx=1>9</p>",
        "<p\xa0title=1>x</p>",
        "<b x=1\u3000>y</b>",
    ]
    for text in texts:
        assert read_simple(text, INLINE_TAGS) is None, text
    found = [leak.digits for *_at, leak in sitescan._scan_html(texts[0])]
    assert found == ["13812345678"]


def test_markup_outside_the_simple_shapes_goes_to_html_parser() -> None:
    for text in ["<p>1 < 2</p>", "<!-- a -- b -->", "<script>x()</script>", "<p title=a'b>"]:
        assert read_simple(text, INLINE_TAGS) is None, text
        assert read_html(text) is not None


def test_read_html_gives_both_readings_in_page_offsets() -> None:
    simple = "<p>电话 <b>138</b>\n1234</p><i title='5&#54;'>x</i>"
    tolerant = simple + "<p>1 < 2</p>"  # a stray "<": html.parser reads this one
    for text in (simple, tolerant):
        reading = read_html(text)
        assert reading is not None
        assert (9, "138") in reading.pieces and (25, "56") in reading.pieces
        [block, *_] = reading.blocks
        assert block.text == "电话 138\n1234"
        assert block.position(block.text.index("1234"), reading.lines) == (2, 1)
