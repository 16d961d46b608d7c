"""One origin–destination pair on every route that serves it, over a scenario's background."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from corridor._errors import RouteError
from corridor.costing import FEU_TONNES, KG_PER_TONNE
from corridor.network import Network, load_network
from corridor.results.frames import Results
from corridor.routes import Route, routes_between
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
    scenario: str = "baseline-2025",
    replications: int | None = None,
    per_week: float = 1.0,
    teu: float = 2.0,
    tonnes: float = FEU_TONNES,
    progress: bool = False,
) -> tuple[Results, list[str]]:
    """Simulate consignments from ``origin`` to ``destination`` on every route serving them.

    The scenario's demand stays as background traffic; the trip's flow is the demand
    ``"trip"`` in the results, one route per template that serves the pair.

    Parameters
    ----------
    origin, destination
        Node ids, names or aliases (any case).
    via
        Nodes every route must pass.
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
    routes = routes_between(net, origin, destination, templates=templates, via=via)
    skipped: list[str] = []
    usable: list[str] = []
    for route in routes:
        too_small = _oversize(net, route, teu=teu, tonnes=tonnes)
        if too_small:
            size = f"{tonnes:g} t / {teu:g} TEU"
            skipped.append(f"route {route.id} skipped: a consignment of {size} is too large ({'; '.join(too_small)})")
        else:
            usable.append(route.id)
    if not usable:
        raise RouteError(
            "no route can carry the consignment; " + " ".join(skipped) + " Use a smaller --tonnes or --teu",
            field="tonnes",
        )
    data = base.model_dump(exclude={"file"})
    # Without --via the templates resolve to the paths found above. With --via the paths
    # are pinned under new ids, so that the templates the background demand uses stay as
    # they are (a template pinned to Xi'an's path cannot serve Aktau -> Belgrade).
    suffix = "-via-" + "-".join(net.node_id(v) for v in via) if via else ""
    if suffix:
        usable = [f"{rid}{suffix}" for rid in usable]
    data["routes"] = [
        *data["routes"],
        *[
            {
                "id": f"{r.id}{suffix}",
                "name": r.name,
                "family": r.family,
                "via": list(r.nodes[1:-1]),
                "modes": sorted(set(net.links.loc[list(r.links), "mode"])),
            }
            for r in routes
            if f"{r.id}{suffix}" in usable and suffix
        ],
    ]
    data["demand"] = [
        *data["demand"],
        {
            "id": "trip",
            "origin": net.node_id(origin),
            "destination": net.node_id(destination),
            "cargo": "trip",
            "routes": usable,
            "per_week": per_week,
            "teu": teu,
            "tonnes": tonnes,
        },
    ]
    sc = scenario_from_dict(data, file=base.file)
    return simulate(sc, replications=replications, network=None, progress=progress), skipped
