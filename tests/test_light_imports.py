"""What describes scenarios loads no numpy, and no command's ``--help`` does.

Start-up time is measured in ``benchmarks/bench_startup.py``; these tests keep the property
that makes it short: reading, validating and listing scenarios, and the options of every
command, need neither numpy nor the engines. Each check runs in a fresh interpreter.
"""

from __future__ import annotations

import ast
import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from councilsim.cli import COMMANDS

HEAVY = ("numpy", "councilsim.rule", "councilsim.power", "councilsim.simulation.engine")
"""Modules the light paths must not import."""


def _loaded(code: str) -> list[str]:
    """The modules of :data:`HEAVY` that ``code`` leaves imported, in a fresh interpreter."""
    probe = f"{code}\nimport sys\nprint(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return list(ast.literal_eval(done.stdout.strip().splitlines()[-1]))


def test_reading_every_shipped_scenario_loads_no_numpy() -> None:
    code = (
        "from councilsim.scenario import load, shipped_ids\n"
        "from councilsim.describe import composition, summary\n"
        "for i in shipped_ids():\n"
        "    s = load(i)\n"
        "    summary(s), composition(s)\n"
        "    assert s.simulation is not None or i in ('double-veto', 'g4-2005-veto')\n"
    )
    assert _loaded(code) == []


def test_the_arrays_of_a_council_load_numpy_when_asked_for() -> None:
    code = (
        "from councilsim.scenario import load\n"
        "c = load('current').council\n"
        "assert (c.total_weight, c.veto_holders) == (15, 5)\n"
        "assert c.weights.sum() == 15 and not c.weights.flags.writeable\n"
    )
    assert _loaded(code) == ["numpy"]


@pytest.mark.parametrize("args", [["list"], ["show", "current"], ["states"]])
def test_commands_that_describe_load_no_numpy(args: list[str]) -> None:
    code = (
        "from click.testing import CliRunner\n"
        "from councilsim.cli import main\n"
        f"result = CliRunner().invoke(main, {args!r})\n"
        "assert result.exit_code == 0, result.output\n"
    )
    assert _loaded(code) == []


def test_no_help_of_a_command_loads_numpy() -> None:
    code = (
        "from click.testing import CliRunner\n"
        "from councilsim.cli import COMMANDS, main\n"
        "for name in COMMANDS:\n"
        "    result = CliRunner().invoke(main, [name, '--help'])\n"
        "    assert result.exit_code == 0 and 'Usage:' in result.output, (name, result.output)\n"
    )
    assert len(COMMANDS) > 10
    assert _loaded(code) == []


LAZY_PACKAGES = ["councilsim.simulation", "councilsim.elections", "councilsim.axioms"]
LAZY_PACKAGES += ["councilsim.models"]


def _type_checking_imports(package: str) -> dict[str, str]:
    """Each name the package imports under ``if TYPE_CHECKING:`` and its module."""
    spec = importlib.util.find_spec(package)
    assert spec is not None and spec.origin is not None
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    out = {}
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for item in node.body:
                if isinstance(item, ast.ImportFrom) and (item.module or "").startswith(package):
                    out.update({a.asname or a.name: item.module or "" for a in item.names})
    return out


@pytest.mark.parametrize("package", LAZY_PACKAGES)
def test_a_lazy_package_gives_each_name_it_declares(package: str) -> None:
    pkg = importlib.import_module(package)
    declared = _type_checking_imports(package)
    modules = {m: importlib.import_module(m) for m in set(declared.values())}
    assert declared
    for name, module in declared.items():  # also once its module is loaded (no name shadowed)
        assert getattr(pkg, name) is getattr(modules[module], name), name
    for name in pkg.__all__:
        assert name in declared or name in vars(pkg), name
    with pytest.raises(AttributeError):
        pkg.no_such_name  # noqa: B018


ENGINES = (
    "multiprocessing",
    "concurrent.futures",
    "importlib.resources",
    "councilsim.power.generating",
    "councilsim.power.ternary",
    "councilsim.statepower",
    "councilsim.simulation.years",
    "councilsim.simulation.votes",
    "json",
    "statistics",
    "councilsim.pool",
    "click._termui_impl",
)
"""What a plain ``power`` or ``run`` of today's Council does not need: the worker pool (one
worker: neither the process pool nor :mod:`councilsim.pool`), click's progress bar (none is
shown where stderr is not a terminal), the package-data reader, generating functions (a
council is counted by class), the ternary and union indices, states' power, the elections
engine (no ``years``), per-member votes (the model's votes are independent), JSON (a table is
printed) and ``statistics`` (the 95 % quantile is a literal)."""


@pytest.mark.parametrize("args", [["power", "current"], ["run", "current", "--draws", "1000"]])
def test_a_plain_computing_command_loads_only_its_engine(args: list[str]) -> None:
    probe = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from councilsim.cli import main\n"
        f"result = CliRunner().invoke(main, {args!r})\n"
        "assert result.exit_code == 0, result.output\n"
        f"print(sorted(m for m in {ENGINES!r} if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert ast.literal_eval(done.stdout.strip().splitlines()[-1]) == []


@pytest.mark.parametrize(("given", "expected"), [(None, "1"), ("3", "3")])
def test_the_command_line_runs_blas_on_one_thread_unless_told(
    given: str | None, expected: str
) -> None:
    probe = (
        "import os, sys\n"
        "from councilsim.cli import main\n"
        "sys.argv = ['councilsim', 'power', 'current', '--index', 'banzhaf']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(os.environ.get('OPENBLAS_NUM_THREADS'))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if given is not None:
        env["OPENBLAS_NUM_THREADS"] = given
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == expected


def test_validate_samples_profiles_without_numpy_random() -> None:
    """The anonymity check draws its sampled profiles from the standard library's generator:
    ``numpy.random`` alone costs ``validate`` 12-16 ms of start-up."""
    probe = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from councilsim.cli import main\n"
        "result = CliRunner().invoke(main, ['validate', 'current'])\n"
        "assert result.exit_code == 0, result.output\n"
        "print('numpy.random' in sys.modules, 'councilsim.axioms.profiles' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]
