"""Route families on the whole corridor, k-shortest paths on the compiled network, the routes CLI."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import corridor as cr
from corridor.cli import app
from corridor.routes import family_of, find_routes, route_table
from corridor.trip import propose

FAMILIES = {"middle-black-sea", "middle-turkiye", "northern", "southern", "sea-piraeus", "sea-cape", "sea-poti", "air"}


def test_every_family_has_a_rule(net: cr.Network) -> None:
    assert {str(f["id"]) for f in net.family_rules} >= FAMILIES


def test_xian_belgrade_has_every_competitor(net: cr.Network) -> None:
    routes = {r.id: r for r in find_routes(net, "Xi'an", "Belgrade", sources=["templates"], prune=False)}
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
    west = {r.id: r for r in find_routes(net, origin, destination, sources=["templates"], prune=False)}
    east = {r.id: r for r in find_routes(net, destination, origin, sources=["templates"], prune=False)}
    assert set(west) == set(east)
    for rid, route in west.items():
        assert east[rid].distance_km == pytest.approx(route.distance_km, rel=0.02), rid


def test_cape_is_longer_than_suez(net: cr.Network) -> None:
    routes = {r.id: r for r in find_routes(net, "Shanghai", "Piraeus", sources=["templates"], prune=False)}
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


def test_k_shortest_paths_by_weight(net: cr.Network) -> None:
    by_time = find_routes(
        net, "Xi'an", "Belgrade", k=4, modes=["rail", "sea", "ferry", "road"], sources=["paths"], prune=False
    )
    assert len({r.links for r in by_time}) == len(by_time) >= 4
    assert by_time[0].family == "northern"
    assert all(r.id.startswith(f"{r.family}-path-") for r in by_time)
    table = route_table(net, by_time)
    assert (table["distance_km"] > 9000).all()
    by_cost = find_routes(net, "Shanghai", "Belgrade", k=1, weight="cost")
    assert "piraeus" in by_cost[0].nodes


def test_family_of_a_path(net: cr.Network) -> None:
    assert family_of(net, ["road-astana-nqz", "air-nqz-beg", "road-beg-belgrade"]) == "air"


def test_route_table_adds_node_times_and_waits(net: cr.Network) -> None:
    [poti] = [
        r for r in find_routes(net, "Xi'an", "Belgrade", sources=["templates"], prune=False) if r.id == "middle-poti"
    ]
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
    rows = json.loads(out.stdout)
    fams = {r["family"] for r in rows}
    assert {"middle-black-sea", "middle-turkiye", "northern", "sea-piraeus", "southern", "air"} <= fams
    assert all(r["distance_km"] > 0 and r["days"] > 0 and r["cost_usd"] > 0 for r in rows)
    assert {r["unit"] for r in rows if r["family"] != "air"} == {"fcl"}  # 20 t of general cargo fill a FEU
    air = CliRunner().invoke(app, ["routes", "Astana", "Belgrade", "--format", "csv", "--family", "air"])
    assert air.exit_code == 0
    assert {line.split(",")[1] for line in air.output.splitlines()[1:]} == {"air"}
    by_co2 = CliRunner().invoke(app, ["routes", "Astana", "Belgrade", "-k", "2", "--weight", "co2", "--format", "json"])
    co2 = [r["co2_kg_per_t_ttw"] for r in json.loads(by_co2.output)]
    assert co2 == sorted(co2)


def test_cli_routes_simulate_adds_simulated_days() -> None:
    out = CliRunner().invoke(
        app, ["routes", "Almaty", "Poti", "--family", "middle", "--simulate", "1", "--format", "json"]
    )
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)
    assert rows
    assert all(r["days_simulated"] > 0 for r in rows)
    assert all(abs(r["days_simulated"] / r["days"] - 1) < 0.5 for r in rows)


def test_cli_network_nodes_lists_every_node(net: cr.Network) -> None:
    out = CliRunner().invoke(app, ["network", "--nodes", "--format", "json"])
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)
    assert {r["id"] for r in rows} == set(net.nodes.index)
    assert {"id", "name", "country", "kind"} <= set(rows[0])


def test_cli_routes_bad_node_is_one_line_and_names_a_real_command() -> None:
    out = CliRunner().invoke(app, ["routes", "Xian", "Belgrad"])
    assert out.exit_code == 2
    assert "did you mean" in out.output
    bad = CliRunner().invoke(app, ["routes", "Nowhere at all", "Belgrade"])
    assert bad.exit_code == 2
    assert "corridor network --nodes" in bad.output
    nodes = CliRunner().invoke(app, ["network", "--nodes"])
    assert nodes.exit_code == 0


def test_cli_trip_uses_the_route_engine() -> None:
    """trip runs the routes `corridor routes` lists, under the same ids; pinned paths leave the templates alone."""
    out = CliRunner().invoke(app, ["trip", "Xi'an", "Belgrade", "--format", "json", "--replications", "1"])
    assert out.exit_code == 0, out.output
    rows = {r["route"]: r for r in json.loads(out.stdout)}
    # `corridor routes` lists the routes of trip.propose (the scenario's traffic fills the when-full vessels)
    listed = {r.id for r in propose("Xi'an", "Belgrade").routes}
    assert set(rows) == {rid for rid in listed if not rid.startswith("air")}  # 20 t does not fit the flight
    assert all(r["delivered_share"] == 1.0 for r in rows.values())
    assert rows["northern"]["transit_days_mean"] > 9.5
    via = CliRunner().invoke(
        app, ["trip", "Almaty", "Poti", "--via", "Aktau", "--format", "json", "--replications", "1"]
    )
    assert via.exit_code == 0, via.output
    pinned = {r["route"] for r in json.loads(via.stdout)}
    assert "middle-poti-via-aktau" in pinned
    small = CliRunner().invoke(app, ["trip", "Xi'an", "Małaszewicze", "--format", "json", "--replications", "1"])
    assert small.exit_code == 0, small.output
