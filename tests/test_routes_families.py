"""Route families on the whole corridor, k-shortest paths on the compiled network, the routes CLI."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import corridor as cr
from corridor.cli import app
from corridor.routes import classify, families, route_table

FAMILIES = {"middle-black-sea", "middle-turkiye", "northern", "southern", "sea-piraeus", "sea-cape", "sea-poti", "air"}


def test_every_family_exists(net: cr.Network) -> None:
    assert set(families(net)) >= FAMILIES


def test_xian_belgrade_has_every_competitor(net: cr.Network) -> None:
    routes = {r.id: r for r in cr.routes_between(net, "Xi'an", "Belgrade")}
    fams = {r.family for r in routes.values()}
    assert {"middle-black-sea", "middle-turkiye", "northern", "southern", "sea-piraeus"} <= fams

    turk = routes["middle-turkiye"].nodes
    assert [n for n in turk if n in ("alat", "tbilisi", "akhalkalaki", "kars", "istanbul", "kapikule")] == [
        "alat",
        "tbilisi",
        "akhalkalaki",
        "kars",
        "istanbul",
        "kapikule",
    ]
    north = routes["northern"].nodes
    assert {"moscow", "minsk", "brest", "malaszewicze", "warsaw", "budapest"} <= set(north)
    assert not {"aktau", "alat"} & set(north)
    sea = routes["sea-piraeus"].nodes
    assert sea[:4] == ("xian", "lianyungang", "suez", "piraeus")
    assert "skopje" in sea
    assert "nis" in sea
    assert {"ashgabat", "tehran", "istanbul"} <= set(routes["southern"].nodes)


@pytest.mark.parametrize(
    ("origin", "destination"), [("Xi'an", "Belgrade"), ("Chongqing", "Duisburg"), ("Urumqi", "Istanbul")]
)
def test_routes_work_in_both_directions(net: cr.Network, origin: str, destination: str) -> None:
    west = {r.id: r for r in cr.routes_between(net, origin, destination)}
    east = {r.id: r for r in cr.routes_between(net, destination, origin)}
    assert set(west) == set(east)
    for rid, route in west.items():
        assert east[rid].distance_km == pytest.approx(route.distance_km, rel=0.02), rid


def test_cape_is_longer_than_suez(net: cr.Network) -> None:
    routes = {r.id: r for r in cr.routes_between(net, "Shanghai", "Piraeus")}
    assert routes["sea-piraeus"].nodes == ("shanghai", "suez", "piraeus")
    assert routes["sea-cape"].nodes == ("shanghai", "cape", "piraeus")
    assert routes["sea-cape"].distance_km > 1.5 * routes["sea-piraeus"].distance_km


def test_no_sea_link_crosses_the_caspian_or_the_volga_don(net: cr.Network) -> None:
    """searoute's marnet joins the Caspian to the Black Sea by the Volga–Don canal; no sea link may use it."""
    for lid, geom in net.geometries.items():
        if net.links.at[lid, "mode"] != "sea" or net.links.at[lid, "group"] == "caspian":
            continue
        for lon, lat in geom.coords:
            assert not (46.0 <= lon <= 56.0 and 36.0 <= lat <= 47.5), lid
            assert not (38.5 <= lon <= 46.0 and 47.0 <= lat <= 50.0), lid


def test_find_routes_k_shortest_by_weight(net: cr.Network) -> None:
    by_time = cr.find_routes(net, "Xi'an", "Belgrade", k=4, modes=["rail", "sea", "ferry", "road"])
    assert len(by_time) == 4
    assert len({r.links for r in by_time}) == 4
    assert by_time[0].family == "northern"
    table = route_table(net, by_time)
    assert (table["distance_km"] > 9000).all()
    by_cost = cr.find_routes(net, "Shanghai", "Belgrade", k=1, weight="cost")
    assert "piraeus" in by_cost[0].nodes


def test_find_routes_via_and_avoid(net: cr.Network) -> None:
    paths = cr.find_routes(net, "Xi'an", "Belgrade", k=2, via=["Kars"], modes=["rail", "sea", "road"])
    assert all("kars" in p.nodes for p in paths)
    assert all(p.family == "middle-turkiye" for p in paths)
    paths = cr.find_routes(net, "Xi'an", "Belgrade", k=3, avoid=["Moscow", "Aktau", "NQZ"])
    assert all(not {"moscow", "aktau", "nqz"} & set(p.nodes) for p in paths)
    with pytest.raises(cr.RouteError, match="both required and avoided"):
        cr.find_routes(net, "Xi'an", "Belgrade", via=["Kars"], avoid=["Kars"])
    with pytest.raises(cr.RouteError, match="unknown weight"):
        cr.find_routes(net, "Xi'an", "Belgrade", weight="money")  # type: ignore[arg-type]


def test_classify_paths(net: cr.Network) -> None:
    assert classify(net, ["astana", "nqz", "beg", "belgrade"]) == "air"
    assert classify(net, ["xian", "urumqi", "xian"]) == "other"


def test_route_table_adds_node_times_and_waits(net: cr.Network) -> None:
    [poti] = [r for r in cr.routes_between(net, "Xi'an", "Belgrade") if r.id == "middle-poti"]
    row = route_table(net, [poti]).iloc[0]
    borders = [n for n in poti.nodes if net.nodes.at[n, "kind"] == "border"]
    assert len(borders) == 1  # Dostyk or Khorgos
    # every node of this path that has a clearance time is one of its crossings (Chinese exit, Kazakh exit at
    # Aktau, Azerbaijani entry, Azerbaijan-Georgia, Georgian exit, EU entry and exit at Constanța, Serbian entry)
    assert row["border_h"] == pytest.approx(sum(net.nodes.at[n, "border_h"] for n in poti.nodes))
    cutoff = net.services.at["bs-feeder-poti", "cutoff_h"]
    assert row["wait_h"] == pytest.approx(72 / 2 + 240 / 2 + cutoff)  # Caspian feeder, Black Sea feeder
    parts = row["moving_h"] + row["border_h"] + row["handling_h"] + row["dwell_h"] + row["wait_h"]
    assert row["days"] * 24 == pytest.approx(parts)


def test_cli_routes_lists_the_competitors() -> None:
    out = CliRunner().invoke(app, ["routes", "Xi'an", "Belgrade", "--format", "json"])
    assert out.exit_code == 0, out.output
    rows = json.loads(out.output)
    fams = {r["family"] for r in rows}
    assert {"middle-black-sea", "middle-turkiye", "northern", "sea-piraeus"} <= fams
    assert all(r["distance_km"] > 0 and r["days"] > 0 and r["cost_usd_feu"] > 0 for r in rows)
    air = CliRunner().invoke(app, ["routes", "Astana", "Belgrade", "--format", "csv"])
    assert air.exit_code == 0
    assert "\nair,air," in air.output
    paths = CliRunner().invoke(app, ["routes", "Astana", "Belgrade", "--paths", "-k", "2", "--weight", "co2"])
    assert paths.exit_code == 0
    assert "path-2" in paths.output


def test_cli_routes_bad_node_is_one_line() -> None:
    out = CliRunner().invoke(app, ["routes", "Xian", "Belgrad"])
    assert out.exit_code == 2
    assert "did you mean" in out.output


def test_cli_trip_from_xian_keeps_background_templates() -> None:
    """Regression: pinning the trip's paths must not override templates the background demand uses."""
    out = CliRunner().invoke(app, ["trip", "Xi'an", "Belgrade", "--format", "json", "--replications", "1"])
    assert out.exit_code == 0, out.output
    rows = {r["route"]: r for r in json.loads(out.output)}
    assert {"northern", "middle-turkiye", "middle-poti", "sea-piraeus", "southern"} <= set(rows)
    assert all(r["delivered_share"] == 1.0 for r in rows.values())
    # the simulated times include waits and borders, so exceed the moving time of the path
    assert rows["northern"]["transit_days_mean"] > 9.5
    via = CliRunner().invoke(
        app, ["trip", "Xi'an", "Belgrade", "--via", "Kars", "--format", "json", "--replications", "1"]
    )
    assert via.exit_code == 0, via.output
    pinned = {r["route"] for r in json.loads(via.output)}
    assert "middle-turkiye-via-kars" in pinned
    assert all(r.endswith("-via-kars") for r in pinned)
    assert "northern-via-kars" not in pinned
