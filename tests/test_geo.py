"""Network <-> GeoDataFrames <-> GeoJSON / GeoPackage round trips, the summary and completeness."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import corridor as cr
from corridor import geo
from corridor.cli import app
from corridor.sources import check_geodata_sources, read_sources


def _same_network(a: cr.Network, b: cr.Network) -> None:
    pd.testing.assert_frame_equal(a.nodes.sort_index(), b.nodes.sort_index(), check_dtype=False, check_like=True)
    pd.testing.assert_frame_equal(a.links.sort_index(), b.links.sort_index(), check_dtype=False)
    pd.testing.assert_frame_equal(a.services.sort_index(), b.services.sort_index(), check_dtype=False)
    assert a.routes == b.routes
    assert a.emission_factors == b.emission_factors
    assert set(a.geometries) == set(b.geometries)
    assert all(a.geometries[k].equals(b.geometries[k]) for k in a.geometries)


def test_gdfs_round_trip(net: cr.Network) -> None:
    nodes, links = geo.network_to_gdfs(net)
    assert nodes.crs.to_epsg() == 4326
    assert len(nodes) == len(net.nodes)
    assert len(links) == len(net.links)
    assert links.loc["sea-shanghai-suez"].geometry.coords.__len__() > 10  # the sea route, not a chord
    back = geo.network_from_gdfs(
        nodes, links, services=net.services, emission_factors=net.emission_factors, routes=net.routes
    )
    _same_network(net, back)


@pytest.mark.parametrize("target", ["folder", "net.gpkg"])
def test_file_round_trip(net: cr.Network, tmp_path: Path, target: str) -> None:
    path = geo.write_network(net, tmp_path / target)
    _same_network(net, geo.load_network(path))


def test_round_trip_keeps_invalid_data_invalid(net: cr.Network) -> None:
    nodes, links = geo.network_to_gdfs(net)
    links.loc["rail-xian-urumqi", "speed_kmh"] = -5.0
    with pytest.raises(cr.NetworkError, match="rail-xian-urumqi: speed_kmh"):
        geo.network_from_gdfs(nodes, links, services=net.services, emission_factors=net.emission_factors)


def test_summary_counts_every_link(net: cr.Network) -> None:
    nodes, links = geo.network_summary(net)
    assert nodes["nodes"].sum() == len(net.nodes)
    assert links["links"].sum() == len(net.links)
    assert links["km"].sum() == pytest.approx(net.links["distance_km"].sum())
    assert {"rail", "sea", "ferry", "air", "road"} == set(links["mode"])


def test_an_unsourced_figure_is_caught(tmp_path: Path) -> None:
    src = cr.load_network().path
    for f in src.iterdir():
        if f.is_file():
            (tmp_path / f.name).write_bytes(f.read_bytes())
    data = json.loads((tmp_path / "links.geojson").read_text(encoding="utf-8"))
    sea = next(f for f in data["features"] if f["properties"]["mode"] == "sea")  # rail links have a sourced spread
    sea["properties"]["time_cv"] = 0.3
    (tmp_path / "links.geojson").write_text(json.dumps(data), encoding="utf-8")
    problems = check_geodata_sources(tmp_path)
    assert len(problems) == 1
    assert "time_cv: 0.3 has no row in sources.csv" in problems[0]


def test_cli_network_and_assumptions() -> None:
    out = CliRunner().invoke(app, ["network"])
    assert out.exit_code == 0, out.output
    assert "links by mode and country" in out.output
    listed = CliRunner().invoke(app, ["network", "--assumptions", "--format", "json"])
    rows = json.loads(listed.output)
    assumptions = read_sources().query("basis == 'assumption'")
    assert len(rows) == len(assumptions) > 0
    assert all(r["note"] for r in rows)
