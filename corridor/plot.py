"""Charts (matplotlib, imported lazily and rendered off-screen)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from corridor.network import Network

__all__ = ["comparison_chart", "network_map"]

#: Bar colour by the first word of the route id (its family).
_COLORS = {
    "middle": "#3b7dd8",
    "air": "#d8683b",
    "caspian": "#5aa469",
    "northern": "#8e5ad8",
    "sea": "#2bb0b0",
    "southern": "#c9a227",
}


def comparison_chart(kpis: pd.DataFrame, *, path: str | Path, title: str = "Route comparison") -> Path:
    """Write a three-panel chart of transit time, cost and CO2 per demand flow and route.

    Parameters
    ----------
    kpis
        A frame from :meth:`Results.kpis` or :func:`corridor.compare` (index levels
        ``[scenario,] demand, route``).
    path
        Where to write the image (PNG by its suffix).
    title
        The figure's title.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    frame = kpis.reset_index()
    frame["cost_usd_per_t"] = frame["cost_usd_per_kg"] * 1000.0
    frame["co2_kg_per_t"] = frame["co2_g_per_tkm"] * frame["distance_km"] / 1000.0
    label_cols = [c for c in ("scenario", "demand", "route") if c in frame.columns]
    if "scenario" in label_cols and frame["scenario"].nunique() == 1:
        label_cols.remove("scenario")
    labels = [" | ".join(str(row[c]) for c in label_cols) for _, row in frame.iterrows()]
    panels: list[tuple[str, str, Any]] = [
        (
            "Transit time (days)",
            "transit_days_mean",
            frame[["transit_days_p50", "transit_days_p95"]],
        ),
        ("Cost (USD per tonne of cargo)", "cost_usd_per_t", None),
        ("CO2e (kg per tonne of cargo)", "co2_kg_per_t", None),
    ]
    height = max(3.0, 0.45 * len(frame) + 1.5)
    fig, axes = plt.subplots(1, 3, figsize=(15, height), sharey=True)
    ypos = range(len(frame))
    for ax, (name, col, spread) in zip(axes, panels, strict=True):
        values = frame[col].to_numpy(dtype=float)
        colors = [_COLORS.get(str(r).split("-")[0], "#7f7f7f") for r in frame["route"]]
        ax.barh(list(ypos), values, color=colors)
        if spread is not None:
            lo = frame["transit_days_p50"].to_numpy(dtype=float)
            hi = frame["transit_days_p95"].to_numpy(dtype=float)
            ax.hlines(list(ypos), lo, hi, color="black", linewidth=2, label="p50–p95")
            ax.legend(loc="lower right", fontsize=8)
        ax.set_title(name)
        ax.grid(axis="x", alpha=0.3)
    axes[0].set_yticks(list(ypos), labels, fontsize=8)
    axes[0].invert_yaxis()
    fig.suptitle(title)
    fig.tight_layout()
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


#: Line colour and width by link mode on the network map.
MODE_STYLE: dict[str, tuple[str, float]] = {
    "rail": ("#b2182b", 1.6),
    "sea": ("#2166ac", 1.3),
    "ferry": ("#1b9e77", 2.6),
    "road": ("#7f7f7f", 1.0),
    "air": ("#e08214", 1.2),
    "transfer": ("#7f7f7f", 0.8),
}


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
    import geopandas as gpd
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    from corridor.geo import network_to_gdfs

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
            part.plot(ax=ax, color=color, linewidth=width, alpha=0.9, zorder=3 if mode != "air" else 2)
    shown = nodes[nodes["kind"] != "waypoint"]
    ax.scatter(shown["lon"], shown["lat"], s=14, color="black", zorder=4)
    if labels:
        for _, row in shown[shown["kind"] != "airport"].iterrows():
            if lon0 <= row["lon"] <= lon1 and lat0 <= row["lat"] <= lat1:
                ax.annotate(
                    str(row["name"]).split(" (")[0],
                    (row["lon"], row["lat"]),
                    xytext=(3, 3),
                    textcoords="offset points",
                    fontsize=7,
                    zorder=5,
                )
    ax.set_xlim(lon0, lon1)
    ax.set_ylim(lat0, lat1)
    ax.set_aspect(1.25)
    handles = [
        Line2D([0], [0], color=c, linewidth=w + 0.5, label=m)
        for m, (c, w) in MODE_STYLE.items()
        if m in set(links["mode"])
    ]
    ax.legend(handles=handles, loc="lower left", fontsize=8, title="mode")
    ax.set_title(title)
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
    fig.tight_layout()
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out
