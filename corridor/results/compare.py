"""Comparing scenarios: KPI frames side by side with a ``scenario`` index level."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from corridor._errors import ScenarioError

if TYPE_CHECKING:  # imported when used: `import corridor` imports this module
    import pandas as pd

    from corridor.results.frames import Results

__all__ = ["compare"]

_DELTA = (
    "transit_days_mean",
    "transit_days_p95",
    "cost_usd_per_feu",
    "cost_usd_per_kg",
    "cost_usd_per_t",
    "logistics_usd_per_t",
    "co2_kg_per_feu",
    "co2_kg_per_t_ttw",
)


def compare(results: Sequence[Results], *, reference: str | None = None, level: float = 0.95) -> pd.DataFrame:
    """KPIs of several results in one frame, like ``pandas.concat(keys=...)``.

    Parameters
    ----------
    results
        Results of one or more scenarios (distinct scenario names).
    reference
        Scenario name to compare against: adds ``delta_<kpi>`` columns (value minus the
        reference's value for the same demand and route) and their half-widths
        ``delta_<kpi>_ci95``: paired across replications where both scenarios ran the
        same replications of the same routes (see
        :func:`corridor.studies.confidence.delta_halfwidths`).
    level
        Confidence level of the intervals (column suffix ``_ci95`` at 0.95).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``(scenario, demand, route)``; each KPI with its half-width column.
    """
    import pandas as pd

    from corridor.studies.confidence import ci_suffix, delta_halfwidths

    names = [r.scenario for r in results]
    if len(set(names)) != len(names):
        raise ScenarioError(f"scenario names repeat ({names}); compare distinct scenarios", field="scenarios")
    suffix = ci_suffix(level)
    frame = pd.concat([r.kpis(level=level) for r in results], keys=names, names=["scenario"])
    if reference is None:
        return frame
    if reference not in names:
        raise ScenarioError(f"reference {reference!r} is not among {names}; name one of them", field="reference")
    ref = frame.xs(reference, level="scenario")
    keys = pd.MultiIndex.from_tuples([k[1:] for k in frame.index], names=ref.index.names)
    for col in _DELTA:
        frame[f"delta_{col}"] = frame[col].to_numpy() - ref[col].reindex(keys).to_numpy()
    ref_runs = next(r for r in results if r.scenario == reference).kpis_by_replication()[list(_DELTA)]
    parts = []
    for res in results:
        runs = res.kpis_by_replication()[list(_DELTA)]
        paired = ref_runs.reindex(runs.index) if _same_groups(runs, ref_runs) else ref_runs
        parts.append(delta_halfwidths(runs, paired, level=level))
    widths = pd.concat(parts, keys=names, names=["scenario"]).reindex(frame.index)
    for col in _DELTA:
        frame[f"delta_{col}{suffix}"] = widths[col].to_numpy()
    return frame


def _same_groups(runs: pd.DataFrame, reference: pd.DataFrame) -> bool:
    """Whether ``reference`` has every (demand, route, replication) of ``runs``."""
    return bool(runs.index.isin(reference.index).all())
