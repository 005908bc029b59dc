"""Privacy in depth (issue 11, item 5): numbers however they are written, every published string
(identifier fields and file names included), invisible characters, exemptions with a reason
that `gongshi report` lists, and a last scan of the built site."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import shutil
import sys
import time
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import DEMO_AS_OF, FIXTURES, Result, write
from gitrepo import Repo, mini_base
from gongshi_cli.main import main
from gongshi_history.privacy_checks import privacy_exemptions
from gongshi_history.report import RECORD_CHECKS
from gongshi_history.reportfinding import RULE_LABELS
from gongshi_portal import buildcache, cleanlines, sitescan
from gongshi_portal.buildcache import BuildCache
from gongshi_portal.generator import BuildFailed
from gongshi_portal.sitescan import check_output, scan_output
from gongshi_portal.supervision import Supervision
from gongshi_records import privacy, privacy_rules, validate_content
from gongshi_records.forking import PROCESSES_ENV
from gongshi_records.identifiers import normalise_doc_no, uscc_check_char
from gongshi_records.model import walk, walked_once
from gongshi_records.privacy import INVISIBLE, Leak, find_invisible, find_leaks, fold
from gongshi_records.privacy_rules import _holds_no_number, decoded_leaks, site_allowances, strings
from gongshi_records.publication import public_view
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

Run = Callable[..., Result]
DECISION = "agencies/demo-bureau/decisions/2026/2026-001.yaml"
OFFICER = "agencies/demo-bureau/officers/33029900000001.yaml"
PROPERTY = settings(
    deadline=None,
    max_examples=200,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


def leaks(text: str) -> list[tuple[str, str]]:
    return [(leak.rule, leak.text) for leak in find_leaks(text)]


# --- the scanner: every way of writing a number the issue lists ---------------------------


@pytest.mark.parametrize(
    ("text", "rule", "written"),
    [
        ("电话 138 1234 5678。", "privacy.mobile", "138 1234 5678"),
        ("电话138-1234-5678", "privacy.mobile", "138-1234-5678"),
        ("电话 +86 138 1234 5678", "privacy.mobile", "+86 138 1234 5678"),
        ("电话+8613812345678", "privacy.mobile", "+8613812345678"),
        ("电话8613812345678", "privacy.mobile", "8613812345678"),
        ("电话0086-138-1234-5678", "privacy.mobile", "0086-138-1234-5678"),
        ("电话１３８１２３４５６７８", "privacy.mobile", "１３８１２３４５６７８"),
        ("电话 １３８－１２３４－５６７８", "privacy.mobile", "１３８－１２３４－５６７８"),
        ("电话138\u200b12345678", "privacy.mobile", "138\u200b12345678"),
        (
            "电话1\u200c3\u200d8\u20601234\ufeff5678",
            "privacy.mobile",
            "1\u200c3\u200d8\u20601234\ufeff5678",
        ),
        ("电话138\u202e1234\u202c5678", "privacy.mobile", "138\u202e1234\u202c5678"),
        ("电话 138\u00a01234\u00a05678", "privacy.mobile", "138\u00a01234\u00a05678"),
        ("电话 138\u30001234\u30005678", "privacy.mobile", "138\u30001234\u30005678"),
        ("电话 138.1234.5678", "privacy.mobile", "138.1234.5678"),
        ("电话 138·1234·5678", "privacy.mobile", "138·1234·5678"),
        ("卡号 6222 0210 0112 3456 789", "privacy.bank-card", "6222 0210 0112 3456 789"),
        ("卡号 6222-0210-0112-3456-789", "privacy.bank-card", "6222-0210-0112-3456-789"),
        (
            "卡号６２２２０２１００１１２３４５６７８９",
            "privacy.bank-card",
            "６２２２０２１００１１２３４５６７８９",
        ),
        ("身份证 110105 19491231 002X", "privacy.id-number", "110105 19491231 002X"),
        ("身份证 110105 1949 1231 002X", "privacy.id-number", "110105 1949 1231 002X"),
        (
            "身份证１１０１０５１９４９１２３１００２Ｘ",
            "privacy.id-number",
            "１１０１０５１９４９１２３１００２Ｘ",
        ),
        ("身份证11010519491231\u200b002x", "privacy.id-number", "11010519491231\u200b002x"),
        ("旧证 110105 491231 002", "privacy.id-number", "110105 491231 002"),
    ],
)
def test_reformatted_numbers_are_found_where_they_are_written(
    text: str, rule: str, written: str
) -> None:
    [leak] = find_leaks(text)
    assert (leak.rule, leak.text) == (rule, written)
    assert text[leak.offset : leak.offset + len(leak.text)] == written


@pytest.mark.parametrize(
    "text",
    [
        "执法证号 32050019001234",  # 14 digits: no mobile inside
        "信用代码 91330299MA2B3C4D59",
        "订单号 213912345678",  # a mobile-like run inside a longer number
        "编号 A13812345678",  # a letter makes it one identifier
        "2024-05-06 至 2025-05-05",
        "2024.05.06",
        "罚款 13 812 345 678 元",  # thousands, grouped by three
        "罚款 13,812,345,678.00 元",
        "M944.1638 190.4856 L123 760",  # chart coordinates: mixed separators
        "律师执业证号 13302201910123456",  # 17 digits starting 1: no card issuer
        "0571-88880000",
        "2026-11-24T00:00:00+08:00",
        hashlib.sha256(b"x").hexdigest(),
        "3205**********123X 139****5678 张某",
        "第 138 页 1234 行 5678 字",  # words between: no run
        "电话 138  -  1234 5678",  # separators too long
    ],
)
def test_harmless_numbers_are_not_taken_for_personal_data(text: str) -> None:
    assert leaks(text) == []


def test_fold_keeps_every_offset() -> None:
    text = "１３８\u200b－ＡＢ\u3000"
    assert fold(text) == "138\u200b-AB " and len(fold(text)) == len(text)
    assert [name for _offset, name in find_invisible(text)] == ["零宽空格"]


_PIECES = st.sampled_from(
    [
        "1",
        "3",
        "8",
        "6",
        "0",
        "X",
        "１",
        "８",
        "Ｘ",
        " ",
        "-",
        ".",
        "－",
        "\u3000",
        "+",
        "a",
        "号",
        *INVISIBLE,
    ]
)


@PROPERTY
@given(st.lists(_PIECES, max_size=60).map("".join))
def test_every_leak_maps_back_to_the_text(text: str) -> None:
    for leak in find_leaks(text):
        assert text[leak.offset : leak.offset + len(leak.text)] == leak.text
        assert leak.text and leak.text[0] not in INVISIBLE and leak.text[-1] not in INVISIBLE


@PROPERTY
@given(
    st.sampled_from(["13812345678", "15900001111", "19912345678"]),
    st.sampled_from([(3, 4, 4), (3, 8), (7, 4), (11,)]),
    st.sampled_from([" ", "-", ".", "－", "\u00a0", "\u3000"]),
    st.sampled_from(["", "+86 ", "86-", "+86"]),
    st.booleans(),
    st.lists(st.sampled_from(list(INVISIBLE)), max_size=3),
    st.sampled_from(["电话", "联系人：", "(", "，"]),
)
def test_a_mobile_however_written_is_found_and_located(
    number: str,
    shape: tuple[int, ...],
    separator: str,
    country: str,
    wide: bool,
    hidden: list[str],
    before: str,
) -> None:
    parts, at = [], 0
    for size in shape:
        parts.append(number[at : at + size])
        at += size
    written = country + separator.join(parts)
    if wide:
        written = written.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})
    for i, char in enumerate(hidden):  # invisible characters inside the digits
        spot = 1 + (i * 3) % (len(written) - 1)
        written = written[:spot] + char + written[spot:]
    text = before + written + "。"
    [leak] = find_leaks(text)
    assert leak.rule == "privacy.mobile" and leak.digits == number
    assert text[leak.offset : leak.offset + len(leak.text)] == leak.text
    assert leak.offset == len(before) and leak.text == written


def test_scanning_stays_linear() -> None:
    """Pathological text (one long word, one long run of groups) takes time in proportion to
    its length: a backtracking pattern would take hours on these."""
    texts = [
        "a" * 100_000 + "1",
        "1 " * 50_000,
        "1234 " * 20_000,
        "\u200b1" * 50_000,
        "a1" * 50_000,
    ]
    start = time.perf_counter()
    for text in texts:
        list(find_leaks(text))
    assert time.perf_counter() - start < 10


# --- records: every published string, identifier fields and file names included ------------


def found(content: Path) -> list[tuple[str, str, int, int, str]]:
    return [
        (str(f.severity), f.rule, f.line, f.col, f.path.rsplit("/", 1)[-1])
        for f in validate_content(content).findings
    ]


def edit(content: Path, relative: str, old: str, new: str) -> None:
    path = content / relative
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_mobile_in_the_doc_no(mini: Path) -> None:
    edit(mini, DECISION, "测市监处罚〔2026〕1号", "测市监处罚〔2026〕1号 138-1234-5678")
    assert ("error", "privacy.mobile", 1, 23, "2026-001.yaml") in found(mini)


def test_an_id_number_in_a_credit_code_field(mini: Path) -> None:
    # The shape of a credit code, a resident ID's check digit: not a valid code, so scanned.
    edit(mini, DECISION, "credit_code: 91330299MA2B3C4D59", 'credit_code: "11010519491231002X"')
    result = found(mini)
    assert ("error", "privacy.id-number", 6, 17, "2026-001.yaml") in result


def test_a_valid_credit_code_is_a_credit_code(mini: Path) -> None:
    body = "11010519491231002"  # a resident ID's digits with a credit code's check character
    code = body + str(uscc_check_char(body))
    edit(mini, DECISION, "credit_code: 91330299MA2B3C4D59", f'credit_code: "{code}"')
    assert [r for r in found(mini) if r[1].startswith("privacy")] == []


def test_licence_certificate_and_adviser_licence_numbers(mini: Path) -> None:
    write(
        mini / "agencies/demo-bureau/decisions/2026/2026-002.yaml",
        "doc_no: 测市监许〔2026〕2号\n"
        "category: 行政许可\n"
        "party: {name: 张某, kind: 自然人}\n"
        "content: 准予许可。\n"
        "decided_on: 2026-04-10\n"
        'officers: ["33029900000001"]\n'
        "license:\n"
        "  doc_name: 食品经营许可决定书\n"
        "  kind: 普通\n"
        '  certificate_no: "110105194912310021"\n',
    )
    adviser = "agencies/demo-bureau/advisers/zhao-lawyer.yaml"
    edit(mini, adviser, "kind: 法律顾问\n", 'kind: 法律顾问\nlicence_no: "13800138000"\n')
    result = found(mini)
    # 110105194912310021 has a wrong check digit: only the 11-digit licence is personal data.
    assert ("error", "privacy.mobile", 3, 14, "zhao-lawyer.yaml") in result
    assert not [r for r in result if r[4] == "2026-002.yaml" and r[1].startswith("privacy")]


def test_an_id_number_as_a_licence_certificate_number(mini: Path) -> None:
    write(
        mini / "agencies/demo-bureau/decisions/2026/2026-002.yaml",
        "doc_no: 测市监许〔2026〕2号\n"
        "category: 行政许可\n"
        "party: {name: 张某, kind: 自然人}\n"
        "content: 准予许可。\n"
        "decided_on: 2026-04-10\n"
        'officers: ["33029900000001"]\n'
        "license: {certificate_no: '11010519491231002X'}\n",
    )
    assert ("error", "privacy.id-number", 7, 28, "2026-002.yaml") in found(mini)


def test_attachment_file_names_are_scanned(mini: Path) -> None:
    write(mini / "agencies/demo-bureau/files/2026/张某13812345678.pdf", "%PDF-1.4\n")
    edit(
        mini,
        DECISION,
        "decided_on: 2026-04-10\n",
        "decided_on: 2026-04-10\nattachments:\n"
        "  - {title: 决定书, file: 2026/张某13812345678.pdf}\n",
    )
    assert ("error", "privacy.mobile", 18, 31, "2026-001.yaml") in found(mini)


def test_full_width_and_zero_width_in_a_literal_block(mini: Path) -> None:
    edit(
        mini,
        DECISION,
        "销售超过保质期的饼干12包。",
        "销售超过保质期的饼干12包。\n  联系电话１３８\u200b１２３４５６７８。",
    )
    result = found(mini)
    assert ("error", "privacy.mobile", 11, 1, "2026-001.yaml") in result
    assert ("error", "text.invisible", 11, 1, "2026-001.yaml") in result


def test_certificate_numbers_follow_the_portal_pattern(mini: Path) -> None:
    """An 11-digit certificate number starting 13 is a mobile number unless the portal says
    certificate numbers look like that (河北: 13…)."""
    officer = "agencies/demo-bureau/officers/13812345678.yaml"
    text = (mini / OFFICER).read_text("utf-8").replace("33029900000001", "13812345678")
    write(mini / officer, text.replace("欧阳明轩", "王某"))
    result = found(mini)
    assert ("error", "privacy.mobile", 2, 10, "13812345678.yaml") in result
    edit(
        mini, "portal.yaml", "publisher:", 'cert_no_pattern: "(?:3302|138)[0-9]{7,10}"\npublisher:'
    )
    assert [r for r in found(mini) if r[1].startswith("privacy")] == []


def test_a_certificate_number_in_a_decision_list(mini: Path) -> None:
    edit(mini, DECISION, 'reviewers: ["33029900000003"]', 'reviewers: ["110105194912310021"]')
    edit(mini, DECISION, '"33029900000002"]', '"11010519491231002X"]')
    result = found(mini)
    assert ("error", "privacy.id-number", 17, 30, "2026-001.yaml") in result


@pytest.mark.parametrize(
    ("old", "new", "line", "col"),
    [
        ("name: 东江市测试区青禾食品有限公司", "name: 东江市测试区\u202e司公限有品食禾青", 4, 15),
        ("legal_rep: 陈某", "legal_rep: 陈\u200b某", 7, 15),
        ("violation: 经营超过保质期的食品", 'violation: "经营超过\u2066保质期的食品"', 8, 17),
    ],
)
def test_invisible_characters_in_names(mini: Path, old: str, new: str, line: int, col: int) -> None:
    edit(mini, DECISION, old, new)
    assert ("error", "text.invisible", line, col, "2026-001.yaml") in found(mini)


def test_invisible_characters_in_an_officer_name(mini: Path) -> None:
    edit(mini, OFFICER, "name: 欧阳明轩", "name: 欧阳\u200d明轩")
    [finding] = [f for f in validate_content(mini).findings if f.rule == "text.invisible"]
    assert (finding.line, finding.col) == (1, 9)
    assert "U+200D" in finding.message and "零宽连字" in finding.message


# --- exemptions ------------------------------------------------------------------------------

HOTLINE = (
    "privacy_exemptions:\n"
    '  - text: "139 5710 0000"\n'
    "    reason: 本局对外公布的投诉举报手机，不是个人号码\n"
)


def test_an_exemption_lets_exactly_its_text_through(mini: Path) -> None:
    agency = "agencies/demo-bureau/agency.yaml"
    edit(mini, agency, "phone: 0571-88880000\n", "phone: 139 5710 0000\n")
    assert ("error", "privacy.mobile", 6, 8, "agency.yaml") in found(mini)
    (mini / agency).write_text((mini / agency).read_text("utf-8") + HOTLINE, "utf-8")
    assert found(mini) == []
    # Written differently elsewhere: not what was exempted.
    edit(
        mini,
        agency,
        "负责本区市场监督管理执法。",
        "负责本区市场监督管理执法，举报电话13957100000。",
    )
    assert [r[1] for r in found(mini)] == ["privacy.mobile"]


def test_an_unused_exemption_is_a_warning(mini: Path) -> None:
    agency = "agencies/demo-bureau/agency.yaml"
    (mini / agency).write_text((mini / agency).read_text("utf-8") + HOTLINE, "utf-8")
    assert found(mini) == [("warning", "privacy.exemption-unused", 12, 11, "agency.yaml")]


def test_an_exemption_needs_a_reason(mini: Path) -> None:
    agency = "agencies/demo-bureau/agency.yaml"
    text = HOTLINE.replace(
        "    reason: 本局对外公布的投诉举报手机，不是个人号码\n", "    reason: ' '\n"
    )
    (mini / agency).write_text((mini / agency).read_text("utf-8") + text, "utf-8")
    rules = [r[1] for r in found(mini)]
    assert "privacy_exemptions.0.reason" in rules


def test_report_lists_every_exemption(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gongshi: Run
) -> None:
    """Listed for the supervisor with its reason; not a problem: the report still exits 0 and
    the public supervision pages do not count it among 合规问题."""
    assert privacy_exemptions in RECORD_CHECKS and RULE_LABELS["privacy-exemption"]
    files = mini_base()
    agency = "content/agencies/demo-bureau/agency.yaml"
    files[agency] = files[agency].replace("0571-88880000", "139 5710 0000") + HOTLINE
    repo = Repo(tmp_path / "repo")
    repo.commit(files, "2026-01-02T10:00:00+08:00")
    monkeypatch.chdir(repo.root)
    text = gongshi("report", "--as-of", "2026-03-01")
    assert text.code == 0, text.out + text.err
    assert f"{agency}: [privacy-exemption] 隐私检查豁免「139 5710 0000」" in text.out
    assert "0 个问题" in text.err
    data = gongshi("report", "--as-of", "2026-03-01", "--format", "json").json()
    [listed] = [f for f in data["findings"] if f["rule"] == "privacy-exemption"]
    assert listed["path"] == agency and listed["agency"] == "demo-bureau"
    assert "投诉举报手机" in listed["message"]
    corpus = validate_content(repo.root / "content").corpus
    supervision = Supervision(corpus, public_view(corpus, dt.date(2026, 3, 1)), dt.date(2026, 3, 1))
    assert supervision.count("demo-bureau") == 0


# --- the built site ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mini_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("mini-site")
    content = root / "content"
    shutil.copytree(FIXTURES / "mini", content)
    output = root / "out"
    args = ["build", "--content", str(content), "--output", str(output), "--as-of", DEMO_AS_OF]
    assert main(args) == 0
    return output


def test_the_clean_mini_site_has_no_finding(mini_site: Path) -> None:
    assert scan_output(mini_site) == []


@pytest.mark.parametrize("processes", ["1", "2"])  # read here, and by two forked workers
def test_leaks_planted_in_the_built_site_are_found(
    mini_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, processes: str
) -> None:
    monkeypatch.setenv(PROCESSES_ENV, processes)
    site = tmp_path / "site"
    shutil.copytree(mini_site, site)
    page = site / "index.html"
    lines = page.read_text("utf-8").splitlines()
    lines.insert(
        3, '<p title="联系 138&#8203;1234&#x200B;5678">身份证 110105&nbsp;19491231&nbsp;002X</p>'
    )
    page.write_text("\n".join(lines) + "\n", "utf-8")
    shard = next((site / "search").rglob("*.json"))
    shard.write_text(shard.read_text("utf-8") + '\n["\\u0031\\u0033\\u0038 1234 5678"]\n', "utf-8")
    (site / "data" / "leak.csv").write_text('a,b\n"x","6222 0210 0112 3456 789"\n', "utf-8")
    sitemap = site / "sitemap.xml"
    sitemap.write_text(
        sitemap.read_text("utf-8") + "<!-- https://x.invalid/%E2%80%8B13812345678 -->\n", "utf-8"
    )
    (site / "files").mkdir(exist_ok=True)
    (site / "files" / "张某+86 13812345678.pdf").write_bytes(b"%PDF")
    found_ = {(f.path, f.line, f.rule) for f in scan_output(site, prefix="out/")}
    shard_path = "out/" + shard.relative_to(site).as_posix()
    shard_line = len(shard.read_text("utf-8").splitlines())
    assert found_ >= {
        ("out/index.html", 4, "privacy.mobile"),
        ("out/index.html", 4, "privacy.id-number"),
        (shard_path, shard_line, "privacy.mobile"),
        ("out/data/leak.csv", 2, "privacy.bank-card"),
        ("out/sitemap.xml", len(sitemap.read_text("utf-8").splitlines()), "privacy.mobile"),
        ("out/files/张某+86 13812345678.pdf", 1, "privacy.mobile"),
    }, found_
    assert len(found_) == 6


def test_allowed_texts_pass_the_site_scan(mini_site: Path, tmp_path: Path, mini: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(mini_site, site)
    (site / "hotline.html").write_text("<p>举报 +86 139-5710-0000</p>\n", "utf-8")
    assert [f.rule for f in scan_output(site)] == ["privacy.mobile"]
    agency = mini / "agencies/demo-bureau/agency.yaml"
    agency.write_text(agency.read_text("utf-8") + HOTLINE, "utf-8")
    allowed = site_allowances(validate_content(mini).corpus)
    assert "139 5710 0000" in allowed and "91330299MA2B3C4D59" in allowed
    assert scan_output(site, allowed) == []


def test_the_demo_site_has_no_finding(demo_site: Path) -> None:
    """Certificate numbers, credit codes, dates, amounts, hashes, search-index numbers: none
    of the real demo output is taken for personal data."""
    corpus = validate_content(Path(__file__).parents[1] / "content").corpus
    assert scan_output(demo_site) == []
    assert scan_output(demo_site, site_allowances(corpus)) == []


def test_site_allowances_are_every_valid_code_and_certificate_of_the_demo() -> None:
    """What walking every string of every record allowed (as site_allowances did first)."""
    corpus = validate_content(Path(__file__).parents[1] / "content").corpus
    pattern = privacy_rules._cert_pattern(corpus)
    walked = set()
    for record in corpus:
        walked.update(e.text for e in privacy_rules.exemptions(record))
        for where, value in strings(record.data):
            cert = privacy_rules.is_cert_field(record.kind, where)
            if (cert and privacy_rules._matches(pattern, value)) or (
                privacy_rules._is_valid_credit_code(where, value)
            ):
                walked.add(value)
    assert site_allowances(corpus) == walked
    assert any(len(value) == 18 for value in walked)  # credit codes among them


_JSON = st.recursive(
    st.none() | st.integers() | st.sampled_from(["x", "91330299MA2B3C4D59", ""]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(["credit_code", "party", "name", "0"]), inner, max_size=4)
    ),
    max_leaves=20,
)


@PROPERTY
@given(_JSON)
def test_credit_code_values_are_the_strings_named_credit_code(data: object) -> None:
    expected = [v for where, v in strings(data) if where and where[-1] == "credit_code"]
    assert sorted(privacy_rules.credit_code_values(data)) == sorted(expected)


def test_check_output_stops_a_publish_build_and_warns_a_preview(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    site = tmp_path / "site"
    write(site / "index.html", "<p>ok</p>\n<p>联系人 138-1234-5678</p>\n")
    with pytest.raises(BuildFailed) as stopped:
        check_output(site, publish=True, prefix="output/")
    [finding] = stopped.value.findings
    assert (finding.path, finding.line, finding.col, finding.rule) == (
        "output/index.html",
        2,
        8,
        "privacy.mobile",
    )
    assert "138****5678" in finding.message and "138-1234-5678" not in finding.message
    with caplog.at_level(logging.WARNING):
        assert len(check_output(site, publish=False)) == 1
    assert "index.html:2:8" in caplog.text
    assert check_output(site, ["138-1234-5678"], publish=True) == []


def test_an_exemption_reason_is_scanned_like_any_text(mini: Path) -> None:
    agency = "agencies/demo-bureau/agency.yaml"
    edit(mini, agency, "phone: 0571-88880000\n", "phone: 139 5710 0000\n")
    reason = HOTLINE.replace("不是个人号码", "不是个人号码，原为张某 13800138000 所用")
    (mini / agency).write_text((mini / agency).read_text("utf-8") + reason, "utf-8")
    assert [r[:3] for r in found(mini)] == [("error", "privacy.mobile", 13)]


def test_entities_and_url_escapes_in_markdown_are_decoded(mini: Path) -> None:
    edit(
        mini,
        DECISION,
        "content: |\n  没收违法所得120元，罚款50000元。\n",
        "content: |\n  没收违法所得120元，罚款50000元。\n  联系 138&#8203;1234&#x200b;5678。\n"
        "  [电话](tel:%2B86%20139%205710%200000)\n",
    )
    result = [r for r in found(mini) if r[1] == "privacy.mobile"]
    assert result == [
        ("error", "privacy.mobile", 16, 1, "2026-001.yaml"),
        ("error", "privacy.mobile", 17, 1, "2026-001.yaml"),
    ]


# --- review of issue 11: what the first version let through -------------------------------


@pytest.mark.parametrize(
    ("text", "rule", "written"),
    [
        ("电话139 1234-5678。", "privacy.mobile", "139 1234-5678"),
        ("电话 139-1234 5678", "privacy.mobile", "139-1234 5678"),
        ("电话 +86 139 1234-5678", "privacy.mobile", "+86 139 1234-5678"),
        ("电话 139 - 1234 5678", "privacy.mobile", "139 - 1234 5678"),
        ("身份证 110105 19491231-002X", "privacy.id-number", "110105 19491231-002X"),
        ("卡号 6222 0210-0112 3456 789", "privacy.bank-card", "6222 0210-0112 3456 789"),
    ],
)
def test_mixed_separators_in_one_number(text: str, rule: str, written: str) -> None:
    [leak] = find_leaks(text)
    assert (leak.rule, leak.text) == (rule, written)


@pytest.mark.parametrize(
    "text",
    [
        "坐标 190.4856 1234-5678",  # a dot never mixes: two decimals, not a number
        "金额 138 1234.5678 元",
        "M190.4856 1234.5678 L12 34",
        "2024-05-06 1234 5678",
        "罚款 13 812-345 678 元",
        "2026-11-24 至 2026-12-24",
    ],
)
def test_mixed_separators_leave_dates_and_amounts_alone(text: str) -> None:
    assert leaks(text) == []


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("微信wx13712345678", "13712345678"),
        ("QQ13712345678", "13712345678"),
        ("联系tel13712345678。", "13712345678"),
        ("手机13712345678", "13712345678"),
        ("13712345678wx", "13712345678"),
        ("Tel8613712345678", "8613712345678"),
        ("wx\u200b137\u200b12345678 ok", "137\u200b12345678"),
    ],
)
def test_letters_glued_to_a_mobile(text: str, written: str) -> None:
    [leak] = find_leaks(text)
    assert (leak.rule, leak.text, leak.digits) == ("privacy.mobile", written, "13712345678")
    assert text[leak.offset : leak.offset + len(leak.text)] == written


def test_letters_glued_to_an_id_number() -> None:
    assert leaks("ID11010519491231002X") == [("privacy.id-number", "11010519491231002X")]


@pytest.mark.parametrize(
    "text",
    [
        "commit 11f6ad8ec52a2984abaafd7c3b516503785c2072",
        "commit deadbeefcafe1371234567813712345678137123",  # 40 hex, a long digit tail
        f"sha256 {hashlib.sha256(b'wx13712345678').hexdigest()}",
        "信用代码 YA6222021001100283",  # valid: its 16-digit tail would pass as a bank card
        "信用代码 91330200MA2XXXXXXX",
        "编号 A13812345678",  # one letter: a serial's prefix
        "编号 wx1371234567",  # ten digits
        "编号 ab13712345678cd",  # digits between letters: one identifier
    ],
)
def test_identifiers_with_letters_stay_identifiers(text: str) -> None:
    assert uscc_check_char("YA622202100110028") == "3"
    assert leaks(text) == []


_IGNORABLE = [
    "\u034f",
    "\ufe00",
    "\ufe0f",
    "\u115f",
    "\u1160",
    "\u3164",
    "\uffa0",
    "\u180b",
    "\u180f",
    "\U000e0001",
    "\U000e0041",
    "\U000e0fff",
]


@pytest.mark.parametrize("char", _IGNORABLE)
def test_every_default_ignorable_character_is_invisible(char: str) -> None:
    text = f"电话138{char}1234{char}5678"
    assert [offset for offset, _name in find_invisible(text)] == [5, 10]
    [leak] = find_leaks(text)
    assert leak.digits == "13812345678" and leak.text == text[2:]
    assert normalise_doc_no(f"测市监{char}处罚〔2026〕1{char}号") == "测市监处罚〔2026〕1号"


def test_invisible_covers_every_format_character() -> None:
    """The written-out ranges agree with the categories DerivedCoreProperties.txt derives
    Default_Ignorable_Code_Point from, where Python can tell: every format character (Cf) but
    the visible ones the property excludes, and every variation selector."""
    visible_formats = {0x0600, 0x0601, 0x0602, 0x0603, 0x0604, 0x0605, 0x06DD, 0x070F}
    visible_formats |= {0x0890, 0x0891, 0x08E2, 0x110BD, 0x110CD, 0xFFF9, 0xFFFA, 0xFFFB}
    visible_formats |= set(range(0x13430, 0x13441))  # Egyptian hieroglyph format controls
    for code in range(0x110000):
        char = chr(code)
        if unicodedata.category(char) == "Cf" and code not in visible_formats:
            assert char in INVISIBLE, f"U+{code:04X}"
        if "VARIATION SELECTOR" in unicodedata.name(char, ""):
            assert char in INVISIBLE, f"U+{code:04X}"


def test_a_variation_selector_in_a_name_is_reported(mini: Path) -> None:
    edit(mini, OFFICER, "name: 欧阳明轩", "name: 欧阳\ufe0f明轩")
    [finding] = [f for f in validate_content(mini).findings if f.rule == "text.invisible"]
    assert "U+FE0F" in finding.message and "变体选择符" in finding.message


def test_emphasis_splitting_a_number_in_the_built_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write(
        site / "index.html",
        "<main>\n<p>联系 135<strong>1234</strong>5678</p>\n"
        # A line break inside the cell: the two halves are not one number.
        "<table><tr><td>138<em>1234</em>\n5678</td><td>ok 2026-11-24</td></tr></table>\n"
        "<ul><li>卡 6222 <b>0210</b> 0112 3456 789</li><li>13</li><li>812345678</li></ul>\n"
        "<h2>139<span>-1234-</span>5678</h2>\n</main>\n",
    )
    found_ = [(f.line, f.col, f.rule) for f in scan_output(site)]
    assert found_ == [
        (2, 7, "privacy.mobile"),
        (5, 11, "privacy.bank-card"),
        (6, 5, "privacy.mobile"),
    ], found_


PAGE = "pages/about.md"


def test_emphasis_and_entities_in_a_markdown_page(mini: Path) -> None:
    write(
        mini / PAGE,
        "Title: 关于\nSlug: about\n\n联系 135**1234**5678。\n\n"
        "电话 &#49;&#51;&#56;&#49;&#50;&#51;&#52;&#53;&#54;&#55;&#56;\n\n"
        "手机 139\\-5710\\-0001\n",
    )
    result = [(f.rule, f.line, f.col) for f in validate_content(mini).findings]
    expected = [("privacy.mobile", 4, 1), ("privacy.mobile", 6, 1), ("privacy.mobile", 8, 1)]
    assert result == expected, result


def test_a_mobile_in_an_agency_folder_name(mini: Path) -> None:
    (mini / "agencies/demo-bureau").rename(mini / "agencies/bureau-13812345678")
    result = [f for f in validate_content(mini).findings if f.rule == "privacy.mobile"]
    assert [(f.path.rsplit("/", 1)[-1], f.line, f.col) for f in result] == [("agency.yaml", 1, 1)]
    assert "bureau-13812345678" in result[0].message and "改名" in result[0].message


def test_a_mobile_as_a_record_file_name(mini: Path) -> None:
    advisers = mini / "agencies/demo-bureau/advisers"
    (advisers / "zhao-lawyer.yaml").rename(advisers / "13812345678.yaml")
    assert found(mini) == [("error", "privacy.mobile", 1, 1, "13812345678.yaml")]


def test_an_officer_file_named_by_its_certificate_number(mini: Path) -> None:
    """An officer's file is named by its certificate number: the portal's cert_no_pattern
    decides about it, once, in certificate_privacy."""
    officers = mini / "agencies/demo-bureau/officers"
    edit(mini, OFFICER, "33029900000001", "13912345678")
    (officers / "33029900000001.yaml").rename(officers / "13912345678.yaml")
    pattern = 'cert_no_pattern: "1[0-9]{10}|[0-9]{14}"\npublisher:'
    edit(mini, "portal.yaml", "publisher:", pattern)
    assert [r for r in found(mini) if r[1].startswith("privacy")] == []


def test_one_walker_for_every_rule() -> None:
    data = {"a": [1, {"b": "x"}], "c": "y"}
    assert list(walk(data)) == [
        ((), data),
        (("a",), [1, {"b": "x"}]),
        (("a", 0), 1),
        (("a", 1), {"b": "x"}),
        (("a", 1, "b"), "x"),
        (("c",), "y"),
    ]
    assert list(strings(data)) == [(("a", 1, "b"), "x"), (("c",), "y")]


def test_the_rules_of_one_record_share_one_walk() -> None:
    """Inside walked_once the record's walk is made once (the rules do not change the data);
    outside it, and for any other value, every walk is a new one."""
    data = {"a": [1, {"b": "x"}], "c": "y"}
    other = {"a": [1, {"b": "x"}], "c": "y"}
    with walked_once(data):
        first = walk(data)
        assert walk(data) is first and first == walk(other) and walk(other) is not first
        assert walk(data["a"], ("a",)) == first[1:5]
    assert walk(data) is not first and walk(data) == first
    data["c"] = "z"  # changed after the rules ran: a later walk sees it
    assert walk(data)[-1] == (("c",), "z")
    ordered = {"a": OrderedDict(b="x")}  # any mapping or list is walked into, subclasses too
    assert walk(ordered)[-1] == (("a", "b"), "x")


def test_the_quick_test_for_invisible_characters_knows_exactly_the_table() -> None:
    """find_invisible passes over text in which one regex search finds none: the regex and
    the table of invisible characters must agree on every code point."""
    disagree = [
        code
        for code in range(sys.maxunicode + 1)
        if (privacy._HAS_INVISIBLE.match(chr(code)) is None) == (chr(code) in INVISIBLE)
    ]
    assert disagree == []


def test_the_site_scan_skips_only_files_it_saw_clean_with_the_same_bytes(tmp_path: Path) -> None:
    """With the build cache, a file scanned without any candidate number is skipped next time
    while its bytes stay the same; a file that held one is always scanned again, and so is a
    clean file whose bytes changed."""
    site = tmp_path / "site"
    cache = BuildCache(tmp_path / "cache", site)
    pages = {
        "clean.html": "<p>2026-11-24 公示</p>\n",
        "leak.html": "<p>联系 13812345678</p>\n",
    }
    for name, text in pages.items():
        cache.write(name, site / name, text.encode("utf-8"))
    first = {f.path for f in scan_output(site, cache=cache)}
    assert first == {"leak.html"}
    assert cache.is_clean("clean.html", site / "clean.html")
    assert not cache.is_clean("leak.html", site / "leak.html")
    assert {f.path for f in scan_output(site, cache=cache)} == {"leak.html"}  # still found
    cache.write("clean.html", site / "clean.html", "<p>电话 13912345678</p>\n".encode())
    assert not cache.is_clean("clean.html", site / "clean.html")
    assert {f.path for f in scan_output(site, cache=cache)} == {"leak.html", "clean.html"}


def test_text_lines_found_clean_are_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A data file with rows changed: only those rows are read again (a row with too few digits
    to hold a number is not read at all), and the findings are those of a scan without the
    build cache."""
    site = tmp_path / "site"
    cache = BuildCache(tmp_path / "cache", site)
    rows = [f"{n},某某公司,罚款{n}元" for n in range(200)]
    data = site / "data/decisions.csv"
    cache.write("data/decisions.csv", data, "\n".join(rows).encode("utf-8"))
    assert scan_output(site, cache=cache) == []
    rows[50] = "50,张某,电话 13812345678"
    rows[120] = "120,某某公司,案号 2024-0101-0120 罚款 300 元"  # digits, but no number
    rows[150] = "150,某某公司,罚款一百五十元"
    cache.write("data/decisions.csv", data, "\n".join(rows).encode("utf-8"))
    read: list[str] = []
    variants = sitescan._variants_leaks

    def counted(text: str) -> Iterator[Leak]:
        read.append(text)
        return variants(text)

    monkeypatch.setattr(sitescan, "_variants_leaks", counted)
    found = scan_output(site, cache=cache)
    assert sorted(read) == sorted(["data/decisions.csv", rows[50], rows[120]])
    assert [(f.path, f.line) for f in found] == [("data/decisions.csv", 51)]
    assert found == scan_output(site)  # without the cache: the same
    read.clear()  # a line that held a number is read every time
    assert scan_output(site, cache=cache) == found
    assert read == ["data/decisions.csv", rows[50]]


def test_files_found_clean_by_other_scan_code_are_scanned_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    cache = BuildCache(tmp_path / "cache", site)
    cache.write("a.html", site / "a.html", "<p>公示</p>".encode())
    scan_output(site, cache=cache)
    cache.save()
    assert BuildCache(tmp_path / "cache", site).previous["a.html"].clean
    monkeypatch.setattr(buildcache, "scan_code_key", lambda: b"new patterns".ljust(32))
    assert not BuildCache(tmp_path / "cache", site).previous["a.html"].clean


def test_clean_lines_made_by_other_scan_code_are_forgotten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    cache = BuildCache(tmp_path / "cache", site)
    # Lines with enough digits to be read (and remembered when clean): two dates each.
    cache.write(
        "a.txt", site / "a.txt", "2026-01-05 至 2026-02-06\n2026-03-05 至 2026-04-06\n".encode()
    )
    scan_output(site, cache=cache)
    assert len(cleanlines.load(cache.folder)) == 2
    monkeypatch.setattr(cleanlines, "scan_code_key", lambda: b"other code".ljust(32))
    assert cleanlines.load(cache.folder) == frozenset()


@PROPERTY
@given(st.lists(_PIECES, max_size=60).map("".join))
def test_the_shortcuts_find_what_reading_every_group_finds(text: str) -> None:
    """find_leaks skips texts with fewer than 11 digits and reads only the runs of word
    characters and separators long enough to hold a number: the same leaks as reading every
    group of the whole text."""
    everything = list(privacy._run_leaks(text, fold(text), 0, len(text)))
    assert list(find_leaks(text)) == everything


@pytest.mark.parametrize(
    ("text", "passed_over"),
    [
        ("公示至 2028年7月16日", True),  # ten digits, no escape
        ('  "fine_yuan": 20000,', True),
        ("91330100MA2B123456", False),  # enough digits to be read
        # Sinhala digits written as hex entities hold no ASCII digit: two digits as written,
        # a mobile number as read.
        ("13" + "&#xdee;" + "&#xdef;" * 8, False),
        ("%31%33", False),  # any escape is read: what it decodes to is not counted here
        ("\\u0031", False),
        ("目录\\1\\2 末尾\\", True),  # a backslash that starts no \\u escape
        ("\\\\u0031", False),
    ],
)
def test_the_scan_passes_over_only_text_that_cannot_hold_a_number(
    text: str, passed_over: bool
) -> None:
    """sitescan._WORTH_READING: a piece of a page or a line of a data file is passed over
    without reading only when it has too few digits and no escape that could decode to more."""
    assert (sitescan._WORTH_READING.match(text) is None) is passed_over
    if passed_over:
        assert list(sitescan._variants_leaks(text)) == []


def test_a_number_hidden_in_entities_is_still_found() -> None:
    text = "电话 13" + "&#xdee;" + "&#xdef;" * 8
    assert privacy.too_few_digits(text)
    assert [leak.digits for leak in sitescan._variants_leaks(text)] == ["13899999999"]


def test_every_decimal_digit_of_every_script_folds_to_its_value() -> None:
    decimals = {
        code: str(unicodedata.decimal(chr(code)))
        for code in range(0x80, sys.maxunicode + 1)
        if unicodedata.decimal(chr(code), None) is not None
    }
    table = privacy._fold_table()
    assert {code: table[code] for code in decimals} == decimals
    assert fold("٣٨ ১২ ７") == "38 12 7"


def test_a_scan_worker_killed_leaves_the_rest_to_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A worker dying (out of memory …) does not stop the last check: the files it did not
    report are scanned in the build's own process."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "a.html").write_text("<p>清白</p>", "utf-8")
    (site / "b.html").write_text("<p>电话 138 1234 5678</p>", "utf-8")
    monkeypatch.setenv(PROCESSES_ENV, "2")
    parent, scan_file = os.getpid(), sitescan._scan_file

    def dying(path: Path, relative: str, known: frozenset[bytes]) -> sitescan.Scanned:
        if os.getpid() != parent:
            os._exit(1)  # a scan worker killed
        return scan_file(path, relative, known)

    monkeypatch.setattr(sitescan, "_scan_file", dying)
    with caplog.at_level(logging.WARNING):
        found = scan_output(site)
    assert [(f.path, f.rule) for f in found] == [("b.html", "privacy.mobile")]
    assert "进程意外退出" in caplog.text


_LINE_TEXT = st.lists(
    st.sampled_from(
        [
            *("1381234", "5678", "1", " ", "-", "号", "﻿", "%31%33", "&#49;", "\\u0031", "\\"),
            *("\n", "\r", "\r\n", "\u2028", "\x0b", "\x1c", "\x85"),
        ]
    ),
    max_size=40,
).map("".join)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=_LINE_TEXT, block=st.sampled_from([1, 2, 3, 7, 1 << 20]))
@example(text="a\r\n13812345678\u2028b\r1381234\n5678 13812345678", block=1 << 20)
@example(text="13812345678\r\n13812345678", block=12)  # a block ends between \r and \n
def test_a_text_file_read_line_by_line_gives_the_leaks_of_its_whole_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, block: int
) -> None:
    """The scan reads JSON, CSV and feeds a block of lines at a time (decisions.json is 134 MB
    at 100,000 decisions): the same leaks at the same lines and columns as the whole text,
    wherever the blocks end, and again when the lines found clean before are passed over."""
    monkeypatch.setattr(sitescan, "_TEXT_BLOCK", block)
    path = tmp_path / "data.json"
    path.write_bytes(text.encode("utf-8"))
    whole = list(sitescan._scan_lines(path.read_text("utf-8")))
    assert list(sitescan._scan_text_file(path)) == whole
    clean: list[bytes] = []
    assert list(sitescan._scan_text_file(path, frozenset(), clean)) == whole
    again: list[bytes] = []
    assert list(sitescan._scan_text_file(path, frozenset(clean), again)) == whole
    assert sorted(again) == sorted(clean)


@given(st.text(alphabet=st.sampled_from("0１٣8 -&#;%2Bx13a\u200b"), max_size=40))
@example("138&#8203;1234&#8203;5678")
@example("tel:%2B8613812345678")
def test_a_string_passed_over_holds_nothing_to_find(text: str) -> None:
    """The privacy rule passes over a string without reading it only where reading it finds
    nothing: too few digits, and no escape that could decode into more."""
    if _holds_no_number(text):
        assert list(decoded_leaks(text)) == []
