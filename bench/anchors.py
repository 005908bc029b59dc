"""The anchors ``bench/scale.py`` measures Gongshi against, on the same records:

* plain Pelican (no plugins, its default theme) building one Markdown article per record, the
  record's title and fields as text;
* a bare Jinja2 loop rendering a small template and writing as many pages as ``gongshi build``
  wrote: the near-limit of any Python static site generator on this machine;
* Pagefind (``pagefind[extended]``, the venv of bench/search_bench.py) indexing Gongshi's built
  output, and the bytes its search page fetches for the same queries.

Each runs in a child process (``scale.run_child``) so its time and peak memory are its own.
``python bench/anchors.py jinja RECORDS OUT PAGES`` is the Jinja child: it prints the wall and CPU
seconds of the render-and-write loop alone (reading the records is not counted).
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import jinja2
from gongshi_records import Corpus, Record

HERE = Path(__file__).resolve().parent
PELICAN_CONF = """\
SITENAME = "东江市行政执法信息公示平台（Pelican 基准）"
SITEURL = ""
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh"
PLUGINS = []
RELATIVE_URLS = True
DEFAULT_PAGINATION = 20
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
LOAD_CONTENT_CACHE = False
"""
DATE = re.compile(r"\b(20\d\d-\d\d-\d\d)\b")

BASE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ title }} - {{ site }}</title>
<link rel="stylesheet" href="{{ root }}theme/site.css"></head>
<body><header><a href="{{ root }}index.html">{{ site }}</a>
<nav>{% for name in nav %}<a href="{{ root }}{{ name }}/">{{ name }}</a> {% endfor %}</nav></header>
<main>{% block main %}{% endblock %}</main>
<footer>{{ site }}</footer></body></html>
"""
PAGE = """{% extends "base.html" %}{% block main %}<h1>{{ title }}</h1>
<dl>{% for key, value in fields %}<dt>{{ key }}</dt><dd>{{ value }}</dd>{% endfor %}</dl>
{% endblock %}
"""


def title_of(record: Record) -> str:
    for key in ("title", "name", "doc_no"):
        value = record.data.get(key)
        if isinstance(value, str) and value:
            return value
    return Path(record.path).stem


def fields_of(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Every field as one line of text (nested values as compact JSON)."""
    return [
        (key, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
        for key, value in data.items()
    ]


def article_of(record: Record, number: int) -> str:
    """A Markdown article for Pelican: title, date (the record's first date), its kind as the
    category, a unique slug, and the fields as a list."""
    text = json.dumps(record.data, ensure_ascii=False)
    found = DATE.search(text)
    lines = [
        f"Title: {title_of(record)}",
        f"Date: {found.group(1) if found else '2024-01-01'}",
        f"Category: {record.kind}",
        f"Slug: r{number}",
        "",
    ]
    lines += [f"- **{key}**：{value}" for key, value in fields_of(record.data)]
    return "\n".join(lines) + "\n"


def records_of(corpus: Corpus) -> Iterator[Record]:
    """The records that become pages (not the portal file, calendars or texts)."""
    return (r for r in corpus.records if isinstance(r.data, dict))


def write_pelican_site(root: Path, corpus: Corpus) -> tuple[Path, Path]:
    """Pelican's content folder and settings file; returns (content, settings)."""
    content = root / "content"
    content.mkdir(parents=True)
    for number, record in enumerate(records_of(corpus)):
        (content / f"r{number}.md").write_text(article_of(record, number), "utf-8")
    conf = root / "pelicanconf.py"
    conf.write_text(PELICAN_CONF, "utf-8")
    return content, conf


def pelican_command(content: Path, conf: Path, output: Path) -> list[str]:
    return [sys.executable, "-m", "pelican", str(content), "-s", str(conf), "-o", str(output), "-q"]


def write_jinja_records(path: Path, corpus: Corpus) -> None:
    """What the Jinja child renders: (title, fields) of every record, one JSON line each."""
    with path.open("w", encoding="utf-8") as out:
        for record in records_of(corpus):
            line = {"title": title_of(record), "fields": fields_of(record.data)}
            out.write(json.dumps(line, ensure_ascii=False) + "\n")


def jinja_loop(records: Path, output: Path, pages: int) -> dict[str, float]:
    """Renders ``pages`` pages, cycling over the records, and writes each: wall and CPU
    seconds taken."""
    items = [json.loads(line) for line in records.read_text("utf-8").splitlines()]
    env = jinja2.Environment(
        loader=jinja2.DictLoader({"base.html": BASE, "page.html": PAGE}), autoescape=True
    )
    nav = ["agencies", "officers", "powers", "decisions", "search"]
    started, cpu = time.perf_counter(), time.process_time()
    template = env.get_template("page.html")
    for number in range(pages):
        item = items[number % len(items)]
        folder = output / f"p{number // 1000}"
        if number % 1000 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        html = template.render(
            title=item["title"], fields=item["fields"], site="基准", nav=nav, root="../"
        )
        (folder / f"{number}.html").write_text(html, "utf-8")
    return {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu}


def jinja_command(records: Path, output: Path, pages: int) -> list[str]:
    return [
        sys.executable,
        str(HERE / "anchors.py"),
        "jinja",
        str(records),
        str(output),
        str(pages),
    ]


def main(argv: list[str]) -> int:
    if len(argv) == 4 and argv[0] == "jinja":
        print(json.dumps(jinja_loop(Path(argv[1]), Path(argv[2]), int(argv[3]))))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
