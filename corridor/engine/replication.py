"""The SimPy model of one replication: set-up, the shipment process, the releases.

Shipments are released by demand flows and travel their route leg by leg. On each leg a
shipment first spends the leg's node time (border clearance, transshipment, gauge
change, dwell in the yard or at the origin terminal) at its start node, then either

* moves at once (continuous rail and road legs): the node time and the travel are one
  timeout, so one event per leg;
* queues first in, first out for a free slot on a link with a ``capacity`` (shipments on
  the link at once), holds the slot while it travels and hands it on at arrival: the
  time spent queueing is ``wait_queue_h``; or
* boards a service and waits for its departure (flights, feeders, ferries): the time
  waited is ``wait_service_h``; the shipment wakes once, when the departure arrives;

then travels; after the last leg it spends the destination's clearance and dwell, if
any (one more timeout). Where the start node has a gate (``capacity_teu_day``) the
shipment first waits for it (``wait_gate_h``); where the node's handling, clearance or
dwell time or the link's travel time is random, it is drawn per shipment from the
replication's Generator. Legs
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
from corridor.engine.steps import (
    PLAIN,
    RANDOM,
    SERVICE,
    SLOTS,
    EndDraw,
    Packed,
    Switch,
    build_end_stops,
    build_steps,
    travel_sampler,
)
from corridor.engine.streams import DEMAND, Streams
from corridor.engine.streams import SERVICE as SERVICE_STREAM
from corridor.plan import SimPlan

__all__ = ["ReplicationBuffers", "run_replication"]

#: Spawn-key suffix of the storm stream (any fixed number apart from the replications' own keys).
_STORM_KEY = 0x5707

#: A shipment's process: shipment, first leg slot, clock, the steps ahead.
_Process = Callable[[int, int, float, tuple[Packed, ...]], Generator[simpy.Event, Any, None]]


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
        sid = cn.service_ids[si]  # each side of a service draws its crossings from a stream of its own
        samplers = [
            travel_sampler(cn.link_time_dist[li], streams, SERVICE_STREAM, sid, side) for side, li in enumerate(links)
        ]
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
                cutoff_h=service.cutoff_h,
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
    steps: list[tuple[Packed, ...]]
    #: Per route, the draw of its stop at the destination (``None``: none).
    ends: list[EndDraw | None]
    chooser: Chooser
    streams: Streams


def _set_up(plan: SimPlan, seed: np.random.SeedSequence) -> _Replication:
    """The environment, services, slots, gates, closures, steps and records of one replication."""
    streams = Streams(seed)  # every entity draws from a stream of its own (common random numbers)
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
    legs = [leg for route in plan.routes for leg in route.legs]
    slots = {leg.link: Slots(env, capacity=leg.capacity) for leg in legs if leg.capacity > 0}
    ends = build_end_stops(plan, streams=streams)
    records = Recorder(
        [len(route.legs) for route in plan.routes],
        disrupted=not plan.disruptions.empty,
        gated=any(leg.gate_teu_day > 0 and plan.demands[r.demand].teu > 0 for r in plan.routes for leg in r.legs),
        drawn=any(leg.random_node_time for leg in legs),
        ends=any(end is not None for end in ends),
    )
    gates: dict[int, Gate] = {}
    steps = build_steps(
        plan,
        services=services,
        slots=slots,
        closed=closed,
        gates=gates,
        streams=streams,
        columns=(records.gate, records.handling, records.border, records.dwell),
    )
    chooser = Chooser(plan, services=services, slots=slots, closed=closed, gates=gates)
    return _Replication(plan, env, log, records, steps, ends, chooser, streams)


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
    ends, ship_route, end_border, end_dwell = rep.ends, records.ship_route, records.end_border, records.end_dwell

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

    def shipment(s: int, i: int, t: float, steps: tuple[Packed, ...]) -> Generator[simpy.Event, Any, None]:
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
        end = ends[ship_route[s]]
        if end is not None:  # clearance and dwell at the destination (off the common path)
            b, d = end()
            yield timeout(b + d)
            end_border[s] = b  # type: ignore[index]
            end_dwell[s] = d  # type: ignore[index]
        elif end_border is not None and end_dwell is not None:  # a route with no stop there
            end_border[s] = end_dwell[s] = 0.0

    return shipment


def _release_process(rep: _Replication, demand: int, shipment: _Process) -> Generator[simpy.Event, Any, None]:
    """Release the shipments of one demand flow, each on its route (or the best one at the time)."""
    env, plan, records, chooser = rep.env, rep.plan, rep.records, rep.chooser
    timeout = env.timeout
    dem = plan.demands[demand]
    # the flow's own streams: release gaps and route picks (common random numbers)
    expo = rep.streams.exponential(DEMAND, dem.id, 0)
    uniform = rep.streams.uniform(DEMAND, dem.id, 1)
    gap = HOURS_PER_WEEK / dem.per_week
    stop = min(plan.release_h, dem.until_h) - 1e-9
    shares = dem.shares
    last = len(dem.routes) - 1
    first = dem.from_h
    t = first
    k = 0
    poisson, spread = dem.arrivals == "poisson", dem.arrivals == "uniform"
    while True:
        if poisson:
            t += gap * expo()
        else:  # regular: at the start of each interval; uniform: at a random time within it
            t = first + (k + uniform()) * gap if spread else first + k * gap
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
            steps = rep.steps[ri]
            for _ in range(dem.batch):
                s, base = records.release(ri, now)
                env.process(shipment(s, base, now, steps))


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
        This replication's seed sequence; the only source of randomness.
    """
    rep = _set_up(plan, seed)
    shipment = _shipment_process(rep)
    for di in range(len(plan.demands)):
        rep.env.process(_release_process(rep, di, shipment))
    with _gc_paused():
        rep.env.run(until=plan.horizon_h)
    # SimPy numbers every event it schedules and has no public count: the next id is the count
    return rep.records.buffers(rep.log, events=next(rep.env._eid))
