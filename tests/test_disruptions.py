"""Closures and storms: windows, statistics of the storm process, and validation."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

import corridor as cr
from corridor.disruptions import held_until, prepare_disruptions, windows_for_replication
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


FIXED = {"dist": "fixed", "value": 2}
TRIANGLE_BACKWARDS = {"dist": "triangular", "min": 3, "mode": 1, "max": 5}


@pytest.mark.parametrize(
    ("extra", "text"),
    [
        ({"closures": [{"group": "caspian", "start": date(2025, 3, 1), "end": date(2025, 2, 1)}]}, "ends"),
        ({"closures": [{"start": date(2025, 3, 1), "end": date(2025, 4, 1)}]}, "exactly one of group"),
        ({"storms": [{"group": "caspian", "daily_probability": {"jan": 1.5}, "duration_days": FIXED}]}, "[0, 1]"),
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
