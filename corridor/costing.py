"""The rules of a stop and a leg: time and charge at a node, tariffs, expected waits, units.

Each rule is written here once and used by every part that needs it: the engine's legs
(:mod:`corridor.plan`, :mod:`corridor.engine`), the route estimates and route finding
(:mod:`corridor.routes`), route choice while a replication runs
(:mod:`corridor.engine.choice`), the CPMM indicators (:mod:`corridor.results.cpmm`) and
the reports.

* **At a node** (:func:`node_stops`, :func:`node_time_and_cost`): a shipment that arrives
  on one link and leaves on another spends transshipment handling where the mode or the
  service changes, a gauge change where a rail shipment changes gauge, and border
  clearance at a border node; each with its charge per FEU. Nothing at the origin.
* **On a link** (:func:`link_charge_usd`, :func:`link_co2_kg`): flat and per-km tariffs
  per FEU, plus a tariff per kg (air); CO2 from tonne-km and the link's factor.
* **A leg's estimate** (:func:`leg_estimate`): the above with the mean travel time and
  the expected wait for a service, as the route table and route choice read a leg.
* **Waiting for a service** (:func:`headway_h`, :func:`expected_wait_h`): hours between
  departures, and the mean wait with no queue.
* **Random times** (:func:`lognormal_params`): a lognormal's ``mu`` and ``sigma`` from
  its mean and coefficient of variation.
* **Units**: hours per day and week, TEU per FEU, kg per tonne, the 20-t load.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from corridor.compiled import CompiledNetwork, Service

__all__ = [
    "FEU_KG",
    "FEU_TONNES",
    "HOURS_PER_DAY",
    "HOURS_PER_WEEK",
    "KG_PER_TONNE",
    "TEU_PER_FEU",
    "WEEKDAYS",
    "LegEstimate",
    "NodeStop",
    "border_time_and_charge",
    "expected_wait_h",
    "headway_h",
    "leg_estimate",
    "link_charge_usd",
    "link_co2_kg",
    "lognormal_params",
    "node_stops",
    "node_time_and_cost",
    "parse_weekdays",
]

#: Hours in a day and in a week (the simulation clock runs in hours).
HOURS_PER_DAY = 24.0
HOURS_PER_WEEK = 7 * HOURS_PER_DAY
#: A forty-foot box is two twenty-foot units.
TEU_PER_FEU = 2.0
KG_PER_TONNE = 1000.0
#: The load of one FEU for per-kg tariffs and CO2 per FEU: CPMM's 20-t normalisation unit.
FEU_TONNES = 20.0
FEU_KG = FEU_TONNES * KG_PER_TONNE
#: Weekday names as timetables write them (Monday = 0, as :meth:`datetime.date.weekday`).
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_weekdays(text: str | None) -> tuple[int, ...]:
    """The weekdays of a timetable, as ``"mon;thu"`` writes them: sorted numbers, Monday = 0.

    Raises
    ------
    ValueError
        If a name is not a weekday or no day is given.

    Examples
    --------
    >>> parse_weekdays("Thu; mon")
    (0, 3)
    """
    names = [d.strip().lower() for d in str(text or "").split(";") if d.strip()]
    bad = [d for d in names if d not in WEEKDAYS]
    if not names or bad:
        raise ValueError(f"give departure days as e.g. 'mon;thu' (got {text!r})")
    return tuple(sorted({WEEKDAYS.index(d) for d in names}))


def lognormal_params(mean: float, cv: float) -> tuple[float, float]:
    """``(mu, sigma)`` of a lognormal with the given mean and coefficient of variation.

    Examples
    --------
    >>> mu, sigma = lognormal_params(10.0, 0.2)
    >>> round(math.exp(mu + sigma**2 / 2), 9)
    10.0
    """
    sigma2 = math.log1p(cv * cv)
    return math.log(mean) - sigma2 / 2.0, math.sqrt(sigma2)


class NodeStop(NamedTuple):
    """What a shipment spends at the start node of a leg: hours and the charge per FEU."""

    handling_h: float
    border_h: float
    usd_per_feu: float


def node_stops(cn: CompiledNetwork, prev: int | None, link: int) -> tuple[bool, bool, bool]:
    """Which node times a shipment spends at the start node of ``link`` when it arrives on ``prev``.

    Transshipment handling where the mode or the service changes, a gauge change where a
    rail shipment changes gauge, and clearance at a border node; nothing at the origin
    (``prev`` is ``None``).

    Returns
    -------
    tuple
        ``(handling, gauge_change, border)``.
    """
    if prev is None:
        return False, False, False
    node = cn.link_from[link]
    handling = cn.link_mode[prev] != cn.link_mode[link] or cn.link_service[prev] != cn.link_service[link]
    g0, g1 = cn.link_gauge_mm[prev], cn.link_gauge_mm[link]
    gauge = cn.link_mode[prev] == cn.link_mode[link] == "rail" and g0 == g0 and g1 == g1 and g0 != g1
    return handling, gauge, cn.node_kind[node] == "border"


def border_time_and_charge(cn: CompiledNetwork, node: int) -> tuple[float, float]:
    """Clearance hours (mean) and charge per FEU of crossing ``node``; ``(0, 0)`` where it is no border."""
    if cn.node_kind[node] != "border":
        return 0.0, 0.0
    return cn.node_border_h[node], cn.node_border_usd[node]


def node_time_and_cost(cn: CompiledNetwork, prev: int | None, link: int) -> NodeStop:
    """What a shipment spends at the start node of ``link`` when it arrives on ``prev``.

    The node times of :func:`node_stops` (means, where they are random) and their
    charges per FEU: the border's charge (:func:`border_time_and_charge`) plus the
    transshipment's or the gauge change's, whichever happens. The charge at a border
    crossing is this sum whatever happens there: the CPMM's TFI2 (cost at the crossing,
    loading and unloading included) is this figure too.
    """
    node = cn.link_from[link]
    handling = border = usd = 0.0
    has_handling, has_gauge, has_border = node_stops(cn, prev, link)
    if has_handling:
        handling += cn.node_handling_h[node]
        usd += cn.node_handling_usd[node]
    if has_gauge:
        handling += cn.node_gauge_change_h[node]
        usd += cn.node_gauge_change_usd[node]
    if has_border:
        border, charge = border_time_and_charge(cn, node)
        usd += charge
    return NodeStop(handling, border, usd)


def link_charge_usd(cn: CompiledNetwork, link: int, *, feu: float, kg: float) -> float:
    """The link's tariffs for ``feu`` FEU weighing ``kg`` kg: flat and per km per FEU, plus per kg."""
    per_feu = cn.link_tariff_usd_feu[link] + cn.link_tariff_usd_feu_km[link] * cn.link_length_km[link]
    return per_feu * feu + cn.link_tariff_usd_kg[link] * kg


def headway_h(service: Service, *, crossing_h: Sequence[float] = ()) -> float:
    """Hours between departures of a service.

    Weekly: a week over the number of departure days; interval: ``interval_h``;
    when-full vessels: a round trip (``crossing_h``, the mean travel time of the
    service's links, plus ``port_time_h`` at each end) shared by the fleet.
    """
    if service.kind == "weekly":
        return HOURS_PER_WEEK / max(len(service.weekdays), 1)
    if service.kind == "interval":
        return service.interval_h
    cycle = sum(crossing_h) + 2.0 * service.port_time_h
    return cycle / max(service.vessels, 1)


def expected_wait_h(service: Service) -> float:
    """Mean wait for a departure with no queue: half the headway (when-full vessels: half the longest wait)."""
    if service.kind == "when_full":
        return service.max_wait_h / 2.0
    return headway_h(service) / 2.0


def link_co2_kg(cn: CompiledNetwork, link: int, *, tonnes: float) -> float:
    """kg CO2e of carrying ``tonnes`` over the link (its length times its factor in g per tonne-km)."""
    return tonnes * cn.link_length_km[link] * cn.link_co2_g_tkm[link] / KG_PER_TONNE


class LegEstimate(NamedTuple):
    """A leg's static estimate for one shipment: hours by part, the charge (USD) and CO2 (kg).

    ``stop_usd`` is the start node's part of ``usd`` (:func:`node_time_and_cost` times
    the FEU); ``hours`` the sum of the four times.
    """

    handling_h: float
    border_h: float
    wait_h: float
    travel_h: float
    usd: float
    stop_usd: float
    co2_kg: float

    @property
    def hours(self) -> float:
        """Expected hours of the leg with no queue and no closure."""
        return self.handling_h + self.border_h + self.wait_h + self.travel_h


def leg_estimate(cn: CompiledNetwork, prev: int | None, link: int, *, feu: float, tonnes: float) -> LegEstimate:
    """The expected time, charge and CO2 of ``link`` for a shipment of ``feu`` FEU and ``tonnes`` arriving on ``prev``.

    Node time and charge (:func:`node_time_and_cost`), the expected wait for the link's
    service (:func:`expected_wait_h`, none on a continuous link), the mean travel time,
    the link's tariffs (:func:`link_charge_usd`) and CO2 (:func:`link_co2_kg`). No queue,
    no variability, no closure: what the route table shows and route choice starts from.
    """
    stop = node_time_and_cost(cn, prev, link)
    svc = cn.link_service[link]
    wait = expected_wait_h(cn.services[svc]) if svc >= 0 else 0.0
    stop_usd = stop.usd_per_feu * feu
    return LegEstimate(
        handling_h=stop.handling_h,
        border_h=stop.border_h,
        wait_h=wait,
        travel_h=cn.link_time_h[link],
        usd=link_charge_usd(cn, link, feu=feu, kg=tonnes * KG_PER_TONNE) + stop_usd,
        stop_usd=stop_usd,
        co2_kg=link_co2_kg(cn, link, tonnes=tonnes),
    )
