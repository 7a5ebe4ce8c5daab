"""Sizes a newcomer can read in one sitting: no module over 500 lines, no function over 60.

Every Python file of the checkout counts — the stages, the application, tests, benchmarks and
scripts — except the page sets' data. A module that grows past the limit is split by concern,
not chopped (ARCHITECTURE.md says where each concern lives).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.support.paths import REPO

MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60
SKIPPED_PARTS = {".venv", "build", "dist", "data", "__pycache__", "demo-output", ".git"}


def python_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*.py")
                  if not SKIPPED_PARTS & set(path.relative_to(root).parts[:-1])
                  and ".egg-info" not in str(path))


def long_modules(files: list[Path], root: Path) -> list[str]:
    lengths = ((path, len(path.read_text(encoding="utf-8").splitlines())) for path in files)
    return [f"{path.relative_to(root)}: {lines} lines" for path, lines in lengths if lines > MAX_MODULE_LINES]


def long_functions(files: list[Path], root: Path) -> list[str]:
    found = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    found.append(f"{path.relative_to(root)}:{node.lineno} {node.name}: {lines} lines")
    return found


@pytest.fixture(scope="module")
def files() -> list[Path]:
    found = python_files(REPO)
    assert REPO / "store" / "store.py" in found and REPO / "tests" / "conftest.py" in found
    return found


def test_the_counts_see_what_is_too_long(tmp_path):
    (tmp_path / "long.py").write_text("def f():\n" + "    x = 1\n" * MAX_FUNCTION_LINES
                                      + "\n" * (MAX_MODULE_LINES - MAX_FUNCTION_LINES))
    (tmp_path / "short.py").write_text("def g():\n" + "    x = 1\n" * (MAX_FUNCTION_LINES - 1))
    files = python_files(tmp_path)
    assert long_modules(files, tmp_path) == [f"long.py: {MAX_MODULE_LINES + 1} lines"]
    assert long_functions(files, tmp_path) == [f"long.py:1 f: {MAX_FUNCTION_LINES + 1} lines"]


def test_no_module_over_500_lines(files):
    found = long_modules(files, REPO)
    assert not found, "split these by concern:\n" + "\n".join(found)


def test_no_function_over_60_lines(files):
    found = long_functions(files, REPO)
    assert not found, "split these into steps:\n" + "\n".join(found)
