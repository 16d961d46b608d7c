"""Maps drawn offline: the network by mode, and compared routes side by side.

Country outlines are Natural Earth 1:110m Admin 0 (public domain), vendored in the geodata
folder's ``countries.geojson``; sea links follow their sea routes (searoute geometry);
other links are drawn as the geodata gives them. No tiles, no network access.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from corridor.outputs import style

__all__ = [
    "MapRoute",
    "interactive_svg",
    "network_map",
    "route_map",
    "routes_of_results",
    "routes_of_scenario",
    "scenario_route_map",
]

Extent = tuple[float, float, float, float]


class MapRoute(NamedTuple):
    """A route to draw: its id, a readable label, its family and the links it follows."""

    id: str
    label: str
    family: str
    links: tuple[str, ...]


def _country_shapes(folder: Path) -> list[Any]:
    from shapely.geometry import shape

    file = folder / "countries.geojson"
    if not file.is_file():
        return []
    data = json.loads(file.read_text(encoding="utf-8"))
    return [shape(f["geometry"]) for f in data["features"]]


def _rings(geom: Any) -> Iterable[Any]:
    for poly in getattr(geom, "geoms", [geom]):
        yield poly.exterior.coords


def _base(net: Any, extent: Extent, *, width: float = 13.0) -> tuple[Any, Any]:
    """A figure with the country outlines over a sea-coloured background, fitted to ``extent``."""
    from matplotlib.collections import PolyCollection

    lon0, lat0, lon1, lat1 = extent
    aspect = 1.25  # about 1/cos(37°): the corridor's middle latitude
    height = min(12.0, width * aspect * (lat1 - lat0) / (lon1 - lon0) + 1.6)
    fig = style.new_figure(width, height)
    ax = fig.add_subplot()
    ax.set_facecolor("#DCE9F5")
    rings = [list(r) for g in _country_shapes(Path(net.path)) for r in _rings(g)]
    ax.add_collection(PolyCollection(rings, facecolors="#F4F1EA", edgecolors="#A0A0A0", linewidths=0.4, zorder=1))
    ax.set_xlim(lon0, lon1)
    ax.set_ylim(lat0, lat1)
    ax.set_aspect(aspect)
    ax.set_xlabel("longitude", fontsize=8)
    ax.set_ylabel("latitude", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.text(
        0.995,
        0.005,
        "Country outlines and rail lines: Natural Earth (public domain)",
        transform=ax.transAxes,
        fontsize=6,
        ha="right",
        va="bottom",
        color="#555555",
    )
    return fig, ax


def _geometry(net: Any, link: str) -> Any:
    from shapely.geometry import LineString

    geom = net.geometries.get(link)
    if geom is not None:
        return geom
    row = net.links.loc[link]
    a, b = net.nodes.loc[row["from"]], net.nodes.loc[row["to"]]
    return LineString([(a["lon"], a["lat"]), (b["lon"], b["lat"])])


@style.plain_text
def network_map(
    net: Any,
    *,
    path: str | Path,
    extent: Sequence[float] | None = (5.0, 24.0, 126.0, 58.0),
    labels: bool = True,
    title: str = "corridor network by mode",
) -> Path:
    """Draw the network coloured by mode over the country outlines.

    Parameters
    ----------
    net
        The :class:`corridor.Network` (its link geometries are drawn as read).
    path
        Where to write the image (PNG by its suffix).
    extent
        ``(lon_min, lat_min, lon_max, lat_max)``; ``None`` fits every node.
    labels
        Label nodes other than waypoints (a label that would cover another is left out).
    title
        The figure's title.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    from matplotlib.lines import Line2D

    box = _fit(net, list(net.nodes.index), pad=3.0) if extent is None else _extent(extent)
    fig, ax = _base(net, box, width=14.0)
    modes = list(dict.fromkeys(net.links["mode"]))
    for lid, mode in net.links["mode"].items():
        x, y = _geometry(net, str(lid)).xy
        ax.plot(
            x,
            y,
            color=style.MODE_COLORS.get(mode, "#555555"),
            linewidth=1.4 if mode != "air" else 0.9,
            alpha=0.85,
            zorder=3 if mode != "air" else 2,
        )
    shown = net.nodes[net.nodes["kind"] != "waypoint"]
    ax.scatter(shown["lon"], shown["lat"], s=12, color="black", zorder=4)
    if labels:
        style.place_labels(ax, [(str(r["name"]).split(" (")[0], r["lon"], r["lat"]) for _, r in shown.iterrows()])
    handles = [Line2D([0], [0], color=style.MODE_COLORS.get(m, "#555555"), linewidth=2, label=m) for m in modes]
    style.legend_below(fig, handles, title="mode", ncols=len(handles))
    ax.set_title(title)
    style.save(fig, path)
    return Path(path)


def _extent(values: Sequence[float]) -> Extent:
    lon0, lat0, lon1, lat1 = (float(v) for v in values)
    return lon0, lat0, lon1, lat1


def _fit(net: Any, node_ids: Sequence[str], *, pad: float) -> Extent:
    pts = net.nodes.loc[list(dict.fromkeys(node_ids)), ["lon", "lat"]]
    return (
        float(pts["lon"].min()) - pad,
        float(pts["lat"].min()) - pad,
        float(pts["lon"].max()) + pad,
        float(pts["lat"].max()) + pad,
    )


def _bounds(net: Any, links: Sequence[str], *, pad: float) -> Extent:
    """The box around the links' geometries (sea routes included), with a margin."""
    import numpy as np

    boxes = np.array([_geometry(net, lid).bounds for lid in dict.fromkeys(links)])
    if not len(boxes):
        return _fit(net, list(net.nodes.index), pad=pad)
    return (
        float(boxes[:, 0].min()) - pad,
        float(boxes[:, 1].min()) - pad,
        float(boxes[:, 2].max()) + pad,
        float(boxes[:, 3].max()) + pad,
    )


def routes_of_scenario(net: Any, scenario: Any, *, demands: Sequence[str] = ()) -> list[MapRoute]:
    """The routes a scenario's demand flows take (all flows, or those in ``demands``)."""
    from corridor.plan import prepare

    plan = prepare(scenario, net)
    fams = {r.id: r.family for r in plan.routes}
    wanted = set(demands)
    picked = [r for r in plan.routes if not wanted or plan.demands[r.demand].id in wanted]
    ids = [r.id for r in picked]
    out: dict[tuple[str, tuple[str, ...]], MapRoute] = {}
    for r in picked:
        links = tuple(plan.net.link_ids[leg.link] for leg in r.legs)
        label = style.route_label(r.id, fams, shown=ids)
        out.setdefault((r.id, links), MapRoute(r.id, label, r.family, links))
    return list(out.values())


def routes_of_results(net: Any, results: Any, *, demand: str | None = None) -> list[MapRoute]:
    """The routes a simulation used (their node sequences matched to the network's links)."""
    metas = [m for m in results.routes.values() if demand is None or m["demand"] == demand]
    fams = {m["route"]: m["family"] for m in metas}
    ids = [m["route"] for m in metas]
    by_pair: dict[tuple[str, str], str] = {}
    for lid, row in net.links.sort_values("mode", key=lambda s: s == "air").iterrows():
        by_pair.setdefault((str(row["from"]), str(row["to"])), str(lid))
    out: dict[tuple[str, tuple[str, ...]], MapRoute] = {}
    for m in metas:
        nodes = list(m["nodes"])
        links = tuple(by_pair[(a, b)] for a, b in itertools.pairwise(nodes) if (a, b) in by_pair)
        label = style.route_label(str(m["route"]), fams, shown=ids)
        out.setdefault((str(m["route"]), links), MapRoute(str(m["route"]), label, str(m["family"]), links))
    return list(out.values())


def _offsets(net: Any, routes: Sequence[MapRoute]) -> dict[tuple[int, str], float]:
    """Slot of each route on each link it shares with others: −(n−1)/2 … (n−1)/2 across a
    link used by n routes (both directions of a link count as the same track)."""
    users: dict[frozenset[str], list[int]] = {}
    for i, r in enumerate(routes):
        for lid in r.links:
            row = net.links.loc[lid]
            key = frozenset((str(row["from"]), str(row["to"])))
            if i not in users.setdefault(key, []):
                users[key].append(i)
    slots: dict[tuple[int, str], float] = {}
    for i, r in enumerate(routes):
        for lid in r.links:
            row = net.links.loc[lid]
            group = users[frozenset((str(row["from"]), str(row["to"])))]
            slots[(i, lid)] = group.index(i) - (len(group) - 1) / 2.0
    return slots


_LINES: dict[str, Any] = {"solid": "-", "dashed": (0, (4, 2)), "dotted": (0, (1, 1.5))}


def _draw_link(ax: Any, net: Any, lid: str, *, offset: float, color: str, line: str, gid: str) -> None:
    geom = _geometry(net, lid)
    row = net.links.loc[lid]
    if str(row["from"]) > str(row["to"]):  # one orientation per track, so offsets agree both ways
        geom = geom.reverse()
    if offset:
        moved = geom.offset_curve(offset)
        geom = moved if not moved.is_empty else geom
    for k, part in enumerate(getattr(geom, "geoms", [geom])):
        x, y = part.xy
        ax.plot(
            x,
            y,
            color=color,
            linewidth=2.6 if line != "dotted" else 2.0,
            linestyle=_LINES[line],
            alpha=0.95,
            solid_capstyle="round",
            zorder=5,
            gid=f"{gid}-{lid}-{k}",
        )


@style.plain_text
def route_map(
    net: Any,
    routes: Any,
    *,
    path: str | Path | None = None,
    demand: str | None = None,
    extent: Sequence[float] | None = None,
    title: str | None = None,
) -> Any:
    """Compared routes side by side where they share track, coloured by family.

    Border crossings are marked with a cross, the Caspian and Black Sea crossings with a
    dashed line and their ports with a square; country outlines are drawn beneath.

    Parameters
    ----------
    net
        The :class:`corridor.Network` the routes run on.
    routes
        A :class:`corridor.Results` (the routes it simulated) or a sequence of
        :class:`MapRoute` (:func:`routes_of_scenario`).
    path
        Also write the figure here.
    demand
        With results: only this demand flow's routes.
    extent
        ``(lon_min, lat_min, lon_max, lat_max)``; ``None`` fits the routes.
    title
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    drawn = list(routes) if isinstance(routes, Sequence) else routes_of_results(net, routes, demand=demand)
    nodes = [str(n) for r in drawn for lid in r.links for n in net.links.loc[lid, ["from", "to"]]]
    box = _bounds(net, [lid for r in drawn for lid in r.links], pad=2.0) if extent is None else _extent(extent)
    fig, ax = _base(net, box)
    step = (box[2] - box[0]) / 260.0
    slots = _offsets(net, drawn)
    for i, r in enumerate(drawn):
        color = style.family_style(r.family).color
        for lid in r.links:
            mode = net.links.at[lid, "mode"]
            if mode == "transfer":
                continue
            crossing = mode in ("sea", "ferry") and net.links.at[lid, "group"] in ("caspian", "black-sea")
            line = "dotted" if mode == "air" else "dashed" if crossing else "solid"
            _draw_link(ax, net, lid, offset=slots[(i, lid)] * step, color=color, line=line, gid=f"route-{i}")
    handles = _route_handles(drawn) + _mark_stops(ax, net, drawn, nodes)
    style.legend_below(fig, handles, ncols=3)
    name = getattr(routes, "scenario", None)
    ax.set_title(title or (f"Routes: {name}" if name else "Routes"))
    return style.save(fig, path)


def _route_handles(drawn: Sequence[MapRoute]) -> list[Any]:
    from matplotlib.lines import Line2D

    seen: dict[str, Any] = {}
    for r in drawn:
        color = style.family_style(r.family).color
        line = _LINES["dotted" if r.family == "air" else "solid"]
        seen.setdefault(r.label, Line2D([0], [0], color=color, linewidth=2.6, linestyle=line, label=r.label))
    return list(seen.values())


def _mark_stops(ax: Any, net: Any, drawn: Sequence[MapRoute], nodes: Sequence[str]) -> list[Any]:
    """Border crossings, the ports of the Caspian and Black Sea crossings, and the route ends."""
    from matplotlib.lines import Line2D

    used = net.nodes.loc[list(dict.fromkeys(nodes))]
    borders = used[used["kind"] == "border"]
    ax.scatter(borders["lon"], borders["lat"], marker="X", s=70, color="black", edgecolors="white", zorder=7)
    sea = net.links[net.links["group"].isin(["caspian", "black-sea"])]
    crossing_ports = {
        str(n)
        for lid in (lk for r in drawn for lk in r.links)
        if lid in sea.index
        for n in sea.loc[lid, ["from", "to"]]
    }
    ports = used.loc[[n for n in used.index if n in crossing_ports]]
    ax.scatter(ports["lon"], ports["lat"], marker="s", s=40, color="#1B5E8C", edgecolors="white", zorder=7)
    ends = {str(net.links.at[r.links[0], "from"]) for r in drawn if r.links}
    ends |= {str(net.links.at[r.links[-1], "to"]) for r in drawn if r.links}
    ax.scatter(used.loc[list(ends), "lon"], used.loc[list(ends), "lat"], s=36, color="black", zorder=7)
    named = [*ends, *ports.index, *borders.index]
    style.place_labels(
        ax,
        [(str(used.at[n, "name"]).split(" (")[0], used.at[n, "lon"], used.at[n, "lat"]) for n in dict.fromkeys(named)],
    )
    return [
        Line2D([0], [0], marker="X", color="black", linestyle="", markersize=8, label="border crossing"),
        Line2D(
            [0],
            [0],
            marker="s",
            color="#1B5E8C",
            linestyle=(0, (4, 2)),
            markersize=6,
            label="Caspian / Black Sea crossing",
        ),
    ]


def interactive_svg(fig: Any, routes: Sequence[MapRoute]) -> str:
    """The map as inline SVG for an HTML page: each route's lines carry a ``<title>``
    (a tooltip with its name, no script) and an ``id`` starting with ``route-`` for CSS."""
    import html
    import io
    import re

    from matplotlib import rc_context

    buf = io.StringIO()
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "corridor"}):
        fig.savefig(buf, format="svg")
    text = buf.getvalue()
    text = text[text.index("<svg") :]  # drop the XML prolog and doctype: inline in HTML

    def titled(match: re.Match[str]) -> str:
        index = int(match.group(2))
        label = html.escape(routes[index].label) if index < len(routes) else ""
        return f"{match.group(0)}<title>{label}</title>"

    return re.sub(r'<g id="(route-(\d+)-[^"]*)">', titled, text)


@style.plain_text
def scenario_route_map(
    net: Any,
    scenario: Any,
    *,
    demands: Sequence[str] = (),
    path: str | Path | None = None,
    title: str | None = None,
) -> Any:
    """:func:`route_map` of the routes a scenario's demand flows take (no simulation)."""
    drawn = routes_of_scenario(net, scenario, demands=demands)
    return route_map(net, drawn, path=path, title=title or f"Routes: {scenario.name}")
