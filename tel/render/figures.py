"""Plotly figures for the dashboard: pure builders, one ``go.Figure`` each, made for a projector.

Every builder takes results (exact cents) or a ``SweepBasis`` and returns a figure; nothing
here reads files or knows a page exists. Dollars on screen are ``cents / 100``; hover text
is formatted by ``tel.core.money.format_money`` so it reads exactly like the tables. Builders that
show people take an explicit list of names: the caller decides who may be seen.

Names, departments and scenario labels are user text, and plotly renders a subset of HTML in
every text it draws (a name ``<a href="...">Ann</a>`` would be a live link): each goes through
:func:`tel.core.text.plotly_text` before it reaches a label, tick, hover text or title, and never
into a ``hovertemplate`` itself (a template would also read ``%{...}`` in a name).
"""

from __future__ import annotations

import calendar
import copy
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt
import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

from tel.analysis.bands import Band, ChangeBands
from tel.analysis.risk import FanPoint
from tel.analysis.sweeps import (
    SweepBasis,
    break_even_avg_gp,
    split_grid,
    sweep,
    team_pct_change,
)
from tel.analysis.sweeps import tornado as tornado_rows
from tel.core.money import format_money
from tel.core.policy import NettingMode
from tel.core.text import plotly_text
from tel.engine.quarter import Payout, QuarterResult
from tel.engine.year import YearResult

# --------------------------------------------------------------------------- look


@dataclass(frozen=True, slots=True)
class Palette:
    """The one set of colours (colour-blind safe: Okabe-Ito and Paul Tol's high-contrast)."""

    team: str = "#0072B2"  # blue: the equal checks
    merit: str = "#E69F00"  # orange: the weighted checks
    house: str = "#8C8C8C"  # grey: what the company keeps (and other deductions)
    gp: str = "#4C78A8"  # slate: GP and running totals
    staff: str = "#332288"  # indigo: the staff pool
    threshold: str = "#D55E00"  # vermillion: Min GP / break-even lines
    passed: str = "#009E73"  # green: at or above the line, gains, gates passed
    failed: str = "#CC3311"  # red: below the line, losses, gates failed
    low: str = "#DDAA33"  # tornado: input lowered
    high: str = "#004488"  # tornado: input raised
    today: str = "#000000"
    people: tuple[str, ...] = ("#CC79A7", "#44AA99", "#882255", "#999933", "#117733", "#AA4499")


PALETTE: Final = Palette()
FONT: Final = 18  # body text; nothing on a figure is smaller than MIN_FONT
MIN_FONT: Final = 14
TITLE_FONT: Final = 24
FONT_FAMILY: Final = "Arial, Helvetica, sans-serif"  # installed everywhere: no web fonts


def _money(cents: float | int) -> str:
    """Whole cents held in a float (sweeps) -> ``$1,234.56``."""
    return format_money(math.floor(float(cents) + 0.5))


def _dollars(cents: Sequence[float] | npt.NDArray[Any] | float) -> Any:
    """Cents -> dollars for plotting (a float array, or a float)."""
    return np.asarray(cents, dtype=np.float64) / 100


def _money_axis(title: str, *, signed: bool = False, **extra: Any) -> dict[str, Any]:
    """A dollar axis. Signed axes use d3's currency format instead of ``tickprefix``, which
    would print ``$−5,000``; both use the layout's ``separators``."""
    fmt = {"tickformat": "$,.0f"} if signed else {"tickprefix": "$", "tickformat": ",.0f"}
    return {
        "title": {"text": title, "font": {"size": FONT}},
        **fmt,
        "separatethousands": True,
        "tickfont": {"size": FONT - 2},
        "zeroline": True,
        "zerolinecolor": "#BBBBBB",
        **extra,
    }


def _names_axis(**extra: Any) -> dict[str, Any]:
    """Category axis of horizontal bars: first row on top, labels clear of the bars."""
    return _plain_axis("", autorange="reversed", type="category", ticklabelstandoff=8, **extra)


def _colored(text: str, color: str) -> str:
    return f"<span style='color:{color}'><b>{text}</b></span>"


def _plain_axis(title: str, **extra: Any) -> dict[str, Any]:
    return {
        "title": {"text": title, "font": {"size": FONT}},
        "tickfont": {"size": FONT - 2},
        **extra,
    }


_GRID: Final = {"showgrid": True, "gridcolor": "#E5E5E5", "linecolor": "#BBBBBB",
                "automargin": True}


# plotly's empty "none" template, as plain data: the layout is set unvalidated, and plotly
# resolves a template's name only while validating
_NO_TEMPLATE: Final = pio.templates["none"].to_plotly_json()


def _style(fig: Any, title: str, subtitle: str = "", height: int = 560,
           layout: dict[str, Any] | None = None) -> Any:
    """The shared projector look: big type, white background, titled, money hover.

    Styled here rather than by the ``plotly_white`` template, which plotly deep-copies into
    every figure (two thirds of a figure's build time); ``"none"`` keeps plotly's default
    template from being merged in when the figure is serialised. The builder's own ``layout``
    (axes, shapes, annotations: plain data, as ``update_layout`` would merge it) and the look
    are merged into the layout as plain data and set once, unvalidated: ``update_layout`` or
    ``add_hline`` on a built figure cost ~10 ms each of property dispatch and validation, a
    page rerun builds several figures, and the dashboard is rerun on every slider move. The
    tests validate every builder's figure in full instead (``go.Figure(fig.to_dict())``).
    Returns a new figure with ``fig``'s traces (setting ``fig.layout`` would validate it all
    again, ~3 ms).
    """
    layout_ = fig.layout.to_plotly_json()
    _merge(layout_, layout or {})
    layout = layout_
    for axis in {"xaxis", "yaxis", *(k for k in layout if k.startswith(("xaxis", "yaxis")))}:
        layout[axis] = {**layout.get(axis, {}), **_GRID}
    _merge(layout, {
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "height": height,
        "font": {"family": FONT_FAMILY, "size": FONT, "color": "#222222"},
        "title": {
            "text": title,
            "font": {"size": TITLE_FONT},
            "x": 0.01,
            "xanchor": "left",
            "subtitle": {"text": subtitle, "font": {"size": FONT - 2, "color": "#444444"}},
        },
        "hoverlabel": {"font": {"size": FONT - 2, "family": FONT_FAMILY}},
        "legend": {"font": {"size": FONT - 2}, "orientation": "h", "yanchor": "top", "y": -0.22,
                   "x": 0},
        # each extra subtitle line needs room above the plot
        "margin": {"t": (110 + 22 * subtitle.count("<br>")) if subtitle else 80, "l": 90,
                   "r": 40, "b": 120},
        "separators": ".,",
    })
    layout["template"] = copy.deepcopy(_NO_TEMPLATE)  # replaces plotly's default, never merged
    return go.Figure(data=list(fig.data), layout=layout, _validate=False)


def tag_title(fig: Any, tag: str, *, warn: bool = False) -> Any:
    """Lead the figure's title with what its figures are ("What-if", "Approval #4"), in
    amber for anything that is not the books or an approval. Changes ``fig`` in place.

    >>> f = _style(go.Figure(), "Payouts")
    >>> tag_title(f, "What-if", warn=True).layout.title.text
    '<span style="color:#b45309">[What-if]</span> Payouts'
    """
    colour = "#b45309" if warn else "#444444"
    text = fig.layout.title.text or ""
    fig.layout.title.text = f'<span style="color:{colour}">[{tag}]</span> {text}'
    return fig


def _merge(into: dict[str, Any], changes: dict[str, Any]) -> None:
    """``update_layout``'s rule on plain data: nested dicts merge, anything else replaces."""
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


def _hline(y: float, line: dict[str, Any], axis: str = "") -> dict[str, Any]:
    """``add_hline``'s shape as plain data: across the plot at ``y`` (``axis``: "2", ...)."""
    return {"type": "line", "xref": f"x{axis} domain", "x0": 0, "x1": 1, "yref": f"y{axis}",
            "y0": y, "y1": y, "line": line}


def _vline(x: float, line: dict[str, Any], axis: str = "") -> dict[str, Any]:
    """``add_vline``'s shape as plain data: up the plot at ``x`` (``axis``: "2", ...)."""
    return {"type": "line", "xref": f"x{axis}", "x0": x, "x1": x, "yref": f"y{axis} domain",
            "y0": 0, "y1": 1, "line": line}


def _note(text: str, color: str = "#222222", y: float = 1.0) -> dict[str, Any]:
    """A boxed note at the plot's top right, as a layout annotation."""
    return {"text": text, "xref": "paper", "yref": "paper", "x": 0.99, "y": y,
            "xanchor": "right", "yanchor": "top", "showarrow": False, "align": "right",
            "font": {"size": FONT - 2, "color": color}, "bgcolor": "rgba(255,255,255,0.85)",
            "bordercolor": color, "borderwidth": 1, "borderpad": 6}


# --------------------------------------------------------------------------- the quarter


def gp_vs_threshold(result: QuarterResult, months: Sequence[str] | None = None, *,
                    netting: NettingMode | None = None) -> go.Figure:
    """Monthly GP bars against the Min GP line; months under it are drawn as weak.

        over_or_under = gp_total - months_booked * min_gp     (said in the subtitle)

    The subtitle then says how the plan's ``netting`` turns that into the result's TEL profit
    (:func:`netting_words`; ``None``: read from the result, see :func:`netting_of`).
    ``months`` lists every label to show (e.g. all three of the quarter); unbooked ones get
    an empty slot marked "not booked".
    """
    labels = list(months) if months is not None else list(result.months_booked)
    booked = dict(zip(result.months_booked, result.gp_by_month, strict=True))
    shown = [m for m in labels if m in booked]
    gp = [booked[m] for m in shown]
    fig = go.Figure()
    for weak, name, color in (
        (False, "At or above Min GP", PALETTE.passed),
        (True, "Below Min GP (weak month)", PALETTE.failed),
    ):
        pick = [i for i, g in enumerate(gp) if (g < result.min_gp) is weak]
        if not pick:
            continue
        fig.add_trace(
            go.Bar(
                x=[shown[i] for i in pick],
                y=_dollars([gp[i] for i in pick]),
                name=name,
                marker={"color": color},
                text=[format_money(gp[i], cents_shown=False) for i in pick],
                textposition="inside",  # inside, mid-bar: clear of the Min GP line, which
                insidetextanchor="middle",  # crossed an "end" label in a month just over it
                textfont={"size": FONT, "color": "white"},
                customdata=[
                    [format_money(gp[i]), format_money(gp[i] - result.min_gp)] for i in pick
                ],
                hovertemplate="%{x}<br>GP %{customdata[0]}<br>vs Min GP %{customdata[1]}"
                "<extra></extra>",
            )
        )
    line = {"color": PALETTE.threshold, "width": 3, "dash": "dash"}
    fig.add_trace(  # legend entry for the Min GP line
        go.Scatter(
            x=[None],
            y=[None],
            mode="lines",
            line=line,
            name=f"Min GP {format_money(result.min_gp, cents_shown=False)} / month",
        )
    )
    notes = [{"font": {"color": "#666666", "size": FONT}, "showarrow": False,
              "text": "not booked", "x": m, "y": result.min_gp / 200}
             for m in labels if m not in booked]
    n = len(result.months_booked)
    diff = result.gp_total - n * result.min_gp
    verdict = _colored(
        f"{format_money(abs(diff))} {'over' if diff >= 0 else 'under'}",
        PALETTE.passed if diff >= 0 else PALETTE.failed,
    )
    top = max([*gp, result.min_gp, 0]) / 100 * 1.1
    bottom = min([*gp, 0]) / 100 * 1.1
    layout = {
        "xaxis": _plain_axis(
            "Month",
            type="category",
            categoryorder="array",
            categoryarray=labels,
            range=[-0.5, len(labels) - 0.5],
        ),
        "yaxis": _money_axis("Gross profit", signed=bottom < 0, range=[bottom, top]),
        "barmode": "overlay",
        "shapes": [_hline(result.min_gp / 100, line)],
        **({"annotations": notes} if notes else {}),
    }
    lines = [f"Quarter{' to date' if n < 3 else ''} {format_money(result.gp_total)}: "
             f"{verdict} {n} × {format_money(result.min_gp)}",
             *netting_words(result, netting)]
    return _style(fig, f"Monthly GP against Min GP, {result.quarter}", "<br>".join(lines),
                  layout=layout)


def netting_of(result: QuarterResult) -> NettingMode:
    """The netting mode a result was computed under, as far as its figures tell: a carried
    shortfall is ``carry_forward``; a TEL profit other than the quarter's netted excess is
    ``monthly_floor``; else ``quarter`` (where the modes agree on every figure). Pass the
    plan's mode when it is known: a floor whose months are all weak reads as ``quarter``."""
    if result.carry_in or result.carry_out:
        return "carry_forward"
    netted = result.gp_total - len(result.months_booked) * result.min_gp
    return "monthly_floor" if result.tel_profit != max(0, netted) else "quarter"


def _profit_words(result: QuarterResult) -> str:
    return _colored(f"TEL profit {format_money(result.tel_profit)}",
                    PALETTE.passed if result.tel_profit > 0 else PALETTE.failed)


def netting_words(result: QuarterResult, netting: NettingMode | None = None) -> list[str]:
    """How the plan's netting mode makes the quarter's TEL profit, in short lines (a chart's
    subtitle), ending with the result's real TEL profit.

        quarter        a weak month is made up by strong ones of the same quarter
        monthly_floor  each month over Min GP shares what it makes over it
        carry_forward  as quarter, plus the shortfall carried in (and out)
    """
    mode = netting or netting_of(result)
    profit = _profit_words(result)
    if mode == "monthly_floor":
        return ["Each month over Min GP shares what it makes over it;",
                f"a weak month costs nothing: {profit}"]
    lines = [f"A weak month is made up by strong ones: {profit}"]
    if mode == "carry_forward":
        if result.carry_in:
            lines = [f"With a shortfall of {format_money(-result.carry_in)} carried in: "
                     f"{profit}"]
        if result.carry_out:
            lines.append(f"Shortfall of {format_money(-result.carry_out)} carried to the next "
                         "quarter")
    return lines


def year_gp_vs_threshold(year: YearResult, months: Sequence[str], note: str = "") -> go.Figure:
    """The fiscal year month by month: GP bars against the Min GP line, quarters marked.

        over_or_under = sum(gp) - months_booked * min_gp     (the year so far, in the subtitle)

    ``months`` lists the fiscal year's twelve labels in order (see
    :func:`tel.analysis.year.year_months`), drawn as short month names; a month not booked
    gets an empty slot. Each quarter's TEL profit (and a failed gate) is written above its
    three months; ``note`` (e.g. the netting rule in words) ends the subtitle.
    """
    labels = list(months)
    booked: dict[str, tuple[int, int]] = {}  # label -> (gp, min gp of its quarter)
    for r in year.quarters:
        for label, gp in zip(r.months_booked, r.gp_by_month, strict=True):
            booked[label] = (gp, r.min_gp)
    line_gp = year.quarters[-1].min_gp if year.quarters else 0
    shown = [m for m in labels if m in booked]
    fig = go.Figure()
    for weak, name, color in (
        (False, "At or above Min GP", PALETTE.passed),
        (True, "Below Min GP (weak month)", PALETTE.failed),
    ):
        pick = [m for m in shown if (booked[m][0] < booked[m][1]) is weak]
        if not pick:
            continue
        fig.add_trace(
            go.Bar(
                x=pick,
                y=_dollars([booked[m][0] for m in pick]),
                name=name,
                marker={"color": color},
                text=[format_money(booked[m][0], cents_shown=False) for m in pick],
                textposition="inside",
                insidetextanchor="middle",
                textangle=0,
                textfont={"size": FONT - 2, "color": "white"},
                customdata=[[format_money(booked[m][0]),
                             format_money(booked[m][0] - booked[m][1])] for m in pick],
                hovertemplate="%{x}<br>GP %{customdata[0]}<br>vs Min GP %{customdata[1]}"
                "<extra></extra>",
            )
        )
    line = {"color": PALETTE.threshold, "width": 3, "dash": "dash"}
    shapes = [_hline(line_gp / 100, line)]
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", line=line,
                             name=f"Min GP {format_money(line_gp, cents_shown=False)} / month"))
    gps = [booked[m][0] for m in shown]
    top = max([*gps, line_gp, 0]) / 100 * 1.3
    bottom = min([*gps, 0]) / 100 * 1.1
    notes = [{"x": m, "y": line_gp / 200, "text": "not booked", "textangle": -90,
              "showarrow": False, "font": {"size": FONT - 2, "color": "#666666"}}
             for m in labels if m not in booked]
    by_quarter = {r.quarter: r for r in year.quarters}
    for i in range(len(labels) // 3):
        if i:
            shapes.append(_vline(3 * i - 0.5, {"color": "#999999", "width": 1, "dash": "dot"}))
        label = f"{year.fiscal_year}-Q{i + 1}"
        got = by_quarter.get(label)
        if got is None:
            words, color = f"{label}<br>not booked", "#666666"
        elif not got.gates.passed:
            words = f"{label}<br>TEL {format_money(got.tel_profit, cents_shown=False)}, gate failed"
            color = PALETTE.failed
        else:
            words = f"{label}<br>TEL {format_money(got.tel_profit, cents_shown=False)}"
            color = "#222222"
        notes.append({"x": 3 * i + 1, "y": top, "yanchor": "top", "text": words,
                      "showarrow": False, "font": {"size": FONT - 2, "color": color}})
    n = len(shown)
    total = sum(gps)
    diff = total - sum(booked[m][1] for m in shown)
    verdict = _colored(
        f"{format_money(abs(diff))} {'over' if diff >= 0 else 'under'}",
        PALETTE.passed if diff >= 0 else PALETTE.failed,
    )
    layout = {
        # no axis title and level month names: at 1024 px slanted "2026-01" labels ran into a
        # "Month" title; "Jan" fits a twelfth of the width, the year under the first month
        "xaxis": _plain_axis("", type="category", categoryorder="array", categoryarray=labels,
                             range=[-0.5, len(labels) - 0.5], tickmode="array",
                             tickvals=labels, ticktext=_month_ticks(labels), tickangle=0),
        "yaxis": _money_axis("Gross profit", signed=bottom < 0, range=[bottom, top]),
        "barmode": "overlay",
        "uniformtext": {"minsize": MIN_FONT, "mode": "hide"},  # a label that does not fit hides
        "shapes": shapes,
        "annotations": notes,
    }
    subtitle = (f"{n} of {len(labels)} months booked, GP {format_money(total)}"
                f"<br>{verdict} {n} × Min GP" + (f". {plotly_text(note)}" if note else ""))
    fig = _style(fig, f"GP by month, FY {year.fiscal_year}", subtitle, layout=layout)
    fig.layout.margin.r = 20  # the title and twelve months need the width at 1024 px
    return fig


def _month_ticks(labels: Sequence[str]) -> list[str]:
    """``YYYY-MM`` labels as short month names, the year under the first and under January.

    >>> _month_ticks(["2025-12", "2026-01", "2026-02"])
    ['Dec<br>2025', 'Jan<br>2026', 'Feb']
    """
    out = []
    for i, label in enumerate(labels):
        y, m = label.split("-")
        name = calendar.month_abbr[int(m)]
        out.append(f"{name}<br>{y}" if i == 0 or m == "01" else name)
    return out


Measure = Literal["absolute", "relative", "total", "short", "split"]


@dataclass(frozen=True, slots=True)
class LedgerBar:
    """One bar of :func:`waterfall`, in cents.

    ``absolute`` starts the running total at ``cents``; ``relative`` adds ``cents`` to it;
    ``total`` shows the running total, which is ``cents``; ``short`` is a running total below
    zero (a shortfall), drawn apart in red; ``split`` is the team + merit bar of the running
    total (``cents`` = team pool + merit pool). ``figure`` names the
    :class:`~tel.engine.quarter.QuarterResult` field the bar is, when it is one.
    """

    label: str
    measure: Measure
    cents: int
    figure: str = ""
    what: str = ""  # a few words for the hover


def _split_label(result: QuarterResult) -> str:
    head = "Team" if result.gates.passed else "At stake: team"
    return (f"{head} {format_money(result.team_pool, cents_shown=False)}"
            f"<br>+ merit {format_money(result.merit_pool, cents_shown=False)}")


def ledger_bars(result: QuarterResult, netting: NettingMode | None = None) -> list[LedgerBar]:
    """The quarter's ledger (spec section 10) as waterfall bars; a step that is zero is left
    out, so every bar shown moves money:

        Quarter GP - months x Min GP                       (the threshold)
          + weak months not netted    monthly_floor: sum(max(0, min_gp - gp))
          + shortfall carried in      carry_forward: carry_in (<= 0)
        = TEL profit - house = staff pool
          + deferred in - held back + released - employer tax
        = paid pool = team pool + merit pool
          - over caps - nobody eligible
        = paid in checks

    ``netting`` is the plan's mode (``None``: :func:`netting_of` the result). A quarter short
    of its threshold stops at the shortfall (one with a TEL profit of 0 at it), unless its
    gates pass and earlier quarters bring it money (a deferred pool, a released reserve):
    that is then paid from a TEL profit of 0.
    When a gate fails nothing is paid, and the staff pool's split shows what was at stake.
    """
    mode = netting or netting_of(result)
    n = len(result.months_booked)
    threshold = n * result.min_gp
    bars = [
        LedgerBar("Quarter<br>GP", "absolute", result.gp_total, "gp_total",
                  "Gross profit booked"),
        LedgerBar(f"Threshold<br>{n} × {format_money(result.min_gp, cents_shown=False)}",
                  "relative", -threshold, "", "Min GP × months booked"),
    ]
    if mode == "monthly_floor":
        unnetted = sum(max(0, result.min_gp - g) for g in result.gp_by_month)
        if unnetted:
            bars.append(LedgerBar("Weak months<br>not netted", "relative", unnetted, "",
                                  "Monthly floor: what the weak months would have cost "
                                  "under quarter netting"))
    elif result.carry_in:
        bars.append(LedgerBar("Shortfall<br>carried in", "relative", result.carry_in,
                              "carry_in", "Left unmade by earlier quarters of the fiscal year"))
    excess = sum(b.cents for b in bars)
    passed = result.gates.passed
    brought = passed and (result.deferred_in or result.released)  # money from earlier quarters
    if excess < 0:
        carried = result.carry_out != 0
        bars.append(LedgerBar("Shortfall<br>carried out" if carried else "Short of<br>threshold",
                              "short", excess, "carry_out" if carried else "",
                              "Left for the next quarter of the fiscal year to make up"
                              if carried else "Nothing over the threshold to share"))
        if not brought:
            return bars
        bars.append(LedgerBar("TEL<br>profit", "absolute", 0, "tel_profit",
                              "Nothing over the threshold this quarter"))
    else:
        bars.append(LedgerBar("TEL<br>profit", "total", result.tel_profit, "tel_profit",
                              "What spilled over the threshold"))
        if not (result.tel_profit or brought):
            return bars
    if result.tel_profit:
        if result.house:
            bars.append(LedgerBar("House", "relative", -result.house, "house",
                                  "Kept by the company"))
        bars.append(LedgerBar("Staff<br>pool", "total", result.staff_pool, "staff_pool",
                              "TEL profit minus the house share"))
    if not passed:
        bars.append(LedgerBar(_split_label(result), "split",
                              result.team_pool + result.merit_pool, "",
                              "What was at stake: nothing is paid"))
        return bars
    moved = [LedgerBar(label, "relative", cents, figure, what) for label, cents, figure, what in (
        ("Deferred<br>in", result.deferred_in, "deferred_in",
         "Staff pools held by earlier failed gates"),
        ("Held back<br>(reserve)", -result.held_back, "held_back",
         "Put in the reserve, paid with the fiscal year's fourth quarter"),
        ("Reserve<br>released", result.released, "released",
         "The reserve, paid with a complete fourth quarter"),
        ("Employer<br>tax", -result.employer_tax, "employer_tax",
         "The employer's payroll tax on the checks, paid out of the pool"),
    ) if cents]
    bars += moved
    if moved:
        bars.append(LedgerBar("Paid<br>pool", "total", result.paid_pool, "paid_pool",
                              "What is left for the checks"))
    bars.append(LedgerBar(_split_label(result), "split", result.team_pool + result.merit_pool,
                          "", "Team pool (equal checks) + merit pool (weighted)"))
    lost = [LedgerBar(label, "relative", cents, figure, what) for label, cents, figure, what in (
        ("Over caps<br>(to house)", -result.capped_to_house, "capped_to_house",
         "Checks over the cap go back to the house"),
        ("Nobody<br>eligible", -result.undistributed, "undistributed",
         "Nobody could take it: back to the house"),
    ) if cents]
    if lost:
        bars += lost
        bars.append(LedgerBar("Paid in<br>checks", "total", result.paid, "paid",
                              "The checks themselves"))
    return bars


def waterfall(result: QuarterResult, *, netting: NettingMode | None = None) -> go.Figure:
    """The quarter's ledger from gross profit to the checks (:func:`ledger_bars`): each step
    that moves money is a bar, every total is the result's own figure, and the paid pool
    (or, when a gate fails, the staff pool at stake) splits into team + merit.

        TEL profit = GP - months * Min GP (by the netting mode; 0 when negative)
        staff pool = TEL profit - house
        paid pool  = staff pool + deferred in - held back + released - employer tax
                   = team pool + merit pool
    """
    bars = ledger_bars(result, netting)
    flow = [b for b in bars if b.measure in ("absolute", "relative", "total")]
    running = 0
    shown: list[int] = []  # a step's own amount; a total's running sum
    for b in flow:
        running = b.cents if b.measure == "absolute" else running + (
            b.cents if b.measure == "relative" else 0)
        shown.append(b.cents if b.measure == "relative" else running)
    crowded = len(bars) > 7
    fig = go.Figure(
        go.Waterfall(
            x=[b.label for b in flow],
            y=_dollars([0 if b.measure == "total" else b.cents for b in flow]),
            measure=[b.measure for b in flow],
            name="Quarter",
            text=[format_money(v, cents_shown=False) for v in shown],
            textposition="outside",
            textfont={"size": FONT - 2 if crowded else FONT},
            customdata=[[format_money(v), b.what] for v, b in zip(shown, flow, strict=True)],
            hovertemplate="%{x}<br>%{customdata[0]}<br>%{customdata[1]}<extra></extra>",
            totals={"marker": {"color": PALETTE.gp}},
            increasing={"marker": {"color": PALETTE.gp}},
            decreasing={"marker": {"color": PALETTE.house}},
            connector={"line": {"color": "#999999", "dash": "dot"}},
            cliponaxis=False,
            showlegend=False,
        )
    )
    short = next((b for b in bars if b.measure == "short"), None)
    if short is not None:
        fig.add_trace(  # a plain bar: a waterfall total would take the totals colour
            go.Bar(
                x=[short.label],
                y=_dollars([short.cents]),
                marker={"color": PALETTE.failed},
                text=[format_money(short.cents, cents_shown=False)],
                textposition="outside",
                textfont={"size": FONT - 2 if crowded else FONT},
                customdata=[[format_money(short.cents), short.what]],
                hovertemplate="%{x}<br>%{customdata[0]}<br>%{customdata[1]}<extra></extra>",
                cliponaxis=False,
                showlegend=False,
            )
        )
    split = next((b for b in bars if b.measure == "split"), None)
    if split is not None:
        for name, base, amount, color in (
            ("Team pool", 0, result.team_pool, PALETTE.team),
            ("Merit pool", result.team_pool, result.merit_pool, PALETTE.merit),
        ):
            fig.add_trace(
                go.Bar(
                    x=[split.label],
                    y=_dollars([amount]),
                    base=_dollars([base]),
                    name=name if result.gates.passed else f"{name} at stake",
                    marker={"color": color},
                    customdata=[format_money(amount)],
                    hovertemplate=f"{name}<br>%{{customdata}}<extra></extra>",
                )
            )
    problems = []
    if short is not None:
        carried = ("With the shortfall carried in, " if result.carry_in else "GP is ")
        problems.append(f"{carried}{format_money(-short.cents)} under the threshold:")
    if result.tel_profit == 0:
        problems.append("<b>TEL profit is $0.00: only what earlier quarters brought is paid</b>"
                        if split is not None else "<b>TEL profit is $0.00, nothing to share</b>")
    if not result.gates.passed:
        problems.append("<b>Gates failed: nothing is paid this quarter</b>")
        if result.deferred_out > result.deferred_in:
            problems.append(f"The staff pool is deferred: {format_money(result.deferred_out)} "
                            "waits for a quarter that passes")
        elif result.staff_pool:
            problems.append("The staff pool goes back to the house")
    if result.undistributed:
        problems.append(f"Nobody eligible: {format_money(result.undistributed)} undistributed")
    layout = {
        "xaxis": _plain_axis("", type="category", categoryorder="array",
                             categoryarray=[b.label for b in bars]),
        "yaxis": _money_axis("Dollars", signed=True),
        "barmode": "overlay",
        "legend": {"traceorder": "normal"},
        **({"annotations": [_note("<br>".join(problems), PALETTE.failed)]} if problems else {}),
    }
    n = len(result.months_booked)
    mode = netting or netting_of(result)
    parts = [f"{n} of 3 months booked"] if n < 3 else []
    parts += {"monthly_floor": ["Monthly floor: a weak month costs nothing"],
              "carry_forward": ["A shortfall carries within the fiscal year"]}.get(mode, [])
    parts.append(f"Paid in checks {format_money(result.paid)}")
    return _style(fig, f"From gross profit to bonus checks, {result.quarter}", " · ".join(parts),
                  layout=layout)


def _sorted(rows: list[Payout], sort: str) -> list[Payout]:
    if sort == "total":
        return sorted(rows, key=lambda p: -p.total)  # stable: ties keep the given order
    if sort == "name":
        return sorted(rows, key=lambda p: p.name.casefold())
    return rows


def payouts_bar(
    result: QuarterResult,
    *,
    people: Sequence[str] | None = None,
    sort: Literal["total", "name", "given"] = "total",
    max_people: int = 60,
) -> go.Figure:
    """Each eligible person's check as a stacked team + merit bar, largest first.

        check = team + merit

    ``people`` limits who is shown (``None``: every eligible person). Above ``max_people``
    the bars become department totals (when there are two or more departments) or average
    checks by decile of check size, and the title says so.
    """
    wanted = None if people is None else set(people)
    rows = [p for p in result.payouts if p.eligible and (wanted is None or p.name in wanted)]
    if people is not None and sort == "given":
        order = {n: i for i, n in enumerate(people)}
        rows.sort(key=lambda p: order[p.name])
    rows = _sorted(rows, sort)
    note = "Gates failed: nothing is paid this quarter" if not result.gates.passed else ""
    if len(rows) > max_people:
        return _payouts_aggregated(result, rows, max_people, note)
    labels = [plotly_text(p.name) for p in rows]
    fig = go.Figure()
    for name, part, color in (("Team", "team", PALETTE.team), ("Merit", "merit", PALETTE.merit)):
        fig.add_trace(
            go.Bar(
                y=labels,
                x=_dollars([getattr(p, part) for p in rows]),
                orientation="h",
                name=name,
                marker={"color": color},
                customdata=[
                    [format_money(p.team), format_money(p.merit), format_money(p.total)]
                    for p in rows
                ],
                hovertemplate="<b>%{y}</b><br>Team %{customdata[0]}<br>Merit %{customdata[1]}"
                "<br>Total %{customdata[2]}<extra></extra>",
            )
        )
    fig.add_trace(  # the total at the end of each bar, readable from the back of the room
        go.Scatter(
            y=labels,
            x=_dollars([p.total for p in rows]),
            mode="text",
            text=[" " + format_money(p.total, cents_shown=False) for p in rows],
            textposition="middle right",
            textfont={"size": FONT - 2},
            showlegend=False,
            hoverinfo="skip",
        )
    )
    top = max((p.total for p in rows), default=0)
    layout = {
        "barmode": "stack",
        "xaxis": _money_axis("Check", range=[0, max(top, 1) / 100 * 1.18]),
        "yaxis": _names_axis(),
        "legend": {"traceorder": "normal"},
    }
    sub = "1 eligible person" if len(rows) == 1 else f"{len(rows):,} eligible people"
    return _style(
        fig,
        f"Bonus checks, {result.quarter}: team + merit",
        f"{sub}, sorted by {'total' if sort == 'total' else sort}" + (f" · {note}" if note else ""),
        height=max(420, 34 * len(rows) + 220),
        layout=layout,
    )


def _payouts_aggregated(
    result: QuarterResult, rows: list[Payout], max_people: int, note: str
) -> go.Figure:
    departments = sorted({p.department for p in rows if p.department})
    by_department = 2 <= len(departments) <= max_people
    groups: list[tuple[str, list[Payout]]]
    if by_department:
        buckets: dict[str, list[Payout]] = {}
        for p in rows:
            buckets.setdefault(p.department or "(none)", []).append(p)
        groups = sorted(buckets.items(), key=lambda kv: -sum(p.total for p in kv[1]))
        title = f"Bonus checks by department, {result.quarter}: totals"
        sub = f"{len(rows):,} eligible people in {len(groups)} departments (too many to list)"
    else:
        ranked = sorted(rows, key=lambda p: -p.total)
        parts = np.array_split(np.arange(len(ranked)), 10)
        groups = [
            (
                "Top 10%" if i == 0 else f"{10 * i}–{10 * (i + 1)}%",
                [ranked[j] for j in part],
            )
            for i, part in enumerate(parts)
            if part.size
        ]
        title = f"Average check by decile, {result.quarter}: team + merit"
        sub = f"{len(rows):,} eligible people in tenths by check size (too many to list)"

    def amount(values: list[int]) -> int:
        if by_department:
            return sum(values)
        return (2 * sum(values) + len(values)) // (2 * len(values))  # average, half-up

    labels = [f"{plotly_text(g)} ({len(ps):,})" for g, ps in groups]
    team = [amount([p.team for p in ps]) for _, ps in groups]
    merit = [amount([p.merit for p in ps]) for _, ps in groups]
    spans = [
        f"{format_money(min(p.total for p in ps))} – {format_money(max(p.total for p in ps))}"
        for _, ps in groups
    ]
    fig = go.Figure()
    for name, values, color in (("Team", team, PALETTE.team), ("Merit", merit, PALETTE.merit)):
        fig.add_trace(
            go.Bar(
                y=labels,
                x=_dollars(values),
                orientation="h",
                name=name,
                marker={"color": color},
                customdata=[
                    [format_money(t), format_money(m), format_money(t + m), s]
                    for t, m, s in zip(team, merit, spans, strict=True)
                ],
                hovertemplate="<b>%{y}</b><br>Team %{customdata[0]}<br>Merit %{customdata[1]}"
                "<br>Total %{customdata[2]}<br>Checks %{customdata[3]}<extra></extra>",
            )
        )
    layout = {
        "barmode": "stack",
        "xaxis": _money_axis("Total of checks" if by_department else "Average check"),
        "legend": {"traceorder": "normal"},
        "yaxis": _names_axis(),
    }
    return _style(
        fig, title, sub + (f" · {note}" if note else ""), height=max(460, 40 * len(groups) + 240),
        layout=layout,
    )


# --------------------------------------------------------------------------- what-ifs


def sensitivity(
    basis: SweepBasis,
    gp_range: tuple[int, int] | None = None,
    *,
    people: Sequence[str] = (),
    points: int = 201,
) -> go.Figure:
    """Staff pool, and below it the chosen people's checks, against average monthly GP.

        staff_pool(avg) = tel_profit - house,  tel_profit = max(0, months * (avg - min_gp))

    ``gp_range`` is (low, high) average monthly GP in cents, default 0 to twice Min GP.
    Checks get their own panel on a shared GP axis: on a second y axis every line would
    meet the staff pool's, since all start at break-even and rise in proportion. A dashed
    line marks break-even (Min GP), a dot today's average.
    """
    lo, hi = gp_range if gp_range is not None else (0, 2 * basis.min_gp)
    grid = np.floor(np.linspace(lo, hi, points) + 0.5)
    s = sweep(basis, avg_gp=grid, people=list(people))
    today = sweep(basis, people=list(people))
    rows = 2 if people else 1
    x = _dollars(grid)
    avg_now = _money(basis.avg_gp)

    # the trace's name, not the label itself: a label is user text (see the module docstring)
    hover = "%{fullData.name}<br>Avg GP %{customdata[0]}/month<br>%{customdata[1]}<extra></extra>"

    curves: list[tuple[str, Any, float, str, int, str, int]] = [
        (
            "Staff pool",
            s.pools.staff_pool,
            float(today.pools.staff_pool),
            PALETTE.staff,
            4,
            "solid",
            1,
        )
    ]
    for k, name in enumerate(s.people):
        color = PALETTE.people[k % len(PALETTE.people)]
        curves.append(
            (f"{plotly_text(name)}'s check", s.checks[:, k], float(today.checks[k]), color, 3,
             "solid", 2)
        )
    # Two panels on one GP axis, laid out as make_subplots would (row heights 55/45, a gap
    # of 0.08) but as plain data: building it with make_subplots, add_vline and
    # update_xaxes took ~60 ms at every rerun of the Sensitivity page.
    traces: list[dict[str, Any]] = []
    for label, values, now, color, width, dash, row in curves:
        axes = {"xaxis": "x", "yaxis": "y"} if row == 1 else {"xaxis": "x2", "yaxis": "y2"}
        traces.append({
            "type": "scatter",
            "x": x,
            "y": _dollars(values),
            "name": label,
            "mode": "lines",
            "line": {"color": color, "width": width, "dash": dash},
            "customdata": [[_money(g), _money(v)] for g, v in zip(grid, values, strict=True)],
            "hovertemplate": hover,
            **axes,
        })
        traces.append({
            "type": "scatter",
            "x": [basis.avg_gp / 100],
            "y": [now / 100],
            "mode": "markers",
            "marker": {"color": PALETTE.today, "size": 14, "line": {"width": 2, "color": color}},
            "customdata": [[avg_now, _money(now)]],
            "name": f"Today: {label}",
            "hovertemplate": hover,
            "showlegend": False,
            **axes,
        })
    # plain data, unvalidated like the layout (_style): 201 points x 4 curves cost ~30 ms of
    # plotly validation a rerun; the tests validate the figure in full
    fig = go.Figure(data=traces, _validate=False)
    even = break_even_avg_gp(basis)
    marks = (
        (even / 100, PALETTE.threshold, 3, "dash", "Break-even", format_money(even), "right"),
        (basis.avg_gp / 100, PALETTE.today, 1, "dot", "Today", avg_now, "left"),
    )
    panels = [""] if rows == 1 else ["", "2"]
    shapes = [_vline(at, {"color": color, "width": width, "dash": dash}, axis)
              for at, color, width, dash, *_ in marks for axis in panels]
    labels = [{"font": {"color": color, "size": FONT - 2}, "showarrow": False,
               "text": f"{word} {amount.rsplit('.', 1)[0]}", "x": at, "xanchor": side,
               "xref": "x", "y": 1, "yanchor": "top", "yref": "y domain"}  # the top panel
              for at, color, _, _, word, amount, side in marks]
    ticks = {"tickprefix": "$", "tickformat": ",.0f", "tickfont": {"size": FONT - 2}}
    gp_axis = {**_money_axis("Average monthly GP"), **ticks}
    layout: dict[str, Any] = {"shapes": shapes, "annotations": labels}
    if people:
        gap, bottom = 0.08, 0.45  # the top panel takes the other 55%
        layout.update(
            xaxis={"anchor": "y", "domain": [0.0, 1.0], "matches": "x2",
                   "showticklabels": False, **ticks},
            xaxis2={"anchor": "y2", "domain": [0.0, 1.0], **gp_axis},
            yaxis={"anchor": "x", "domain": [bottom * (1 - gap) + gap, 1.0],
                   **_money_axis("Staff pool", rangemode="tozero")},
            yaxis2={"anchor": "x2", "domain": [0.0, bottom * (1 - gap)],
                    **_money_axis("Check", rangemode="tozero")},
        )
    else:
        layout.update(
            xaxis={"anchor": "y", "domain": [0.0, 1.0], **gp_axis},
            yaxis={"anchor": "x", "domain": [0.0, 1.0],
                   **_money_axis("Staff pool", rangemode="tozero")},
        )
    sub = f"{basis.months_booked} of 3 months booked"
    if not basis.gates_passed:
        sub += " · " + _colored("Gates failed: every check is $0 at every GP", PALETTE.failed)
    return _style(
        fig, "Staff pool as average monthly GP changes", sub, height=720 if people else 540,
        layout=layout,
    )


def tornado(basis: SweepBasis, change_pct: int = 10) -> go.Figure:
    """Each input's -/+ ``change_pct``% effect on the staff pool, largest swing on top.

        effect = staff_pool(input * (1 +/- change_pct / 100)) - staff_pool(today)

    Team % moves only the team/merit split, so its staff bar is 0; the hover gives the team
    pool change instead.
    """
    rows = tornado_rows(basis, change_pct)
    labels = [r.label + (" (no effect)" if r.swing == 0 else "") for r in rows]

    def shown(r: Any, value: Any) -> str:
        return f"{value}%" if r.unit == "%" else format_money(int(value))

    fig = go.Figure()
    for side, color in (("low", PALETTE.low), ("high", PALETTE.high)):
        sign = "−" if side == "low" else "+"
        deltas = [getattr(r, f"{side}_delta") for r in rows]
        custom = [
            [
                shown(r, r.base_input),
                shown(r, getattr(r, f"{side}_input")),
                format_money(getattr(r, f"staff_{side}")),
                format_money(d),
                format_money(getattr(r, f"team_{side}") - r.team_base),
            ]
            for r, d in zip(rows, deltas, strict=True)
        ]
        fig.add_trace(
            go.Bar(
                y=labels,
                x=_dollars(deltas),
                orientation="h",
                name=f"Input {sign}{change_pct}%",
                marker={"color": color},
                customdata=custom,
                hovertemplate="<b>%{y}</b> %{customdata[0]} → %{customdata[1]}<br>"
                "Staff pool %{customdata[2]} (%{customdata[3]})<br>"
                "Team pool change %{customdata[4]}<extra></extra>",
            )
        )
    base = rows[0].staff_base if rows else 0
    layout = {
        "barmode": "overlay",
        "xaxis": _money_axis("Change in the staff pool", signed=True),
        "legend": {"traceorder": "normal"},
        "yaxis": _names_axis(),
    }
    return _style(
        fig,
        f"What moves the staff pool: each input ±{change_pct}%",
        f"Staff pool today {format_money(base)}; widest swing on top",
        height=max(460, 44 * len(rows) + 240),
        layout=layout,
    )


def heatmap_split(
    basis: SweepBasis,
    person: str,
    *,
    house_pcts: npt.ArrayLike | None = None,
    team_pcts: npt.ArrayLike | None = None,
) -> go.Figure:
    """One person's check over house % (rows) x team % (columns), in dollars.

        check(h, t) = team share of round(staff * t / 100) + merit share of the rest,
        staff = tel_profit - round(tel_profit * h / 100)

    Defaults: both from 0 to 100 in steps of 5. An x marks today's plan.
    """
    houses = np.arange(0, 101, 5.0) if house_pcts is None else np.asarray(house_pcts, float)
    teams = np.arange(0, 101, 5.0) if team_pcts is None else np.asarray(team_pcts, float)
    grid = split_grid(basis, person, houses, teams)
    text = [[_money(v) for v in row] for row in grid]
    fig = go.Figure(
        go.Heatmap(
            x=teams,
            y=houses,
            z=_dollars(grid),
            customdata=text,
            colorscale="Blues",
            colorbar={
                "title": {"text": "Check", "font": {"size": FONT}},
                "tickprefix": "$",
                "tickformat": ",.0f",
                "tickfont": {"size": FONT - 2},
            },
            hovertemplate="House %{y}% · Team %{x}%<br>Check %{customdata}<extra></extra>",
        )
    )
    now = split_grid(basis, person, [float(basis.house_pct)], [float(basis.team_pct)])
    fig.add_trace(
        go.Scatter(
            x=[float(basis.team_pct)],
            y=[float(basis.house_pct)],
            mode="markers+text",
            marker={
                "symbol": "x",
                "size": 18,
                "color": PALETTE.threshold,
                "line": {"width": 2, "color": "white"},
            },
            text=["Today"],
            textposition="top center",
            textfont={"size": FONT, "color": PALETTE.threshold},
            customdata=[_money(float(now[0, 0]))],
            hovertemplate="Today: house %{y}% · team %{x}%<br>Check %{customdata}<extra></extra>",
            showlegend=False,
        )
    )
    layout = {
        "xaxis": _plain_axis("Team % (merit gets the rest)", ticksuffix="%"),
        "yaxis": _plain_axis("House %", ticksuffix="%"),
    }
    sub = (
        "Gates failed: every check is $0"
        if not basis.gates_passed
        else (f"At today's GP; today {_money(float(now[0, 0]))}")
    )
    return _style(fig, f"{plotly_text(person)}'s check by house % and team %", sub, height=620,
                  layout=layout)


def gain_loss(
    basis: SweepBasis,
    team_from: Decimal | int | str,
    team_to: Decimal | int | str,
    *,
    people: Sequence[str] | None = None,
    max_people: int = 40,
) -> go.Figure:
    """Each eligible person's change in check when team % moves from A to B (green gains).

        change = check(team_pct = B) - check(team_pct = A)

    ``people`` limits who is shown (``None``: every eligible person). Above ``max_people``,
    department totals when there are two or more departments, else the largest gains and
    losses (``max_people // 2`` each) with a note of how many are left out.
    """
    change = team_pct_change(basis, team_from, team_to)
    wanted = None if people is None else set(people)
    idx = [
        i
        for i, n in enumerate(change.names)
        if change.eligible[i] and (wanted is None or n in wanted)
    ]
    delta = change.delta
    note = ""
    labels: list[str]
    values: list[float]
    counts: list[str]
    if len(idx) > max_people:
        departments = sorted({change.departments[i] for i in idx if change.departments[i]})
        if 2 <= len(departments) <= max_people:
            sums: dict[str, list[float]] = {}
            for i in idx:
                sums.setdefault(change.departments[i] or "(none)", []).append(float(delta[i]))
            ordered = sorted(sums.items(), key=lambda kv: -sum(kv[1]))
            labels = [f"{plotly_text(d)} ({len(v):,})" for d, v in ordered]
            values = [sum(v) for _, v in ordered]
            counts = [
                f"{sum(x > 0 for x in v):,} gain, {sum(x < 0 for x in v):,} lose"
                for _, v in ordered
            ]
            note = f"{len(idx):,} eligible people, totals by department"
        else:
            ranked = sorted(idx, key=lambda i: -float(delta[i]))
            half = max(1, max_people // 2)
            keep = ranked[:half] + ranked[-half:]
            labels = [plotly_text(change.names[i]) for i in keep]
            values = [float(delta[i]) for i in keep]
            counts = [""] * len(keep)
            note = f"The {half} largest gains and {half} largest losses of {len(idx):,} people"
    else:
        ranked = sorted(idx, key=lambda i: -float(delta[i]))
        labels = [plotly_text(change.names[i]) for i in ranked]
        values = [float(delta[i]) for i in ranked]
        counts = [""] * len(ranked)
        note = f"{len(ranked):,} eligible people"
    colors = [
        PALETTE.passed if v > 0 else PALETTE.failed if v < 0 else PALETTE.house for v in values
    ]
    fig = go.Figure(
        go.Bar(
            y=labels,
            x=_dollars(values),
            orientation="h",
            marker={"color": colors},
            customdata=[[_money(v), c] for v, c in zip(values, counts, strict=True)],
            hovertemplate="<b>%{y}</b><br>Change %{customdata[0]}<br>%{customdata[1]}"
            "<extra></extra>",
            showlegend=False,
        )
    )
    layout = {
        "xaxis": _money_axis("Change in check", signed=True),
        "yaxis": _names_axis(),
        "shapes": [_vline(0, {"color": "#444444", "width": 2})],
    }
    a, b = Decimal(team_from), Decimal(team_to)
    if not basis.gates_passed:
        note += " · Gates failed: nothing is paid either way"
    return _style(
        fig,
        f"Who gains and who loses when team % moves {a:f}% → {b:f}%",
        note + " · green gains, red loses",
        height=max(460, 30 * len(labels) + 240),
        layout=layout,
    )


# --------------------------------------------------------------------------- employee view


def pot_progress(result: QuarterResult) -> go.Figure:
    """Quarter-to-date GP against the quarter's threshold, for everyone: aggregates only.

        quarter threshold = 3 * min_gp;  to date = months_booked * min_gp

    One bar, green once the booked months beat their share of the threshold (grey behind it),
    with the quarter's threshold as a line. Built to fit a phone (390 px): a short title,
    the amount written on the bar, compact ticks ("$100k"); the sentences that explain it are
    the page's, where text wraps.
    """
    n = len(result.months_booked)
    to_date, full = n * result.min_gp, 3 * result.min_gp
    ahead = result.gp_total >= to_date
    top = max(full * 1.12, result.gp_total * 1.05, 1) / 100
    bottom = min(0.0, result.gp_total / 100)
    gp = result.gp_total / 100
    fig = go.Figure([
        go.Bar(y=[""], x=[to_date / 100], orientation="h", width=0.9, marker_color="#E6E6E6",
               name="Min GP to date", hovertemplate="Min GP to date: $%{x:,.0f}<extra></extra>"),
        go.Bar(y=[""], x=[gp], orientation="h", width=0.5,
               marker_color=PALETTE.passed if ahead else PALETTE.failed, name="GP so far",
               text=[format_money(result.gp_total, cents_shown=False)],
               textposition="inside" if gp > 0.45 * top else "outside",
               insidetextanchor="end", textfont={"size": FONT + 2},
               hovertemplate="GP so far: $%{x:,.0f}<extra></extra>"),
    ])
    key = "line: the quarter's Min GP"
    fig = _style(fig, f"GP so far, {result.quarter}",
                 f"grey: Min GP to date<br>{key}" if n < 3 else key,
                 height=250 if n < 3 else 230)
    layout = fig.layout.to_plotly_json()
    layout.update(
        barmode="overlay", showlegend=False, bargap=0,
        margin={"t": 112 if n < 3 else 90, "l": 12, "r": 24, "b": 40},
        xaxis={**layout.get("xaxis", {}), "range": [bottom, top], "tickformat": "$~s",
               "nticks": 5, "tickfont": {"size": FONT - 2}},
        yaxis={**layout.get("yaxis", {}), "showticklabels": False, "showgrid": False},
        shapes=[{"type": "line", "xref": "x", "yref": "paper", "x0": full / 100,
                 "x1": full / 100, "y0": 0, "y1": 1,
                 "line": {"color": PALETTE.threshold, "width": 5}}],
    )
    # a new figure: setting fig.layout validates the whole layout again (see _style)
    return go.Figure(data=list(fig.data), layout=layout, _validate=False)


# --------------------------------------------------------------------------- compare scenarios


def check_changes(
    names: Sequence[str],
    before_cents: Sequence[int],
    after_cents: Sequence[int],
    max_people: int = 40,
    *,
    before_label: str = "A",
    after_label: str = "B",
) -> go.Figure:
    """Who gains and who loses between two scenarios: one bar per person whose check moves.

        change = after - before

    Largest gain on top, largest loss at the bottom (green gains, red losses); people whose
    check does not move are counted in the subtitle, not drawn. Above ``max_people`` changes
    only the largest are drawn, half gains and half losses (a side with fewer leaves its
    bars to the other), and the subtitle says so. The caller decides who may be seen: pass
    only those ``names``.
    """
    if not len(names) == len(before_cents) == len(after_cents):
        raise ValueError("names, before_cents and after_cents must have the same length")
    moved = [
        (n, int(a) - int(b))
        for n, b, a in zip(names, before_cents, after_cents, strict=True)
        if int(a) != int(b)
    ]
    moved.sort(key=lambda nd: -nd[1])  # stable: ties keep the roster order
    gains = sum(1 for _, d in moved if d > 0)
    losses = len(moved) - gains
    unchanged = len(names) - len(moved)
    shown = moved
    note = f"{gains:,} gain, {losses:,} lose, {unchanged:,} unchanged"
    if len(moved) > max_people:
        # half the bars each for gains and losses; a side with fewer leaves its bars to the other
        keep_gains = min(gains, max(max_people // 2, max_people - losses))
        keep_losses = min(losses, max_people - keep_gains)
        top = moved[:keep_gains]
        bottom = moved[len(moved) - keep_losses:] if keep_losses else []
        shown = top + bottom
        kept = [f"{n:,} largest {what}" for n, what in
                ((len(top), "gains"), (len(bottom), "losses")) if n]
        note += " · the " + " and ".join(kept) + " shown"
    values = [d for _, d in shown]
    fig = go.Figure(
        go.Bar(
            y=[plotly_text(n) for n, _ in shown],
            x=_dollars(values),
            orientation="h",
            marker={"color": [PALETTE.passed if v > 0 else PALETTE.failed for v in values]},
            text=[("+" if v > 0 else "") + format_money(v) for v in values],
            textposition="outside",
            textfont={"size": FONT - 2},
            cliponaxis=False,
            customdata=[[("+" if v > 0 else "") + format_money(v)] for v in values],
            hovertemplate="<b>%{y}</b><br>Change %{customdata[0]}<extra></extra>",
            showlegend=False,
        )
    )
    reach = max((abs(v) for v in values), default=100) / 100 * 1.35
    layout = {
        "xaxis": _money_axis("Change in check", signed=True, range=[-reach, reach]),
        "yaxis": _names_axis(),
        "shapes": [_vline(0, {"color": "#444444", "width": 2})],
        **({} if moved else {"annotations": [_note("Nobody's check changes")]}),
    }
    a, b = plotly_text(before_label), plotly_text(after_label)
    return _style(
        fig,
        f"Who gains and who loses: {a} → {b}",
        note + " · green gains, red loses",
        height=max(420, 30 * len(shown) + 240),
        layout=layout,
    )


def check_changes_by_column(
    names: Sequence[str],
    base_cents: Sequence[int],
    compared: Sequence[tuple[str, Sequence[int | None]]],
    max_people: int = 40,
    *,
    base_label: str = "A",
) -> go.Figure:
    """Who gains and who loses in every compared column against the first: one panel per
    column (``label``, each person's check there, ``None`` when not on that roster), side by
    side on one symmetric axis.

        change = column - first

    With one column this is :func:`check_changes`. With more, every panel has the same rows:
    everyone whose check moves in some column, by the sum of their changes (largest gain on
    top, ties in roster order); above ``max_people`` only those with the largest change in
    any column are drawn, and the subtitle says so. Green gains, red losses; a person not
    on a column's roster has no bar in its panel.
    """
    if len(names) != len(base_cents) or any(len(c) != len(names) for _, c in compared):
        raise ValueError("names, base_cents and every compared column must have the same length")
    if len(compared) == 1:
        label, cents = compared[0]
        kept = [(n, b, c) for n, b, c in zip(names, base_cents, cents, strict=True)
                if c is not None]
        return check_changes([n for n, _, _ in kept], [b for _, b, _ in kept],
                             [c for _, _, c in kept], max_people,
                             before_label=base_label, after_label=label)
    deltas = [[None if c is None else int(c) - int(b) for c, b in zip(cents, base_cents,
                                                                      strict=True)]
              for _, cents in compared]
    moved = [i for i in range(len(names)) if any(d[i] for d in deltas)]
    size = {i: max(abs(d[i] or 0) for d in deltas) for i in moved}
    shown = moved
    notes = []
    for (label, _), d in zip(compared, deltas, strict=True):
        gains = sum(1 for v in d if v is not None and v > 0)
        losses = sum(1 for v in d if v is not None and v < 0)
        notes.append(f"{plotly_text(label)}: {gains:,} gain, {losses:,} lose")
    note = " · ".join(notes) + f" · {len(names) - len(moved):,} unchanged in every column"
    if len(moved) > max_people:
        shown = sorted(sorted(moved, key=lambda i: -size[i])[:max_people])
        note += f" · the {max_people:,} largest changes shown"
    shown = sorted(shown, key=lambda i: -sum(d[i] or 0 for d in deltas))  # stable: roster order
    titles = [f"{plotly_text(label)} − {plotly_text(base_label)}" for label, _ in compared]
    fig = make_subplots(rows=1, cols=len(compared), shared_yaxes=True,
                        horizontal_spacing=0.03, subplot_titles=titles)
    reach = max((abs(d[i] or 0) for d in deltas for i in shown), default=100) / 100 * 1.35
    layout: dict[str, Any] = {"yaxis": _names_axis()}
    for k, d in enumerate(deltas):
        values = [d[i] for i in shown]
        words = ["not on this roster" if v is None else ("+" if v > 0 else "") + format_money(v)
                 for v in values]
        fig.add_trace(
            go.Bar(
                y=[plotly_text(names[i]) for i in shown],
                x=[None if v is None else v / 100 for v in values],
                orientation="h",
                marker={"color": [PALETTE.passed if (v or 0) > 0 else PALETTE.failed
                                  for v in values]},
                customdata=[[w] for w in words],
                name=titles[k],  # user text stays out of the template (module docstring)
                hovertemplate="<b>%{y}</b><br>%{fullData.name}: %{customdata[0]}<extra></extra>",
                showlegend=False,
            ),
            row=1,
            col=k + 1,
        )
        axis = "xaxis" if k == 0 else f"xaxis{k + 1}"
        layout[axis] = _money_axis("Change in check" if k == 0 else "", signed=True,
                                   range=[-reach, reach])
    fig.update_layout(layout)
    for k in range(len(compared)):
        fig.add_vline(x=0, line={"color": "#444444", "width": 2}, row=1, col=k + 1)
    if not moved:
        fig.add_annotation(_note("Nobody's check changes"))
    for a in fig.layout.annotations:  # the panel titles: readable, not bold
        a.font = {"size": FONT - 2}
    fig = _style(
        fig,
        f"Who gains and who loses against {plotly_text(base_label)}",
        note + " · green gains, red loses",
        height=max(420, 30 * len(shown) + 290),
    )
    fig.layout.margin.t = 150  # room for the panel titles under the subtitle
    return fig


# --------------------------------------------------------------------------- risk


def risk_fan(fan: Sequence[FanPoint], quarter: str, p_any: float) -> go.Figure:
    """The staff pool if the quarter ended after each month: booked months as they stand, the
    months ahead as the simulated band (P10 to P90) around the median.

    >>> from tel.analysis.risk import FanPoint
    >>> pts = [FanPoint("2026-10", True, 100, 100, 100),
    ...        FanPoint("2026-11", False, 50, 150, 250)]
    >>> fig = risk_fan(pts, "2026-Q4", 0.9)
    >>> [t.name for t in fig.data]
    ['P10 to P90', 'P10 to P90', 'Median', 'Booked']
    """
    months = [p.month for p in fan]
    lo = [p.p10 / 100 for p in fan]
    hi = [p.p90 / 100 for p in fan]
    mid = [p.p50 / 100 for p in fan]
    band = PALETTE.staff
    fig = go.Figure([
        go.Scatter(x=months, y=lo, mode="lines", line={"width": 0}, name="P10 to P90",
                   showlegend=False, hovertemplate="P10 %{y:$,.0f}<extra></extra>"),
        go.Scatter(x=months, y=hi, mode="lines", line={"width": 0}, fill="tonexty",
                   fillcolor="rgba(51,34,136,0.18)", name="P10 to P90",
                   hovertemplate="P90 %{y:$,.0f}<extra></extra>"),
        go.Scatter(x=months, y=mid, mode="lines+markers", line={"color": band, "width": 3},
                   name="Median", hovertemplate="P50 %{y:$,.0f}<extra></extra>"),
        go.Scatter(x=[p.month for p in fan if p.booked], y=[p.p50 / 100 for p in fan if p.booked],
                   mode="markers", marker={"size": 14, "color": PALETTE.passed},
                   name="Booked", hovertemplate="booked %{y:$,.0f}<extra></extra>"),
    ])
    fig = _style(fig, f"The staff pool through {quarter}",
                 f"Chance that anything is paid: {p_any:.0%} · band: 8 in 10 simulated "
                 "quarters", height=420)
    fig.update_layout(yaxis=_money_axis("Staff pool"),
                      xaxis=_plain_axis("If the quarter ended after", type="category"),
                      legend={"orientation": "h", "y": -0.3})
    return fig


# --------------------------------------------------------------------------- meeting view


def check_bands_bar(bands: Sequence[Band], title: str, subtitle: str = "") -> go.Figure:
    """How many people get a check in each dollar band (:func:`tel.analysis.bands.check_bands`):
    head counts only, never a name or a band's total. The ``$0`` band is grey, on top.

    >>> from tel.analysis.bands import check_bands
    >>> fig = check_bands_bar(check_bands([0, 4000, 51000], most=3), "Checks")
    >>> list(fig.data[0].y), list(fig.data[0].x)
    (['$0', '$1–$199', '$200–$399', '$400–$599'], [1, 1, 0, 1])
    """
    labels = [b.label for b in bands]
    counts = [b.count for b in bands]
    words = [f"{n:,} {'person' if n == 1 else 'people'}" for n in counts]
    fig = go.Figure(
        go.Bar(
            y=labels,
            x=counts,
            orientation="h",
            marker={"color": [PALETTE.house if b.high == 0 else PALETTE.team for b in bands]},
            text=[f" {w}" if n else "" for n, w in zip(counts, words, strict=True)],
            textposition="outside",
            textfont={"size": FONT},
            cliponaxis=False,
            customdata=words,
            hovertemplate="<b>%{y}</b><br>%{customdata}<extra></extra>",
            showlegend=False,
        )
    )
    top = max(counts, default=0)
    layout = {
        "xaxis": _plain_axis("People", range=[0, max(top, 1) * 1.3], tickformat=",d",
                             rangemode="tozero"),
        "yaxis": _names_axis(),
    }
    return _style(fig, plotly_text(title), plotly_text(subtitle),
                  height=max(380, 46 * len(bands) + 220), layout=layout)


def change_bands_bar(bands: ChangeBands, title: str) -> go.Figure:
    """Who gains and who loses, as head counts by the size of the change
    (:func:`tel.analysis.bands.change_bands`): green gains, red losses, never a name. The
    ``title`` may quote user text (a scenario's name): it is escaped here.

    >>> from tel.analysis.bands import change_bands
    >>> fig = change_bands_bar(change_bands([150, -40000, 0]), "Plan")
    >>> [t.name for t in fig.data], list(fig.data[0].x), list(fig.data[1].x)
    (['Gain', 'Lose'], [1, 0, 0, 0, 0], [0, 0, 0, 0, 1])
    """
    labels = [b.label for b in bands.bands]
    fig = go.Figure()
    for name, counts, color in (("Gain", [b.gains for b in bands.bands], PALETTE.passed),
                                ("Lose", [b.losses for b in bands.bands], PALETTE.failed)):
        fig.add_trace(
            go.Bar(
                y=labels,
                x=counts,
                orientation="h",
                name=name,
                marker={"color": color},
                text=[f" {n:,}" if n else "" for n in counts],
                textposition="outside",
                textfont={"size": FONT},
                cliponaxis=False,
                customdata=[f"{n:,} {'person' if n == 1 else 'people'}" for n in counts],
                hovertemplate=f"<b>%{{y}}</b><br>{name}: %{{customdata}}<extra></extra>",
            )
        )
    top = max((max(b.gains, b.losses) for b in bands.bands), default=0)
    layout: dict[str, Any] = {
        "barmode": "group",
        "xaxis": _plain_axis("People", range=[0, max(top, 1) * 1.25], tickformat=",d"),
        "yaxis": {**_names_axis(), "title": {"text": "Change in check", "font": {"size": FONT}}},
        "legend": {"traceorder": "normal"},
        **({} if bands.moved else {"annotations": [_note("Nobody's check changes")]}),
    }
    sub = (f"{bands.gains:,} gain, {bands.losses:,} lose, {bands.unchanged:,} unchanged · "
           "people counted by the size of their change")
    return _style(fig, plotly_text(title), sub, height=max(380, 64 * len(labels) + 240),
                  layout=layout)


def wrap_title(text: str, width: int) -> str:
    """``text`` (plotly's HTML subset) broken with ``<br>`` into lines of at most ``width``
    visible characters where it can be: after the last comma or colon that fits, else at
    the last space that fits. Tags are not counted and never split.

    >>> wrap_title('<i>[What-if]</i> From gross profit to bonus checks, 2026-Q3', 44)
    '<i>[What-if]</i> From gross profit to bonus checks,<br>2026-Q3'
    >>> wrap_title("Who gains and who loses when team % moves 50% → 70%", 30)
    'Who gains and who loses when<br>team % moves 50% → 70%'
    >>> wrap_title("Gains and losses on 2026-Q3: loaded plan → this plan", 40)
    'Gains and losses on 2026-Q3:<br>loaded plan → this plan'
    >>> wrap_title("Short", 30)
    'Short'
    """
    lines: list[str] = []
    rest = text
    while len(re.sub(r"<[^>]+>", "", rest)) > width:
        spaces: list[tuple[int, bool]] = []  # (index of a space outside tags, after a comma)
        seen, in_tag = 0, False
        for i, ch in enumerate(rest):
            if ch == "<":
                in_tag = True
            elif ch == ">":
                in_tag = False
            elif not in_tag:
                if ch == " " and 0 < seen <= width:
                    spaces.append((i, rest[i - 1] in ",:"))
                seen += 1
        if not spaces:
            break
        commas = [i for i, comma in spaces if comma]
        cut = commas[-1] if commas else spaces[-1][0]
        lines.append(rest[:cut])
        rest = rest[cut + 1:]
    return "<br>".join([*lines, rest])


PROJECTOR_SCALE: Final = 1.15
TITLE_CHARS: Final = 50  # longer titles wrap (24-px type in a 1024-pixel window: ~60 fit)


def projector(fig: Any, scale: float = PROJECTOR_SCALE, title_chars: int = TITLE_CHARS) -> Any:
    """Fonts ``scale`` times larger for a shared screen: body text, axis titles, legend,
    hover, notes and bar labels. Tick labels stay as built (larger, a category axis turns
    them into slanted fragments) and so does the title's size; a title longer than
    ``title_chars`` characters wraps (:func:`wrap_title`), so it is not cut in a 1024-pixel
    window. The top margin grows to match. Changes ``fig`` in place.

    >>> f = _style(go.Figure(go.Bar(x=[1], textfont={"size": 16})),
    ...            "From gross profit to bonus checks, 2026-Q3", "Paid in checks $12,090.00")
    >>> g = projector(tag_title(f, "As booked"))
    >>> g.layout.font.size, g.layout.title.font.size, g.data[0].textfont.size
    (21, 24, 18)
    >>> g.layout.title.text.split("</span> ")[1], g.layout.margin.t
    ('From gross profit to bonus checks,<br>2026-Q3', 156)
    """

    def grow(node: Any, key: str = "") -> Any:
        if isinstance(node, dict):
            out = {k: grow(v, k) for k, v in node.items()}
            if (key.endswith("font") and key != "tickfont"
                    and isinstance(out.get("size"), int | float)):
                out["size"] = round(out["size"] * scale)
            return out
        if isinstance(node, list | tuple):
            return [grow(v, key) for v in node]
        return node

    before = fig.layout.to_plotly_json()
    layout = grow(before)
    title = layout.get("title", {})
    if isinstance(title.get("font"), dict):
        title["font"]["size"] = before["title"]["font"].get("size", TITLE_FONT)
    margin = layout.get("margin", {})
    if isinstance(margin.get("t"), int | float):
        margin["t"] = round(margin["t"] * scale)
    text = title.get("text") or ""
    if "<br>" not in text:
        title["text"] = wrap_title(text, title_chars)
        if isinstance(margin.get("t"), int | float):
            margin["t"] += round(1.25 * title["font"]["size"]) * title["text"].count("<br>")
    if text:  # pinned to the top: a longer title pushes its subtitle down, not into the plot
        # (plotly anchors a title of several lines by its last: the pad makes room for the rest)
        lines = title.get("text", "").count("<br>")
        pad = 16 + round(1.3 * title["font"]["size"] * lines)
        title.update({"yref": "container", "y": 1, "yanchor": "top", "pad": {"t": pad}})
    legend = layout.get("legend", {})
    if legend.get("orientation") == "h" and legend.get("y", 0) < 0:
        # at the foot of the figure: larger type would run a legend under the plot into the
        # x axis's title
        legend.update({"yref": "container", "y": 0, "yanchor": "bottom"})
        if isinstance(margin.get("b"), int | float):
            margin["b"] += 24
    fig.layout = go.Layout(layout, _validate=False)  # validated in full by the tests
    for trace in fig.data:
        for attr in ("textfont", "insidetextfont", "outsidetextfont"):
            font = getattr(trace, attr, None)
            if font is not None and isinstance(font.size, int | float):
                font.size = round(font.size * scale)
    return fig
