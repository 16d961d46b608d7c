"""The rules of a stop and a leg: time and charge at a node, tariffs, expected waits, units.

Each rule is written here once and used by every part that needs it: the engine's legs
(:mod:`corridor.plan`, :mod:`corridor.engine`), the route estimates and route finding
(:mod:`corridor.routes`), route choice while a replication runs
(:mod:`corridor.engine.choice`), the CPMM indicators (:mod:`corridor.results.cpmm`) and
the reports.

* **At a node** (:func:`node_stops`, :func:`node_time_and_cost`, :func:`end_time_and_cost`):
  a shipment that arrives on one link and leaves on another spends transshipment
  handling and yard dwell where the mode or the service changes, a gauge change where a
  rail shipment changes gauge, and border clearance where it crosses a border
  (:func:`crosses_border`: at a node of any kind); each with its charge per FEU. The
  handling charge is the terminal handling (THC) of an import or export move, or, where
  the box goes from one vessel service to another (liner to feeder under one through bill
  of lading), the node's transshipment charge (:func:`handling_charge_usd`). At its
  origin: the origin dwell and clearance if it leaves the country; at its destination:
  clearance if it enters from abroad and the destination dwell.
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
    "VESSEL_MODES",
    "WEEKDAYS",
    "LegEstimate",
    "NodeStop",
    "Stops",
    "border_time_and_charge",
    "crosses_border",
    "end_time_and_cost",
    "expected_wait_h",
    "handling_charge_usd",
    "headway_h",
    "leg_estimate",
    "link_charge_usd",
    "link_co2_kg",
    "link_crossing",
    "lognormal_params",
    "node_charges_usd",
    "node_stops",
    "node_time_and_cost",
    "parse_weekdays",
    "service_amount",
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
    """What a shipment spends at a node: hours (means, where they are random) and the charge per FEU."""

    handling_h: float
    border_h: float
    usd_per_feu: float
    dwell_h: float = 0.0

    @property
    def hours(self) -> float:
        """All hours at the node."""
        return self.handling_h + self.border_h + self.dwell_h


class Stops(NamedTuple):
    """Which node times a shipment spends at the start node of a leg (see :func:`node_stops`).

    ``transship``: the handling is a vessel-to-vessel transshipment (both legs by sea, on
    different services), charged at the node's transshipment rate, not its THC.
    """

    handling: bool
    gauge_change: bool
    border: bool
    dwell: bool
    origin_dwell: bool
    transship: bool = False


#: Modes whose legs are vessel services: a box moved from one to another of them is transshipped.
VESSEL_MODES = frozenset(["sea"])


#: Members of the European Union's customs union among the network's countries: goods move
#: between them without customs formalities at the internal borders (Union Customs Code,
#: Regulation (EU) No 952/2013), so a link between two of them is no border crossing.
#: Other unions (the Eurasian Economic Union) keep rail border formalities and stay crossings.
EU_CUSTOMS_UNION = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)


def customs_territory(country: str) -> str:
    """The customs territory of a country (ISO code): ``"EU"`` for the EU's members, else the country itself."""
    return "EU" if country in EU_CUSTOMS_UNION else country


def across(kind: str, country: str, other_kind: str, other_country: str) -> bool:
    """Whether a link between a node (``kind``, ``country``) and another one is a crossing at the first.

    It is where the two are in different customs territories (:func:`customs_territory`),
    unless the other node is a border crossing itself (kind ``border``: the formalities
    are spent there) or the first is a waypoint at sea (a waypoint has none).
    """
    if kind == "waypoint" or other_kind == "border":
        return False
    return customs_territory(country) != customs_territory(other_country)


def crosses_border(cn: CompiledNetwork, node: int, prev: int | None, nxt: int | None) -> bool:
    """Whether a shipment that arrives at ``node`` on link ``prev`` and leaves on ``nxt`` crosses a border there.

    The rule of border formalities, at a node of any kind: the shipment passes a border
    crossing (kind ``border``, arriving and leaving), or arrives from, or leaves for,
    another customs territory (:func:`across`) on a link that does not end at a border
    node. ``None``: the shipment starts (``prev``) or ends (``nxt``) here; a shipment that
    starts or ends at a border node crosses there only if its link leads abroad. Never at a waypoint (a point at
    sea such as Suez); a port reached from or left for a waypoint abroad crosses (import
    or export formalities). A link between two countries with no border node on it thus
    costs the border time of both ends: exit formalities at one, entry at the other.
    """
    kind = cn.node_kind[node]
    if kind == "border" and prev is not None and nxt is not None:
        return True
    country = cn.node_country[node]
    for other in (cn.link_from[prev] if prev is not None else -1, cn.link_to[nxt] if nxt is not None else -1):
        if other >= 0 and across(kind, country, cn.node_kind[other], cn.node_country[other]):
            return True
    return False


def node_stops(cn: CompiledNetwork, prev: int | None, link: int) -> Stops:
    """Which node times a shipment spends at the start node of ``link`` when it arrives on ``prev``.

    Transshipment handling and yard dwell where the mode or the service changes (a
    vessel-to-vessel transshipment where both legs are by sea), a gauge change where a
    rail shipment changes gauge, clearance where it crosses a border
    (:func:`crosses_border`), and the origin dwell where it starts (``prev`` is ``None``;
    then no handling, gauge change or yard dwell).
    """
    node = cn.link_from[link]
    border = crosses_border(cn, node, prev, link)
    if prev is None:
        return Stops(handling=False, gauge_change=False, border=border, dwell=False, origin_dwell=True)
    handling = cn.link_mode[prev] != cn.link_mode[link] or cn.link_service[prev] != cn.link_service[link]
    g0, g1 = cn.link_gauge_mm[prev], cn.link_gauge_mm[link]
    gauge = cn.link_mode[prev] == cn.link_mode[link] == "rail" and g0 == g0 and g1 == g1 and g0 != g1
    transship = handling and cn.link_mode[prev] in VESSEL_MODES and cn.link_mode[link] in VESSEL_MODES
    return Stops(
        handling=handling, gauge_change=gauge, border=border, dwell=handling, origin_dwell=False, transship=transship
    )


def handling_charge_usd(cn: CompiledNetwork, node: int, stops: Stops) -> float:
    """The handling charge per FEU at ``node``: transshipment, gauge change, or none, as ``stops`` says.

    A box lifted between modes or onto another train pays the node's terminal handling
    (THC, ``handling_usd``: an import or export move); one moved from a vessel to another
    vessel's service (``stops.transship``) pays the transshipment charge
    (``transship_usd``), which a through ocean rate usually includes (0). A gauge change
    adds its own charge.
    """
    usd = 0.0
    if stops.handling:
        usd += cn.node_transship_usd[node] if stops.transship else cn.node_handling_usd[node]
    if stops.gauge_change:
        usd += cn.node_gauge_change_usd[node]
    return usd


def border_time_and_charge(cn: CompiledNetwork, node: int) -> tuple[float, float]:
    """Clearance hours (mean) and charge per FEU at ``node``, for a shipment that crosses a border there."""
    return cn.node_border_h[node], cn.node_border_usd[node]


def link_crossing(cn: CompiledNetwork, link: int) -> tuple[float, float]:
    """Clearance hours (means) and charge per FEU that route finding adds to ``link``.

    Entry at its end node where a shipment arriving on it crosses there
    (:func:`crosses_border`), and exit at its start node where the link leaves that
    node's customs territory (:func:`across`; a border node is counted once, on entry). Route finding weighs
    links one by one, so the rule cannot see the next link: the engine's
    :func:`node_time_and_cost` is exact, this is its per-link share.
    """
    u, v = cn.link_from[link], cn.link_to[link]
    hours = usd = 0.0
    if cn.node_kind[v] == "border" or crosses_border(cn, v, link, None):  # entered to be passed, or abroad
        hours, usd = border_time_and_charge(cn, v)
    if cn.node_kind[u] != "border" and across(cn.node_kind[u], cn.node_country[u], cn.node_kind[v], cn.node_country[v]):
        h, c = border_time_and_charge(cn, u)
        hours, usd = hours + h, usd + c
    return hours, usd


def node_time_and_cost(cn: CompiledNetwork, prev: int | None, link: int) -> NodeStop:
    """What a shipment spends at the start node of ``link`` when it arrives on ``prev``.

    The node times of :func:`node_stops` (means, where they are random) and their
    charges per FEU: the border's charge (:func:`border_time_and_charge`) plus the
    handling's or the gauge change's, whichever happens (:func:`handling_charge_usd`). The charge at a border
    crossing is this sum whatever happens there: the CPMM's TFI2 (cost at the crossing,
    loading and unloading included) is this figure too. Dwell has no charge here.
    """
    node = cn.link_from[link]
    handling = border = dwell = 0.0
    stops = node_stops(cn, prev, link)
    usd = handling_charge_usd(cn, node, stops)
    if stops.handling:
        handling += cn.node_handling_h[node]
    if stops.gauge_change:
        handling += cn.node_gauge_change_h[node]
    if stops.border:
        border, charge = border_time_and_charge(cn, node)
        usd += charge
    if stops.dwell:
        dwell = cn.node_dwell_dist[node].mean
    if stops.origin_dwell:
        dwell = cn.node_origin_dwell_dist[node].mean
    return NodeStop(handling, border, usd, dwell)


def end_time_and_cost(cn: CompiledNetwork, last: int) -> NodeStop:
    """What a shipment spends at its destination, the end node of ``last``, after arriving.

    Clearance where it enters from another country (or the destination is a border
    node, :func:`crosses_border`), and the destination dwell.
    """
    node = cn.link_to[last]
    border = usd = 0.0
    if crosses_border(cn, node, last, None):
        border, usd = border_time_and_charge(cn, node)
    return NodeStop(0.0, border, usd, cn.node_destination_dwell_dist[node].mean)


def node_charges_usd(cn: CompiledNetwork, prev: int | None, link: int) -> tuple[float, float]:
    """The charges per FEU at the start node of ``link``: ``(handling_usd, border_usd)``.

    Handling is :func:`handling_charge_usd` (THC or transshipment, and the gauge change),
    border the crossing's (:func:`border_time_and_charge`), where :func:`node_stops` says
    the shipment spends them; their sum is :func:`node_time_and_cost`'s charge.
    """
    node = cn.link_from[link]
    stops = node_stops(cn, prev, link)
    handling = handling_charge_usd(cn, node, stops)
    return handling, border_time_and_charge(cn, node)[1] if stops.border else 0.0


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


def service_amount(service: Service, *, tonnes: float, slots: float) -> float:
    """What one shipment takes of a departure of ``service``: kg where it carries mass, else TEU slots."""
    return tonnes * KG_PER_TONNE if service.by_mass else slots


def expected_wait_h(service: Service) -> float:
    """Mean wait for a departure with no queue: cut-off plus half the headway (when-full: half the longest wait).

    For cargo arriving at random and even headways; uneven weekdays (e.g. Monday and
    Thursday) make the true mean a little longer.
    """
    if service.kind == "when_full":
        return service.max_wait_h / 2.0
    return service.cutoff_h + headway_h(service) / 2.0


def link_co2_kg(cn: CompiledNetwork, link: int, *, tonnes: float, wtw: bool = False) -> float:
    """kg CO2e of carrying ``tonnes`` over the link (its length times its factor in g per tonne-km).

    ``wtw``: well-to-wheel (ISO 14083: direct plus well-to-tank) instead of tank-to-wheel.
    """
    factor = cn.link_co2_wtw_g_tkm[link] if wtw else cn.link_co2_g_tkm[link]
    return tonnes * cn.link_length_km[link] * factor / KG_PER_TONNE


class LegEstimate(NamedTuple):
    """A leg's static estimate for one shipment: hours by part, the charge (USD) and CO2 (kg).

    ``stop_usd`` is the start node's part of ``usd`` (:func:`node_time_and_cost` times
    the FEU) and ``border_usd`` the crossing's part of that; ``hours`` the sum of the five
    times. ``co2_kg`` is tank-to-wheel, ``co2_wtw_kg`` well-to-wheel.
    """

    handling_h: float
    border_h: float
    wait_h: float
    travel_h: float
    usd: float
    stop_usd: float
    co2_kg: float
    border_usd: float = 0.0
    co2_wtw_kg: float = 0.0
    dwell_h: float = 0.0

    @property
    def hours(self) -> float:
        """Expected hours of the leg with no queue and no closure."""
        return self.handling_h + self.border_h + self.dwell_h + self.wait_h + self.travel_h


def leg_estimate(
    cn: CompiledNetwork, prev: int | None, link: int, *, feu: float, tonnes: float, kg: float | None = None
) -> LegEstimate:
    """The expected time, charge and CO2 of ``link`` for a shipment of ``feu`` FEU and ``tonnes`` arriving on ``prev``.

    Node time and charge (:func:`node_time_and_cost`), the expected wait for the link's
    service (:func:`expected_wait_h`, none on a continuous link), the mean travel time,
    the link's tariffs (:func:`link_charge_usd`) and CO2 (:func:`link_co2_kg`). No queue,
    no variability, no closure: what the route table shows and route choice starts from.
    ``feu`` multiplies the per-FEU tariffs and charges, ``kg`` the per-kg tariffs
    (default: the mass); :mod:`corridor.pricing` sets both for each unit of carriage.
    """
    stop = node_time_and_cost(cn, prev, link)
    svc = cn.link_service[link]
    wait = expected_wait_h(cn.services[svc]) if svc >= 0 else 0.0
    stop_usd = stop.usd_per_feu * feu
    charged_kg = tonnes * KG_PER_TONNE if kg is None else kg
    return LegEstimate(
        handling_h=stop.handling_h,
        border_h=stop.border_h,
        wait_h=wait,
        travel_h=cn.link_time_h[link],
        usd=link_charge_usd(cn, link, feu=feu, kg=charged_kg) + stop_usd,
        stop_usd=stop_usd,
        co2_kg=link_co2_kg(cn, link, tonnes=tonnes),
        border_usd=node_charges_usd(cn, prev, link)[1] * feu,
        co2_wtw_kg=link_co2_kg(cn, link, tonnes=tonnes, wtw=True),
        dwell_h=stop.dwell_h,
    )
