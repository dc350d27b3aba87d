"""The command group imports a command only when it runs; its static table stays true."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from councilsim.cli import COMMANDS, SHORT_HELP, load_command, main
from councilsim.cli._common import progress_bar


def test_every_command_is_in_the_table_with_its_own_short_help() -> None:
    assert set(SHORT_HELP) == set(COMMANDS)
    for name in COMMANDS:
        command = load_command(name)
        assert command.name == name
        assert command.get_short_help_str(1000) == SHORT_HELP[name]


def test_help_lists_every_command() -> None:
    out = CliRunner().invoke(main, ["--help"]).output
    for name in COMMANDS:
        assert f"  {name} " in out


def test_importing_the_command_line_loads_no_command_and_no_numpy() -> None:
    code = (
        "import sys, councilsim.cli; "
        "print(sorted(m for m in sys.modules if m == 'numpy' or m.startswith('councilsim.cli.')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_an_unknown_command_is_still_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["no-such-command"])
    assert result.exit_code == 2


def test_a_progress_bar_is_made_only_when_shown(capsys: pytest.CaptureFixture[str]) -> None:
    with progress_bar(10, "simulating", True) as update:
        assert update is not None
        update(4)
        update(6)
    assert "simulating" in capsys.readouterr().err
    with progress_bar(10, "simulating", False) as update:
        assert update is None
    assert capsys.readouterr().err == ""
