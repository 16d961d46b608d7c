"""Vendor the railway lines the corridor's rail links follow: geodata/rail_lines.geojson.

Source: Natural Earth 1:10m Cultural Vectors, "Railroads" (version 5.x, public domain,
naturalearthdata.com: download/10m/cultural/ne_10m_railroads.zip). The raw layer is not committed
(about 25,400 lines, world-wide). Give it either as

* a GeoJSON file (``ogr2ogr -f GeoJSON ne_10m_railroads.geojson ne_10m_railroads.shp``):
  ``python geodata/tools/build_rail_lines.py --geojson ne_10m_railroads.geojson``; or
* a folder of zoom-8 Mapbox vector tiles of that same layer, ``DIR/8/X/Y.pbf`` (uncompressed, as
  tippecanoe writes them with ``-e DIR -z8 --no-tile-compression``; the public GitHub repository
  bovine3dom/fahrtle ships such a set under ``public/train_tiles``):
  ``python geodata/tools/build_rail_lines.py --tiles DIR`` (needs ``mapbox-vector-tile``, in the
  ``[data]`` extra). The vendored file was made this way. Zoom-8 tiles keep every line, at a
  resolution of about 40 m.

Only the lines near the corridor's rail links are kept: those that meet a band around the straight
segment of a rail link of geodata/links.geojson (half-width 30 % of the segment, at least 1.5°),
railway ferries left out. The lines are simplified to about 1 km (0.01°), rounded to 0.001° and written as one
MultiLineString.
geodata/tools/build_geodata.py then routes each rail link along them.
"""

import argparse
import json
import math
from collections.abc import Iterator
from pathlib import Path

from shapely import LineString, box, set_precision, unary_union
from shapely.geometry import shape
from shapely.ops import linemerge

GEODATA = Path(__file__).resolve().parent.parent
OUT = GEODATA / "rail_lines.geojson"
ZOOM = 8
ATTRIBUTION = (
    "Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com (public domain): "
    "1:10m Railroads, clipped to the corridor"
)


def corridor_band() -> object:
    """The area kept: a band around the straight segment of every rail link."""
    nodes = {f["properties"]["id"]: f["geometry"]["coordinates"] for f in json.loads((GEODATA / "nodes.geojson").read_text())["features"]}
    bands = []
    for f in json.loads((GEODATA / "links.geojson").read_text())["features"]:
        p = f["properties"]
        if p["mode"] != "rail":
            continue
        seg = LineString([nodes[p["from"]], nodes[p["to"]]])
        bands.append(seg.buffer(max(1.0, 0.3 * seg.length)))
    return unary_union(bands)


def _tile_lines(path: Path, x: int, y: int) -> Iterator[LineString]:
    import mapbox_vector_tile  # only this input needs it

    n = 2**ZOOM
    for layer in mapbox_vector_tile.decode(path.read_bytes()).values():
        extent = layer.get("extent", 4096)
        frame = box(0, 0, extent, extent)  # tiles overlap by a buffer: keep each tile's own square

        def lonlat(px: float, py: float) -> tuple[float, float]:
            lon = (x + px / extent) / n * 360.0 - 180.0
            merc = math.pi * (1 - 2 * (y + (extent - py) / extent) / n)  # the decoder's y points up
            return lon, math.degrees(math.atan(math.sinh(merc)))

        for feat in layer["features"]:
            if feat["properties"].get("featurecla") != "Railroad":
                continue
            clipped = shape(feat["geometry"]).intersection(frame)
            for part in getattr(clipped, "geoms", [clipped]):
                if isinstance(part, LineString) and not part.is_empty:
                    yield LineString([lonlat(px, py) for px, py in part.coords])


def from_tiles(folder: Path, area: object) -> list[LineString]:
    """Lines of the zoom-8 tiles that meet ``area``."""
    lines = []
    for path in sorted((folder / str(ZOOM)).glob("*/*.pbf")):
        x, y = int(path.parent.name), int(path.stem)
        n = 2**ZOOM
        west, east = x / n * 360 - 180, (x + 1) / n * 360 - 180
        north = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / n))))
        south = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * (y + 1) / n))))
        if box(west, south, east, north).intersects(area):  # type: ignore[arg-type]
            lines.extend(_tile_lines(path, x, y))
    return lines


def from_geojson(path: Path) -> list[LineString]:
    """The railroad lines of the Natural Earth layer as GeoJSON."""
    lines: list[LineString] = []
    for feat in json.loads(path.read_text(encoding="utf-8"))["features"]:
        if feat["properties"].get("featurecla") == "Railroad" and feat["geometry"]:
            geom = shape(feat["geometry"])
            lines.extend(getattr(geom, "geoms", [geom]))
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--geojson", type=Path, help="ne_10m_railroads as GeoJSON")
    src.add_argument("--tiles", type=Path, help="folder of zoom-8 vector tiles of ne_10m_railroads")
    args = ap.parse_args()
    area = corridor_band()
    lines = from_tiles(args.tiles, area) if args.tiles else from_geojson(args.geojson)
    # node every junction and tile seam, merge runs between junctions, keep what meets the band
    noded = unary_union([set_precision(line, 1e-5) for line in lines])
    merged = linemerge(noded)
    parts = [g for g in getattr(merged, "geoms", [merged]) if g.intersects(area)]
    kept = [set_precision(g.simplify(0.01, preserve_topology=True), 1e-3) for g in parts]
    coords = [[list(c) for c in g.coords] for g in kept if isinstance(g, LineString) and len(g.coords) >= 2 and g.length > 0]
    feats = [{"type": "Feature", "properties": {"lines": len(coords)}, "geometry": {"type": "MultiLineString", "coordinates": coords}}]
    data = {"type": "FeatureCollection", "name": "rail_lines", "attribution": ATTRIBUTION, "features": feats}
    OUT.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{len(coords)} lines ({sum(len(c) for c in coords)} points) -> {OUT} ({OUT.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
