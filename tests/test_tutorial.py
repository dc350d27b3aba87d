"""The property-testing tutorial: its Python examples run, in order, as one session."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TUTORIAL = Path(__file__).resolve().parents[1] / "docs" / "tutorial-property-testing.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", TUTORIAL.read_text(encoding="utf-8"), re.S)


def test_tutorial_has_examples() -> None:
    assert len(python_blocks()) >= 5


def test_tutorial_examples_run(capsys: pytest.CaptureFixture[str]) -> None:
    namespace: dict[str, object] = {"__name__": "tutorial"}
    for k, block in enumerate(python_blocks()):
        exec(compile(block, f"{TUTORIAL.name} block {k + 1}", "exec"), namespace)
    out = capsys.readouterr().out
    assert "25 5 14" in out
    assert "monotone   violated  by class" in out
    assert "but it fails when elected-16 also votes yes" in out
