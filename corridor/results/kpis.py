"""Key performance indicators per demand flow and route."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from corridor.costing import HOURS_PER_DAY, KG_PER_TONNE, TEU_PER_FEU

if TYPE_CHECKING:
    from corridor.results.frames import Results

__all__ = ["COST_PARTS", "KPI_COLUMNS", "KpiInputs", "kpi_inputs", "kpi_table", "kpis"]

KPI_COLUMNS = (
    "shipments", "delivered_share", "transit_days_mean", "transit_days_p50", "transit_days_p90",
    "transit_days_p95", "buffer_days", "on_time_share", "unit", "cost_usd_per_consignment", "cost_usd_per_t",
    "cost_usd_per_feu", "cost_usd_per_kg", "freight_usd", "handling_usd", "border_usd", "storage_usd",
    "inventory_usd", "logistics_usd", "logistics_usd_per_t", "co2_kg_per_t_ttw", "co2_kg_per_t_wtw",
    "co2_kg_per_feu", "co2_g_per_tkm", "co2_g_per_tkm_wtw", "distance_km", "moving_days", "wait_gate_days",
    "wait_service_days", "wait_queue_days", "handling_days", "border_days", "dwell_days",
    "disrupted_days",
)  # fmt: skip

#: The parts of the total logistics cost per consignment (means in :func:`kpis`).
COST_PARTS = ("freight_usd", "handling_usd", "border_usd", "storage_usd", "inventory_usd", "logistics_usd")

#: Hours per shipment summed over its legs -> the KPI column of their mean, in days.
_TIME_PARTS = {
    "moving": "moving_days",
    "wait_gate_h": "wait_gate_days",
    "wait_service_h": "wait_service_days",
    "wait_queue_h": "wait_queue_days",
    "handling_h": "handling_days",
    "border_h": "border_days",
    "dwell_h": "dwell_days",
    "disrupted_h": "disrupted_days",
}
#: The shipment columns :func:`_cost_kpis` reads.
_COST_INPUTS = ("tonnes", "cost_usd", "co2_kg", "co2_wtw_kg", "distance_km", *COST_PARTS)
#: Hours spent at the destination after the last leg, added to a time part.
_AT_DESTINATION = {"border_h": "destination_border_h", "dwell_h": "destination_dwell_h"}


def kpis(results: Results) -> pd.DataFrame:
    """Key performance indicators per demand flow and route.

    Times are in days and are over delivered shipments; ``delivered_share`` counts
    the rest as in transit. Cost and CO2 per FEU divide by ``teu / 2``; per kg and
    per tonne by the cargo mass, whatever the unit of carriage, so they compare
    across units and routes (:func:`_cost_kpis`). ``buffer_days`` is p95 − p50 (the
    reliability buffer). ``border_days`` and ``dwell_days`` include the stop at the
    destination. ``on_time_share`` is against the demand's ``promised_days`` (NaN if none).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``(demand, route)``, columns :data:`KPI_COLUMNS`.
    """
    return kpi_table(results, ["demand", "route"])


@dataclass(frozen=True)
class KpiInputs:
    """What the KPI tables read: the shipments with their time parts summed over their legs
    (the destination's clearance and dwell included), and those columns as numpy arrays.
    """

    ships: pd.DataFrame
    columns: dict[str, np.ndarray]
    delivered: np.ndarray


def kpi_inputs(results: Results) -> KpiInputs:
    """The :class:`KpiInputs` of a run (a :class:`~corridor.Results` keeps them once built)."""
    legs = results.legs
    per_ship = (
        legs.assign(moving=legs["travel_h"])
        .groupby(["replication", "shipment"], observed=True)[list(_TIME_PARTS)]
        .sum()
    )
    ships = results.shipments.join(per_ship, on=["replication", "shipment"])
    for part, end in _AT_DESTINATION.items():
        ships[part] = ships[part] + ships[end].fillna(0.0)
    # numpy columns sliced per group: per-replication tables have many small groups
    names = ("transit_days", "teu", "tonnes", "distance_km", "cost_usd", "co2_kg", "co2_wtw_kg", *COST_PARTS,
             *_TIME_PARTS)  # fmt: skip
    return KpiInputs(
        ships=ships,
        columns={c: ships[c].to_numpy(dtype=float) for c in names},
        delivered=ships["delivered"].to_numpy(dtype=bool),
    )


def kpi_table(results: Results, by: list[str]) -> pd.DataFrame:
    """KPIs per group of shipments: ``by`` is ``["demand", "route"]`` (:func:`kpis`) or adds
    ``"replication"`` (the KPIs of each replication on its own, for confidence intervals).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``by``, columns :data:`KPI_COLUMNS`; routes in the plan's order,
        replications in order within a route.
    """
    inputs = results._kpi_inputs  # built once for both tables of Results.kpis()
    ships, col, delivered = inputs.ships, inputs.columns, inputs.delivered
    rows = []
    groups = ships.groupby(by, observed=True, sort=False).indices
    for key, positions in groups.items():
        group, idx = cast(tuple[Any, ...], key), np.asarray(positions)
        dem, route = group[0], group[1]
        ok = idx[delivered[idx]]
        days = col["transit_days"][ok]
        meta = results.routes.get(f"{route}|{dem}", {})
        # per-FEU figures only where the route carries boxes (not on a flight by mass)
        feu = col["teu"][ok] / TEU_PER_FEU if meta.get("containers", True) else np.zeros(len(ok))
        feu = np.nan_to_num(feu)
        kg = col["tonnes"][ok] * KG_PER_TONNE
        tkm = col["tonnes"][ok] * col["distance_km"][ok]
        promised = meta.get("promised_days")

        p50, p90, p95 = (float(np.percentile(days, p)) if len(days) else float("nan") for p in (50, 90, 95))

        cost = col["cost_usd"][ok]
        co2 = col["co2_kg"][ok]
        boxes = feu > 0
        rows.append(
            {
                **dict(zip(by, group, strict=True)),
                "shipments": len(idx),
                "delivered_share": float(delivered[idx].mean()),
                "transit_days_mean": _mean(days),
                "transit_days_p50": p50,
                "transit_days_p90": p90,
                "transit_days_p95": p95,
                "buffer_days": p95 - p50,
                "on_time_share": float((days <= promised).mean()) if promised and len(days) else float("nan"),
                "cost_usd_per_feu": _mean(cost[boxes] / feu[boxes]),
                "cost_usd_per_kg": _mean(cost / kg),
                "co2_kg_per_feu": _mean(co2[boxes] / feu[boxes]),
                "co2_g_per_tkm": float(co2.sum() * 1000.0 / tkm.sum()) if tkm.sum() > 0 else float("nan"),
                **_cost_kpis({c: a[ok] for c, a in col.items() if c in _COST_INPUTS}, unit=str(meta.get("unit", ""))),
                "distance_km": _mean(col["distance_km"][ok]),
                **{_TIME_PARTS[part]: _mean(col[part][ok]) / HOURS_PER_DAY for part in _TIME_PARTS},
            }
        )
    frame = pd.DataFrame(rows, columns=[*by, *KPI_COLUMNS])
    order = {(m["demand"], m["route"]): i for i, m in enumerate(results.routes.values())}
    rank = [order.get((d, r), 0) for d, r in zip(frame["demand"], frame["route"], strict=True)]
    # routes in the order of the plan; replications in order within a route
    keys = (frame[by[-1]].to_numpy(), np.asarray(rank)) if len(by) > 2 else (np.asarray(rank),)
    frame = frame.iloc[np.lexsort(keys)]
    return frame.set_index(by)


def _mean(values: Any) -> float:
    arr = np.asarray(values, dtype=float)
    return float(arr.mean()) if arr.size else float("nan")


def _cost_kpis(ok: dict[str, np.ndarray], *, unit: str) -> dict[str, Any]:
    """The unit of carriage, charges per consignment and per tonne, the parts of the total
    logistics cost (means per consignment) and CO2 per tonne (TTW, WTW) of delivered shipments.

    ``ok``: the columns :data:`_COST_INPUTS` of the delivered shipments.
    """
    tonnes = ok["tonnes"]
    cost = ok["cost_usd"]
    co2_wtw = ok["co2_wtw_kg"]
    tkm = ok["tonnes"] * ok["distance_km"]
    return {
        "unit": unit,
        "cost_usd_per_consignment": _mean(cost),
        "cost_usd_per_t": _mean(cost / tonnes),
        **{col: _mean(ok[col]) for col in COST_PARTS},
        "logistics_usd_per_t": _mean(ok["logistics_usd"] / tonnes),
        "co2_kg_per_t_ttw": _mean(ok["co2_kg"] / tonnes),
        "co2_kg_per_t_wtw": _mean(co2_wtw / tonnes),
        "co2_g_per_tkm_wtw": float(co2_wtw.sum() * 1000.0 / tkm.sum()) if tkm.sum() > 0 else float("nan"),
    }
