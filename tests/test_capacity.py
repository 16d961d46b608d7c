"""Link capacity: at most `capacity` shipments on a link at once, first in first out, queueing recorded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import corridor as cr
from tests._helpers import add_routes, flow, write_scenario

LINK = "rail-almaty-astana"
RAIL_ONLY = [{"id": "rail-only", "via": [], "modes": ["rail"]}]


def _scenario(
    tmp_path: Path, *, capacity: Any, header: dict[str, Any] | None = None, link: str = LINK, **demand: Any
) -> Path:
    path = write_scenario(
        tmp_path,
        header=header,
        demand=[flow(origin="Almaty", destination="Astana", routes=["rail-only"], **demand)],
        changes=[{"component": "link", "id": link, "attribute": "capacity", "value": capacity}],
    )
    return add_routes(path, RAIL_ONLY)


def _on_link(res: cr.Results) -> pd.DataFrame:
    return res.legs[res.legs["link"] == LINK]


def test_capacity_bounds_the_shipments_on_the_link(tmp_path: Path, net: cr.Network) -> None:
    res = cr.simulate(_scenario(tmp_path, capacity=2, per_week=1, batch=7, arrivals="poisson"))
    assert len(_on_link(res)) == len(res.shipments)
    for _, legs in _on_link(res).groupby("replication"):
        # sweep: +1 at each departure, -1 at each arrival (arrivals first at equal times)
        times = np.concatenate([legs["depart_h"], legs["arrive_h"]])
        steps = np.concatenate([np.ones(len(legs)), -np.ones(len(legs))])
        order = np.lexsort((steps, times))
        assert np.cumsum(steps[order]).max() == 2
        assert (legs["wait_queue_h"] > 0).any()


def test_a_batch_is_served_first_in_first_out(tmp_path: Path, net: cr.Network) -> None:
    res = cr.simulate(_scenario(tmp_path, capacity=2, per_week=1, batch=7))
    travel = net.links.loc[LINK, "travel_h"]
    legs = _on_link(res).sort_values(["replication", "ready_h", "shipment"])
    expected = np.tile(np.arange(7) // 2 * travel, len(legs) // 7)
    assert np.allclose(legs["wait_queue_h"], expected)
    assert np.allclose(legs["depart_h"] - legs["ready_h"], legs["wait_queue_h"])
    assert (legs["wait_service_h"] == 0).all()
    assert (legs.groupby(["replication", "ready_h"])["shipment"].diff().dropna() > 0).all()


def test_queue_time_adds_up_and_reaches_the_kpis(tmp_path: Path) -> None:
    res = cr.simulate(_scenario(tmp_path, capacity=1, per_week=2, batch=3))
    legs = res.legs
    parts = legs[["wait_service_h", "wait_queue_h", "handling_h", "border_h", "disrupted_h", "travel_h"]].sum(axis=1)
    assert np.allclose(parts, legs["arrive_h"] - legs["ready_h"])
    kpis = res.kpis()
    assert kpis["wait_queue_days"].iloc[0] == pytest.approx(legs["wait_queue_h"].mean() / 24.0)
    assert kpis["wait_queue_days"].iloc[0] > 0


def test_a_long_queue_keeps_its_order(tmp_path: Path, net: cr.Network) -> None:
    # 10 000 shipments arrive at once at a link that takes one at a time
    res = cr.simulate(
        _scenario(
            tmp_path,
            capacity=1,
            per_week=0.5,
            batch=10_000,
            header={"replications": 1, "release_days": 1, "horizon_days": 3660},
        )
    )
    travel = net.links.loc[LINK, "travel_h"]
    ships = res.shipments
    # the horizon cuts the queue: the rest are in transit at Almaty, none dropped
    done = ships["delivered"].to_numpy()
    assert len(ships) == 10_000
    assert done.sum() == int(3660 * 24 // travel)
    assert (ships.loc[~done, "location"] == "almaty").all()
    assert (ships.loc[~done, "legs_done"] == 0).all()
    legs = _on_link(res).sort_values("shipment")
    assert np.allclose(legs["wait_queue_h"], np.arange(len(legs)) * travel)


def test_results_with_capacity_do_not_depend_on_worker_count(tmp_path: Path) -> None:
    path = _scenario(tmp_path, capacity=1, per_week=6, arrivals="poisson", header={"replications": 3})
    one = cr.simulate(path, workers=1)
    two = cr.simulate(path, workers=2)
    pd.testing.assert_frame_equal(one.legs, two.legs)
    pd.testing.assert_frame_equal(one.shipments, two.shipments)


@pytest.mark.parametrize(
    ("link", "capacity", "message"),
    [
        ("sea-aktau-alat", 2, "has its own capacity per departure"),
        (LINK, 1.5, "not a whole number"),
    ],
)
def test_bad_capacity_names_the_link(tmp_path: Path, link: str, capacity: float, message: str) -> None:
    with pytest.raises(cr.NetworkError, match=message) as err:
        cr.simulate(_scenario(tmp_path, capacity=capacity, link=link, per_week=1))
    assert err.value.field == f"{link}.capacity"
