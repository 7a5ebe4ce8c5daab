"""Every CLI command is documented in the README and has help (as sqlite-utils' test_docs)."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from tests.support.paths import REPO
from twinwatch.app.cli import cli


def _command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = []
    for name, command in sorted(group.commands.items()):
        paths.append(prefix + (name,))
        if isinstance(command, click.Group):
            paths.extend(_command_paths(command, prefix + (name,)))
    return paths


COMMANDS = _command_paths(cli)


def test_there_are_commands():
    assert COMMANDS, "the CLI registers no command"


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_command_is_documented_in_readme(path):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"twinwatch {' '.join(path)}" in readme


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_command_has_help(path):
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
