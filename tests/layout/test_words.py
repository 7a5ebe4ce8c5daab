"""Code that explains itself in the project's own terms: no tracker references.

A comment, docstring or committed README says why in words a newcomer can read without the
tracker; a tracker number sends them somewhere they may not have access to, and goes stale.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.support.paths import REPO

SUFFIXES = {".py", ".md", ".toml", ".html", ".js", ".css", ".txt", ".cfg"}
SKIPPED_PARTS = {".venv", "build", "dist", "__pycache__", "demo-output", ".git"}
ISSUE = re.compile(r"\bissues?\s*(?:no\.?\s*)?#?\d+", re.I)
# A hash and one or two digits; three-digit CSS colours and HTML entities are not one.
HASH_NUMBER = re.compile(r"(?<![\w&#/])#\d{1,2}\b(?![\w-])")


def checked_files(root: Path) -> list[Path]:
    """Code, templates, config and READMEs; the page sets' documents are Korean news and
    notices as published, data rather than our words, so only their READMEs count."""
    files = []
    for path in root.rglob("*"):
        parts = set(path.relative_to(root).parts[:-1])
        if not path.is_file() or SKIPPED_PARTS & parts or ".egg-info" in str(path):
            continue
        is_data = "data" in parts and path.suffix != ".md"
        if (path.suffix in SUFFIXES and not is_data) or path.name in ("Makefile", "run"):
            files.append(path)
    return sorted(files)


def tracker_references(text: str) -> list[tuple[int, str]]:
    """(line number, the reference) for each tracker reference in `text`."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        issues = list(ISSUE.finditer(line))
        hashes = [match for match in HASH_NUMBER.finditer(line)
                  if not any(issue.start() <= match.start() < issue.end() for issue in issues)]
        found.extend((number, match.group(0))
                     for match in sorted(issues + hashes, key=lambda match: match.start()))
    return found


def test_the_patterns_find_tracker_references():
    word = "issue"  # spelled apart so that this file does not hold a reference itself
    sample = (f'"""Acceptance of {word} 7."""\n# see #{12}\n'
              f'colour = "#999"  # fixed in ({word.title()} #{3})\n'
              'html = "&#39;"\nok = "issued in 2019, HOT ISSUE"\n')
    assert tracker_references(sample) == [(1, f"{word} 7"), (2, f"#{12}"), (3, f"{word.title()} #{3}")]


def test_no_tracker_references():
    files = checked_files(REPO)
    assert REPO / "README.md" in files and REPO / "store" / "identity.py" in files
    found = [f"{path.relative_to(REPO)}:{number}: {reference}" for path in files
             for number, reference in tracker_references(path.read_text(encoding="utf-8"))]
    assert not found, "say it in the project's own terms:\n" + "\n".join(found)
