"""The browser's search code (lunr.js from node_modules, search-tokens.js, search-core.js) run in
Node over the shards Python built: the same tokens, and the same records as lunr.py, query for
query (tests/search_parity.js)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from conftest import DEMO_AS_OF
from gongshi_records import validate_content
from gongshi_records.publication import public_view
from gongshi_search import ShardSettings, query_tokens, tokens, write_search_index
from gongshi_search.index import build_index
from gongshi_search.query import Outcome, Shards, refs, search
from gongshi_search.tokens import fnv1a
from support import ROOT

PARITY = ROOT / "tests/search_parity.js"
NODE = shutil.which("node")

TOKEN_CASES = [
    "欧阳明轩",
    "欧",
    "吴市监处罚〔2024〕102号",
    "吴市监处罚【２０２４】102号",
    "吴市监处罚（2024）102号",
    "[2024] 102",
    "91330299MA2JL2TT51",
    "ＡＢＣ－１２３",
    "东江市青溪区尚品装饰工程有限公司",
    "𠮷野家 𠀋",
    "张  三，李 四。王",
    "2024年102号",
    "a -- :: b",
    "〇一二",
    "",
    "！？",
    "Ⅻ ㈱ ① ㎏",  # NFKC expands these
    "é ü ß İ",  # non-ASCII letters separate runs in both languages
]

QUERIES: list[tuple[str, dict[str, str]]] = [
    ("欧阳明轩", {}),
    ("明轩", {}),
    ("欧", {}),
    ("王", {}),
    ("王丽娟", {}),
    ("丽娟", {"type": "officer"}),
    ("33029919010003", {}),
    ("欧阳明轩 33029919010003", {}),
    ("东江市青溪区尚品装饰工程有限公司", {}),
    ("尚品装饰", {}),
    ("尚品", {}),
    ("青市监处罚〔2025〕6号", {}),
    ("青市监处罚[2025]6号", {}),
    ("青市监处罚(2025)6号", {}),
    ("青市监处罚（2025）6号", {}),
    ("青市监处罚【2025】6号", {}),
    ("〔2025〕6号", {}),
    ("91330299MA2JL2TT51", {}),
    ("东江市青溪区瑞丰建材有限公司", {}),  # withdrawn
    ("瑞丰建材", {}),
    ("青综执罚〔2026〕19号", {}),  # its withdrawal notice
    ("东江市青溪区晨曦副食品商行", {}),  # expired
    ("青市监处罚〔2024〕58号", {}),  # expired
    ("有限公司", {}),
    ("青溪区", {}),
    ("青市监许", {}),
    ("食品经营", {}),
    ("行政处罚", {"type": "power"}),
    ("2025", {"type": "decision", "year": "2025"}),
    ("青市监", {"agency": "qingxi-scjgj", "year": "2024"}),
    ("食品", {"category": "行政处罚"}),
    ("市场监管", {"type": "officer", "category": "市场监管综合执法"}),
    ("溪畔人家", {}),  # a decision and an inspection result
    ("味香园", {"type": "inspection"}),
    ("92330299MA2KC0L60X", {}),  # an inspected party's credit code
    ("未发现问题", {"year": "2026"}),
    ("，。", {}),
    ("", {}),
]


def node(*args: str, stdin: Any) -> Any:
    assert NODE, "Node.js is needed: `make setup` installs lunr.js with npm"
    assert (ROOT / "node_modules/lunr/lunr.js").is_file(), "run `make setup` (npm ci)"
    done = subprocess.run(
        [NODE, str(PARITY), *args],
        input=json.dumps(stdin, ensure_ascii=False),
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(done.stdout)


def python_answers(folder: Path) -> list[dict[str, Any]]:
    shards = Shards(folder)
    answers = []
    for text, filters in QUERIES:
        outcome = search(shards, text, filters)
        answers.append(answer(outcome))
    return answers


def answer(outcome: Outcome) -> dict[str, Any]:
    """What both languages must agree on: results, flags and the files read (buckets, stores
    and body files, each once, in any order)."""
    return {
        "refs": refs(outcome),
        "broad": outcome.broad,
        "unverified": outcome.unverified,
        "fetched": sorted(set(outcome.files)),
    }


def same_answers(
    folder: Path, queries: list[tuple[str, dict[str, str]]], expected: list[dict[str, Any]]
) -> None:
    answers = node(str(folder), stdin=[[text, filters] for text, filters in queries])
    for (text, filters), js, py in zip(queries, answers, expected, strict=True):
        got = {key: sorted(set(js[key])) if key == "fetched" else js[key] for key in py}
        assert got == py, f"{text!r} {filters}: lunr.js {got} ≠ lunr.py {py}"


def assert_same(folder: Path) -> list[dict[str, Any]]:
    expected = python_answers(folder)
    same_answers(folder, QUERIES, expected)
    return expected


def test_segmentation_is_the_same_in_javascript() -> None:
    answers = node("--tokens", stdin=TOKEN_CASES)
    for text, (plain, name, query, hashed) in zip(TOKEN_CASES, answers, strict=True):
        assert plain == tokens(text), text
        assert name == tokens(text, name=True), text
        assert query == query_tokens(text), text
        assert hashed == fnv1a(text), text


def test_lunr_js_finds_what_lunr_py_finds_in_the_demo(demo_site: Path) -> None:
    answers = assert_same(demo_site / "search")
    assert len(QUERIES) >= 20
    assert sum(1 for a in answers if a["refs"]) >= 15  # most queries find something


def test_lunr_js_agrees_when_common_tokens_are_set_aside(tmp_path: Path) -> None:
    corpus = validate_content(ROOT / "content").corpus
    view = public_view(corpus, dt.date.fromisoformat(DEMO_AS_OF))
    settings = ShardSettings(bucket_bytes=600, common_df=6, store_size=7, verify_limit=4)
    manifest = write_search_index(tmp_path, corpus, view, settings)
    assert manifest["collections"]["decisions"]["common"]
    answers = assert_same(tmp_path / "search")
    assert any(a["broad"] for a in answers) and any(a["unverified"] for a in answers)


def test_lunr_js_loads_terms_outside_the_basic_plane(tmp_path: Path) -> None:
    index = build_index([("0", ["𠮷野", "野家", "𠮷"]), ("1", ["\uffe0", "豈"])], 2)
    (tmp_path / "index.json").write_text(json.dumps(index, ensure_ascii=False), "utf-8")
    script = (
        "var lunr = require('lunr');"
        "var text = require('fs').readFileSync(process.argv[1], 'utf8');"
        "var idx = lunr.Index.load(JSON.parse(text));"
        "process.stdout.write(JSON.stringify(idx.query(function (q) {"
        " q.term('𠮷', {usePipeline: false, presence: lunr.Query.presence.REQUIRED}); })"
        ".map(function (r) { return r.ref; })));"
    )
    assert NODE
    done = subprocess.run(
        [NODE, "-e", script, str(tmp_path / "index.json")],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert json.loads(done.stdout) == ["0"]


def test_lunr_js_is_the_version_the_lock_file_pins() -> None:
    lock = json.loads((ROOT / "package-lock.json").read_text("utf-8"))
    installed = json.loads((ROOT / "node_modules/lunr/package.json").read_text("utf-8"))
    assert lock["packages"]["node_modules/lunr"]["version"] == installed["version"] == "2.3.9"
