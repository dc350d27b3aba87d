"""The ``councilsim`` command line: a thin shell over the library."""

from __future__ import annotations

import click

from councilsim import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", "-V", prog_name="councilsim")
def main() -> None:
    """Voting in the UN Security Council and in reformed councils.

    SCENARIO arguments take a shipped scenario id (see `councilsim list`) or the path of a
    scenario TOML file.
    """


def _register() -> None:
    from councilsim.cli.check import check_command
    from councilsim.cli.elect import elect_command
    from councilsim.cli.foundation import COMMANDS

    for cmd in COMMANDS:
        main.add_command(cmd)
    from councilsim.cli.power import power_command
    from councilsim.cli.run import run_command
    from councilsim.cli.simulate import simulate_command

    main.add_command(run_command)
    main.add_command(power_command)
    main.add_command(elect_command)
    main.add_command(check_command)
    main.add_command(simulate_command)


_register()
