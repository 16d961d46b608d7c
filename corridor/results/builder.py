"""Build the result frames from the engine's buffers (buffers → frames).

Frames are built column-wise with numpy gathers: everything that follows from a route
and a leg position (link, mode, nodes, distance, fixed node time, cost, CO2) is looked up
in per-route tables, not recorded per event. ``legs`` and ``shipments`` are built at
once; ``departures``, ``nodes`` and ``resources`` when first asked for
(:class:`corridor.results.frames.Results`), from the plan and the departure logs it keeps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from corridor.costing import HOURS_PER_DAY, link_co2_kg
from corridor.engine.records import ReplicationBuffers
from corridor.engine.services import DepartureLog
from corridor.plan import SimPlan
from corridor.results.frames import Results

__all__ = ["build_results", "departures_frame", "nodes_frame", "resources_frame"]


@dataclass(frozen=True)
class _RouteTables:
    """Per-route, per-leg static values, flattened with an offset per route.

    ``cum_*`` are running sums along each route, so a shipment's total over the legs it
    has done is one lookup.
    """

    offset: np.ndarray
    n_legs: np.ndarray
    demand: np.ndarray
    link: np.ndarray
    pre_h: np.ndarray
    handling_h: np.ndarray
    border_h: np.ndarray
    distance_km: np.ndarray
    cost_usd: np.ndarray
    co2_kg: np.ndarray
    cum_km: np.ndarray
    cum_cost: np.ndarray
    cum_co2: np.ndarray
    service: np.ndarray
    queue: np.ndarray
    teu: np.ndarray
    tonnes: np.ndarray


def _route_tables(plan: SimPlan) -> _RouteTables:
    cn = plan.net
    offsets, counts = [], []
    link: list[int] = []
    handling: list[float] = []
    border: list[float] = []
    dist: list[float] = []
    cost: list[float] = []
    co2: list[float] = []
    service: list[bool] = []
    queue: list[bool] = []
    for route in plan.routes:
        dem = plan.demands[route.demand]
        offsets.append(len(link))
        counts.append(len(route.legs))
        cost.extend(route.leg_usd)
        for leg in route.legs:
            li = leg.link
            km = cn.link_length_km[li]
            link.append(li)
            handling.append(leg.handling_h)
            border.append(leg.border_h)
            dist.append(km)
            co2.append(link_co2_kg(cn, li, tonnes=dem.tonnes))
            service.append(leg.service >= 0)
            queue.append(leg.capacity > 0)
    offset = np.asarray(offsets, dtype=np.int64)
    n_legs = np.asarray(counts, dtype=np.int64)

    def running(values: list[float]) -> np.ndarray:
        arr = np.asarray(values, dtype=float)
        out = np.cumsum(arr)
        if len(arr):  # restart the sum at each route
            out -= np.repeat(out[offset] - arr[offset], n_legs)
        return out

    demands = plan.demands
    h = np.asarray(handling, dtype=float)
    b = np.asarray(border, dtype=float)
    return _RouteTables(
        offset=offset,
        n_legs=n_legs,
        demand=np.asarray([r.demand for r in plan.routes], dtype=np.int64),
        link=np.asarray(link, dtype=np.int64),
        pre_h=h + b,
        handling_h=h,
        border_h=b,
        distance_km=np.asarray(dist, dtype=float),
        cost_usd=np.asarray(cost, dtype=float),
        co2_kg=np.asarray(co2, dtype=float),
        cum_km=running(dist),
        cum_cost=running(cost),
        cum_co2=running(co2),
        service=np.asarray(service, dtype=bool),
        queue=np.asarray(queue, dtype=bool),
        teu=np.asarray([demands[r.demand].teu for r in plan.routes], dtype=float),
        tonnes=np.asarray([demands[r.demand].tonnes for r in plan.routes], dtype=float),
    )


def _code_dtype(n: int) -> type:
    """The integer type pandas keeps the codes of ``n`` categories in (no copy on wrap)."""
    for dtype in (np.int8, np.int16, np.int32):
        if n < np.iinfo(dtype).max:
            return dtype
    return np.int64


def _codes(values: Sequence[str]) -> tuple[np.ndarray, pd.Index]:
    """Category codes of ``values`` against their sorted distinct values."""
    cats = sorted(set(values))
    where = {v: i for i, v in enumerate(cats)}
    return np.asarray([where[v] for v in values], dtype=_code_dtype(len(cats))), pd.Index(cats)


def _cat(codes: np.ndarray, categories: pd.Index) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=categories, validate=False)


def _strings(codes: np.ndarray, values: Sequence[str], dtype: Any) -> Any:
    """The column of strings ``values[codes]`` as pandas makes it from an object array.

    With pandas' pyarrow string dtype (``dtype``, the default from pandas 3) the column is
    decoded from an arrow dictionary array: about 8 times faster than letting pandas
    convert one Python string per row (benchmarks/replications.py builds 10⁵–10⁶ rows).
    """
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        import pyarrow as pa

        indices = pa.array(np.asarray(codes, dtype=np.int32))
        decoded = pa.DictionaryArray.from_arrays(indices, pa.array(list(values), type=pa.large_string()))
        return pd.array(decoded.dictionary_decode(), dtype=dtype)
    return np.asarray(values, dtype=object)[codes]


def _concat(parts: list[Any], dtype: type) -> np.ndarray:
    """One array from the replications' buffers (:class:`array.array`)."""
    arrays: list[np.ndarray] = [np.frombuffer(p, dtype=dtype) for p in parts]
    if len(arrays) == 1:
        return arrays[0]  # a view of the buffer: no copy
    return np.concatenate(arrays) if arrays else np.empty(0, dtype=dtype)


@dataclass(frozen=True)
class _Raw:
    """The replications' buffers, concatenated (one array per column)."""

    n_ships: list[int]
    route: np.ndarray
    release: np.ndarray
    arrive: np.ndarray
    depart: np.ndarray
    disrupted: np.ndarray
    gate: np.ndarray | None
    drawn_h: np.ndarray | None
    drawn_b: np.ndarray | None


def _raw(buffers: Sequence[ReplicationBuffers]) -> _Raw:
    def optional(name: str, fill: float) -> np.ndarray | None:
        if all(getattr(b, name) is None for b in buffers):
            return None
        parts = [
            getattr(b, name) if getattr(b, name) is not None else np.full(len(b.leg_arrive), fill) for b in buffers
        ]
        return _concat(parts, float)

    disrupted = optional("leg_disrupted", 0.0)
    return _Raw(
        n_ships=[len(b.ship_route) for b in buffers],
        route=_concat([b.ship_route for b in buffers], np.int64),
        release=_concat([b.ship_release for b in buffers], float),
        arrive=_concat([b.leg_arrive for b in buffers], float),
        depart=_concat([b.leg_depart for b in buffers], float),
        disrupted=disrupted if disrupted is not None else np.zeros(sum(len(b.leg_arrive) for b in buffers)),
        # optional records: gate waits, node times drawn (NaN: the route's fixed value)
        gate=optional("leg_gate", 0.0),
        drawn_h=optional("leg_handling", np.nan),
        drawn_b=optional("leg_border", np.nan),
    )


@dataclass(frozen=True)
class _Labels:
    """Category codes of routes, demands, modes and nodes, and the links' end nodes."""

    route_codes: np.ndarray
    route_cats: pd.Index
    route_demand: np.ndarray
    demand_cats: pd.Index
    mode_codes: np.ndarray
    mode_cats: pd.Index
    node_cats: pd.Index
    link_from: np.ndarray
    link_to: np.ndarray


def _labels(plan: SimPlan, tables: _RouteTables) -> _Labels:
    cn = plan.net
    route_codes, route_cats = _codes([r.id for r in plan.routes])
    demand_codes, demand_cats = _codes([d.id for d in plan.demands])
    mode_codes, mode_cats = _codes(cn.link_mode)
    return _Labels(
        route_codes=route_codes,
        route_cats=route_cats,
        route_demand=demand_codes[tables.demand],
        demand_cats=demand_cats,
        mode_codes=mode_codes,
        mode_cats=mode_cats,
        node_cats=pd.Index(list(cn.node_ids)),
        link_from=np.asarray(cn.link_from, dtype=np.int64),
        link_to=np.asarray(cn.link_to, dtype=np.int64),
    )


@dataclass(frozen=True)
class _Ships:
    """Per shipment: replication, number within it, legs of its route and its first leg slot."""

    rep: np.ndarray
    local: np.ndarray
    n_legs: np.ndarray
    start: np.ndarray


def _ships(raw: _Raw, tables: _RouteTables) -> _Ships:
    n_ships = raw.n_ships
    n = tables.n_legs[raw.route]
    return _Ships(
        rep=np.repeat(np.arange(len(n_ships), dtype=np.int64), n_ships),
        local=np.arange(len(raw.route), dtype=np.int64) - np.repeat(np.cumsum([0, *n_ships])[:-1], n_ships),
        n_legs=n,
        start=np.cumsum(n) - n,  # shipment s owns n_legs[s] consecutive slots from start[s]
    )


def build_results(plan: SimPlan, buffers: Sequence[ReplicationBuffers], *, geodata: Path | None = None) -> Results:
    """Build the result frames from the buffers of each replication (in order).

    Everything is a numpy gather over the leg slots of the buffers (see
    :class:`corridor.engine.records.ReplicationBuffers`); rows come out ordered by
    replication, shipment and leg without sorting. Allocation, not arithmetic, is what
    costs here (benchmarks/engine.py), so no gather is made that the frames do not need.
    """
    tables = _route_tables(plan)
    raw = _raw(buffers)
    labels = _labels(plan, tables)
    ships = _ships(raw, tables)
    cn = plan.net
    return Results(
        scenario=plan.scenario,
        title=plan.title,
        replications=len(buffers),
        legs=_legs_frame(plan, tables, raw, ships, labels),
        shipments=_shipments_frame(plan, tables, raw, ships, labels),
        routes=_route_meta(plan),
        events=sum(b.events for b in buffers),
        queue_links=tuple(
            sorted(
                {cn.link_ids[leg.link] for r in plan.routes for leg in r.legs if leg.service >= 0 or leg.capacity > 0}
            )
        ),
        horizon_h=plan.horizon_h,
        # metadata and departures are built when first asked for: most uses never need them
        plan=plan,
        logs=tuple(b.departures for b in buffers),
        geodata=geodata,
    )


def _legs_frame(plan: SimPlan, tables: _RouteTables, raw: _Raw, ships: _Ships, labels: _Labels) -> pd.DataFrame:
    """One row per leg done (:data:`corridor.results.frames.LEG_COLUMNS`)."""
    cn = plan.net
    arrive, depart, disrupted, gate, drawn_h, drawn_b = (
        raw.arrive, raw.depart, raw.disrupted, raw.gate, raw.drawn_h, raw.drawn_b
    )  # fmt: skip
    slot_ship: np.ndarray = np.repeat(np.arange(len(raw.route), dtype=np.int64), ships.n_legs)
    pos: np.ndarray = np.arange(len(slot_ship), dtype=np.int64)
    pos -= ships.start[slot_ship]
    ready: np.ndarray = np.empty(len(arrive))
    ready[1:] = arrive[:-1]  # a leg is ready when the one before arrives ...
    ready[ships.start] = raw.release  # ... or, the first, at release
    done_mask = ~np.isnan(arrive)
    if not done_mask.all():  # keep the legs done (in-transit shipments have fewer)
        sel = np.flatnonzero(done_mask)
        slot_ship, pos, ready, arrive, depart, disrupted = (
            a[sel] for a in (slot_ship, pos, ready, arrive, depart, disrupted)
        )
        gate, drawn_h, drawn_b = (a[sel] if a is not None else None for a in (gate, drawn_h, drawn_b))
    leg_route = raw.route[slot_ship]
    flat = tables.offset[leg_route]
    flat += pos
    handling = tables.handling_h[flat]
    border = tables.border_h[flat]
    if drawn_h is not None and drawn_b is not None:
        handling = np.where(np.isnan(drawn_h), handling, drawn_h)
        border = np.where(np.isnan(drawn_b), border, drawn_b)
        pre = handling + border
    else:
        pre = tables.pre_h[flat]
    zeros = np.zeros(len(flat))
    if gate is not None:
        pre = pre + gate  # the time at the start node before the leg can move or board
    plain = np.isnan(depart)
    depart = np.where(plain, ready + pre, depart)
    wait_service = wait_queue = zeros
    if tables.service.any() or tables.queue.any():
        waited = depart - ready
        waited -= pre
        waited -= disrupted
        np.maximum(waited, 0.0, out=waited)
        if tables.service.any():
            wait_service = np.where(tables.service[flat], waited, zeros)
        if tables.queue.any():
            wait_queue = np.where(tables.queue[flat], waited, zeros)
    node_cats = labels.node_cats
    node_dtype = _code_dtype(len(node_cats))
    link = tables.link.astype(_code_dtype(len(cn.link_ids)))[flat]
    return pd.DataFrame(
        {
            "replication": ships.rep[slot_ship],
            "shipment": ships.local[slot_ship],
            "demand": _cat(labels.route_demand[leg_route], labels.demand_cats),
            "route": _cat(labels.route_codes[leg_route], labels.route_cats),
            "leg": pos,
            "link": _cat(link, pd.Index(list(cn.link_ids))),
            "mode": _cat(labels.mode_codes[link], labels.mode_cats),
            "from_node": _cat(labels.link_from.astype(node_dtype)[link], node_cats),
            "to_node": _cat(labels.link_to.astype(node_dtype)[link], node_cats),
            "ready_h": ready,
            "depart_h": depart,
            "arrive_h": arrive,
            "wait_gate_h": gate if gate is not None else zeros,
            "wait_service_h": wait_service,
            "wait_queue_h": wait_queue,
            "handling_h": handling,
            "border_h": border,
            "disrupted_h": disrupted,
            "travel_h": arrive - depart,
            "distance_km": tables.distance_km[flat],
            "cost_usd": tables.cost_usd[flat],
            "co2_kg": tables.co2_kg[flat],
        },
        copy=False,
    )


def _shipments_frame(plan: SimPlan, tables: _RouteTables, raw: _Raw, ships: _Ships, labels: _Labels) -> pd.DataFrame:
    """One row per shipment released (:data:`corridor.results.frames.SHIPMENT_COLUMNS`)."""
    cn = plan.net
    route, start, n = raw.route, ships.start, ships.n_legs
    done_mask = ~np.isnan(raw.arrive)
    arrive_slots = raw.arrive
    # shipments: legs done are a prefix of the route, so totals are running-sum lookups
    done_before = np.zeros(len(done_mask) + 1, dtype=np.int64)  # legs done before each slot
    np.cumsum(done_mask, out=done_before[1:])
    done = done_before[start + n] - done_before[start]  # (a running sum: 5 times faster than reduceat)
    total = n
    delivered = done == total
    some = done > 0
    last_flat = tables.offset[route] + np.maximum(done - 1, 0)
    last_arrive = arrive_slots[start + np.maximum(done - 1, 0)]
    delivery = np.where(delivered, last_arrive, np.nan)
    loc_node = np.where(
        some, labels.link_to[tables.link[last_flat]], labels.link_from[tables.link[tables.offset[route]]]
    )
    str_dtype = pd.Index(["a"]).dtype  # what pandas makes of strings: object, or str (pandas 3)
    return pd.DataFrame(
        {
            "replication": ships.rep,
            "shipment": ships.local,
            "demand": _cat(labels.route_demand[route], labels.demand_cats),
            "route": _cat(labels.route_codes[route], labels.route_cats),
            "origin": _strings(route, [plan.demands[r.demand].origin for r in plan.routes], str_dtype),
            "destination": _strings(route, [plan.demands[r.demand].destination for r in plan.routes], str_dtype),
            "teu": tables.teu[route],
            "tonnes": tables.tonnes[route],
            "release_h": raw.release,
            "delivery_h": delivery,
            "delivered": delivered,
            "status": _strings(delivered.astype(np.intp), ["in_transit", "delivered"], str_dtype),
            "location": _strings(loc_node, list(cn.node_ids), str_dtype),
            "legs_done": done,
            "legs_total": total,
            "transit_days": (delivery - raw.release) / HOURS_PER_DAY,
            "distance_km": np.where(some, tables.cum_km[last_flat], 0.0),
            "cost_usd": np.where(some, tables.cum_cost[last_flat], 0.0),
            "co2_kg": np.where(some, tables.cum_co2[last_flat], 0.0),
        },
        copy=False,
    )


def _route_meta(plan: SimPlan) -> dict[str, dict[str, Any]]:
    """Route metadata keyed by ``"route|demand"`` (:attr:`corridor.Results.routes`)."""
    return {
        r.id + "|" + plan.demands[r.demand].id: {
            "route": r.id,
            "demand": plan.demands[r.demand].id,
            "name": r.name,
            "family": r.family,
            "nodes": r.nodes,
            "distance_km": r.distance_km,
            "promised_days": plan.demands[r.demand].promised_days,
            "containers": not any(leg.by_mass for leg in r.legs),
            # charge per FEU at each leg's start node (costing.node_time_and_cost): CPMM's TFI2
            "stop_usd_per_feu": tuple(leg.node_usd for leg in r.legs),
        }
        for r in plan.routes
    }


def departures_frame(plan: SimPlan, logs: Sequence[DepartureLog]) -> pd.DataFrame:
    """One row per service departure, from the replications' logs (built on first use)."""
    cn = plan.net
    service = _concat([g.service for g in logs], np.int64)
    side = _concat([g.side for g in logs], np.int64)
    svc_links: list[list[str | None]] = [[None, None] for _ in cn.service_ids]
    for li, si in enumerate(cn.link_service):
        if si >= 0:
            slots = svc_links[si]
            slots[slots.index(None)] = cn.link_ids[li]
    link_of = np.asarray([lid for pair in svc_links for lid in pair], dtype=object)
    return pd.DataFrame(
        {
            "replication": np.repeat(np.arange(len(logs), dtype=np.int64), [len(g.depart_h) for g in logs]),
            "service": pd.Categorical.from_codes(service, categories=pd.Index(list(cn.service_ids))),
            "side": side,
            "link": link_of[service * 2 + side] if len(link_of) else np.empty(0, dtype=object),
            "depart_h": _concat([g.depart_h for g in logs], float),
            "load": _concat([g.load for g in logs], float),
            "capacity": _concat([g.capacity for g in logs], float),
            "travel_h": _concat([g.travel_h for g in logs], float),
            "held_h": _concat([g.held_h for g in logs], float),
        }
    )


def nodes_frame(plan: SimPlan) -> pd.DataFrame:
    """The nodes of the network simulated (name, country, kind, crossing charges)."""
    cn = plan.net
    return pd.DataFrame(
        {
            "name": cn.node_names,
            "country": cn.node_country,
            "kind": cn.node_kind,
            "border_usd": cn.node_border_usd,
            "gauge_change_usd": cn.node_gauge_change_usd,
        },
        index=pd.Index(cn.node_ids, name="id"),
    )


def resources_frame(plan: SimPlan) -> pd.DataFrame:
    """The resources the routes use: service and capacity links, node gates (prepare-time data)."""
    cn = plan.net
    rows: dict[str, dict[str, Any]] = {}
    for route in plan.routes:
        teu = plan.demands[route.demand].teu
        for leg in route.legs:
            link = cn.link_ids[leg.link]
            if leg.service >= 0:
                service = cn.services[leg.service]
                rows[link] = {
                    "kind": "service",
                    "capacity": service.capacity,
                    "unit": service.capacity_unit,
                    "service": service.id,
                }
            elif leg.capacity > 0:
                rows[link] = {"kind": "slots", "capacity": float(leg.capacity), "unit": "shipments", "service": ""}
            if leg.gate_teu_day > 0 and teu > 0:
                node = cn.node_ids[cn.link_from[leg.link]]
                rows[node] = {"kind": "gate", "capacity": leg.gate_teu_day, "unit": "TEU/day", "service": ""}
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=["kind", "capacity", "unit", "service"])
    frame.index.name = "resource"
    return frame.sort_index()
