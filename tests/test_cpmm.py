"""CPMM indicators computed from the legs match hand calculations on deterministic trips."""

from __future__ import annotations

from pathlib import Path

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
