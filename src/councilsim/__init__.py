"""councilsim: voting in the UN Security Council and in the reformed councils states propose."""

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
