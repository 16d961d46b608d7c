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
import pandas as pd

from corridor._errors import RouteError
from corridor.costing import (
    FEU_KG,
    FEU_TONNES,
    HOURS_PER_DAY,
    border_time_and_charge,
    leg_estimate,
    link_charge_usd,
    link_co2_kg,
)
from corridor.network import CompiledNetwork, Network

__all__ = [
    "Route",
    "classify",
    "families",
    "find_routes",
    "resolve_route",
    "route_from_nodes",
    "route_table",
    "routes_between",
]

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


def _edge_cost(cn: CompiledNetwork, link: str, weight: Weight) -> float:
    """A link's weight for template resolution: hours, charge per 20-t FEU, or kg CO2e per FEU."""
    li = cn.link_index[link]
    if weight == "time":
        return cn.link_time_h[li]
    if weight == "cost":
        return link_charge_usd(cn, li, feu=1.0, kg=FEU_KG)
    return link_co2_kg(cn, li, tonnes=FEU_TONNES)


def _weight_fn(
    net: Network, *, weight: Weight, modes: Iterable[str] | None
) -> Callable[[str, str, dict[str, dict[str, Any]]], float | None]:
    allowed = set(modes) if modes is not None else None
    cn = net.compile()

    def fn(_u: str, _v: str, edges: dict[str, dict[str, Any]]) -> float | None:
        costs = [_edge_cost(cn, k, weight) for k, d in edges.items() if allowed is None or d["mode"] in allowed]
        return min(costs) if costs else None

    return fn


def _best_link(net: Network, u: str, v: str, *, weight: Weight, modes: Iterable[str] | None) -> str:
    allowed = set(modes) if modes is not None else None
    edges = net.graph.get_edge_data(u, v)
    cn = net.compile()
    best = min(
        (k for k, d in edges.items() if allowed is None or d["mode"] in allowed),
        key=lambda k: _edge_cost(cn, k, weight),
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


def families(net: Network) -> dict[str, list[str]]:
    """Route families and the template ids in each (from ``routes.toml``).

    A family (``middle-black-sea``, ``middle-turkiye``, ``northern``, ``southern``,
    ``sea-piraeus``, ``sea-cape``, ``sea-poti``, ``air``, ``caspian``) groups templates that
    compete as one corridor.
    """
    out: dict[str, list[str]] = {}
    for rid, tpl in net.routes.items():
        out.setdefault(str(tpl.get("family") or rid), []).append(rid)
    return out


def classify(net: Network, nodes: Sequence[str]) -> str:
    """The family of the first template whose via nodes a path passes and whose avoid nodes it misses.

    Parameters
    ----------
    net
        The network.
    nodes
        Node ids of the path.

    Returns
    -------
    str
        A family name, or ``"other"``.
    """
    on = set(nodes)
    for rid, tpl in net.routes.items():
        via = {net.node_id(v) for v in tpl.get("via", [])} - {nodes[0], nodes[-1]}
        avoid = {net.node_id(a) for a in tpl.get("avoid", [])}
        modes = tpl.get("modes")
        if not via or not via <= on or on & avoid:
            continue
        if modes is not None and any(
            not any(d["mode"] in modes for d in net.graph.get_edge_data(u, v).values())
            for u, v in itertools.pairwise(nodes)
        ):
            continue
        return str(tpl.get("family") or rid)
    return "other"


def _compiled_digraph(
    cn: CompiledNetwork, *, weight: Weight, banned: set[int], modes: set[str] | None
) -> tuple[nx.DiGraph, dict[tuple[int, int], int]]:
    """Collapse the compiled links to a DiGraph: per node pair, the best link by ``weight``.

    The weight of a link is its moving time plus the border time of the node it enters
    (``time``), its charges per FEU plus the entered border's fee (``cost``), or kg CO2e
    per FEU of 20 t (``co2``).
    """
    graph = nx.DiGraph()
    best: dict[tuple[int, int], int] = {}
    for li in range(len(cn.link_ids)):
        u, v = cn.link_from[li], cn.link_to[li]
        if u in banned or v in banned or (modes is not None and cn.link_mode[li] not in modes):
            continue
        border_h, border_usd = border_time_and_charge(cn, v)
        if weight == "time":
            w = cn.link_time_h[li] + border_h
        elif weight == "cost":
            w = link_charge_usd(cn, li, feu=1.0, kg=FEU_KG) + border_usd
        else:
            w = link_co2_kg(cn, li, tonnes=FEU_TONNES)
        if (u, v) not in best or w < graph[u][v]["w"]:
            best[(u, v)] = li
            graph.add_edge(u, v, w=w)
    return graph, best


def find_routes(
    net: Network,
    origin: str,
    destination: str,
    *,
    k: int = 3,
    weight: Weight = "time",
    via: Sequence[str] = (),
    avoid: Sequence[str] = (),
    modes: Sequence[str] | None = None,
    max_tries: int = 500,
) -> list[Route]:
    """The k best simple paths between two nodes by time, cost or CO2, on the compiled network.

    Works on :meth:`Network.compile`'s integer-indexed links (as the engine does): each
    node pair keeps its best link for the weight, then NetworkX's
    ``shortest_simple_paths`` yields paths in order. Each path is labelled with its route
    family (:func:`classify`).

    Parameters
    ----------
    net
        The network.
    origin, destination
        Node ids, names or aliases.
    k
        How many paths at most.
    weight
        ``"time"`` (moving hours plus border hours), ``"cost"`` (USD per FEU, air at 20 t)
        or ``"co2"`` (kg CO2e per 20-t FEU).
    via
        Nodes every path must pass, in this order.
    avoid
        Nodes no path may touch.
    modes
        Modes a path may use (default: all), e.g. ``["rail", "sea", "ferry", "road"]``
        to leave out the flight.
    max_tries
        How many candidate paths to examine when ``via`` filters them.

    Raises
    ------
    RouteError
        If ``k`` < 1, a node is unknown or no path exists.
    """
    if k < 1:
        raise RouteError(f"k must be at least 1 (got {k})", field="k")
    if weight not in ("time", "cost", "co2"):
        raise RouteError(f"unknown weight {weight!r}; use time, cost or co2", field="weight")
    o = net.node_id(origin, field="origin")
    d = net.node_id(destination, field="destination")
    if o == d:
        raise RouteError("origin and destination are the same node; give two different nodes", field="destination")
    vias = [net.node_id(v, field="via") for v in via]
    banned_ids = {net.node_id(a, field="avoid") for a in avoid}
    if banned_ids & {o, d, *vias}:
        raise RouteError("a node is both required and avoided; remove it from avoid", field="avoid")
    cn = net.compile()
    idx = cn.node_index
    graph, best = _compiled_digraph(
        cn, weight=weight, banned={idx[b] for b in banned_ids}, modes=set(modes) if modes is not None else None
    )
    want = [idx[v] for v in vias]
    paths: list[list[int]] = []
    try:
        for tries, path in enumerate(nx.shortest_simple_paths(graph, idx[o], idx[d], weight="w")):
            if tries >= max_tries or len(paths) >= k:
                break
            pos = [path.index(n) if n in path else -1 for n in want]
            if all(p >= 0 for p in pos) and pos == sorted(pos):
                paths.append(path)
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        paths = []
    if not paths:
        raise RouteError(
            f"no path from {o} to {d}"
            + (f" via {', '.join(vias)}" if vias else "")
            + "; check the network links these nodes",
            field="destination",
        )
    out: list[Route] = []
    for i, p in enumerate(paths):
        nodes = [cn.node_ids[n] for n in p]
        links = tuple(cn.link_ids[best[(a, b)]] for a, b in itertools.pairwise(p))
        out.append(
            Route(
                id=f"path-{i + 1}",
                name=" > ".join(nodes),
                family=classify(net, nodes),
                nodes=tuple(nodes),
                links=links,
                distance_km=sum(cn.link_length_km[cn.link_index[lid]] for lid in links),
                travel_h=sum(cn.link_time_h[cn.link_index[lid]] for lid in links),
            )
        )
    return out


def route_table(net: Network, routes: Sequence[Route], *, tonnes: float = FEU_TONNES) -> pd.DataFrame:
    """A static estimate per route: distance, expected time, cost and CO2 per FEU.

    Expected time = moving time + border clearance + handling and gauge changes (where
    the mode, service or gauge changes) + half the headway of each timetabled service
    (half the longest berth wait for when-full vessels). No queues and no variability:
    ``corridor trip`` simulates those.

    Parameters
    ----------
    net
        The network.
    routes
        Routes from :func:`routes_between` or :func:`find_routes`.
    tonnes
        Cargo per FEU, for per-kg tariffs (air) and CO2.

    Returns
    -------
    pandas.DataFrame
        One row per route: ``route, family, distance_km, moving_h, border_h, handling_h,
        wait_h, days, cost_usd_feu, co2_kg_feu, path``.
    """
    cn = net.compile()
    rows = []
    for route in routes:
        moving = border = handling = wait = cost = co2 = 0.0
        prev: int | None = None
        for lid in route.links:
            li = cn.link_index[lid]
            est = leg_estimate(cn, prev, li, feu=1.0, tonnes=tonnes)
            handling += est.handling_h
            border += est.border_h
            wait += est.wait_h
            moving += est.travel_h
            cost += est.usd
            co2 += est.co2_kg
            prev = li
        total = moving + border + handling + wait
        rows.append(
            {
                "route": route.id,
                "family": route.family,
                "distance_km": route.distance_km,
                "moving_h": moving,
                "border_h": border,
                "handling_h": handling,
                "wait_h": wait,
                "days": total / HOURS_PER_DAY,
                "cost_usd_feu": cost,
                "co2_kg_feu": co2,
                "path": " > ".join(route.nodes),
            }
        )
    return pd.DataFrame(rows)


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
