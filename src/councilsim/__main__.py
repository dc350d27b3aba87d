"""``python -m councilsim``: the command line."""

from councilsim.cli import main

if __name__ == "__main__":
    main(prog_name="councilsim")
