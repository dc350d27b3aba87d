"""The one error type that bad input raises, and how it is worded."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def escape(text: str) -> str:
    r"""``text`` with control characters written as escapes (``\x1b``), line breaks and tabs
    kept: every message and table councilsim prints goes through it, so that a name or key in
    a file cannot move the cursor, clear the screen or retitle the terminal.

    >>> escape("EVIL\x1b[2J name\n")
    'EVIL\\x1b[2J name\n'
    """
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def install_hint(extra: str) -> str:
    """How to install an optional extra: from a package index, or from the source folder.

    >>> print(install_hint("plot"))
    python -m pip install "councilsim[plot]" (or ".[plot]" in a source checkout)
    """
    return f'python -m pip install "councilsim[{extra}]" (or ".[{extra}]" in a source checkout)'


class ScenarioError(ValueError):
    """A problem in user input: a scenario file, a game string, a data file or an option.

    The message is one line that names the file, the line where known, the key path, what is
    wrong and how to fix it, e.g.::

        scenarios/x.toml:12: rule.quota: 30 exceeds the total weight 25; set a quota in 1..25
    """

    def __init__(
        self,
        problem: str,
        *,
        file: str | None = None,
        key: str | None = None,
        fix: str | None = None,
        line: int | None = None,
    ) -> None:
        self.problem = problem
        self.file = file
        self.key = key
        self.fix = fix
        self.line = line
        super().__init__(self.message)

    def with_fix(self, fix: str | None) -> ScenarioError:
        """The same error with another fix."""
        return ScenarioError(self.problem, file=self.file, key=self.key, fix=fix, line=self.line)

    @property
    def message(self) -> str:
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "") + ": "
        key = f"{self.key}: " if self.key else ""
        fix = f"; {self.fix}" if self.fix else ""
        return escape(" ".join(f"{where}{key}{self.problem}{fix}".split()))

    def __str__(self) -> str:
        return self.message
