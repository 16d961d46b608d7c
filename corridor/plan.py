"""Prepare a scenario for simulation: resolve names and routes, precompute every leg.

The result, a :class:`SimPlan`, is plain picklable data: worker processes receive it
once and run replications from it without touching NetworkX, pandas or pydantic.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from typing import Any

from corridor._errors import CorridorError, NetworkError, RouteError, ScenarioError, did_you_mean
from corridor.costing import (
    HOURS_PER_DAY,
    HOURS_PER_WEEK,
    end_time_and_cost,
    node_stops,
    node_time_and_cost,
    service_amount,
)
from corridor.distributions import Dist
from corridor.engine.disruptions import DisruptionPlan, prepare_disruptions
from corridor.network import CompiledNetwork, Network
from corridor.pricing import CarriageRules, Consignment, consignment, route_charges, unit_problem
from corridor.routes import Route, find_routes, resolve_route, route_from_links, route_from_nodes
from corridor.scenario import Demand, Scenario

__all__ = [
    "CHEAPEST",
    "CHOICE_ALL",
    "FASTEST",
    "GENERALISED",
    "DemandPlan",
    "EndStop",
    "Leg",
    "RoutePlan",
    "SimPlan",
    "end_stop",
    "fill_hours",
    "plan_model",
    "prepare",
]

#: Route choice of a demand flow (``DemandPlan.choice``).
CHOICE_ALL, FASTEST, CHEAPEST, GENERALISED = 0, 1, 2, 3
_CHOICE = {"parallel": CHOICE_ALL, "fastest": FASTEST, "cheapest": CHEAPEST, "generalised": GENERALISED}


@dataclass(frozen=True)
class Leg:
    """One leg of a route as the engine needs it.

    ``pre_h`` is the time spent at the leg's start node before it can move or board:
    border clearance, handling (transshipment and gauge change) and dwell (the yard's, or
    the origin terminal's on a route's first leg), means where they are random.
    ``mean_h`` is the mean travel time. ``capacity`` is the number of shipments a
    continuous link admits at once (0: unlimited). ``handling_dist``, ``border_dist`` and
    ``dwell_dist`` are the node's random handling, clearance and dwell times where this
    leg spends them (``None``: fixed); ``travel_dist`` the link's random travel time,
    lognormal, exponential, triangular or empirical (``None``: fixed); ``gate_teu_day`` the capacity of the start
    node's gate (0: none).
    """

    link: int
    pre_h: float
    handling_h: float
    border_h: float
    node_usd: float
    service: int
    side: int
    by_mass: bool
    mean_h: float
    capacity: int = 0
    handling_dist: Dist | None = None
    border_dist: Dist | None = None
    travel_dist: Dist | None = None
    gate_teu_day: float = 0.0
    dwell_h: float = 0.0
    dwell_dist: Dist | None = None

    @property
    def random_node_time(self) -> bool:
        """Whether the time at the start node is drawn per shipment."""
        return self.handling_dist is not None or self.border_dist is not None or self.dwell_dist is not None


@dataclass(frozen=True)
class EndStop:
    """What a shipment spends at its destination after the last leg arrives.

    Clearance where it enters from another country, and the destination terminal's
    dwell: means (h), and the distributions where they are random (``None``: fixed).
    """

    border_h: float = 0.0
    dwell_h: float = 0.0
    border_dist: Dist | None = None
    dwell_dist: Dist | None = None

    @property
    def hours(self) -> float:
        """Mean hours at the destination."""
        return self.border_h + self.dwell_h


@dataclass(frozen=True)
class RoutePlan:
    """A resolved route for one demand flow."""

    id: str
    name: str
    family: str
    demand: int
    nodes: tuple[str, ...]
    legs: tuple[Leg, ...]
    distance_km: float
    #: Expected hours per leg with no queue or closure: node time, half a headway, travel.
    leg_est_h: tuple[float, ...] = ()
    #: Charge per leg for one shipment (USD): freight plus handling plus border.
    leg_usd: tuple[float, ...] = ()
    #: The unit of carriage on this route (``air`` where it flies).
    unit: str = ""
    #: Per leg: the link's freight, the start node's handling and border charges (USD).
    leg_freight_usd: tuple[float, ...] = ()
    leg_handling_usd: tuple[float, ...] = ()
    leg_border_usd: tuple[float, ...] = ()
    #: Per leg: free hours at the start node and the storage charge per hour beyond them.
    leg_free_h: tuple[float, ...] = ()
    leg_storage_usd_h: tuple[float, ...] = ()
    #: Per leg: kg CO2e of the cargo's tonne-km, tank-to-wheel and well-to-wheel.
    leg_co2_kg: tuple[float, ...] = ()
    leg_co2_wtw_kg: tuple[float, ...] = ()
    #: Per leg, the re-routes a shipment may take there when the leg is closed (indices
    #: into ``SimPlan.routes``: this route's legs so far, then another route's).
    switch: tuple[tuple[int, ...], ...] = ()
    #: Time at the destination after the last leg (its charge is in the last ``leg_usd``).
    end: EndStop = EndStop()


@dataclass(frozen=True)
class DemandPlan:
    """A demand flow with its routes (indices into ``SimPlan.routes``)."""

    id: str
    origin: str
    destination: str
    cargo: str
    per_week: float
    batch: int
    teu: float
    tonnes: float
    #: How releases are spaced: ``regular`` (every 168 / per_week h from from_h), ``uniform``
    #: (one at a uniform random time within each such interval) or ``poisson``.
    arrivals: str
    routes: tuple[int, ...]
    shares: tuple[float, ...] | None
    promised_days: float | None
    #: How a release picks its route: CHOICE_ALL (every route, or ``shares``), or the
    #: least expected time, cost or generalised cost at release (see :mod:`corridor.engine.choice`).
    choice: int = 0
    #: Value of time per shipment and hour (USD), for generalised cost.
    value_of_time_usd_h: float = 0.0
    from_h: float = 0.0
    until_h: float = float("inf")
    #: The shipment as booked: mass, volume, value, cargo class, unit of carriage.
    consignment: Consignment | None = None


@dataclass(frozen=True)
class SimPlan:
    """Everything one replication needs, precomputed."""

    scenario: str
    title: str
    net: CompiledNetwork
    routes: tuple[RoutePlan, ...]
    demands: tuple[DemandPlan, ...]
    start_weekday: int
    horizon_h: float
    release_h: float
    disruptions: DisruptionPlan
    #: Annual carrying cost of cargo in transit, share of its value.
    inventory_rate: float = 0.0


def _random(dist: Dist | None) -> Dist | None:
    return dist if dist is not None and dist.random else None


def _legs(cn: CompiledNetwork, route: Route, *, capacity: dict[str, int]) -> tuple[Leg, ...]:
    legs: list[Leg] = []
    prev: int | None = None
    for lid in route.links:
        li = cn.link_index[lid]
        at_node = node_time_and_cost(cn, prev, li)
        svc = cn.link_service[li]
        side = 0
        by_mass = False
        if svc >= 0:
            service = cn.services[svc]
            by_mass = service.by_mass
            if service.kind == "when_full":
                side = _shuttle_side(cn, svc, li)
        dist = cn.link_time_dist[li]
        node = cn.link_from[li]
        stops = node_stops(cn, prev, li)
        dwell_dist = (
            cn.node_dwell_dist[node] if stops.dwell else cn.node_origin_dwell_dist[node] if stops.origin_dwell else None
        )
        legs.append(
            Leg(
                link=li,
                pre_h=at_node.hours,
                handling_h=at_node.handling_h,
                border_h=at_node.border_h,
                node_usd=at_node.usd_per_feu,
                service=svc,
                side=side,
                by_mass=by_mass,
                mean_h=dist.mean,
                capacity=capacity.get(lid, 0),
                handling_dist=_random(cn.node_handling_dist[node] if stops.handling else None),
                border_dist=_random(cn.node_border_dist[node] if stops.border else None),
                travel_dist=dist if dist.random else None,
                gate_teu_day=cn.node_capacity_teu_day[node],
                dwell_h=at_node.dwell_h,
                dwell_dist=_random(dwell_dist),
            )
        )
        prev = li
    return tuple(legs)


def end_stop(cn: CompiledNetwork, legs: tuple[Leg, ...]) -> tuple[EndStop, float]:
    """The stop at the destination of a route's legs, and its charge per FEU."""
    if not legs:
        return EndStop(), 0.0
    last = legs[-1].link
    at_end = end_time_and_cost(cn, last)
    node = cn.link_to[last]
    stop = EndStop(
        border_h=at_end.border_h,
        dwell_h=at_end.dwell_h,
        border_dist=_random(cn.node_border_dist[node]) if at_end.border_h > 0 else None,
        dwell_dist=_random(cn.node_destination_dwell_dist[node]),
    )
    return stop, at_end.usd_per_feu


def _estimates(
    cn: CompiledNetwork, legs: tuple[Leg, ...], *, cargo: Consignment, rules: CarriageRules
) -> dict[str, Any]:
    """Expected hours, charges and CO2 per leg of one shipment: the priced fields of a :class:`RoutePlan`.

    :func:`corridor.pricing.route_charges` (node time, half a headway of a service and
    the mean travel time, as :func:`corridor.routes.route_table`; the stop at the
    destination, :func:`end_stop`, on the last leg; charges for the
    consignment's unit of carriage, ``air`` on a route that flies; CO2 of the cargo's
    real tonne-km).
    """
    charges = route_charges(cn, [leg.link for leg in legs], cargo, rules)
    # the stop at the destination (entry clearance, dwell) counts on the last leg
    end, end_usd_feu = end_stop(cn, legs)
    extra_h = [0.0] * len(charges)
    extra_usd = [0.0] * len(charges)
    if charges:
        extra_h[-1] = end.hours
        extra_usd[-1] = end_usd_feu * cargo.feu
    return {
        "end": end,
        "leg_est_h": tuple(c.hours + x for c, x in zip(charges, extra_h, strict=True)),
        "leg_usd": tuple(c.usd + x for c, x in zip(charges, extra_usd, strict=True)),
        "unit": "air" if any(cn.link_mode[leg.link] == "air" for leg in legs) else cargo.unit,
        "leg_freight_usd": tuple(c.freight_usd for c in charges),
        "leg_handling_usd": tuple(c.handling_usd for c in charges),
        "leg_border_usd": tuple(c.border_usd + x for c, x in zip(charges, extra_usd, strict=True)),
        "leg_free_h": tuple(c.free_h for c in charges),
        "leg_storage_usd_h": tuple(c.storage_usd_h for c in charges),
        "leg_co2_kg": tuple(c.co2_kg for c in charges),
        "leg_co2_wtw_kg": tuple(c.co2_wtw_kg for c in charges),
    }


def _with_reroutes(
    cn: CompiledNetwork,
    routes: list[RoutePlan],
    demands: list[DemandPlan],
    *,
    reroute: list[bool],
    closable: set[int],
    capacity: dict[str, int],
    rules: CarriageRules,
) -> list[RoutePlan]:
    """Add the re-routes of flows with ``reroute = true``; return all routes.

    At a node where another route of the flow branches off (leaves the node on another
    link), a shipment with a link ahead that can close (a closure or storm of the
    scenario names it) may switch to that route: it keeps the legs it has done and
    follows the other route from the node. Each such switch is a route of its own (id
    ``A>B@node``), precomputed here with its own node times (a switch may change mode or
    gauge at the node), also at the origin, so that re-routed shipments stay apart from
    the route's own. Switches that would revisit a node are left out. A shipment
    switches at most once.
    """
    out = list(routes)
    for di, dem in enumerate(demands):
        if not reroute[di]:
            continue
        for ra in dem.routes:
            a = routes[ra]
            a_links = [cn.link_ids[leg.link] for leg in a.legs]
            ahead = [any(leg.link in closable for leg in a.legs[p:]) for p in range(len(a.legs))]
            switch: list[tuple[int, ...]] = []
            for p, leg in enumerate(a.legs):
                here: list[int] = []
                for rb in dem.routes if ahead[p] else ():
                    b = routes[rb]
                    if rb == ra or a.nodes[p] not in b.nodes[:-1]:
                        continue
                    q = b.nodes.index(a.nodes[p])
                    nodes = a.nodes[:p] + b.nodes[q:]
                    if b.legs[q].link == leg.link or len(set(nodes)) != len(nodes):
                        continue
                    here.append(len(out))
                    out.append(
                        _switched_route(
                            cn, a, b, p, q, a_links=a_links, demand=dem, di=di, capacity=capacity, rules=rules
                        )
                    )
                switch.append(tuple(here))
            out[ra] = replace(a, switch=tuple(switch))
    return out


def _switched_route(
    cn: CompiledNetwork,
    a: RoutePlan,
    b: RoutePlan,
    p: int,
    q: int,
    *,
    a_links: list[str],
    demand: DemandPlan,
    di: int,
    capacity: dict[str, int],
    rules: CarriageRules,
) -> RoutePlan:
    """Route ``a`` up to its node ``p``, then route ``b`` from its node ``q`` (the same node)."""
    links = tuple(a_links[:p]) + tuple(cn.link_ids[x.link] for x in b.legs[q:])
    node = a.nodes[p]
    route = Route(
        id=f"{a.id}>{b.id}@{node}",
        name=f"{a.name}, then {b.name} from {cn.node_names[cn.node_index[node]]}",
        family=b.family,
        nodes=a.nodes[:p] + b.nodes[q:],
        links=links,
        distance_km=sum(cn.link_length_km[cn.link_index[x]] for x in links),
        travel_h=sum(cn.link_time_h[cn.link_index[x]] for x in links),
    )
    legs = _legs(cn, route, capacity=capacity)
    assert demand.consignment is not None  # every prepared flow has one
    return RoutePlan(
        id=route.id,
        name=route.name,
        family=route.family,
        demand=di,
        nodes=route.nodes,
        legs=legs,
        distance_km=route.distance_km,
        **_estimates(cn, legs, cargo=demand.consignment, rules=rules),
    )


def _link_capacity(net: Network) -> dict[str, int]:
    """Link id -> capacity for links that have one (prepare time, not the hot path).

    The value comes from the geodata or from a scenario's ``changes``; errors name the
    links file and the link.
    """
    links = net.links
    out: dict[str, int] = {}
    file = str(net.path / "links.geojson")
    for lid, value, service in zip(links.index, links["capacity"], links["service"], strict=True):
        if value is None or value != value:  # empty: unlimited
            continue
        if float(value) != int(value) or value < 1:
            raise NetworkError(
                f"capacity {value!r} is not a whole number of shipments; give 1, 2, ... or leave it empty",
                file=file,
                field=f"{lid}.capacity",
            )
        if isinstance(service, str) and service:
            raise NetworkError(
                f"link is served by {service!r}, which has its own capacity per departure; "
                "give capacity to continuous links only",
                file=file,
                field=f"{lid}.capacity",
            )
        out[str(lid)] = int(value)
    return out


def _shuttle_side(cn: CompiledNetwork, svc: int, link: int) -> int:
    """0 if ``link`` starts at the service's first port, else 1."""
    first = min(i for i, s in enumerate(cn.link_service) if s == svc)
    return 0 if cn.link_from[link] == cn.link_from[first] else 1


def prepare(scenario: Scenario, network: Network, *, problems: list[CorridorError] | None = None) -> SimPlan:
    """Validate a scenario against a loaded network and precompute everything it runs on.

    The scenario's ``changes`` are applied to ``network`` first; nothing is read from
    disk (:meth:`corridor.Model.plan` is the same on a model).

    Parameters
    ----------
    scenario
        The scenario.
    network
        The loaded network, before the scenario's changes (:func:`corridor.load_network`).
    problems
        As :func:`plan_model`.
    """
    return plan_model(
        scenario,
        network.with_changes([c.model_dump() for c in scenario.changes], file=scenario.file),
        problems=problems,
    )


def plan_model(scenario: Scenario, net: Network, *, problems: list[CorridorError] | None = None) -> SimPlan:
    """Validate a scenario against its network (changes applied) and precompute everything it runs on.

    Parameters
    ----------
    scenario
        The scenario.
    net
        The network it runs on, with the scenario's ``changes`` already applied.
    problems
        If given, problems with a demand flow or route are appended here and checking
        goes on (as ``corridor validate`` needs); the plan then leaves those flows out.

    Raises
    ------
    ScenarioError, RouteError
        Naming the scenario file and the field: unknown nodes or routes, routes that
        cannot serve a flow, shipments larger than a service can ever carry.
    """
    file = scenario.file
    cn = net.compile()
    capacity = _link_capacity(net)
    templates: dict[str, dict[str, Any]] = {k: dict(v) for k, v in net.routes.items()}
    for k, spec in enumerate(scenario.routes):
        templates[spec.id] = spec.model_dump()
        if spec.nodes is not None or spec.links is not None:
            try:
                if spec.links is not None:
                    route_from_links(
                        net, spec.links, template=templates[spec.id], file=file, field=f"routes[{k}].links"
                    )
                else:
                    route_from_nodes(
                        net, spec.nodes or [], template=templates[spec.id], file=file, field=f"routes[{k}].nodes"
                    )
            except CorridorError as exc:
                if problems is None:
                    raise
                problems.append(exc)
    routes: list[RoutePlan] = []
    demands: list[DemandPlan] = []
    reroute: list[bool] = []
    for di, dem in enumerate(scenario.demand):
        try:
            _prepare_demand(
                net, cn, dem, di, templates=templates, capacity=capacity, file=file, routes=routes, demands=demands
            )
            reroute.append(dem.reroute)
        except CorridorError as exc:
            if problems is None:
                raise
            problems.append(exc)
    try:
        disruptions = prepare_disruptions(scenario, cn)
    except CorridorError as exc:
        if problems is None:
            raise
        problems.append(exc)
        disruptions = DisruptionPlan(closures=(), storms=(), start=scenario.start, horizon_h=0.0)
    if any(reroute):
        closable = {li for links, _, _ in disruptions.closures for li in links}
        closable.update(li for storm in disruptions.storms for li in storm.links)
        closable.update(li for event in disruptions.events if event.close for li in event.links)
        routes = _with_reroutes(
            cn, routes, demands, reroute=reroute, closable=closable, capacity=capacity, rules=net.cargo.rules
        )
    return SimPlan(
        scenario=scenario.name,
        title=scenario.title,
        net=cn,
        routes=tuple(routes),
        demands=tuple(demands),
        start_weekday=scenario.start.weekday(),
        horizon_h=scenario.horizon_days * HOURS_PER_DAY,
        release_h=scenario.release_days * HOURS_PER_DAY,
        disruptions=disruptions,
        inventory_rate=net.cargo.rules.inventory_rate if scenario.inventory_rate is None else scenario.inventory_rate,
    )


def _prepare_demand(
    net: Network,
    cn: CompiledNetwork,
    dem: Demand,
    di: int,
    *,
    templates: dict[str, dict[str, Any]],
    capacity: dict[str, int],
    file: str,
    routes: list[RoutePlan],
    demands: list[DemandPlan],
) -> None:
    """Resolve one demand flow and append its routes and plan (nothing on error)."""
    where = f"demand[{di}]"
    origin = net.node_id(dem.origin, file=file, field=f"{where}.origin")
    dest = net.node_id(dem.destination, file=file, field=f"{where}.destination")
    if origin == dest:
        raise ScenarioError("origin and destination are the same node", file=file, field=f"{where}.destination")
    cargo = consignment(
        net.cargo,
        tonnes=dem.tonnes,
        m3=dem.m3,
        value_usd=dem.value_usd,
        cargo_class=dem.cargo_class,
        unit=dem.unit,
        teu=dem.teu,
        file=file,
        field=f"{where}.cargo_class",
    )
    slots = cargo.slots_teu(net.cargo.rules)
    mine: list[RoutePlan] = []
    for rid, route in _demand_routes(net, dem, origin, dest, templates=templates, file=file, where=where):
        legs = _legs(cn, route, capacity=capacity)
        _check_carriage(cn, legs, rid=rid, cargo=cargo, slots=slots, file=file, where=where)
        mine.append(
            RoutePlan(
                id=rid,
                name=route.name,
                family=route.family,
                demand=len(demands),
                nodes=route.nodes,
                legs=legs,
                distance_km=route.distance_km,
                **_estimates(cn, legs, cargo=cargo, rules=net.cargo.rules),
            )
        )
    if isinstance(dem.split, dict) and AUTO in dem.routes:
        raise ScenarioError(
            f"routes has {AUTO!r}, whose routes are not known in advance, so split cannot give them shares; "
            "name the routes, or use split = 'parallel', 'fastest', 'cheapest' or 'generalised'",
            file=file,
            field=f"{where}.split",
        )
    shares = tuple(float(dem.split.get(r.id, 0.0)) for r in mine) if isinstance(dem.split, dict) else None
    indices = [len(routes) + k for k in range(len(mine))]
    routes.extend(mine)
    demands.append(
        DemandPlan(
            id=dem.id,
            origin=origin,
            destination=dest,
            cargo=dem.cargo,
            per_week=dem.per_week,
            batch=dem.batch,
            teu=slots,
            tonnes=dem.tonnes,
            arrivals=dem.arrivals,
            routes=tuple(indices),
            shares=tuple(itertools.accumulate(shares)) if shares else None,
            promised_days=dem.promised_days,
            choice=_CHOICE[dem.split] if isinstance(dem.split, str) else CHOICE_ALL,
            value_of_time_usd_h=(dem.value_of_time_usd_day or 0.0) / HOURS_PER_DAY,
            from_h=dem.from_day * HOURS_PER_DAY,
            until_h=float("inf") if dem.until_day is None else dem.until_day * HOURS_PER_DAY,
            consignment=cargo,
        )
    )


def _check_carriage(
    cn: CompiledNetwork, legs: tuple[Leg, ...], *, rid: str, cargo: Consignment, slots: float, file: str, where: str
) -> None:
    """A flow's unit of carriage can travel on route ``rid`` and a shipment fits every service on it.

    Raises
    ------
    ScenarioError
        Naming the flow's field (``unit``, ``teu`` or ``tonnes``) and the fix.
    """
    problem = unit_problem(cargo.unit, [cn.link_mode[leg.link] for leg in legs])
    if problem:
        raise ScenarioError(
            f"route {rid!r}: {problem}; choose another unit (or leave unit out) or another route",
            file=file,
            field=f"{where}.unit",
        )
    for leg in legs:
        if leg.service < 0:
            continue
        service = cn.services[leg.service]
        amount = service_amount(service, tonnes=cargo.tonnes, slots=slots)
        if amount <= 0:
            raise ScenarioError(
                f"route {rid!r} uses container service {service.id!r} but shipments have teu = 0; "
                "give teu (a FEU is 2)",
                file=file,
                field=f"{where}.teu",
            )
        if amount > service.capacity:
            unit = service.capacity_unit
            raise ScenarioError(
                f"a shipment of {amount:g} {unit} exceeds the capacity of service {service.id!r} "
                f"({service.capacity:g} {unit} per departure); split it into smaller shipments",
                file=file,
                field=f"{where}.{'tonnes' if leg.by_mass else 'teu'}",
            )


#: A flow's ``routes`` entry that asks the route engine for every route it proposes.
AUTO = "auto"


def _demand_routes(
    net: Network,
    dem: Demand,
    origin: str,
    dest: str,
    *,
    templates: dict[str, dict[str, Any]],
    file: str,
    where: str,
) -> list[tuple[str, Route]]:
    """The routes a flow names, each with the id it runs under.

    An entry is a route template id (resolved as a sub-route, :func:`corridor.routes.resolve_route`),
    a family (the fastest route of that family that :func:`corridor.routes.find_routes` proposes
    for the pair, under the family's name) or ``"auto"`` (every route the engine proposes,
    under their own ids): ``trip``, ``routes``, ``run`` and route choice share one engine.
    """
    families = {str(f["id"]) for f in net.family_rules} | {"overland"}
    out: list[tuple[str, Route]] = []
    for ri, rid in enumerate(dem.routes):
        field = f"{where}.routes[{ri}]"
        if rid in templates:
            tpl = templates[rid]
            for vi, v in enumerate(tpl.get("via", [])):
                net.node_id(v, file=file, field=f"routes.{rid}.via[{vi}]")
            route = resolve_route(net, tpl, origin, dest)
            if route is None:
                raise RouteError(
                    f"route {rid!r} cannot serve {net.node_name(origin)} -> {net.node_name(dest)} "
                    "(no path through its via nodes with its modes); choose another route, a family or 'auto'",
                    file=file,
                    field=field,
                )
            out.append((rid, route))
        elif rid in families or rid == AUTO:
            try:
                found = find_routes(net, origin, dest, templates=templates, families=None if rid == AUTO else [rid])
            except RouteError as exc:
                raise RouteError(exc.message, file=file, field=field) from None
            out += [(r.id, r) for r in found] if rid == AUTO else [(rid, found[0])]
        else:
            raise RouteError(
                f"unknown route {rid!r}{did_you_mean(rid, [*templates, *families, AUTO])}; name a route template "
                "(routes.toml or [[routes]]), a family or 'auto'",
                file=file,
                field=field,
            )
    return out


def fill_hours(plan: SimPlan) -> dict[int, float]:
    """Hours a when-full vessel takes to fill, per link, with the plan's demand as its traffic.

    Each flow's containers a week (``per_week * batch * teu``) go on each of its routes
    (parallel), by their shares, or evenly (a choice rule); a link of a when-full service
    fills a vessel of capacity ``c`` from ``r`` TEU an hour in ``c / r`` hours. Links with
    no such traffic are left out. :func:`corridor.routes.estimate` turns this into the
    expected wait for a departure, as the simulation has it.
    """
    cn = plan.net
    rate: dict[int, float] = {}
    for dem in plan.demands:
        n = len(dem.routes)
        if dem.shares is not None:
            parts = [b - a for a, b in itertools.pairwise((0.0, *dem.shares))]
        else:
            parts = [1.0 if dem.choice == CHOICE_ALL else 1.0 / max(n, 1)] * n
        teu_h = dem.per_week * dem.batch * dem.teu / HOURS_PER_WEEK
        for ri, part in zip(dem.routes, parts, strict=True):
            for leg in plan.routes[ri].legs:
                if leg.service >= 0 and cn.services[leg.service].kind == "when_full":
                    rate[leg.link] = rate.get(leg.link, 0.0) + teu_h * part
    return {li: cn.services[cn.link_service[li]].capacity / r for li, r in rate.items() if r > 0}
