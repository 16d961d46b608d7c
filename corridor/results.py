"""Results: per-leg and per-shipment frames, departures and KPIs.

Frames are built column-wise from the engine's buffers with numpy gathers: everything
that follows from a route and a leg position (link, mode, nodes, distance, fixed node
time, cost, CO2) is looked up in per-route tables, not recorded per event.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from corridor._plan import SimPlan
from corridor.engine import ReplicationBuffers

__all__ = ["KPI_COLUMNS", "LEG_COLUMNS", "SHIPMENT_COLUMNS", "Results", "build_results"]

LEG_COLUMNS = (
    "replication", "shipment", "demand", "route", "leg", "link", "mode", "from_node", "to_node",
    "ready_h", "depart_h", "arrive_h", "wait_service_h", "wait_queue_h", "handling_h", "border_h",
    "disrupted_h", "travel_h", "distance_km", "cost_usd", "co2_kg",
)  # fmt: skip

SHIPMENT_COLUMNS = (
    "replication", "shipment", "demand", "route", "origin", "destination", "teu", "tonnes",
    "release_h", "delivery_h", "delivered", "status", "location", "legs_done", "legs_total",
    "transit_days", "distance_km", "cost_usd", "co2_kg",
)  # fmt: skip

KPI_COLUMNS = (
    "shipments", "delivered_share", "transit_days_mean", "transit_days_p50", "transit_days_p90",
    "transit_days_p95", "buffer_days", "on_time_share", "cost_usd_per_feu", "cost_usd_per_kg",
    "co2_kg_per_feu", "co2_g_per_tkm", "distance_km", "moving_days", "wait_service_days",
    "wait_queue_days", "handling_days", "border_days", "disrupted_days",
)  # fmt: skip


@dataclass(frozen=True)
class _RouteTables:
    """Per-route, per-leg static values, flattened with an offset per route."""

    offset: np.ndarray
    n_legs: np.ndarray
    link: np.ndarray
    handling_h: np.ndarray
    border_h: np.ndarray
    node_usd: np.ndarray
    distance_km: np.ndarray
    tariff_feu: np.ndarray
    tariff_kg: np.ndarray
    co2_g_tkm: np.ndarray
    teu: np.ndarray
    tonnes: np.ndarray


def _route_tables(plan: SimPlan) -> _RouteTables:
    cn = plan.net
    offsets, counts = [], []
    link: list[int] = []
    handling: list[float] = []
    border: list[float] = []
    node_usd: list[float] = []
    dist: list[float] = []
    tfeu: list[float] = []
    tkg: list[float] = []
    co2: list[float] = []
    for route in plan.routes:
        offsets.append(len(link))
        counts.append(len(route.legs))
        for leg in route.legs:
            li = leg.link
            km = cn.link_length_km[li]
            link.append(li)
            handling.append(leg.handling_h)
            border.append(leg.border_h)
            node_usd.append(leg.node_usd)
            dist.append(km)
            tfeu.append(cn.link_tariff_usd_feu[li] + cn.link_tariff_usd_feu_km[li] * km)
            tkg.append(cn.link_tariff_usd_kg[li])
            co2.append(cn.link_co2_g_tkm[li])
    dem = plan.demands
    return _RouteTables(
        offset=np.asarray(offsets, dtype=np.int64),
        n_legs=np.asarray(counts, dtype=np.int64),
        link=np.asarray(link, dtype=np.int64),
        handling_h=np.asarray(handling, dtype=float),
        border_h=np.asarray(border, dtype=float),
        node_usd=np.asarray(node_usd, dtype=float),
        distance_km=np.asarray(dist, dtype=float),
        tariff_feu=np.asarray(tfeu, dtype=float),
        tariff_kg=np.asarray(tkg, dtype=float),
        co2_g_tkm=np.asarray(co2, dtype=float),
        teu=np.asarray([dem[r.demand].teu for r in plan.routes], dtype=float),
        tonnes=np.asarray([dem[r.demand].tonnes for r in plan.routes], dtype=float),
    )


def build_results(plan: SimPlan, buffers: Sequence[ReplicationBuffers]) -> Results:
    """Build the result frames from the buffers of each replication (in order)."""
    tables = _route_tables(plan)
    cn = plan.net
    rep_legs = [np.full(len(b.leg_ship), i, dtype=np.int64) for i, b in enumerate(buffers)]
    rep_ships = [np.full(len(b.ship_route), i, dtype=np.int64) for i, b in enumerate(buffers)]
    ship_route = np.concatenate([np.asarray(b.ship_route, dtype=np.int64) for b in buffers])
    ship_release = np.concatenate([np.asarray(b.ship_release, dtype=float) for b in buffers])
    ship_rep = np.concatenate(rep_ships) if rep_ships else np.empty(0, dtype=np.int64)
    ship_base = np.cumsum([0, *[len(b.ship_route) for b in buffers]])
    leg_rep = np.concatenate(rep_legs)
    leg_ship_local = np.concatenate([np.asarray(b.leg_ship, dtype=np.int64) for b in buffers])
    leg_ship = leg_ship_local + ship_base[leg_rep]
    pos = np.concatenate([np.asarray(b.leg_pos, dtype=np.int64) for b in buffers])
    ready = np.concatenate([np.asarray(b.leg_ready, dtype=float) for b in buffers])
    depart = np.concatenate([np.asarray(b.leg_depart, dtype=float) for b in buffers])
    arrive = np.concatenate([np.asarray(b.leg_arrive, dtype=float) for b in buffers])
    route = ship_route[leg_ship]
    flat = tables.offset[route] + pos
    link = tables.link[flat]
    handling = tables.handling_h[flat]
    border = tables.border_h[flat]
    feu = tables.teu[route] / 2.0
    tonnes = tables.tonnes[route]
    distance = tables.distance_km[flat]
    cost = (tables.tariff_feu[flat] + tables.node_usd[flat]) * feu + tables.tariff_kg[flat] * tonnes * 1000.0
    co2 = tonnes * distance * tables.co2_g_tkm[flat] / 1000.0
    wait_service = np.maximum(depart - ready - handling - border, 0.0)
    route_ids = [r.id for r in plan.routes]
    demand_ids = [plan.demands[r.demand].id for r in plan.routes]
    link_from = np.asarray(cn.link_from, dtype=np.int64)
    link_to = np.asarray(cn.link_to, dtype=np.int64)
    legs = pd.DataFrame(
        {
            "replication": leg_rep,
            "shipment": leg_ship_local,
            "demand": pd.Categorical(np.asarray(demand_ids, dtype=object)[route]),
            "route": pd.Categorical(np.asarray(route_ids, dtype=object)[route]),
            "leg": pos,
            "link": pd.Categorical.from_codes(link, categories=pd.Index(list(cn.link_ids))),
            "mode": pd.Categorical(np.asarray(cn.link_mode, dtype=object)[link]),
            "from_node": pd.Categorical.from_codes(link_from[link], categories=pd.Index(list(cn.node_ids))),
            "to_node": pd.Categorical.from_codes(link_to[link], categories=pd.Index(list(cn.node_ids))),
            "ready_h": ready,
            "depart_h": depart,
            "arrive_h": arrive,
            "wait_service_h": wait_service,
            "wait_queue_h": np.zeros_like(ready),
            "handling_h": handling,
            "border_h": border,
            "disrupted_h": np.zeros_like(ready),
            "travel_h": arrive - depart,
            "distance_km": distance,
            "cost_usd": cost,
            "co2_kg": co2,
        }
    )
    legs = legs.sort_values(["replication", "shipment", "leg"], kind="stable", ignore_index=True)
    # shipments
    n_ship = len(ship_route)
    gid = leg_ship
    done = np.bincount(gid, minlength=n_ship)
    sums = {
        c: np.bincount(gid, weights=v, minlength=n_ship) for c, v in (("cost", cost), ("co2", co2), ("km", distance))
    }
    last_arrive = _last_by_group(gid, arrive, n_ship)
    total = tables.n_legs[ship_route]
    delivered = done == total
    delivery = np.where(delivered, last_arrive, np.nan)
    last_pos = done - 1
    last_link = np.where(done > 0, tables.link[tables.offset[ship_route] + np.maximum(last_pos, 0)], -1)
    first_link = tables.link[tables.offset[ship_route]]
    loc_node = np.where(done > 0, link_to[np.maximum(last_link, 0)], link_from[first_link])
    origin = np.asarray([plan.demands[r.demand].origin for r in plan.routes], dtype=object)[ship_route]
    dest = np.asarray([plan.demands[r.demand].destination for r in plan.routes], dtype=object)[ship_route]
    shipments = pd.DataFrame(
        {
            "replication": ship_rep,
            "shipment": np.concatenate([np.arange(len(b.ship_route)) for b in buffers]) if buffers else [],
            "demand": pd.Categorical(np.asarray(demand_ids, dtype=object)[ship_route]),
            "route": pd.Categorical(np.asarray(route_ids, dtype=object)[ship_route]),
            "origin": origin,
            "destination": dest,
            "teu": tables.teu[ship_route],
            "tonnes": tables.tonnes[ship_route],
            "release_h": ship_release,
            "delivery_h": delivery,
            "delivered": delivered,
            "status": np.where(delivered, "delivered", "in_transit"),
            "location": np.asarray(cn.node_ids, dtype=object)[loc_node],
            "legs_done": done,
            "legs_total": total,
            "transit_days": (delivery - ship_release) / 24.0,
            "distance_km": sums["km"],
            "cost_usd": sums["cost"],
            "co2_kg": sums["co2"],
        }
    )
    dep = pd.DataFrame(
        {
            "replication": np.concatenate([np.full(len(b.departures.depart_h), i) for i, b in enumerate(buffers)]),
            "service": pd.Categorical.from_codes(
                np.concatenate([np.asarray(b.departures.service, dtype=np.int64) for b in buffers]),
                categories=pd.Index(list(cn.service_ids)),
            ),
            "side": np.concatenate([np.asarray(b.departures.side, dtype=np.int64) for b in buffers]),
            "depart_h": np.concatenate([np.asarray(b.departures.depart_h, dtype=float) for b in buffers]),
            "load": np.concatenate([np.asarray(b.departures.load, dtype=float) for b in buffers]),
            "capacity": np.concatenate([np.asarray(b.departures.capacity, dtype=float) for b in buffers]),
            "travel_h": np.concatenate([np.asarray(b.departures.travel_h, dtype=float) for b in buffers]),
        }
    )
    meta = {
        r.id + "|" + plan.demands[r.demand].id: {
            "route": r.id,
            "demand": plan.demands[r.demand].id,
            "name": r.name,
            "family": r.family,
            "nodes": r.nodes,
            "distance_km": r.distance_km,
            "promised_days": plan.demands[r.demand].promised_days,
            "containers": not any(leg.by_mass for leg in r.legs),
        }
        for r in plan.routes
    }
    return Results(
        scenario=plan.scenario,
        title=plan.title,
        replications=len(buffers),
        legs=legs,
        shipments=shipments,
        departures=dep,
        routes=meta,
        events=sum(b.events for b in buffers),
    )


def _last_by_group(groups: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    out = np.full(n, -np.inf)
    np.maximum.at(out, groups, values)
    out[np.isneginf(out)] = np.nan
    return out


@dataclass
class Results:
    """The outcome of :func:`corridor.simulate`.

    Attributes
    ----------
    scenario, title
        The scenario's name and title.
    replications
        Number of replications run.
    legs
        One row per shipment-leg completed (columns :data:`LEG_COLUMNS`).
    shipments
        One row per shipment released, delivered or still in transit at the horizon
        (columns :data:`SHIPMENT_COLUMNS`).
    departures
        One row per service departure: service, side, time, load, capacity, travel time.
    routes
        Route metadata keyed by ``"route|demand"``.
    events
        SimPy events processed, summed over replications.
    """

    scenario: str
    title: str
    replications: int
    legs: pd.DataFrame
    shipments: pd.DataFrame
    departures: pd.DataFrame
    routes: dict[str, dict[str, Any]] = field(repr=False)
    events: int = 0

    def kpis(self) -> pd.DataFrame:
        """Key performance indicators per demand flow and route.

        Times are in days and are over delivered shipments; ``delivered_share`` counts
        the rest as in transit. Cost and CO2 per FEU divide by ``teu / 2``; per kg by
        the cargo mass. ``buffer_days`` is p95 − p50 (the reliability buffer).
        ``on_time_share`` is against the demand's ``promised_days`` (NaN if none).

        Returns
        -------
        pandas.DataFrame
            Indexed by ``(demand, route)``, columns :data:`KPI_COLUMNS`.
        """
        ships = self.shipments
        legs = self.legs
        per_ship = (
            legs.assign(moving=legs["travel_h"])
            .groupby(["replication", "shipment"], observed=True)[
                [
                    "moving",
                    "wait_service_h",
                    "wait_queue_h",
                    "handling_h",
                    "border_h",
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
            meta = self.routes.get(f"{route}|{dem}", {})
            # per-FEU figures only where the route carries boxes (not on a flight by mass)
            feu = ok["teu"].to_numpy() / 2.0 if meta.get("containers", True) else np.zeros(len(ok))
            kg = ok["tonnes"].to_numpy() * 1000.0
            tkm = (ok["tonnes"] * ok["distance_km"]).to_numpy()
            promised = meta.get("promised_days")

            def q(p: float, d: np.ndarray = days) -> float:
                return float(np.percentile(d, p)) if len(d) else float("nan")

            def mean(values: Any) -> float:
                arr = np.asarray(values, dtype=float)
                return float(arr.mean()) if arr.size else float("nan")

            cost = ok["cost_usd"].to_numpy()
            co2 = ok["co2_kg"].to_numpy()
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
                    "distance_km": mean(ok["distance_km"]),
                    "moving_days": mean(ok["moving"]) / 24.0,
                    "wait_service_days": mean(ok["wait_service_h"]) / 24.0,
                    "wait_queue_days": mean(ok["wait_queue_h"]) / 24.0,
                    "handling_days": mean(ok["handling_h"]) / 24.0,
                    "border_days": mean(ok["border_h"]) / 24.0,
                    "disrupted_days": mean(ok["disrupted_h"]) / 24.0,
                }
            )
        frame = pd.DataFrame(rows, columns=["demand", "route", *KPI_COLUMNS])
        order = {(m["demand"], m["route"]): i for i, m in enumerate(self.routes.values())}
        rank = [order.get((d, r), 0) for d, r in zip(frame["demand"], frame["route"], strict=True)]
        frame = frame.iloc[np.argsort(rank, kind="stable")]
        return frame.set_index(["demand", "route"])
