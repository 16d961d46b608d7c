"""Vendor country outlines for offline maps: geodata/countries.geojson.

Source: Natural Earth 1:110m Admin 0 – Countries (public domain, naturalearthdata.com), as
shipped in the geopandas 0.14 wheel (``geopandas/datasets/naturalearth_lowres``; geopandas
1.x no longer ships it). Get the wheel with ``pip download --no-deps geopandas==0.14.4``,
unzip it, and run ``python geodata/tools/build_countries.py PATH/TO/naturalearth_lowres.shp``.
The outlines are clipped to the corridor's extent and simplified (0.05°) to keep the file small.
"""

import json
import sys
from pathlib import Path

import geopandas as gpd
from shapely.geometry import box

OUT = Path(__file__).resolve().parent.parent / "countries.geojson"
EXTENT = (-20.0, -45.0, 130.0, 62.0)  # lon/lat: the Atlantic coast to Shanghai, the Cape to Moscow


def main(shp: str) -> None:
    world = gpd.read_file(shp)[["name", "iso_a3", "continent", "geometry"]]
    world = world.clip(box(*EXTENT))
    world = world[~world.geometry.is_empty]
    world["geometry"] = world.geometry.simplify(0.05, preserve_topology=True).set_precision(0.001)
    data = json.loads(world.to_json(drop_id=True))
    data["name"] = "countries"
    data["attribution"] = "Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com (public domain)."
    OUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{len(world)} countries -> {OUT} ({OUT.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main(sys.argv[1])
