"""The ``councilsim`` command line: a thin shell over the library."""

from __future__ import annotations

import os
import sys
from importlib import import_module
from typing import Any

import click

from councilsim import __version__


class _Group(click.Group):
    """The command group, with every usage error on one line (exit status 2).

    Commands are imported only when run (or asked for their help), so that a command does not
    pay for the libraries of the others; ``--help`` lists them from :data:`SHORT_HELP`.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(COMMANDS) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands or cmd_name not in COMMANDS:
            return self.commands.get(cmd_name)
        return load_command(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, SHORT_HELP[name]) for name in sorted(COMMANDS)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        # councilsim counts with integers and runs in parallel by processes: numpy's BLAS
        # threads (OpenBLAS) would only busy-wait beside it, which on two cores made `run
        # current` about 47 ms (a fifth) slower. Set before a command imports numpy, and
        # inherited by worker processes; a value in the environment is kept.
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
        kwargs["standalone_mode"] = False
        try:
            code = super().main(*args, **kwargs)
        except click.exceptions.NoArgsIsHelpError as err:
            click.echo(err.ctx.get_help() if err.ctx else "", err=False)
            sys.exit(0)
        except click.UsageError as err:
            where = err.ctx.command_path if err.ctx else "councilsim"
            message = err.format_message().rstrip(".")
            click.echo(f"councilsim: error: {message}; see '{where} --help'", err=True)
            sys.exit(2)
        except click.ClickException as err:
            err.show()
            sys.exit(err.exit_code)
        except click.Abort:
            click.echo("councilsim: interrupted", err=True)
            sys.exit(130)
        sys.exit(code if isinstance(code, int) else 0)


@click.group(
    cls=_Group,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "--version", "-V", prog_name="councilsim")
def main() -> None:
    """Voting in the UN Security Council and in reformed councils.

    SCENARIO arguments take a shipped scenario id (see `councilsim list`) or the path of a
    scenario TOML file.
    """


COMMANDS: dict[str, tuple[str, str]] = {
    "list": ("foundation", "list_command"),
    "show": ("foundation", "show_command"),
    "validate": ("validate", "validate_command"),
    "vote": ("vote", "vote_command"),
    "states": ("foundation", "states_command"),
    "run": ("run", "run_command"),
    "power": ("power", "power_command"),
    "elect": ("elect", "elect_command"),
    "check": ("check", "check_command"),
    "simulate": ("simulate", "simulate_command"),
    "sweep": ("sweep", "sweep_command"),
    "compare": ("compare", "compare_command"),
    "equity": ("equity", "equity_command"),
    "amend": ("amend", "amend_command"),
    "fit": ("fit", "fit_command"),
    "replay": ("replay", "replay_command"),
}
"""Every command: the module under :mod:`councilsim.cli` that defines it and its name there."""

SHORT_HELP: dict[str, str] = {
    "list": "List the shipped scenarios: id, seats, veto holders, quota, name.",
    "show": "Show a scenario's composition by class and region, and its rule in words.",
    "validate": "Check scenario files and the values of their [expected] blocks.",
    "vote": "Decide one draft and explain the outcome.",
    "states": "List the UN member states with their ISO 3166 alpha-3 code and regional group.",
    "run": "Run SCENARIO as its file describes and print one report.",
    "power": "Exact a-priori voting power of each member of SCENARIO... and --game.",
    "elect": "Simulate the General Assembly's elections of the non-permanent seats, year by year.",
    "check": "Check the axioms of voting rules on each SCENARIO... and --game.",
    "simulate": "Simulate drafts put to the council of SCENARIO under a vote model.",
    "sweep": "Measure every configuration of a grid around a base scenario.",
    "compare": "Compare the council of BASE with those of OTHER...: one row per measure.",
    "equity": "Each state's share of expected power against its share under Penrose's "
    "square-root rule (√population ÷ Σ √population over the UN members), the ratio, and the "
    "same by regional group.",
    "amend": "Could each plan pass as a Charter amendment, and who decides it?",
    "fit": "Fit the record model to the Council's record and write its parameter file (TOML).",
    "replay": "Replay every recorded draft of a period on SCENARIO's council.",
}
"""Each command's one-line help, shown by ``councilsim --help`` without importing the command
(a test checks it against the commands themselves)."""


def load_command(name: str) -> click.Command:
    """Import the command ``name`` (a key of :data:`COMMANDS`) and register it."""
    module, attribute = COMMANDS[name]
    command: click.Command = getattr(import_module(f"councilsim.cli.{module}"), attribute)
    main.add_command(command, name)
    return command
