"""The README's "Your own city" walkthrough, followed literally against the demo site on
loopback: its shell blocks run in order in a new shell with the venv activated, and its
config.toml block is written where the walkthrough writes it."""

from __future__ import annotations

import os
import re
import subprocess

import pytest

from store import Store
from tests.support.paths import REPO
from twinwatch.app.demo.server import SiteServer
from twinwatch.app.demo.site import DOWN_PATH, build_site

BLOCK = re.compile(r"<!-- walkthrough: (shell|config\.toml) -->\n```\w*\n(.*?)```", re.S)
DEMO_ADDRESS = "127.0.0.1:8765"  # what `twinwatch demo --serve` uses and the README writes


def walkthrough_script(address: str) -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = BLOCK.findall(readme)
    assert [kind for kind, _ in blocks].count("config.toml") == 1 and len(blocks) >= 4
    lines = ["set -euo pipefail", f"source {REPO / '.venv' / 'bin' / 'activate'}"]
    for kind, body in blocks:
        body = body.replace(DEMO_ADDRESS, address)
        if kind == "config.toml":
            lines += ["cat > config.toml <<'TOML'", body.rstrip("\n"), "TOML"]
        else:
            lines += [f"echo '$ {line}'\n{line}" for line in body.strip().splitlines()]
    return "\n".join(lines) + "\n"


def test_readme_walkthrough_against_the_demo_site(tmp_path):
    if not (REPO / ".venv" / "bin" / "activate").is_file():
        pytest.skip("no .venv (run `make venv`)")
    with SiteServer(down_paths=frozenset({DOWN_PATH})) as server:
        server.state.resources = build_site(server.base_url)
        script = walkthrough_script(server.base_url.removeprefix("http://"))
        env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8",
               "COLUMNS": "80"}
        result = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env,
                                capture_output=True, text=True, timeout=600)
        board_requests = server.requests_for("/board/view.do")
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    output = result.stdout
    assert "$ twinwatch sources check 데모일보" in output and "$ twinwatch events --format table" in output
    # in a pipe `sources check` prints JSON: both sources list links and readable articles
    checked = re.findall(r'"source": "([^"]+)",\s*"links_found": (\d+)', output)
    assert {name for name, n in checked if int(n) > 0} == {"데모일보", "데모시-보도자료"}
    assert board_requests  # the board's onclick links were followed to articles
    with Store(tmp_path / "mycity" / "twinwatch.db") as store:
        events = store.events()
        sources = {row["source"] for row in store.db.query(
            "SELECT DISTINCT d.source FROM mentions m JOIN documents d ON d.id = m.document_id")}
    assert len(events) >= 10 and sources == {"데모일보", "데모시-보도자료"}
    assert f"{len(events)} events" in output


def test_walkthrough_blocks_name_the_demo_address():
    script = walkthrough_script(DEMO_ADDRESS)
    assert f"http://{DEMO_ADDRESS}/news/rss.xml" in script
    assert f"http://{DEMO_ADDRESS}/board/list.do" in script
    assert "link_template" in script and "naver_news" in script and "sources check" in script
    assert os.linesep == "\n"
