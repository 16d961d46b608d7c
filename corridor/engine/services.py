"""Timetabled and on-demand services for the SimPy engine.

Two kinds, both FIFO with a capacity per departure:

* :class:`Timetable`: departures at fixed times (a weekly flight on given weekdays, or a
  feeder every ``interval_h`` hours). Cargo that does not fit waits for the next one.
* :class:`Shuttle`: vessels that sail between two ports when full or after a maximum
  wait at berth (Caspian feeders and Ro-Pax ferries). Vessels queue for the berth, sail,
  spend ``port_time_h`` in port on arrival, then load for the way back. Too few vessels
  therefore produce queues.

A shipment calls ``board(side, amount)`` and gets an event that fires when the departure
it boarded *arrives*, with ``(depart_h, travel_h)``: one event per shipment and
service leg rather than one at departure and a timeout for the crossing. Every
departure is logged (service, side, time, load, capacity) so capacity can be checked
from the records.

:class:`Slots` is the FIFO resource of a continuous link with a ``capacity``;
:class:`Gate` the FIFO gate of a node with a ``capacity_teu_day``.

Every queue is a :class:`collections.deque` and no operation walks it, so a queue of
100 000 shipments costs the same per shipment as a queue of ten.
"""

from __future__ import annotations

import bisect
import math
from array import array
from collections import deque
from collections.abc import Callable, Collection, Iterator
from typing import Any

import simpy

from corridor.costing import HOURS_PER_DAY

__all__ = [
    "Cuts",
    "DepartureLog",
    "Gate",
    "Ride",
    "Shuttle",
    "Slots",
    "Timetable",
    "capacity_factor",
    "interval_departures",
    "weekly_departures",
]


class DepartureLog:
    """Columnar log of departures: service, side, depart_h, load, capacity, travel_h, held_h.

    Machine numbers (:class:`array.array`), so a replication's log pickles to a worker's
    parent as a few byte strings rather than as one object per value.
    """

    __slots__ = ("capacity", "depart_h", "held_h", "load", "service", "side", "travel_h")

    def __init__(self) -> None:
        self.service: array[int] = array("q")
        self.side: array[int] = array("q")
        self.depart_h: array[float] = array("d")
        self.load: array[float] = array("d")
        self.capacity: array[float] = array("d")
        self.travel_h: array[float] = array("d")
        self.held_h: array[float] = array("d")

    def add(
        self, service: int, side: int, t: float, load: float, capacity: float, travel: float, held: float = 0.0
    ) -> None:
        """Append one departure (``held``: hours it was held by a closed link)."""
        self.service.append(service)
        self.side.append(side)
        self.depart_h.append(t)
        self.load.append(load)
        self.capacity.append(capacity)
        self.travel_h.append(travel)
        self.held_h.append(held)


#: Closed windows of a link, ``(start_h, end_h)``, sorted and not overlapping.
Windows = tuple[tuple[float, float], ...]


def held_until(windows: Windows, t: float) -> float:
    """The first time at or after ``t`` when the link is open (``t`` itself if it is open)."""
    if not windows:
        return t
    i = bisect.bisect_right(windows, (t, math.inf)) - 1
    if i >= 0 and windows[i][0] <= t < windows[i][1]:
        return windows[i][1]
    return t


#: Capacity cuts of a link, ``(start_h, end_h, factor)``, sorted by start.
Cuts = tuple[tuple[float, float, float], ...]


def capacity_factor(cuts: Cuts, t: float) -> float:
    """The share of capacity left at ``t`` (the smallest factor of the cuts in force; 1 if none)."""
    factor = 1.0
    for start, end, f in cuts:
        if start > t:
            break
        if t < end and f < factor:
            factor = f
    return factor


def weekly_departures(*, weekdays: Collection[int], hour: float, start_weekday: int) -> Iterator[float]:
    """Departure times (hours since the scenario start) of a weekly timetable.

    Parameters
    ----------
    weekdays
        Departure days, Monday = 0 (:func:`corridor.costing.parse_weekdays`).
    hour
        Departure hour of day.
    start_weekday
        Weekday of the scenario start (0 = Monday).
    """
    days = set(weekdays)
    day = 0
    while True:
        if (start_weekday + day) % 7 in days:
            yield day * HOURS_PER_DAY + hour
        day += 1


def interval_departures(*, first: float, interval: float) -> Iterator[float]:
    """Departure times every ``interval`` hours from ``first``."""
    k = 0
    while True:
        yield first + k * interval
        k += 1


def _load(queue: deque[tuple[float, Ride]], capacity: float, now: float, travel: float, held: float = 0.0) -> float:
    """Board FIFO up to capacity (no overtaking) and return the load.

    O(boarded): the queue is a deque and nothing scans what stays behind, so long queues
    cost no more per departure than short ones.
    """
    loaded = 0.0
    while queue and loaded + queue[0][0] <= capacity + 1e-9:
        amount, ev = queue.popleft()
        loaded += amount
        ev.depart(now, travel, held)
    return loaded


class Timetable:
    """A service with departures at fixed times and a capacity per departure."""

    def __init__(
        self,
        env: simpy.Environment,
        *,
        index: int,
        departures: Iterator[float],
        capacity: float,
        travel: Callable[[], float],
        log: DepartureLog,
        closed: Windows = (),
        cuts: Cuts = (),
    ) -> None:
        self.env = env
        self.index = index
        self.capacity = capacity
        self.travel = travel
        self.log = log
        self.closed = closed
        self.cuts = cuts
        self.queue: deque[tuple[float, Ride]] = deque()
        self.queued = 0.0  # amount waiting in the queue
        env.process(self._run(departures))

    def board(self, side: int, amount: float) -> Ride:
        """Queue ``amount`` for the next departure with room; fires on its arrival."""
        ev = Ride(self.env)
        self.queue.append((amount, ev))
        self.queued += amount
        return ev

    def _run(self, departures: Iterator[float]) -> Any:
        env = self.env
        for t in departures:
            if t > env.now:
                yield env.timeout(t - env.now)
            elif t < env.now:
                continue
            held = held_until(self.closed, env.now) - env.now if self.closed else 0.0
            if held > 0.0:  # the link is closed: this departure waits for the reopening
                yield env.timeout(held)
            travel = self.travel()
            cap = self.capacity * capacity_factor(self.cuts, env.now) if self.cuts else self.capacity
            loaded = _load(self.queue, cap, env.now, travel, held)
            self.queued -= loaded
            self.log.add(self.index, 0, env.now, loaded, cap, travel, held)


class _Port:
    __slots__ = ("load", "queue", "vessels")

    def __init__(self) -> None:
        self.queue: deque[tuple[float, Ride]] = deque()
        self.load = 0.0
        self.vessels: deque[simpy.Event] = deque()


class Shuttle:
    """Vessels shuttling between two ports; each sails when full or after a maximum wait.

    Vessels waiting at a port are served in arrival order: cargo fills the first one;
    each leaves when full or ``max_wait_h`` after it arrived, with whatever it holds
    (possibly nothing: it repositions empty).
    """

    def __init__(
        self,
        env: simpy.Environment,
        *,
        index: int,
        vessels: int,
        capacity: float,
        max_wait_h: float,
        port_time_h: float,
        travel: tuple[Callable[[], float], Callable[[], float]],
        log: DepartureLog,
        closed: tuple[Windows, Windows] = ((), ()),
        cuts: tuple[Cuts, Cuts] = ((), ()),
    ) -> None:
        self.env = env
        self.index = index
        self.capacity = capacity
        self.cuts = cuts
        self.max_wait_h = max_wait_h
        self.port_time_h = port_time_h
        self.travel = travel
        self.log = log
        self.closed = closed
        self.ports = (_Port(), _Port())
        for v in range(vessels):
            env.process(self._vessel(v % 2))

    def board(self, side: int, amount: float) -> Ride:
        """Queue ``amount`` at port ``side`` (0 or 1); fires when its vessel arrives."""
        ev = Ride(self.env)
        port = self.ports[side]
        port.queue.append((amount, ev))
        port.load += amount
        if port.vessels and port.load >= self._capacity(side) - 1e-9:
            port.vessels.popleft().succeed()
        return ev

    def _capacity(self, side: int) -> float:
        """Capacity per sailing from port ``side`` now (less while a capacity cut is in force)."""
        cuts = self.cuts[side]
        return self.capacity * capacity_factor(cuts, self.env.now) if cuts else self.capacity

    def _vessel(self, side: int) -> Any:
        env = self.env
        while True:
            port = self.ports[side]
            if port.load < self._capacity(side) - 1e-9:
                full = env.event()
                port.vessels.append(full)
                yield full | env.timeout(self.max_wait_h)
                if not full.triggered:
                    port.vessels.remove(full)
            closed = self.closed[side]
            held = held_until(closed, env.now) - env.now if closed else 0.0
            if held > 0.0:  # a storm or closure: the vessel stays in port until the crossing reopens
                yield env.timeout(held)
            travel = self.travel[side]()
            cap = self._capacity(side)
            loaded = _load(port.queue, cap, env.now, travel, held)
            port.load -= loaded
            self.log.add(self.index, side, env.now, loaded, cap, travel, held)
            if port.vessels and port.load >= cap - 1e-9:
                port.vessels.popleft().succeed()
            yield env.timeout(travel + self.port_time_h)
            side = 1 - side


class Slots:
    """A FIFO resource: ``capacity`` slots, served first come, first served.

    Unlike :class:`simpy.Resource` (whose queue is a list it pops from the front), the
    queue is a deque, and a free slot is taken without scheduling an event.

    Parameters
    ----------
    env
        The environment.
    capacity
        Number of slots.
    """

    __slots__ = ("_env", "free", "queue")

    def __init__(self, env: simpy.Environment, *, capacity: int) -> None:
        self._env = env
        self.free = capacity
        self.queue: deque[simpy.Event] = deque()

    def request(self) -> simpy.Event | None:
        """Take a slot: ``None`` if one is free now, else an event that fires when it is yours."""
        if self.free > 0:
            self.free -= 1
            return None
        ev = simpy.Event(self._env)
        self.queue.append(ev)
        return ev

    def release(self) -> None:
        """Give a slot back; the longest-waiting request gets it at once."""
        if self.queue:
            self.queue.popleft().succeed()
        else:
            self.free += 1


class Gate:
    """A node's FIFO gate: one shipment at a time, each holding it for a time of its own.

    A shipment that reaches the node at ``t`` enters the gate at ``max(t, free_at)`` and
    holds it ``hold`` hours (24 · TEU / capacity per day); the next one may enter when it
    is free again. The shipment itself moves on as soon as it enters: the gate spaces
    shipments out, it does not add its hold to their time. Shipments reach :meth:`enter`
    in simulation order, so entry times never decrease: first in, first out, with no
    queue to store and no event to schedule (O(1) per shipment).
    """

    __slots__ = ("free_at",)

    def __init__(self) -> None:
        self.free_at = 0.0

    def enter(self, t: float, hold: float) -> float:
        """Enter at the earliest free moment at or after ``t``; return the hours waited."""
        start = self.free_at
        if start <= t:
            self.free_at = t + hold
            return 0.0
        self.free_at = start + hold
        return start - t


class Ride(simpy.Event):
    """A boarded shipment's event: fires on arrival, ``travel`` hours after departure."""

    __slots__ = ()

    def depart(self, now: float, travel: float, held: float = 0.0) -> None:
        """Schedule the arrival with value ``(now, travel, held)``."""
        # as simpy.Timeout does: triggered now, processed after the delay (saves an event
        # per service leg on the baseline, benchmarks/end_to_end.py)
        self._ok = True
        self._value = (now, travel, held)
        self.env.schedule(self, delay=travel)
