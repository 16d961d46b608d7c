"""Comparing scenarios: KPI frames side by side with a ``scenario`` index level."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

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
        reference's value for the same demand and route; see below where route ids differ)
        and their half-widths
        ``delta_<kpi>_ci95``: paired across replications where both scenarios ran the
        same replications of the same routes (see
        :func:`corridor.studies.confidence.delta_halfwidths`).
    level
        Confidence level of the intervals (column suffix ``_ci95`` at 0.95).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``(scenario, demand, route)``; each KPI with its half-width column. With a
        reference, ``matched_flow`` and ``matched_route`` name the reference's demand flow and
        route each row's deltas are against, and ``matched_by`` says how the route was found:
        ``id`` (the same flow and route id), else ``path`` (the reference's one route of that
        flow through the same nodes), else ``family`` (the one route of that flow and family in
        both scenarios). A flow whose id the reference lacks is the reference's one flow with the
        same origin, destination and unit. Empty, with blank deltas, when none of these finds
        exactly one.
    """
    import numpy as np
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
    ref_result = next(r for r in results if r.scenario == reference)
    matches = {res.scenario: _matches(res, ref_result) for res in results}
    found = [_found(matches[k[0]], (str(k[1]), str(k[2])), ref.index) for k in frame.index]
    frame["matched_flow"] = [m[0][0] if m else "" for m in found]
    frame["matched_route"] = [m[0][1] if m else "" for m in found]
    frame["matched_by"] = [m[1] if m else "" for m in found]
    keys = pd.MultiIndex.from_tuples(
        [m[0] if m else k[1:] for k, m in zip(frame.index, found, strict=True)], names=ref.index.names
    )
    known = [m is not None for m in found]
    for col in _DELTA:
        frame[f"delta_{col}"] = np.where(known, frame[col].to_numpy() - ref[col].reindex(keys).to_numpy(), np.nan)
    ref_runs = ref_result.kpis_by_replication()[list(_DELTA)]
    parts = []
    for res in results:
        runs = res.kpis_by_replication()[list(_DELTA)]
        mine = _relabel(ref_runs, matches[res.scenario])
        paired = mine.reindex(runs.index) if _same_groups(runs, mine) else mine
        parts.append(delta_halfwidths(runs, paired, level=level))
    widths = pd.concat(parts, keys=names, names=["scenario"]).reindex(frame.index)
    for col in _DELTA:
        frame[f"delta_{col}{suffix}"] = np.where(known, widths[col].to_numpy(), np.nan)
    return frame


def _matches(res: Results, ref: Results) -> dict[tuple[str, str], tuple[tuple[str, str], str]]:
    """For each (demand, route) of ``res``: the reference's (demand, route) and how it was matched."""
    ref_routes = {(str(v["demand"]), str(v["route"])): v for v in ref.routes.values()}
    ends = {d: _ends(v) for (d, _), v in ref_routes.items()}
    own = [(str(v["demand"]), str(v["route"]), v) for v in res.routes.values()]
    out: dict[tuple[str, str], tuple[tuple[str, str], str]] = {}
    for demand, route, info in own:
        flows = [demand] if demand in ends else [d for d, e in ends.items() if e == _ends(info)]
        if len(flows) != 1:
            continue
        flow = flows[0]
        if (flow, route) in ref_routes and flow == demand:
            out[(demand, route)] = ((flow, route), "id")
            continue
        same = [k for k, v in ref_routes.items() if k[0] == flow and tuple(v["nodes"]) == tuple(info["nodes"])]
        fam = [k for k, v in ref_routes.items() if k[0] == flow and v.get("family") == info.get("family")]
        mine = [r for d, r, v in own if d == demand and v.get("family") == info.get("family")]
        if len(same) == 1:
            out[(demand, route)] = (same[0], "path")
        elif len(fam) == 1 and len(mine) == 1:
            out[(demand, route)] = (fam[0], "family")
    return out


def _ends(route: Mapping[str, Any]) -> tuple[str, str, str]:
    """What a flow is, as far as routes tell: its origin, destination and unit."""
    return str(route["nodes"][0]), str(route["nodes"][-1]), str(route.get("unit", ""))


def _found(
    matches: dict[tuple[str, str], tuple[tuple[str, str], str]], key: tuple[str, str], ref_keys: pd.Index
) -> tuple[tuple[str, str], str] | None:
    """The match of one row: from the routes, else the same key where the reference has it (flows without routes)."""
    if key in matches:
        return matches[key]
    return (key, "id") if key in ref_keys else None


def _relabel(ref_runs: pd.DataFrame, matches: dict[tuple[str, str], tuple[tuple[str, str], str]]) -> pd.DataFrame:
    """The reference's per-replication KPIs under the matching routes' ids (a reference route may serve several)."""
    import pandas as pd

    renamed = {k: m[0] for k, m in matches.items() if m[0] != k}
    if not renamed:
        return ref_runs
    flat = ref_runs.reset_index()
    extra = []
    for (demand, route), (rd, rr) in renamed.items():
        rows = flat[(flat["demand"] == rd) & (flat["route"] == rr)].assign(demand=demand, route=route)
        extra.append(rows)
    return pd.concat([flat, *extra]).set_index(list(ref_runs.index.names))


def _same_groups(runs: pd.DataFrame, reference: pd.DataFrame) -> bool:
    """Whether ``reference`` has every (demand, route, replication) of ``runs``."""
    return bool(runs.index.isin(reference.index).all())
