"""Route choice while a replication runs: which route a release takes, and re-routing.

A flow with ``split = "fastest"``, ``"cheapest"`` or ``"generalised"`` sends each release
on the route that is best *at that moment*; a flow with ``reroute = true`` lets a
shipment that stands before a closed leg switch to another of its flow's routes. Both
weigh what a forwarder can know at the time of the decision:

* each leg's expected time with no queue (node time, half a headway, mean travel);
* the cargo already queued for each service and link slot on the route (a backlog of
  ``q`` shipments' worth ahead on a service of capacity ``c`` per departure every ``h``
  hours costs ``q / c * h`` hours), and how long each node gate on the route is still
  taken by the shipments that entered it before;
* the closures *in force* at the moment of the decision and when they end (a closure or
  storm that starts later is not foreseen).

The criterion is the expected hours to the destination (fastest), the charge (cheapest,
ties broken by time), or the charge plus ``value_of_time_usd_day`` per day (generalised).
A choice costs one pass over the legs of each candidate route, once per release or per
closed leg met, never per leg travelled.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence

from corridor.costing import headway_h
from corridor.engine.services import Gate, Shuttle, Slots, Timetable, Windows
from corridor.plan import CHEAPEST, GENERALISED, SimPlan

__all__ = ["Chooser", "known_hold_h"]


def known_hold_h(windows: Windows, clock: float, now: float) -> float:
    """Hours a link closed at ``now`` still holds traffic that reaches it at ``clock``.

    Only a window in force at ``now`` counts (it started at or before ``now``); one that
    starts later is not known when the decision is made.
    """
    if not windows:
        return 0.0
    i = bisect.bisect_right(windows, (now, math.inf)) - 1
    if i >= 0:
        start, end = windows[i]
        if start <= now < end and clock < end:
            return end - clock
    return 0.0


class Chooser:
    """Scores routes for one replication from the state of its services and slots.

    Parameters
    ----------
    plan
        The prepared scenario.
    services
        The replication's service objects, by service index.
    slots
        The replication's link slots, by link index.
    closed
        Closed windows per link index.
    gates
        The replication's node gates, by node index.
    """

    def __init__(
        self,
        plan: SimPlan,
        *,
        services: Sequence[Timetable | Shuttle],
        slots: dict[int, Slots],
        closed: Sequence[Windows],
        gates: dict[int, Gate] | None = None,
    ) -> None:
        cn = plan.net
        self._plan = plan
        self._services = services
        self._slots = slots
        self._closed = closed
        self._gates = gates if gates is not None else {}
        self._headway = [
            headway_h(service, crossing_h=[cn.link_time_h[li] for li, s in enumerate(cn.link_service) if s == si])
            for si, service in enumerate(cn.services)
        ]

    def _backlog_h(self, service: int, side: int) -> float:
        obj = self._services[service]
        if isinstance(obj, Timetable):
            return obj.queued / obj.capacity * self._headway[service]
        return obj.ports[side].load / obj.capacity * self._headway[service]

    def remaining(self, route: int, position: int, now: float) -> tuple[float, float]:
        """Expected hours and charge (USD) from leg ``position`` of ``route`` to its end, at ``now``."""
        r = self._plan.routes[route]
        clock = now
        closed = self._closed
        link_from = self._plan.net.link_from
        for k in range(position, len(r.legs)):
            leg = r.legs[k]
            if leg.gate_teu_day > 0.0 and (gate := self._gates.get(link_from[leg.link])) is not None:
                clock = max(clock, gate.free_at)
            clock += leg.pre_h
            win = closed[leg.link]
            if win:
                clock += known_hold_h(win, clock, now)
            if leg.service >= 0:
                clock += self._backlog_h(leg.service, leg.side)
            elif leg.capacity > 0:
                slots = self._slots[leg.link]
                clock += len(slots.queue) / leg.capacity * leg.mean_h
            clock += r.leg_est_h[k] - leg.pre_h
        return clock - now, sum(r.leg_usd[position:])

    def best(self, routes: Sequence[int], position: int, now: float, *, choice: int, value_of_time_usd_h: float) -> int:
        """The route among ``routes`` (the first wins ties) that is best from ``position`` on.

        Parameters
        ----------
        routes
            Candidate route indices (sharing their legs before ``position``).
        position
            The leg the decision is made before (0 at release).
        now
            Simulation time of the decision.
        choice
            ``FASTEST``, ``CHEAPEST`` or ``GENERALISED`` (:mod:`corridor.plan`); anything
            else is taken as fastest.
        value_of_time_usd_h
            USD per shipment and hour, for ``GENERALISED``.
        """
        best_route = routes[0]
        best_key: tuple[float, float] = (math.inf, math.inf)
        for ri in routes:
            hours, usd = self.remaining(ri, position, now)
            if choice == CHEAPEST:
                key = (usd, hours)
            elif choice == GENERALISED:
                key = (usd + value_of_time_usd_h * hours, hours)
            else:
                key = (hours, usd)
            if key < best_key:
                best_route, best_key = ri, key
        return best_route
