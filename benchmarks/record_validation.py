"""Tables of the ``record`` vote model against the Council's record (docs/record-model.md).

Run from the repository root with the record's files in ``../shared/data`` (or give the folder
as the first argument): ``python benchmarks/record_validation.py [DATA_DIR] [PLOT.png]``
(the plot needs matplotlib: the distributions of yes votes and abstentions, record against
model, for each preset). It prints
Markdown: for each preset, the record's figures and the model's on today's Council (the
``current`` scenario, 200 000 simulated drafts, seed 1), and the out-of-period prediction
(1990-2010 preset against the 2011-2022 record).
"""

from __future__ import annotations

import sys

import numpy as np
from _record import shared_record

from councilsim import scenario
from councilsim.models import build_model
from councilsim.models.record_fit import record_moments
from councilsim.records import P5, Record, parse_period

DRAWS = 200_000
YES_BINS = ("15", "14", "13", "9-12", "0-8")
ABSTAIN_BINS = ("0", "1", "2", "3+")


def _yes_bin(y: int, size: int) -> str:
    y += 15 - size  # 11-member years counted as if four more members voted yes
    return (
        "15" if y == 15 else "14" if y == 14 else "13" if y == 13 else "9-12" if y >= 9 else "0-8"
    )


def _abstain_bin(a: int) -> str:
    return str(a) if a < 3 else "3+"


def model_figures(period: str) -> dict[str, float]:
    council = scenario.load("current").council
    votes = (
        build_model("record", {"period": period})
        .sampler(council)
        .sample(np.random.default_rng(1), DRAWS)
    )
    yes, no, abstain = ((votes == c).sum(1) for c in (0, 1, 2))
    p5_no = votes[:, :5] == 1  # current.toml lists CHN, FRA, RUS, GBR, USA first
    quota = yes >= 9
    vetoed = quota & p5_no.any(1)
    out = {"adopted": np.mean(quota & ~vetoed), "vetoed": np.mean(vetoed)}
    out["failed"] = np.mean(~quota)
    labels = council.labels()[:5]
    for k, code in enumerate(labels):
        out[f"veto_{code}"] = np.mean(quota & p5_no[:, k])
    for b in YES_BINS:
        out[f"yes {b}"] = np.mean([_yes_bin(int(y), 15) == b for y in yes[:20000]])
    for b in ABSTAIN_BINS:
        out[f"abstain {b}"] = np.mean([_abstain_bin(int(a)) == b for a in abstain[:20000]])
    out["no_share"] = float(np.mean(no)) / 15
    return {k: float(v) for k, v in out.items()}


def record_figures(record: Record, period: str) -> dict[str, float]:
    span = parse_period(period)
    drafts = record.period(span)
    n = len(drafts)
    out = {
        "adopted": sum(d.kind == "resolution" for d in drafts) / n,
        "vetoed": sum(d.kind == "vetoed" for d in drafts) / n,
        "failed": sum(d.kind == "not_adopted" for d in drafts) / n,
    }
    for code, count in record.veto_counts(span).items():
        out[f"veto_{code}"] = count / n
    tallies = []
    for d in drafts:
        size = 11 if d.year <= 1965 else 15
        if d.yes is None or d.no is None or d.abstain is None:  # all three or none
            tallies.append((size, 0, 0, size))
        else:
            tallies.append((d.yes, d.no, d.abstain, size))
    for b in YES_BINS:
        out[f"yes {b}"] = sum(_yes_bin(y, s) == b for y, _, _, s in tallies) / n
    for b in ABSTAIN_BINS:
        out[f"abstain {b}"] = sum(_abstain_bin(a) == b for _, _, a, _ in tallies) / n
    out["no_share"] = record_moments(record, span)[0]["no_share"]
    return out


def table(record: Record, period: str, model_period: str) -> str:
    rec, mod = record_figures(record, period), model_figures(model_period)
    n = len(record.period(parse_period(period)))
    lines = [
        f"Record {period} ({n} drafts) against the record model fitted to {model_period}, "
        "on today's Council (`current`):",
        "",
        "| figure | record | model | model − record |",
        "|---|---:|---:|---:|",
    ]
    for k in rec:
        label = k.replace("veto_", "vetoes per draft, ")
        lines.append(f"| {label} | {rec[k]:.4f} | {mod[k]:.4f} | {mod[k] - rec[k]:+.4f} |")
    counts = ", ".join(f"{c} {round(rec[f'veto_{c}'] * n)}" for c in P5)
    expected = ", ".join(f"{c} {mod[f'veto_{c}'] * n:.1f}" for c in P5)
    lines += [
        "",
        f"Negative votes on vetoed drafts in the veto list: {counts}; the model's expected "
        f"number over {n} drafts: {expected}.",
        "",
    ]
    return "\n".join(lines)


def plot(record: Record, path: str) -> None:
    """Bar charts of the yes-vote and abstention distributions, record against model."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    periods = ("1946-1989", "1990-2010", "2011-2022")
    fig, axes = plt.subplots(2, 3, figsize=(12, 6), sharey="row")
    for col, period in enumerate(periods):
        rec, mod = record_figures(record, period), model_figures(period)
        for row, (what, bins) in enumerate((("yes", YES_BINS), ("abstain", ABSTAIN_BINS))):
            ax = axes[row][col]
            x = np.arange(len(bins))
            ax.bar(x - 0.2, [rec[f"{what} {b}"] for b in bins], 0.4, label="record")
            ax.bar(x + 0.2, [mod[f"{what} {b}"] for b in bins], 0.4, label="record model")
            ax.set_xticks(x, bins)
            ax.set_title(f"{period}: {what} votes per draft", fontsize=10)
    axes[0][0].set_ylabel("share of drafts")
    axes[1][0].set_ylabel("share of drafts")
    axes[0][0].legend()
    fig.suptitle(
        "UN Security Council record (UN Library tallies) against the record model "
        "(each preset on today's Council)",
        fontsize=10,
    )
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def main() -> None:
    record = shared_record()
    for period in ("1946-1989", "1990-2010", "2011-2022"):
        print(f"### {period}\n\n{table(record, period, period)}")
    print(
        f"### Out of period: fitted to 1990-2010, predicting 2011-2022\n\n"
        f"{table(record, '2011-2022', '1990-2010')}"
    )
    if len(sys.argv) > 2:
        plot(record, sys.argv[2])


if __name__ == "__main__":
    main()
