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


def compare(results: Sequence[Results], *, reference: str | None = None) -> pd.DataFrame:
    """KPIs of several results in one frame, like ``pandas.concat(keys=...)``.

    Parameters
    ----------
    results
        Results of one or more scenarios (distinct scenario names).
    reference
        Scenario name to compare against: adds ``delta_<kpi>`` columns (value minus the
        reference's value for the same demand and route).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``(scenario, demand, route)``.
    """
    import pandas as pd

    names = [r.scenario for r in results]
    if len(set(names)) != len(names):
        raise ScenarioError(f"scenario names repeat ({names}); compare distinct scenarios", field="scenarios")
    frame = pd.concat([r.kpis() for r in results], keys=names, names=["scenario"])
    if reference is None:
        return frame
    if reference not in names:
        raise ScenarioError(f"reference {reference!r} is not among {names}; name one of them", field="reference")
    ref = frame.xs(reference, level="scenario")
    keys = pd.MultiIndex.from_tuples([k[1:] for k in frame.index], names=ref.index.names)
    for col in _DELTA:
        frame[f"delta_{col}"] = frame[col].to_numpy() - ref[col].reindex(keys).to_numpy()
    return frame
