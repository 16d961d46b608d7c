"""One origin–destination pair on every route that serves it, over a scenario's background."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from corridor._errors import RouteError
from corridor.costing import FEU_TONNES, KG_PER_TONNE
from corridor.network import Network, load_network
from corridor.results.frames import Results
from corridor.routes import Route, find_routes
from corridor.runner import simulate
from corridor.scenario import load_scenario, scenario_from_dict

__all__ = ["simulate_trip"]


def _oversize(net: Network, route: Route, *, teu: float, tonnes: float) -> list[str]:
    """The services on a route that a consignment of this size can never board."""
    out = []
    for lid in route.links:
        sid = str(net.links.at[lid, "service"] or "")
        if not sid:
            continue
        cap = float(cast(float, net.services["capacity"].at[sid]))
        unit = str(net.services["capacity_unit"].at[sid])
        if (tonnes * KG_PER_TONNE if unit == "kg" else teu) > cap:
            out.append(f"{sid} carries {cap:g} {unit}")
    return out


def simulate_trip(
    origin: str,
    destination: str,
    *,
    via: Sequence[str] = (),
    avoid: Sequence[str] = (),
    families: Sequence[str] | None = None,
    k: int = 3,
    scenario: str = "baseline-2025",
    replications: int | None = None,
    per_week: float = 1.0,
    teu: float = 2.0,
    tonnes: float = FEU_TONNES,
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
    families, k
        Keep only these families; routes per family (:func:`corridor.routes.find_routes`).
    scenario
        Scenario providing the network, its changes, the start date, seed and the
        background demand.
    replications
        Replications (default: the scenario's).
    per_week, teu, tonnes
        Consignments per week and the size of each.
    progress
        Show a progress bar.

    Returns
    -------
    tuple
        The results, and notes on routes skipped because a consignment cannot fit
        one of their services.
    """
    base = load_scenario(scenario)
    net = load_network(base.network_path()).with_changes([c.model_dump() for c in base.changes], file=base.file)
    templates = {**net.routes, **{r.id: r.model_dump() for r in base.routes}}
    routes = find_routes(net, origin, destination, via=via, avoid=avoid, families=families, k=k, templates=templates)
    skipped: list[str] = []
    usable: list[Route] = []
    for route in routes:
        too_small = _oversize(net, route, teu=teu, tonnes=tonnes)
        if too_small:
            size = f"{tonnes:g} t / {teu:g} TEU"
            skipped.append(f"route {route.id} skipped: a consignment of {size} is too large ({'; '.join(too_small)})")
        else:
            usable.append(route)
    if not usable:
        raise RouteError(
            "no route can carry the consignment; " + " ".join(skipped) + " Use a smaller --tonnes or --teu",
            field="tonnes",
        )
    data = base.model_dump(exclude={"file"})
    # A template's route runs under the template's id (the plan resolves it to the same path,
    # with the same engine); every other route is pinned link by link under its own id,
    # which no template has, so the templates the background demand uses stay as they are.
    data["routes"] = [
        *data["routes"],
        *[{"id": r.id, "name": r.name, "links": list(r.links)} for r in usable if r.id not in templates],
    ]
    data["demand"] = [
        *data["demand"],
        {
            "id": "trip",
            "origin": net.node_id(origin),
            "destination": net.node_id(destination),
            "cargo": "trip",
            "routes": [r.id for r in usable],
            "per_week": per_week,
            "teu": teu,
            "tonnes": tonnes,
        },
    ]
    sc = scenario_from_dict(data, file=base.file)
    return simulate(sc, replications=replications, network=None, progress=progress), skipped
