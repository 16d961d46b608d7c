"""Record keeping of one replication: columnar buffers of machine numbers.

Each shipment owns one slot per leg of its route, in release order; a leg writes its
arrival time (and its departure time where it had to wait) when it is done. Everything
that follows from the route alone (ready time, node, mode, distance, cost, CO2) is added
when the frames are built (:mod:`corridor.results.builder`), not on the hot path.

:class:`Recorder` is the one place that opens a shipment's slots (at release) and moves
them (when a shipment re-routes); :meth:`Recorder.buffers` hands the columns over as
:class:`ReplicationBuffers`, each shipment's slots back in release order.
"""

from __future__ import annotations

import math
from array import array
from dataclasses import dataclass
from typing import cast

import numpy as np

from corridor.engine.services import DepartureLog

__all__ = ["Recorder", "ReplicationBuffers"]


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


class Recorder:
    """The leg and shipment columns of one replication while it runs.

    Parameters
    ----------
    route_legs
        Number of legs of each route (by route index).
    disrupted, gated, drawn
        Whether to keep the optional columns: hours held by closures, gate waits,
        handling and border times drawn.

    Attributes
    ----------
    depart, arrive, disrupted, gate, handling, border
        Leg columns (one slot per leg of each shipment's route); the optional ones are
        ``None`` when not kept. The engine writes them at a leg's slot.
    """

    __slots__ = (
        "_blank",
        "_columns",
        "_n_legs",
        "_zero",
        "arrive",
        "border",
        "depart",
        "disrupted",
        "gate",
        "handling",
        "moved",
        "ship_base",
        "ship_release",
        "ship_route",
    )

    def __init__(self, route_legs: list[int], *, disrupted: bool, gated: bool, drawn: bool) -> None:
        self._n_legs = route_legs
        self._blank = [array("d", [math.nan]) * n for n in route_legs]
        self._zero = [array("d", [0.0]) * n for n in route_legs]
        self.depart: array[float] = array("d")
        self.arrive: array[float] = array("d")
        self.disrupted: array[float] | None = array("d") if disrupted else None
        self.gate: array[float] | None = array("d") if gated else None
        self.handling: array[float] | None = array("d") if drawn else None
        self.border: array[float] | None = array("d") if drawn else None
        self.ship_route: array[int] = array("q")
        self.ship_base: array[int] = array("q")  # each shipment's first leg slot
        self.ship_release: array[float] = array("d")
        self.moved: list[int] = []  # shipments that re-routed (their slots moved to the end)
        blank, zero = self._blank, self._zero
        fills = ((self.arrive, blank), (self.depart, blank), (self.disrupted, zero), (self.gate, zero))
        self._columns = [
            (col, fill) for col, fill in (*fills, (self.handling, blank), (self.border, blank)) if col is not None
        ]

    def _append(self, route: int) -> int:
        """Open blank slots for the legs of ``route`` at the end; return the first one."""
        base = len(self.arrive)
        for col, fills in self._columns:
            col.extend(fills[route])
        return base

    def release(self, route: int, now: float) -> tuple[int, int]:
        """A shipment released at ``now`` on ``route``: ``(shipment, first leg slot)``."""
        base = self._append(route)
        self.ship_base.append(base)
        self.ship_route.append(route)
        self.ship_release.append(now)
        return len(self.ship_route) - 1, base

    def reroute(self, shipment: int, slot: int, done: int, route: int) -> int:
        """Move ``shipment``, at leg slot ``slot`` after ``done`` legs, to ``route``; return its new slot.

        It gets fresh slots for ``route`` at the end, keeps the records of the legs done,
        and leaves its old slots behind (dropped by :meth:`buffers`).
        """
        old = slot - done
        base = self._append(route)
        for col in (self.arrive, self.depart, self.disrupted, self.gate, self.handling, self.border):
            if col is not None:
                col[base : base + done] = col[old:slot]
        self.ship_route[shipment] = route
        self.ship_base[shipment] = base
        self.moved.append(shipment)
        return base + done

    def buffers(self, departures: DepartureLog, *, events: int) -> ReplicationBuffers:
        """The columns as :class:`ReplicationBuffers`, each shipment's slots in release order."""
        columns = [self.depart, self.arrive, self.disrupted, self.gate, self.handling, self.border]
        if self.moved:
            columns = self._compact(columns)
        depart, arrive, disrupted, gate, handling, border = columns
        return ReplicationBuffers(
            ship_route=self.ship_route,
            ship_release=self.ship_release,
            leg_depart=cast("array[float]", depart),
            leg_arrive=cast("array[float]", arrive),
            leg_disrupted=disrupted,
            departures=departures,
            events=events,
            leg_gate=gate,
            leg_handling=handling,
            leg_border=border,
        )

    def _compact(self, columns: list[array[float] | None]) -> list[array[float] | None]:
        """The leg columns with each shipment's slots from ``ship_base`` on, in release order.

        Re-routed shipments left their old slots behind and wrote new ones at the end; this
        restores the layout :class:`ReplicationBuffers` promises (and drops the old slots).
        """
        n_legs = np.asarray(self._n_legs, dtype=np.int64)
        lengths = n_legs[np.frombuffer(self.ship_route, dtype=np.int64)]
        starts = np.cumsum(lengths) - lengths
        index = np.arange(int(lengths.sum()), dtype=np.int64)
        index += np.repeat(np.frombuffer(self.ship_base, dtype=np.int64) - starts, lengths)

        def gather(col: array[float]) -> array[float]:
            return array("d", np.frombuffer(col, dtype=float)[index].tobytes())

        return [None if col is None else gather(col) for col in columns]
