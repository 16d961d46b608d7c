"""The engine: timing semantics, records, conservation, reproducibility."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import corridor as cr
from corridor.results.frames import LEG_COLUMNS, SHIPMENT_COLUMNS
from tests._helpers import TIME_PARTS, add_routes, flow, write_scenario

RAIL_ONLY = [{"id": "rail-only", "via": [], "modes": ["rail"]}]


def test_columns_are_the_documented_ones(baseline: cr.Results) -> None:
    assert tuple(baseline.legs.columns) == LEG_COLUMNS
    assert tuple(baseline.shipments.columns) == SHIPMENT_COLUMNS


def test_legs_are_contiguous_in_time(baseline: cr.Results) -> None:
    legs = baseline.legs
    nxt = legs.groupby(["replication", "shipment"], observed=True)["ready_h"].shift(-1)
    same = nxt.notna()
    assert np.allclose(legs.loc[same, "arrive_h"], nxt[same])
    assert (legs["ready_h"] <= legs["depart_h"] + 1e-9).all()
    assert (legs["depart_h"] <= legs["arrive_h"] + 1e-9).all()
    first = legs[legs["leg"] == 0].set_index(["replication", "shipment"])["ready_h"]
    release = baseline.shipments.set_index(["replication", "shipment"])["release_h"]
    assert np.allclose(first, release.loc[first.index])


def test_time_components_add_up(baseline: cr.Results) -> None:
    legs = baseline.legs
    parts = legs[TIME_PARTS]
    parts = parts.sum(axis=1)
    assert np.allclose(parts, legs["arrive_h"] - legs["ready_h"])


def test_cost_and_co2_are_additive_and_non_negative(baseline: cr.Results) -> None:
    legs, ships = baseline.legs, baseline.shipments
    assert (legs["cost_usd"] >= 0).all()
    assert (legs["co2_kg"] >= 0).all()
    per_ship = legs.groupby(["replication", "shipment"], observed=True)[["cost_usd", "co2_kg"]].sum()
    joined = ships.set_index(["replication", "shipment"]).join(per_ship.add_suffix("_legs"))
    assert np.allclose(joined["cost_usd"], joined["cost_usd_legs"].fillna(0))
    assert np.allclose(joined["co2_kg"], joined["co2_kg_legs"].fillna(0))


def test_deterministic_rail_trip_matches_hand_calculation(tmp_path: Path, net: cr.Network) -> None:
    path = add_routes(
        write_scenario(
            tmp_path, demand=[flow(origin="Almaty", destination="Astana", routes=["rail-only"], per_week=1)]
        ),
        RAIL_ONLY,
    )
    res = cr.simulate(path)
    link = net.links.loc["rail-almaty-astana"]
    ships = res.shipments
    assert ships["delivered"].all()
    assert np.allclose(ships["transit_days"] * 24, 1350.0 / link["speed_kmh"])
    assert np.allclose(ships["cost_usd"], link["tariff_usd_feu_km"] * 1350.0)
    assert np.allclose(ships["co2_kg"], 20 * 1350.0 * net.emission_factors["rail"] / 1000.0)


def test_border_and_gauge_change_are_charged_at_khorgos(tmp_path: Path, net: cr.Network) -> None:
    path = add_routes(
        write_scenario(
            tmp_path,
            demand=[flow(origin="Urumqi", destination="Almaty", routes=["rail-only"], per_week=1)],
        ),
        [{"id": "rail-only", "via": ["khorgos"], "modes": ["rail"]}],
    )
    res = cr.simulate(path)
    node = net.nodes.loc["khorgos"]
    legs = res.legs[res.legs["leg"] == 1]
    assert np.allclose(legs["border_h"], node["border_h"])
    assert np.allclose(legs["handling_h"], node["gauge_change_h"])
    moving = net.links.loc[["rail-urumqi-khorgos", "rail-khorgos-almaty"], "travel_h"].sum()
    expected = moving + node["border_h"] + node["gauge_change_h"]
    assert np.allclose(res.shipments["transit_days"] * 24, expected)


def test_in_transit_at_horizon_is_reported_not_dropped(tmp_path: Path) -> None:
    path = write_scenario(
        tmp_path,
        header={"release_days": 14, "horizon_days": 16},
        demand=[flow(origin="Xi'an", destination="Belgrade", per_week=3, batch=2)],
    )
    res = cr.simulate(path)
    ships = res.shipments
    weeks = 14 / 7
    assert len(ships) == res.replications * 3 * weeks * 2
    assert not ships["delivered"].all()
    transit = ships[~ships["delivered"]]
    assert (transit["status"] == "in_transit").all()
    assert transit["delivery_h"].isna().all()
    assert (transit["legs_done"] < transit["legs_total"]).all()
    kpis = res.kpis()
    assert kpis["delivered_share"].iloc[0] == pytest.approx(ships["delivered"].mean())


def test_same_seed_same_results_other_seed_differs(tmp_path: Path) -> None:
    path = write_scenario(tmp_path, demand=[flow(arrivals="poisson", per_week=20)])
    a = cr.simulate(path)
    b = cr.simulate(path)
    pd.testing.assert_frame_equal(a.legs, b.legs)
    c = cr.simulate(path, seed=99)
    assert not a.shipments["release_h"].equals(c.shipments["release_h"])


def test_results_do_not_depend_on_worker_count(tmp_path: Path) -> None:
    path = write_scenario(tmp_path, header={"replications": 3}, demand=[flow(arrivals="poisson", per_week=10)])
    one = cr.simulate(path, workers=1)
    two = cr.simulate(path, workers=2)
    pd.testing.assert_frame_equal(one.legs, two.legs)
    pd.testing.assert_frame_equal(one.shipments, two.shipments)


def test_split_sends_each_release_one_way(tmp_path: Path) -> None:
    path = write_scenario(
        tmp_path,
        header={"replications": 4},
        demand=[
            flow(routes=["middle-poti", "middle-batumi"], split={"middle-poti": 0.5, "middle-batumi": 0.5}, per_week=10)
        ],
    )
    res = cr.simulate(path)
    counts = res.shipments["route"].value_counts()
    assert counts.sum() == 4 * 10 * 4
    assert 0.3 < counts["middle-poti"] / counts.sum() < 0.7


@pytest.mark.parametrize("arrivals", ["regular", "poisson"])
def test_release_window_from_day_until_day(tmp_path: Path, arrivals: str) -> None:
    """A flow with ``from_day``/``until_day`` releases only inside that window, at its per_week rate."""
    window = flow(id="window", per_week=70, arrivals=arrivals, from_day=10, until_day=20)
    whole = flow(id="whole", per_week=70, arrivals=arrivals)
    path = write_scenario(tmp_path, header={"release_days": 28, "replications": 2}, demand=[window, whole])
    res = cr.simulate(path)
    ships = res.shipments
    released = ships.loc[ships["demand"] == "window", "release_h"] / 24.0
    assert released.min() >= 10
    assert released.max() < 20
    per_day = released.groupby(ships.loc[ships["demand"] == "window", "replication"]).size() / 10
    assert per_day.mean() == pytest.approx(10, rel=0.25 if arrivals == "poisson" else 0.01)
    assert (ships.loc[ships["demand"] == "whole", "release_h"] / 24.0).min() < 10


def test_kpis_summarise_shipments(baseline: cr.Results) -> None:
    k = baseline.kpis()
    ships = baseline.shipments
    air = ships[(ships["route"] == "air") & ships["delivered"]]
    row = k.loc[("rs-medicines-kazakhstan", "air")]
    assert row["transit_days_mean"] == pytest.approx(air["transit_days"].mean())
    assert row["transit_days_p95"] >= row["transit_days_p50"]
    assert np.isnan(row["cost_usd_per_feu"])  # a flight carries kilograms, not boxes
    rail = k.loc[("rs-medicines-kazakhstan", "middle-poti")]
    assert rail["transit_days_mean"] > row["transit_days_mean"]
    assert rail["co2_g_per_tkm"] < row["co2_g_per_tkm"]
