"""The ``councilsim`` command line: a thin shell over the library."""

from __future__ import annotations

import sys
from typing import Any

import click

from councilsim import __version__


class _Group(click.Group):
    """The command group, with every usage error on one line (exit status 2)."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
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


def _register() -> None:
    from councilsim.cli.amend import amend_command
    from councilsim.cli.check import check_command
    from councilsim.cli.compare import compare_command
    from councilsim.cli.elect import elect_command
    from councilsim.cli.equity import equity_command
    from councilsim.cli.foundation import COMMANDS

    for cmd in COMMANDS:
        main.add_command(cmd)
    from councilsim.cli.power import power_command
    from councilsim.cli.run import run_command
    from councilsim.cli.simulate import simulate_command
    from councilsim.cli.sweep import sweep_command

    main.add_command(run_command)
    main.add_command(power_command)
    main.add_command(elect_command)
    main.add_command(check_command)
    main.add_command(simulate_command)
    main.add_command(sweep_command)
    main.add_command(compare_command)
    main.add_command(equity_command)
    main.add_command(amend_command)
    from councilsim.cli.fit import fit_command
    from councilsim.cli.replay import replay_command

    main.add_command(fit_command)
    main.add_command(replay_command)


_register()
