"""Disruptions: closures, seasonal storms and risk events, as time windows per link.

A scenario's ``[[closures]]`` close the links of a group, a mode or a list from a start to
an end date; its ``[[storms]]`` give, per month, the daily probability that a storm starts
on a link group and the distribution of its duration. Its ``[[events]]`` are a risk-event
table in the spirit of anyLogistix's risk analysis: each event closes links or cuts the
capacity of their services (``factor`` of it left) for a drawn duration; it happens with
a probability, at a date or ``delay_days`` after another event (its cause) starts, and
only if the cause happened. Each replication draws its storms and events from its own
random stream, so the same seed gives the same weather and the same events.

The engine holds a shipment (or a vessel, or a flight) that is about to leave on a closed
link until the link reopens, and records the time lost as ``disrupted_h``; a service
whose link has a capacity cut loads at most ``factor`` of its capacity per departure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from corridor._errors import ScenarioError, did_you_mean
from corridor.costing import HOURS_PER_DAY
from corridor.engine.services import Cuts, Windows, capacity_factor, held_until
from corridor.network import CompiledNetwork
from corridor.scenario import MONTHS, Duration, Scenario

__all__ = [
    "Cuts",
    "DisruptionPlan",
    "Drawn",
    "Windows",
    "capacity_factor",
    "draw_replication",
    "held_until",
    "prepare_disruptions",
    "windows_for_replication",
]


@dataclass(frozen=True)
class EventPlan:
    """A risk event resolved to link indices; ``cause`` is the index of the event it follows."""

    id: str
    links: tuple[int, ...]
    close: bool
    factor: float
    start_h: float
    cause: int
    delay_h: float
    probability: float
    dist: str
    params: tuple[float, ...]


@dataclass(frozen=True)
class Drawn:
    """One replication's disruptions: closed windows and capacity cuts per link index."""

    closed: list[Windows]
    cuts: list[Cuts]


@dataclass(frozen=True)
class StormPlan:
    """Storms on some links: daily start probability per calendar month (1..12), duration in days."""

    links: tuple[int, ...]
    daily_probability: tuple[float, ...]
    dist: str
    params: tuple[float, ...]


@dataclass(frozen=True)
class DisruptionPlan:
    """Closures (links, start_h, end_h) and storm processes, resolved to link indices."""

    closures: tuple[tuple[tuple[int, ...], float, float], ...]
    storms: tuple[StormPlan, ...]
    start: date
    horizon_h: float
    #: Risk events, causes before their effects.
    events: tuple[EventPlan, ...] = ()

    @property
    def empty(self) -> bool:
        """True when nothing can ever be closed or cut."""
        return not self.closures and not self.storms and not self.events


def _links_of(
    cn: CompiledNetwork, *, group: str | None, mode: str | None, links: list[str] | None, file: str, where: str
) -> tuple[int, ...]:
    if links is not None:
        out = []
        for i, lid in enumerate(links):
            if lid not in cn.link_index:
                raise ScenarioError(
                    f"unknown link {lid!r}{did_you_mean(lid, cn.link_ids)}", file=file, field=f"{where}.links[{i}]"
                )
            out.append(cn.link_index[lid])
        return tuple(out)
    key, value, column = ("group", group, cn.link_group) if group is not None else ("mode", mode, cn.link_mode)
    found = tuple(i for i, v in enumerate(column) if v == value)
    if not found:
        raise ScenarioError(
            f"no link has {key} {value!r}{did_you_mean(str(value), {v for v in column if v})}",
            file=file,
            field=f"{where}.{key}",
        )
    return found


def _duration_params(duration: Duration) -> tuple[str, tuple[float, ...]]:
    if duration.dist == "fixed":
        return "fixed", (float(duration.value or 0.0),)
    if duration.dist == "exponential":
        return "exponential", (float(duration.mean or 0.0),)
    if duration.dist == "triangular":
        return "triangular", (float(duration.min or 0), float(duration.mode or 0), float(duration.max or 0))
    return "empirical", tuple(float(v) for v in duration.values or ())


def prepare_disruptions(scenario: Scenario, cn: CompiledNetwork) -> DisruptionPlan:
    """Resolve a scenario's closures and storms to link indices.

    Raises
    ------
    ScenarioError
        For an unknown group, mode or link, naming ``closures[i]`` or ``storms[i]``.
    """
    closures = []
    for i, c in enumerate(scenario.closures):
        links = _links_of(cn, group=c.group, mode=c.mode, links=c.links, file=scenario.file, where=f"closures[{i}]")
        closures.append((links, scenario.hours_since_start(c.start), scenario.hours_since_start(c.end)))
    storms = []
    for i, s in enumerate(scenario.storms):
        links = _links_of(cn, group=s.group, mode=None, links=s.links, file=scenario.file, where=f"storms[{i}]")
        dist, params = _duration_params(s.duration_days)
        storms.append(
            StormPlan(
                links=links,
                daily_probability=tuple(float(s.daily_probability.get(m, 0.0)) for m in MONTHS),
                dist=dist,
                params=params,
            )
        )
    return DisruptionPlan(
        closures=tuple(closures),
        storms=tuple(storms),
        start=scenario.start,
        horizon_h=scenario.horizon_days * HOURS_PER_DAY,
        events=_prepare_events(scenario, cn),
    )


def _prepare_events(scenario: Scenario, cn: CompiledNetwork) -> tuple[EventPlan, ...]:
    """Resolve ``[[events]]``: links, causes (ordered causes first), durations.

    Raises
    ------
    ScenarioError
        For a duplicate id, an unknown or circular ``after``, or an unknown group, mode or link.
    """
    file = scenario.file
    events = scenario.events
    index: dict[str, int] = {}
    for i, ev in enumerate(events):
        if ev.id in index:
            raise ScenarioError(
                f"duplicate event id {ev.id!r}; give each event its own id", file=file, field=f"events[{i}].id"
            )
        index[ev.id] = i
    for i, ev in enumerate(events):
        if ev.after is not None and ev.after not in index:
            raise ScenarioError(
                f"after names unknown event {ev.after!r}{did_you_mean(ev.after, index)}; name an event's id",
                file=file,
                field=f"events[{i}].after",
            )
    order: list[int] = []
    state = [0] * len(events)  # 0 new, 1 on the path, 2 done

    def visit(i: int, path: tuple[str, ...]) -> None:
        if state[i] == 2:
            return
        if state[i] == 1:
            raise ScenarioError(
                f"events cause each other in a circle ({' -> '.join((*path, events[i].id))}); remove one after",
                file=file,
                field=f"events[{i}].after",
            )
        state[i] = 1
        after = events[i].after
        if after is not None:
            visit(index[after], (*path, events[i].id))
        state[i] = 2
        order.append(i)

    for i in range(len(events)):
        visit(i, ())
    position = {i: k for k, i in enumerate(order)}
    out = []
    for i in order:
        ev = events[i]
        links = _links_of(cn, group=ev.group, mode=ev.mode, links=ev.links, file=file, where=f"events[{i}]")
        dist, params = _duration_params(ev.duration_days)
        out.append(
            EventPlan(
                id=ev.id,
                links=links,
                close=ev.effect == "close",
                factor=1.0 if ev.factor is None else float(ev.factor),
                start_h=scenario.hours_since_start(ev.start) if ev.start is not None else 0.0,
                cause=-1 if ev.after is None else position[index[ev.after]],
                delay_h=ev.delay_days * HOURS_PER_DAY,
                probability=ev.probability,
                dist=dist,
                params=params,
            )
        )
    return tuple(out)


def _draw_days(storm: StormPlan | EventPlan, rng: np.random.Generator) -> float:
    if storm.dist == "fixed":
        return storm.params[0]
    if storm.dist == "exponential":
        return float(rng.exponential(storm.params[0]))
    if storm.dist == "triangular":
        lo, mode, hi = storm.params
        return float(rng.triangular(lo, mode, hi))
    return float(storm.params[int(rng.integers(len(storm.params)))])


def windows_for_replication(plan: DisruptionPlan, n_links: int, rng: np.random.Generator) -> list[Windows]:
    """Closed windows ``(start_h, end_h)`` per link index, sorted and merged, for one replication.

    Storm days are drawn day by day: on day ``d`` a storm starts with the probability of
    that calendar month, at a uniform hour, and lasts a drawn number of days.
    """
    return draw_replication(plan, n_links, rng).closed


def draw_replication(plan: DisruptionPlan, n_links: int, rng: np.random.Generator) -> Drawn:
    """One replication's closed windows and capacity cuts per link index.

    Storms are drawn first (as :func:`windows_for_replication` describes), then the
    events, causes first: an event happens with its probability (if it follows a cause,
    only when the cause happened), starts at its date or ``delay_days`` after its cause
    starts, and lasts a drawn number of days.
    """
    raw: list[list[tuple[float, float]]] = [[] for _ in range(n_links)]
    cuts: list[list[tuple[float, float, float]]] = [[] for _ in range(n_links)]
    for links, start_h, end_h in plan.closures:
        for li in links:
            raw[li].append((start_h, end_h))
    days = int(plan.horizon_h // HOURS_PER_DAY) + 1
    months = [(plan.start + timedelta(days=d)).month - 1 for d in range(days)]
    for storm in plan.storms:
        prob = np.asarray([storm.daily_probability[m] for m in months])
        starts = np.flatnonzero(rng.random(days) < prob)
        hours = rng.random(len(starts)) * HOURS_PER_DAY
        for day, hour in zip(starts, hours, strict=True):
            begin = float(day) * HOURS_PER_DAY + float(hour)
            window = (begin, begin + HOURS_PER_DAY * _draw_days(storm, rng))
            for li in storm.links:
                raw[li].append(window)
    started: list[float | None] = []
    for ev in plan.events:
        cause = started[ev.cause] if ev.cause >= 0 else ev.start_h
        happens = cause is not None and (ev.probability >= 1.0 or rng.random() < ev.probability)
        if cause is None or not happens:
            started.append(None)
            continue
        begin = cause + ev.delay_h
        end = begin + HOURS_PER_DAY * _draw_days(ev, rng)
        started.append(begin)
        for li in ev.links:
            if ev.close:
                raw[li].append((begin, end))
            else:
                cuts[li].append((begin, end, ev.factor))
    return Drawn(closed=[_merge(w) for w in raw], cuts=[tuple(sorted(c)) for c in cuts])


def _merge(windows: list[tuple[float, float]]) -> Windows:
    out: list[tuple[float, float]] = []
    for start, end in sorted(windows):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return tuple(out)
