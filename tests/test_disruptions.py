"""Closures and storms: windows, statistics of the storm process, and validation."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

import corridor as cr
from corridor.engine.disruptions import held_until, prepare_disruptions, windows_for_replication
from corridor.scenario import scenario_from_dict
from tests._helpers import flow

BASE = {
    "name": "d",
    "start": date(2025, 1, 1),
    "release_days": 7,
    "horizon_days": 365,
    "demand": [flow()],
}


def _scenario(**extra: object) -> cr.Scenario:
    return scenario_from_dict({**BASE, **extra}, file="d.toml")


def test_held_until_waits_for_the_reopening() -> None:
    windows = ((10.0, 20.0), (30.0, 31.0))
    assert held_until(windows, 5.0) == 5.0
    assert held_until(windows, 10.0) == 20.0
    assert held_until(windows, 19.9) == 20.0
    assert held_until(windows, 20.0) == 20.0
    assert held_until(windows, 30.5) == 31.0
    assert held_until((), 7.0) == 7.0


def test_closures_resolve_to_links_and_overlaps_merge(net: cr.Network) -> None:
    sc = _scenario(
        closures=[
            {"group": "caspian", "start": date(2025, 2, 1), "end": date(2025, 2, 3)},
            {"links": ["sea-aktau-alat"], "start": date(2025, 2, 2), "end": date(2025, 2, 5)},
        ]
    )
    cn = net.compile()
    plan = prepare_disruptions(sc, cn)
    windows = windows_for_replication(plan, len(cn.link_ids), np.random.default_rng(1))
    feeder = windows[cn.link_index["sea-aktau-alat"]]
    ferry = windows[cn.link_index["ferry-kuryk-alat"]]
    assert feeder == ((31 * 24.0, 35 * 24.0),)
    assert ferry == ((31 * 24.0, 33 * 24.0),)
    assert windows[cn.link_index["rail-almaty-aktau"]] == ()


def test_storm_onsets_follow_the_monthly_probabilities(net: cr.Network) -> None:
    sc = _scenario(
        storms=[
            {
                "group": "caspian",
                "daily_probability": {"jan": 0.2, "jul": 0.0},
                "duration_days": {"dist": "empirical", "values": [0.5]},
            }
        ]
    )
    cn = net.compile()
    plan = prepare_disruptions(sc, cn)
    li = cn.link_index["sea-aktau-alat"]
    january, july = [], []
    for seed in range(200):
        windows = windows_for_replication(plan, len(cn.link_ids), np.random.default_rng(seed))[li]
        january.append(sum(1 for s, _ in windows if s < 31 * 24))
        july.append(sum(1 for s, _ in windows if 181 * 24 <= s < 212 * 24))
    # 31 days x 0.2 = 6.2 onsets expected in January (windows of 12 h rarely merge)
    assert np.mean(january) == pytest.approx(6.2 * 0.9, rel=0.15)
    assert sum(july) == 0


def test_same_seed_same_storms(net: cr.Network) -> None:
    sc = _scenario(
        storms=[{"group": "caspian", "daily_probability": {"feb": 0.1},
                 "duration_days": {"dist": "triangular", "min": 1, "mode": 3, "max": 5}}]
    )  # fmt: skip
    cn = net.compile()
    plan = prepare_disruptions(sc, cn)
    a = windows_for_replication(plan, len(cn.link_ids), np.random.default_rng(5))
    b = windows_for_replication(plan, len(cn.link_ids), np.random.default_rng(5))
    assert a == b
    durations = [e - s for w in a for s, e in w]
    assert all(24.0 <= d <= 5 * 24.0 * 3 for d in durations)


def test_storms_on_named_links_close_only_those(net: cr.Network) -> None:
    """Kuryk's own closures (caspian-storm-season's storms[1]) leave the Aktau feeder open."""
    sc = _scenario(
        storms=[{"links": ["ferry-kuryk-alat", "ferry-alat-kuryk"], "daily_probability": {"jan": 0.3},
                 "duration_days": {"dist": "fixed", "value": 2}}]
    )  # fmt: skip
    cn = net.compile()
    windows = windows_for_replication(prepare_disruptions(sc, cn), len(cn.link_ids), np.random.default_rng(3))
    assert windows[cn.link_index["ferry-kuryk-alat"]] == windows[cn.link_index["ferry-alat-kuryk"]] != ()
    assert windows[cn.link_index["sea-aktau-alat"]] == ()


def test_unknown_storm_link_names_the_field(net: cr.Network) -> None:
    sc = _scenario(storms=[{"links": ["ferry-kuryk-alatt"], "daily_probability": {"jan": 0.1}, "duration_days": FIXED}])
    with pytest.raises(cr.ScenarioError, match=r"storms\[0\]\.links\[0\]: unknown link 'ferry-kuryk-alatt'"):
        prepare_disruptions(sc, net.compile())


FIXED = {"dist": "fixed", "value": 2}
TRIANGLE_BACKWARDS = {"dist": "triangular", "min": 3, "mode": 1, "max": 5}


@pytest.mark.parametrize(
    ("extra", "text"),
    [
        ({"closures": [{"group": "caspian", "start": date(2025, 3, 1), "end": date(2025, 2, 1)}]}, "ends"),
        ({"closures": [{"start": date(2025, 3, 1), "end": date(2025, 4, 1)}]}, "exactly one of group"),
        ({"storms": [{"group": "caspian", "daily_probability": {"jan": 1.5}, "duration_days": FIXED}]}, "[0, 1]"),
        (
            {
                "storms": [
                    {
                        "group": "caspian",
                        "links": ["sea-aktau-alat"],
                        "daily_probability": {"jan": 0.1},
                        "duration_days": FIXED,
                    }
                ]
            },
            "exactly one of group or links",
        ),
        ({"storms": [{"daily_probability": {"jan": 0.1}, "duration_days": FIXED}]}, "exactly one of group or links"),
        (
            {"storms": [{"group": "caspian", "daily_probability": {"janu": 0.1}, "duration_days": FIXED}]},
            "did you mean 'jan'",
        ),
        (
            {"storms": [{"group": "caspian", "daily_probability": {"jan": 0.1}, "duration_days": TRIANGLE_BACKWARDS}]},
            "min <= mode <= max",
        ),
    ],
)
def test_bad_disruptions_are_refused(extra: dict[str, object], text: str) -> None:
    with pytest.raises(cr.ScenarioError) as info:
        _scenario(**extra)
    assert "d.toml" in str(info.value)
    assert text in str(info.value)


def test_unknown_group_names_the_field(net: cr.Network, tmp_path: Path) -> None:
    sc = _scenario(closures=[{"group": "caspain", "start": date(2025, 3, 1), "end": date(2025, 4, 1)}])
    with pytest.raises(cr.ScenarioError, match=r"closures\[0\]\.group: no link has group 'caspain'; did you mean"):
        prepare_disruptions(sc, net.compile())


def _closed_run(tmp_path: Path, extra: str, **flow_kwargs: object) -> cr.Results:
    from tests._helpers import write_scenario

    path = write_scenario(tmp_path, header={"replications": 1, "release_days": 14}, demand=[flow(**flow_kwargs)])
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return cr.simulate(path)


def test_a_closed_rail_link_holds_shipments_until_it_reopens(tmp_path: Path, net: cr.Network) -> None:
    extra = (
        '\n[[closures]]\nlinks = ["rail-almaty-astana"]\nstart = 2025-01-07\nend = 2025-01-09\n'
        '\n[[routes]]\nid = "direct"\nnodes = ["almaty", "astana"]\n'
    )
    res = _closed_run(tmp_path, extra, origin="Almaty", destination="Astana", routes=["direct"], per_week=7)
    legs = res.legs
    opens, closes = 24.0, 72.0  # 2025-01-07 and 2025-01-09, hours after the 2025-01-06 start
    held = legs[(legs["ready_h"] >= opens) & (legs["ready_h"] < closes)]
    free = legs[(legs["ready_h"] < opens) | (legs["ready_h"] >= closes)]
    assert len(held) == 2
    assert np.allclose(held["depart_h"], closes)
    assert np.allclose(held["disrupted_h"], closes - held["ready_h"])
    # the closure holds the train; the run itself is drawn as usual (lognormal, cv 0.073: within 5 sigma)
    assert np.allclose(held["travel_h"], net.links.at["rail-almaty-astana", "travel_h"], rtol=0.4)
    assert (free["disrupted_h"] == 0).all()
    parts = legs[["wait_service_h", "wait_queue_h", "handling_h", "border_h", "disrupted_h", "travel_h"]].sum(axis=1)
    assert np.allclose(parts, legs["arrive_h"] - legs["ready_h"])


def test_no_feeder_sails_while_the_caspian_is_closed(tmp_path: Path) -> None:
    extra = '\n[[closures]]\ngroup = "caspian"\nstart = 2025-01-08\nend = 2025-01-12\n'
    res = _closed_run(tmp_path, extra, origin="Aktau", destination="Alat", routes=["caspian-feeder"], per_week=200)
    deps = res.departures[res.departures["service"] == "caspian-feeder"]
    start, end = 48.0, 144.0
    assert not ((deps["depart_h"] > start) & (deps["depart_h"] < end)).any()
    assert (deps["held_h"] > 0).any()
    legs = res.legs.merge(deps[["depart_h", "held_h"]].drop_duplicates("depart_h"), on="depart_h", how="left").fillna(
        {"held_h": 0.0}
    )
    # a shipment loses the part of its departure's hold that it spent waiting
    waited = legs["depart_h"] - legs["ready_h"] - legs["handling_h"] - legs["border_h"]
    assert np.allclose(legs["disrupted_h"], np.minimum(legs["held_h"], waited))
    assert (legs["disrupted_h"] > 0).any()


def test_storms_raise_the_caspian_p95_and_leave_the_flight_alone(tmp_path: Path) -> None:
    from tests._helpers import write_scenario

    demand = [
        flow(id="sea", origin="Aktau", destination="Belgrade", routes=["middle-poti"], per_week=20),
        flow(id="air", origin="Belgrade", destination="Astana", routes=["air"], per_week=2, tonnes=0.5),
    ]
    calm = write_scenario(tmp_path, "calm", header={"replications": 4, "release_days": 56}, demand=demand)
    stormy = tmp_path / "stormy.toml"
    stormy.write_text(
        calm.read_text(encoding="utf-8").replace('name = "test"', 'name = "stormy"')
        + '\n[[storms]]\ngroup = "caspian"\ndaily_probability = { jan = 0.15, feb = 0.15 }\n'
        + 'duration_days = { dist = "empirical", values = [2, 3, 5] }\n',
        encoding="utf-8",
    )
    a, b = cr.simulate(calm).kpis(), cr.simulate(stormy).kpis()
    assert b.loc[("sea", "middle-poti"), "transit_days_p95"] > a.loc[("sea", "middle-poti"), "transit_days_p95"] + 1
    assert b.loc[("sea", "middle-poti"), "disrupted_days"] > 0
    assert b.loc[("air", "air"), "transit_days_p95"] == pytest.approx(a.loc[("air", "air"), "transit_days_p95"])
    assert b.loc[("air", "air"), "disrupted_days"] == 0
