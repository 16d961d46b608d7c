"""The compiled network: typed, integer-indexed records of nodes, links and services.

:meth:`corridor.network.Network.compile` turns the validated tables into one
:class:`Node`, :class:`Link` and :class:`Service` record per row (frozen, with slots), in
table order, so that a node, a link or a service is an integer index everywhere after
planning. The engine, the estimates and route finding read these records; nothing here
is recomputed during a simulation, and no string-keyed mapping is read near the hot path.

:class:`CompiledNetwork` also offers each field as a column (``cn.link_from[li]``,
``cn.node_kind[n]``...): a tuple built from the records on first use, for loops and numpy
gathers over every node or link.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from corridor.costing import parse_weekdays
from corridor.distributions import Dist, read_dist

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CompiledNetwork", "Link", "Node", "Service", "compile_tables"]

T = TypeVar("T")
#: A node time a table leaves empty.
_NO_TIME = Dist("fixed", 0.0)


@dataclass(frozen=True, slots=True)
class Node:
    """A node as the engine and the estimates read it.

    Attributes
    ----------
    id, name, kind, country
        As in the nodes table.
    handling, border
        Transshipment handling and border clearance time (h) as distributions
        (``fixed`` where they do not vary); their means are :attr:`handling_h` and
        :attr:`border_h`.
    dwell, origin_dwell, destination_dwell
        Yard dwell where a shipment changes mode or service, dwell at its origin and at its
        destination (h), as distributions (their means are ``.mean``).
    handling_usd, border_usd, gauge_change_h, gauge_change_usd
        Charges per FEU and the gauge change's time (0 where the table leaves them empty).
    transship_usd
        Charge per FEU billed to the cargo for a vessel-to-vessel transshipment here
        (0: the through ocean rate includes it), instead of ``handling_usd``.
    capacity_teu_day
        The node's gate (0: none).
    """

    id: str
    name: str
    kind: str
    country: str
    handling: Dist
    border: Dist
    handling_usd: float
    border_usd: float
    gauge_change_h: float
    gauge_change_usd: float
    capacity_teu_day: float
    dwell: Dist = _NO_TIME
    origin_dwell: Dist = _NO_TIME
    destination_dwell: Dist = _NO_TIME
    transship_usd: float = 0.0

    @property
    def handling_h(self) -> float:
        """Mean handling time (h)."""
        return self.handling.mean

    @property
    def border_h(self) -> float:
        """Mean clearance time (h)."""
        return self.border.mean


@dataclass(frozen=True, slots=True)
class Link:
    """A link as the engine and the estimates read it.

    Attributes
    ----------
    id, mode, group
        As in the links table (``group`` is ``""`` where none).
    start, end
        Node indices of its two ends.
    length_km
        The sourced length, or the geodesic length times the detour factor.
    time
        Travel time (h) as a distribution; :attr:`time_h` is its mean.
    time_cv
        A lognormal time's coefficient of variation (0 where none).
    gauge_mm
        Track gauge (NaN off rail).
    tariff_usd_feu, tariff_usd_feu_km, tariff_usd_kg
        Tariffs per FEU, per FEU and km, and per kg (0 where none).
    co2_g_tkm
        Emission factor, g CO2e per tonne-km (tank-to-wheel).
    co2_wtw_g_tkm
        The same, well-to-wheel (NaN where the network has none).
    service
        Index of the service that runs on it (-1: continuous flow).
    """

    id: str
    start: int
    end: int
    mode: str
    length_km: float
    time: Dist
    time_cv: float
    gauge_mm: float
    tariff_usd_feu: float
    tariff_usd_feu_km: float
    tariff_usd_kg: float
    co2_g_tkm: float
    service: int
    group: str
    co2_wtw_g_tkm: float = math.nan

    @property
    def time_h(self) -> float:
        """Mean travel time (h)."""
        return self.time.mean


@dataclass(frozen=True, slots=True)
class Service:
    """A timetabled or when-full service, as the engine and the estimates read it.

    Attributes
    ----------
    id, kind
        The service's id; ``weekly``, ``interval`` or ``when_full``.
    capacity, capacity_unit
        Capacity per departure, in ``teu`` or ``kg``.
    weekdays, departure_hour
        ``weekly``: departure days (Monday = 0) and hour of day.
    interval_h, first_departure_h
        ``interval``: hours between departures and the first one's hour.
    vessels, max_wait_h, port_time_h
        ``when_full``: the fleet, the longest wait at berth, the time in port on arrival.
    cutoff_h
        ``weekly`` and ``interval``: cargo must reach the service this long before a
        departure to board it.
    """

    id: str
    kind: str
    capacity: float
    capacity_unit: str
    weekdays: tuple[int, ...] = ()
    departure_hour: float = 0.0
    interval_h: float = 0.0
    first_departure_h: float = 0.0
    vessels: int = 1
    max_wait_h: float = 0.0
    port_time_h: float = 0.0
    cutoff_h: float = 0.0

    @property
    def by_mass(self) -> bool:
        """Whether the capacity is a cargo mass (kg) rather than container slots."""
        return self.capacity_unit == "kg"


class _Column(Generic[T]):
    """One field of a network's records as a tuple (built on first use, then kept on the instance)."""

    def __init__(self, records: str, field: str) -> None:
        self.records = records
        self.field = field
        self.name = field

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type) -> _Column[T]: ...

    @overload
    def __get__(self, obj: CompiledNetwork, owner: type) -> tuple[T, ...]: ...

    def __get__(self, obj: CompiledNetwork | None, owner: type) -> _Column[T] | tuple[T, ...]:
        if obj is None:
            return self
        field = self.field
        value = tuple(getattr(r, field) for r in getattr(obj, self.records))
        obj.__dict__[self.name] = value  # a non-data descriptor: later lookups find the tuple
        return value


@dataclass(frozen=True)
class CompiledNetwork:
    """Integer-indexed, read-only view of a network for the engine.

    Attributes
    ----------
    nodes, links, services
        One typed record per node, link and service, in table order.
    node_index, link_index
        Id -> position.

    Each record field is also a column: ``node_ids``, ``node_names``, ``node_kind``,
    ``node_country``, ``node_handling_h``, ``node_border_h``, ``node_handling_dist``,
    ``node_border_dist``, ``node_dwell_dist``, ``node_origin_dwell_dist``,
    ``node_destination_dwell_dist``, ``node_handling_usd``, ``node_border_usd``,
    ``node_gauge_change_h``, ``node_gauge_change_usd``, ``node_transship_usd``, ``node_capacity_teu_day``;
    ``link_ids``, ``link_from``, ``link_to``, ``link_mode``, ``link_length_km``,
    ``link_time_h``, ``link_time_cv``, ``link_time_dist``, ``link_gauge_mm``, the
    ``link_tariff_*``, ``link_co2_g_tkm``, ``link_co2_wtw_g_tkm``, ``link_service``, ``link_group``; ``service_ids``.
    """

    nodes: tuple[Node, ...]
    links: tuple[Link, ...]
    services: tuple[Service, ...]
    node_index: Mapping[str, int]
    link_index: Mapping[str, int]

    node_ids = _Column[str]("nodes", "id")
    node_names = _Column[str]("nodes", "name")
    node_kind = _Column[str]("nodes", "kind")
    node_country = _Column[str]("nodes", "country")
    node_handling_h = _Column[float]("nodes", "handling_h")
    node_border_h = _Column[float]("nodes", "border_h")
    node_handling_dist = _Column[Dist]("nodes", "handling")
    node_border_dist = _Column[Dist]("nodes", "border")
    node_dwell_dist = _Column[Dist]("nodes", "dwell")
    node_origin_dwell_dist = _Column[Dist]("nodes", "origin_dwell")
    node_destination_dwell_dist = _Column[Dist]("nodes", "destination_dwell")
    node_handling_usd = _Column[float]("nodes", "handling_usd")
    node_border_usd = _Column[float]("nodes", "border_usd")
    node_gauge_change_h = _Column[float]("nodes", "gauge_change_h")
    node_gauge_change_usd = _Column[float]("nodes", "gauge_change_usd")
    node_transship_usd = _Column[float]("nodes", "transship_usd")
    node_capacity_teu_day = _Column[float]("nodes", "capacity_teu_day")
    link_ids = _Column[str]("links", "id")
    link_from = _Column[int]("links", "start")
    link_to = _Column[int]("links", "end")
    link_mode = _Column[str]("links", "mode")
    link_length_km = _Column[float]("links", "length_km")
    link_time_h = _Column[float]("links", "time_h")
    link_time_cv = _Column[float]("links", "time_cv")
    link_time_dist = _Column[Dist]("links", "time")
    link_gauge_mm = _Column[float]("links", "gauge_mm")
    link_tariff_usd_feu = _Column[float]("links", "tariff_usd_feu")
    link_tariff_usd_feu_km = _Column[float]("links", "tariff_usd_feu_km")
    link_tariff_usd_kg = _Column[float]("links", "tariff_usd_kg")
    link_co2_g_tkm = _Column[float]("links", "co2_g_tkm")
    link_co2_wtw_g_tkm = _Column[float]("links", "co2_wtw_g_tkm")
    link_service = _Column[int]("links", "service")
    link_group = _Column[str]("links", "group")
    service_ids = _Column[str]("services", "id")

    def __getstate__(self) -> dict[str, Any]:
        """Pickle the records only; the columns are rebuilt where they are used."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _num(value: Any, default: float = 0.0) -> float:
    return default if _missing(value) else float(value)


def _node_dist(row: Mapping[str, Any], prefix: str) -> Dist:
    """A time spent at a node (``corridor.network.NODE_TIMES``) as a distribution (validated table)."""
    dist, _ = read_dist(row, prefix=prefix, fixed=f"{prefix}_h", where="")
    return dist if dist is not None else Dist("fixed", _num(row[f"{prefix}_h"]))


def _link_dist(row: Mapping[str, Any]) -> Dist:
    """The travel time of a link as a distribution (validated table with ``travel_h``)."""
    dist, _ = read_dist(row, prefix="time", fixed="time_h", where="", cv="time_cv", fixed_allowed=("speed_kmh",))
    mean = float(row["travel_h"])
    if dist is None:
        return Dist("fixed", mean)
    if dist.kind in ("lognormal", "exponential"):
        return Dist(dist.kind, mean, dist.params)
    return dist


def _service(sid: str, row: Mapping[str, Any]) -> Service:
    kind = str(row["kind"])
    return Service(
        id=sid,
        kind=kind,
        capacity=_num(row["capacity"]),
        capacity_unit=str(row["capacity_unit"]),
        weekdays=parse_weekdays(row["weekdays"]) if kind == "weekly" else (),
        departure_hour=_num(row["departure_hour"]),
        interval_h=_num(row["interval_h"]),
        first_departure_h=_num(row["first_departure_h"]),
        vessels=int(_num(row["vessels"], 1.0)),
        max_wait_h=_num(row["max_wait_h"]),
        port_time_h=_num(row["port_time_h"]),
        cutoff_h=_num(row["cutoff_h"]),
    )


def _rows(frame: pd.DataFrame) -> list[tuple[str, dict[str, Any]]]:
    """``(id, {column: value})`` per row of a table indexed by id."""
    columns = [str(c) for c in frame.columns]
    values = frame.to_numpy(dtype=object)
    return [(str(i), dict(zip(columns, row, strict=True))) for i, row in zip(frame.index, values, strict=True)]


def compile_tables(
    nodes: pd.DataFrame,
    links: pd.DataFrame,
    services: pd.DataFrame,
    *,
    emission_factors: Mapping[str, float],
    emission_factors_wtw: Mapping[str, float] | None = None,
) -> CompiledNetwork:
    """Compile validated tables (indexed by id) to typed records.

    Parameters
    ----------
    nodes, links, services
        The tables of a :class:`corridor.network.Network` (``links`` with the derived
        ``distance_km`` and ``travel_h``).
    emission_factors
        g CO2e per tonne-km by key (tank-to-wheel).
    emission_factors_wtw
        The same, well-to-wheel (keys without one give NaN).
    """
    wtw = emission_factors_wtw or {}
    node_index = {nid: i for i, nid in enumerate(nodes.index)}
    service_index = {sid: i for i, sid in enumerate(services.index)}
    node_records = tuple(
        Node(
            id=nid,
            name=str(row["name"]),
            kind=str(row["kind"]),
            country=str(row["country"]),
            handling=_node_dist(row, "handling"),
            border=_node_dist(row, "border"),
            handling_usd=_num(row["handling_usd"]),
            border_usd=_num(row["border_usd"]),
            gauge_change_h=_num(row["gauge_change_h"]),
            gauge_change_usd=_num(row["gauge_change_usd"]),
            capacity_teu_day=_num(row["capacity_teu_day"]),
            dwell=_node_dist(row, "dwell"),
            origin_dwell=_node_dist(row, "origin_dwell"),
            destination_dwell=_node_dist(row, "destination_dwell"),
            transship_usd=_num(row["transship_usd"]),
        )
        for nid, row in _rows(nodes)
    )
    link_records = tuple(
        Link(
            id=lid,
            start=node_index[row["from"]],
            end=node_index[row["to"]],
            mode=str(row["mode"]),
            length_km=_num(row["distance_km"]),
            time=_link_dist(row),
            time_cv=_num(row["time_cv"]),
            gauge_mm=float(row["gauge_mm"]) if not _missing(row["gauge_mm"]) else math.nan,
            tariff_usd_feu=_num(row["tariff_usd_feu"]),
            tariff_usd_feu_km=_num(row["tariff_usd_feu_km"]),
            tariff_usd_kg=_num(row["tariff_usd_kg"]),
            co2_g_tkm=emission_factors[row["co2_factor"]],
            service=service_index[row["service"]] if not _missing(row["service"]) and row["service"] else -1,
            group=str(row["group"]) if not _missing(row["group"]) and row["group"] else "",
            co2_wtw_g_tkm=wtw.get(row["co2_factor"], math.nan),
        )
        for lid, row in _rows(links)
    )
    return CompiledNetwork(
        nodes=node_records,
        links=link_records,
        services=tuple(_service(sid, row) for sid, row in _rows(services)),
        node_index=node_index,
        link_index={lid: i for i, lid in enumerate(links.index)},
    )
