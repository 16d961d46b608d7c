"""Prices as shippers pay them: units of carriage, total logistics cost, CO2 on the real weight (issue 14)."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import corridor as cr
from corridor._data import bundled_dir
from corridor.cli import app
from corridor.pricing import air_chargeable_kg, consignment, inventory_usd, load_cargo, route_charges
from corridor.routes import find_routes, route_table
from corridor.sources import check_geodata_sources
from tests._helpers import add_routes, flow, write_scenario


@pytest.fixture(scope="module")
def rules(net: cr.Network) -> cr.pricing.CarriageRules:
    return net.cargo.rules


def test_unit_follows_the_size(net: cr.Network) -> None:
    small = consignment(net.cargo, tonnes=0.5)
    full = consignment(net.cargo, tonnes=20)
    assert small.unit == "lcl"
    assert full.unit == "fcl"
    assert small.m3 == pytest.approx(0.5 * net.cargo.classes["general"].m3_per_t)
    assert consignment(net.cargo, tonnes=0.5, teu=2).unit == "fcl"  # boxes stated: a full container load
    assert consignment(net.cargo, tonnes=30).feu == 2  # 30 t need two 24-t boxes


def test_groupage_charges_the_greater_of_mass_and_volume_with_a_minimum(net: cr.Network, rules: object) -> None:
    cn = net.compile()
    rail = [cn.link_index["rail-tbilisi-poti"]]
    r = net.cargo.rules
    per_box = route_charges(cn, rail, consignment(net.cargo, tonnes=20, teu=2, unit="fcl"), r)[0].freight_usd

    def lcl(tonnes: float, m3: float) -> float:
        return route_charges(cn, rail, consignment(net.cargo, tonnes=tonnes, m3=m3, unit="lcl"), r)[0].freight_usd

    assert lcl(0.5, 4.0) == pytest.approx(per_box * 4.0 / r.lcl_breakeven_m3)  # volume rules
    assert lcl(3.0, 2.0) == pytest.approx(per_box * 3000 / r.lcl_rail_kg_m3 / r.lcl_breakeven_m3)  # mass rules
    assert lcl(0.05, 0.1) == pytest.approx(per_box * r.lcl_min_m3 / r.lcl_breakeven_m3)  # the minimum
    sea = [cn.link_index["sea-poti-constanta"]]
    box_sea = route_charges(cn, sea, consignment(net.cargo, tonnes=20, teu=2, unit="fcl"), r)[0].freight_usd
    heavy = route_charges(cn, sea, consignment(net.cargo, tonnes=3.0, m3=2.0, unit="lcl"), r)[0].freight_usd
    assert heavy == pytest.approx(box_sea * 3000 / r.lcl_sea_kg_m3 / r.lcl_breakeven_m3)  # W/M 1 t = 1 m³ at sea


def test_air_charges_the_chargeable_weight_and_airport_handling(net: cr.Network) -> None:
    r = net.cargo.rules
    light = consignment(net.cargo, tonnes=0.1, m3=1.2)  # 100 kg taking 1.2 m³: volumetric 200 kg
    assert air_chargeable_kg(r, light) == pytest.approx(1.2 * 1e6 / 6000, rel=1e-5)  # 166.667 kg/m³ in the data
    assert air_chargeable_kg(r, consignment(net.cargo, tonnes=0.01, m3=0.01)) == r.air_min_kg
    cn = net.compile()
    path = [cn.link_index[lid] for lid in ("road-astana-nqz", "air-nqz-beg", "road-beg-belgrade")]
    legs = route_charges(cn, path, light, r)
    kg = 1.2 * r.air_kg_m3
    assert legs[1].freight_usd == pytest.approx(cn.link_tariff_usd_kg[path[1]] * kg)
    assert legs[1].handling_usd == pytest.approx(r.air_handling_usd_kg * kg)  # at NQZ
    assert legs[2].handling_usd == pytest.approx(r.air_handling_usd_kg * kg)  # at BEG


def test_wagons_are_whole_and_pay_per_tonne_of_payload(net: cr.Network) -> None:
    r = net.cargo.rules
    cn = net.compile()
    rail = [cn.link_index["rail-almaty-aktau"]]
    box = route_charges(cn, rail, consignment(net.cargo, tonnes=20, teu=2, unit="fcl"), r)[0].freight_usd
    one = consignment(net.cargo, tonnes=60, cargo_class="fertilizer", unit="wagon")
    two = consignment(net.cargo, tonnes=80, cargo_class="fertilizer", unit="wagon")
    assert route_charges(cn, rail, one, r)[0].freight_usd == pytest.approx(box * r.wagon_t / r.tariff_unit_t)
    assert route_charges(cn, rail, two, r)[0].freight_usd == pytest.approx(2 * box * r.wagon_t / r.tariff_unit_t)
    assert two.slots_teu(r) == 2 * r.wagon_teu


def test_routes_price_every_route_for_the_same_consignment(net: cr.Network) -> None:
    """Done when: `corridor routes Astana Belgrade` gives every route a price for the same consignment."""
    out = CliRunner().invoke(app, ["routes", "Astana", "Belgrade", "--tonnes", "0.5", "--format", "json"])
    assert out.exit_code == 0, out.output
    rows = {r["route"]: r for r in json.loads(out.output)}
    assert "air" in rows
    assert len(rows) >= 5
    assert all(r["cost_usd"] > 0 and r["co2_kg_per_t_ttw"] > 0 for r in rows.values())
    assert rows["air"]["unit"] == "air"
    assert {r["unit"] for k, r in rows.items() if k != "air"} == {"lcl"}
    air = rows.pop("air")
    assert all(r["usd_per_kg"] < air["usd_per_kg"] for r in rows.values())
    # per tonne, WTW exceeds TTW by the well-to-tank share on every route
    assert all(r["co2_kg_per_t_wtw"] > r["co2_kg_per_t_ttw"] for r in [air, *rows.values()])


def test_trip_prices_groupage_below_air_and_the_flight_is_faster() -> None:
    """Done when: `corridor trip Astana Belgrade --tonnes 0.5`: rail groupage below air per kg, the flight faster."""
    out = CliRunner().invoke(
        app, ["trip", "Astana", "Belgrade", "--tonnes", "0.5", "--replications", "1", "--format", "json"]
    )
    assert out.exit_code == 0, out.output
    rows = {r["route"]: r for r in json.loads(out.output)}
    air = rows.pop("air")
    rail = {k: r for k, r in rows.items() if k.startswith(("middle", "northern", "southern"))}
    assert rail
    assert all(r["unit"] == "lcl" for r in rail.values())
    assert all(r["cost_usd_per_kg"] < air["cost_usd_per_kg"] for r in rail.values())
    assert all(r["cost_usd_per_t"] < air["cost_usd_per_t"] for r in rows.values())
    assert all(air["transit_days_mean"] < r["transit_days_mean"] for r in rows.values())


def test_per_tonne_figures_do_not_depend_on_the_unit(net: cr.Network) -> None:
    """CO2 per tonne is the cargo's own: one FEU of 20 t and groupage of 0.5 t emit the same per tonne."""
    routes = find_routes(net, "Astana", "Belgrade")
    small = route_table(net, routes, cargo=consignment(net.cargo, tonnes=0.5)).set_index("route")
    full = route_table(net, routes, cargo=consignment(net.cargo, tonnes=20)).set_index("route")
    assert np.allclose(small["co2_kg_per_t_ttw"], full["co2_kg_per_t_ttw"])
    # groupage costs more per tonne than a full box on the same route, but less than flying
    assert (small.drop("air")["usd_per_kg"] > full.drop("air")["usd_per_kg"]).all()


def test_inventory_cost_grows_linearly_with_days_and_value(baseline: cr.Results) -> None:
    days = np.array([1.0, 2.0, 10.0])
    assert np.allclose(inventory_usd(np.full(3, 1000.0), 0.25, days), 1000.0 * 0.25 * days / 365)
    value = np.array([1.0, 2.0, 4.0]) * 1e4
    assert np.allclose(inventory_usd(value, 0.25, np.full(3, 5.0)), value * 0.25 * 5 / 365)
    ships = baseline.shipments[baseline.shipments["delivered"]]
    per = ships["inventory_usd"] / (ships["value_usd"] * ships["transit_days"])
    assert np.allclose(per, 0.25 / 365)  # one rate for every shipment: linear in both
    assert ships["transit_days"].nunique() > 10
    assert ships["value_usd"].nunique() >= 3
    total = ships["cost_usd"] + ships["storage_usd"] + ships["inventory_usd"]
    assert np.allclose(ships["logistics_usd"], total)
    assert np.allclose(ships["cost_usd"], ships["freight_usd"] + ships["handling_usd"] + ships["border_usd"])


def test_the_scenario_sets_the_inventory_rate(tmp_path: Path) -> None:
    base = write_scenario(tmp_path, name="a", demand=[flow(cargo_class="medicines")])
    rated = write_scenario(tmp_path, name="b", header={"inventory_rate": 0.5}, demand=[flow(cargo_class="medicines")])
    a = cr.simulate(base, replications=1).shipments
    b = cr.simulate(rated, replications=1).shipments
    assert np.allclose(b["inventory_usd"], 2 * a["inventory_usd"])
    assert a["inventory_usd"].gt(0).all()


def test_storage_beyond_free_time_at_a_port(tmp_path: Path) -> None:
    """A box held at Aktau by a Caspian closure pays storage for the days beyond the free time."""
    path = write_scenario(tmp_path, demand=[flow(routes=["middle-batumi"], cargo_class="fertilizer", per_week=1)])
    text = path.read_text(encoding="utf-8")
    text += '\n[[closures]]\ngroup = "caspian"\nstart = 2025-01-06\nend = 2025-01-26\n'
    path.write_text(text, encoding="utf-8")
    res = cr.simulate(path, replications=1)
    legs = res.legs
    rules = cr.load_network().cargo.rules
    at_aktau = legs[(legs["from_node"] == "aktau") & (legs["mode"] == "sea")]
    dwell = at_aktau["depart_h"] - at_aktau["ready_h"]
    expected = np.maximum(dwell - rules.port_free_days * 24, 0) * rules.port_usd_day / 24  # one FEU
    assert np.allclose(at_aktau["storage_usd"], expected)
    assert at_aktau["storage_usd"].max() > 10 * rules.port_usd_day  # held for weeks
    assert legs.loc[legs["from_node"] == "tbilisi", "storage_usd"].eq(0).all()  # not a port


def test_kpis_have_every_part_of_the_logistics_cost(baseline: cr.Results) -> None:
    kpis = baseline.kpis()
    med = kpis.loc["rs-medicines-kazakhstan"]
    assert med.loc["air", "unit"] == "air"
    assert med.loc["middle-poti", "unit"] == "lcl"
    assert med.loc["middle-poti", "cost_usd_per_kg"] < med.loc["air", "cost_usd_per_kg"]
    parts = ["freight_usd", "handling_usd", "border_usd", "storage_usd", "inventory_usd"]
    assert np.allclose(kpis[parts].sum(axis=1), kpis["logistics_usd"])
    # the slower rail route carries more inventory cost than the flight
    assert med.loc["middle-poti", "inventory_usd"] > med.loc["air", "inventory_usd"]
    assert (kpis["co2_kg_per_t_wtw"] > kpis["co2_kg_per_t_ttw"]).all()
    assert not math.isnan(med.loc["air", "co2_g_per_tkm_wtw"])


def test_no_route_of_a_flow_costs_more_per_kg_than_its_flight(baseline: cr.Results) -> None:
    """What `make run` shows: within a flow, no route is dearer per kg than the flight."""
    kpis = baseline.kpis().reset_index()
    for _, grp in kpis.groupby("demand"):
        air = grp[grp["unit"] == "air"]
        if len(air):
            assert (grp.loc[grp["unit"] != "air", "cost_usd_per_kg"] < air["cost_usd_per_kg"].iloc[0]).all()


BAD = {
    "negative value": (flow(value_usd=-5), "demand[0].value_usd", "cannot be negative"),
    "unknown class": (flow(cargo_class="fertiliser"), "demand[0].cargo_class", "did you mean 'fertilizer'"),
    "zero volume": (flow(m3=0), "demand[0].m3", "give m3 above 0"),
    "air over capacity": (
        flow(origin="Astana", routes=["air"], tonnes=5, teu=None),
        "demand[0].tonnes",
        "split it into smaller shipments",
    ),
    "teu with groupage": (flow(unit="lcl"), "demand[0]", "remove teu or set unit = 'fcl'"),
    "air unit on rail": (flow(unit="air", teu=None), "demand[0].unit", "needs a flight and the route has none"),
    "wagon on a feeder": (
        flow(unit="wagon", teu=None, cargo_class="fertilizer", tonnes=60),
        "demand[0].unit",
        "only on a rail ferry",
    ),
}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_cargo_gets_one_line_naming_file_field_and_fix(tmp_path: Path, name: str) -> None:
    demand, field, says = BAD[name]
    path = write_scenario(tmp_path, demand=[{k: v for k, v in demand.items() if v is not None}])
    result = CliRunner().invoke(app, ["run", str(path), "--replications", "1"])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: ")
    assert str(path) in lines[0]
    assert field in lines[0]
    assert says in lines[0]


def test_cli_names_an_unknown_cargo_option() -> None:
    result = CliRunner().invoke(app, ["routes", "Astana", "Belgrade", "--cargo", "medicine"])
    assert result.exit_code == 2
    assert "--cargo" in result.stderr
    assert "did you mean 'medicines'" in result.stderr


def test_a_carriage_figure_without_a_source_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "geo"
    shutil.copytree(bundled_dir("geodata"), folder)
    text = (folder / "carriage.csv").read_text(encoding="utf-8").replace("air_min_kg,45.0", "air_min_kg,40.0")
    (folder / "carriage.csv").write_text(text, encoding="utf-8")
    problems = check_geodata_sources(folder)
    assert problems == [f"{folder / 'carriage.csv'}: air_min_kg: value: 40.0 has no matching row in sources.csv"]


def test_a_bad_carriage_file_names_the_row_and_the_fix(tmp_path: Path) -> None:
    folder = tmp_path / "geo"
    shutil.copytree(bundled_dir("geodata"), folder)
    text = (folder / "carriage.csv").read_text(encoding="utf-8")
    (folder / "carriage.csv").write_text(text.replace("wagon_t,70.7", "wagon_t,-1"), encoding="utf-8")
    with pytest.raises(cr.CorridorError, match=r"carriage.csv: wagon_t.value: -1 is not a positive number"):
        load_cargo(folder)
    (folder / "carriage.csv").write_text(text.replace("wagon_t,", "wagon_tt,"), encoding="utf-8")
    with pytest.raises(cr.CorridorError, match=r"unknown rule 'wagon_tt'; did you mean 'wagon_t'"):
        load_cargo(folder)


def test_fertilizer_by_wagon_on_the_rail_ferry(tmp_path: Path, net: cr.Network) -> None:
    """Hopper wagons cross the Caspian on the Kuryk Ro-Pax: two wagons, four slots, charged as whole wagons."""
    wagons = flow(destination="Poti", routes=["ropax"], unit="wagon", cargo_class="fertilizer", tonnes=100)
    wagons.pop("teu")
    path = add_routes(
        write_scenario(tmp_path, demand=[wagons]),
        [{"id": "ropax", "nodes": ["Aktau", "Kuryk", "Alat", "Tbilisi", "Poti"]}],
    )
    res = cr.simulate(path, replications=1)
    ships = res.shipments
    assert set(ships["unit"]) == {"wagon"}
    assert set(ships["teu"]) == {2 * net.cargo.rules.wagon_teu}
    r = net.cargo.rules
    two = consignment(net.cargo, tonnes=2 * r.wagon_t, cargo_class="fertilizer", unit="wagon")
    cn = net.compile()
    links = [cn.link_index[lid] for lid in res.legs.loc[res.legs["shipment"] == 0, "link"]]
    assert ships["cost_usd"].iloc[0] == pytest.approx(sum(leg.usd for leg in route_charges(cn, links, two, r)))
