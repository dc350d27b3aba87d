"""A self-contained HTML report of a comparison: inline SVG charts, tables, sources, assumptions.

:func:`render_report` returns one HTML page with no external resources and no scripts: the
charts of :func:`councilsim.compare.plot.charts` drawn as inline SVG by :func:`svg_chart`
(matplotlib is not needed), the measures in tables with the change against the base scenario, every
scenario's description, sources and confidence notes, and the assumptions behind every
number. All text is escaped with :func:`html.escape`.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from typing import Any

from councilsim import __version__
from councilsim.amendment import AmendmentReport
from councilsim.compare.columns import state_notes, state_rows
from councilsim.compare.measures import Column, change, describe, measure_ids
from councilsim.compare.plot import MAX_LABELLED, PALETTE, Chart, amendment_charts, charts
from councilsim.formatting import cell

__all__ = ["GROUP_TITLES", "format_change", "format_value", "render_report", "svg_chart"]

GROUP_TITLES = {
    "council": "The council",
    "outcomes": "Outcomes of drafts under the vote model",
    "seat": "Power of one seat",
    "ratio": "Permanent against elected members",
    "region": "Power of the regional groups",
    "inequality": "Inequality of power",
    "ternary": "Power with abstention as a third vote (ternary indices)",
    "union": "Power of a-priori unions (blocs)",
    "state": "Power of named states",
}
"""Measure groups (:attr:`~councilsim.compare.measures.Measure.group`), headed, in order."""

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; padding: 0 1rem;
  color: #111; line-height: 1.45; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; font-size: 0.9rem; }
caption { text-align: left; font-weight: 600; padding: 0.3rem 0; }
th, td { border: 1px solid #bbb; padding: 0.25rem 0.5rem; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
thead th { background: #eee; }
tbody th { text-align: left; font-weight: normal; }
figure { margin: 1rem 0 2rem; }
figcaption { font-size: 0.9rem; color: #333; max-width: 46rem; }
svg { max-width: 100%; height: auto; }
.scenario { border-left: 4px solid #0072B2; padding-left: 1rem; margin-bottom: 1.5rem; }
"""


def format_value(value: Any, *, missing: str = "-") -> str:
    """A measure as text: ``p/q`` for fractions, 6 significant digits for floats, never in
    scientific notation (:func:`councilsim.formatting.cell`)."""
    return cell(value, 6, missing=missing)


def format_change(value: Any, *, missing: str = "-") -> str:
    """A change against the base, signed (``+0.0123``, ``-3/4``, ``0``)."""
    if value is None:
        return missing
    text = format_value(value)
    return text if value <= 0 else f"+{text}"


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _nice_step(top: float) -> float:
    """A tick step of 1, 2, 2.5 or 5 × 10^k giving at most six ticks up to ``top``."""
    if top <= 0:
        return 1.0
    raw = top / 5
    power = 10.0 ** math.floor(math.log10(raw))
    return next(float(m * power) for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def svg_chart(chart: Chart, *, width: int = 760, height: int = 400) -> str:
    """A grouped bar chart as an inline ``<svg>`` element with a ``<title>`` and ``<desc>``.

    Bars carry their value (up to :data:`~councilsim.compare.plot.MAX_LABELLED` series; each bar's
    ``<title>`` always does); a missing value is marked "n/a"; intervals (when the chart has
    them) are drawn as error bars.
    """
    left, right, top, bottom = 64, 16, 40, 96
    plot_w, plot_h = width - left - right, height - top - bottom
    y, ticks = _scale(chart, top, plot_h)

    ident = f"chart-{_e(chart.id)}"
    parts = [
        f'<svg viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" font-family="sans-serif" font-size="12">',
        f'<title id="{ident}-title">{_e(chart.title)}</title>',
        f'<desc id="{ident}-desc">{_e(_describe(chart))}</desc>',
        f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="15" '
        f'font-weight="bold">{_e(chart.title)}</text>',
    ]
    for v in ticks:
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
            'stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end">{v:g}</text>'
        )
    parts.append(
        f'<text transform="translate(16 {top + plot_h / 2:.1f}) rotate(-90)" '
        f'text-anchor="middle">{_e(chart.ylabel)}</text>'
    )
    n_cat, n_ser = len(chart.categories), len(chart.series)
    group = plot_w / max(n_cat, 1)
    bar = 0.8 * group / max(n_ser, 1)
    for c, category in enumerate(chart.categories):
        x0 = left + c * group + 0.1 * group
        parts.append(
            f'<text x="{left + (c + 0.5) * group:.1f}" y="{top + plot_h + 18}" '
            f'text-anchor="middle">{_e(category)}</text>'
        )
        for s, series in enumerate(chart.series):
            parts.append(_bar(chart, s, c, x0 + s * bar, bar, y, series))
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" '
        'stroke="#333"/>'
    )
    parts.append(_legend(chart.series, left, height - 40, width - left - right))
    parts.append("</svg>")
    return "\n".join(parts)


def _scale(chart: Chart, top: float, plot_h: float) -> tuple[Any, list[float]]:
    """The vertical scale: linear from 0, or by powers of ten for a log chart (values at or
    below the bottom decade sit on the axis)."""
    if chart.log:
        vals = [v for row in chart.values for v in row if v is not None and v > 0]
        lo_e = math.floor(math.log10(min(vals, default=1.0)))
        hi_e = max(math.ceil(math.log10(max(vals, default=1.0))), lo_e + 1)

        def y_log(v: float) -> float:
            if v <= 0:
                return top + plot_h
            f = (math.log10(v) - lo_e) / (hi_e - lo_e)
            return top + plot_h * (1 - min(max(f, 0.0), 1.0))

        return y_log, [10.0**e for e in range(lo_e, hi_e + 1)]
    tops = [v for row in chart.values for v in row if v is not None]
    if chart.high is not None:
        tops += [v for row in chart.high for v in row if v is not None]
    step = _nice_step(max(tops, default=0.0) * 1.08)
    y_max = step * max(1, math.ceil(max(tops, default=0.0) * 1.08 / step))

    def y_lin(v: float) -> float:
        return top + plot_h * (1 - v / y_max)

    ticks, k = [], 0
    while k * step <= y_max + 1e-9:
        ticks.append(k * step)
        k += 1
    return y_lin, ticks


def _bar(chart: Chart, s: int, c: int, x: float, w: float, y: Any, series: str) -> str:
    value = chart.values[s][c]
    colour = PALETTE[s % len(PALETTE)]
    base = y(0.0)
    if value is None:
        return (
            f'<text x="{x + w / 2:.1f}" y="{base - 4:.1f}" text-anchor="middle" '
            'font-size="9" fill="#555">n/a</text>'
        )
    out = [
        f'<rect x="{x:.1f}" y="{y(value):.1f}" width="{w:.1f}" height="{base - y(value):.1f}" '
        f'fill="{colour}" stroke="#000" stroke-width="0.5">'
        f"<title>{_e(series)}, {_e(chart.categories[c])}: {value:.4g} {_e(chart.ylabel)}</title>"
        "</rect>"
    ]
    label_y = y(value) - 4
    if chart.low is not None and chart.high is not None:
        lo, hi = chart.low[s][c], chart.high[s][c]
        if lo is not None and hi is not None:
            mid = x + w / 2
            out.append(
                f'<path d="M{mid:.1f} {y(lo):.1f}V{y(hi):.1f}M{mid - 4:.1f} {y(lo):.1f}'
                f'H{mid + 4:.1f}M{mid - 4:.1f} {y(hi):.1f}H{mid + 4:.1f}" stroke="#000" '
                'fill="none"/>'
            )
            label_y = min(label_y, y(hi) - 4)
    if len(chart.series) <= MAX_LABELLED:
        out.append(
            f'<text x="{x + w / 2:.1f}" y="{label_y:.1f}" text-anchor="middle" '
            f'font-size="9">{value:.3g}</text>'
        )
    return "".join(out)


def _legend(series: Sequence[str], x: float, y: float, width: float) -> str:
    step = min(180.0, width / max(len(series), 1))
    items = []
    for s, name in enumerate(series):
        left = x + s * step
        items.append(
            f'<rect x="{left:.1f}" y="{y - 10:.1f}" width="12" height="12" '
            f'fill="{PALETTE[s % len(PALETTE)]}" stroke="#000" stroke-width="0.5"/>'
            f'<text x="{left + 16:.1f}" y="{y:.1f}">{_e(name)}</text>'
        )
    return "".join(items)


def _describe(chart: Chart) -> str:
    parts = []
    for s, series in enumerate(chart.series):
        values = ", ".join(
            f"{c} {'n/a' if v is None else f'{v:.4g}'}"
            for c, v in zip(chart.categories, chart.values[s], strict=True)
        )
        parts.append(f"{series}: {values}")
    return f"{chart.ylabel}. " + "; ".join(parts) + "."


def _tables(columns: Sequence[Column]) -> str:
    base, others = columns[0], columns[1:]
    head = f'<th scope="col">{_e(base.id)}</th>' + "".join(
        f'<th scope="col">{_e(c.id)}</th><th scope="col">Δ {_e(c.id)}</th>' for c in others
    )
    by_group: dict[str, list[str]] = {}
    for key in measure_ids(columns):
        by_group.setdefault(describe(key).group, []).append(key)
    out = []
    for group, title in GROUP_TITLES.items():
        if group not in by_group:
            continue
        rows = []
        for key in by_group[group]:
            m = describe(key)
            cells = [f'<td class="num">{_e(format_value(base.values.get(key)))}</td>']
            for c in others:
                value = c.values.get(key)
                delta = change(key, base.values.get(key), value)
                cells.append(f'<td class="num">{_e(format_value(value))}</td>')
                cells.append(f'<td class="num">{_e(format_change(delta))}</td>')
            rows.append(
                f'<tr><th scope="row">{_e(m.label)} <small>({_e(m.unit)}; '
                f"<code>{_e(key)}</code>)</small></th>{''.join(cells)}</tr>"
            )
        out.append(
            f'<table id="table-{_e(group)}"><caption>{_e(title)}</caption>'
            f'<thead><tr><th scope="col">Measure</th>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
    return "\n".join(out)


def _amendment_section(reports: Sequence[AmendmentReport]) -> str:
    """Could each plan pass (Arts. 108-109): passage probabilities, the binding stage, the
    pivotal states, and the charts of support by group and of pivotal states."""
    plans = [r for r in reports if r.amendment]
    if not plans:
        return ""
    figures = "\n".join(
        f'<figure id="figure-{_e(c.id)}">{svg_chart(c)}<figcaption>{_e(c.caption)}'
        "</figcaption></figure>"
        for c in amendment_charts(plans)
    )
    rows = []
    for r in plans:
        both = r.model["both"]
        interval = "" if r.exact else _interval(both.ci_low, both.ci_high)
        moving = [p["state"] for p in r.pivotal if p["effect"] > 0][:5]
        top = ", ".join(moving) or f"none measurable in {r.draws} draws"
        rows.append(
            f'<tr><th scope="row">{_e(r.scenario)}</th>'
            f'<td class="num">{_e(format_value(float(r.apriori["both"].passage)))}</td>'
            f'<td class="num">{_e(format_value(r.model["ga"].estimate))}</td>'
            f'<td class="num">{_e(format_value(both.estimate))}</td>'
            f'<td class="num">{_e(interval)}</td><td>{_e(r.binding)}</td><td>{_e(top)}</td></tr>'
        )
    return (
        '<section id="amendment"><h2>Could it pass? The Charter amendment</h2>\n'
        "<p>Every reform needs a Charter amendment: two thirds of the General Assembly's "
        "members (Art. 108), then ratification by two thirds of the members including the five "
        "permanent members. A-priori: every state equally likely to support or oppose; model: "
        "declared positions of the negotiating groups, else General Assembly voting similarity, "
        f"correlated within groups ({_e(plans[0].basis)}; <code>councilsim amend</code>, "
        "docs/amendment.md).</p>\n"
        '<table id="table-amendment"><caption>Probability that the plan passes</caption><thead>'
        '<tr><th scope="col">Plan</th><th scope="col">A-priori, whole amendment</th>'
        '<th scope="col">Model, Assembly vote</th><th scope="col">Model, whole amendment</th>'
        '<th scope="col">95 % interval</th><th scope="col">Stage that binds</th>'
        '<th scope="col">Most pivotal states</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>\n{figures}\n</section>\n"
    )


def _states_table(columns: Sequence[Column], population: Any = None) -> str:
    """The named states: expected power with its interval, ratio to the base, seat-years."""
    states = list(
        dict.fromkeys(
            k.removeprefix("banzhaf_state_").upper()
            for c in columns
            for k in c.values
            if k.startswith("banzhaf_state_")
        )
    )
    if not states or all(c.state_power is None for c in columns):
        return ""
    _, rows = state_rows(columns, states, population=population)
    fair = population is not None
    body = "".join(
        f'<tr><th scope="row">{_e(r[0])}</th><td>{_e(r[1])}</td>'
        f'<td class="num">{_e(format_value(float(r[2])))}</td>'
        f'<td class="num">{"exact" if r[5] else _e(_interval(r[3], r[4]))}</td>'
        f'<td class="num">{_e("-" if r[6] is None else f"{r[6]:.3g}")}</td>'
        f'<td class="num">{_e(format_value(r[7]))}</td>'
        + (f'<td class="num">{_e("-" if r[9] is None else f"{r[9]:.3g}")}</td>' if fair else "")
        + f"<td>{_e(r[8] or '')}</td></tr>"
        for r in rows
    )
    how = "".join(f"<li>{_e(n)}</li>" for n in state_notes(columns))
    return (
        '<table id="table-named-states"><caption>Named states: expected power (normalised '
        "Banzhaf), 95 % interval, ratio to the base</caption><thead><tr>"
        '<th scope="col">State</th><th scope="col">Scenario</th><th scope="col">Power</th>'
        '<th scope="col">95 % interval</th><th scope="col">× base</th>'
        '<th scope="col">Seat-years</th>'
        + ('<th scope="col">÷ square-root rule</th>' if fair else "")
        + '<th scope="col">Note</th></tr></thead>'
        f"<tbody>{body}</tbody></table>\n<p>How the states' figures were got:</p><ul>{how}</ul>"
        + (
            "<p>÷ square-root rule: the state's share of the members' expected power divided by "
            "its share of √population (Penrose 1946; <code>councilsim equity</code>).</p>"
            if fair
            else "<p>Equity ratios against the square-root rule need a population table "
            "(<code>councilsim equity</code>).</p>"
        )
    )


def _interval(low: Any, high: Any) -> str:
    return f"{format_value(float(low))} – {format_value(float(high))}"


def _scenario(col: Column) -> str:
    sources = "".join(f"<li>{_e(s)}</li>" for s in col.sources) or "<li>none given</li>"
    notes = "".join(f"<li>{_e(s)}</li>" for s in col.confidence) or "<li>none given</li>"
    return (
        f'<section class="scenario" id="scenario-{_e(col.id)}">'
        f"<h3>{_e(col.name)} <small>(<code>{_e(col.id)}</code>)</small></h3>"
        f"<p>{_e(col.description) or 'No description.'}</p>"
        f"<h4>Sources</h4><ul>{sources}</ul>"
        f"<h4>Confidence notes</h4><ul>{notes}</ul></section>"
    )


def _params(params: Mapping[str, Any]) -> str:
    shown = {k: v for k, v in params.items() if v not in ({}, [], None)}
    return ", ".join(f"{k} = {v}" for k, v in shown.items()) or "no parameters"


def _assumptions(columns: Sequence[Column]) -> str:
    items = [
        "Power indices are a-priori: every member votes yes or no, all coalitions of yes "
        "voters equally likely, under the council's substantive rule (quota, veto, veto "
        "threshold). Banzhaf is the normalized Banzhaf index (Banzhaf 1965), Penrose the "
        "absolute Banzhaf measure (Penrose 1946), Shapley–Shubik the share of voting orders in "
        "which a member is pivotal (Shapley & Shubik 1954); Coleman's power to act is the "
        "share of winning coalitions (Coleman 1971). All are counted exactly.",
        "A permanent (P5) member is a seat of the first permanent seat class; a new permanent "
        "member is any other permanent seat, averaged per seat; an elected member is any "
        "elected or long-term seat, averaged per seat. The ratio is the permanent member's "
        "power over the elected member's.",
        "A regional group's power is the sum over its seats, permanent seats counted in their "
        "holders' groups (China in Asia-Pacific, Russia in Eastern Europe, France, the United "
        "Kingdom and the United States in WEOG) and open seats in the region they are "
        "reserved for. The Gini coefficient is taken across all seats (0 = equal power).",
    ]
    for col in columns:
        if col.engine == "exact":
            how = "exact probabilities (independent votes)"
        else:
            how = (
                f"Monte Carlo, {col.draws} drafts, seed {col.seed}, 95 % Wilson intervals "
                "(Wilson 1927)"
            )
        state = (
            f"named states' expected power over {col.service_years} years of an election run "
            f"({col.service_reps} replications, seed {col.seed}, candidate model "
            f"{col.candidates}): the chance of holding each seat × its power; a named permanent "
            "member gets its seat's power exactly"
            if col.service
            else "named states get the power of the seat they hold in the scenario, 0 without one"
        )
        items.append(
            f"{col.id}: quota {col.values.get('quota')}, veto threshold {col.veto_threshold}, "
            f"abstention read as in {col.abstention!r}; outcome rates under the {col.model} vote "
            f"model ({_params(col.params)}), {how}; {state}."
        )
    exact = columns[0].exact if columns else False
    items.append(
        "Numbers are exact fractions p/q."
        if exact
        else "Numbers are shown to 6 significant digits; changes (Δ) are against the base "
        "scenario, the first column."
    )
    return "<ul>" + "".join(f"<li>{_e(i)}</li>" for i in items) + "</ul>"


def render_report(
    columns: Sequence[Column],
    *,
    title: str = "",
    population: Any = None,
    amendments: Sequence[AmendmentReport] = (),
) -> str:
    """The HTML page comparing ``columns`` (the first is the base); with a ``population``
    table (:func:`councilsim.statepower.population_table`), the named states' equity ratios
    too; with ``amendments`` (:func:`councilsim.amendment.analyse` of the plans), a section on
    whether each could pass as a Charter amendment."""
    if not columns:
        raise ValueError("nothing to report")
    title = title or "Comparing councils: " + ", ".join(c.id for c in columns)
    figures = "\n".join(
        f'<figure id="figure-{_e(c.id)}">{svg_chart(c)}<figcaption>{_e(c.caption)}'
        "</figcaption></figure>"
        for c in charts(columns, population)
    )
    names = ", ".join(c.name for c in columns[1:]) or "no other scenario"
    amend_link = (
        '<li><a href="#amendment">Could it pass?</a></li>'
        if any(a.amendment for a in amendments)
        else ""
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n<main>\n"
        f"<h1>{_e(title)}</h1>\n"
        f"<p>Base: <strong>{_e(columns[0].name)}</strong>. Compared: {_e(names)}.</p>\n"
        '<nav><ul><li><a href="#charts">Charts</a></li><li><a href="#tables">Tables</a></li>'
        + amend_link
        + '<li><a href="#scenarios">Scenarios and sources</a></li>'
        '<li><a href="#assumptions">Assumptions</a></li></ul></nav>\n'
        f'<section id="charts"><h2>Charts</h2>\n{figures}\n</section>\n'
        f'<section id="tables"><h2>Tables</h2>\n{_tables(columns)}\n'
        f"{_states_table(columns, population)}\n</section>\n"
        f"{_amendment_section(amendments)}"
        '<section id="scenarios"><h2>Scenarios and sources</h2>\n'
        + "\n".join(_scenario(c) for c in columns)
        + "\n</section>\n"
        f'<section id="assumptions"><h2>Assumptions behind the numbers</h2>\n'
        f"{_assumptions(columns)}\n</section>\n"
        f"<footer><p>Made with councilsim {_e(__version__)}.</p></footer>\n"
        "</main>\n</body>\n</html>\n"
    )
