"""Rail links follow the vendored Natural Earth railway lines (geodata/rail_lines.geojson)."""

from __future__ import annotations

import csv
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest
from shapely.geometry import box

from corridor._data import bundled_dir
from corridor.results.countries import link_countries

GEO = bundled_dir("geodata")
TOOLS = Path(__file__).resolve().parent.parent / "geodata" / "tools"


def _rail_paths() -> ModuleType:
    spec = importlib.util.spec_from_file_location("rail_paths", TOOLS / "rail_paths.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["rail_paths"] = module
    spec.loader.exec_module(module)
    return module


def _lines(tmp_path: Path, *lines: list[list[float]]) -> Path:
    path = tmp_path / "rail_lines.geojson"
    geom = {"type": "MultiLineString", "coordinates": list(lines)}
    feature = {"type": "Feature", "properties": {}, "geometry": geom}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    return path


def test_route_follows_the_lines_bridges_short_gaps_and_keeps_within_an_area(tmp_path: Path) -> None:
    rp = _rail_paths()
    # an L-shaped line (east, then north) with a 0.02° (~2 km) gap at the corner, and a direct
    # diagonal line that leaves the area box(-0.1, -0.1, 1.1, 0.1) ∪ box(0.9, -0.1, 1.1, 1.1)
    east = [[0.0, 0.0], [0.5, 0.0], [1.0, 0.0]]
    north = [[1.0, 0.02], [1.0, 0.5], [1.0, 1.0]]
    diagonal = [[0.0, 0.0], [0.5, 0.5], [1.0, 1.0]]
    net = rp.RailNet(_lines(tmp_path, east, north, diagonal))
    direct = net.route((0.0, 0.0), (1.0, 1.0))
    assert direct.km == pytest.approx(157.2, abs=0.5)  # the diagonal, geodesic
    area = box(-0.1, -0.1, 1.1, 0.1).union(box(0.9, -0.1, 1.1, 1.1))
    kept = net.route((0.0, 0.0), (1.0, 1.0), within=area)
    assert kept.km == pytest.approx(111.3 + 110.6, abs=1.0)  # along the L, over the bridged gap
    assert all(area.contains(box(x, y, x, y)) or area.touches(box(x, y, x, y)) for x, y in kept.coords)
    assert net.route((0.0, 0.0), (3.0, 3.0)) is None  # an end far from any line


def test_almaty_aktau_stays_in_kazakhstan_and_lengths_come_from_the_lines_where_they_can() -> None:
    shares = link_countries(GEO).set_index(["link", "country"])["share"]
    shares = shares.loc["rail-almaty-aktau"]
    # the straight segment crossed Uzbekistan; the few km that the 1:110m outlines put in
    # Kyrgyzstan (the line runs along the border near Kordai) are outline noise (SLIVER_M)
    assert shares.to_dict() == {"KZ": pytest.approx(1.0)}
    links = {f["properties"]["id"]: f for f in json.loads((GEO / "links.geojson").read_text())["features"]}
    assert len(links["rail-almaty-aktau"]["geometry"]["coordinates"]) > 20  # a line, not a segment
    with (GEO / "sources.csv").open(encoding="utf-8") as fh:
        rows = {(r["id"], r["attribute"]): r for r in csv.DictReader(fh)}
    # measured along the lines: Dostyk-Almaty round Lake Balkhash, 1.7 times the geodesic (483 km)
    row = rows[("rail-dostyk-almaty", "length_km")]
    assert (row["basis"], row["ref"]) == ("computed", "ne_rail")
    assert 700 < links["rail-dostyk-almaty"]["properties"]["length_km"] < 900
    # Almaty-Aktau: the layer lacks the 2014 shortcut, so its length stays geodesic x 1.22 (2,087 km x 1.22)
    row = rows[("rail-almaty-aktau", "length_km")]
    assert row["ref"] == "zakon_beyneu_2014"
    assert links["rail-almaty-aktau"]["properties"]["length_km"] == pytest.approx(2087 * 1.22, rel=0.01)


def test_a_link_the_lines_do_not_connect_stays_straight_with_its_reason() -> None:
    links = {f["properties"]["id"]: f for f in json.loads((GEO / "links.geojson").read_text())["features"]}
    # the Zhetygen–Khorgos line (2012) is not in the layer
    assert len(links["rail-khorgos-almaty"]["geometry"]["coordinates"]) == 2
    with (GEO / "sources.csv").open(encoding="utf-8") as fh:
        rows = {(r["id"], r["attribute"]): r for r in csv.DictReader(fh)}
    note = rows[("rail-khorgos-almaty", "detour_factor")]["note"]
    assert "drawn straight" in note
