"""Charts: one figure per question, in the style of :mod:`corridor.outputs.style`.

Every chart facets by demand flow (routes are only comparable for the same origin,
destination and cargo, and one flow's scale must not squash another's), colours routes by
family, names routes and nodes rather than printing ids, and keeps legends below the data.
Figures are :class:`matplotlib.figure.Figure` objects on their own Agg canvas: the user's
matplotlib backend is never changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from corridor.costing import HOURS_PER_DAY, KG_PER_TONNE
from corridor.outputs import style

__all__ = [
    "TIME_PARTS",
    "comparison_chart",
    "pareto_front",
    "queue_length",
    "shipment_gantt",
    "time_breakdown",
    "tradeoff",
    "transit_ecdf",
    "waiting_over_time",
]


class _Panel(NamedTuple):
    column: str
    label: str


_PANELS = (
    _Panel("transit_days_mean", "transit time, mean (days)"),
    _Panel("cost_usd_per_t", "cost (USD per tonne)"),
    _Panel("co2_kg_per_t", "CO2e (kg per tonne)"),
)

#: Mean days per part of the journey (kpis columns) and their names and colours.
TIME_PARTS = {
    "moving_days": "moving",
    "wait_gate_days": "waiting at a gate",
    "wait_service_days": "waiting for a service",
    "wait_queue_days": "queueing",
    "handling_days": "handling",
    "border_days": "border",
    "disrupted_days": "disrupted",
}
_PART_COLORS = ("#4C72B0", "#C9A227", "#DD8452", "#C44E52", "#8172B3", "#937860", "#000000")


def _per_tonne(kpis: pd.DataFrame) -> pd.DataFrame:
    frame = kpis.reset_index()
    frame["cost_usd_per_t"] = frame["cost_usd_per_kg"] * KG_PER_TONNE
    frame["co2_kg_per_t"] = frame["co2_g_per_tkm"] * frame["distance_km"] / KG_PER_TONNE
    return frame


def _labels(frame: pd.DataFrame, families: Mapping[str, str]) -> list[str]:
    """Route names per row; the scenario is added where several are compared."""
    several = "scenario" in frame.columns and frame["scenario"].nunique() > 1
    out = []
    for _, grp in frame.groupby("demand", observed=True, sort=False):
        shown = list(grp["route"].astype(str))
        for idx, row in grp.iterrows():
            text = style.route_label(str(row["route"]), families, shown=shown)
            out.append((idx, f"{text} · {row['scenario']}" if several else text))
    return [t for _, t in sorted(out)]


def _colors(frame: pd.DataFrame, families: Mapping[str, str]) -> list[str]:
    return [style.family_style(style.family_of(str(r), families)).color for r in frame["route"]]


def _family_handles(frame: pd.DataFrame, families: Mapping[str, str]) -> list[Any]:
    from matplotlib.patches import Patch

    seen = dict.fromkeys(style.family_of(str(r), families) for r in frame["route"])
    return [Patch(color=style.family_style(f).color, label=style.family_style(f).name) for f in seen]


def _flow_title(flow: str, names: Mapping[str, str] | None) -> str:
    return (names or {}).get(flow, f"flow: {flow}")


def _flow_rows(frame: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    return [(str(d), g) for d, g in frame.groupby("demand", observed=True, sort=False)]


@style.plain_text
def comparison_chart(
    kpis: pd.DataFrame,
    *,
    path: str | Path | None = None,
    title: str = "Route comparison",
    families: Mapping[str, str] | None = None,
    flow_names: Mapping[str, str] | None = None,
) -> Any:
    """Transit days (p50–p95 whiskers), cost and CO2 per tonne: one row of panels per flow.

    Parameters
    ----------
    kpis
        A frame from :meth:`Results.kpis` or :func:`corridor.compare` (index levels
        ``[scenario,] demand, route``). Where a KPI has ``<kpi>_ci_low`` and
        ``<kpi>_ci_high`` columns, its confidence interval is drawn as an error bar.
    path
        Also write the figure here (PNG by its suffix).
    title
        The figure's title.
    families
        Route id → family (default: the bundled ``routes.toml``).
    flow_names
        Demand id → a title for its panel (:func:`corridor.outputs.style.flow_names`).

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.lines import Line2D

    fams = dict(families) if families is not None else style.route_families()
    frame = _per_tonne(kpis)
    frame["label"] = _labels(frame, fams)
    rows = _flow_rows(frame)
    heights = [max(len(g), 1) + 1.6 for _, g in rows]
    fig = style.new_figure(14, 0.3 * sum(heights) + 1.4)
    axes = fig.subplots(len(rows), len(_PANELS), squeeze=False, gridspec_kw={"height_ratios": heights})
    for (flow, grp), axrow in zip(rows, axes, strict=True):
        _comparison_row(axrow, grp, fams)
        axrow[1].set_title(_flow_title(flow, flow_names), fontsize=10, fontweight="bold")
    handles = [*_family_handles(frame, fams), Line2D([0], [0], color="black", linewidth=1.5, label="p50–p95")]
    style.legend_below(fig, handles, ncols=min(len(handles), 4))
    fig.suptitle(title)
    return style.save(fig, path)


def _comparison_row(axrow: Any, grp: pd.DataFrame, fams: Mapping[str, str]) -> None:
    ypos = np.arange(len(grp))
    colors = _colors(grp, fams)
    for ax, panel in zip(axrow, _PANELS, strict=True):
        values = grp[panel.column].to_numpy(dtype=float)
        ax.barh(ypos, np.nan_to_num(values), color=colors, height=0.7)
        top = float(np.nanmax(values)) if np.isfinite(values).any() else 1.0
        hi = values
        if panel.column == "transit_days_mean":
            lo, hi = grp["transit_days_p50"].to_numpy(dtype=float), grp["transit_days_p95"].to_numpy(dtype=float)
            ax.hlines(ypos, lo, hi, color="black", linewidth=1.5)
            top = max(top, float(np.nanmax(hi)) if np.isfinite(hi).any() else top)
        low_col, high_col = f"{panel.column}_ci_low", f"{panel.column}_ci_high"
        if low_col in grp.columns and high_col in grp.columns:
            err = np.vstack([values - grp[low_col].to_numpy(float), grp[high_col].to_numpy(float) - values])
            ax.errorbar(values, ypos, xerr=np.abs(err), fmt="none", ecolor="#333333", capsize=3, linewidth=1)
        ends = np.fmax(np.nan_to_num(values), np.nan_to_num(hi)) if panel.column == "transit_days_mean" else values
        for y, v, end in zip(ypos, values, ends, strict=True):
            ax.text(end if np.isfinite(end) else 0.0, y, f" {_short(v)}", va="center", ha="left", fontsize=7)
        ax.set_xlim(0, top * 1.28 if top > 0 else 1.0)
        ax.set_ylim(len(grp) - 0.5, -0.5)
        ax.set_xlabel(panel.label, fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(axis="x", alpha=0.3)
        ax.set_yticks(ypos, grp["label"] if ax is axrow[0] else [""] * len(grp), fontsize=8)


def _short(value: float) -> str:
    if not np.isfinite(value):
        return "n/a"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"


_DASHES = ("-", "--", ":", "-.")


@style.plain_text
def transit_ecdf(
    results: Any,
    *,
    demand: str | None = None,
    path: str | Path | None = None,
    families: Mapping[str, str] | None = None,
    flow_names: Mapping[str, str] | None = None,
) -> Any:
    """Empirical CDF of transit days per route (delivered shipments), one panel per flow.

    Parameters
    ----------
    results
        A :class:`corridor.Results`.
    demand
        Only this demand flow (default: all).
    path
        Also write the figure here.
    families
        Route id → family (default: the bundled ``routes.toml``).
    flow_names
        Demand id → a title for its panel (:func:`corridor.outputs.style.flow_names`).

    Returns
    -------
    matplotlib.figure.Figure
    """
    fams = dict(families) if families is not None else style.route_families()
    ships = results.shipments[results.shipments["delivered"]]
    if demand is not None:
        ships = ships[ships["demand"] == demand]
    flows = [(str(d), g) for d, g in ships.groupby("demand", observed=True) if len(g)]
    ncols = min(len(flows), 2) or 1
    nrows = max(1, -(-len(flows) // ncols))
    fig = style.new_figure(6.5 * ncols, 3.3 * nrows + 0.9)
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    handles: dict[str, Any] = {}
    for ax, (flow, grp) in zip(axes, flows, strict=False):
        routes = [str(r) for r in grp["route"].unique()]
        for route, one in grp.groupby("route", observed=True):
            if one.empty:
                continue
            days = np.sort(one["transit_days"].to_numpy())
            fam = style.family_style(style.family_of(str(route), fams))
            label = style.route_label(str(route), fams, shown=routes)
            siblings = [r for r in routes if style.family_of(r, fams) == style.family_of(str(route), fams)]
            dash = _DASHES[siblings.index(str(route)) % len(_DASHES)]
            (line,) = ax.step(
                days,
                np.arange(1, len(days) + 1) / len(days),
                where="post",
                color=fam.color,
                linestyle=dash,
                label=label,
            )
            handles.setdefault(label, line)
        ax.set_title(_flow_title(flow, flow_names), fontsize=9)
        ax.set_xlabel("transit time (days)", fontsize=8)
        ax.set_ylabel("share delivered within", fontsize=8)
        ax.set_ylim(0, 1.02)
        ax.grid(alpha=0.3)
    for ax in axes[len(flows) :]:
        ax.set_visible(False)
    style.legend_below(fig, list(handles.values()))
    fig.suptitle(f"Transit-time distribution: {results.scenario}")
    return style.save(fig, path)


def pareto_front(points: pd.DataFrame, *, x: str, y: str) -> pd.Series:
    """Boolean mask of the points no other point beats on both ``x`` and ``y`` (lower is better)."""
    values = points[[x, y]].to_numpy(dtype=float)
    keep = []
    for i, (xi, yi) in enumerate(values):
        beaten = any((xj <= xi and yj <= yi) and (xj < xi or yj < yi) for j, (xj, yj) in enumerate(values) if j != i)
        keep.append(not beaten)
    return pd.Series(keep, index=points.index)


_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")


@style.plain_text
def tradeoff(
    kpis: pd.DataFrame,
    *,
    path: str | Path | None = None,
    title: str = "Cost against time",
    families: Mapping[str, str] | None = None,
    flow_names: Mapping[str, str] | None = None,
) -> Any:
    """Cost per tonne against transit days, one panel per flow, its Pareto front dashed.

    Colour is the route family, the marker shape the scenario, the marker area CO2e per
    tonne (relative within a panel). Routes are named in the legend, not on the points,
    so no label covers a point or another label.

    Parameters
    ----------
    kpis
        From :meth:`Results.kpis` or :func:`corridor.compare`.
    path
        Also write the figure here.
    title
        Figure title.
    families
        Route id → family (default: the bundled ``routes.toml``).
    flow_names
        Demand id → a title for its panel (:func:`corridor.outputs.style.flow_names`).
    """
    from matplotlib.lines import Line2D

    fams = dict(families) if families is not None else style.route_families()
    frame = _per_tonne(kpis).dropna(subset=["transit_days_mean", "cost_usd_per_t"])
    scenarios = list(dict.fromkeys(frame["scenario"])) if "scenario" in frame.columns else [""]
    flows = _flow_rows(frame)
    ncols = min(len(flows), 3) or 1
    nrows = max(1, -(-len(flows) // ncols))
    fig = style.new_figure(5.2 * ncols, 3.8 * nrows + 1.2)
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    handles: dict[str, Any] = {}
    for ax, (flow, grp) in zip(axes, flows, strict=False):
        _tradeoff_panel(ax, grp, fams, scenarios, handles)
        ax.set_title(_flow_title(flow, flow_names), fontsize=9)
    for ax in axes[len(flows) :]:
        ax.set_visible(False)
    legend = list(handles.values())
    legend.append(Line2D([0], [0], color="#333333", linestyle="--", label="Pareto front"))
    style.legend_below(fig, legend)
    fig.suptitle(f"{title} (marker area: CO2e per tonne)")
    return style.save(fig, path)


def _tradeoff_panel(
    ax: Any, grp: pd.DataFrame, fams: Mapping[str, str], scenarios: list[Any], handles: dict[str, Any]
) -> None:
    """One flow's points: colour by family, marker by scenario (or by route within a family)."""
    from matplotlib.lines import Line2D

    biggest = max(float(grp["co2_kg_per_t"].max()), 1e-9)
    routes = list(dict.fromkeys(grp["route"].astype(str)))
    for _, row in grp.iterrows():
        route = str(row["route"])
        fam = style.family_style(style.family_of(route, fams))
        label = style.route_label(route, fams, shown=routes)
        if len(scenarios) > 1:
            marker = _MARKERS[scenarios.index(row["scenario"]) % len(_MARKERS)]
            label = f"{label} · {row['scenario']}"
        else:
            siblings = [r for r in routes if style.family_of(r, fams) == style.family_of(route, fams)]
            marker = _MARKERS[siblings.index(route) % len(_MARKERS)]
        ax.scatter(
            row["transit_days_mean"],
            row["cost_usd_per_t"],
            s=40 + 260 * row["co2_kg_per_t"] / biggest,
            color=fam.color,
            marker=marker,
            alpha=0.8,
            edgecolors="black",
            linewidths=0.5,
        )
        handles.setdefault(
            label,
            Line2D(
                [0],
                [0],
                marker=marker,
                color=fam.color,
                markeredgecolor="black",
                linestyle="",
                markersize=8,
                label=label,
            ),
        )
    front = grp[pareto_front(grp, x="transit_days_mean", y="cost_usd_per_t")].sort_values("transit_days_mean")
    ax.plot(front["transit_days_mean"], front["cost_usd_per_t"], color="#333333", linestyle="--", linewidth=1)
    ax.set_xlabel("transit time, mean (days)", fontsize=8)
    ax.set_ylabel("cost (USD per tonne)", fontsize=8)
    ax.margins(0.15)
    ax.grid(alpha=0.3)


@style.plain_text
def time_breakdown(
    kpis: pd.DataFrame,
    *,
    path: str | Path | None = None,
    title: str = "Where the time goes",
    families: Mapping[str, str] | None = None,
    flow_names: Mapping[str, str] | None = None,
) -> Any:
    """Stacked bars of mean days moving, waiting, queueing, handling, at borders, disrupted;
    one panel per flow."""
    from matplotlib.patches import Patch

    fams = dict(families) if families is not None else style.route_families()
    frame = kpis.reset_index()
    frame["label"] = _labels(frame, fams)
    rows = _flow_rows(frame)
    heights = [len(g) + 1.4 for _, g in rows]
    fig = style.new_figure(11, 0.3 * sum(heights) + 1.3)
    axes = fig.subplots(len(rows), 1, squeeze=False, gridspec_kw={"height_ratios": heights}).ravel()
    for ax, (flow, grp) in zip(axes, rows, strict=True):
        ypos = np.arange(len(grp))
        left = np.zeros(len(grp))
        for (col, _name), color in zip(TIME_PARTS.items(), _PART_COLORS, strict=True):
            values = grp[col].fillna(0.0).to_numpy(dtype=float) if col in grp else np.zeros(len(grp))
            ax.barh(ypos, values, left=left, color=color, height=0.7)
            left = left + values
        ax.set_yticks(ypos, grp["label"], fontsize=8)
        ax.set_ylim(len(grp) - 0.5, -0.5)
        ax.set_title(_flow_title(flow, flow_names), fontsize=9)
        ax.set_xlabel("days (mean over delivered shipments)", fontsize=8)
        ax.grid(axis="x", alpha=0.3)
    handles = [Patch(color=c, label=n) for n, c in zip(TIME_PARTS.values(), _PART_COLORS, strict=True)]
    style.legend_below(fig, handles, ncols=len(handles))
    fig.suptitle(title)
    return style.save(fig, path)


@style.plain_text
def shipment_gantt(results: Any, *, replication: int = 0, shipment: int = 0, path: str | Path | None = None) -> Any:
    """One shipment's legs on a time line, nodes by name: border and handling, waiting, travel."""
    from matplotlib.patches import Patch

    legs = results.legs
    one = legs[(legs["replication"] == replication) & (legs["shipment"] == shipment)].sort_values("leg")
    if one.empty:
        from corridor._errors import CorridorError

        raise CorridorError(
            f"no legs for replication {replication}, shipment {shipment}; pick one from Results.shipments",
            field="shipment",
        )
    names = results.nodes["name"] if "name" in results.nodes else pd.Series(dtype=str)
    fig = style.new_figure(11, 0.32 * len(one) + 1.8)
    ax = fig.add_subplot()
    colors = {"border + handling": "#8172B3", "waiting": "#DD8452", "travel": "#4C72B0"}
    for i, row in enumerate(one.itertuples()):
        t = row.ready_h / HOURS_PER_DAY
        parts = [
            (row.wait_gate_h, "waiting"),
            (row.border_h + row.handling_h, "border + handling"),
            (row.wait_service_h + row.wait_queue_h + row.disrupted_h, "waiting"),
            (row.travel_h, "travel"),
        ]
        for hours, part in parts:
            ax.barh(i, hours / HOURS_PER_DAY, left=t, color=colors[part], height=0.7)
            t += hours / HOURS_PER_DAY

    def name(node: object) -> str:
        return str(names.get(str(node), node)).split(" (")[0]

    ax.set_yticks(
        range(len(one)), [f"{name(r.from_node)} → {name(r.to_node)} ({r.mode})" for r in one.itertuples()], fontsize=8
    )
    ax.set_ylim(len(one) - 0.5, -0.5)
    ax.set_xlabel("days since the scenario start")
    ax.set_title(f"{results.scenario}: shipment {shipment} ({one['route'].iloc[0]}), replication {replication}")
    style.legend_below(fig, [Patch(color=c, label=k) for k, c in colors.items()])
    ax.grid(axis="x", alpha=0.3)
    return style.save(fig, path)


def waiting_over_time(results: Any, *, resource: str, replication: int = 0) -> pd.Series:
    """Shipments waiting at ``resource`` over time (hours): :meth:`Results.queues` for one resource.

    ``resource`` is a service or capacity link id, or the id of a node with a gate.
    """
    q = results.queues()
    one = q[(q["resource"] == resource) & (q["replication"] == replication)]
    return pd.Series(one["waiting"].to_numpy(), index=pd.Index(one["time_h"].to_numpy(), name="time_h"), name="waiting")


@style.plain_text
def queue_length(results: Any, *, resource: str, replication: int = 0, path: str | Path | None = None) -> Any:
    """Plot :func:`waiting_over_time` for one resource (service or capacity link, node gate)."""
    series = waiting_over_time(results, resource=resource, replication=replication)
    fig = style.new_figure(10, 4)
    ax = fig.add_subplot()
    ax.step(series.index / HOURS_PER_DAY, series.to_numpy(), where="post", color="#4C72B0")
    ax.set_xlabel("days since the scenario start")
    ax.set_ylabel("shipments waiting")
    ax.set_title(f"Waiting at {resource} ({results.scenario}, replication {replication})")
    ax.grid(alpha=0.3)
    return style.save(fig, path)
