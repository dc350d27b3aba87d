"""councilsim: voting in the UN Security Council and in the reformed councils states propose."""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from councilsim.council import Abstention, Council, Region, Rule, Seat, SeatClass, SeatKind
    from councilsim.errors import ScenarioError
    from councilsim.rule import Decision, Outcome, Vote, decide, decide_council

__version__ = "0.1.0"

__all__ = [
    "Abstention",
    "Council",
    "Decision",
    "Outcome",
    "Region",
    "Rule",
    "ScenarioError",
    "Seat",
    "SeatClass",
    "SeatKind",
    "Vote",
    "__version__",
    "decide",
    "decide_council",
]

_LAZY = {
    **dict.fromkeys(
        ("Abstention", "Council", "Region", "Rule", "Seat", "SeatClass", "SeatKind"),
        "councilsim.council",
    ),
    "ScenarioError": "councilsim.errors",
    **dict.fromkeys(("Decision", "Outcome", "Vote", "decide", "decide_council"), "councilsim.rule"),
}
"""The public names, imported on first use so that ``import councilsim`` (and every command
of the command line) does not load numpy and the scenario machinery before it needs them."""


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'councilsim' has no attribute {name!r}")
