"""Names a package re-exports from its modules, each imported on first use (PEP 562).

A package such as :mod:`councilsim.simulation` gathers the public names of its modules, but a
program that needs one light module of it (the scenario reader needs
:mod:`councilsim.simulation.spec`) should not import every engine with it. The package lists
its names under ``if TYPE_CHECKING:`` (what type checkers and readers see) and hands the same
table to :func:`lazy_exports`, whose ``__getattr__`` imports a name's module when the name is
first asked for; a test checks that the two lists agree.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from importlib import import_module
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, modules: Mapping[str, Sequence[str]]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``: each name in ``modules[m]`` is imported
    from ``package.m`` on first use and kept in the package's namespace."""
    where = {name: module for module, names in modules.items() for name in names}
    namespace = sys.modules[package].__dict__

    def __getattr__(name: str) -> Any:
        if name not in where:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(f"{package}.{where[name]}"), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *where})

    return __getattr__, __dir__
