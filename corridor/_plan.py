"""Prepare a scenario for simulation: resolve names and routes, precompute every leg.

The result, a :class:`SimPlan`, is plain picklable data: worker processes receive it
once and run replications from it without touching NetworkX, pandas or pydantic.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from corridor._errors import CorridorError, NetworkError, RouteError, ScenarioError, did_you_mean
from corridor.disruptions import DisruptionPlan, prepare_disruptions
from corridor.network import CompiledNetwork, Network, load_network, node_time_and_cost
from corridor.routes import Route, resolve_route, route_from_nodes
from corridor.scenario import Demand, Scenario
from corridor.services import lognormal_params

__all__ = ["DemandPlan", "Leg", "RoutePlan", "SimPlan", "prepare"]


@dataclass(frozen=True)
class Leg:
    """One leg of a route as the engine needs it.

    ``pre_h`` is the time spent at the leg's start node before it can move or board:
    border clearance plus handling (transshipment and gauge change). ``capacity`` is the
    number of shipments a continuous link admits at once (0: unlimited).
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
    mu: float
    sigma: float
    capacity: int = 0


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
    poisson: bool
    routes: tuple[int, ...]
    shares: tuple[float, ...] | None
    promised_days: float | None
    from_h: float = 0.0
    until_h: float = float("inf")


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


def _legs(cn: CompiledNetwork, route: Route, *, capacity: dict[str, int]) -> tuple[Leg, ...]:
    legs: list[Leg] = []
    prev: int | None = None
    for lid in route.links:
        li = cn.link_index[lid]
        handling, border, node_usd = node_time_and_cost(cn, prev, li)
        svc = cn.link_service[li]
        side = 0
        by_mass = False
        if svc >= 0:
            info = cn.services[svc]
            by_mass = info["capacity_unit"] == "kg"
            if info["kind"] == "when_full":
                side = _shuttle_side(cn, svc, li)
        mean = cn.link_time_h[li]
        cv = cn.link_time_cv[li]
        mu, sigma = lognormal_params(mean, cv) if cv > 0 else (0.0, 0.0)
        legs.append(
            Leg(
                link=li,
                pre_h=handling + border,
                handling_h=handling,
                border_h=border,
                node_usd=node_usd,
                service=svc,
                side=side,
                by_mass=by_mass,
                mean_h=mean,
                mu=mu,
                sigma=sigma,
                capacity=capacity.get(lid, 0),
            )
        )
        prev = li
    return tuple(legs)


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


def prepare(
    scenario: Scenario, network: Network | None = None, *, problems: list[CorridorError] | None = None
) -> SimPlan:
    """Validate a scenario against a network and precompute everything it runs on.

    Parameters
    ----------
    scenario
        The scenario.
    network
        A network to use instead of the one the scenario names (changes still apply).
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
    base = network if network is not None else load_network(scenario.network_path())
    net = base.with_changes([c.model_dump() for c in scenario.changes], file=file)
    cn = net.compile()
    capacity = _link_capacity(net)
    templates: dict[str, dict[str, Any]] = {k: dict(v) for k, v in net.routes.items()}
    for k, spec in enumerate(scenario.routes):
        templates[spec.id] = spec.model_dump()
        if spec.nodes is not None:
            try:
                route_from_nodes(net, spec.nodes, template=templates[spec.id], file=file, field=f"routes[{k}].nodes")
            except CorridorError as exc:
                if problems is None:
                    raise
                problems.append(exc)
    routes: list[RoutePlan] = []
    demands: list[DemandPlan] = []
    for di, dem in enumerate(scenario.demand):
        try:
            _prepare_demand(
                net, cn, dem, di, templates=templates, capacity=capacity, file=file, routes=routes, demands=demands
            )
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
    return SimPlan(
        scenario=scenario.name,
        title=scenario.title,
        net=cn,
        routes=tuple(routes),
        demands=tuple(demands),
        start_weekday=scenario.start.weekday(),
        horizon_h=scenario.horizon_days * 24.0,
        release_h=scenario.release_days * 24.0,
        disruptions=disruptions,
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
    mine: list[RoutePlan] = []
    for ri, rid in enumerate(dem.routes):
        if rid not in templates:
            raise RouteError(
                f"unknown route {rid!r}{did_you_mean(rid, templates)}; define it in [[routes]] or routes.toml",
                file=file,
                field=f"{where}.routes[{ri}]",
            )
        tpl = templates[rid]
        for vi, v in enumerate(tpl.get("via", [])):
            net.node_id(v, file=file, field=f"routes.{rid}.via[{vi}]")
        route = resolve_route(net, tpl, origin, dest)
        if route is None:
            raise RouteError(
                f"route {rid!r} cannot serve {net.node_name(origin)} -> {net.node_name(dest)} "
                "(no path through its via nodes with its modes); choose another route",
                file=file,
                field=f"{where}.routes[{ri}]",
            )
        legs = _legs(cn, route, capacity=capacity)
        for leg in legs:
            if leg.service < 0:
                continue
            info = cn.services[leg.service]
            amount = dem.tonnes * 1000.0 if leg.by_mass else dem.teu
            if amount <= 0:
                raise ScenarioError(
                    f"route {rid!r} uses container service {info['id']!r} but shipments have teu = 0; "
                    "give teu (a FEU is 2)",
                    file=file,
                    field=f"{where}.teu",
                )
            if amount > float(info["capacity"]):
                unit = info["capacity_unit"]
                raise ScenarioError(
                    f"a shipment of {amount:g} {unit} exceeds the capacity of service {info['id']!r} "
                    f"({float(info['capacity']):g} {unit} per departure); split it into smaller shipments",
                    file=file,
                    field=f"{where}.{'tonnes' if leg.by_mass else 'teu'}",
                )
        mine.append(
            RoutePlan(
                id=rid,
                name=route.name,
                family=route.family,
                demand=len(demands),
                nodes=route.nodes,
                legs=legs,
                distance_km=route.distance_km,
            )
        )
    shares = tuple(float(dem.split.get(r, 0.0)) for r in dem.routes) if isinstance(dem.split, dict) else None
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
            teu=dem.teu,
            tonnes=dem.tonnes,
            poisson=dem.arrivals == "poisson",
            routes=tuple(indices),
            shares=tuple(itertools.accumulate(shares)) if shares else None,
            promised_days=dem.promised_days,
            from_h=dem.from_day * 24.0,
            until_h=float("inf") if dem.until_day is None else dem.until_day * 24.0,
        )
    )
