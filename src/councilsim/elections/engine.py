"""The election engine: the Council of each year, for many replications at once.

Each year the General Assembly fills the seats whose terms end (rule 142 of its rules of
procedure; for the ten elected seats, five a year under GA res. 1991 A (XVIII)). A seat of a
group goes to an eligible state of that group: one that holds no other seat in the coming
year and, unless the class allows it, did not hold this class's seat that falls vacant
(rule 144: no immediate re-election). At the elections of the Arab swing seat's cycle one seat
of the swing group is filled from its Arab states first.

All replications advance together: the holders are an integer array ``(replications, years,
seats)`` and every election is a handful of array operations on ``(states of the group,
replications)`` (:mod:`councilsim.elections.draw`). Winners are drawn by weight without
replacement with exponential keys (the state with the smallest ``E / w``, ``E`` a standard
exponential, wins; the next smallest wins the next seat), which is exactly successive weighted
draws; or, with a :class:`BallotModel`, by a stylised General Assembly ballot.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from councilsim.council import Council, Region, SeatKind
from councilsim.elections.ballot import BallotModel, ballot
from councilsim.elections.candidates import Candidates, candidate_model
from councilsim.elections.check import Member, YearComposition
from councilsim.elections.draw import smallest
from councilsim.elections.rules import ElectionRules, StartComposition
from councilsim.elections.start import starting_composition
from councilsim.errors import ScenarioError
from councilsim.limits import DEFAULT_CANDIDATES, MAX_CELLS
from councilsim.states import ARAB_STATES, all_states, member_states

__all__ = ["MAX_CELLS", "ElectionRun", "run_elections", "starting_composition"]

#: Upper bound on replications x years x seats held in memory (int16: 2 bytes each).
_OPEN = -1


@dataclass(frozen=True)
class ElectionRun:
    """The result of :func:`run_elections`.

    ``holders[r, t, s]`` is the index in :attr:`states` of the holder of seat ``s`` (council
    order) in year ``years[t]`` of replication ``r``; ``-1`` is an open seat (a placeholder).
    ``ballots[r]`` counts the ballots of replication ``r`` under a :class:`BallotModel`;
    ``elections`` is the number of contests (one per group, class and year, the Arab swing
    seat counted apart) in each replication.
    """

    rules: ElectionRules
    start: StartComposition
    years: NDArray[np.int64]
    holders: NDArray[np.int16]
    candidates: str
    seed: int | None
    ballots: NDArray[np.int64] | None = None
    elections: int = 0

    @property
    def replications(self) -> int:
        return int(self.holders.shape[0])

    @cached_property
    def states(self) -> tuple[str, ...]:
        """ISO3 codes by index: :func:`councilsim.states.all_states` order."""
        return tuple(s.iso3 for s in all_states())

    def code(self, index: int) -> str | None:
        return None if index < 0 else self.states[index]

    def council(self, t: int, replication: int = 0) -> Council:
        """The council of year ``years[t]``: the scenario's classes with that year's holders."""
        row = [self.code(int(h)) for h in self.holders[replication, t]]
        classes, k = [], 0
        for cls in self.rules.council.classes:
            classes.append(dataclasses.replace(cls, holders=tuple(row[k : k + cls.count])))
            k += cls.count
        return dataclasses.replace(self.rules.council, classes=tuple(classes))

    def composition(self, replication: int = 0) -> list[YearComposition]:
        """Who holds each seat in every year of one replication."""
        seats = self.rules.council.seats
        return [
            YearComposition(
                int(year),
                tuple(
                    Member(self.code(int(h)), s.seat_class, s.kind, s.region)
                    for h, s in zip(self.holders[replication, t], seats, strict=True)
                ),
            )
            for t, year in enumerate(self.years)
        ]


def run_elections(
    rules: ElectionRules,
    years: int,
    *,
    start: StartComposition | None = None,
    replications: int = 1,
    seed: int | None = None,
    candidates: Candidates | None = None,
    balloting: BallotModel | None = None,
    progress: Callable[[int], None] | None = None,
) -> ElectionRun:
    """Simulate ``years`` years of the Council, from a start composition.

    Parameters
    ----------
    rules
        The election rules (:func:`councilsim.elections.rules_for` gives a scenario's).
    years
        Years to simulate, counting the start year.
    start
        The first year (default: :func:`starting_composition`). Its open seats are drawn.
    replications
        Independent runs, simulated together.
    seed
        Seed of the :class:`numpy.random.Generator`; the same seed and arguments give the same
        run. The global generator is never used.
    candidates
        The candidate model (default: :data:`~councilsim.limits.DEFAULT_CANDIDATES`, the
        shipped ``record`` model of past service).
    balloting
        Elect by a stylised General Assembly ballot instead of a direct weighted draw.
    progress
        Called with the number of years done (all replications) as each year finishes.
    """
    if years < 1 or replications < 1:
        raise ScenarioError("years and replications must be at least 1", key="years")
    cells = years * replications * rules.council.size
    if cells > MAX_CELLS:
        raise ScenarioError(
            f"{years} years x {replications} replications x {rules.council.size} seats is too "
            "large to hold",
            key="replications",
            fix=f"keep years x replications x seats under {MAX_CELLS:,}",
        )
    start = start or starting_composition(rules)
    engine = _Engine(
        rules, candidates or candidate_model(DEFAULT_CANDIDATES), balloting, seed, replications
    )
    holders = engine.run(start, years, progress)
    return ElectionRun(
        rules=rules,
        start=start,
        years=np.arange(start.year, start.year + years, dtype=np.int64),
        holders=holders,
        candidates=engine.candidates.name,
        seed=seed,
        ballots=engine.ballots if balloting is not None else None,
        elections=engine.contests,
    )


class _Engine:
    """The state of a run between years.

    ``row`` is the Council being elected, one row per replication. A contest's keys are laid
    out one row per state of the group's pool and one column per replication
    (:func:`councilsim.elections.draw.smallest`), in buffers reused by every contest; the
    states that cannot win get an infinite key, at the cells the seats they hold name.
    """

    def __init__(
        self,
        rules: ElectionRules,
        candidates: Candidates,
        balloting: BallotModel | None,
        seed: int | None,
        replications: int,
    ) -> None:
        self.rules = rules
        self.candidates = candidates
        self.balloting = balloting
        self.rng = np.random.default_rng(seed)
        self.reps = replications
        self.rr = np.arange(replications)
        codes = [s.iso3 for s in all_states()]
        self.index = {c: i for i, c in enumerate(codes)}
        self.n = len(codes)
        current = {s.iso3: s.group for s in member_states()}
        self.pool: dict[Region, NDArray[np.intp]] = {
            g: np.array([i for i, c in enumerate(codes) if current.get(c) is g], dtype=np.intp)
            for g in Region
        }
        self.arab = {
            g: np.isin(np.array(codes)[p], list(ARAB_STATES)) for g, p in self.pool.items()
        }
        w = candidates.weights
        self.inv_w = {
            g: np.where(w[p] > 0, 1.0 / np.maximum(w[p], 1e-20), 1e30).astype(np.float32)
            for g, p in self.pool.items()
        }
        self.declared = _declared(rules.council, self.pool, self.index, w)
        # per group: its pool's rows and each state's row among them (others: the spare last)
        self.rows = {g: self._rows_of(g, np.ones(p.size, dtype=bool)) for g, p in self.pool.items()}
        # buffers reused by every contest (fresh temporaries would cost page faults)
        widest = max(p.size for p in self.pool.values())
        self._keys = np.empty(replications * widest, dtype=np.float32)
        self._table = np.empty((widest + 1) * replications, dtype=np.float32)
        self._scratch = np.empty(2 * widest * replications, dtype=np.uint8)
        self._cells = np.empty(0, dtype=np.intp)
        self._chosen = np.empty(0, dtype=np.float32)
        self.ballots = np.zeros(replications, dtype=np.int64)
        self.contests = 0
        seats = rules.council.seats
        self.cls = [s.seat_class for s in seats]
        self.region = [s.region for s in seats]
        self.term = [s.term or 1 for s in seats]
        # the seats whose holder may belong to each group's pool (all, until the start is known)
        self.reach = {g: list(range(len(seats))) for g in self.pool}

    def run(
        self, start: StartComposition, years: int, progress: Callable[[int], None] | None = None
    ) -> NDArray[np.int16]:
        size = self.rules.council.size
        holders = np.empty((self.reps, years, size), dtype=np.int16)  # every year is written
        # this year's Council, contiguous: the elections read and write it seat by seat
        row = np.empty((self.reps, size), dtype=np.int16)
        row[:] = [self.index[h] if h else _OPEN for h in start.holders]
        self._fill_start(row, start)
        self.reach = self._reach(row)
        holders[:, 0, :] = row
        if progress is not None:
            progress(1)
        for t in range(1, years):
            self._elect(row, start.year + t - 1)
            holders[:, t, :] = row
            if progress is not None:
                progress(1)
        return holders

    def _reach(self, row: NDArray[np.int16]) -> dict[Region, list[int]]:
        """The seats whose holder may belong to each group's pool from now on: a seat keeps
        its holder of ``row`` or is filled from its region's pool (the Arab seat of a group is
        one of the group's seats)."""
        group = {int(i): g for g, p in self.pool.items() for i in p}
        filled_from: list[set[Region]] = [{r} if r else set() for r in self.region]
        for s in range(row.shape[1]):
            filled_from[s] |= {group[int(i)] for i in np.unique(row[:, s]) if int(i) in group}
        return {g: [s for s, f in enumerate(filled_from) if g in f] for g in self.pool}

    def _fill_start(self, row: NDArray[np.int16], start: StartComposition) -> None:
        seats = self.rules.council.seats
        settled = [i for i, h in enumerate(start.holders) if h is not None]
        arab = self.rules.arab_seat
        swing: Region | None = None
        if arab is not None:
            term = self.rules.election(arab.class_id).term
            swing = arab.group_at(arab.last_election(start.year, term), term)
        drawn_permanent = self.rules.open_permanent == "draw"
        for cls in self.rules.council.classes:
            if cls.kind is SeatKind.PERMANENT and not drawn_permanent:
                continue
            for g in Region:
                open_ = [
                    i
                    for i, s in enumerate(seats)
                    if s.seat_class == cls.id and s.region is g and start.holders[i] is None
                ]
                reserved = (self.rules.arab_seats or {}).get(g) if g is swing else None
                if arab is not None and arab.class_id != cls.id:
                    reserved = None
                if open_:
                    arab_seat = reserved if reserved in open_ else None
                    self._fill(row, open_, g, settled, None, arab_seat, cls.id)

    def _elect(self, row: NDArray[np.int16], year: int) -> None:
        """The elections held in ``year``: ``row`` goes from the Council of ``year`` to that of
        the next year (a seat's retiring holder is still in ``row`` until the seat is filled)."""
        rules = self.rules
        phases = rules.seat_phase
        refill = [i for i, p in enumerate(phases) if p is not None and year % self.term[i] == p]
        if not refill:
            return
        settled = [i for i in range(len(phases)) if i not in set(refill)]
        arab = rules.arab_seat
        for cls in rules.classes:
            for g in cls.elected_in(year):
                seats = [i for i in refill if self.cls[i] == cls.class_id and self.region[i] is g]
                banned = None if cls.reelection else row[:, seats]  # the retiring holders
                reserved = None
                if arab and rules.arab_seats and arab.class_id == cls.class_id:
                    swing = arab.group_at(year, cls.term)
                    reserved = rules.arab_seats[g] if swing is g else None
                self._fill(row, seats, g, settled, banned, reserved, cls.class_id)

    def _fill(
        self,
        row: NDArray[np.int16],
        seats: list[int],
        group: Region,
        settled: list[int],
        banned: NDArray[np.int16] | None,
        reserved: int | None,
        class_id: str = "",
    ) -> None:
        """Fill ``seats`` from the group's pool. The holders of the ``settled`` seats (to which
        the filled seats are added) and the ``banned`` states (one row per replication) cannot
        win; ``reserved`` goes to an Arab state first."""
        pool = self.pool[group]
        allowed: NDArray[np.bool_] | None = None
        inv_w = self.inv_w[group]
        declared = self.declared.get((class_id, group))
        if declared is not None:  # the scenario's candidates for this class's open seats
            allowed, inv_w = declared
        if reserved is not None:
            arab = self.arab[group] if allowed is None else self.arab[group] & allowed
            won = self._draw(group, self._blocked(row, group, settled, banned), arab, 1, inv_w)
            row[:, reserved] = pool[won[:, 0]]
            settled.append(reserved)
            seats = [s for s in seats if s != reserved]
        if seats:
            blocked = self._blocked(row, group, settled, banned)
            row[:, seats] = pool[self._draw(group, blocked, allowed, len(seats), inv_w)]
            settled.extend(seats)

    def _blocked(
        self,
        row: NDArray[np.int16],
        group: Region,
        settled: list[int],
        banned: NDArray[np.int16] | None,
    ) -> NDArray[np.int16]:
        """The states that cannot win, one row per replication: the holders of the settled
        seats that may hold a state of the group, and the banned states."""
        reach = self.reach[group]
        held = row[:, [s for s in settled if s in reach]]
        return held if banned is None else np.concatenate([held, banned], axis=1)

    def _draw(
        self,
        group: Region,
        blocked: NDArray[np.int16],
        allowed: NDArray[np.bool_] | None,
        k: int,
        inv_w: NDArray[np.float32],
    ) -> NDArray[np.intp]:
        """``k`` winners per replication (indices into the group's pool) among the states
        that are not ``blocked`` and are ``allowed`` (default: all)."""
        if self.balloting is not None:
            return self._ballot(group, blocked, allowed, k, inv_w)
        reps, size = self.reps, self.pool[group].size
        keys = self._keys[: reps * size].reshape(reps, size)
        self.rng.standard_exponential(out=keys, dtype=np.float32)
        # the keys, a row per standing state: all of the pool, or (one seat) the allowed
        if allowed is not None and k == 1:
            rows, local = self._rows_of(group, allowed)
            if self._chosen.size < reps * rows.size:
                self._chosen = np.empty(reps * rows.size, dtype=np.float32)
            chosen = self._chosen[: reps * rows.size].reshape(reps, rows.size)
            source = np.take(keys, rows, axis=1, out=chosen)
        else:
            rows, local = self.rows[group]
            source = keys
        table = self._table[: (rows.size + 1) * reps].reshape(rows.size + 1, reps)
        np.multiply(source.T, inv_w[rows, None], out=table[:-1])
        if allowed is not None and k > 1:
            table[:-1][~allowed] = np.inf
        # blocked states outside the rows, and open seats, go to the spare last row
        if self._cells.size < blocked.size:
            self._cells = np.empty(blocked.size, dtype=np.intp)
        cells = self._cells[: blocked.size].reshape(blocked.shape)
        np.take(local, blocked, out=cells, mode="wrap")  # -1 (an open seat): the last
        cells += self.rr[:, None]
        table.reshape(-1)[cells] = np.inf
        won, short = smallest(table[:-1], k, self._scratch)
        self._check(group, short, k)
        return rows[won]

    def _rows_of(
        self, group: Region, allowed: NDArray[np.bool_]
    ) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        """The pool's ``allowed`` states (indices into the pool) and where each state's row
        among them starts in a table of keys (row x replications); other states, and -1 (the
        last index), get the spare row after them."""
        rows = np.flatnonzero(allowed)
        local = np.full(self.n + 1, rows.size, dtype=np.intp)
        local[self.pool[group][rows]] = np.arange(rows.size)
        return rows, local * self.reps

    def _ballot(
        self,
        group: Region,
        blocked: NDArray[np.int16],
        allowed: NDArray[np.bool_] | None,
        k: int,
        inv_w: NDArray[np.float32],
    ) -> NDArray[np.intp]:
        size = self.pool[group].size
        mask = np.zeros((self.reps, size + 1), dtype=bool)
        mask[self.rr[:, None], self.rows[group][1][blocked] // self.reps] = True
        eligible = ~mask[:, :size]
        if allowed is not None:
            eligible &= allowed
        self._check(group, int(eligible.sum(axis=1).min()) < k, k)
        w = 1.0 / inv_w.astype(np.float64)
        won, n = ballot(self.rng, w, eligible, k, self.balloting)  # type: ignore[arg-type]
        self.ballots += n
        return won

    def _check(self, group: Region, short: bool, k: int) -> None:
        if short:
            raise ScenarioError(
                f"too few eligible {group} states to fill {k} seats",
                key="elections.stagger",
                fix="use fewer seats for the group or allow re-election",
            )
        self.contests += 1


def _declared(
    council: Council,
    pools: dict[Region, NDArray[np.intp]],
    index: dict[str, int],
    weights: NDArray[np.float64],
) -> dict[tuple[str, Region], tuple[NDArray[np.bool_], NDArray[np.float32]]]:
    """For each class and group with declared candidates (:class:`~councilsim.council.Candidacy`):
    which states of the group's pool stand, and their inverse weights (the declared weights,
    else the candidate model's)."""
    out = {}
    for cls in council.classes:
        if cls.candidacy is None:
            continue
        declared = cls.candidacy
        given = dict(zip(declared.states, declared.weights, strict=False))
        for g, pool in pools.items():
            codes = [c for c in declared.states if int(index[c]) in set(pool.tolist())]
            if not codes:
                continue
            mask = np.isin(pool, [index[c] for c in codes])
            w = np.array([given.get(c, weights[index[c]]) for c in codes], dtype=np.float64)
            full = np.zeros(len(pool))
            full[np.searchsorted(pool, [index[c] for c in codes])] = w
            inv = np.where(full > 0, 1.0 / np.maximum(full, 1e-20), 1e30).astype(np.float32)
            out[(cls.id, g)] = (mask, inv)
    return out
