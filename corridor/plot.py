"""Charts (matplotlib, imported lazily and rendered off-screen)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["comparison_chart"]

#: Bar colour by the first word of the route id (its family).
_COLORS = {
    "middle": "#3b7dd8",
    "air": "#d8683b",
    "caspian": "#5aa469",
    "northern": "#8e5ad8",
    "sea": "#2bb0b0",
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
