"""The SimPy model of one replication.

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

then travels.

Records go to columnar buffers of machine numbers (:class:`array.array`): each shipment
owns one slot per leg of its route, in release order, and a leg writes its arrival time
(and its departure time where it had to wait) when it is done. Everything that follows
from the route alone (ready time, node, mode, distance, cost, CO2) is added when the
frames are built, not on the hot path.
"""

from __future__ import annotations

import contextlib
import gc
import math
from array import array
from bisect import bisect_right
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import simpy

from corridor._plan import SimPlan
from corridor.disruptions import windows_for_replication
from corridor.services import (
    DepartureLog,
    Shuttle,
    Slots,
    Timetable,
    Windows,
    held_until,
    interval_departures,
    weekly_departures,
)

__all__ = ["ReplicationBuffers", "run_replication"]

_NAN = math.nan
#: Spawn-key suffix of the storm stream (any fixed number apart from the replications' own keys).
_STORM_KEY = 0x5707

# Step kinds: how a shipment moves on a leg (see the module docstring).
_PLAIN = 0  # continuous, unlimited, deterministic: one timeout of node time + travel
_RANDOM = 1  # continuous, unlimited, lognormal travel
_SLOTS = 2  # continuous with a capacity: queue for a slot, travel, hand the slot on
_SERVICE = 3  # boards a timetabled or when-full service
_HELD = 4  # continuous on a link that closes at times: wait for the reopening, then travel

# One leg as the shipment loop unpacks it: (kind, pre_h, time_h, mu, sigma, resource or
# service, side, amount, closed windows); time_h is node time + travel for _PLAIN, the
# mean travel else. Only legs on links that close in this replication carry windows.
_Step = tuple[int, float, float, float, float, Any, int, float, Windows]


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


class _Draws:
    """Draws from one Generator in blocks of 4096 (one numpy call per block)."""

    __slots__ = ("_buf", "_draw", "_i")

    def __init__(self, draw: Callable[[int], np.ndarray]) -> None:
        self._draw = draw
        self._buf: list[float] = []
        self._i = 0

    def __call__(self) -> float:
        if self._i >= len(self._buf):
            self._buf = self._draw(4096).tolist()
            self._i = 0
        z = self._buf[self._i]
        self._i += 1
        return z


def _sampler(mean: float, cv: float, normal: _Draws) -> Callable[[], float]:
    if cv <= 0:
        return lambda: mean
    sigma = math.sqrt(math.log1p(cv * cv))
    mu = math.log(mean) - sigma * sigma / 2.0
    exp = math.exp
    return lambda: exp(mu + sigma * normal())


def _build_services(
    env: simpy.Environment, plan: SimPlan, normal: _Draws, log: DepartureLog, closed: list[Windows]
) -> list[Any]:
    cn = plan.net
    out: list[Any] = []
    for si, info in enumerate(cn.services):
        links = [li for li, s in enumerate(cn.link_service) if s == si]
        samplers = [_sampler(cn.link_time_h[li], cn.link_time_cv[li], normal) for li in links]
        capacity = float(info["capacity"])
        if info["kind"] == "when_full":
            back = samplers[1] if len(samplers) > 1 else samplers[0]
            out.append(
                Shuttle(
                    env,
                    index=si,
                    vessels=int(info["vessels"] or 1),
                    capacity=capacity,
                    max_wait_h=float(info["max_wait_h"]),
                    port_time_h=float(info["port_time_h"] or 0.0),
                    travel=(samplers[0], back),
                    log=log,
                    closed=(closed[links[0]], closed[links[1]] if len(links) > 1 else ()),
                )
            )
            continue
        departures: Iterator[float]
        if info["kind"] == "weekly":
            departures = weekly_departures(
                weekdays=str(info["weekdays"]),
                hour=float(info["departure_hour"] or 0.0),
                start_weekday=plan.start_weekday,
            )
        else:
            departures = interval_departures(
                first=float(info["first_departure_h"] or 0.0), interval=float(info["interval_h"])
            )
        out.append(
            Timetable(
                env,
                index=si,
                departures=departures,
                capacity=capacity,
                travel=samplers[0],
                log=log,
                closed=closed[links[0]],
            )
        )
    return out


def _steps(
    plan: SimPlan, services: list[Any], slots: dict[int, Slots], closed: list[Windows]
) -> list[tuple[_Step, ...]]:
    """Per route, one flat tuple per leg: (kind, pre_h, time_h, mu, sigma, object, side, amount, windows)."""
    out: list[tuple[_Step, ...]] = []
    for route in plan.routes:
        dem = plan.demands[route.demand]
        steps: list[_Step] = []
        for leg in route.legs:
            win = closed[leg.link]  # a service's windows are applied by the service itself
            if leg.service >= 0:
                amount = dem.tonnes * 1000.0 if leg.by_mass else dem.teu
                steps.append((_SERVICE, leg.pre_h, 0.0, 0.0, 0.0, services[leg.service], leg.side, amount, ()))
            elif leg.capacity > 0:
                steps.append((_SLOTS, leg.pre_h, leg.mean_h, leg.mu, leg.sigma, slots[leg.link], 0, 0.0, win))
            elif win:
                steps.append((_HELD, leg.pre_h, leg.mean_h, leg.mu, leg.sigma, None, 0, 0.0, win))
            elif leg.sigma == 0.0:
                steps.append((_PLAIN, leg.pre_h, leg.pre_h + leg.mean_h, 0.0, 0.0, None, 0, 0.0, ()))
            else:
                steps.append((_RANDOM, leg.pre_h, leg.mean_h, leg.mu, leg.sigma, None, 0, 0.0, ()))
        out.append(tuple(steps))
    return out


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
        The prepared scenario (:func:`corridor._plan.prepare`).
    seed
        This replication's seed sequence; the only source of randomness.
    """
    rng = np.random.default_rng(seed)
    normal = _Draws(rng.standard_normal)
    expo = _Draws(rng.standard_exponential)
    uniform = _Draws(rng.random)
    env = simpy.Environment()
    log = DepartureLog()
    n_links = len(plan.net.link_ids)
    if plan.disruptions.empty:
        closed: list[Windows] = [()] * n_links
    else:  # storms come from a stream of their own: the same seed gives the same weather
        storm_seed = np.random.SeedSequence(seed.entropy, spawn_key=(*seed.spawn_key, _STORM_KEY))
        closed = windows_for_replication(plan.disruptions, n_links, np.random.default_rng(storm_seed))
    services = _build_services(env, plan, normal, log, closed)
    slots = {
        leg.link: Slots(env, capacity=leg.capacity) for route in plan.routes for leg in route.legs if leg.capacity > 0
    }
    route_steps = _steps(plan, services, slots, closed)
    blanks = [array("d", [_NAN]) * len(route.legs) for route in plan.routes]
    zeros = [array("d", [0.0]) * len(route.legs) for route in plan.routes]
    ship_route: array[int] = array("q")
    ship_release: array[float] = array("d")
    leg_depart: array[float] = array("d")
    leg_arrive: array[float] = array("d")
    leg_disrupted: array[float] | None = None if plan.disruptions.empty else array("d")
    dep, arr, dis = leg_depart, leg_arrive, leg_disrupted
    timeout = env.timeout
    exp = math.exp

    def shipment(i: int, t: float, steps: tuple[_Step, ...]) -> Generator[simpy.Event, Any, None]:
        # The hot path (benchmarks/engine.py). ``i`` is the shipment's first leg slot and
        # ``t`` the clock, kept locally: SimPy fires a timeout at ``now + delay``, so
        # ``t + delay`` is the clock after it, without reading ``env.now`` per leg.
        for kind, pre, time_h, mu, sigma, obj, side, amount, win in steps:
            if kind == _PLAIN:
                yield timeout(time_h)
                t += time_h
            elif kind == _RANDOM:
                d = pre + exp(mu + sigma * normal())
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
                travel = time_h if sigma == 0.0 else exp(mu + sigma * normal())
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
                travel = time_h if sigma == 0.0 else exp(mu + sigma * normal())
                yield timeout(travel)
                dep[i] = t
                t += travel
            arr[i] = t
            i += 1

    def release(demand_index: int) -> Generator[simpy.Event, Any, None]:
        dem = plan.demands[demand_index]
        gap = 168.0 / dem.per_week
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
            if shares is None:
                chosen: tuple[int, ...] = dem.routes
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
                    ship_route.append(ri)
                    ship_release.append(now)
                    env.process(shipment(base, now, steps))

    for di in range(len(plan.demands)):
        env.process(release(di))
    with _gc_paused():
        env.run(until=plan.horizon_h)
    return ReplicationBuffers(
        ship_route=ship_route,
        ship_release=ship_release,
        leg_depart=leg_depart,
        leg_arrive=leg_arrive,
        leg_disrupted=leg_disrupted,
        departures=log,
        events=next(env._eid),  # SimPy numbers every scheduled event; the next id is the count
    )
