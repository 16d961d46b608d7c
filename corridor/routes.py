"""The one route engine: which routes a forwarder would quote between any two nodes.

:func:`find_routes` gathers candidates from two sources and prunes them:

* **route templates** (``geodata/routes.toml`` or a scenario's ``[[routes]]``), used as
  sub-routes: a template serves a pair when a path passes its via nodes between the origin
  and the destination (:func:`resolve_route`);
* **k-shortest simple paths** on the compiled network (the integer-indexed links the
  engine runs on) by time, cost and CO2, and by generalised cost when a value of time is
  given.

Duplicates are merged (a template's id wins). Every candidate gets its **family** from what
it uses (:func:`family_of`: a flight, a deep-sea leg, Russia, Iran, a Caspian crossing and
its branch), never from a template's name. Pruning, as a forwarder would:

1. no route visits a node twice;
2. within a family, a route that another route of the family matches or beats on both
   expected time and cost (and beats on one) is dropped;
3. a route that is not the fastest of its family is dropped when it takes more than
   :data:`DETOUR_RATIO` (1.5) times the fastest route's days *and* costs more than 1.5
   times the cheapest route's USD per FEU;
4. the fastest route of each family is always kept; at most ``k`` routes per family.

Times and costs are the static estimate of :func:`estimate` (the same rules the simulation
applies, at their means, with the expected waits for services; no queues, closures or
variability: ``corridor trip`` and ``corridor routes --simulate`` simulate those).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

import networkx as nx
import pandas as pd

from corridor._errors import RouteError
from corridor.costing import (
    FEU_KG,
    FEU_TONNES,
    HOURS_PER_DAY,
    KG_PER_TONNE,
    end_time_and_cost,
    expected_wait_h,
    headway_h,
    leg_estimate,
    link_charge_usd,
    link_co2_kg,
    link_crossing,
)
from corridor.network import CompiledNetwork, Network
from corridor.pricing import Consignment, route_charges

__all__ = [
    "DETOUR_RATIO",
    "Estimate",
    "Route",
    "estimate",
    "family_of",
    "find_routes",
    "resolve_route",
    "route_from_links",
    "route_from_nodes",
    "route_table",
    "template_families",
]

Weight = Literal["time", "cost", "co2", "generalised"]
_WEIGHTS = ("time", "cost", "co2", "generalised")

#: A route that is not the fastest of its family is dropped when it is more than this many
#: times the fastest route's days and the cheapest route's cost (both).
DETOUR_RATIO = 1.5


@dataclass(frozen=True)
class Route:
    """A resolved route: the nodes and links of one path.

    Attributes
    ----------
    id, name
        A template's id and name; for a path found on the network ``<family>-path-<n>``
        and its nodes. With ``via`` or ``avoid``, a template's id gets ``-via-…`` and
        ``-avoid-…`` so that it is not mistaken for the template's own path.
    family
        Derived from what the path uses (:func:`family_of`), or a scenario route's ``family``.
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


class Estimate(NamedTuple):
    """The static estimate of one route for one FEU: hours by cause, USD and kg CO2e."""

    moving_h: float
    border_h: float
    handling_h: float
    wait_h: float
    cost_usd: float
    co2_kg: float
    dwell_h: float = 0.0

    @property
    def hours(self) -> float:
        """Expected door-to-door hours."""
        return self.moving_h + self.border_h + self.handling_h + self.dwell_h + self.wait_h


def estimate(
    cn: CompiledNetwork, links: Sequence[int], *, tonnes: float = FEU_TONNES, fill_h: Mapping[int, float] | None = None
) -> Estimate:
    """Static estimate of a path of link indices for one FEU of ``tonnes``.

    The sum of :func:`corridor.costing.leg_estimate` over the legs, the rule the engine's
    route choice starts from: node times and charges where the mode, service or gauge
    changes or a border is crossed, dwell at the origin, the yards and the destination
    (means), the expected wait for each service, the mean
    travel time, the tariffs and CO2. With ``fill_h`` (:func:`corridor.plan.fill_hours`:
    hours a when-full vessel takes to fill with a scenario's traffic, per link), the wait
    for a when-full service follows that traffic (:func:`_when_full_wait_h`) instead of
    half the longest wait.
    """
    moving = border = handling = dwell = wait = cost = co2 = 0.0
    prev: int | None = None
    for li in links:
        leg = leg_estimate(cn, prev, li, feu=1.0, tonnes=tonnes)
        moving += leg.travel_h
        border += leg.border_h
        handling += leg.handling_h
        dwell += leg.dwell_h
        svc = cn.link_service[li]
        if fill_h is not None and svc >= 0 and cn.services[svc].kind == "when_full":
            wait += _when_full_wait_h(cn, li, fill_h.get(li, math.inf))
        else:
            wait += leg.wait_h
        cost += leg.usd
        co2 += leg.co2_kg
        prev = li
    if prev is not None:  # the stop at the destination: clearance if it enters from abroad, dwell
        end = end_time_and_cost(cn, prev)
        border += end.border_h
        dwell += end.dwell_h
        cost += end.usd_per_feu
    return Estimate(moving, border, handling, wait, cost, co2, dwell)


def _when_full_wait_h(cn: CompiledNetwork, link: int, fill: float) -> float:
    """Expected wait for a when-full vessel on ``link`` whose cargo fills one in ``fill`` hours.

    A vessel sails when full or after its longest wait: ``w = min(max_wait_h, fill)`` at
    berth. A port sees a sailing every ``w`` hours at most often, and no more often than
    the fleet comes back: a round trip (:func:`corridor.costing.headway_h`: both crossings
    and port times, shared by the fleet) plus ``w`` at each end, shared by the fleet. A
    shipment arriving at a random time waits half the longer of the two.
    """
    svc = cn.link_service[link]
    service = cn.services[svc]
    crossing = [cn.link_time_h[li] for li, s in enumerate(cn.link_service) if s == svc]
    w = min(service.max_wait_h, fill)
    fleet = headway_h(service, crossing_h=crossing) + 2.0 * w / max(service.vessels, 1)
    return max(w, fleet) / 2.0


# -- families ------------------------------------------------------------------------------
def family_of(net: Network, links: Sequence[str]) -> str:
    """The family of a path: the first ``[[family]]`` rule of ``routes.toml`` it meets.

    A rule lists any of ``modes`` (the path uses one of them), ``groups`` (the path uses
    a link of every group listed), ``all_groups`` (every link of the path is in one of
    them), ``countries`` (the path passes a node in one of them) and ``nodes`` (the path
    passes one of them). A path that meets no rule is ``overland``.

    Parameters
    ----------
    net
        The network (its ``family_rules``).
    links
        Link ids of the path.
    """
    frame = net.links.loc[list(links)]
    modes = set(frame["mode"])
    each = [str(g) if isinstance(g, str) else "" for g in frame["group"]]
    groups = {g for g in each if g}
    nodes = set(frame["from"]) | set(frame["to"])
    countries = set(net.nodes.loc[list(nodes), "country"])
    for rule in net.family_rules:
        if rule.get("modes") and not modes & set(rule["modes"]):
            continue
        if rule.get("groups") and not set(rule["groups"]) <= groups:
            continue
        if rule.get("all_groups") and not all(g in rule["all_groups"] for g in each):
            continue
        if rule.get("countries") and not countries & set(rule["countries"]):
            continue
        if rule.get("nodes") and not nodes & set(rule["nodes"]):
            continue
        return str(rule["id"])
    return "overland"


def template_families(net: Network) -> dict[str, str]:
    """Template id -> the family of the template's own path, from its first to its last via node.

    For labels and colours where no origin and destination are at hand (charts of results
    by route id). A template with fewer than two via nodes gets the family of the first
    link (in ``links.geojson`` order) that its modes allow away from its avoid nodes.
    """
    out: dict[str, str] = {}
    links = net.open_links
    for rid, tpl in net.routes.items():
        via = [net.node_id(v) for v in tpl.get("via", [])]
        route = resolve_route(net, tpl, via[0], via[-1]) if len(via) >= 2 else None
        if route is not None:
            out[rid] = route.family
            continue
        modes = tpl.get("modes")
        avoid = {net.node_id(a) for a in tpl.get("avoid", [])}
        usable = links[
            (links["mode"].isin(modes) if modes else links["mode"].notna())
            & ~links["from"].isin(avoid)
            & ~links["to"].isin(avoid)
        ]
        out[rid] = family_of(net, [str(usable.index[0])]) if len(usable) else str(tpl.get("family") or rid)
    return out


# -- templates -----------------------------------------------------------------------------
def _edge_fn(cn: CompiledNetwork, modes: Iterable[str] | None) -> Any:
    """Hours of the fastest allowed link between two nodes, with the border time of its crossings.

    The crossings at its ends as :func:`corridor.costing.link_crossing` counts them.
    """
    allowed = set(modes) if modes is not None else None
    crossing = {lid: link_crossing(cn, i)[0] for i, lid in enumerate(cn.link_ids)}

    def fn(_u: str, _v: str, edges: dict[str, dict[str, Any]]) -> float | None:
        times = [
            float(d["travel_h"]) + crossing.get(lid, 0.0)
            for lid, d in edges.items()
            if allowed is None or d["mode"] in allowed
        ]
        return min(times) if times else None

    return fn


def _best_link(net: Network, u: str, v: str, *, modes: Iterable[str] | None) -> str:
    allowed = set(modes) if modes is not None else None
    edges = net.graph.get_edge_data(u, v)
    return str(
        min(
            (k for k, d in edges.items() if allowed is None or d["mode"] in allowed), key=lambda k: edges[k]["travel_h"]
        )
    )


def _route(net: Network, links: Sequence[str], *, rid: str, name: str, family: str | None) -> Route:
    frame = net.links.loc[list(links)]
    nodes = (str(frame["from"].iloc[0]), *(str(t) for t in frame["to"]))
    return Route(
        id=rid,
        name=name,
        family=family or family_of(net, links),
        nodes=nodes,
        links=tuple(links),
        distance_km=float(frame["distance_km"].sum()),
        travel_h=float(frame["travel_h"].sum()),
    )


def _sub_via(via: Sequence[str], origin: str, destination: str) -> list[str] | None:
    """The via nodes between the origin and the destination, in this order of the template.

    ``None`` when the template, read in this order, does not lead from the origin to the
    destination: the destination comes first, or one end is on the template and the other
    is not and no via node is left between them (the template ends or starts there).
    """
    stops = list(via)
    on_o, on_d = origin in stops, destination in stops
    if on_o and on_d:
        i, j = stops.index(origin), stops.index(destination)
        return stops[i + 1 : j] if i < j else None
    if on_o:
        stops = stops[stops.index(origin) + 1 :]
    elif on_d:
        stops = stops[: stops.index(destination)]
    return stops if stops or not (on_o or on_d) else None


def resolve_route(
    net: Network,
    template: Mapping[str, Any],
    origin: str,
    destination: str,
    *,
    via: Sequence[str] = (),
    avoid: Sequence[str] = (),
    cn: CompiledNetwork | None = None,
) -> Route | None:
    """Resolve a route template for an origin and a destination, as a sub-route.

    The template's via nodes are read in either order; where the origin or the
    destination is one of them, only those between the two count. Nodes in ``via`` are
    added where they fit best (fastest). The path through them is the fastest with the
    template's modes, away from its ``avoid`` nodes and ``avoid``, and visits no node twice.

    Parameters
    ----------
    net
        The network.
    template
        Mapping with ``id`` and optionally ``name``, ``family`` (a label that replaces the
        derived family), ``via``, ``nodes`` or ``links`` (a fixed path), ``modes`` and ``avoid``.
    origin, destination
        Node ids.
    via, avoid
        Node ids every route must pass, or must not touch.
    cn
        ``net.compile()``, when the caller has it already.

    Returns
    -------
    Route or None
        ``None`` when the template cannot serve this pair.
    """
    label = template.get("family")
    if template.get("links") or template.get("nodes"):
        fixed = (
            route_from_links(net, template["links"], template=template)
            if template.get("links")
            else route_from_nodes(net, template["nodes"], template=template)
        )
        ok = (fixed.nodes[0], fixed.nodes[-1]) == (origin, destination) and set(via) <= set(fixed.nodes)
        return fixed if ok and not set(avoid) & set(fixed.nodes) else None
    base = [net.node_id(v) for v in template.get("via", [])]
    banned = {net.node_id(a) for a in template.get("avoid", [])} | set(avoid)
    if banned & {origin, destination, *via, *base}:
        return None
    modes = template.get("modes")
    graph = nx.subgraph_view(net.graph, filter_node=lambda n: n not in banned) if banned else net.graph
    fn = _edge_fn(cn if cn is not None else net.compile(), modes)
    best: tuple[float, list[str]] | None = None
    for order in (base, base[::-1]):
        stops = _sub_via(order, origin, destination)
        if stops is None:
            continue
        for placed in _with_extra(stops, [v for v in via if v not in stops]):
            path = _chain(graph, [origin, *placed, destination], fn)
            if path is not None:
                cost = _cost(graph, path, fn)
                if best is None or cost < best[0]:
                    best = (cost, path)
    if best is None:
        return None
    links = [_best_link(net, u, v, modes=modes) for u, v in itertools.pairwise(best[1])]
    rid = str(template["id"])
    return _route(net, links, rid=rid, name=str(template.get("name") or rid), family=label)


def _with_extra(stops: list[str], extra: list[str]) -> Iterable[list[str]]:
    """Every way to insert ``extra`` (in its order) among ``stops``."""
    if not extra:
        yield stops
        return
    for positions in itertools.combinations_with_replacement(range(len(stops) + 1), len(extra)):
        out = list(stops)
        for offset, (pos, node) in enumerate(zip(positions, extra, strict=True)):
            out.insert(pos + offset, node)
        yield out


def _chain(graph: nx.MultiDiGraph, stops: list[str], fn: Any) -> list[str] | None:
    """The fastest path through ``stops`` in order that visits no node twice, or None."""
    path = [stops[0]]
    for k, (a, b) in enumerate(itertools.pairwise(stops)):
        seen = (set(path) | set(stops[k + 2 :])) - {a}
        view = nx.subgraph_view(graph, filter_node=lambda n, seen=seen: n not in seen)
        try:
            path += nx.shortest_path(view, a, b, weight=fn)[1:]
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            return None
    return path if len(set(path)) == len(path) else None


def _cost(graph: nx.MultiDiGraph, path: Sequence[str], fn: Any) -> float:
    total = 0.0
    for u, v in itertools.pairwise(path):
        cost = fn(u, v, graph.get_edge_data(u, v))
        total += math.inf if cost is None else cost
    return total


# -- k-shortest paths on the compiled network ----------------------------------------------
def _digraph(
    cn: CompiledNetwork, *, weight: str, banned: set[int], modes: set[str] | None, vot_usd_h: float
) -> tuple[nx.DiGraph, dict[tuple[int, int], int]]:
    """Per node pair, the best link by ``weight``, as a weighted DiGraph.

    A link weighs its moving time plus the expected wait for its service, the border time
    of the crossings at its ends (:func:`corridor.costing.link_crossing`) and the handling
    where it boards a service (``time``); its
    tariffs plus those nodes' charges (``cost``; the terminal handling where it boards a
    service, though a vessel boarded from another vessel pays the transshipment charge,
    :func:`corridor.costing.handling_charge_usd`: a ranking weight); kg CO2e per 20-t FEU (``co2``); or cost
    plus ``vot_usd_h`` per hour (``generalised``). The exact figures of a path come from
    :func:`estimate`; these weights only rank candidates.
    """
    graph = nx.DiGraph()
    best: dict[tuple[int, int], int] = {}
    for li in range(len(cn.link_ids)):
        u, v = cn.link_from[li], cn.link_to[li]
        if u in banned or v in banned or (modes is not None and cn.link_mode[li] not in modes):
            continue
        svc = cn.link_service[li]
        border_h, border_usd = link_crossing(cn, li)
        hours = cn.link_time_h[li] + border_h
        usd = link_charge_usd(cn, li, feu=1.0, kg=FEU_KG) + border_usd
        if svc >= 0:
            hours += expected_wait_h(cn.services[svc]) + cn.node_handling_h[u]
            usd += cn.node_handling_usd[u]
        if weight == "time":
            w = hours
        elif weight == "cost":
            w = usd
        elif weight == "co2":
            w = link_co2_kg(cn, li, tonnes=FEU_TONNES)
        else:
            w = usd + vot_usd_h * hours
        if (u, v) not in best or w < graph[u][v]["w"]:
            best[(u, v)] = li
            graph.add_edge(u, v, w=w)
    return graph, best


def _k_paths(graph: nx.DiGraph, stops: list[int], k: int) -> list[list[int]]:
    """Up to ``k`` simple paths through ``stops`` in order, lightest first."""
    segments: list[list[tuple[float, list[int]]]] = []
    for a, b in itertools.pairwise(stops):
        others = set(stops) - {a, b}
        view = nx.subgraph_view(graph, filter_node=lambda n, o=others: n not in o) if others else graph
        found: list[tuple[float, list[int]]] = []
        try:
            for path in itertools.islice(nx.shortest_simple_paths(view, a, b, weight="w"), k):
                found.append((nx.path_weight(view, path, weight="w"), path))
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            return []
        if not found:
            return []
        segments.append(found)
    combos: list[tuple[float, list[int]]] = []
    for parts in itertools.product(*segments):
        path = [stops[0]]
        for _, seg in parts:
            path += seg[1:]
        if len(set(path)) == len(path):
            combos.append((sum(w for w, _ in parts), path))
    combos.sort(key=lambda c: c[0])
    return [p for _, p in combos[:k]]


# -- the engine ----------------------------------------------------------------------------
@dataclass
class _Candidate:
    route: Route
    est: Estimate


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
    families: Sequence[str] | None = None,
    templates: Mapping[str, Mapping[str, Any]] | None = None,
    sources: Sequence[Literal["templates", "paths"]] = ("templates", "paths"),
    value_of_time_usd_day: float = 0.0,
    fill_h: Mapping[int, float] | None = None,
    prune: bool = True,
) -> list[Route]:
    """The routes between two nodes that a forwarder would quote, best first.

    Parameters
    ----------
    net
        The network.
    origin, destination
        Node ids, names, aliases or UN/LOCODEs (any case).
    k
        Shortest paths per weight (time, cost, CO2, and generalised cost with a value of
        time), and the most routes kept per family.
    weight
        What the result is sorted by: expected ``time``, ``cost`` per FEU, ``co2`` per
        FEU, or ``generalised`` cost (cost plus ``value_of_time_usd_day`` per day).
    via
        Nodes every route must pass, in this order.
    avoid
        Nodes no route may touch.
    modes
        Modes a route may use (default: all), e.g. ``["rail", "sea", "ferry", "road"]``.
    families
        Keep only routes of these families.
    templates
        Route templates (default: the network's ``routes.toml``).
    sources
        ``"templates"``, ``"paths"`` (k-shortest) or both.
    value_of_time_usd_day
        USD per FEU and day; when positive, paths by generalised cost are added.
    fill_h
        Hours when-full vessels take to fill with a scenario's traffic (:func:`estimate`).
    prune
        Apply the pruning rules of this module (no node twice is always applied).

    Raises
    ------
    RouteError
        If a node is unknown, ``k`` < 1, the weight is unknown or no route exists.
    """
    if k < 1:
        raise RouteError(f"k must be at least 1 (got {k})", field="k")
    if weight not in _WEIGHTS:
        raise RouteError(f"unknown weight {weight!r}; use {', '.join(_WEIGHTS)}", field="weight")
    o, d, vias, banned = _endpoints(net, origin, destination, via=via, avoid=avoid)
    cn = net.compile()
    found: dict[tuple[str, ...], Route] = {}
    if "templates" in sources:
        suffix = "".join(f"-{w}-{'-'.join(ns)}" for w, ns in (("via", vias), ("avoid", banned)) if ns)
        # where templates give the same path, the one with the fewest via nodes names it
        pool = (templates if templates is not None else net.routes).values()
        for tpl in sorted(pool, key=lambda t: len(t.get("via") or t.get("nodes") or t.get("links") or [])):
            route = resolve_route(net, tpl, o, d, via=vias, avoid=banned, cn=cn)
            if route is not None and _modes_ok(net, route, modes) and route.links not in found:
                found[route.links] = _renamed(route, route.id + suffix)
    if "paths" in sources:
        for links in _paths(cn, o, d, vias=vias, banned=banned, modes=modes, k=k, vot=value_of_time_usd_day):
            found.setdefault(links, _route(net, links, rid="", name="", family=None))
    cands = [
        _Candidate(r, estimate(cn, [cn.link_index[x] for x in r.links], fill_h=fill_h))
        for r in found.values()
        if len(set(r.nodes)) == len(r.nodes) and (families is None or r.family in families)
    ]
    if prune and cands:
        cands = _prune(cands, k=k)
    if not cands:
        raise RouteError(
            f"no route from {net.node_name(o)} to {net.node_name(d)}"
            + (f" via {', '.join(vias)}" if vias else "")
            + (f" avoiding {', '.join(banned)}" if banned else "")
            + (f" in families {', '.join(families)}" if families is not None else "")
            + "; check the nodes are linked (`corridor network --nodes`) or relax via/avoid",
            field="destination",
        )
    vot_h = value_of_time_usd_day / HOURS_PER_DAY
    key = {
        "time": lambda c: (c.est.hours, c.est.cost_usd),
        "cost": lambda c: (c.est.cost_usd, c.est.hours),
        "co2": lambda c: (c.est.co2_kg, c.est.hours),
        "generalised": lambda c: (c.est.cost_usd + vot_h * c.est.hours, c.est.hours),
    }[weight]
    return _named(net, sorted(cands, key=key))


def _endpoints(
    net: Network, origin: str, destination: str, *, via: Sequence[str], avoid: Sequence[str]
) -> tuple[str, str, list[str], list[str]]:
    """Node ids of the origin, the destination, the via and the avoided nodes, checked against each other."""
    o = net.node_id(origin, field="origin")
    d = net.node_id(destination, field="destination")
    if o == d:
        raise RouteError("origin and destination are the same node; give two different nodes", field="destination")
    vias = [net.node_id(v, field="via") for v in via]
    banned = [net.node_id(a, field="avoid") for a in avoid]
    if set(banned) & {o, d, *vias}:
        raise RouteError("a node is both required and avoided; remove it from avoid", field="avoid")
    return o, d, vias, banned


def _modes_ok(net: Network, route: Route, modes: Sequence[str] | None) -> bool:
    return modes is None or set(net.links.loc[list(route.links), "mode"]) <= set(modes)


def _renamed(route: Route, rid: str) -> Route:
    return Route(rid, route.name, route.family, route.nodes, route.links, route.distance_km, route.travel_h)


def _paths(
    cn: CompiledNetwork,
    o: str,
    d: str,
    *,
    vias: list[str],
    banned: list[str],
    modes: Sequence[str] | None,
    k: int,
    vot: float,
) -> list[tuple[str, ...]]:
    """Link-id tuples of the k shortest simple paths by each weight."""
    idx = cn.node_index
    stops = [idx[o], *(idx[v] for v in vias), idx[d]]
    out: list[tuple[str, ...]] = []
    for w in ("time", "cost", "co2", *(("generalised",) if vot > 0 else ())):
        graph, best = _digraph(
            cn,
            weight=w,
            banned={idx[b] for b in banned},
            modes=set(modes) if modes else None,
            vot_usd_h=vot / HOURS_PER_DAY,
        )
        for path in _k_paths(graph, stops, k):
            out.append(tuple(cn.link_ids[best[(a, b)]] for a, b in itertools.pairwise(path)))
    return out


def _prune(cands: list[_Candidate], *, k: int) -> list[_Candidate]:
    """The pruning rules 2–4 of this module's docstring."""
    by_family: dict[str, list[_Candidate]] = {}
    for c in sorted(cands, key=lambda c: (c.est.hours, c.est.cost_usd)):
        by_family.setdefault(c.route.family, []).append(c)
    fastest = min(c.est.hours for c in cands)
    cheapest = min(c.est.cost_usd for c in cands)
    kept: list[_Candidate] = []
    for members in by_family.values():
        mine = [members[0]]
        for c in members[1:]:
            dominated = any(
                o.est.hours <= c.est.hours
                and o.est.cost_usd <= c.est.cost_usd
                and (o.est.hours < c.est.hours or o.est.cost_usd < c.est.cost_usd)
                for o in members
            )
            detour = c.est.hours > DETOUR_RATIO * fastest and c.est.cost_usd > DETOUR_RATIO * cheapest
            same = any(o.est == c.est for o in mine)
            if not (dominated or detour or same) and len(mine) < k:
                mine.append(c)
        kept += mine
    return kept


def _named(net: Network, cands: list[_Candidate]) -> list[Route]:
    """Give paths found on the network their ids: ``<family>-path-<n>`` in result order."""
    count: dict[str, int] = {}
    out: list[Route] = []
    for c in cands:
        r = c.route
        if not r.id:
            count[r.family] = count.get(r.family, 0) + 1
            name = " – ".join(net.node_name(n) for n in r.nodes)
            r = Route(f"{r.family}-path-{count[r.family]}", name, r.family, r.nodes, r.links, r.distance_km, r.travel_h)
        out.append(r)
    return out


# -- fixed paths and the estimate table ----------------------------------------------------
def route_from_nodes(
    net: Network,
    nodes: Sequence[str],
    *,
    template: Mapping[str, Any],
    file: str | None = None,
    field: str | None = None,
) -> Route:
    """Build a route from a fixed list of nodes (between two nodes, the fastest link of the allowed modes).

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
    links = [_best_link(net, u, v, modes=modes) for u, v in itertools.pairwise(ids)]
    return _route(net, links, rid=rid, name=str(template.get("name") or rid), family=template.get("family"))


def route_from_links(
    net: Network,
    links: Sequence[str],
    *,
    template: Mapping[str, Any],
    file: str | None = None,
    field: str | None = None,
) -> Route:
    """Build a route from a fixed list of link ids (as :func:`find_routes` returns them).

    Raises
    ------
    RouteError
        For an unknown or planned link, or links that do not join end to start.
    """
    where = field or f"routes.{template['id']}.links"
    known = net.open_links.index
    for i, lid in enumerate(links):
        if lid not in known:
            raise RouteError(
                f"unknown link {lid!r}; give link ids from links.geojson", file=file, field=f"{where}[{i}]"
            )
    frame = net.links.loc[list(links)]
    for i in range(1, len(links)):
        if frame["to"].iloc[i - 1] != frame["from"].iloc[i]:
            raise RouteError(
                f"link {links[i]!r} does not start where {links[i - 1]!r} ends; list links end to start",
                file=file,
                field=f"{where}[{i}]",
            )
    rid = str(template["id"])
    return _route(net, list(links), rid=rid, name=str(template.get("name") or rid), family=template.get("family"))


def route_table(
    net: Network,
    routes: Sequence[Route],
    *,
    tonnes: float = FEU_TONNES,
    fill_h: Mapping[int, float] | None = None,
    cargo: Consignment | None = None,
) -> pd.DataFrame:
    """The static estimate per route: distance, expected time, cost and CO2 per FEU or per consignment.

    Expected time = moving time + border clearance (at every crossing, origin and
    destination included) + handling, gauge changes and yard dwell (where the mode,
    service or gauge changes) + origin and destination dwell + the expected wait for each
    timetabled service (its cut-off and half the headway; half the longest berth wait for
    when-full vessels). An estimate:
    no queues, closures or variability (``corridor routes --simulate`` simulates them).

    Parameters
    ----------
    net
        The network.
    routes
        Routes from :func:`find_routes`.
    tonnes
        Cargo per FEU, for per-kg tariffs (air) and CO2.
    fill_h
        Hours a when-full vessel takes to fill with a scenario's traffic, per link index
        (:func:`corridor.plan.fill_hours`); without it, half the longest wait.
    cargo
        A consignment (:func:`corridor.pricing.consignment`) to price on every route, each
        in its unit of carriage (by air on a route that flies).

    Returns
    -------
    pandas.DataFrame
        One row per route: ``route, family, distance_km, moving_h, border_h, handling_h,
        dwell_h, wait_h, days, cost_usd_feu, co2_kg_feu, path``; with ``cargo`` also ``unit,
        cost_usd, usd_per_kg, co2_kg_per_t_ttw, co2_kg_per_t_wtw`` for the consignment.
    """
    cn = net.compile()
    rows = []
    for route in routes:
        est = estimate(cn, [cn.link_index[lid] for lid in route.links], tonnes=tonnes, fill_h=fill_h)
        rows.append(
            {
                "route": route.id,
                "family": route.family,
                "distance_km": route.distance_km,
                "moving_h": est.moving_h,
                "border_h": est.border_h,
                "handling_h": est.handling_h,
                "dwell_h": est.dwell_h,
                "wait_h": est.wait_h,
                "days": est.hours / HOURS_PER_DAY,
                "cost_usd_feu": est.cost_usd,
                "co2_kg_feu": est.co2_kg,
                **(_priced(net, cn, route, cargo) if cargo is not None else {}),
                "path": " > ".join(route.nodes),
            }
        )
    return pd.DataFrame(rows)


def _priced(net: Network, cn: CompiledNetwork, route: Route, cargo: Consignment) -> dict[str, Any]:
    """A consignment's unit, charges and CO2 per tonne on a route (the route table's columns)."""
    links = [cn.link_index[lid] for lid in route.links]
    legs = route_charges(cn, links, cargo, net.cargo.rules)
    usd = sum(leg.usd for leg in legs)
    return {
        "unit": "air" if any(cn.link_mode[li] == "air" for li in links) else cargo.unit,
        "cost_usd": usd,
        "usd_per_kg": usd / (cargo.tonnes * KG_PER_TONNE),
        "co2_kg_per_t_ttw": sum(leg.co2_kg for leg in legs) / cargo.tonnes,
        "co2_kg_per_t_wtw": sum(leg.co2_wtw_kg for leg in legs) / cargo.tonnes,
    }
