"""Several processes opening one new database at once all get the same, fully migrated schema."""

from __future__ import annotations

import subprocess
import sys

from tests.support.paths import REPO

OPEN_STORE = "import sys; from store import Store; Store(sys.argv[1]).close()"


def test_processes_racing_to_create_a_database_all_succeed(tmp_path):
    path = tmp_path / "race.db"
    racers = [subprocess.Popen([sys.executable, "-c", OPEN_STORE, str(path)], cwd=REPO,
                               stderr=subprocess.PIPE, text=True) for _ in range(4)]
    errors = [p.communicate(timeout=120)[1] for p in racers]
    assert [p.returncode for p in racers] == [0, 0, 0, 0], errors
    from store import Store
    from store.migrations import MIGRATIONS
    with Store(path) as store:
        assert MIGRATIONS.pending(store.db) == []
        applied = [m.name for m in MIGRATIONS.applied(store.db)]
    assert len(applied) == len(set(applied))
