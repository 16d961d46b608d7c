"""How a shipment moves on each leg of a route, as the engine's loop reads it.

Every leg of every route becomes one :class:`Step` per replication, built before the
clock starts (:func:`build_steps`). Its ``kind`` says how the shipment moves:

* :data:`PLAIN`: a continuous link with no capacity, fixed times: one timeout of node
  time plus travel, one event per leg;
* :data:`RANDOM`: the same with a drawn node or travel time;
* :data:`SLOTS`: queue first in, first out for a slot of a link with a ``capacity``,
  hold it while travelling, hand it on at arrival;
* :data:`SERVICE`: board a timetabled or when-full service; woken once, on arrival;
* :data:`HELD`: a continuous link that closes at times: wait for the reopening, then travel.

Where the start node has a gate, or its handling, clearance or dwell time is drawn, the
step carries a :class:`LegExtra` that admits the shipment and records what happened.
:func:`build_end_stops` draws the time at a route's destination (clearance, dwell).
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable
from typing import NamedTuple, cast

from corridor.costing import HOURS_PER_DAY, KG_PER_TONNE, lognormal_params
from corridor.distributions import Dist, block_sampler
from corridor.engine.services import Gate, Shuttle, Slots, Timetable, Windows
from corridor.engine.streams import LINK, NODE, Streams
from corridor.plan import Leg, SimPlan

__all__ = [
    "HELD",
    "PLAIN",
    "RANDOM",
    "SERVICE",
    "SLOTS",
    "EndDraw",
    "LegExtra",
    "Packed",
    "Step",
    "Switch",
    "build_end_stops",
    "build_steps",
    "pack",
    "travel_sampler",
]

PLAIN = 0
RANDOM = 1
SLOTS = 2
SERVICE = 3
HELD = 4


class Switch(NamedTuple):
    """Where a shipment may re-route: at a leg of a flow that re-routes, with a closable link ahead.

    ``ahead``: the closed windows of the links ahead; ``route``, ``position``: this leg;
    ``here``: the routes it may switch to here; ``later``: those it may switch to further on.
    """

    ahead: tuple[Windows, ...]
    route: int
    position: int
    here: tuple[int, ...]
    later: tuple[int, ...]


class Step(NamedTuple):
    """One leg as the shipment loop unpacks it.

    Attributes
    ----------
    kind
        How the shipment moves (:data:`PLAIN` ... :data:`HELD`).
    pre_h
        Fixed time at the start node (clearance, handling), before it moves or boards.
    time_h
        :data:`PLAIN`: node time plus travel, one timeout; else the mean travel time.
    travel
        Draws a travel time (lognormal, triangular or empirical); ``None``: ``time_h``.
    resource
        The link's :class:`Slots` or the service it boards; ``None`` else.
    side, amount
        The shuttle's side and what the shipment takes of a departure (TEU or kg).
    closed
        The link's closed windows in this replication (``()``: none).
    switch
        Where the shipment may re-route here (``None``: nowhere).
    extra
        The start node's gate or drawn node times (``None``: neither).
    """

    kind: int
    pre_h: float
    time_h: float
    travel: Callable[[], float] | None
    resource: Slots | Timetable | Shuttle | None
    side: int
    amount: float
    closed: Windows
    switch: Switch | None
    extra: LegExtra | None


#: A :class:`Step` as the shipment loop receives it: a plain tuple in the same field order.
#: CPython unpacks an exact tuple on a fast path and a NamedTuple through its iterator:
#: about 5 % more CPU per leg on benchmarks/engine.py (N = 100).
Packed = tuple[
    int,
    float,
    float,
    "Callable[[], float] | None",
    "Slots | Timetable | Shuttle | None",
    int,
    float,
    Windows,
    "Switch | None",
    "LegExtra | None",
]


def pack(step: Step) -> Packed:
    """The step as a plain tuple (see :data:`Packed`)."""
    return cast(Packed, tuple(step))


#: The optional leg columns a :class:`LegExtra` writes: gate waits, handling, border and dwell times drawn.
ExtraColumns = tuple["array[float] | None", "array[float] | None", "array[float] | None", "array[float] | None"]
#: Draws ``(clearance, dwell)`` hours at a route's destination.
EndDraw = Callable[[], tuple[float, float]]


class LegExtra:
    """What a leg needs beyond the common path, and where it records what happened.

    The start node's gate (``hold``: hours this shipment holds it) and the node's
    handling, clearance and dwell times where they are drawn (each the fixed part plus a
    draw).
    :meth:`enter` writes the gate wait and the node times drawn into the replication's
    columns at the leg's slot.
    """

    __slots__ = (
        "border",
        "border_fixed",
        "border_rec",
        "dwell",
        "dwell_fixed",
        "dwell_rec",
        "gate",
        "gate_rec",
        "handling",
        "handling_fixed",
        "handling_rec",
        "hold",
        "pre",
    )

    def __init__(
        self,
        *,
        pre: float,
        gate: Gate | None,
        hold: float,
        handling: Callable[[], float] | None,
        handling_fixed: float,
        border: Callable[[], float] | None,
        border_fixed: float,
        dwell: Callable[[], float] | None,
        dwell_fixed: float,
        columns: ExtraColumns,
    ) -> None:
        self.pre = pre
        self.gate = gate
        self.hold = hold
        self.handling = handling
        self.handling_fixed = handling_fixed
        self.border = border
        self.border_fixed = border_fixed
        self.dwell = dwell
        self.dwell_fixed = dwell_fixed
        self.gate_rec, self.handling_rec, self.border_rec, self.dwell_rec = columns

    def enter(self, t: float, i: int) -> tuple[float, float]:
        """``(node time, gate wait)`` of a shipment that reaches the node at ``t`` (leg slot ``i``)."""
        wait = 0.0
        if self.gate is not None:
            wait = self.gate.enter(t, self.hold)
            self.gate_rec[i] = wait  # type: ignore[index]
        if self.handling is None and self.border is None and self.dwell is None:
            return self.pre, wait
        h = self.handling_fixed + (self.handling() if self.handling is not None else 0.0)
        b = self.border_fixed + (self.border() if self.border is not None else 0.0)
        d = self.dwell_fixed + (self.dwell() if self.dwell is not None else 0.0)
        self.handling_rec[i] = h  # type: ignore[index]
        self.border_rec[i] = b  # type: ignore[index]
        self.dwell_rec[i] = d  # type: ignore[index]
        return h + b + d, wait


def travel_sampler(dist: Dist, streams: Streams, kind: int, ident: str, part: int = 0) -> Callable[[], float]:
    """Travel-time draws from the stream of entity ``ident`` (a link, or a side of a service).

    Lognormal times from the stream's standard normals, triangular and empirical ones in blocks.
    """
    if dist.kind == "lognormal":
        mu, sigma = lognormal_params(dist.mean, dist.params[0])
        exp = math.exp
        normal = streams.normal(kind, ident, part)
        return lambda: exp(mu + sigma * normal())
    return block_sampler(dist, streams.generator(kind, ident, part))


#: The part of a node's stream each of its times draws from.
_NODE_PARTS = {"handling": 0, "border": 1, "dwell": 2, "origin_dwell": 3, "destination_dwell": 4}


class _Samplers:
    """The replication's samplers of node and link times, one per node or link (shared by the routes).

    Each draws from its entity's own stream: a link's travel times, a node's handling
    times and its clearance times (:mod:`corridor.engine.streams`).
    """

    def __init__(self, streams: Streams, plan: SimPlan) -> None:
        self._streams = streams
        self._net = plan.net
        self._made: dict[tuple[str, int], Callable[[], float]] = {}

    def get(self, key: str, index: int, dist: Dist | None) -> Callable[[], float] | None:
        if dist is None:
            return None
        if (key, index) not in self._made:
            if key == "travel":
                made = travel_sampler(dist, self._streams, LINK, self._net.link_ids[index])
            else:  # a node's handling, clearance and dwell times: a part of its stream each
                stream = self._streams.generator(NODE, self._net.node_ids[index], _NODE_PARTS[key])
                made = block_sampler(dist, stream)
            self._made[key, index] = made
        return self._made[key, index]


def _extra(
    leg: Leg,
    teu: float,
    node: int,
    *,
    first: bool,
    gates: dict[int, Gate],
    samplers: _Samplers,
    columns: ExtraColumns,
) -> LegExtra | None:
    """The extra of a leg, or ``None`` when it has no gate and no drawn node times (the common path)."""
    gated = leg.gate_teu_day > 0.0 and teu > 0.0
    if not gated and not leg.random_node_time:
        return None
    return LegExtra(
        pre=leg.pre_h,
        gate=gates.setdefault(node, Gate()) if gated else None,
        hold=HOURS_PER_DAY * teu / leg.gate_teu_day if gated else 0.0,
        handling=samplers.get("handling", node, leg.handling_dist),
        handling_fixed=leg.handling_h - (leg.handling_dist.mean if leg.handling_dist is not None else 0.0),
        border=samplers.get("border", node, leg.border_dist),
        border_fixed=leg.border_h - (leg.border_dist.mean if leg.border_dist is not None else 0.0),
        dwell=samplers.get("origin_dwell" if first else "dwell", node, leg.dwell_dist),
        dwell_fixed=leg.dwell_h - (leg.dwell_dist.mean if leg.dwell_dist is not None else 0.0),
        columns=columns,
    )


def build_end_stops(plan: SimPlan, *, streams: Streams) -> list[EndDraw | None]:
    """Per route, a function drawing ``(clearance, dwell)`` hours at its destination; ``None`` where it has none."""
    samplers = _Samplers(streams, plan)
    out: list[EndDraw | None] = []
    for route in plan.routes:
        end = route.end
        if end.hours <= 0.0 and end.border_dist is None and end.dwell_dist is None:
            out.append(None)
            continue
        node = plan.net.link_to[route.legs[-1].link]
        border = samplers.get("border", node, end.border_dist) or _constant(end.border_h)
        dwell = samplers.get("destination_dwell", node, end.dwell_dist) or _constant(end.dwell_h)
        out.append(_pair(border, dwell))
    return out


def _constant(value: float) -> Callable[[], float]:
    return lambda: value


def _pair(first: Callable[[], float], second: Callable[[], float]) -> EndDraw:
    return lambda: (first(), second())


def _switch(plan: SimPlan, closed: list[Windows], route: int, p: int) -> Switch | None:
    """Where a shipment at leg ``p`` of ``route`` may re-route (only with a link ahead that closes)."""
    r = plan.routes[route]
    if not r.switch or not r.switch[p]:
        return None
    ahead = tuple(w for x in r.legs[p:] if (w := closed[x.link]))
    if not ahead:
        return None
    later = tuple(x for sw in r.switch[p + 1 :] for x in sw)
    return Switch(ahead, route, p, r.switch[p], later)


def build_steps(
    plan: SimPlan,
    *,
    services: list[Timetable | Shuttle],
    slots: dict[int, Slots],
    closed: list[Windows],
    gates: dict[int, Gate],
    streams: Streams,
    columns: ExtraColumns,
) -> list[tuple[Packed, ...]]:
    """Per route, one :class:`Step` per leg (packed); node gates are made in ``gates``."""
    out: list[tuple[Packed, ...]] = []
    samplers = _Samplers(streams, plan)
    link_from = plan.net.link_from
    for ri, route in enumerate(plan.routes):
        dem = plan.demands[route.demand]
        steps: list[Step] = []
        for p, leg in enumerate(route.legs):
            win = closed[leg.link]  # a service's windows are applied by the service itself
            alt = _switch(plan, closed, ri, p)
            x = _extra(leg, dem.teu, link_from[leg.link], first=p == 0, gates=gates, samplers=samplers, columns=columns)
            if leg.service >= 0:  # a service draws its own crossings
                amount = dem.tonnes * KG_PER_TONNE if leg.by_mass else dem.teu
                res = services[leg.service]
                steps.append(Step(SERVICE, leg.pre_h, 0.0, None, res, leg.side, amount, (), alt, x))
                continue
            travel = samplers.get("travel", leg.link, leg.travel_dist)
            if leg.capacity > 0:
                steps.append(Step(SLOTS, leg.pre_h, leg.mean_h, travel, slots[leg.link], 0, 0.0, win, alt, x))
            elif win:
                steps.append(Step(HELD, leg.pre_h, leg.mean_h, travel, None, 0, 0.0, win, alt, x))
            elif travel is None and not leg.random_node_time:
                steps.append(Step(PLAIN, leg.pre_h, leg.pre_h + leg.mean_h, None, None, 0, 0.0, (), alt, x))
            else:
                steps.append(Step(RANDOM, leg.pre_h, leg.mean_h, travel, None, 0, 0.0, (), alt, x))
        out.append(tuple(pack(step) for step in steps))
    return out
