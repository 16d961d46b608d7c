"""CPMM indicators computed from the legs match hand calculations on deterministic trips."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import corridor as cr
from corridor.results.cpmm import CPMM_COLUMNS, cpmm
from tests._helpers import add_routes, flow, write_scenario


def _rail(tmp_path: Path, origin: str, destination: str, via: list[str]) -> cr.Results:
    path = write_scenario(
        tmp_path,
        header={"replications": 1, "release_days": 14},
        demand=[flow(origin=origin, destination=destination, routes=["r"], per_week=2, tonnes=10)],
    )
    return cr.simulate(add_routes(path, [{"id": "r", "via": via, "modes": ["rail"]}]))


def test_border_tfi1_and_tfi2_at_khorgos(tmp_path: Path, net: cr.Network) -> None:
    res = _rail(tmp_path, "Urumqi", "Almaty", ["khorgos"])
    table = cpmm(res, net)
    assert tuple(table.columns) == CPMM_COLUMNS
    row = table.loc[("border", "Khorgos/Altynkol", "CN→KZ")]
    node = net.nodes.loc["khorgos"]
    assert row["observations"] == 4
    assert row["tfi1_h"] == pytest.approx(node["border_h"] + node["gauge_change_h"])
    assert row["tfi2_usd"] == pytest.approx(node["border_usd"] + node["gauge_change_usd"])


def test_section_tfi3_is_normalised_per_500_km_and_20_t(tmp_path: Path, net: cr.Network) -> None:
    res = _rail(tmp_path, "Almaty", "Astana", [])
    row = cpmm(res, net).loc[("section", "KZ", "rail")]
    link = net.links.loc["rail-almaty-astana"]
    cost_per_feu = link["tariff_usd_feu_km"] * link["distance_km"]
    assert row["tfi3_usd_per_500km_20t"] == pytest.approx(cost_per_feu * 500 / link["distance_km"] * 20 / 10)
    assert row["swod_kmh"] == pytest.approx(link["speed_kmh"])
    assert row["swd_kmh"] == pytest.approx(link["speed_kmh"])  # nothing delays a lone train on one link


def test_delays_lower_swd_below_swod(baseline: cr.Results, net: cr.Network) -> None:
    table = cpmm(baseline, net)
    sections = table.xs("section", level="kind")
    assert (sections["swd_kmh"] <= sections["swod_kmh"] + 1e-9).all()
    assert (sections.loc[("GE", "rail"), "swd_kmh"]) < sections.loc[("GE", "rail"), "swod_kmh"]


def test_sections_split_each_link_across_the_countries_it_crosses(baseline: cr.Results) -> None:
    from corridor.results.cpmm import section_trips

    legs = baseline.legs.join(
        baseline.shipments.set_index(["replication", "shipment"])["tonnes"], on=["replication", "shipment"]
    )
    legs = legs.assign(from_country=legs["from_node"].astype(str).map(baseline.nodes["country"]))
    trips = section_trips(legs, baseline.nodes, baseline.link_countries)
    # a route's section lengths add up to its land length (access legs to airports aside)
    kind = baseline.nodes["kind"]
    land = legs[legs["mode"].isin(["rail", "road"])]
    land = land[
        (land["from_node"].astype(str).map(kind) != "airport") & (land["to_node"].astype(str).map(kind) != "airport")
    ]
    want = land.groupby(["replication", "shipment"])["distance_km"].sum()
    got = trips.groupby(["replication", "shipment"])["km"].sum()
    pd.testing.assert_series_equal(got.reindex(want.index), want, check_names=False, rtol=1e-9)
    # the one Constanta-Belgrade link is not counted whole in both Romania and Serbia
    shares = baseline.link_countries.set_index(["link", "country"])["share"]
    assert shares.loc["rail-constanta-belgrade"].sum() == pytest.approx(1.0)
    assert 0 < shares.loc[("rail-constanta-belgrade", "RS")] < shares.loc[("rail-constanta-belgrade", "RO")]
    link_km = baseline.legs.loc[baseline.legs["link"] == "rail-constanta-belgrade", "distance_km"].iloc[0]
    table = baseline.cpmm()
    assert table.loc[("section", "RO", "rail"), "km"] < link_km
    assert table.loc[("section", "RS", "rail"), "km"] < link_km


def test_no_access_leg_is_a_corridor_section(baseline: cr.Results) -> None:
    sections = baseline.cpmm().xs("section", level="kind")
    assert "road" not in set(sections.index.get_level_values("direction"))  # the only road legs reach airports
    assert (sections["km"] >= 100).all()


def test_figures_outside_the_published_range_are_noted(baseline: cr.Results) -> None:
    table = baseline.cpmm()
    kz = table.loc[("section", "KZ", "rail")]
    published = pd.read_csv(Path(cpmm.__code__.co_filename).with_name("cpmm_published.csv"))
    low, high = published.loc[
        (published["name"] == "KZ") & (published["indicator"] == "swod_kmh"), ["low", "high"]
    ].iloc[0]
    assert ("SWOD" in kz["note"]) == (not low <= kz["swod_kmh"] <= high)
