"""One rule per stop and leg: the route estimate, the engine and CPMM give the same charges and times."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

import corridor as cr
from corridor import costing
from corridor.compiled import Service
from corridor.results.cpmm import cpmm
from corridor.routes import route_from_nodes, route_table

BORDER = {"border_h": 5.0, "border_usd": 100.0, "handling_h": 2.0, "handling_usd": 40.0}
GAUGE = {"gauge_change_h": 7.0, "gauge_change_usd": 300.0}


def _feature(props: dict[str, Any], coords: Any, kind: str = "Point") -> dict[str, Any]:
    return {"type": "Feature", "properties": props, "geometry": {"type": kind, "coordinates": coords}}


def _border_network(folder: Path) -> cr.Network:
    """Rail A -> border B -> road C: a transshipment (rail to road) at a border that also has a gauge-change fee."""
    folder.mkdir()
    nodes = [
        _feature({"id": "a", "name": "A", "country": "KZ", "kind": "rail_terminal"}, [50.0, 45.0]),
        _feature({"id": "b", "name": "B", "country": "KZ", "kind": "border", **BORDER, **GAUGE}, [51.0, 45.0]),
        _feature({"id": "c", "name": "C", "country": "UZ", "kind": "city"}, [52.0, 45.0]),
    ]
    common = {"co2_factor": "rail", "speed_kmh": 50.0, "length_km": 100.0}
    links = [
        _feature(
            {"id": "ab", "from": "a", "to": "b", "mode": "rail", "gauge_mm": 1520, "tariff_usd_feu": 500.0, **common},
            [[50.0, 45.0], [51.0, 45.0]],
            "LineString",
        ),
        _feature(
            {"id": "bc", "from": "b", "to": "c", "mode": "road", "tariff_usd_feu_km": 2.0, **common},
            [[51.0, 45.0], [52.0, 45.0]],
            "LineString",
        ),
    ]
    for name, features in (("nodes", nodes), ("links", links), ("services", [])):
        (folder / f"{name}.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    (folder / "emission_factors.csv").write_text("key,g_co2e_tkm\nrail,27.79\n", encoding="utf-8")
    (folder / "routes.toml").write_text('[[route]]\nid = "abc"\nname = "A to C"\nfamily = "abc"\n')
    return cr.load_network(folder)


def _trip(net: cr.Network, origin: str, destination: str, route: str, **extra: Any) -> cr.Results:
    scenario = cr.Scenario(
        name="costing",
        start=dt.date(2025, 1, 6),
        release_days=7,
        horizon_days=60,
        seed=1,
        replications=1,
        demand=[
            {
                "id": "f",
                "origin": origin,
                "destination": destination,
                "routes": [route],
                "per_week": 1,
                "teu": 2,
                "tonnes": 20,
            }
        ],
        **extra,
    )
    return cr.simulate(scenario, network=net)


def _agree(net: cr.Network, res: cr.Results, border: str) -> tuple[float, float]:
    """Charge and tariff of the leg leaving ``border``: assert the engine, the route table and CPMM agree."""
    cn = net.compile()
    legs = res.legs[res.legs["replication"] == 0]
    legs = legs[legs["shipment"] == 0].reset_index(drop=True)
    links = [cn.link_index[str(x)] for x in legs["link"]]
    k = next(i for i, li in enumerate(links) if cn.node_ids[cn.link_from[li]] == border)
    stop = costing.node_time_and_cost(cn, links[k - 1], links[k])
    tariff = costing.link_charge_usd(cn, links[k], feu=1.0, kg=20_000.0)
    # the engine: one FEU (teu = 2) pays the stop's charge and the link's tariff on this leg
    assert legs.at[k, "cost_usd"] == pytest.approx(stop.usd_per_feu + tariff)
    assert legs.at[k, "border_h"] == pytest.approx(stop.border_h)
    assert legs.at[k, "handling_h"] == pytest.approx(stop.handling_h)
    # the route estimate: the whole path's charge is the engine's, leg by leg
    nodes = [str(legs.at[0, "from_node"]), *legs["to_node"].astype(str)]
    path = route_from_nodes(net, nodes, template={"id": "path"})
    assert path.links == tuple(str(x) for x in legs["link"])
    assert route_table(net, [path])["cost_usd_feu"].iloc[0] == pytest.approx(legs["cost_usd"].sum())
    # CPMM: TFI2 at the crossing is the engine's charge at the node, TFI1 its node time
    row = cpmm(res, net).xs(("border", cn.node_names[cn.node_index[border]]), level=("kind", "name")).iloc[0]
    assert row["tfi2_usd"] == pytest.approx(stop.usd_per_feu)
    assert row["tfi1_h"] == pytest.approx(stop.border_h + stop.handling_h)
    return stop.usd_per_feu, tariff


def test_gauge_change_at_a_border_costs_the_same_everywhere(net: cr.Network) -> None:
    res = _trip(net, "Urumqi", "Almaty", "r", routes=[{"id": "r", "via": ["khorgos"], "modes": ["rail"]}])
    charge, tariff = _agree(net, res, "khorgos")
    node = net.nodes.loc["khorgos"]
    assert charge == pytest.approx(node["border_usd"] + node["gauge_change_usd"])
    assert tariff > 0


def test_transshipment_at_a_border_pays_handling_not_a_gauge_change(tmp_path: Path) -> None:
    net = _border_network(tmp_path / "geo")
    res = _trip(net, "a", "c", "abc")
    charge, tariff = _agree(net, res, "b")
    assert charge == pytest.approx(BORDER["border_usd"] + BORDER["handling_usd"])  # no gauge change rail -> road
    assert tariff == pytest.approx(2.0 * 100.0)


def _piraeus_stop(net: cr.Network, res: cr.Results) -> tuple[costing.Stops, float, float]:
    """Piraeus' stop of the first shipment: what it spends, its charge, and the engine's total (= the estimate's)."""
    cn = net.compile()
    legs = res.legs[(res.legs["replication"] == 0) & (res.legs["shipment"] == 0)].reset_index(drop=True)
    links = [cn.link_index[str(x)] for x in legs["link"]]
    k = next(i for i, li in enumerate(links) if cn.node_ids[cn.link_from[li]] == "piraeus")
    stops = costing.node_stops(cn, links[k - 1], links[k])
    nodes = [str(legs.at[0, "from_node"]), *legs["to_node"].astype(str)]
    table = route_table(net, [route_from_nodes(net, nodes, template={"id": "path"})])
    assert table["cost_usd_feu"].iloc[0] == pytest.approx(legs["cost_usd"].sum())  # engine and estimate agree
    charge = costing.node_time_and_cost(cn, links[k - 1], links[k]).usd_per_feu
    return stops, charge, float(legs["cost_usd"].sum())


def test_liner_to_feeder_transshipment_pays_its_own_charge_not_thc(net: cr.Network) -> None:
    """Piraeus, Asia–Mediterranean liner -> Black Sea feeder to Poti: a transshipment, not an import and export."""
    routes = [{"id": "sea", "via": ["suez", "piraeus"], "modes": ["sea"], "avoid": ["cape", "constanta", "batumi"]}]
    res = _trip(net, "Shanghai", "Poti", "sea", routes=routes)
    stops, charge, total = _piraeus_stop(net, res)
    node = net.nodes.loc["piraeus"]
    assert stops.handling
    assert stops.transship
    assert node["handling_usd"] > 0
    assert node["transship_usd"] == 0
    assert charge == pytest.approx(node["border_usd"])  # the crossing's charge only
    dearer = net.with_changes([{"component": "node", "id": "piraeus", "attribute": "transship_usd", "value": 75.0}])
    res2 = _trip(dearer, "Shanghai", "Poti", "sea", routes=routes)
    _, charge2, total2 = _piraeus_stop(dearer, res2)
    assert charge2 == pytest.approx(node["border_usd"] + 75.0)
    assert total2 == pytest.approx(total + 75.0)


def test_box_discharged_from_a_ship_to_rail_pays_thc() -> None:
    """A mode change at a port is an import or export move: THC, not the transshipment charge."""
    cn = cr.load_network().compile()
    into, out = cn.link_index["sea-aktau-alat"], cn.link_index["rail-alat-tbilisi"]
    stops = costing.node_stops(cn, into, out)
    assert stops.handling
    assert not stops.transship
    alat = cn.node_index["alat"]
    assert cn.node_handling_usd[alat] > 0
    assert costing.handling_charge_usd(cn, alat, stops) == pytest.approx(cn.node_handling_usd[alat])


def test_expected_wait_is_half_the_headway() -> None:
    weekly = Service(id="f", kind="weekly", capacity=1, capacity_unit="kg", weekdays=(0, 3))
    assert costing.headway_h(weekly) == pytest.approx(84.0)
    assert costing.expected_wait_h(weekly) == pytest.approx(42.0)
    feeder = Service(
        id="s", kind="when_full", capacity=1, capacity_unit="teu", vessels=2, max_wait_h=48.0, port_time_h=6.0
    )
    assert costing.headway_h(feeder, crossing_h=(20.0, 20.0)) == pytest.approx((40.0 + 12.0) / 2)
    assert costing.expected_wait_h(feeder) == pytest.approx(24.0)


def test_bad_weekday_is_named() -> None:
    with pytest.raises(ValueError, match="'mon;thr'"):
        costing.parse_weekdays("mon;thr")


def test_a_transshipment_charge_no_box_can_pay_is_an_error(net: cr.Network) -> None:
    """Aktau has one vessel service (the Caspian feeder): a vessel-to-vessel charge there would be ignored."""
    with pytest.raises(cr.CorridorError, match=r"aktau: transship_usd: no box can move from one vessel service"):
        net.with_changes([{"component": "node", "id": "aktau", "attribute": "transship_usd", "value": 50.0}])
    # Piraeus: the Asia–Mediterranean liner and the Black Sea feeder meet there
    net.with_changes([{"component": "node", "id": "piraeus", "attribute": "transship_usd", "value": 50.0}])
