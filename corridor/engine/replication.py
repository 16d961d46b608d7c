"""The SimPy model of one replication: set-up, the shipment process, the releases.

Shipments are released by demand flows and travel their route leg by leg. On each leg a
shipment first spends the leg's fixed node time (border clearance, transshipment,
gauge change) at its start node, then either

* moves at once (continuous rail and road legs): the node time and the travel are one
  timeout, so one event per leg;
* queues first in, first out for a free slot on a link with a ``capacity`` (shipments on
  the link at once), holds the slot while it travels and hands it on at arrival: the
  time spent queueing is ``wait_queue_h``; or
* boards a service and waits for its departure (flights, feeders, ferries): the time
  waited is ``wait_service_h``; the shipment wakes once, when the departure arrives;

then travels. Where the start node has a gate (``capacity_teu_day``) the shipment first
waits for it (``wait_gate_h``); where the node's handling or clearance time or the link's
travel time is random, it is drawn per shipment from the replication's Generator. Legs
with neither carry no extra work. How each leg moves is decided before the clock starts
(:mod:`corridor.engine.steps`); what happens is written to columnar buffers
(:mod:`corridor.engine.records`).

:func:`run_replication` runs in three parts: :func:`_set_up` (the services, link slots,
closures and steps of this replication), the processes (:func:`_shipment_process`, the
hot path, one tight generator per shipment, and :func:`_release_process` per flow), and
the record keeping (:class:`corridor.engine.records.Recorder`).
"""

from __future__ import annotations

import contextlib
import gc
from bisect import bisect_right
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import simpy

from corridor.costing import HOURS_PER_WEEK
from corridor.distributions import Draws
from corridor.engine.choice import Chooser, known_hold_h
from corridor.engine.disruptions import Cuts, draw_replication
from corridor.engine.records import Recorder, ReplicationBuffers
from corridor.engine.services import (
    DepartureLog,
    Gate,
    Shuttle,
    Slots,
    Timetable,
    Windows,
    held_until,
    interval_departures,
    weekly_departures,
)
<<<<<<< HEAD
from corridor.engine.streams import DEMAND, LINK, NODE, SERVICE, Streams
from corridor.plan import Leg, SimPlan
=======
from corridor.engine.steps import PLAIN, RANDOM, SERVICE, SLOTS, Step, Switch, build_steps, travel_sampler
from corridor.plan import SimPlan
>>>>>>> main

__all__ = ["ReplicationBuffers", "run_replication"]

#: Spawn-key suffix of the storm stream (any fixed number apart from the replications' own keys).
_STORM_KEY = 0x5707

<<<<<<< HEAD
# Step kinds: how a shipment moves on a leg (see the module docstring).
_PLAIN = 0  # continuous, unlimited, deterministic: one timeout of node time + travel
_RANDOM = 1  # continuous, unlimited, lognormal travel
_SLOTS = 2  # continuous with a capacity: queue for a slot, travel, hand the slot on
_SERVICE = 3  # boards a timetabled or when-full service
_HELD = 4  # continuous on a link that closes at times: wait for the reopening, then travel
#: ``sigma`` of a leg whose travel time its :class:`_LegExtra` draws (triangular, empirical).
_DRAWN = -1.0

# One leg as the shipment loop unpacks it: (kind, pre_h, time_h, mu, sigma, resource or
# service, side, amount, closed windows, re-routes, extra, normal draws of the link's own
# stream, for a lognormal travel time, else None); time_h is node time + travel for
# _PLAIN, the mean travel else. Only legs on links that close in this replication carry
# windows; only legs of flows that re-route, where a route branches off and a link ahead
# closes in this replication, carry re-routes: (the closed windows of the links ahead,
# route, leg position, the routes it may switch to here, those it may switch to further
# on), else (); only legs with a node gate or drawn node or travel times carry an extra
# (:class:`_LegExtra`), else None.
_Switch = tuple[tuple[Windows, ...], int, int, tuple[int, ...], tuple[int, ...]]
_Step = tuple[int, float, float, float, float, Any, int, float, Windows, _Switch | tuple[()], Any, Any]


@dataclass
class ReplicationBuffers:
    """The raw records of one replication (columnar, machine numbers).

    Shipment ``s`` (in release order) owns the leg slots from the sum of the route
    lengths of shipments ``0 .. s-1`` on, one per leg of its route.

    Attributes
    ----------
    ship_route
        Route index of each shipment.
    ship_release
        Release time of each shipment (h).
    leg_depart
        Departure time per leg slot; NaN where it follows from the ready time and the
        node time (continuous legs on links without a capacity) or the leg is not done.
    leg_arrive
        Arrival time per leg slot; NaN while the leg is not done (in transit at the
        horizon, or not started).
    leg_disrupted
        Hours a leg was held by a closed link (its own, or its service's departure);
        ``None`` when the scenario has no closures or storms.
    leg_gate
        Hours a leg waited for its start node's gate; ``None`` when no route passes a gate.
    leg_handling, leg_border
        Handling and clearance hours drawn for a leg; NaN where they are fixed (the
        route's value), ``None`` when no route has a random node time.
    departures
        The services' departures.
    events
        SimPy events scheduled.
    """

    ship_route: array[int]
    ship_release: array[float]
    leg_depart: array[float]
    leg_arrive: array[float]
    leg_disrupted: array[float] | None
    departures: DepartureLog
    events: int
    leg_gate: array[float] | None = None
    leg_handling: array[float] | None = None
    leg_border: array[float] | None = None


def _sampler(mean: float, cv: float, normal: Draws) -> Callable[[], float]:
    if cv <= 0:
        return lambda: mean
    mu, sigma = lognormal_params(mean, cv)
    exp = math.exp
    return lambda: exp(mu + sigma * normal())


def _travel_sampler(dist: Dist, streams: Streams, kind: int, ident: str, part: int) -> Callable[[], float]:
    """Travel-time draws from the stream of entity ``ident`` (lognormal or in blocks)."""
    if dist.kind == "lognormal":
        return _sampler(dist.mean, dist.params[0], streams.normal(kind, ident, part))
    return block_sampler(dist, streams.generator(kind, ident, part))
=======
#: A shipment's process: shipment, first leg slot, clock, the steps ahead.
_Process = Callable[[int, int, float, tuple[Step, ...]], Generator[simpy.Event, Any, None]]
>>>>>>> main


def _build_services(
    env: simpy.Environment,
    plan: SimPlan,
    streams: Streams,
    log: DepartureLog,
    closed: list[Windows],
    cuts: list[Cuts],
) -> list[Timetable | Shuttle]:
    cn = plan.net
    out: list[Timetable | Shuttle] = []
    for si, service in enumerate(cn.services):
        links = [li for li, s in enumerate(cn.link_service) if s == si]
<<<<<<< HEAD
        sid = cn.service_ids[si]
        samplers = [
            _travel_sampler(cn.link_time_dist[li], streams, SERVICE, sid, side) for side, li in enumerate(links)
        ]
=======
        samplers = [travel_sampler(cn.link_time_dist[li], normal, rng) for li in links]
>>>>>>> main
        if service.kind == "when_full":
            back = samplers[1] if len(samplers) > 1 else samplers[0]
            out.append(
                Shuttle(
                    env,
                    index=si,
                    vessels=service.vessels,
                    capacity=service.capacity,
                    max_wait_h=service.max_wait_h,
                    port_time_h=service.port_time_h,
                    travel=(samplers[0], back),
                    log=log,
                    closed=(closed[links[0]], closed[links[1]] if len(links) > 1 else ()),
                    cuts=(cuts[links[0]], cuts[links[1]] if len(links) > 1 else ()),
                )
            )
            continue
        departures: Iterator[float]
        if service.kind == "weekly":
            departures = weekly_departures(
                weekdays=service.weekdays, hour=service.departure_hour, start_weekday=plan.start_weekday
            )
        else:
            departures = interval_departures(first=service.first_departure_h, interval=service.interval_h)
        out.append(
            Timetable(
                env,
                index=si,
                departures=departures,
                capacity=service.capacity,
                travel=samplers[0],
                log=log,
                closed=closed[links[0]],
                cuts=cuts[links[0]],
            )
        )
    return out


@dataclass
class _Replication:
    """What one replication runs on, made before the clock starts."""

    plan: SimPlan
    env: simpy.Environment
    log: DepartureLog
    records: Recorder
    steps: list[tuple[Step, ...]]
    chooser: Chooser
    normal: Draws
    expo: Draws
    uniform: Draws


def _set_up(plan: SimPlan, seed: np.random.SeedSequence) -> _Replication:
    """The environment, services, slots, gates, closures, steps and records of one replication."""
    rng = np.random.default_rng(seed)
    normal = Draws(rng.standard_normal)
    env = simpy.Environment()
    log = DepartureLog()
    n_links = len(plan.net.link_ids)
    if plan.disruptions.empty:
        closed: list[Windows] = [()] * n_links
        cuts: list[Cuts] = [()] * n_links
    else:  # storms and events come from a stream of their own: the same seed gives the same weather
        storm_seed = np.random.SeedSequence(seed.entropy, spawn_key=(*seed.spawn_key, _STORM_KEY))
        drawn = draw_replication(plan.disruptions, n_links, np.random.default_rng(storm_seed))
        closed, cuts = drawn.closed, drawn.cuts
    services = _build_services(env, plan, normal, log, closed, cuts, rng)
    expo = Draws(rng.standard_exponential)
    uniform = Draws(rng.random)
    legs = [leg for route in plan.routes for leg in route.legs]
    slots = {leg.link: Slots(env, capacity=leg.capacity) for leg in legs if leg.capacity > 0}
    records = Recorder(
        [len(route.legs) for route in plan.routes],
        disrupted=not plan.disruptions.empty,
        gated=any(leg.gate_teu_day > 0 and plan.demands[r.demand].teu > 0 for r in plan.routes for leg in r.legs),
        drawn=any(leg.random_node_time for leg in legs),
    )
    gates: dict[int, Gate] = {}
    steps = build_steps(
        plan,
        services=services,
        slots=slots,
        closed=closed,
        gates=gates,
        normal=normal,
        rng=rng,
        columns=(records.gate, records.handling, records.border),
    )
    chooser = Chooser(plan, services=services, slots=slots, closed=closed, gates=gates)
    return _Replication(plan, env, log, records, steps, chooser, normal, expo, uniform)


<<<<<<< HEAD
def _extra(
    leg: Leg,
    teu: float,
    *,
    gates: dict[int, Gate],
    draws: dict[tuple[tuple[int, int], str], Callable[[], float]],
    plan: SimPlan,
    streams: Streams,
    records: _Records,
) -> _LegExtra | None:
    """The extra of a leg, or ``None`` when it has no gate and no drawn times (the common path)."""
    gated = leg.gate_teu_day > 0.0 and teu > 0.0
    travel_dist = leg.travel_dist if leg.service < 0 else None  # a service draws its own crossings
    if not gated and not leg.random_node_time and travel_dist is None:
        return None
    cn = plan.net
    node = cn.link_from[leg.link]

    def sampler(kind: int, ident: str, part: int, dist: Dist | None) -> Callable[[], float] | None:
        # one sampler per entity and part, shared by every route that passes it
        if dist is None:
            return None
        key = (kind, part), ident
        if key not in draws:
            draws[key] = block_sampler(dist, streams.generator(kind, ident, part))
        return draws[key]

    handling = sampler(NODE, cn.node_ids[node], 0, leg.handling_dist)
    border = sampler(NODE, cn.node_ids[node], 1, leg.border_dist)
    travel = sampler(LINK, cn.link_ids[leg.link], 0, travel_dist)
    mean = leg.mean_h
    return _LegExtra(
        pre=leg.pre_h,
        gate=gates.setdefault(node, Gate()) if gated else None,
        hold=HOURS_PER_DAY * teu / leg.gate_teu_day if gated else 0.0,
        handling=handling,
        handling_fixed=leg.handling_h - (leg.handling_dist.mean if leg.handling_dist is not None else 0.0),
        border=border,
        border_fixed=leg.border_h - (leg.border_dist.mean if leg.border_dist is not None else 0.0),
        travel=travel if travel is not None else (lambda: mean),
        records=records,
    )


def _steps(
    plan: SimPlan,
    services: list[Timetable | Shuttle],
    slots: dict[int, Slots],
    closed: list[Windows],
    *,
    streams: Streams,
    records: _Records,
    gates: dict[int, Gate],
) -> list[tuple[_Step, ...]]:
    """Per route, one flat tuple per leg (see ``_Step``); node gates are made in ``gates``."""
    out: list[tuple[_Step, ...]] = []
    draws: dict[Any, Callable[[], float]] = {}
    normals: dict[int, Draws] = {}  # a lognormal link's own stream, shared by the routes on it
    for ri, route in enumerate(plan.routes):
        dem = plan.demands[route.demand]
        steps: list[_Step] = []
        for p, leg in enumerate(route.legs):
            win = closed[leg.link]  # a service's windows are applied by the service itself
            alt: _Switch | tuple[()] = ()
            if route.switch and route.switch[p]:
                ahead = tuple(w for x in route.legs[p:] if (w := closed[x.link]))
                if ahead:
                    later = tuple(x for sw in route.switch[p + 1 :] for x in sw)
                    alt = (ahead, ri, p, route.switch[p], later)
            x = _extra(leg, dem.teu, gates=gates, draws=draws, plan=plan, streams=streams, records=records)
            # a leg whose extra draws its travel time (or whose node time only is random) has sigma _DRAWN
            sigma = _DRAWN if leg.travel_dist is not None or (leg.random_node_time and leg.sigma == 0.0) else leg.sigma
            z = None
            if sigma > 0.0 and leg.service < 0:
                if leg.link not in normals:
                    normals[leg.link] = streams.normal(LINK, plan.net.link_ids[leg.link])
                z = normals[leg.link]
            if leg.service >= 0:
                amount = dem.tonnes * KG_PER_TONNE if leg.by_mass else dem.teu
                service = services[leg.service]
                steps.append((_SERVICE, leg.pre_h, 0.0, 0.0, 0.0, service, leg.side, amount, (), alt, x, None))
            elif leg.capacity > 0:
                steps.append((_SLOTS, leg.pre_h, leg.mean_h, leg.mu, sigma, slots[leg.link], 0, 0.0, win, alt, x, z))
            elif win:
                steps.append((_HELD, leg.pre_h, leg.mean_h, leg.mu, sigma, None, 0, 0.0, win, alt, x, z))
            elif sigma == 0.0:
                steps.append((_PLAIN, leg.pre_h, leg.pre_h + leg.mean_h, 0.0, 0.0, None, 0, 0.0, (), alt, x, None))
            else:
                steps.append((_RANDOM, leg.pre_h, leg.mean_h, leg.mu, sigma, None, 0, 0.0, (), alt, x, z))
        out.append(tuple(steps))
    return out


def _compact(
    plan: SimPlan, ship_route: array[int], ship_base: array[int], columns: list[array[float] | None]
) -> list[array[float] | None]:
    """The leg columns with each shipment's slots from ``ship_base`` on, in release order.

    Re-routed shipments left their old slots behind and wrote new ones at the end; this
    restores the layout :class:`ReplicationBuffers` promises (and drops the old slots).
    """
    n_legs = np.asarray([len(r.legs) for r in plan.routes], dtype=np.int64)
    lengths = n_legs[np.frombuffer(ship_route, dtype=np.int64)]
    starts = np.cumsum(lengths) - lengths
    index = np.arange(int(lengths.sum()), dtype=np.int64)
    index += np.repeat(np.frombuffer(ship_base, dtype=np.int64) - starts, lengths)

    def gather(col: array[float]) -> array[float]:
        return array("d", np.frombuffer(col, dtype=float)[index].tobytes())

    return [None if col is None else gather(col) for col in columns]
=======
def _shipment_process(rep: _Replication) -> _Process:
    """The generator function of a shipment's journey (the hot path, benchmarks/engine.py).

    A shipment ``s`` starts at leg slot ``i`` at clock ``t`` with the ``steps`` ahead.
    The clock is kept locally: SimPy fires a timeout at ``now + delay``, so ``t + delay``
    is the clock after it, without reading ``env.now`` per leg. Where a closed link lies
    ahead of a leg that branches off (:class:`corridor.engine.steps.Switch`), the
    shipment may take another of its flow's routes from there.
    """
    env, records, chooser, plan = rep.env, rep.records, rep.chooser, rep.plan
    timeout = env.timeout
    dep, arr, dis = records.depart, records.arrive, records.disrupted

    def switch(s: int, i: int, t: float, alt: Switch) -> Generator[simpy.Event, Any, None] | None:
        # take the best of staying, the re-routes here and those further on (staying for
        # now, to switch later); corridor.engine.choice scores them
        if not any(known_hold_h(w, t, t) > 0.0 for w in alt.ahead):
            return None
        dem = plan.demands[plan.routes[alt.route].demand]
        best = chooser.best(
            (alt.route, *alt.here, *alt.later),
            alt.position,
            t,
            choice=dem.choice,
            value_of_time_usd_h=dem.value_of_time_usd_h,
        )
        if best not in alt.here:
            return None
        slot = records.reroute(s, i, alt.position, best)
        return shipment(s, slot, t, rep.steps[best][alt.position :])

    def shipment(s: int, i: int, t: float, steps: tuple[Step, ...]) -> Generator[simpy.Event, Any, None]:
        for kind, pre, time_h, travel, obj, side, amount, win, alt, extra in steps:
            if alt is not None and (rest := switch(s, i, t, alt)) is not None:
                yield from rest
                return
            if extra is not None:  # the node's gate or drawn node times (off the common path)
                pre, wait_gate = extra.enter(t, i)
                if kind == PLAIN:  # the gate wait joins the leg's one timeout (no extra event)
                    time_h += wait_gate
                else:  # ... or the node time's
                    pre += wait_gate
            if kind == PLAIN:
                yield timeout(time_h)
                t += time_h
            elif kind == RANDOM:
                d = pre + (travel() if travel is not None else time_h)
                yield timeout(d)
                t += d
            elif kind == SERVICE:
                if pre > 0.0:
                    yield timeout(pre)
                depart, crossing, held = yield obj.board(side, amount)  # type: ignore[union-attr]
                dep[i] = depart
                if held > 0.0:  # only the part of the hold this shipment spent waiting
                    dis[i] = min(held, depart - t - pre)  # type: ignore[index]
                t = depart + crossing
            else:  # SLOTS or HELD: node time, any closure, then a slot (SLOTS), then travel
                if pre > 0.0:
                    yield timeout(pre)
                    t += pre
                if win and (held := held_until(win, t) - t) > 0.0:
                    yield timeout(held)
                    t += held
                    dis[i] = held  # type: ignore[index]
                if kind == SLOTS and (wait := obj.request()) is not None:  # type: ignore[union-attr]
                    yield wait
                    t = env.now
                d = travel() if travel is not None else time_h
                yield timeout(d)
                dep[i] = t
                t += d
                if kind == SLOTS:
                    obj.release()  # type: ignore[union-attr]
            arr[i] = t
            i += 1

    return shipment


def _release_process(rep: _Replication, demand: int, shipment: _Process) -> Generator[simpy.Event, Any, None]:
    """Release the shipments of one demand flow, each on its route (or the best one at the time)."""
    env, plan, records, chooser, expo = rep.env, rep.plan, rep.records, rep.chooser, rep.expo
    timeout = env.timeout
    dem = plan.demands[demand]
    gap = HOURS_PER_WEEK / dem.per_week
    stop = min(plan.release_h, dem.until_h) - 1e-9
    shares = dem.shares
    last = len(dem.routes) - 1
    first = dem.from_h
    t = first
    k = 0
    while True:
        if dem.poisson:
            t += gap * expo()
        else:
            t = first + k * gap
            k += 1
        if t >= stop:
            return
        if t > env.now:
            yield timeout(t - env.now)
        now = env.now
        if dem.choice:
            chosen: tuple[int, ...] = (
                chooser.best(dem.routes, 0, now, choice=dem.choice, value_of_time_usd_h=dem.value_of_time_usd_h),
            )
        elif shares is None:
            chosen = dem.routes
        else:
            chosen = (dem.routes[min(bisect_right(shares, rep.uniform()), last)],)
        for ri in chosen:
            steps = rep.steps[ri]
            for _ in range(dem.batch):
                s, base = records.release(ri, now)
                env.process(shipment(s, base, now, steps))
>>>>>>> main


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a replication runs.

    The engine's objects are freed by reference counting (SimPy drops an event's
    callbacks once it is processed, which breaks the cycles an event makes); the cyclic
    collector would only re-scan the live shipments, at a cost that grows with their
    number. With 100 000 shipments queued on one link it more than doubles the time per
    event (benchmarks/engine.py: 4.5 against 1.9 us); on the baseline it costs 14 %.
    Whatever cycles remain when the environment is dropped are collected afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run_replication(plan: SimPlan, seed: np.random.SeedSequence) -> ReplicationBuffers:
    """Simulate one replication of a prepared scenario.

    Parameters
    ----------
    plan
        The prepared scenario (:func:`corridor.plan.prepare`).
    seed
        This replication's seed sequence; the only source of randomness: every entity
        draws from a stream of its own spawned from it (:mod:`corridor.engine.streams`).
    """
<<<<<<< HEAD
    streams = Streams(seed)
    env = simpy.Environment()
    log = DepartureLog()
    n_links = len(plan.net.link_ids)
    if plan.disruptions.empty:
        closed: list[Windows] = [()] * n_links
        cuts: list[Cuts] = [()] * n_links
    else:  # storms and events come from a stream of their own: the same seed gives the same weather
        storm_seed = np.random.SeedSequence(seed.entropy, spawn_key=(*seed.spawn_key, _STORM_KEY))
        drawn = draw_replication(plan.disruptions, n_links, np.random.default_rng(storm_seed))
        closed, cuts = drawn.closed, drawn.cuts
    services = _build_services(env, plan, streams, log, closed, cuts)
    slots = {
        leg.link: Slots(env, capacity=leg.capacity) for route in plan.routes for leg in route.legs if leg.capacity > 0
    }
    gated = any(leg.gate_teu_day > 0 and plan.demands[r.demand].teu > 0 for r in plan.routes for leg in r.legs)
    drawn_node = any(leg.random_node_time for r in plan.routes for leg in r.legs)
    gate_rec: array[float] | None = array("d") if gated else None
    handling_rec: array[float] | None = array("d") if drawn_node else None
    border_rec: array[float] | None = array("d") if drawn_node else None
    gates: dict[int, Gate] = {}
    route_steps = _steps(
        plan, services, slots, closed, streams=streams, records=(gate_rec, handling_rec, border_rec), gates=gates
    )
    chooser = Chooser(plan, services=services, slots=slots, closed=closed, gates=gates)
    blanks = [array("d", [_NAN]) * len(route.legs) for route in plan.routes]
    zeros = [array("d", [0.0]) * len(route.legs) for route in plan.routes]
    ship_route: array[int] = array("q")
    ship_base: array[int] = array("q")  # each shipment's first leg slot
    moved: list[int] = []  # shipments that re-routed (their slots moved to the end)
    ship_release: array[float] = array("d")
    leg_depart: array[float] = array("d")
    leg_arrive: array[float] = array("d")
    leg_disrupted: array[float] | None = None if plan.disruptions.empty else array("d")
    dep, arr, dis = leg_depart, leg_arrive, leg_disrupted
    timeout = env.timeout
    exp = math.exp

    def switch(s: int, i: int, t: float, alt: _Switch) -> Generator[simpy.Event, Any, None] | None:
        # Shipment ``s`` stands at leg slot ``i`` where other routes branch off; if a link
        # ahead is closed now, take the best of staying, the re-routes here and those
        # further on (staying for now, to switch later); corridor.engine.choice scores them. A
        # re-route gets fresh slots at the end of the buffers, keeps the legs done, and
        # goes on from there.
        ahead, ri, p, cands, later = alt
        if not any(known_hold_h(w, t, t) > 0.0 for w in ahead):
            return None
        dem = plan.demands[plan.routes[ri].demand]
        best = chooser.best((ri, *cands, *later), p, t, choice=dem.choice, value_of_time_usd_h=dem.value_of_time_usd_h)
        if best not in cands:
            return None
        old, base = i - p, len(arr)
        arr.extend(blanks[best])
        dep.extend(blanks[best])
        arr[base : base + p] = arr[old:i]
        dep[base : base + p] = dep[old:i]
        if dis is not None:
            dis.extend(zeros[best])
            dis[base : base + p] = dis[old:i]
        if gate_rec is not None:
            gate_rec.extend(zeros[best])
            gate_rec[base : base + p] = gate_rec[old:i]
        if handling_rec is not None and border_rec is not None:
            handling_rec.extend(blanks[best])
            handling_rec[base : base + p] = handling_rec[old:i]
            border_rec.extend(blanks[best])
            border_rec[base : base + p] = border_rec[old:i]
        ship_route[s] = best
        ship_base[s] = base
        moved.append(s)
        return shipment(s, base + p, t, route_steps[best][p:])

    def shipment(s: int, i: int, t: float, steps: tuple[_Step, ...]) -> Generator[simpy.Event, Any, None]:
        # The hot path (benchmarks/engine.py). ``s`` is the shipment, ``i`` its first leg
        # slot and ``t`` the clock, kept locally: SimPy fires a timeout at ``now + delay``,
        # so ``t + delay`` is the clock after it, without reading ``env.now`` per leg.
        for kind, pre, time_h, mu, sigma, obj, side, amount, win, alt, extra, z in steps:
            if alt and (rest := switch(s, i, t, alt)) is not None:
                yield from rest
                return
            if extra is not None:  # the node's gate, drawn node or travel times (off the common path)
                pre, wait_gate = extra.enter(t, i)
                if kind == _PLAIN:  # the gate wait joins the leg's one timeout (no extra event)
                    time_h += wait_gate
                else:  # ... or the node time's
                    pre += wait_gate
            if kind == _PLAIN:
                yield timeout(time_h)
                t += time_h
            elif kind == _RANDOM:
                d = pre + (exp(mu + sigma * z()) if sigma > 0.0 else extra.travel())
                yield timeout(d)
                t += d
            elif kind == _SLOTS:
                if pre > 0.0:
                    yield timeout(pre)
                    t += pre
                if win and (held := held_until(win, t) - t) > 0.0:
                    yield timeout(held)
                    t += held
                    dis[i] = held  # type: ignore[index]
                wait = obj.request()
                if wait is not None:
                    yield wait
                    t = env.now
                travel = time_h if sigma == 0.0 else exp(mu + sigma * z()) if sigma > 0.0 else extra.travel()
                yield timeout(travel)
                dep[i] = t
                t += travel
                obj.release()
            elif kind == _SERVICE:
                if pre > 0.0:
                    yield timeout(pre)
                depart, travel, held = yield obj.board(side, amount)  # fires on arrival
                dep[i] = depart
                if held > 0.0:  # only the part of the hold this shipment spent waiting
                    dis[i] = min(held, depart - t - pre)  # type: ignore[index]
                t = depart + travel
            else:  # _HELD
                if pre > 0.0:
                    yield timeout(pre)
                    t += pre
                held = held_until(win, t) - t
                if held > 0.0:
                    yield timeout(held)
                    t += held
                    dis[i] = held  # type: ignore[index]
                travel = time_h if sigma == 0.0 else exp(mu + sigma * z()) if sigma > 0.0 else extra.travel()
                yield timeout(travel)
                dep[i] = t
                t += travel
            arr[i] = t
            i += 1

    def release(demand_index: int) -> Generator[simpy.Event, Any, None]:
        dem = plan.demands[demand_index]
        # the flow's own streams: release gaps and route picks (common random numbers)
        expo = streams.exponential(DEMAND, dem.id, 0)
        uniform = streams.uniform(DEMAND, dem.id, 1)
        gap = HOURS_PER_WEEK / dem.per_week
        stop = min(plan.release_h, dem.until_h) - 1e-9
        shares = dem.shares
        last = len(dem.routes) - 1
        first = dem.from_h
        t = first
        k = 0
        while True:
            if dem.poisson:
                t += gap * expo()
            else:
                t = first + k * gap
                k += 1
            if t >= stop:
                return
            if t > env.now:
                yield timeout(t - env.now)
            now = env.now
            if dem.choice:
                chosen: tuple[int, ...] = (
                    chooser.best(dem.routes, 0, now, choice=dem.choice, value_of_time_usd_h=dem.value_of_time_usd_h),
                )
            elif shares is None:
                chosen = dem.routes
            else:
                chosen = (dem.routes[min(bisect_right(shares, uniform()), last)],)
            for ri in chosen:
                steps = route_steps[ri]
                blank = blanks[ri]
                for _ in range(dem.batch):
                    base = len(arr)
                    arr.extend(blank)
                    dep.extend(blank)
                    if dis is not None:
                        dis.extend(zeros[ri])
                    if gate_rec is not None:
                        gate_rec.extend(zeros[ri])
                    if handling_rec is not None and border_rec is not None:
                        handling_rec.extend(blank)
                        border_rec.extend(blank)
                    ship_base.append(base)
                    ship_route.append(ri)
                    ship_release.append(now)
                    env.process(shipment(len(ship_route) - 1, base, now, steps))

=======
    rep = _set_up(plan, seed)
    shipment = _shipment_process(rep)
>>>>>>> main
    for di in range(len(plan.demands)):
        rep.env.process(_release_process(rep, di, shipment))
    with _gc_paused():
        rep.env.run(until=plan.horizon_h)
    # SimPy numbers every event it schedules and has no public count: the next id is the count
    return rep.records.buffers(rep.log, events=next(rep.env._eid))
