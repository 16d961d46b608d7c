"""Study charts: a tornado for one-at-a-time studies, lines with confidence bands for sweeps.

Both draw the study's ``focus`` rows (demand/route) and its KPIs: one panel per KPI
(at most three) and route. Error bars and bands are the 95 % (or the study's level)
confidence half-widths of the frame.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from corridor.outputs.style import new_figure, save

if TYPE_CHECKING:
    import pandas as pd

    from corridor.studies.run import StudyResult

__all__ = ["study_chart", "sweep_lines", "tornado"]

_MAX_KPIS = 3
_MAX_ROWS = 2
#: Line colours of a sweep's levels (Okabe–Ito, apart for colour-blind readers).
_LEVELS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")


def _rows(result: StudyResult) -> list[tuple[str, str]]:
    """The (demand, route) pairs to draw: the focus rows, at most two."""
    focus = result.focus()
    pairs = list(dict.fromkeys(zip(focus["demand"].astype(str), focus["route"].astype(str), strict=True)))
    return pairs[:_MAX_ROWS]


def _panels(result: StudyResult, *, row_height: float) -> tuple[Any, Any, list[str], list[tuple[str, str]]]:
    """A figure with one panel per KPI (columns) and focus row (rows): ``(fig, axes, kpis, rows)``."""
    kpis = result.spec.kpis[:_MAX_KPIS]
    rows = _rows(result)
    fig = new_figure(5.2 * len(kpis), 1.0 + row_height * len(rows))
    return fig, fig.subplots(len(rows), len(kpis), squeeze=False), kpis, rows


def _ci(frame: pd.DataFrame, kpi: str) -> np.ndarray:
    col = next((c for c in frame.columns if c.startswith(kpi + "_ci")), None)
    return np.zeros(len(frame)) if col is None else frame[col].to_numpy(dtype=float)


def _select(frame: pd.DataFrame, demand: str, route: str) -> pd.DataFrame:
    return frame[(frame["demand"].astype(str) == demand) & (frame["route"].astype(str) == route)]


def _level_text(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float | int) else str(value)


def tornado(result: StudyResult, *, path: str | Path | None = None) -> Any:
    """Tornado of a one-at-a-time study: each parameter's swing of each KPI from the base.

    A bar spans the lowest and the highest KPI over the parameter's levels, as a change
    from the base scenario; parameters are sorted by their largest swing (widest on
    top). Whiskers at the bar ends are the confidence half-widths of those variants.

    Returns
    -------
    matplotlib.figure.Figure
    """
    frame, params = result.frame, result.parameters
    fig, axes, kpis, rows = _panels(result, row_height=1.2 + 0.5 * len(params))
    for i, (demand, route) in enumerate(rows):
        sub = _select(frame, demand, route)
        for j, kpi in enumerate(kpis):
            _tornado_panel(axes[i][j], sub, params, kpi=kpi, title=f"{demand} | {route}")
    fig.suptitle(result.spec.title or result.spec.name)
    return save(fig, path)


def _tornado_panel(ax: Any, sub: pd.DataFrame, params: list[str], *, kpi: str, title: str) -> None:
    """One tornado: a bar per parameter from its lowest to its highest change of ``kpi`` from the base.

    Whiskers: the paired half-widths of the changes (``delta_<kpi>_ci..`` of the frame).
    """
    base = sub[sub["variant"] == "base"]
    ref = float(base[kpi].iloc[0]) if len(base) else np.nan
    bars = []
    for p in params:
        hit = sub[sub[p].notna()]
        if hit.empty:
            continue
        delta = hit[f"delta_{kpi}"].to_numpy(dtype=float)
        ci = np.nan_to_num(_ci(hit, f"delta_{kpi}"))
        lo, hi = int(np.argmin(delta)), int(np.argmax(delta))
        bars.append((p, delta[lo], delta[hi], ci[lo], ci[hi], hit[p].iloc[lo], hit[p].iloc[hi]))
    bars.sort(key=lambda b: max(abs(b[1]), abs(b[2])))
    for y, (_, lo_d, hi_d, lo_ci, hi_ci, lo_v, hi_v) in enumerate(bars):
        ax.barh(y, max(hi_d, 0.0) - min(lo_d, 0.0), left=min(lo_d, 0.0), color=_LEVELS[0], alpha=0.85)
        ax.errorbar([lo_d, hi_d], [y, y], xerr=[lo_ci, hi_ci], fmt="none", ecolor="black", capsize=3, lw=1)
        ax.annotate(_level_text(lo_v), (lo_d - lo_ci, y), xytext=(-3, 0), textcoords="offset points",
                    ha="right", va="center", fontsize=7)  # fmt: skip
        if hi_v != lo_v:
            ax.annotate(_level_text(hi_v), (hi_d + hi_ci, y), xytext=(3, 0), textcoords="offset points",
                        ha="left", va="center", fontsize=7)  # fmt: skip
    low = min([0.0, *(b[1] - b[3] for b in bars)])
    high = max([0.0, *(b[2] + b[4] for b in bars)])
    pad = 0.3 * (high - low) if high > low else max(abs(ref) * 0.01, 1e-3)
    ax.set_xlim(low - pad, high + pad)
    ax.set_yticks(range(len(bars)), [b[0] for b in bars], fontsize=8)
    ax.axvline(0.0, color="black", lw=0.8)
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(f"{kpi}\n{title}  (base {ref:,.4g})", fontsize=9)
    ax.set_xlabel("change from the base scenario (whiskers: paired CI)", fontsize=8)


def sweep_lines(result: StudyResult, *, path: str | Path | None = None) -> Any:
    """KPIs against the first parameter, one line per level of the others, with confidence bands.

    Returns
    -------
    matplotlib.figure.Figure
    """
    frame, params = result.frame, result.parameters
    fig, axes, kpis, rows = _panels(result, row_height=3.6)
    scatter = result.spec.design == "lhs"  # samples, not levels: points with error bars
    x_name, others = params[0], ([] if scatter else params[1:])
    for i, (demand, route) in enumerate(rows):
        sub = _select(frame, demand, route)
        groups = sub.groupby(others, sort=True, dropna=False) if others else [((), sub)]
        for j, kpi in enumerate(kpis):
            ax = axes[i][j]
            for k, (key, grp) in enumerate(groups):
                grp = grp.sort_values(x_name)
                xs = grp[x_name].to_numpy()
                numeric = np.issubdtype(np.asarray(xs).dtype, np.number)
                pos = xs.astype(float) if numeric else np.arange(len(xs), dtype=float)
                y = grp[kpi].to_numpy(dtype=float)
                ci = _ci(grp, kpi)
                keys = key if isinstance(key, tuple) else (key,)
                label = ", ".join(f"{o} = {_level_text(v)}" for o, v in zip(others, keys, strict=True)) or None
                color = _LEVELS[k % len(_LEVELS)]
                if scatter:
                    ax.errorbar(pos, y, yerr=ci, fmt="o", color=color, ms=4, capsize=2, lw=0.8)
                else:
                    ax.plot(pos, y, marker="o", color=color, label=label)
                    low, high = y - ci, y + ci
                    if kpi.endswith("_share"):  # a share's interval cannot leave [0, 1]
                        low, high = np.clip(low, 0.0, 1.0), np.clip(high, 0.0, 1.0)
                    ax.fill_between(pos, low, high, color=color, alpha=0.2, lw=0)
                if not numeric:
                    ax.set_xticks(pos, [str(v) for v in xs], fontsize=8)
            ax.set_title(f"{kpi}\n{demand} | {route}", fontsize=9)
            ax.set_xlabel(x_name, fontsize=8)
            ax.grid(alpha=0.3)
            if others and i == 0 and j == 0:
                ax.legend(fontsize=7)
    fig.suptitle(f"{result.spec.title or result.spec.name} (bands: confidence intervals)")
    return save(fig, path)


def study_chart(result: StudyResult, *, path: str | Path | None = None) -> Any:
    """The chart a study's design calls for: a tornado (one at a time) or sweep lines (grid, Latin hypercube)."""
    if result.spec.design == "oat":
        return tornado(result, path=path)
    return sweep_lines(result, path=path)
