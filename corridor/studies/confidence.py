"""Confidence intervals across replications, and replications run to a precision.

A KPI's interval is ``estimate ± t · s / √n``: ``n`` replications, ``s`` the standard
deviation of the KPI computed replication by replication, ``t`` the Student quantile
of ``n − 1`` degrees of freedom at the level asked for (replications are independent
and, for ``n`` of ten or more, their KPIs close enough to normal; Law & Kelton,
*Simulation Modeling and Analysis*, §9.4). Columns carry the level in their name:
``transit_days_p95_ci95`` is the half-width of the 95 % interval. A delta between two
scenarios run with the same seed (common random numbers) gets the paired interval, from
the per-replication differences; otherwise the two half-widths combine as
``√(h₁² + h₂²)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from corridor._errors import ScenarioError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ci_suffix", "delta_halfwidths", "halfwidths", "t_quantile", "with_intervals"]

#: KPIs without an interval: counts, not estimates.
NO_INTERVAL = ("shipments", "unit")


def ci_suffix(level: float) -> str:
    """The column suffix of intervals at ``level``: ``_ci95`` for 0.95, ``_ci97_5`` for 0.975.

    Raises
    ------
    ScenarioError
        If ``level`` is not strictly between 0 and 1.
    """
    if not 0.0 < level < 1.0:
        raise ScenarioError(f"a confidence level lies strictly between 0 and 1 (got {level}), e.g. 0.95", field="level")
    return "_ci" + f"{level * 100:.10g}".replace(".", "_")


def t_quantile(level: float, dof: np.ndarray | float) -> np.ndarray:
    """Two-sided Student quantile ``t_{(1 + level) / 2, dof}``; NaN where ``dof < 1``."""
    from scipy.special import stdtrit  # the inverse of Student's t CDF (scipy.stats takes seconds to import)

    dof = np.asarray(dof, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.where(dof >= 1, stdtrit(np.maximum(dof, 1.0), (1.0 + level) / 2.0), np.nan)


def halfwidths(
    per_replication: pd.DataFrame, *, level: float = 0.95, keys: Sequence[str] = ("demand", "route")
) -> pd.DataFrame:
    """Half-widths ``t · s / √n`` of every column of a per-replication frame, per group of ``keys``.

    ``n`` counts the replications where the column is not NaN (a route with no delivery
    in a replication has no transit time there).
    """
    import pandas as pd

    grouped = per_replication.groupby(level=list(keys), observed=True, sort=False)
    std = grouped.std(ddof=1)
    count = grouped.count().to_numpy(dtype=float)
    t = t_quantile(level, count - 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        values = t * std.to_numpy(dtype=float) / np.sqrt(count)
    return pd.DataFrame(values, index=std.index, columns=std.columns)


def with_intervals(table: pd.DataFrame, per_replication: pd.DataFrame, *, level: float = 0.95) -> pd.DataFrame:
    """``table`` with a half-width column ``<kpi><suffix>`` after the KPIs for each KPI but counts."""
    suffix = ci_suffix(level)
    cols = [c for c in table.columns if c not in NO_INTERVAL]
    hw = halfwidths(per_replication[cols], level=level, keys=[str(n) for n in table.index.names])
    hw = hw.reindex(table.index)
    out = table.copy()
    for col in cols:
        out[col + suffix] = hw[col].to_numpy()
    return out


def delta_halfwidths(
    runs: pd.DataFrame, reference: pd.DataFrame, *, level: float = 0.95, keys: Sequence[str] = ("demand", "route")
) -> pd.DataFrame:
    """Half-widths of ``run − reference`` per group, from two per-replication KPI frames.

    Where both have the same groups and replications (the same index), the interval
    is the paired one, from the per-replication differences: with common random numbers
    it is much narrower than either run's own. Otherwise the two half-widths combine as
    ``√(h₁² + h₂²)``.
    """
    if runs.index.equals(reference.index):
        return halfwidths(runs - reference, level=level, keys=keys)
    ha = halfwidths(runs, level=level, keys=keys)
    hb = halfwidths(reference, level=level, keys=keys).reindex(ha.index)
    return (ha**2 + hb**2) ** 0.5
