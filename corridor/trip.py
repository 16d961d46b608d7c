"""One origin–destination pair on every route that serves it, over a scenario's background."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corridor._errors import RouteError
from corridor.costing import FEU_TONNES, service_amount
from corridor.model import Model
from corridor.network import Network
from corridor.plan import fill_hours
from corridor.pricing import Consignment, Unit, consignment, unit_problem
from corridor.results.frames import Results
from corridor.routes import Route, Weight, find_routes
from corridor.scenario import Scenario

__all__ = ["Proposal", "propose", "simulate_trip"]


@dataclass(frozen=True)
class Proposal:
    """The routes the engine proposes for a pair on a model's network, with what they were found on."""

    model: Model
    routes: list[Route]
    templates: dict[str, dict[str, Any]]
    fill_h: Mapping[int, float]

    @property
    def scenario(self) -> Scenario:
        """The scenario the routes were found on."""
        return self.model.scenario

    @property
    def net(self) -> Network:
        """The network the routes were found on (the scenario's changes applied)."""
        return self.model.network


def propose(
    origin: str,
    destination: str,
    *,
    scenario: str | Path | Model = "baseline-2025",
    via: Sequence[str] = (),
    avoid: Sequence[str] = (),
    families: Sequence[str] | None = None,
    k: int = 3,
    weight: Weight = "time",
    value_of_time_usd_day: float = 0.0,
) -> Proposal:
    """:func:`corridor.routes.find_routes` on a scenario: its network and changes, its route
    templates, and its traffic filling the when-full vessels (:func:`corridor.plan.fill_hours`).

    ``corridor routes`` lists these routes and ``corridor trip`` simulates them, so the two
    agree. ``scenario`` is a bundled name, a TOML path or a loaded :class:`corridor.Model`
    (nothing is read again).
    """
    model = scenario if isinstance(scenario, Model) else Model.load(scenario)
    net = model.network
    templates = {**net.routes, **{r.id: r.model_dump() for r in model.scenario.routes}}
    fill = fill_hours(model.plan())
    routes = find_routes(
        net,
        origin,
        destination,
        k=k,
        weight=weight,
        via=via,
        avoid=avoid,
        families=families,
        templates=templates,
        value_of_time_usd_day=value_of_time_usd_day,
        fill_h=fill,
    )
    return Proposal(model, routes, templates, fill)


def _oversize(net: Network, route: Route, *, teu: float, tonnes: float) -> list[str]:
    """The services on a route that a consignment of ``teu`` slots and ``tonnes`` can never board."""
    cn = net.compile()
    out = []
    for lid in route.links:
        si = cn.link_service[cn.link_index[lid]]
        if si < 0:
            continue
        service = cn.services[si]
        if service_amount(service, tonnes=tonnes, slots=teu) > service.capacity:
            out.append(f"{service.id} carries {service.capacity:g} {service.capacity_unit}")
    return out


def _carriable(net: Network, routes: Sequence[Route], cargo: Consignment) -> tuple[list[Route], list[str]]:
    """The routes that can carry the consignment, and a note for each one skipped.

    Raises
    ------
    RouteError
        If no route can carry it.
    """
    slots = cargo.slots_teu(net.cargo.rules)
    skipped: list[str] = []
    usable: list[Route] = []
    for route in routes:
        too_small = _oversize(net, route, teu=slots, tonnes=cargo.tonnes)
        problem = unit_problem(cargo.unit, list(net.links.loc[list(route.links), "mode"]))
        if problem:
            skipped.append(f"route {route.id} skipped: {problem}")
        elif too_small:
            size = f"{cargo.tonnes:g} t / {slots:g} TEU"
            skipped.append(f"route {route.id} skipped: a consignment of {size} is too large ({'; '.join(too_small)})")
        else:
            usable.append(route)
    if not usable:
        raise RouteError(
            "no route can carry the consignment; " + " ".join(skipped) + " Use a smaller --tonnes or --teu",
            field="tonnes",
        )
    return usable, skipped


def simulate_trip(
    origin: str,
    destination: str,
    *,
    via: Sequence[str] = (),
    avoid: Sequence[str] = (),
    families: Sequence[str] | None = None,
    k: int = 3,
    weight: Weight = "time",
    value_of_time_usd_day: float = 0.0,
    scenario: str | Path | Model = "baseline-2025",
    replications: int | None = None,
    per_week: float = 1.0,
    teu: float | None = None,
    tonnes: float = FEU_TONNES,
    m3: float | None = None,
    cargo_class: str | None = None,
    unit: Unit | None = None,
    value_usd: float | None = None,
    progress: bool = False,
) -> tuple[Results, list[str]]:
    """Simulate consignments from ``origin`` to ``destination`` on the routes the engine proposes.

    The routes are those of ``corridor routes`` (:func:`corridor.routes.find_routes` on the
    scenario's network, with its templates), under the same ids. The scenario's demand
    stays as background traffic; the trip's flow is the demand ``"trip"`` in the results.

    Parameters
    ----------
    origin, destination
        Node ids, names or aliases (any case).
    via, avoid
        Nodes every route must pass, or must not touch.
    families, k, weight, value_of_time_usd_day
        As for :func:`corridor.routes.find_routes` (through :func:`propose`).
    scenario
        Scenario providing the network, its changes, the start date, seed and the
        background demand: a bundled name, a TOML path or a loaded :class:`corridor.Model`.
    replications
        Replications (default: the scenario's).
    per_week, teu, tonnes, m3
        Consignments per week and the size of each (``teu``: boxes of a full container
        load; by default the unit follows the size, see :func:`corridor.pricing.consignment`).
    cargo_class, unit, value_usd
        The consignment's cargo class (value per tonne, stowage factor), unit of carriage
        and value (default: the class's).
    progress
        Show a progress bar.

    Returns
    -------
    tuple
        The results, and notes on routes skipped because a consignment cannot fit
        one of their services.
    """
    found = propose(
        origin,
        destination,
        scenario=scenario,
        via=via,
        avoid=avoid,
        families=families,
        k=k,
        weight=weight,
        value_of_time_usd_day=value_of_time_usd_day,
    )
    model, net, routes, templates = found.model, found.net, found.routes, found.templates
    sized = {"tonnes": tonnes, "m3": m3, "value_usd": value_usd, "cargo_class": cargo_class, "unit": unit, "teu": teu}
    cargo = consignment(
        net.cargo,
        tonnes=tonnes,
        m3=m3,
        value_usd=value_usd,
        cargo_class=cargo_class,
        unit=unit,
        teu=teu,
        field="--cargo",
    )
    usable, skipped = _carriable(net, routes, cargo)
    sc = model.scenario
    # A template's route runs under the template's id (the plan resolves it to the same path,
    # with the same engine); every other route is pinned link by link under its own id,
    # which no template has, so the templates the background demand uses stay as they are.
    pinned = [{"id": r.id, "name": r.name, "links": list(r.links)} for r in usable if r.id not in templates]
    flow = {
        "id": "trip",
        "origin": net.node_id(origin),
        "destination": net.node_id(destination),
        "cargo": "trip",
        "routes": [r.id for r in usable],
        "per_week": per_week,
        **{key: value for key, value in sized.items() if value is not None},
    }
    with_trip = model.evolve({"routes": [*sc.routes, *pinned], "demand": [*sc.demand, flow]})
    return with_trip.simulate(replications=replications, progress=progress), skipped
