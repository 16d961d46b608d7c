"""Charts (matplotlib, imported lazily and rendered off-screen)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from corridor.costing import HOURS_PER_DAY, KG_PER_TONNE

__all__ = [
    "comparison_chart",
    "network_map",
    "pareto_front",
    "queue_length",
    "route_map",
    "shipment_gantt",
    "time_breakdown",
    "tradeoff",
    "transit_ecdf",
    "waiting_over_time",
]

if TYPE_CHECKING:
    from corridor.network import Network

#: Bar colour by the first word of the route id (its family).
_COLORS = {
    "middle": "#3b7dd8",
    "air": "#d8683b",
    "caspian": "#5aa469",
    "northern": "#8e5ad8",
    "sea": "#2bb0b0",
    "southern": "#c9a227",
}


def comparison_chart(kpis: pd.DataFrame, *, path: str | Path | None = None, title: str = "Route comparison") -> Any:
    """Three panels per demand flow and route: transit days (p50–p95 whiskers), cost and CO2 per tonne.

    Parameters
    ----------
    kpis
        A frame from :meth:`Results.kpis` or :func:`corridor.results.compare` (index levels
        ``[scenario,] demand, route``).
    path
        Also write the figure here (PNG by its suffix).
    title
        The figure's title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    plt = _pyplot()
    frame = kpis.reset_index()
    frame["cost_usd_per_t"] = frame["cost_usd_per_kg"] * KG_PER_TONNE
    frame["co2_kg_per_t"] = frame["co2_g_per_tkm"] * frame["distance_km"] / KG_PER_TONNE
    label_cols = [c for c in ("scenario", "demand", "route") if c in frame.columns]
    if "scenario" in label_cols and frame["scenario"].nunique() == 1:
        label_cols.remove("scenario")
    labels = [" | ".join(str(row[c]) for c in label_cols) for _, row in frame.iterrows()]
    panels = [
        ("Transit time (days)", "transit_days_mean", True),
        ("Cost (USD per tonne of cargo)", "cost_usd_per_t", False),
        ("CO2e (kg per tonne of cargo)", "co2_kg_per_t", False),
    ]
    fig, axes = plt.subplots(1, 3, figsize=(15, max(3.0, 0.45 * len(frame) + 1.5)), sharey=True)
    ypos = list(range(len(frame)))
    colors = [_COLORS.get(str(r).split("-")[0], "#7f7f7f") for r in frame["route"]]
    for ax, (name, col, spread) in zip(axes, panels, strict=True):
        ax.barh(ypos, frame[col].to_numpy(dtype=float), color=colors)
        if spread:
            lo = frame["transit_days_p50"].to_numpy(dtype=float)
            hi = frame["transit_days_p95"].to_numpy(dtype=float)
            ax.hlines(ypos, lo, hi, color="black", linewidth=2, label="p50–p95")
            ax.legend(loc="lower right", fontsize=8)
        ax.set_title(name)
        ax.grid(axis="x", alpha=0.3)
    axes[0].set_yticks(ypos, labels, fontsize=8)
    axes[0].invert_yaxis()
    fig.suptitle(title)
    return _finish(fig, path)


_CYCLE = ("#3b7dd8", "#d8683b", "#5aa469", "#8e5ad8", "#2bb0b0", "#c94f7c", "#8c6d31", "#7f7f7f")


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _finish(fig: Any, path: str | Path | None) -> Any:
    fig.tight_layout()
    if path is not None:
        out = Path(path)
        out.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(out, dpi=110)
    return fig


def _label(demand: object, route: object) -> str:
    return f"{demand} | {route}"


def transit_ecdf(results: Any, *, demand: str | None = None, path: str | Path | None = None) -> Any:
    """Empirical CDF of transit days per route (delivered shipments): how reliable each route is.

    Parameters
    ----------
    results
        A :class:`corridor.Results`.
    demand
        Only this demand flow (default: all).
    path
        Also write the figure here.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import numpy as np

    plt = _pyplot()
    ships = results.shipments[results.shipments["delivered"]]
    if demand is not None:
        ships = ships[ships["demand"] == demand]
    fig, ax = plt.subplots(figsize=(9, 5))
    for (dem, route), grp in ships.groupby(["demand", "route"], observed=True):
        days = np.sort(grp["transit_days"].to_numpy())
        ax.step(days, np.arange(1, len(days) + 1) / len(days), where="post", label=_label(dem, route))
    ax.set_xlabel("transit time (days)")
    ax.set_ylabel("share of shipments delivered within")
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title(f"Transit-time distribution: {results.scenario}")
    return _finish(fig, path)


def pareto_front(points: pd.DataFrame, *, x: str, y: str) -> pd.Series:
    """Boolean mask of the points no other point beats on both ``x`` and ``y`` (lower is better)."""
    values = points[[x, y]].to_numpy(dtype=float)
    keep = []
    for i, (xi, yi) in enumerate(values):
        beaten = any((xj <= xi and yj <= yi) and (xj < xi or yj < yi) for j, (xj, yj) in enumerate(values) if j != i)
        keep.append(not beaten)
    return pd.Series(keep, index=points.index)


def tradeoff(kpis: pd.DataFrame, *, path: str | Path | None = None, title: str = "Cost, time and CO2") -> Any:
    """Cost per tonne against transit days for each demand flow, Pareto front of each flow marked.

    Routes are only comparable for the same flow (same origin, destination and cargo), so
    each flow gets its own colour and its own front; marker area is CO2e per tonne.

    Parameters
    ----------
    kpis
        From :meth:`Results.kpis` or :func:`corridor.results.compare`.
    path
        Also write the figure here.
    title
        Figure title.
    """
    plt = _pyplot()
    frame = kpis.reset_index()
    frame["cost_usd_per_t"] = frame["cost_usd_per_kg"] * KG_PER_TONNE
    frame["co2_kg_per_t"] = frame["co2_g_per_tkm"] * frame["distance_km"] / KG_PER_TONNE
    frame = frame.dropna(subset=["transit_days_mean", "cost_usd_per_t"])
    several = "scenario" in frame.columns and frame["scenario"].nunique() > 1
    fig, ax = plt.subplots(figsize=(10, 6))
    biggest = max(float(frame["co2_kg_per_t"].max()), 1e-9) if len(frame) else 1.0
    for color, (demand, grp) in zip(_CYCLE, frame.groupby("demand", observed=True, sort=False), strict=False):
        sizes = 30 + 300 * grp["co2_kg_per_t"] / biggest
        ax.scatter(grp["transit_days_mean"], grp["cost_usd_per_t"], s=sizes, alpha=0.55, color=color, label=str(demand))
        front = grp[pareto_front(grp, x="transit_days_mean", y="cost_usd_per_t")].sort_values("transit_days_mean")
        ax.plot(front["transit_days_mean"], front["cost_usd_per_t"], color=color, linestyle="--", linewidth=1)
        for _, row in grp.iterrows():
            name = f"{row['scenario']}: {row['route']}" if several else str(row["route"])
            ax.annotate(name, (row["transit_days_mean"], row["cost_usd_per_t"]), fontsize=7, xytext=(4, 4),
                        textcoords="offset points")  # fmt: skip
    ax.set_xlabel("transit time, mean (days)")
    ax.set_ylabel("cost (USD per tonne of cargo)")
    ax.set_title(f"{title}; dashed: Pareto front per flow; marker area: CO2e per tonne")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    return _finish(fig, path)


TIME_PARTS = {
    "moving_days": "moving",
    "wait_gate_days": "waiting at a gate",
    "wait_service_days": "waiting for a service",
    "wait_queue_days": "queueing",
    "handling_days": "handling",
    "border_days": "border",
    "disrupted_days": "disrupted",
}


def time_breakdown(kpis: pd.DataFrame, *, path: str | Path | None = None, title: str = "Where the time goes") -> Any:
    """Stacked bars of mean days moving, waiting, queueing, handling, at borders, disrupted."""
    plt = _pyplot()
    frame = kpis.reset_index()
    keys = [c for c in ("scenario", "demand", "route") if c in frame.columns]
    labels = [" | ".join(str(r[k]) for k in keys) for _, r in frame.iterrows()]
    fig, ax = plt.subplots(figsize=(10, max(3.0, 0.45 * len(frame) + 1.5)))
    left = pd.Series(0.0, index=frame.index)
    for col, name in TIME_PARTS.items():
        values = frame[col].fillna(0.0)
        ax.barh(labels, values, left=left, label=name)
        left = left + values
    ax.invert_yaxis()
    ax.set_xlabel("days (mean over delivered shipments)")
    ax.set_title(title)
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    return _finish(fig, path)


def shipment_gantt(results: Any, *, replication: int = 0, shipment: int = 0, path: str | Path | None = None) -> Any:
    """One shipment's legs on a time line: border and handling, waiting for a service, travel."""
    plt = _pyplot()
    legs = results.legs
    one = legs[(legs["replication"] == replication) & (legs["shipment"] == shipment)].sort_values("leg")
    if one.empty:
        from corridor._errors import CorridorError

        raise CorridorError(
            f"no legs for replication {replication}, shipment {shipment}; pick one from Results.shipments",
            field="shipment",
        )
    fig, ax = plt.subplots(figsize=(11, 0.5 * len(one) + 1.5))
    for i, row in enumerate(one.itertuples()):
        t = row.ready_h / HOURS_PER_DAY
        parts = [
            (row.wait_gate_h, "#d8683b"),
            (row.border_h + row.handling_h, "#8e5ad8"),
            (row.wait_service_h + row.wait_queue_h + row.disrupted_h, "#d8683b"),
            (row.travel_h, "#3b7dd8"),
        ]
        for hours, color in parts:
            ax.barh(i, hours / HOURS_PER_DAY, left=t, color=color)
            t += hours / HOURS_PER_DAY
    ax.set_yticks(range(len(one)), [f"{r.from_node} → {r.to_node} ({r.mode})" for r in one.itertuples()], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("days since the scenario start")
    ax.set_title(f"{results.scenario}: shipment {shipment} ({one['route'].iloc[0]}), replication {replication}")
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in ("#8e5ad8", "#d8683b", "#3b7dd8")]
    ax.legend(handles, ["border + handling", "waiting", "travel"], fontsize=8, loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    return _finish(fig, path)


def waiting_over_time(results: Any, *, resource: str, replication: int = 0) -> pd.Series:
    """Shipments waiting at ``resource`` over time (hours): :meth:`Results.queues` for one resource.

    ``resource`` is a service or capacity link id, or the id of a node with a gate.
    """
    q = results.queues()
    one = q[(q["resource"] == resource) & (q["replication"] == replication)]
    return pd.Series(one["waiting"].to_numpy(), index=pd.Index(one["time_h"].to_numpy(), name="time_h"), name="waiting")


def queue_length(results: Any, *, resource: str, replication: int = 0, path: str | Path | None = None) -> Any:
    """Plot :func:`waiting_over_time` for one resource (service or capacity link, node gate)."""
    plt = _pyplot()
    series = waiting_over_time(results, resource=resource, replication=replication)
    fig, ax = plt.subplots(figsize=(10, 4))
    ax.step(series.index / HOURS_PER_DAY, series.to_numpy(), where="post", color="#3b7dd8")
    ax.set_xlabel("days since the scenario start")
    ax.set_ylabel("shipments waiting")
    ax.set_title(f"Waiting at {resource} ({results.scenario}, replication {replication})")
    ax.grid(alpha=0.3)
    return _finish(fig, path)


#: Line colour and width by link mode on the network map.
MODE_STYLE: dict[str, tuple[str, float]] = {
    "rail": ("#b2182b", 1.6),
    "sea": ("#2166ac", 1.3),
    "ferry": ("#1b9e77", 2.6),
    "road": ("#7f7f7f", 1.0),
    "air": ("#e08214", 1.2),
    "transfer": ("#7f7f7f", 0.8),
}


def _base_map(net: Network, *, extent: Sequence[float] | None, faint: bool) -> tuple[Any, Any, Any, Any]:
    """Country outlines and the network's links by mode; returns ``(fig, ax, nodes, links)``."""
    import geopandas as gpd

    from corridor.geo import network_to_gdfs

    plt = _pyplot()
    nodes, links = network_to_gdfs(net)
    countries_file = net.path / "countries.geojson"
    if extent is None:
        lon0, lat0 = nodes["lon"].min() - 3, nodes["lat"].min() - 3
        lon1, lat1 = nodes["lon"].max() + 3, nodes["lat"].max() + 3
    else:
        lon0, lat0, lon1, lat1 = extent
    fig, ax = plt.subplots(figsize=(14, min(14.0, 14 * 1.25 * (lat1 - lat0) / (lon1 - lon0) + 0.8)))
    ax.set_facecolor("#dbe9f6")
    if countries_file.is_file():
        countries = gpd.read_file(countries_file)
        countries.plot(ax=ax, color="#f2efe6", edgecolor="#9a9a9a", linewidth=0.4)
    for mode, (color, width) in MODE_STYLE.items():
        part = links[links["mode"] == mode]
        if len(part):
            part.plot(
                ax=ax,
                color="#b5b5b5" if faint else color,
                linewidth=width * (0.6 if faint else 1.0),
                alpha=0.9,
                zorder=3 if mode != "air" else 2,
            )
    ax.set_xlim(lon0, lon1)
    ax.set_ylim(lat0, lat1)
    ax.set_aspect(1.25)
    ax.text(
        0.995,
        0.005,
        "Country outlines: Natural Earth (public domain)",
        transform=ax.transAxes,
        fontsize=6,
        ha="right",
        va="bottom",
        color="#555555",
    )
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    return fig, ax, nodes, links


def _label_nodes(ax: Any, nodes: Any, names: set[str] | None = None) -> None:
    lon0, lon1 = ax.get_xlim()
    lat0, lat1 = ax.get_ylim()
    shown = nodes[nodes["kind"] != "waypoint"]
    ax.scatter(shown["lon"], shown["lat"], s=14, color="black", zorder=4)
    for _, row in shown[shown["kind"] != "airport"].iterrows():
        if names is not None and row.name not in names:
            continue
        if lon0 <= row["lon"] <= lon1 and lat0 <= row["lat"] <= lat1:
            ax.annotate(str(row["name"]).split(" (")[0], (row["lon"], row["lat"]), xytext=(3, 3),
                        textcoords="offset points", fontsize=7, zorder=5)  # fmt: skip


def network_map(
    net: Network,
    *,
    path: str | Path,
    extent: Sequence[float] | None = (5.0, 24.0, 126.0, 58.0),
    labels: bool = True,
    title: str = "corridor network by mode",
) -> Path:
    """Draw the network coloured by mode over country outlines (offline, no tiles).

    Country outlines are Natural Earth 1:110m Admin 0 (public domain), vendored in
    ``geodata/countries.geojson``. Sea links follow their sea routes (searoute geometry);
    the Caspian crossings (feeder Aktau–Alat, Ro-Pax Kuryk–Alat) and the Black Sea
    feeders are drawn over open water.

    Parameters
    ----------
    net
        The network (its link geometries are drawn as read).
    path
        Where to write the image (PNG by its suffix).
    extent
        ``(lon_min, lat_min, lon_max, lat_max)``; ``None`` fits every node.
    labels
        Label nodes other than waypoints.
    title
        The figure's title.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    from matplotlib.lines import Line2D

    fig, ax, nodes, links = _base_map(net, extent=extent, faint=False)
    if labels:
        _label_nodes(ax, nodes)
    handles = [
        Line2D([0], [0], color=c, linewidth=w + 0.5, label=m)
        for m, (c, w) in MODE_STYLE.items()
        if m in set(links["mode"])
    ]
    ax.legend(handles=handles, loc="lower left", fontsize=8, title="mode")
    ax.set_title(title)
    _finish(fig, path)
    return Path(path)


def route_map(
    net: Network,
    results: Any,
    *,
    path: str | Path | None = None,
    demand: str | None = None,
    extent: Sequence[float] | None = None,
    title: str | None = None,
) -> Any:
    """The routes a simulation used, each in its own colour, over the network and country outlines.

    Parameters
    ----------
    net
        The network the results were simulated on.
    results
        A :class:`corridor.Results`.
    path
        Also write the figure here.
    demand
        Only this demand flow's routes (default: all).
    extent
        ``(lon_min, lat_min, lon_max, lat_max)``; ``None`` fits the routes.
    title
        Figure title.
    """
    from matplotlib.lines import Line2D

    metas = [m for m in results.routes.values() if demand is None or m["demand"] == demand]
    used = {n for m in metas for n in m["nodes"]}
    if extent is None:
        pts = net.nodes.loc[sorted(used), ["lon", "lat"]]
        extent = (pts["lon"].min() - 4, pts["lat"].min() - 3, pts["lon"].max() + 4, pts["lat"].max() + 3)
    fig, ax, nodes, links = _base_map(net, extent=extent, faint=True)
    handles = []
    by_route: dict[str, list[str]] = {}
    for m in metas:
        by_route.setdefault(m["route"], [])
        by_route[m["route"]] += [f"{a}|{b}" for a, b in zip(m["nodes"][:-1], m["nodes"][1:], strict=True)]
    pairs = links["from"].astype(str) + "|" + links["to"].astype(str)
    for (route, hops), color in zip(by_route.items(), _CYCLE * 3, strict=False):
        part = links[pairs.isin(hops)]
        part.plot(ax=ax, color=color, linewidth=2.4, alpha=0.85, zorder=5)
        handles.append(Line2D([0], [0], color=color, linewidth=2.4, label=route))
    _label_nodes(ax, nodes, names=used)
    ax.legend(handles=handles, loc="lower left", fontsize=8, title="route")
    ax.set_title(title or f"Routes simulated: {results.scenario}" + (f" ({demand})" if demand else ""))
    return _finish(fig, path)
