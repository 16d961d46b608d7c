"""Key performance indicators per demand flow and route."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from corridor.costing import HOURS_PER_DAY, KG_PER_TONNE, TEU_PER_FEU

if TYPE_CHECKING:
    from corridor.results.frames import Results

__all__ = ["COST_PARTS", "KPI_COLUMNS", "kpis"]

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


def kpis(results: Results) -> pd.DataFrame:
    """Key performance indicators per demand flow and route.

    Times are in days and are over delivered shipments; ``delivered_share`` counts
    the rest as in transit. Cost and CO2 per FEU divide by ``teu / 2``; per kg and
    per tonne by the cargo mass, whatever the unit of carriage, so they compare
    across units and routes (:func:`_cost_kpis`). ``buffer_days`` is p95 − p50 (the
    reliability buffer).
    ``on_time_share`` is against the demand's ``promised_days`` (NaN if none).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``(demand, route)``, columns :data:`KPI_COLUMNS`.
    """
    ships = results.shipments
    legs = results.legs
    per_ship = (
        legs.assign(moving=legs["travel_h"])
        .groupby(["replication", "shipment"], observed=True)[
            [
                "moving",
                "wait_gate_h",
                "wait_service_h",
                "wait_queue_h",
                "handling_h",
                "border_h",
                "dwell_h",
                "disrupted_h",
            ]
        ]
        .sum()
    )
    ships = ships.join(per_ship, on=["replication", "shipment"])
    rows = []
    for (dem, route), grp in ships.groupby(["demand", "route"], observed=True, sort=False):
        ok = grp[grp["delivered"]]
        days = ok["transit_days"].to_numpy()
        meta = results.routes.get(f"{route}|{dem}", {})
        # per-FEU figures only where the route carries boxes (not on a flight by mass)
        feu = ok["teu"].to_numpy() / TEU_PER_FEU if meta.get("containers", True) else np.zeros(len(ok))
        kg = ok["tonnes"].to_numpy() * KG_PER_TONNE
        tkm = (ok["tonnes"] * ok["distance_km"]).to_numpy()
        promised = meta.get("promised_days")

        def q(p: float, d: np.ndarray = days) -> float:
            return float(np.percentile(d, p)) if len(d) else float("nan")

        def mean(values: Any) -> float:
            arr = np.asarray(values, dtype=float)
            return float(arr.mean()) if arr.size else float("nan")

        cost = ok["cost_usd"].to_numpy()
        co2 = ok["co2_kg"].to_numpy()
        parts = _cost_kpis(ok, unit=str(meta.get("unit", "")))
        rows.append(
            {
                "demand": dem,
                "route": route,
                "shipments": len(grp),
                "delivered_share": float(grp["delivered"].mean()),
                "transit_days_mean": mean(days),
                "transit_days_p50": q(50),
                "transit_days_p90": q(90),
                "transit_days_p95": q(95),
                "buffer_days": q(95) - q(50),
                "on_time_share": float((days <= promised).mean()) if promised and len(days) else float("nan"),
                "cost_usd_per_feu": mean(cost[feu > 0] / feu[feu > 0]),
                "cost_usd_per_kg": mean(cost / kg),
                "co2_kg_per_feu": mean(co2[feu > 0] / feu[feu > 0]),
                "co2_g_per_tkm": float(co2.sum() * 1000.0 / tkm.sum()) if tkm.sum() > 0 else float("nan"),
                **parts,
                "distance_km": mean(ok["distance_km"]),
                "moving_days": mean(ok["moving"]) / HOURS_PER_DAY,
                "wait_gate_days": mean(ok["wait_gate_h"]) / HOURS_PER_DAY,
                "wait_service_days": mean(ok["wait_service_h"]) / HOURS_PER_DAY,
                "wait_queue_days": mean(ok["wait_queue_h"]) / HOURS_PER_DAY,
                "handling_days": mean(ok["handling_h"]) / HOURS_PER_DAY,
                "border_days": mean(ok["border_h"] + ok["destination_border_h"]) / HOURS_PER_DAY,
                "dwell_days": mean(ok["dwell_h"] + ok["destination_dwell_h"]) / HOURS_PER_DAY,
                "disrupted_days": mean(ok["disrupted_h"]) / HOURS_PER_DAY,
            }
        )
    frame = pd.DataFrame(rows, columns=["demand", "route", *KPI_COLUMNS])
    order = {(m["demand"], m["route"]): i for i, m in enumerate(results.routes.values())}
    rank = [order.get((d, r), 0) for d, r in zip(frame["demand"], frame["route"], strict=True)]
    frame = frame.iloc[np.argsort(rank, kind="stable")]
    return frame.set_index(["demand", "route"])


def _cost_kpis(ok: pd.DataFrame, *, unit: str) -> dict[str, Any]:
    """The unit of carriage, charges per consignment and per tonne, the parts of the total
    logistics cost (means per consignment) and CO2 per tonne (TTW, WTW) of delivered shipments.
    """

    def mean(values: Any) -> float:
        arr = np.asarray(values, dtype=float)
        return float(arr.mean()) if arr.size else float("nan")

    tonnes = ok["tonnes"].to_numpy()
    cost = ok["cost_usd"].to_numpy()
    co2_wtw = ok["co2_wtw_kg"].to_numpy()
    tkm = (ok["tonnes"] * ok["distance_km"]).to_numpy()
    return {
        "unit": unit,
        "cost_usd_per_consignment": mean(cost),
        "cost_usd_per_t": mean(cost / tonnes),
        **{col: mean(ok[col]) for col in COST_PARTS},
        "logistics_usd_per_t": mean(ok["logistics_usd"].to_numpy() / tonnes),
        "co2_kg_per_t_ttw": mean(ok["co2_kg"].to_numpy() / tonnes),
        "co2_kg_per_t_wtw": mean(co2_wtw / tonnes),
        "co2_g_per_tkm_wtw": float(co2_wtw.sum() * 1000.0 / tkm.sum()) if tkm.sum() > 0 else float("nan"),
    }
