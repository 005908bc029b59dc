"""The agency pages' fingerprints (gongshi_portal.fingerprint) hold the agency's records, the
base and agency_facts; everything else their templates show must come from there. This test
reads the templates as Jinja parses them, follows every macro they call, include and parent
template, and lists what they ask the ``gongshi`` global for: each must be one of
AGENCY_PAGE_READS, with its reason. A template that starts asking for a portal-wide figure
fails here, before a rebuild leaves an agency's page stale."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from gongshi_portal.fingerprint import AGENCY_PAGE_READS, AGENCY_PAGE_TEMPLATES
from gongshi_records.paths import PROJECT_ROOT
from jinja2 import Environment, FileSystemLoader, nodes

TEMPLATES = PROJECT_ROOT / "theme" / "templates"
GLOBAL = "gongshi"


def _children(node: nodes.Node) -> Iterator[nodes.Node]:
    """Child nodes, not into macro definitions (a macro counts only where it is called)."""
    for child in node.iter_child_nodes():
        if not isinstance(child, nodes.Macro):
            yield child


def _chain(node: nodes.Node) -> tuple[nodes.Node, list[str]]:
    names: list[str] = []
    while isinstance(node, nodes.Getattr):
        names.insert(0, node.attr)
        node = node.node
    return node, names


class TemplateFile:
    """One template: its macros, what it imports under which name, and its aliases of
    ``gongshi`` members (``{% set S = gongshi.statistics %}``)."""

    def __init__(self, env: Environment, name: str) -> None:
        source = (TEMPLATES / name).read_text("utf-8")
        self.name = name
        self.ast = env.parse(source)
        self.macros = {m.name: m for m in self.ast.find_all(nodes.Macro)}
        self.imported: dict[str, tuple[str, str]] = {}  # local name → (template, macro)
        self.modules: dict[str, str] = {}  # `{% import "x" as m %}`: m → template
        for imp in self.ast.find_all(nodes.FromImport):
            for entry in imp.names:
                original, local = entry if isinstance(entry, tuple) else (entry, entry)
                self.imported[local] = (_constant(imp.template), original)
        for module in self.ast.find_all(nodes.Import):
            self.modules[module.target] = _constant(module.template)
        # Names bound to gongshi or a member of it, through other such names too
        # (`{% set g = gongshi %}`, `{% set T = S %}`, `{% set U = S.stats %}`): to a fixpoint.
        self.aliases: dict[str, str] = {}
        assigns = [a for a in self.ast.find_all(nodes.Assign) if isinstance(a.target, nodes.Name)]
        grown = True
        while grown:
            grown = False
            for assign in assigns:
                root, names = _chain(assign.node)
                target = assign.target.name  # type: ignore[attr-defined]
                if target not in self.aliases and _is_global(root, self.aliases):
                    assert isinstance(root, nodes.Name)
                    self.aliases[target] = ".".join([*_prefix(root.name, self.aliases), *names])
                    grown = True


def _constant(node: nodes.Expr) -> str:
    assert isinstance(node, nodes.Const), f"template name not a constant: {node}"
    return str(node.value)


def _prefix(root: str, aliases: dict[str, str]) -> list[str]:
    """The member path a name stands for: none for gongshi itself."""
    return [] if root == GLOBAL else [p for p in aliases[root].split(".") if p]


def _is_global(node: nodes.Node, aliases: dict[str, str]) -> bool:
    return isinstance(node, nodes.Name) and (node.name == GLOBAL or node.name in aliases)


class Reads:
    """Every ``gongshi`` member a page template can reach."""

    def __init__(self) -> None:
        self.env = Environment(loader=FileSystemLoader(TEMPLATES))
        self.files: dict[str, TemplateFile] = {}
        self.found: dict[str, set[str]] = {}  # dotted read → where
        self.done: set[tuple[str, str]] = set()

    def file(self, name: str) -> TemplateFile:
        if name not in self.files:
            self.files[name] = TemplateFile(self.env, name)
        return self.files[name]

    def page(self, name: str) -> dict[str, set[str]]:
        self._unit(self.file(name), "")
        return self.found

    def _unit(self, template: TemplateFile, macro: str) -> None:
        """A template's body (macro "") or one of its macros, once."""
        if (template.name, macro) in self.done:
            return
        self.done.add((template.name, macro))
        root = template.macros[macro] if macro else template.ast
        for node in _children(root):
            self._walk(template, node, f"{template.name}:{macro or '(page)'}")

    def _walk(self, template: TemplateFile, node: nodes.Node, where: str) -> None:
        if isinstance(node, nodes.Extends | nodes.Include):
            self._unit(self.file(_constant(node.template)), "")
        elif isinstance(node, nodes.Assign) and _is_global(_chain(node.node)[0], template.aliases):
            return  # an alias: its uses are the reads
        elif isinstance(node, nodes.Test) and node.name == "defined":
            return
        elif isinstance(node, nodes.Getattr):
            base, names = _chain(node)
            if _is_global(base, template.aliases):
                assert isinstance(base, nodes.Name)
                self._read(template, base.name, names, where)
                return
            if isinstance(base, nodes.Name) and base.name in template.modules:
                self._unit(self.file(template.modules[base.name]), names[0])
        elif isinstance(node, nodes.Name) and _is_global(node, template.aliases):
            self._read(template, node.name, [], where)  # the object itself, passed on
        elif isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name):
            self._call(template, node.node.name)
        for child in _children(node):
            self._walk(template, child, where)

    def _call(self, template: TemplateFile, name: str) -> None:
        if name in template.macros:
            self._unit(template, name)
        elif name in template.imported:
            other, original = template.imported[name]
            self._unit(self.file(other), original)

    def _read(self, template: TemplateFile, root: str, names: list[str], where: str) -> None:
        dotted = ".".join(_prefix(root, template.aliases) + names) or "(the whole gongshi object)"
        self.found.setdefault(dotted, set()).add(where)


def test_aliases_of_aliases_are_followed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """However a template names gongshi or a part of it, its reads are found."""
    (tmp_path / "page.html").write_text(
        "{% set g = gongshi %}{{ g.statistics.years() }}"
        "{% set S = gongshi.statistics %}{% set T = S %}{{ T.portal(1) }}"
        "{% set U = S.stats %}{{ U.by_agency }}{{ show(T) }}",
        "utf-8",
    )
    monkeypatch.setattr(sys.modules[__name__], "TEMPLATES", tmp_path)
    found = Reads().page("page.html")
    assert set(found) == {
        "statistics.years",
        "statistics.portal",
        "statistics.stats.by_agency",
        "statistics",  # the object itself passed on: not bounded, so listed
    }


@pytest.mark.parametrize("template", sorted(AGENCY_PAGE_TEMPLATES))
def test_every_read_of_an_agency_page_is_bounded(template: str) -> None:
    found = Reads().page(f"{template}.html")
    assert found, "the walk found no read at all: it is broken"
    unbounded = {
        read: sorted(where) for read, where in found.items() if read not in AGENCY_PAGE_READS
    }
    assert not unbounded, (
        "these templates ask gongshi for something fingerprint.py does not bound by the "
        f"agency: {unbounded}; add it to agency_facts and AGENCY_PAGE_READS, or leave the "
        "page out of AGENCY_PAGE_TEMPLATES"
    )


def test_the_walk_follows_macros_imports_aliases_and_parents() -> None:
    """What the statistics report reaches only through an imported macro, an alias and the
    parent template: a walk that missed any of them would pass anything."""
    found = Reads().page("statistics.html")
    assert "statistics.category_total" in found  # _statistics.html: S = gongshi.statistics
    assert "audit.published_on" in found  # the page's own body
    assert "data_version" in found  # base.html's footer
    hub = Reads().page("agency.html")
    assert "officer" in hub  # _review_staff.html → _macros.html officer_link
    assert "entrusted_by" in hub  # _entrustment.html
    assert "officer" not in Reads().page("statistics.html")  # a macro never called there


def test_every_listed_read_is_still_made() -> None:
    """A reason kept for a read no template makes any more is a reason nobody checks."""
    made: set[str] = set()
    for template in AGENCY_PAGE_TEMPLATES:
        made |= set(Reads().page(f"{template}.html"))
    assert set(AGENCY_PAGE_READS) - made == set()
