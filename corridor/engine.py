"""The SimPy model of one replication.

Shipments are released by demand flows and travel their route leg by leg. On each leg a
shipment first spends the leg's fixed node time (border clearance, transshipment,
gauge change) at its start node, then either moves at once (continuous rail and road
legs) or boards a service and waits for its departure (flights, feeders, ferries), then
travels. For a continuous leg the node time and the travel are one timeout: one event
per leg.

Records go to columnar buffers (Python lists of numbers); everything that follows from
the route and the shipment alone (node, mode, distance, cost, CO2) is added when the
frames are built, not on the hot path.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import simpy

from corridor._plan import Leg, SimPlan
from corridor.services import (
    DepartureLog,
    Shuttle,
    Timetable,
    interval_departures,
    weekly_departures,
)

__all__ = ["ReplicationBuffers", "run_replication"]


@dataclass
class ReplicationBuffers:
    """The raw records of one replication (columnar)."""

    leg_ship: list[int]
    leg_pos: list[int]
    leg_ready: list[float]
    leg_depart: list[float]
    leg_arrive: list[float]
    ship_route: list[int]
    ship_release: list[float]
    departures: DepartureLog
    events: int


class _Normals:
    """Standard normal draws from one Generator, in blocks (one numpy call per 4096)."""

    __slots__ = ("_buf", "_i", "_rng")

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng
        self._buf: list[float] = []
        self._i = 0

    def __call__(self) -> float:
        if self._i >= len(self._buf):
            self._buf = self._rng.standard_normal(4096).tolist()
            self._i = 0
        z = self._buf[self._i]
        self._i += 1
        return z


def _sampler(mean: float, cv: float, normal: _Normals) -> Callable[[], float]:
    if cv <= 0:
        return lambda: mean
    sigma = math.sqrt(math.log1p(cv * cv))
    mu = math.log(mean) - sigma * sigma / 2.0
    exp = math.exp
    return lambda: exp(mu + sigma * normal())


def _build_services(env: simpy.Environment, plan: SimPlan, normal: _Normals, log: DepartureLog) -> list[Any]:
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
        out.append(Timetable(env, index=si, departures=departures, capacity=capacity, travel=samplers[0], log=log))
    return out


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
    normal = _Normals(rng)
    env = simpy.Environment()
    log = DepartureLog()
    services = _build_services(env, plan, normal, log)
    leg_ship: list[int] = []
    leg_pos: list[int] = []
    leg_ready: list[float] = []
    leg_depart: list[float] = []
    leg_arrive: list[float] = []
    ship_route: list[int] = []
    ship_release: list[float] = []
    add_ship, add_pos = leg_ship.append, leg_pos.append
    add_ready, add_depart, add_arrive = leg_ready.append, leg_depart.append, leg_arrive.append
    timeout = env.timeout
    exp = math.exp

    def shipment(sid: int, legs: tuple[Leg, ...], teu: float, kg: float) -> Any:
        for pos, leg in enumerate(legs):
            ready = env.now
            if leg.service < 0:
                travel = leg.mean_h if leg.sigma == 0.0 else exp(leg.mu + leg.sigma * normal())
                yield timeout(leg.pre_h + travel)
                depart = ready + leg.pre_h
            else:
                if leg.pre_h > 0.0:
                    yield timeout(leg.pre_h)
                depart, travel = yield services[leg.service].board(leg.side, kg if leg.by_mass else teu)
                yield timeout(travel)
            add_ship(sid)
            add_pos(pos)
            add_ready(ready)
            add_depart(depart)
            add_arrive(env.now)

    def release(demand_index: int) -> Any:
        dem = plan.demands[demand_index]
        gap = 168.0 / dem.per_week
        kg = dem.tonnes * 1000.0
        t = 0.0
        k = 0
        while True:
            if dem.poisson:
                t += float(rng.exponential(gap))
            else:
                t = k * gap
                k += 1
            if t >= plan.release_h - 1e-9:
                return
            if t > env.now:
                yield timeout(t - env.now)
            if dem.shares is None:
                chosen: tuple[int, ...] = dem.routes
            else:
                u = float(rng.random())
                chosen = (
                    next(
                        (r for r, c in zip(dem.routes, dem.shares, strict=True) if u < c),
                        dem.routes[-1],
                    ),
                )
            for ri in chosen:
                legs = plan.routes[ri].legs
                for _ in range(dem.batch):
                    sid = len(ship_route)
                    ship_route.append(ri)
                    ship_release.append(env.now)
                    env.process(shipment(sid, legs, dem.teu, kg))

    for di in range(len(plan.demands)):
        env.process(release(di))
    env.run(until=plan.horizon_h)
    return ReplicationBuffers(
        leg_ship=leg_ship,
        leg_pos=leg_pos,
        leg_ready=leg_ready,
        leg_depart=leg_depart,
        leg_arrive=leg_arrive,
        ship_route=ship_route,
        ship_release=ship_release,
        departures=log,
        events=next(env._eid),  # SimPy numbers every scheduled event; the next id is the count
    )
