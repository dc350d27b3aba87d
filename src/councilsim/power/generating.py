"""Exact counting for large weighted games by generating functions over weight.

Members without a binding veto are counted by the packed generating functions of
:mod:`councilsim.power.packed`; veto holders, usually few and of few weights, by enumerating
how many of each veto type are present (a *veto state*). A coalition is a veto state plus a set
``T`` of other members, and wins iff the veto holders outside the state do not block it
(:meth:`~councilsim.power.counts.Types.vetoes_pass`, by :func:`councilsim.rule.blocked`) and
``w(T) >= q - b`` (``b`` the state's weight).

* Swings (Banzhaf 1965; Penrose 1946) come from prefix sums of ``prod (1 + x**w)`` and of its
  quotient by one member's factor, read off by alternating sums (Bilbao et al. 2000); for
  large games the product is made by a product tree in FLINT where python-flint is installed
  (:mod:`councilsim.power.product_tree`).
* Shapley-Shubik values need coalition sizes too: ``prod (1 + y x**w)``, the pseudo-polynomial
  method of Mann & Shapley (1962) and Brams & Affuso (1976).
* Minimal winning coalitions (for Holler's public good index, and with sizes for
  Deegan-Packel) are counted by their lightest class (see :mod:`councilsim.power.minimal`).

Johnston values need, for every winning coalition, how many of its members are critical: in a
game without veto holders these are its members heavier than its excess over the quota, counted
by a generating function over weight and heavy members per excess
(:mod:`councilsim.power.johnston`); with veto holders, by class enumeration only.

Each count is refused with a :class:`~councilsim.errors.ScenarioError` when its estimated
work (bits moved by big-integer operations) exceeds a limit, instead of running for hours.
"""

from __future__ import annotations

from math import comb, factorial

from councilsim.errors import ScenarioError
from councilsim.power.classes import MAX_VECTORS, vector_count
from councilsim.power.counts import (
    MAX_VETO_STATES,
    Game,
    PowerCounts,
    State,
    Types,
    split_game,
    too_large,
    veto_state_count,
)
from councilsim.power.johnston import johnston_counts, johnston_work
from councilsim.power.minimal import (
    WORD_MEMBERS,
    minimal_counts_and_product,
    pass_slots,
    plain_minimal_counts,
    sized_layout,
)
from councilsim.power.packed import (
    Packing,
    Prefix,
    coefficient_layout,
    max_size_below,
    multiply_widening,
    packing,
    prefix_sums,
    sized_prefix_sums,
    word_windows,
    words_fit,
)
from councilsim.power.packed import unpack as unpack_packed
from councilsim.power.product_tree import prefix_sums as tree_prefix_sums
from councilsim.power.product_tree import worth_it

MAX_WORK = {
    "Banzhaf": 10**13,
    "Shapley-Shubik": 2 * 10**13,
    "public good": 32 * 10**13,
    "Deegan-Packel": 2 * 10**12,
    "Johnston": 10**12,
}
"""Largest estimated work (bits moved) per count; 500 members of weights 1-100 need about
3e9 for Banzhaf, 6e9 for the public good index, 1.2e12 for Shapley-Shubik (16 s) and 3.2e11
for Deegan-Packel (16 s). Unlike the time and memory budget of :func:`councilsim.power.power`
(``max_seconds``, ``max_bytes``), these limits cannot be raised."""


DP_MEMBER_SHARE = 0.10
"""The Deegan-Packel count's work per member added, relative to its work per weight class
(the rows by size are grown once per member; per class they are added to ``Psi`` and read at
the points of the class's sums); fitted with :data:`councilsim.power.SECONDS_PER_BIT`."""


VETO_PASS_COST = 32
"""Cost of the public good pass over veto states per class and bit, in products' bits."""


MAX_BYTES = 2**30
"""Largest packed table (bytes) a count may build."""


def dp_counts(types: Types, quota: int, needs: set[str], game: Game | None = None) -> PowerCounts:
    """Count by generating functions (see the module docstring), for a game
    :func:`dp_refusal` accepts (:func:`councilsim.power.count` asks it first); ``game`` is
    its :func:`~councilsim.power.counts.split_game` where already made."""
    game = game or split_game(types, quota)
    minimal: tuple[int, list[int]] | None = None
    counted: tuple[int, list[int]] | None = None  # winning and swings, if read in 64-bit words
    pre: Prefix | None = None
    if one_pass(game, needs):
        total, per_type, pre = plain_minimal_counts(game)  # the one pass counts swings too
        minimal = total, per_type
    else:
        layout = coefficient_layout(game.plain_members, game.quota)
        if uses_tree(game, needs, layout):
            pre = Prefix(tree_prefix_sums([(w, m) for w, m, _ in game.plain], game.quota), layout)
        else:
            product = multiply_widening(game.ascending(), layout)
            if not game.vetoes and words_fit(layout, game.plain_members):
                counted = _word_swings(game, product, layout)
            else:
                pre = Prefix(prefix_sums(product, layout, game.plain_members), layout)
    if counted is None:
        assert pre is not None
        counted = _winning(game, pre), _swings(game, pre)
    winning, swings = counted
    counts = PowerCounts(
        n=sum(types.count),
        member_type=list(types.member_type),
        winning=winning << game.nulls,
        swings=[s << game.nulls for s in swings],
    )
    built: Prefix | None = None  # the sized product of the Deegan-Packel pass, if made
    if minimal is not None:
        counts.minimal, counts.minimal_with = minimal
    elif needs & {"minimal", "minimal_share"}:
        sized = "minimal_share" in needs
        found = minimal_counts_and_product(game, sized, product="shapley" in needs)
        counts.minimal, counts.minimal_with, counts.minimal_share, built = found
    if "shapley" in needs:
        counts.shapley = _shapley(game, built)
    if "johnston" in needs:
        counts.johnston = johnston_counts(game)
    return counts


def _word_swings(game: Game, product: int, layout: Packing) -> tuple[int, list[int]]:
    """Winning coalitions and swings per type (:func:`_winning`, :func:`_swings`) of a game
    without veto holders whose product and its prefix sums fit 64 bits
    (:func:`~councilsim.power.packed.words_fit`), read by
    :func:`~councilsim.power.packed.word_windows`."""
    weights = [w for w, _, _ in game.plain]
    below, windows = word_windows(product, layout, game.quota, weights, game.plain_members)
    swings = [0] * len(game.types.count)
    for (_, _, t), window in zip(game.plain, windows, strict=True):
        swings[t] = window
    return (1 << game.plain_members) - below, swings


def one_pass(game: Game, needs: set[str]) -> bool:
    """Whether the public good count's one pass (:func:`plain_minimal_counts`) is made, and
    gives the swings too: minimal coalitions without sizes, in a game without veto holders."""
    return "minimal" in needs and "minimal_share" not in needs and not game.vetoes


def uses_tree(game: Game, needs: set[str], layout: Packing | None = None) -> bool:
    """Whether :func:`dp_counts` makes the Banzhaf count's product by FLINT's product tree
    (:func:`councilsim.power.product_tree.worth_it`): not when the one pass counts swings.
    ``layout``: the game's :func:`coefficient_layout`, where already made."""
    if one_pass(game, needs):
        return False
    layout = layout or coefficient_layout(game.plain_members, game.quota)
    return worth_it(game.plain_members, game.quota, layout.bits)


def dp_refusal(
    types: Types,
    quota: int,
    needs: set[str],
    game: Game | None = None,
    effort: dict[str, tuple[int, int]] | None = None,
) -> ScenarioError | None:
    """Why generating functions will not count ``needs`` for this game, or ``None``
    (``game``: its :func:`~councilsim.power.counts.split_game`, ``effort``: its :func:`work`,
    where already made)."""
    if "johnston" in needs and any(types.veto):
        return too_large(
            "Johnston",
            f"{vector_count(types)} count vectors of seat classes with veto holders",
            f"games with veto holders of at most {MAX_VECTORS} count vectors",
        )
    if veto_state_count(types) > MAX_VETO_STATES:
        return too_large(
            "power",
            "too many veto holders of distinct weights",
            f"at most {MAX_VETO_STATES} ways to pick veto holders by weight",
        )
    game = game or split_game(types, quota)
    size = f"{game.plain_members} members of total weight {sum(w * m for w, m, _ in game.plain)}"
    for index, (bits, table) in (effort or work(game, needs)).items():
        if bits > MAX_WORK[index]:
            return too_large(
                index,
                f"{size} need about {bits:.1e} bit operations",
                f"{MAX_WORK[index]:.0e} bit operations",
            )
        if table > MAX_BYTES:
            return too_large(
                index, f"{size} need a table of {table:.1e} bytes", f"{MAX_BYTES} bytes"
            )
    return None


def work(game: Game, needs: set[str]) -> dict[str, tuple[int, int]]:
    """Estimated bits moved and bytes of the largest table, per count ``needs`` asks for."""
    plain, q = game.plain_members, game.quota
    members = plain + sum(m for _, m, _ in game.vetoes)
    bits, all_bits = plain + 8, members + 8
    out = {"Banzhaf": (plain * q * bits, q * bits // 8)}
    by_size = needs & {"shapley", "minimal_share"}  # rows by coalition size
    sizes = max_size_below(game.ascending(), q) + 1 if by_size else 0
    if "johnston" in needs:
        out["Johnston"] = johnston_work(game)
    if "shapley" in needs:
        ss = plain * q * sizes * bits
        if shares_product(game, needs):  # only its reading of the pass's product is left
            ss = int(ss * SHARED_SHAPLEY)
        out["Shapley-Shubik"] = (ss, q * sizes * bits // 8)
    if "minimal_share" in needs:
        rows = len(game.plain) + DP_MEMBER_SHARE * members  # read per class, grown per member
        out["Deegan-Packel"] = (int(rows * q * sizes * all_bits), q * sizes * all_bits // 8)
    elif one_pass(game, needs):  # swings included
        slots = pass_slots(game)
        out["Banzhaf"] = (0, out["Banzhaf"][1])  # counted by the same pass
        out["public good"] = (2 * plain * slots * bits, slots * bits // 8)
    elif "minimal" in needs:  # reads every class's prefix sums for every veto state
        out["public good"] = (VETO_PASS_COST * len(game.plain) * q * bits, q * bits // 8)
    return out


SHARED_SHAPLEY = 0.1
"""The share of its own work (:func:`work`) a Shapley-Shubik count takes where the
Deegan-Packel pass hands it the product (:func:`shares_product`): reading the swings by size.
Measured beside the pass, on games of 150-400 members of random weights 1-100: 0.01 s of
0.19-0.46 s alone at 150-200 members, and within the pass's own variation (±1.4 s) at 300
and 400 members, where it takes 1.8-1.9 s and 7.3 s alone."""


def shares_product(game: Game, needs: set[str]) -> bool:
    """Whether the Shapley-Shubik count reads the product the Deegan-Packel pass builds
    (:func:`~councilsim.power.minimal.minimal_counts_and_product`): both asked for, the pass
    made in packed integers (veto holders, or more than
    :data:`~councilsim.power.minimal.WORD_MEMBERS` members), and its layout, with slots wide
    enough for every member, the one for the members without a veto (the check
    :func:`_shapley` makes on the product it is handed)."""
    if not {"shapley", "minimal_share"} <= needs:
        return False
    if not game.vetoes and game.plain_members <= WORD_MEMBERS:
        return False
    members = game.plain_members + sum(m for _, m, _ in game.vetoes)
    return sized_layout(game, members) == sized_layout(game, game.plain_members)


def _winning(game: Game, pre: Prefix) -> int:
    everyone = 1 << game.plain_members
    return sum(s.mult * (everyone - pre(game.quota - s.weight)) for s in game.passing())


def _swings(game: Game, pre: Prefix) -> list[int]:
    """Swings of one member of each type (the Banzhaf count)."""
    q = game.quota
    out = [0] * len(game.types.count)
    weights = [w for w, _, _ in game.plain]
    for s in game.passing():
        # the window q - s.weight - w .. q - s.weight of the others' coefficients
        windows = pre.deflated_windows(q - s.weight, weights)
        for (_, _, t), swings in zip(game.plain, windows, strict=True):
            out[t] += s.mult * swings
    everyone = 1 << game.plain_members
    for g, (w, m, t) in enumerate(game.vetoes):
        for s, mult in _without_one(game, g, m):
            if game.types.vetoes_pass(s.size):  # critical by its weight only
                out[t] += mult * pre.window(q - s.weight - w, q - s.weight)
            elif game.types.vetoes_pass(s.size + 1):  # its yes lifts the veto
                out[t] += mult * (everyone - pre(q - s.weight - w))
    return out


def _without_one(game: Game, g: int, m: int) -> list[tuple[State, int]]:
    """States of the veto holders other than one of type ``g``, with their multiplicities."""
    return [(s, s.mult * (m - s.counts[g]) // m) for s in game.states if s.counts[g] < m]


def _shapley(game: Game, product: Prefix | None = None) -> list[int]:
    """Shapley-Shubik values times ``n!`` per type (Shapley & Shubik 1954).

    ``product``: the prefix sums by size of ``prod (1 + y x**w)`` over the plain members,
    where the Deegan-Packel pass already built them (used if in this count's layout);
    otherwise they are built here, by ascending weight (:func:`sized_prefix_sums`).
    """
    q, n_red = game.quota, sum(game.types.count) - game.nulls
    layout = packing(game.plain_members, q, max_size_below(game.ascending(), q) + 1)
    if product is not None and product.layout == layout:
        pre = product
    else:
        pre = Prefix(sized_prefix_sums(game.ascending(), layout), layout)
    orders = [factorial(s) * factorial(n_red - 1 - s) for s in range(n_red)]
    out = [0] * len(game.types.count)
    for w, _, t in game.plain:
        for s in game.passing():
            window = pre.deflated_window(q - s.weight - w, q - s.weight, w)
            out[t] += s.mult * _dot(orders, s.size, unpack_packed(window, layout))
    for g, (w, m, t) in enumerate(game.vetoes):
        for s, mult in _without_one(game, g, m):
            out[t] += mult * _veto_pivots(game, s, w, pre, orders, layout)
    scale = factorial(n_red + game.nulls) // factorial(n_red)
    return [v * scale for v in out]


def _veto_pivots(
    game: Game, s: State, w: int, pre: Prefix, orders: list[int], layout: Packing
) -> int:
    """Shapley-Shubik weight of the coalitions where a veto holder joining state ``s`` pivots."""
    q = game.quota
    if game.types.vetoes_pass(s.size):  # critical by its weight only
        return _dot(
            orders, s.size, unpack_packed(pre.window(q - s.weight - w, q - s.weight), layout)
        )
    if game.types.vetoes_pass(s.size + 1):  # its yes lifts the veto
        below = unpack_packed(pre(q - s.weight - w), layout)
        plain = game.plain_members
        everyone = [comb(plain, k) - (below[k] if k < len(below) else 0) for k in range(plain + 1)]
        return _dot(orders, s.size, everyone)
    return 0


def _dot(orders: list[int], offset: int, counts: list[int]) -> int:
    """``sum_k orders[offset + k] * counts[k]``: orderings in which the pivot comes after them."""
    return sum(
        orders[offset + k] * c for k, c in enumerate(counts) if c and offset + k < len(orders)
    )
