"""Replaying the Council's recorded drafts on another council, under the ``record`` model.

Each recorded draft of a period is replayed on a scenario's council, conditioned on what the
record says about it and imputing only what it does not. The ``record`` model
(:mod:`councilsim.models.record`) draws the draft's hidden state (consensus or contested, its
side, its common factor) together with the votes of the council that voted on it (the five
permanent members and the elected members of the year, 10 from 1966, 6 before, spread over the
regional groups as GA res. 1991 A (XVIII) distributes them) and of the scenario's seats that
did not exist. Draws are kept when the historical votes give the recorded tally (yes, no,
abstentions; "adopted unanimously": all yes) and the permanent members' negative votes the
record names (the veto list for vetoed drafts; none on adopted drafts); this is rejection
sampling from the model's distribution given the record. Where no draw in the budget matches
exactly (a tally the model finds very unlikely), the nearest draws are kept and the draft is
counted as ``inexact``.

On the scenario's council each permanent member casts its conditioned vote; the historical
elected votes go to the scenario's elected seats, of the same regional group first; every other
seat (new permanent members, extra elected seats) votes by the model given the draft's state.
The drafts are then decided under the scenario's rule (:func:`councilsim.rule.decide`). Each
draft gets its own generator (``SeedSequence(seed, spawn_key=(k,))`` for the ``k``-th draft of
the period), so results are identical for any number of worker processes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np
from numpy.typing import NDArray

from councilsim.council import Council, Region, SeatKind
from councilsim.limits import DEFAULT_SEED, MAX_SEED, MAX_WORKERS
from councilsim.models.record import RecordParams, Roles, draw_latent, roles_for
from councilsim.pool import bounded_map
from councilsim.records import P5, Draft, Period
from councilsim.rule import Outcome, Vote, blocks, decide
from councilsim.validate import to_int

__all__ = ["DraftReplay", "Estimate", "ReplayResult", "replay", "replay_scenario"]

REPLICATES = 200
"""Replays of each draft (the intervals are percentiles over whole-period replicates)."""
BATCH = 2000
BATCHES = 8
ENOUGH = 60
CHUNK = 48
FLIPS = 15

_ELECTED = {
    15: (
        *(Region.AFRICA,) * 3,
        *(Region.ASIA_PACIFIC,) * 2,
        Region.EASTERN_EUROPE,
        *(Region.GRULAC,) * 2,
        *(Region.WEOG,) * 2,
    ),
    # 1946-65: the "gentlemen's agreement" of 1946 (two Latin American seats, one each for
    # Western Europe, the Middle East, Eastern Europe and the Commonwealth) [R]
    11: (
        Region.GRULAC,
        Region.GRULAC,
        Region.WEOG,
        Region.ASIA_PACIFIC,
        Region.EASTERN_EUROPE,
        Region.WEOG,
    ),
}
_OUTCOMES = ("adopted", "vetoed", "failed")


@dataclass(frozen=True)
class Estimate:
    """An expected count with its 95 % interval (percentiles over replicates)."""

    estimate: float
    ci_low: float
    ci_high: float

    def to_dict(self) -> dict[str, float]:
        return {"estimate": self.estimate, "ci_low": self.ci_low, "ci_high": self.ci_high}


@dataclass(frozen=True)
class DraftReplay:
    """One recorded draft replayed: its probabilities of each outcome on the new council."""

    draft: str
    date: str
    topic: str
    recorded: str
    p_adopted: float
    p_vetoed: float
    p_failed: float
    exact: bool

    @property
    def p_changed(self) -> float:
        """The probability that its outcome differs from the recorded one."""
        return 1.0 - {"adopted": self.p_adopted, "vetoed": self.p_vetoed}.get(
            self.recorded, self.p_failed
        )


@dataclass(frozen=True)
class ReplayResult:
    """A period's drafts replayed on a council (see :func:`replay`)."""

    scenario: str
    period: str
    model_period: str
    recorded: dict[str, int]
    replayed: dict[str, Estimate]
    drafts: tuple[DraftReplay, ...]
    blocks: dict[str, tuple[float, tuple[str, ...]]]
    seed: int
    replicates: int
    notes: tuple[str, ...] = field(default=())

    @property
    def inexact(self) -> int:
        return sum(not d.exact for d in self.drafts)

    def flips(self, limit: int = FLIPS) -> list[DraftReplay]:
        """The drafts most likely to change outcome (probability above 1 %), likeliest first."""
        ranked = sorted(self.drafts, key=lambda d: -d.p_changed)
        return [d for d in ranked if d.p_changed > 0.01][:limit]

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "period": self.period,
            "model": {"name": "record", "period": self.model_period},
            "drafts": len(self.drafts),
            "recorded": self.recorded,
            "replayed": {k: v.to_dict() for k, v in self.replayed.items()},
            "blocks": {
                k: {"expected": n, "drafts": list(ds)} for k, (n, ds) in self.blocks.items()
            },
            "flips": [
                {
                    "draft": d.draft,
                    "date": d.date,
                    "topic": d.topic,
                    "recorded": d.recorded,
                    "p_adopted": d.p_adopted,
                    "p_changed": d.p_changed,
                }
                for d in self.flips()
            ],
            "inexact": self.inexact,
            "seed": self.seed,
            "replicates": self.replicates,
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class _Setup:
    """Everything a worker needs for the drafts of one council size."""

    roles: Roles
    hist: int
    columns: NDArray[np.intp]


@dataclass(frozen=True)
class _Context:
    params: RecordParams
    setups: dict[int, _Setup]
    weights: NDArray[np.int64]
    veto: NDArray[np.bool_]
    council: Council
    seed: int
    replicates: int


def _setup(council: Council, params: RecordParams, size: int) -> _Setup:
    """Map the scenario's seats to the historical council of ``size`` members, or to new seats."""
    hist_regions: tuple[Region | None, ...] = (None,) * 5 + _ELECTED[size]
    free = list(range(5, size))
    columns = np.full(council.size, -1, dtype=np.intp)
    aliases = {"SUN": "RUS"}
    for i, seat in enumerate(council.seats):
        code = aliases.get((seat.holder or "").upper(), (seat.holder or "").upper())
        if code in P5:
            columns[i] = P5.index(code)
    for same_region in (True, False):
        for i, seat in enumerate(council.seats):
            if columns[i] >= 0 or seat.kind is not SeatKind.ELECTED:
                continue
            match = [j for j in free if not same_region or hist_regions[j] == seat.region]
            if match:
                columns[i] = match[0]
                free.remove(match[0])
    extra = [i for i in range(council.size) if columns[i] < 0]
    for k, i in enumerate(extra):
        columns[i] = size + k
    holders = (*P5, *(None,) * (size - 5), *(council.seats[i].holder for i in extra))
    regions = (*hist_regions, *(council.seats[i].region for i in extra))
    return _Setup(roles_for(holders, regions, params), size, columns)


def _target(d: Draft, size: int) -> tuple[int, int, int, tuple[bool, ...] | None]:
    if d.yes is None or d.no is None or d.abstain is None:
        tally = (size, 0, 0)
    else:
        tally = (d.yes, d.no, d.abstain)
    if d.kind == "vetoed" and d.vetoed_by:
        p5: tuple[bool, ...] | None = tuple(c in d.vetoed_by for c in P5)
    elif d.kind == "resolution":
        p5 = (False,) * 5
    else:
        p5 = None
    return (*tally, p5)


def _replay_one(
    ctx: _Context, index: int, d: Draft
) -> tuple[NDArray[np.int8], NDArray[np.bool_], bool]:
    """Outcomes (replicates,) and blocking veto holders (replicates, veto holders) of one draft."""
    size = 11 if d.year <= 1965 else 15
    setup = ctx.setups[size]
    y, n, a, p5 = _target(d, size)
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(ctx.seed, spawn_key=(index,))))
    kept: list[NDArray[np.int8]] = []
    best_votes, best_dist = None, None
    for _ in range(BATCHES):
        votes = draw_latent(ctx.params, setup.roles, rng, BATCH)[0]
        hist = votes[:, :size]
        yes = (hist == Vote.YES).sum(1)
        dist = (
            np.abs(yes - y)
            + np.abs((hist == Vote.NO).sum(1) - n)
            + np.abs((hist == Vote.ABSTAIN).sum(1) - a)
        )
        # the nearest draws keep the recorded outcome first (the quota of the year: 7 of 11
        # until 1965, 9 of 15 since; a permanent member's no vetoes)
        quota = yes >= (7 if size == 11 else 9)
        vetoed = quota & (hist[:, :5] == Vote.NO).any(1)
        outcome = np.where(vetoed, 1, np.where(quota, 0, 2))
        dist = dist + 100 * (outcome != _OUTCOMES.index(d.outcome))
        if p5 is not None:
            dist = dist + 3 * ((hist[:, :5] == Vote.NO) != np.array(p5)).sum(1)
        exact = dist == 0
        kept.append(votes[exact])
        if best_dist is None or dist.min() < best_dist.min():
            best_votes, best_dist = votes, dist
        if sum(k.shape[0] for k in kept) >= ENOUGH:
            break
    pool = np.concatenate(kept)
    matched = pool.shape[0] > 0
    if not matched:
        assert best_votes is not None and best_dist is not None
        pool = best_votes[best_dist == best_dist.min()]
    pick = pool[rng.integers(0, pool.shape[0], ctx.replicates)]
    seat_votes = pick[:, setup.columns]
    decision = decide(seat_votes, ctx.weights, ctx.veto, ctx.council.rule)
    blocking = (
        blocks(seat_votes[:, ctx.veto], ctx.council.rule.abstention) & decision.vetoed[:, None]
    )
    return decision.outcome, blocking, matched


def _replay_chunk(
    ctx: _Context, chunk: tuple[int, Sequence[Draft]]
) -> list[tuple[NDArray[np.int8], NDArray[np.bool_], bool]]:
    first, drafts = chunk
    return [_replay_one(ctx, first + k, d) for k, d in enumerate(drafts)]


def replay(
    council: Council,
    drafts: Sequence[Draft],
    period: Period,
    params: RecordParams,
    *,
    scenario: str = "",
    seed: int = DEFAULT_SEED,
    replicates: int = REPLICATES,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
) -> ReplayResult:
    """Replay the recorded drafts of ``period`` on ``council`` (see the module docstring).

    Parameters
    ----------
    council
        The council to replay on (a scenario's).
    drafts
        The record (:func:`councilsim.records.read_outcomes`); those of ``period`` are replayed.
    params
        The ``record`` model's numbers used to condition and impute (a preset or a fitted file).
    seed, replicates, workers
        Root seed; replays per draft (10..10 000); worker processes. Identical results for any
        number of workers.
    progress
        Called with the number of drafts just replayed.
    """
    seed = to_int(seed, "--seed", 0, MAX_SEED, text=False)
    replicates = to_int(replicates, "--replicates", 10, 10_000, text=False)
    workers = to_int(workers, "--workers", 1, MAX_WORKERS, text=False)
    chosen = [d for d in drafts if d.year in period]
    if not chosen:
        from councilsim.errors import ScenarioError

        raise ScenarioError(
            f"the outcomes file has no drafts in {period}",
            key="--period",
            fix="choose years the file covers",
        )
    sizes = {11 if d.year <= 1965 else 15 for d in chosen}
    ctx = _Context(
        params,
        {s: _setup(council, params, s) for s in sizes},
        np.asarray(council.weights),
        np.asarray(council.veto),
        council,
        seed,
        replicates,
    )
    chunks = [(k, chosen[k : k + CHUNK]) for k in range(0, len(chosen), CHUNK)]
    results: list[tuple[NDArray[np.int8], NDArray[np.bool_], bool]] = []
    if workers == 1 or len(chunks) == 1:
        for chunk in chunks:
            results.extend(_replay_chunk(ctx, chunk))
            if progress is not None:
                progress(len(chunk[1]))
    else:
        run = partial(_replay_chunk, ctx)
        with closing(bounded_map(run, chunks, workers=workers, ordered=True)) as done:
            for chunk, part in done:
                results.extend(part)
                if progress is not None:
                    progress(len(chunk[1]))
    return _summarise(council, chosen, period, params, results, scenario, seed, replicates)


def _summarise(
    council: Council,
    chosen: Sequence[Draft],
    period: Period,
    params: RecordParams,
    results: Sequence[tuple[NDArray[np.int8], NDArray[np.bool_], bool]],
    scenario: str,
    seed: int,
    replicates: int,
) -> ReplayResult:
    outcomes = np.stack([r[0] for r in results])  # (drafts, replicates)
    blocking = np.stack([r[1] for r in results])  # (drafts, replicates, veto holders)
    replayed = {}
    for code, name in enumerate(_OUTCOMES):
        totals = (outcomes == code).sum(0)
        low, high = np.percentile(totals, [2.5, 97.5])
        replayed[name] = Estimate(float(totals.mean()), float(low), float(high))
    recorded = {name: sum(d.outcome == name for d in chosen) for name in _OUTCOMES}
    per_draft = tuple(
        DraftReplay(
            d.symbol,
            d.date,
            d.topic,
            d.outcome,
            float(np.mean(outcomes[k] == Outcome.ADOPTED)),
            float(np.mean(outcomes[k] == Outcome.VETOED)),
            float(np.mean(outcomes[k] == Outcome.FAILED)),
            results[k][2],
        )
        for k, d in enumerate(chosen)
    )
    labels = [s.label for s in council.seats if s.veto]
    share = blocking.mean(1)  # (drafts, veto holders)
    blocked = {
        label: (
            float(share[:, j].sum()),
            tuple(chosen[int(k)].symbol for k in np.flatnonzero(share[:, j] >= 0.5)),
        )
        for j, label in enumerate(labels)
    }
    notes = (
        f"model: record, fitted to {params.period}; record: outcome tallies and veto list "
        f"for {period}",
        "drafts withdrawn before a vote are not in the record and are not replayed",
    )
    return ReplayResult(
        scenario,
        str(period),
        params.period,
        recorded,
        replayed,
        per_draft,
        blocked,
        seed,
        replicates,
        notes,
    )


def replay_scenario(
    ref: str,
    outcomes: str | None,
    period: str,
    *,
    params_file: str | None = None,
    model_period: str | None = None,
    seed: int | str | None = None,
    replicates: int = REPLICATES,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> ReplayResult:
    """Replay ``period`` of the user's outcomes file on a scenario (an id or a TOML path).

    The model's numbers are the preset of ``model_period`` (default: ``period``), or the
    periods of ``params_file`` (a file ``councilsim fit`` wrote). ``on_start`` is called with
    the number of drafts before they are replayed (for a progress bar).
    """
    from councilsim import scenario as scenarios
    from councilsim.errors import ScenarioError
    from councilsim.models.record import load_params_file, preset
    from councilsim.records import parse_period, read_outcomes

    if not outcomes:
        raise ScenarioError(
            "the record's outcome tallies are needed",
            key="--outcomes",
            fix="give the outcomes CSV (UN Library format; see docs/record-model.md) with "
            "--outcomes FILE",
        )
    span = parse_period(period, "--period")
    loaded = scenarios.load(ref)
    table = load_params_file(params_file, "--params") if params_file else None
    name = model_period or (next(iter(table)) if table and len(table) == 1 else str(span))
    params = preset(name, "--model-period", table)
    drafts = read_outcomes(outcomes)
    if on_start is not None:
        on_start(sum(d.year in span for d in drafts))
    root = DEFAULT_SEED if seed is None else to_int(seed, "--seed", 0, MAX_SEED)
    return replay(
        loaded.council,
        drafts,
        span,
        params,
        scenario=loaded.id or ref,
        seed=root,
        replicates=replicates,
        workers=workers,
        progress=progress,
    )
