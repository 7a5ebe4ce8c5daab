"""`twinwatch review …` over a real store file: the same decisions as the page, logged."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from werkzeug.security import check_password_hash

from store import Store
from tests.support.review import seed
from twinwatch.app.cli import cli


@pytest.fixture
def db_path(tmp_path):
    path = seed(tmp_path / "cli.db", 6)
    (tmp_path / "config.toml").write_text(f'[store]\npath = "{path}"\n', encoding="utf-8")
    return path


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, ["--config", "config.toml", *args], input=input)


def test_list_json_lowest_confidence_first(db_path):
    result = run("review", "list", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == 6
    assert [r["confidence"] for r in rows] == sorted(r["confidence"] for r in rows)
    only_cn = json.loads(run("review", "list", "--country", "cn", "--format", "json").output)
    assert only_cn and {r["partner_country"] for r in only_cn} == {"CN"}


def test_confirm_reject_correct_merge_split_undo(db_path):
    assert run("review", "confirm", "1", "--reviewer", "kim").exit_code == 0
    refused = run("review", "reject", "2", "--reviewer", "kim")
    assert refused.exit_code != 0 and "--reason" in refused.output
    assert run("review", "reject", "2", "--reason", "a visit", "--reviewer", "kim").exit_code == 0
    result = run("review", "correct", "3", "--type", "mou", "--date", "2020-02-02",
                 "--country", "jp", "--reviewer", "kim")
    assert result.exit_code == 0, result.output
    assert "agreement_type=mou" in result.output
    assert run("review", "merge", "4", "5", "--reviewer", "lee").exit_code == 1  # different pairs
    assert run("review", "merge", "4", "5", "--force", "--reviewer", "lee").exit_code == 0
    with Store(db_path) as store:
        mention = store.mentions(4)[1].id
    result = run("review", "split", "4", "--mention", str(mention), "--reviewer", "lee")
    assert result.exit_code == 0, result.output
    new_id = int(result.output.split()[-1])
    shown = run("review", "show", "4")
    assert "merge" in shown.output and "split" in shown.output
    assert run("review", "undo", "--reviewer", "lee").exit_code == 0  # the split
    with Store(db_path) as store:
        assert store.event(3)["agreement_type"] == "mou" and store.event(3)["partner_country"] == "JP"
        assert store.event(new_id)["merged_into"] == 4 and len(store.mentions(4)) == 2
        assert [e.action for e in store.review_log()] == [
            "confirm", "reject", "correct", "merge", "split", "undo"]


def test_errors_are_one_line(db_path):
    result = run("review", "correct", "3", "--reviewer", "kim")
    assert result.exit_code == 1 and "changes nothing" in result.output
    result = run("review", "merge", "4", "999", "--reviewer", "kim")
    assert result.exit_code == 1 and "no event with id 999" in result.output
    assert "Traceback" not in result.output
    result = run("review", "undo", "--reviewer", "nobody")
    assert result.exit_code == 1 and "nobody has no decision left to undo" in result.output


def test_bulk_confirm_and_add(db_path):
    assert run("review", "confirm", "1", "2", "3", "--reviewer", "park").exit_code == 0
    with Store(db_path) as store:
        sentence = store.document(6)["text"].split("\n")[1]
    result = run("review", "add", "6", "--sentence", sentence, "--party", "포항시", "--partner",
                 "다낭시", "--country", "VN", "--type", "mou", "--reviewer", "park")
    assert result.exit_code == 0, result.output
    assert run("review", "undo", "--reviewer", "park").exit_code == 0  # the addition
    assert run("review", "undo", "--reviewer", "park").exit_code == 0  # the bulk confirmation
    with Store(db_path) as store:
        assert {store.event(i)["review_state"] for i in (1, 2, 3)} == {"new"}


def test_hash_password_makes_a_werkzeug_hash():
    result = CliRunner().invoke(cli, ["review", "hash-password"], input="s3cret\ns3cret\n")
    assert result.exit_code == 0, result.output
    assert check_password_hash(result.output.strip().splitlines()[-1], "s3cret")


def test_serve_refuses_a_missing_database(tmp_path):
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "no database" in result.output


def test_demo_prints_a_serve_command_that_opens_its_database(db_path, tmp_path, monkeypatch):
    """The demo's closing line, run as printed (the server loop captured), serves the queue of
    the database its config names, and its token logs a reviewer in."""
    import shlex
    from types import SimpleNamespace

    import waitress

    from tests.support.review import csrf_of
    from twinwatch.app.commands.demo import closing_commands

    from twinwatch.app.demo.run import demo_settings, write_config
    write_config(demo_settings("http://127.0.0.1:9", db_path), tmp_path / "config.toml")
    demo = SimpleNamespace(config_file=tmp_path / "config.toml", database=db_path)
    line = next(text for text in closing_commands(demo,  # type: ignore[arg-type]
                                                  {"serve"}) if " serve" in text)
    words = shlex.split(line.split("#")[0])
    env = dict(w.split("=", 1) for w in words if "=" in w and not w.startswith("-"))
    args = [w for w in words if "=" not in w or w.startswith("-")]
    assert args[0].endswith("python") or args[0].endswith("twinwatch")  # runnable as printed
    args = args[args.index("--config"):] if "--config" in args else args[1:]
    args = ["", *args]
    served = {}
    monkeypatch.setattr(waitress, "serve",
                        lambda app, host, port, **_: served.update(host=host, app=app))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(cli, args[1:])
    assert result.exit_code == 0, result.output
    assert served["host"] == "127.0.0.1"
    client = served["app"].test_client()
    assert client.get("/").text.count("data-event-row") == 6
    client.post("/login", data={"name": "demo", "password": env["TWINWATCH_REVIEW_TOKEN"],
                                "csrf_token": csrf_of(client.get("/login").text)})
    assert 'id="undo-form"' in client.get("/").text
