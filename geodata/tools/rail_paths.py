"""Route rail links along the vendored railway lines (geodata/rail_lines.geojson), at build time.

Each line vertex is a graph node and each segment an edge weighted by its geodesic length (WGS84).
A line end within ``BRIDGE_KM`` of a vertex that the lines reach only the long way (over three
times the distance) is joined to it (Natural Earth's lines stop
short of each other at some borders and junctions). A link's end node is snapped to the nearest
vertex within ``SNAP_KM``; its geometry is the shortest path between the two snapped vertices, with
the straight stubs from the nodes added, and its length is that path's geodesic length A path may be kept
within an area (the end nodes' countries). (The
geometry stored is simplified to ``DRAW_DEG``; the length is measured before).
"""

import json
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import numpy as np
from pyproj import Geod
from shapely import LineString, contains_xy, set_precision

SNAP_KM = 30.0
BRIDGE_KM = 5.0
DRAW_DEG = 0.02
_G = Geod(ellps="WGS84")


@dataclass(frozen=True)
class RailPath:
    coords: list[list[float]]
    km: float
    snap_km: tuple[float, float]


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(_G.inv(a[0], a[1], b[0], b[1])[2]) / 1000.0


class RailNet:
    """The graph of the vendored lines; ``route(a, b)`` gives the shortest path between two points."""

    def __init__(self, path: Path) -> None:
        self.graph = nx.Graph()
        ends = []
        lines = []
        for feat in json.loads(path.read_text(encoding="utf-8"))["features"]:
            geom = feat["geometry"]
            lines += geom["coordinates"] if geom["type"] == "MultiLineString" else [geom["coordinates"]]
        for line in lines:
            pts = [tuple(c) for c in line]
            for a, b in zip(pts, pts[1:]):
                if a != b:
                    self.graph.add_edge(a, b, km=_km(a, b))
            ends += [pts[0], pts[-1]]
        self.nodes = list(self.graph.nodes)
        self.xy = np.array(self.nodes)
        for e in ends:  # bridge short gaps: join a line end to the nearest vertex the lines reach only the long way
            for v in self._near(e, BRIDGE_KM):
                d = _km(e, v)
                if v != e and v not in nx.single_source_dijkstra_path_length(self.graph, e, cutoff=3 * d + 1.0, weight="km"):
                    self.graph.add_edge(e, v, km=d)
                    break

    def _near(self, p: tuple[float, float], km: float, allowed: np.ndarray | None = None) -> list[tuple[float, float]]:
        deg = km / 111.0 / max(np.cos(np.radians(p[1])), 0.2)
        box = (np.abs(self.xy[:, 0] - p[0]) <= deg) & (np.abs(self.xy[:, 1] - p[1]) <= km / 111.0)
        if allowed is not None:
            box &= allowed
        cands = [self.nodes[i] for i in np.flatnonzero(box)]
        cands = [(c, _km(p, c)) for c in cands]
        return [c for c, d in sorted(cands, key=lambda t: t[1]) if d <= km]

    def route(self, a: tuple[float, float], b: tuple[float, float], *, within: object = None) -> RailPath | None:
        """Shortest path from ``a`` to ``b`` (lon, lat), or None if either is off the lines or they are not connected.

        ``within`` (a shapely polygon): use only the line vertices inside it.
        """
        allowed = None if within is None else contains_xy(within, self.xy[:, 0], self.xy[:, 1])
        graph = self.graph if allowed is None else self.graph.subgraph(n for n, ok in zip(self.nodes, allowed) if ok)
        sa, sb = self._near(a, SNAP_KM, allowed), self._near(b, SNAP_KM, allowed)
        if not sa or not sb:
            return None
        try:
            verts = nx.shortest_path(graph, sa[0], sb[0], weight="km")
        except nx.NetworkXNoPath:
            return None
        pts = [a, *verts, b]
        km = sum(_km(p, q) for p, q in zip(pts, pts[1:]))
        drawn = set_precision(LineString(pts).simplify(DRAW_DEG), 1e-3)  # what is stored: about 2 km
        return RailPath([list(c) for c in drawn.coords], round(km, 1), (round(_km(a, sa[0]), 1), round(_km(b, sb[0]), 1)))
