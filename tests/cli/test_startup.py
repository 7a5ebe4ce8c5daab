"""Commands that read no page load no NLP: spaCy, Kiwi and trafilatura (and Dask, for backfill)
are imported on first use.

Each case runs the CLI in a fresh interpreter and lists the heavy packages left in sys.modules
(not the time, which depends on the machine).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from tests.support.paths import REPO

HEAVY = ("spacy", "kiwipiepy", "trafilatura", "thinc", "distributed", "pyarrow")
PROBE = textwrap.dedent("""
    import json, sys
    from twinwatch.app.cli import cli
    try:
        cli(args=sys.argv[1:], prog_name="twinwatch")
    except SystemExit as exc:
        code = exc.code
    else:
        code = 0
    heavy = sorted({name.split(".")[0] for name in sys.modules} & set(%r))
    print(json.dumps({"code": code, "heavy": heavy}))
""") % (HEAVY,)


def loaded_after(*args: str, cwd=None) -> dict:
    result = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                            cwd=cwd or REPO, timeout=120)
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("args", [("--help",), ("events", "--help"), ("sources", "--help"),
                                  ("run", "--help"), ("backfill", "--help")], ids=" ".join)
def test_help_imports_no_nlp(args):
    outcome = loaded_after(*args)
    assert outcome == {"code": 0, "heavy": []}


def test_reading_the_store_imports_no_nlp(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(f'[store]\npath = "{tmp_path / "tw.db"}"\n\n[[sources]]\nname = "a"\n'
                      'kind = "rss"\nurl = "http://127.0.0.1:9/feed.xml"\n', encoding="utf-8")
    from store import Store
    with Store(tmp_path / "tw.db"):
        pass
    for args in (("events",), ("sources",)):
        assert loaded_after("--config", str(config), *args, cwd=tmp_path) == {"code": 0, "heavy": []}


def test_extracting_a_page_does_load_the_engine(tmp_path):
    """The probe can fail: the same check sees spaCy once a page is read."""
    page = tmp_path / "page.txt"
    page.write_text("안산시는 중국 훈춘시와 우호교류 협약을 체결했다고 5일 밝혔다.\n", encoding="utf-8")
    outcome = loaded_after("extract", "--format", "json", str(page), cwd=tmp_path)
    assert outcome["code"] == 0 and "spacy" in outcome["heavy"] and "kiwipiepy" in outcome["heavy"]
