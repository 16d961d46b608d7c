"""Route finding on the network: route templates and k-shortest paths.

A *route template* (``geodata/routes.toml`` or a scenario's ``[[routes]]``) names the
intermediate nodes a path must pass (``via``) and the modes it may use. Resolving it
for an origin and a destination gives the fastest path through the via nodes, in
either order (templates are written once for both directions).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import networkx as nx

from corridor._errors import RouteError
from corridor.network import Network

__all__ = ["Route", "find_routes", "resolve_route", "route_from_nodes", "routes_between"]

Weight = Literal["time", "cost", "co2"]


@dataclass(frozen=True)
class Route:
    """A resolved route: the nodes and links of one path.

    Attributes
    ----------
    id, name, family
        From the template (``id`` is ``path-N`` for paths found by :func:`find_routes`).
    nodes, links
        Node ids and link ids along the path.
    distance_km, travel_h
        Sum of link lengths and moving times (no waiting, handling or border time).
    """

    id: str
    name: str
    family: str
    nodes: tuple[str, ...]
    links: tuple[str, ...]
    distance_km: float
    travel_h: float


def _edge_cost(data: Mapping[str, Any], weight: Weight, emission_factors: Mapping[str, float]) -> float:
    km = float(data["distance_km"])
    if weight == "time":
        return float(data["travel_h"])
    if weight == "cost":
        feu = float(data.get("tariff_usd_feu") or 0.0) + km * float(data.get("tariff_usd_feu_km") or 0.0)
        return feu + 20_000.0 * float(data.get("tariff_usd_kg") or 0.0)  # a 20 t FEU by air
    return km * emission_factors[str(data["co2_factor"])]


def _weight_fn(
    net: Network, *, weight: Weight, modes: Iterable[str] | None
) -> Callable[[str, str, dict[str, dict[str, Any]]], float | None]:
    allowed = set(modes) if modes is not None else None

    def fn(_u: str, _v: str, edges: dict[str, dict[str, Any]]) -> float | None:
        costs = [
            _edge_cost(d, weight, net.emission_factors)
            for d in edges.values()
            if allowed is None or d["mode"] in allowed
        ]
        return min(costs) if costs else None

    return fn


def _best_link(net: Network, u: str, v: str, *, weight: Weight, modes: Iterable[str] | None) -> str:
    allowed = set(modes) if modes is not None else None
    edges = net.graph.get_edge_data(u, v)
    best = min(
        (k for k, d in edges.items() if allowed is None or d["mode"] in allowed),
        key=lambda k: _edge_cost(edges[k], weight, net.emission_factors),
    )
    return str(best)


def _make_route(
    net: Network,
    nodes: Sequence[str],
    *,
    rid: str,
    name: str,
    family: str,
    weight: Weight,
    modes: Iterable[str] | None,
) -> Route:
    links = tuple(_best_link(net, u, v, weight=weight, modes=modes) for u, v in itertools.pairwise(nodes))
    frame = net.links.loc[list(links)]
    return Route(
        id=rid,
        name=name,
        family=family,
        nodes=tuple(nodes),
        links=links,
        distance_km=float(frame["distance_km"].sum()),
        travel_h=float(frame["travel_h"].sum()),
    )


def _view(net: Network, avoid: Iterable[str]) -> nx.MultiDiGraph:
    banned = set(avoid)
    if not banned:
        return net.graph
    return nx.subgraph_view(net.graph, filter_node=lambda n: n not in banned)


def resolve_route(
    net: Network,
    template: Mapping[str, Any],
    origin: str,
    destination: str,
    *,
    weight: Weight = "time",
) -> Route | None:
    """Resolve a route template for an origin and a destination.

    Parameters
    ----------
    net
        The network.
    template
        Mapping with ``id`` and optionally ``name``, ``family``, ``via`` (node ids or
        names), ``modes`` and ``avoid``.
    origin, destination
        Node ids.
    weight
        What the path minimises between via nodes.

    Returns
    -------
    Route or None
        ``None`` when the template cannot serve this pair (no path through its via
        nodes with its modes, in either order, without visiting a node twice).
    """
    if template.get("nodes"):
        fixed = route_from_nodes(net, template["nodes"], template=template)
        return fixed if (fixed.nodes[0], fixed.nodes[-1]) == (origin, destination) else None
    via = [net.node_id(v) for v in template.get("via", [])]
    via = [v for v in via if v not in (origin, destination)]
    modes = template.get("modes")
    avoid = [net.node_id(a) for a in template.get("avoid", [])]
    graph = _view(net, avoid)
    fn = _weight_fn(net, weight=weight, modes=modes)
    best: tuple[float, list[str]] | None = None
    for order in (via, via[::-1]) if len(via) > 1 else (via,):
        stops = [origin, *order, destination]
        path: list[str] = [origin]
        try:
            for a, b in itertools.pairwise(stops):
                # a later segment may not pass nodes an earlier one used (simple paths only)
                seen = set(path) - {a}
                segment_graph = nx.subgraph_view(graph, filter_node=lambda n, seen=seen: n not in seen)
                path += nx.shortest_path(segment_graph, a, b, weight=fn)[1:]
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            continue
        if len(set(path)) != len(path):
            continue
        total = nx.path_weight(graph, path, weight="travel_h") if modes is None else _path_cost(fn, graph, path)
        if best is None or total < best[0]:
            best = (total, path)
    if best is None:
        return None
    rid = str(template["id"])
    return _make_route(
        net,
        best[1],
        rid=rid,
        name=str(template.get("name") or rid),
        family=str(template.get("family") or rid),
        weight=weight,
        modes=modes,
    )


def _path_cost(
    fn: Callable[[str, str, dict[str, dict[str, Any]]], float | None],
    graph: nx.MultiDiGraph,
    path: Sequence[str],
) -> float:
    total = 0.0
    for u, v in itertools.pairwise(path):
        cost = fn(u, v, graph.get_edge_data(u, v))
        total += math.inf if cost is None else cost
    return total


def _resolve_with_extra(
    net: Network, template: Mapping[str, Any], origin: str, destination: str, extra: Sequence[str]
) -> Route | None:
    """Resolve a template with extra via nodes inserted where they fit best (fastest)."""
    base = [net.node_id(v) for v in template.get("via", [])]
    if not extra:
        return resolve_route(net, template, origin, destination)
    best: Route | None = None
    for positions in itertools.combinations_with_replacement(range(len(base) + 1), len(extra)):
        via = list(base)
        for offset, (pos, node) in enumerate(zip(positions, extra, strict=True)):
            via.insert(pos + offset, node)
        route = resolve_route(net, {**template, "via": via}, origin, destination)
        if route is not None and set(extra) <= set(route.nodes) and (best is None or route.travel_h < best.travel_h):
            best = route
    return best


def routes_between(
    net: Network,
    origin: str,
    destination: str,
    *,
    templates: Mapping[str, Mapping[str, Any]] | None = None,
    via: Sequence[str] = (),
) -> list[Route]:
    """Every route template that serves an origin–destination pair, fastest first.

    Parameters
    ----------
    net
        The network.
    origin, destination
        Node ids, names or aliases.
    templates
        Route templates (default: the network's ``routes.toml``).
    via
        Extra nodes every route must pass; templates that then fail are dropped.

    Raises
    ------
    RouteError
        If no template serves the pair.
    """
    o = net.node_id(origin, field="origin")
    d = net.node_id(destination, field="destination")
    if o == d:
        raise RouteError(
            "origin and destination are the same node; give two different nodes",
            field="destination",
        )
    extra = [net.node_id(v, field="via") for v in via]
    found: dict[tuple[str, ...], Route] = {}
    for tpl in (templates if templates is not None else net.routes).values():
        route = _resolve_with_extra(net, tpl, o, d, extra)
        if route is not None and route.links not in found:
            found[route.links] = route
    if not found:
        raise RouteError(
            f"no route template serves {net.node_name(o)} -> {net.node_name(d)}"
            + (f" via {', '.join(extra)}" if extra else "")
            + "; check the nodes are linked, or add a template to routes.toml",
            field="destination",
        )
    return sorted(found.values(), key=lambda r: r.travel_h)


def find_routes(
    net: Network,
    origin: str,
    destination: str,
    *,
    k: int = 3,
    weight: Weight = "time",
    via: Sequence[str] = (),
    avoid: Sequence[str] = (),
) -> list[Route]:
    """The k best simple paths between two nodes by time, cost or CO2.

    Parameters
    ----------
    net
        The network.
    origin, destination
        Node ids, names or aliases.
    k
        How many paths at most.
    weight
        ``"time"`` (moving hours), ``"cost"`` (USD per FEU) or ``"co2"`` (g per tonne).
    via
        Nodes every path must pass, in this order.
    avoid
        Nodes no path may touch.
    """
    if k < 1:
        raise RouteError(f"k must be at least 1 (got {k})", field="k")
    o = net.node_id(origin, field="origin")
    d = net.node_id(destination, field="destination")
    vias = [net.node_id(v, field="via") for v in via]
    banned = {net.node_id(a, field="avoid") for a in avoid}
    simple = nx.DiGraph()
    fn = _weight_fn(net, weight=weight, modes=None)
    for u, v in net.graph.edges():
        if u in banned or v in banned or simple.has_edge(u, v):
            continue
        cost = fn(u, v, net.graph.get_edge_data(u, v))
        if cost is not None:
            simple.add_edge(u, v, w=cost)
    out: list[Route] = []
    try:
        if not vias:
            gen = nx.shortest_simple_paths(simple, o, d, weight="w")
            paths = list(itertools.islice(gen, k))
        else:
            path = [o]
            for a, b in itertools.pairwise([o, *vias, d]):
                path += nx.shortest_path(simple, a, b, weight="w")[1:]
            paths = [path]
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        paths = []
    for i, p in enumerate(paths):
        out.append(
            _make_route(
                net,
                p,
                rid=f"path-{i + 1}",
                name=" > ".join(p),
                family="path",
                weight=weight,
                modes=None,
            )
        )
    if not out:
        raise RouteError(f"no path from {o} to {d}; check the network links these nodes", field="destination")
    return out


def route_from_nodes(
    net: Network,
    nodes: Sequence[str],
    *,
    template: Mapping[str, Any],
    file: str | None = None,
    field: str | None = None,
) -> Route:
    """Build a route from a fixed list of nodes.

    Parameters
    ----------
    net
        The network.
    nodes
        Node ids, names or aliases, in order; consecutive nodes must be linked.
    template
        The route's ``id`` and optional ``name``, ``family`` and ``modes``.
    file, field
        Where the nodes came from, for error messages.

    Raises
    ------
    RouteError
        For an unknown node, or two consecutive nodes with no link (of the allowed modes).
    """
    where = field or f"routes.{template['id']}.nodes"
    ids = [net.node_id(n, file=file, field=f"{where}[{i}]") for i, n in enumerate(nodes)]
    modes = template.get("modes")
    for i, (u, v) in enumerate(itertools.pairwise(ids)):
        edges = net.graph.get_edge_data(u, v) or {}
        if not any(modes is None or d["mode"] in modes for d in edges.values()):
            kind = f" of mode {', '.join(modes)}" if modes else ""
            linked = sorted(net.graph.successors(u))
            raise RouteError(
                f"no link{kind} from {u!r} to {v!r}; from {u!r} the network reaches {linked}: "
                "list consecutive nodes that are linked",
                file=file,
                field=f"{where}[{i + 1}]",
            )
    rid = str(template["id"])
    return _make_route(
        net,
        ids,
        rid=rid,
        name=str(template.get("name") or rid),
        family=str(template.get("family") or rid),
        weight="time",
        modes=modes,
    )
