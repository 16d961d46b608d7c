"""Which countries a link crosses, and what share of its length lies in each.

A link's geometry (as the geodata draws it) is cut by the vendored country outlines
(``countries.geojson``, Natural Earth 1:110m); each piece's geodesic length over the
length of the parts inside any outline is that country's share. The outlines carry ISO
alpha-3 codes and the nodes alpha-2 codes: an outline takes the alpha-2 code of the nodes
inside it (the most common one), and an outline with no node is named in full. A piece
under :data:`SLIVER_M` in a country that neither end node is in is outline noise and left
out. A link that no outline covers (a sea crossing, or a coast the simplified outlines miss) lies
wholly in its first node's country.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["LINK_COUNTRY_COLUMNS", "SLIVER_M", "link_countries"]

LINK_COUNTRY_COLUMNS = ("link", "country", "share")

#: A piece of a link in a country that is neither end node's, shorter than this (metres), is
#: taken as outline noise and left out (its length goes to the other countries pro rata): the
#: vendored outlines are 1:110m, simplified by 0.05°, and a line along a border (Turksib by the
#: Kyrgyz border near Kordai) dips in and out of the neighbour by a few km. An assumption: a
#: real transit through a third country runs for tens of km or more.
SLIVER_M = 25_000.0


def _features(file: Path) -> list[dict[str, Any]]:
    return list(json.loads(file.read_text(encoding="utf-8"))["features"])


def _outlines(folder: Path, nodes: list[dict[str, Any]]) -> list[tuple[str, Any]]:
    """(code, polygon) per outline: alpha-2 from the nodes inside it, else the country's name."""
    from shapely import STRtree
    from shapely.geometry import Point, shape

    file = folder / "countries.geojson"
    if not file.is_file():
        return []
    polys = [(str(f["properties"].get("name", "")), shape(f["geometry"])) for f in _features(file)]
    tree = STRtree([p for _, p in polys])
    votes: dict[int, Counter[str]] = {}
    for node in nodes:
        lon, lat = node["geometry"]["coordinates"]
        for i in tree.query(Point(lon, lat), predicate="intersects"):
            votes.setdefault(int(i), Counter())[str(node["properties"]["country"])] += 1
    return [(votes[i].most_common(1)[0][0] if i in votes else name, poly) for i, (name, poly) in enumerate(polys)]


def link_countries(folder: str | Path) -> pd.DataFrame:
    """Share of each link's length in each country it crosses.

    Parameters
    ----------
    folder
        A geodata folder (``nodes.geojson``, ``links.geojson``, ``countries.geojson``).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`LINK_COUNTRY_COLUMNS`; a link's shares add up to 1.
    """
    from pyproj import Geod
    from shapely import STRtree
    from shapely.geometry import LineString, shape

    base = Path(folder)
    nodes = _features(base / "nodes.geojson")
    where = {str(n["properties"]["id"]): n for n in nodes}
    outlines = _outlines(base, nodes)
    tree = STRtree([p for _, p in outlines]) if outlines else None
    geod = Geod(ellps="WGS84")
    rows: list[tuple[str, str, float]] = []
    for feature in _features(base / "links.geojson"):
        props = feature["properties"]
        first = str(where[str(props["from"])]["properties"]["country"])
        line = shape(feature["geometry"]) if feature.get("geometry") else None
        if line is None:
            a, b = (where[str(props[k])]["geometry"]["coordinates"] for k in ("from", "to"))
            line = LineString([a, b])
        pieces: dict[str, float] = {}
        if tree is not None and props.get("mode") not in ("sea", "air"):
            for i in tree.query(line, predicate="intersects"):
                code, poly = outlines[int(i)]
                pieces[code] = pieces.get(code, 0.0) + float(geod.geometry_length(line.intersection(poly)))
        ends = {str(where[str(props[k])]["properties"]["country"]) for k in ("from", "to")}
        pieces = {c: m for c, m in pieces.items() if c in ends or m >= SLIVER_M}
        total = sum(pieces.values())
        if total <= 0:
            rows.append((str(props["id"]), first, 1.0))
            continue
        rows += [(str(props["id"]), code, km / total) for code, km in pieces.items() if km > 0]
    return pd.DataFrame(rows, columns=list(LINK_COUNTRY_COLUMNS))
