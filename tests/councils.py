"""Councils built from classes of interchangeable seats, for the simulator's tests."""

from __future__ import annotations

from councilsim.council import Abstention, Council, Rule, SeatClass, SeatKind


def small_council(
    sizes: list[tuple[int, int, bool]], quota: int, threshold: int = 1, literal: bool = False
) -> Council:
    """Classes of ``(members, weight, veto)``, in order; one quota for every vote."""
    classes = tuple(
        SeatClass(
            id=f"c{k}",
            kind=SeatKind.PERMANENT if veto else SeatKind.ELECTED,
            veto=veto,
            holders=(None,) * count,
            weight=weight,
        )
        for k, (count, weight, veto) in enumerate(sizes)
    )
    rule = Rule(
        quota=quota,
        procedural_quota=quota,
        veto_threshold=threshold,
        abstention=Abstention.LITERAL if literal else Abstention.PRACTICE,
    )
    return Council(classes=classes, rule=rule)
