"""The examples in the package's docstrings run, one test per docstring.

A test module rather than ``--doctest-modules`` over ``src/councilsim``: pytest would import the
source files by path, which clashes with an installed (not editable) copy of the package, the
one CI tests ("import file mismatch"). Here the installed package is walked instead. Modules that
need an optional extra the environment lacks (``pip install ".[test]"`` installs no numba or
matplotlib) are skipped with the extra's name, never failed.
"""

from __future__ import annotations

import doctest
import importlib
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import councilsim

EXTRAS = {"hypothesis": "testing", "matplotlib": "plot", "numba": "fast"}
"""Optional dependencies and the extra that installs each."""

NEEDS = {
    "councilsim.strategies": "hypothesis",
    "councilsim.compare.plot": "matplotlib",
    "councilsim.sweep.plot": "matplotlib",
    "councilsim.simulation.compiled": "numba",
}
"""Modules (and their submodules) whose examples need an optional dependency."""

FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _installed(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _needed(module: str) -> str | None:
    """The optional dependency a module needs and the environment lacks, if any."""
    for prefix, dependency in NEEDS.items():
        if (module == prefix or module.startswith(prefix + ".")) and not _installed(dependency):
            return dependency
    return None


def _missing(err: BaseException | None) -> str | None:
    """The optional dependency whose absence caused an import error, if that was the cause."""
    while err is not None:
        if isinstance(err, ModuleNotFoundError) and (err.name or "").split(".")[0] in EXTRAS:
            return (err.name or "").split(".")[0]
        err = err.__cause__ or err.__context__
    return None


def _skip(name: str, dependency: str) -> Any:
    reason = f"needs {dependency}: pip install '.[{EXTRAS[dependency]}]'"
    return pytest.param(None, id=name, marks=pytest.mark.skip(reason=reason))


def module_names() -> list[str]:
    """Every module of the package, ``__main__`` (which would run the CLI) excepted.

    Found by file rather than by :func:`pkgutil.walk_packages`, which does not enter a folder
    without an ``__init__.py`` (a namespace package).
    """
    root = Path(councilsim.__file__).parent
    names = set()
    for path in root.rglob("*.py"):
        parts = path.relative_to(root.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts[-1] != "__main__":
            names.add(".".join(parts))
    return sorted(names)


def _import(name: str) -> ModuleType | str:
    """The module, or the optional dependency that keeps it from being imported."""
    try:
        return importlib.import_module(name)
    except ImportError as err:
        dependency = _missing(err)
        if dependency is None:
            raise
        return dependency


def docstring_examples() -> list[Any]:
    """One parameter per docstring with examples, one skipped parameter per module that needs
    a missing optional dependency."""
    finder = doctest.DocTestFinder(exclude_empty=True)
    params: list[Any] = []
    for name in module_names():
        dependency = _needed(name)
        module = _import(name) if dependency is None else dependency
        if isinstance(module, str):
            params.append(_skip(name, module))
            continue
        found = [t for t in finder.find(module, name) if t.examples]
        params += [pytest.param(t, id=t.name) for t in sorted(found, key=lambda t: t.name)]
    return params


EXAMPLES = docstring_examples()


@pytest.mark.parametrize("test", EXAMPLES)
def test_docstring_examples_run(test: doctest.DocTest) -> None:
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    report: list[str] = []
    result = runner.run(test, out=report.append)
    assert result.failed == 0, "".join(report)


def test_the_key_functions_have_examples() -> None:
    names = {t.name.rsplit(".", 1)[-1] for t in (p.values[0] for p in EXAMPLES) if t is not None}
    assert {"decide", "parse_game", "power"} <= names


def test_a_failing_example_fails() -> None:
    def example() -> None:
        """
        >>> 1 + 1
        3
        """

    (test,) = doctest.DocTestFinder().find(example, "example", globs={})
    result = doctest.DocTestRunner(optionflags=FLAGS).run(test, out=lambda _: None)
    assert result.failed == 1
