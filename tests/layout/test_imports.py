"""The one rule of import direction, checked on every import in the syntax tree.

grimp reads each module's syntax tree, so imports inside functions (the lazy ones that keep
`--help` fast) and under `if TYPE_CHECKING:` count like any other. The matrix is the one in
ARCHITECTURE.md: the kernel imports no stage; the crawler and the extractor import only the
kernel; the store reads the extractor's records and notes; alerts, review and research read the
store, those records and the gazetteer; the application may import anything. A failure prints
every edge outside the matrix and every import circle, with the line that makes it.
"""

from __future__ import annotations

from functools import cache

import grimp
import pytest

PACKAGES = ("twinwatch", "crawler", "extract", "store", "alerts", "review")
KERNEL_MODULES = ("twinwatch", "twinwatch.errors", "twinwatch.config", "twinwatch.validation",
                  "twinwatch.labels")
# What the store and the stages after it may read of the extractor: its output records.
EXTRACT_RECORDS = ("extract.records", "extract.notes")
READERS = ("alerts", "review", "research")


def stage_of(module: str) -> str:
    """kernel | crawler | extract | store | alerts | review | research | app."""
    if module in KERNEL_MODULES or module.startswith("twinwatch.pages"):
        return "kernel"
    if module == "twinwatch.__main__" or module.startswith("twinwatch.app"):
        return "app"
    if module.startswith("twinwatch.research"):
        return "research"
    top = module.split(".")[0]
    if top == "twinwatch":  # a new module at the top of twinwatch/: decide its stage here
        return f"unplaced ({module})"
    return top


def _within(module: str, names: tuple[str, ...]) -> bool:
    return any(module == name or module.startswith(name + ".") for name in names)


def allowed(importer: str, imported: str) -> bool:
    """The matrix: may `importer` import `imported`?"""
    source, target = stage_of(importer), stage_of(imported)
    if source == "app" or target == "kernel" or (source == target and not source.startswith("unplaced")):
        return True
    if source == "store":
        return _within(imported, EXTRACT_RECORDS)
    if source in READERS:
        return target == "store" or _within(imported, EXTRACT_RECORDS + ("extract.gazetteer",))
    return False


@cache
def project_graph() -> grimp.ImportGraph:
    return grimp.build_graph(*PACKAGES, cache_dir=None)


def edges(graph: grimp.ImportGraph) -> list[tuple[str, str]]:
    return sorted((importer, imported) for importer in graph.modules
                  for imported in graph.find_modules_directly_imported_by(importer))


def where(graph: grimp.ImportGraph, importer: str, imported: str) -> str:
    details = graph.get_import_details(importer=importer, imported=imported)
    return "; ".join(f"line {d['line_number']}: {d['line_contents']}" for d in details)


def outside_matrix(graph: grimp.ImportGraph) -> list[str]:
    return [f"{importer} -> {imported} ({stage_of(importer)} -> {stage_of(imported)}; "
            f"{where(graph, importer, imported)})"
            for importer, imported in edges(graph) if not allowed(importer, imported)]


def circles(graph: grimp.ImportGraph) -> list[str]:
    """Each import circle between modules once, as the shortest chain around it."""
    found: dict[frozenset[str], str] = {}
    for importer, imported in edges(graph):
        back = graph.find_shortest_chain(importer=imported, imported=importer)
        if back:
            found.setdefault(frozenset(back), " -> ".join((importer, *back)))
    return sorted(found.values())


def test_the_check_sees_lazy_and_type_checking_imports(tmp_path, monkeypatch):
    """A package written here: a lazy import and a TYPE_CHECKING one close a circle and
    cross the matrix, and the check reports both."""
    package = tmp_path / "extract"  # named like a stage so the matrix applies
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "first.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from extract.second import Thing\n")
    (package / "second.py").write_text(
        "class Thing:\n    pass\n\n\ndef later():\n    from extract import first\n"
        "    import crawler.fetched\n    return first\n")
    crawler = tmp_path / "crawler"
    crawler.mkdir()
    (crawler / "__init__.py").write_text("")
    (crawler / "fetched.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("extract", "crawler"):
        monkeypatch.delitem(__import__("sys").modules, name, raising=False)
    graph = grimp.build_graph("extract", "crawler", cache_dir=None)
    assert circles(graph) == ["extract.first -> extract.second -> extract.first"]
    assert [line.split(" (")[0] for line in outside_matrix(graph)] == ["extract.second -> crawler.fetched"]


def test_every_module_has_a_stage():
    unplaced = [module for module in project_graph().modules if stage_of(module).startswith("unplaced")]
    assert not unplaced, "modules with no stage in the matrix: " + ", ".join(sorted(unplaced))


@pytest.mark.parametrize(("importer", "imported", "expected"), [
    ("twinwatch.pages.decode", "crawler.fetch", False),  # kernel → nothing
    ("crawler.fetch", "twinwatch.pages.records", True),
    ("crawler.sources", "extract.page.reader", False),
    ("extract.page.reader", "crawler.records", False),
    ("store.store", "extract.records", True),
    ("store.curation", "extract.evaluate", False),
    ("alerts.digest", "extract.gazetteer.model", True),
    ("review.views", "extract.core", False),
    ("twinwatch.research.counts", "alerts.config", False),
    ("twinwatch.app.pipeline", "crawler.fetch", True),
])
def test_the_matrix(importer, imported, expected):
    assert allowed(importer, imported) is expected


def test_imports_follow_the_matrix():
    outside = outside_matrix(project_graph())
    print("\n".join(outside) or "no import outside the matrix")
    assert not outside, "imports outside the matrix:\n" + "\n".join(outside)


def test_no_import_circles():
    found = circles(project_graph())
    print("\n".join(found) or "no import circle")
    assert not found, "import circles:\n" + "\n".join(found)
