"""Time distributions named in the data: triangular and empirical link and node times."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import corridor as cr
from corridor.distributions import Dist, block_sampler, parse_floats, read_dist
from tests._helpers import add_routes, flow, write_scenario

LINK = "rail-almaty-astana"
RAIL_ONLY = [{"id": "rail-only", "via": [], "modes": ["rail"]}]
TRI = (30.0, 34.0, 45.0)
SAMPLES = "30;31.5;40;55"


def _triangular_sd(lo: float, mode: float, hi: float) -> float:
    return math.sqrt((lo * lo + mode * mode + hi * hi - lo * mode - lo * hi - mode * hi) / 18.0)


def test_triangular_draws_stay_in_range_and_meet_the_mean() -> None:
    lo, mode, hi = TRI
    draw = block_sampler(Dist("triangular", sum(TRI) / 3, TRI), np.random.default_rng(3))
    values = np.asarray([draw() for _ in range(20_000)])  # several blocks
    assert values.min() >= lo
    assert values.max() <= hi
    assert abs(values.mean() - sum(TRI) / 3) < 4 * _triangular_sd(*TRI) / math.sqrt(len(values))
    # the mode is where the density peaks: more draws near it than near either end
    near = np.abs(values - mode) < 1.0
    assert near.sum() > (values < lo + 1.0).sum()
    assert near.sum() > (values > hi - 1.0).sum()


def test_empirical_draws_only_observed_values_with_equal_weight() -> None:
    samples = parse_floats(SAMPLES)
    draw = block_sampler(Dist("empirical", float(np.mean(samples)), samples), np.random.default_rng(5))
    values = np.asarray([draw() for _ in range(20_000)])
    assert set(values.tolist()) == set(samples)
    counts = np.asarray([(values == s).sum() for s in samples])
    p = 1 / len(samples)
    assert (np.abs(counts - len(values) * p) < 4 * math.sqrt(len(values) * p * (1 - p))).all()


def test_the_same_generator_seed_gives_the_same_draws() -> None:
    dist = Dist("triangular", sum(TRI) / 3, TRI)
    a = block_sampler(dist, np.random.default_rng(11))
    b = block_sampler(dist, np.random.default_rng(11))
    c = block_sampler(dist, np.random.default_rng(12))
    first = [a() for _ in range(5000)]
    assert first == [b() for _ in range(5000)]
    assert first != [c() for _ in range(5000)]


@pytest.mark.parametrize(
    ("row", "field", "says"),
    [
        ({"time_dist": "triangular", "time_min_h": 1.0, "time_max_h": 3.0}, "time_mode_h", "needs time_mode_h"),
        ({"time_dist": "triangular", "time_min_h": 1, "time_mode_h": 5, "time_max_h": 3}, "time_mode_h", "<="),
        ({"time_dist": "triangular", "time_min_h": 2, "time_mode_h": 2, "time_max_h": 2}, "time_mode_h", "min < max"),
        ({"time_dist": "empirical"}, "time_samples_h", "needs observed values"),
        ({"time_dist": "empirical", "time_samples_h": "3;x"}, "time_samples_h", "not a number"),
        ({"time_samples_h": "3;4"}, "time_samples_h", "set time_dist = empirical"),
        ({"time_min_h": 3.0}, "time_min_h", "set time_dist = triangular"),
        ({"time_dist": "empirical", "time_samples_h": "3;4", "time_cv": 0.2}, "time_cv", "lognormal"),
        ({"time_dist": "lognormal"}, "time_cv", "needs time_cv > 0"),
        ({"time_dist": "empirical", "time_samples_h": "3;4", "time_h": 3.5}, "time_h", "leave time_h empty"),
        ({"time_dist": "empirical", "time_samples_h": "3;4", "speed_kmh": 40.0}, "speed_kmh", "leave speed_kmh empty"),
    ],
)
def test_bad_distributions_name_the_field_and_the_fix(row: dict[str, Any], field: str, says: str) -> None:
    dist, problems = read_dist(
        row, prefix="time", fixed="time_h", where="links.geojson: x", cv="time_cv", fixed_allowed=("speed_kmh",)
    )
    assert dist is None
    assert problems
    assert f"links.geojson: x: {field}:" in problems[0]
    assert says in problems[0]


def test_a_good_triangular_row_gives_its_mean() -> None:
    dist, problems = read_dist(
        {"time_dist": "triangular", "time_min_h": 20.0, "time_mode_h": 21.0, "time_max_h": 25.0},
        prefix="time",
        fixed="time_h",
        where="x",
    )
    assert problems == []
    assert dist == Dist("triangular", 22.0, (20.0, 21.0, 25.0))


def _changes(**attrs: Any) -> list[dict[str, Any]]:
    return [{"component": "link", "id": LINK, "attribute": k, "value": v} for k, v in attrs.items()]


def _run(tmp_path: Path, changes: list[dict[str, Any]], seed: int = 7, **demand: Any) -> cr.Results:
    path = write_scenario(
        tmp_path,
        header={"seed": seed, "replications": 3},
        demand=[flow(origin="Almaty", destination="Astana", routes=["rail-only"], **demand)],
        changes=changes,
    )
    return cr.simulate(add_routes(path, RAIL_ONLY))


TRIANGULAR = _changes(speed_kmh="", time_dist="triangular", time_min_h=TRI[0], time_mode_h=TRI[1], time_max_h=TRI[2])


def test_a_triangular_link_time_set_by_a_scenario(tmp_path: Path, net: cr.Network) -> None:
    res = _run(tmp_path, TRIANGULAR, per_week=40, arrivals="poisson")
    travel = res.legs.loc[res.legs["link"] == LINK, "travel_h"].to_numpy()
    assert len(travel) > 300
    assert travel.min() >= TRI[0]
    assert travel.max() <= TRI[2]
    assert abs(travel.mean() - sum(TRI) / 3) < 4 * _triangular_sd(*TRI) / math.sqrt(len(travel))
    assert np.unique(travel).size == len(travel)  # drawn per shipment
    assert net.links.at[LINK, "travel_h"] != pytest.approx(sum(TRI) / 3)  # the change, not the data


def test_rail_legs_carry_the_sourced_spread_until_a_scenario_replaces_it() -> None:
    """Rail legs are lognormal (cv 0.073, DHL's 6-8 days Chinese border -> Polish border);
    a scenario's ``time_dist`` of another family replaces that spread, a ``time_cv`` given with it is an error."""
    net = cr.load_network()  # the bundled data, not the tests' steady network
    rail = net.links[net.links["mode"] == "rail"]
    assert np.allclose(rail["time_cv"], 0.073)
    changed = net.with_changes(TRIANGULAR, file="t.toml").links.loc[LINK]
    assert changed["time_cv"] == 0.0
    assert changed["time_dist"] == "triangular"
    with pytest.raises(cr.NetworkError, match="coefficient of variation is for lognormal"):
        net.with_changes([*TRIANGULAR, *_changes(time_cv=0.1)], file="t.toml")


def test_an_empirical_link_time_draws_only_its_samples(tmp_path: Path) -> None:
    res = _run(tmp_path, _changes(speed_kmh="", time_dist="empirical", time_samples_h=SAMPLES), per_week=20, batch=3)
    travel = res.legs.loc[res.legs["link"] == LINK, "travel_h"]
    assert set(np.round(travel, 9)) == set(parse_floats(SAMPLES))
    # shipments of one batch draw their own times (not one per release)
    per_release = res.legs[res.legs["link"] == LINK].groupby(["replication", "ready_h"])["travel_h"].nunique()
    assert (per_release > 1).any()


def test_same_seed_same_results_other_seed_other_results(tmp_path: Path) -> None:
    kwargs: dict[str, Any] = {"per_week": 10, "arrivals": "poisson"}
    a = _run(tmp_path, TRIANGULAR, seed=3, **kwargs)
    b = _run(tmp_path, TRIANGULAR, seed=3, **kwargs)
    c = _run(tmp_path, TRIANGULAR, seed=4, **kwargs)
    pd.testing.assert_frame_equal(a.legs, b.legs)
    assert not a.legs["travel_h"].equals(c.legs["travel_h"])


def test_random_node_times_are_recorded_per_leg(baseline: cr.Results, net: cr.Network) -> None:
    # Kuryk's ferry processing cycle is 6–8 h in the data (triangular)
    assert net.nodes.at["kuryk", "handling_dist"] == "triangular"
    lo, mode, hi = (float(net.nodes.at["kuryk", f"handling_{k}_h"]) for k in ("min", "mode", "max"))
    at = baseline.legs[(baseline.legs["from_node"] == "kuryk") & (baseline.legs["link"] == "ferry-kuryk-alat")]
    handling = at["handling_h"].to_numpy()
    assert len(handling) > 100
    assert handling.min() >= lo
    assert handling.max() <= hi
    assert abs(handling.mean() - (lo + mode + hi) / 3) < 4 * _triangular_sd(lo, mode, hi) / math.sqrt(len(handling))
    # the time adds up leg by leg with the drawn handling time
    parts = at[["wait_gate_h", "wait_service_h", "wait_queue_h", "handling_h", "border_h", "disrupted_h", "travel_h"]]
    assert np.allclose(parts.sum(axis=1), at["arrive_h"] - at["ready_h"])
    # route estimates use the mean
    assert net.compile().node_handling_h[net.compile().node_index["kuryk"]] == pytest.approx((lo + mode + hi) / 3)


def test_service_crossing_times_follow_the_link_distribution(baseline: cr.Results, net: cr.Network) -> None:
    lo, hi = (float(net.links.at["ferry-kuryk-alat", f"time_{k}_h"]) for k in ("min", "max"))
    deps = baseline.departures[baseline.departures["link"] == "ferry-kuryk-alat"]
    assert len(deps) > 5
    assert deps["travel_h"].between(lo, hi).all()
    assert deps["travel_h"].nunique() == len(deps)
    legs = baseline.legs[baseline.legs["link"] == "ferry-kuryk-alat"]
    assert legs["travel_h"].between(lo, hi).all()


def test_a_scenario_cannot_set_time_h_on_a_triangular_link(tmp_path: Path) -> None:
    path = write_scenario(
        tmp_path,
        demand=[flow()],
        changes=[{"component": "link", "group": "caspian", "attribute": "time_h", "factor": 1.5}],
    )
    with pytest.raises(cr.NetworkError) as info:
        cr.simulate(path, replications=1)
    message = str(info.value)
    assert "changes[0].attribute" in message
    assert "ferry-" in message
    assert "time_min_h" in message


def test_an_incomplete_distribution_from_a_scenario_names_the_change(tmp_path: Path) -> None:
    changes = _changes(speed_kmh="", time_dist="triangular", time_min_h=30.0, time_max_h=20.0)
    path = write_scenario(tmp_path, demand=[flow()], changes=changes)
    with pytest.raises(cr.NetworkError) as info:
        cr.simulate(path, replications=1)
    message = str(info.value)
    assert str(path) in message
    assert "changes[3].value" in message
    assert "time_mode_h" in message
