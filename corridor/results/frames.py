"""Results: per-leg and per-shipment frames, departures and KPIs.

Frames are built column-wise from the engine's buffers with numpy gathers: everything
that follows from a route and a leg position (link, mode, nodes, distance, fixed node
time, cost, CO2) is looked up in per-route tables, not recorded per event.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import pandas as pd

from corridor.costing import HOURS_PER_DAY, KG_PER_TONNE, TEU_PER_FEU, link_co2_kg
from corridor.engine.replication import ReplicationBuffers
from corridor.engine.services import DepartureLog
from corridor.plan import SimPlan

__all__ = [
    "KPI_COLUMNS",
    "LEG_COLUMNS",
    "QUEUE_COLUMNS",
    "SHIPMENT_COLUMNS",
    "UTILISATION_COLUMNS",
    "Results",
    "build_results",
]

LEG_COLUMNS = (
    "replication", "shipment", "demand", "route", "leg", "link", "mode", "from_node", "to_node",
    "ready_h", "depart_h", "arrive_h", "wait_gate_h", "wait_service_h", "wait_queue_h", "handling_h",
    "border_h", "disrupted_h", "travel_h", "distance_km", "cost_usd", "co2_kg",
)  # fmt: skip

SHIPMENT_COLUMNS = (
    "replication", "shipment", "demand", "route", "origin", "destination", "teu", "tonnes",
    "release_h", "delivery_h", "delivered", "status", "location", "legs_done", "legs_total",
    "transit_days", "distance_km", "cost_usd", "co2_kg",
)  # fmt: skip

KPI_COLUMNS = (
    "shipments", "delivered_share", "transit_days_mean", "transit_days_p50", "transit_days_p90",
    "transit_days_p95", "buffer_days", "on_time_share", "cost_usd_per_feu", "cost_usd_per_kg",
    "co2_kg_per_feu", "co2_g_per_tkm", "distance_km", "moving_days", "wait_gate_days", "wait_service_days",
    "wait_queue_days", "handling_days", "border_days", "disrupted_days",
)  # fmt: skip


#: Hours per shipment summed over its legs -> the KPI column of their mean, in days.
_TIME_PARTS = {
    "moving": "moving_days",
    "wait_gate_h": "wait_gate_days",
    "wait_service_h": "wait_service_days",
    "wait_queue_h": "wait_queue_days",
    "handling_h": "handling_days",
    "border_h": "border_days",
    "disrupted_h": "disrupted_days",
}

QUEUE_COLUMNS = ("replication", "kind", "resource", "time_h", "waiting")

UTILISATION_COLUMNS = (
    "replication", "kind", "resource", "capacity", "unit", "used", "available", "utilisation",
    "shipments", "wait_mean_h", "wait_p95_h", "wait_max_h", "queue_max",
)  # fmt: skip

_WAIT_COLUMNS = ("replication", "kind", "resource", "begin", "end", "wait", "used")


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


def build_results(plan: SimPlan, buffers: Sequence[ReplicationBuffers]) -> Results:
    """Build the result frames from the buffers of each replication (in order).

    Everything is a numpy gather over the leg slots of the buffers (see
    :class:`corridor.engine.ReplicationBuffers`); rows come out ordered by replication,
    shipment and leg without sorting. Allocation, not arithmetic, is what costs here
    (benchmarks/engine.py), so no gather is made that the frames do not need.
    """
    tables = _route_tables(plan)
    cn = plan.net
    n_ships = [len(b.ship_route) for b in buffers]
    route = _concat([b.ship_route for b in buffers], np.int64)
    release = _concat([b.ship_release for b in buffers], float)
    arrive = _concat([b.leg_arrive for b in buffers], float)
    depart = _concat([b.leg_depart for b in buffers], float)
    disrupted = _concat(
        [b.leg_disrupted if b.leg_disrupted is not None else np.zeros(len(b.leg_arrive)) for b in buffers], float
    )
    # optional records: gate waits, node times drawn (NaN: the route's fixed value)
    gated = any(b.leg_gate is not None for b in buffers)
    drawn = any(b.leg_handling is not None for b in buffers)
    gate = (
        _concat([b.leg_gate if b.leg_gate is not None else np.zeros(len(b.leg_arrive)) for b in buffers], float)
        if gated
        else None
    )
    drawn_h = drawn_b = None
    if drawn:
        drawn_h, drawn_b = (
            _concat(
                [
                    getattr(b, name) if b.leg_handling is not None else np.full(len(b.leg_arrive), np.nan)
                    for b in buffers
                ],
                float,
            )
            for name in ("leg_handling", "leg_border")
        )
    ship_rep = np.repeat(np.arange(len(buffers), dtype=np.int64), n_ships)
    ship_local = np.arange(len(route), dtype=np.int64) - np.repeat(np.cumsum([0, *n_ships])[:-1], n_ships)
    # leg slots: shipment s owns n_legs[route[s]] consecutive slots from start[s]
    n = tables.n_legs[route]
    start = np.cumsum(n) - n
    slot_ship: np.ndarray = np.repeat(np.arange(len(route), dtype=np.int64), n)
    pos: np.ndarray = np.arange(len(slot_ship), dtype=np.int64)
    pos -= start[slot_ship]
    ready: np.ndarray = np.empty(len(arrive))
    ready[1:] = arrive[:-1]  # a leg is ready when the one before arrives ...
    ready[start] = release  # ... or, the first, at release
    arrive_slots = arrive
    done_mask = ~np.isnan(arrive)
    if not done_mask.all():  # keep the legs done (in-transit shipments have fewer)
        sel = np.flatnonzero(done_mask)
        slot_ship, pos, ready, arrive, depart, disrupted = (
            a[sel] for a in (slot_ship, pos, ready, arrive, depart, disrupted)
        )
        gate, drawn_h, drawn_b = (a[sel] if a is not None else None for a in (gate, drawn_h, drawn_b))
    leg_route = route[slot_ship]
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
    route_codes, route_cats = _codes([r.id for r in plan.routes])
    demand_codes, demand_cats = _codes([d.id for d in plan.demands])
    mode_codes, mode_cats = _codes(cn.link_mode)
    node_cats = pd.Index(list(cn.node_ids))
    node_dtype = _code_dtype(len(node_cats))
    link_from = np.asarray(cn.link_from, dtype=np.int64)
    link_to = np.asarray(cn.link_to, dtype=np.int64)
    route_demand = demand_codes[tables.demand]
    link = tables.link.astype(_code_dtype(len(cn.link_ids)))[flat]
    legs = pd.DataFrame(
        {
            "replication": ship_rep[slot_ship],
            "shipment": ship_local[slot_ship],
            "demand": _cat(route_demand[leg_route], demand_cats),
            "route": _cat(route_codes[leg_route], route_cats),
            "leg": pos,
            "link": _cat(link, pd.Index(list(cn.link_ids))),
            "mode": _cat(mode_codes[link], mode_cats),
            "from_node": _cat(link_from.astype(node_dtype)[link], node_cats),
            "to_node": _cat(link_to.astype(node_dtype)[link], node_cats),
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
    loc_node = np.where(some, link_to[tables.link[last_flat]], link_from[tables.link[tables.offset[route]]])
    str_dtype = pd.Index(["a"]).dtype  # what pandas makes of strings: object, or str (pandas 3)
    shipments = pd.DataFrame(
        {
            "replication": ship_rep,
            "shipment": ship_local,
            "demand": _cat(route_demand[route], demand_cats),
            "route": _cat(route_codes[route], route_cats),
            "origin": _strings(route, [plan.demands[r.demand].origin for r in plan.routes], str_dtype),
            "destination": _strings(route, [plan.demands[r.demand].destination for r in plan.routes], str_dtype),
            "teu": tables.teu[route],
            "tonnes": tables.tonnes[route],
            "release_h": release,
            "delivery_h": delivery,
            "delivered": delivered,
            "status": _strings(delivered.astype(np.intp), ["in_transit", "delivered"], str_dtype),
            "location": _strings(loc_node, list(cn.node_ids), str_dtype),
            "legs_done": done,
            "legs_total": total,
            "transit_days": (delivery - release) / HOURS_PER_DAY,
            "distance_km": np.where(some, tables.cum_km[last_flat], 0.0),
            "cost_usd": np.where(some, tables.cum_cost[last_flat], 0.0),
            "co2_kg": np.where(some, tables.cum_co2[last_flat], 0.0),
        },
        copy=False,
    )
    logs = [b.departures for b in buffers]
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
            # charge per FEU at each leg's start node (costing.node_time_and_cost): CPMM's TFI2
            "stop_usd_per_feu": tuple(leg.node_usd for leg in r.legs),
        }
        for r in plan.routes
    }
    return Results(
        scenario=plan.scenario,
        title=plan.title,
        replications=len(buffers),
        legs=legs,
        shipments=shipments,
        routes=meta,
        events=sum(b.events for b in buffers),
        queue_links=tuple(
            sorted(
                {cn.link_ids[leg.link] for r in plan.routes for leg in r.legs if leg.service >= 0 or leg.capacity > 0}
            )
        ),
        horizon_h=plan.horizon_h,
        # metadata and departures are built when first asked for: most uses never need them
        frames={
            "departures": lambda: _departures(plan, logs),
            "nodes": lambda: _nodes(plan),
            "resources": lambda: _resources(plan),
        },
    )


def _departures(plan: SimPlan, logs: list[DepartureLog]) -> pd.DataFrame:
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


def _nodes(plan: SimPlan) -> pd.DataFrame:
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


def _resources(plan: SimPlan) -> pd.DataFrame:
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
        One row per service departure: service, side, link (``None`` for a shuttle's
        empty return where the service has one link), time, load, capacity, travel time.
    routes
        Route metadata keyed by ``"route|demand"``.
    events
        SimPy events scheduled, summed over replications.
    nodes
        The nodes of the network simulated (name, country, kind, crossing charges).
    queue_links
        Links where shipments can wait to leave (served by a service or capacity-limited).
    resources
        Every resource the routes use, indexed by link id (``service``, ``slots``) or node
        id (``gate``): ``kind``, ``capacity`` (per departure, shipments at once, TEU per
        day), ``unit``, ``service`` (the id, for service links).
    horizon_h
        The horizon simulated (h).
    timings
        Wall time of the phases of :func:`corridor.simulate` in seconds: ``prepare_s``
        (routes and legs), ``simulate_s`` (the replications) and ``results_s`` (these
        frames).
    precision
        With ``simulate(..., replications="auto")``: one line saying which half-width
        was reached after how many replications (empty otherwise).
    """

    scenario: str
    title: str
    replications: int
    legs: pd.DataFrame
    shipments: pd.DataFrame
    routes: dict[str, dict[str, Any]] = field(repr=False)
    events: int = 0
    timings: dict[str, float] = field(default_factory=dict, repr=False, compare=False)
    queue_links: tuple[str, ...] = field(default=(), repr=False, compare=False)
    horizon_h: float = field(default=float("nan"), repr=False, compare=False)
    #: How to build ``departures``, ``nodes`` and ``resources`` (each built once, when first used).
    frames: dict[str, Callable[[], pd.DataFrame]] = field(default_factory=dict, repr=False, compare=False)
    _built: dict[str, pd.DataFrame] = field(default_factory=dict, init=False, repr=False, compare=False)
    #: With ``replications="auto"``: what precision was reached, in one line ("" otherwise).
    precision: str = field(default="", repr=False, compare=False)

    def _frame(self, name: str) -> pd.DataFrame:
        if name not in self._built:
            build = self.frames.get(name)
            self._built[name] = build() if build is not None else pd.DataFrame()
        return self._built[name]

    @property
    def departures(self) -> pd.DataFrame:
        """One row per service departure (see the class docstring)."""
        return self._frame("departures")

    @property
    def nodes(self) -> pd.DataFrame:
        """The nodes of the network simulated."""
        return self._frame("nodes")

    @property
    def resources(self) -> pd.DataFrame:
        """Every resource the routes use (see the class docstring)."""
        return self._frame("resources")

    @property
    def link_countries(self) -> pd.DataFrame:
        """Share of each link's length in each country it crosses
        (:func:`corridor.results.countries.link_countries`; empty when not known)."""
        return self._frame("link_countries")

    def cpmm(self) -> pd.DataFrame:
        """CAREC CPMM indicators (TFI1–TFI3, SWOD, SWD) per border crossing and country section.

        See :func:`corridor.results.cpmm.cpmm`.
        """
        from corridor.results.cpmm import cpmm

        return cpmm(self)

    def _waits(self) -> pd.DataFrame:
        """One row per leg done at a resource (:data:`_WAIT_COLUMNS`).

        ``begin``/``end``: when the leg waited there (``wait`` = its wait column);
        ``used``: what it took of the resource (gate hours held, slot-hours), 0 at a service.
        """
        legs = self.legs
        res = self.resources
        if res.empty:
            return pd.DataFrame({c: [] for c in _WAIT_COLUMNS})
        kind_of = res["kind"]
        parts = []
        links = legs[legs["link"].isin(res.index[kind_of != "gate"])]
        if not links.empty:
            link = links["link"].astype(str)
            kind = link.map(kind_of).to_numpy()
            slots = kind == "slots"
            begin = links["ready_h"] + links["wait_gate_h"] + links["border_h"] + links["handling_h"]
            parts.append(
                pd.DataFrame(
                    {
                        "replication": links["replication"].to_numpy(),
                        "kind": kind,
                        "resource": link.to_numpy(),
                        "begin": (begin + links["disrupted_h"]).to_numpy(),
                        "end": links["depart_h"].to_numpy(),
                        "wait": np.where(slots, links["wait_queue_h"], links["wait_service_h"]),
                        "used": np.where(slots, links["arrive_h"] - links["depart_h"], 0.0),
                    }
                )
            )
        gates = legs[legs["from_node"].isin(res.index[kind_of == "gate"])]
        if not gates.empty:
            by_ship = self.shipments.set_index(["replication", "shipment"])["teu"]
            teu = by_ship.reindex(pd.MultiIndex.from_frame(gates[["replication", "shipment"]])).to_numpy()
            held = teu > 0  # shipments of 0 TEU pass without the gate
            gates = gates[held]
            node = gates["from_node"].astype(str)
            parts.append(
                pd.DataFrame(
                    {
                        "replication": gates["replication"].to_numpy(),
                        "kind": "gate",
                        "resource": node.to_numpy(),
                        "begin": gates["ready_h"].to_numpy(),
                        "end": (gates["ready_h"] + gates["wait_gate_h"]).to_numpy(),
                        "wait": gates["wait_gate_h"].to_numpy(),
                        "used": HOURS_PER_DAY * teu[held] / node.map(res["capacity"]).to_numpy(dtype=float),
                    }
                )
            )
        if not parts:
            return pd.DataFrame({c: [] for c in _WAIT_COLUMNS})
        return pd.concat(parts, ignore_index=True)

    def bottlenecks(self) -> pd.DataFrame:
        """Resources ranked by the waiting they cause; see :func:`corridor.studies.capacity.bottlenecks`."""
        from corridor.studies.capacity import bottlenecks

        return bottlenecks(self)

    def queues(self) -> pd.DataFrame:
        """Queue monitors: shipments waiting at each resource over time.

        One row per change (columns :data:`QUEUE_COLUMNS`): ``waiting`` is the number of
        shipments waiting at ``resource`` right after ``time_h``. Resources are service
        links (waiting to board), capacity links (``slots``: waiting for a slot) and node
        gates (``gate``, keyed by node id: waiting to enter). From the records: a leg
        waits at a link from the moment it could leave (ready + gate + border + handling,
        after any closure) until it departs, and at a gate from its ready time for
        ``wait_gate_h``.
        """
        waits = self._waits()
        if waits.empty:
            return pd.DataFrame({c: [] for c in QUEUE_COLUMNS})
        n = len(waits)
        events = pd.DataFrame(
            {
                "replication": np.concatenate([waits["replication"].to_numpy()] * 2),
                "kind": np.concatenate([waits["kind"].to_numpy()] * 2),
                "resource": np.concatenate([waits["resource"].to_numpy()] * 2),
                "time_h": np.concatenate([waits["begin"].to_numpy(), waits["end"].to_numpy()]),
                "delta": np.concatenate([np.ones(n, dtype=np.int64), -np.ones(n, dtype=np.int64)]),
            }
        )
        keys = ["replication", "kind", "resource"]
        steps = events.groupby([*keys, "time_h"], sort=True)["delta"].sum().reset_index()
        steps["waiting"] = steps.groupby(keys)["delta"].cumsum()
        return steps.drop(columns="delta").reindex(columns=list(QUEUE_COLUMNS))

    def utilisation(self) -> pd.DataFrame:
        """Resource monitors: how much of each resource was used, and the waits it caused.

        One row per replication and resource (columns :data:`UTILISATION_COLUMNS`):

        * ``gate`` (a node's ``capacity_teu_day``): ``used`` = hours the gate was held
          (24 · TEU / capacity per shipment), ``available`` = the horizon;
        * ``slots`` (a link's ``capacity``): ``used`` = slot-hours taken (departure to
          arrival), ``available`` = capacity × horizon;
        * ``service``: ``used`` = load carried and ``available`` = capacity offered, summed
          over the departures on that link (``unit`` teu or kg): the load factor.

        ``utilisation = used / available``. Waiting times (``wait_gate_h``,
        ``wait_queue_h`` or ``wait_service_h``) are over the legs done at the resource;
        ``queue_max`` is the longest queue of :meth:`queues`. Legs still under way at the
        horizon are not counted.
        """
        res = self.resources
        if res.empty:
            return pd.DataFrame({c: [] for c in UTILISATION_COLUMNS})
        keys = ["replication", "resource"]
        grid = pd.MultiIndex.from_product([range(self.replications), res.index], names=keys)
        waits = self._waits()
        by = waits.groupby(keys)
        stats = pd.DataFrame(
            {
                "shipments": by.size(),
                "wait_mean_h": by["wait"].mean(),
                "wait_p95_h": by["wait"].quantile(0.95),
                "wait_max_h": by["wait"].max(),
                "used": by["used"].sum(),
            }
        ).reindex(grid)
        deps = self.departures.dropna(subset=["link"]).groupby(["replication", "link"])[["load", "capacity"]].sum()
        deps.index.names = keys
        deps = deps.reindex(grid)
        queues = self.queues()
        qmax = queues.groupby(keys)["waiting"].max().reindex(grid).fillna(0)
        frame = stats.reset_index()
        kind = frame["resource"].map(res["kind"]).to_numpy()
        capacity = frame["resource"].map(res["capacity"]).to_numpy(dtype=float)
        service = kind == "service"
        horizon = self.horizon_h
        used = np.where(service, deps["load"].fillna(0.0).to_numpy(), frame["used"].fillna(0.0).to_numpy())
        available = np.where(
            service,
            deps["capacity"].fillna(0.0).to_numpy(),
            np.where(kind == "slots", capacity * horizon, horizon),
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(available > 0, used / available, np.nan)
        unit = np.where(
            service, frame["resource"].map(res["unit"]).to_numpy(dtype=object), np.where(kind == "slots", "slot-h", "h")
        )
        out = pd.DataFrame(
            {
                "replication": frame["replication"].to_numpy(),
                "kind": kind,
                "resource": frame["resource"].to_numpy(),
                "capacity": capacity,
                "unit": unit,
                "used": used,
                "available": available,
                "utilisation": share,
                "shipments": frame["shipments"].fillna(0).to_numpy(dtype=np.int64),
                "wait_mean_h": frame["wait_mean_h"].to_numpy(),
                "wait_p95_h": frame["wait_p95_h"].to_numpy(),
                "wait_max_h": frame["wait_max_h"].to_numpy(),
                "queue_max": qmax.to_numpy(dtype=np.int64),
            }
        )
        return out

    def kpis(self, *, level: float = 0.95) -> pd.DataFrame:
        """Key performance indicators per demand flow and route, with confidence intervals.

        Times are in days and are over delivered shipments; ``delivered_share`` counts
        the rest as in transit. Cost and CO2 per FEU divide by ``teu / 2``; per kg by
        the cargo mass. ``buffer_days`` is p95 − p50 (the reliability buffer).
        ``on_time_share`` is against the demand's ``promised_days`` (NaN if none).

        Each KPI but ``shipments`` has a column ``<kpi>_ci<level>`` (``_ci95`` at the
        default level): the half-width ``t · s / √n`` of its confidence interval across
        the ``n`` replications, where ``s`` is the standard deviation of the KPI computed
        replication by replication (:meth:`kpis_by_replication`); NaN with one
        replication. See :mod:`corridor.studies.confidence`.

        Parameters
        ----------
        level
            Confidence level of the intervals (0.95: columns ``_ci95``).

        Returns
        -------
        pandas.DataFrame
            Indexed by ``(demand, route)``, columns :data:`KPI_COLUMNS` and their
            half-widths.
        """
        from corridor.studies.confidence import with_intervals

        return with_intervals(self._kpi_table(["demand", "route"]), self.kpis_by_replication(), level=level)

    def kpis_by_replication(self) -> pd.DataFrame:
        """The KPIs of :meth:`kpis` computed for each replication on its own.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``(demand, route, replication)``, columns :data:`KPI_COLUMNS`.
        """
        if "kpis_by_replication" not in self._built:  # kpis() and compare() use it too: built once
            self._built["kpis_by_replication"] = self._kpi_table(["demand", "route", "replication"])
        return self._built["kpis_by_replication"].copy()

    def _kpi_table(self, by: list[str]) -> pd.DataFrame:
        """KPIs per group of shipments (``by``: ``demand``, ``route`` and maybe ``replication``)."""
        ships = self.shipments
        legs = self.legs
        per_ship = (
            legs.assign(moving=legs["travel_h"])
            .groupby(["replication", "shipment"], observed=True)[list(_TIME_PARTS)]
            .sum()
        )
        ships = ships.join(per_ship, on=["replication", "shipment"])
        # numpy columns sliced per group: per-replication tables have many small groups
        names = ("transit_days", "teu", "tonnes", "distance_km", "cost_usd", "co2_kg", *_TIME_PARTS)
        col = {c: ships[c].to_numpy(dtype=float) for c in names}
        delivered = ships["delivered"].to_numpy(dtype=bool)
        rows = []
        groups = ships.groupby(by, observed=True, sort=False).indices
        for key, positions in groups.items():
            group, idx = cast(tuple[Any, ...], key), np.asarray(positions)
            dem, route = group[0], group[1]
            ok = idx[delivered[idx]]
            days = col["transit_days"][ok]
            meta = self.routes.get(f"{route}|{dem}", {})
            # per-FEU figures only where the route carries boxes (not on a flight by mass)
            feu = col["teu"][ok] / TEU_PER_FEU if meta.get("containers", True) else np.zeros(len(ok))
            kg = col["tonnes"][ok] * KG_PER_TONNE
            tkm = col["tonnes"][ok] * col["distance_km"][ok]
            promised = meta.get("promised_days")

            def q(p: float, d: np.ndarray = days) -> float:
                return float(np.percentile(d, p)) if len(d) else float("nan")

            def mean(values: np.ndarray) -> float:
                return float(values.mean()) if values.size else float("nan")

            cost = col["cost_usd"][ok]
            co2 = col["co2_kg"][ok]
            boxes = feu > 0
            rows.append(
                {
                    **dict(zip(by, group, strict=True)),
                    "shipments": len(idx),
                    "delivered_share": float(delivered[idx].mean()),
                    "transit_days_mean": mean(days),
                    "transit_days_p50": q(50),
                    "transit_days_p90": q(90),
                    "transit_days_p95": q(95),
                    "buffer_days": q(95) - q(50),
                    "on_time_share": float((days <= promised).mean()) if promised and len(days) else float("nan"),
                    "cost_usd_per_feu": mean(cost[boxes] / feu[boxes]),
                    "cost_usd_per_kg": mean(cost / kg),
                    "co2_kg_per_feu": mean(co2[boxes] / feu[boxes]),
                    "co2_g_per_tkm": float(co2.sum() * 1000.0 / tkm.sum()) if tkm.sum() > 0 else float("nan"),
                    "distance_km": mean(col["distance_km"][ok]),
                    **{_TIME_PARTS[part]: mean(col[part][ok]) / HOURS_PER_DAY for part in _TIME_PARTS},
                }
            )
        frame = pd.DataFrame(rows, columns=[*by, *KPI_COLUMNS])
        order = {(m["demand"], m["route"]): i for i, m in enumerate(self.routes.values())}
        rank = [order.get((d, r), 0) for d, r in zip(frame["demand"], frame["route"], strict=True)]
        # routes in the order of the plan; replications in order within a route
        keys = (frame[by[-1]].to_numpy(), np.asarray(rank)) if len(by) > 2 else (np.asarray(rank),)
        frame = frame.iloc[np.lexsort(keys)]
        return frame.set_index(by)
