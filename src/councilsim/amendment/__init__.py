"""Could a reform pass? The Charter amendment of Arts. 108 and 109 as a composite game.

* :mod:`~councilsim.amendment.game`: the amendment game over the 193 member states and its
  exact a-priori measures;
* :mod:`~councilsim.amendment.positions`: the declared positions of negotiating groups and
  states (the shipped data file, or a user's own, strictly validated);
* :mod:`~councilsim.amendment.support`: each state's probability of supporting a plan, from a
  declared stance or from General Assembly voting similarity
  (:mod:`~councilsim.amendment.idealpoints`);
* :mod:`~councilsim.amendment.model`: the correlated passage model, pivotal states and the
  states to win over;
* :mod:`~councilsim.amendment.report`: :func:`analyse`, the report of ``councilsim amend``.
"""

from __future__ import annotations

from councilsim.amendment.game import PERMANENT, amendment_game, apriori, two_thirds
from councilsim.amendment.positions import Positions, load_positions, read_positions
from councilsim.amendment.report import AmendmentReport, analyse
from councilsim.amendment.support import StateSupport, support

__all__ = [
    "PERMANENT",
    "AmendmentReport",
    "Positions",
    "StateSupport",
    "amendment_game",
    "analyse",
    "apriori",
    "load_positions",
    "read_positions",
    "support",
    "two_thirds",
]
