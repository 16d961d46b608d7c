"""Node gates (capacity_teu_day): a FIFO gate every shipment leaving the node passes, and the monitors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import corridor as cr
from corridor.results.frames import QUEUE_COLUMNS, UTILISATION_COLUMNS
from tests._helpers import add_routes, flow, write_scenario

NODE = "aktau"
RAIL_ONLY = [{"id": "rail-only", "via": [], "modes": ["rail"]}]


def _run(tmp_path: Path, *, capacity: float, header: dict[str, Any] | None = None, **demand: Any) -> cr.Results:
    path = write_scenario(
        tmp_path,
        header=header,
        demand=[flow(origin="Aktau", destination="Kuryk", routes=["rail-only"], **demand)],
        changes=[{"component": "node", "id": NODE, "attribute": "capacity_teu_day", "value": capacity}],
    )
    return cr.simulate(add_routes(path, RAIL_ONLY))


def _gate_intervals(res: cr.Results, node: str, capacity: float) -> pd.DataFrame:
    """When each shipment held the gate, from the leg records: [ready + wait_gate_h, + 24 TEU / capacity)."""
    legs = res.legs[res.legs["from_node"] == node].join(
        res.shipments.set_index(["replication", "shipment"])["teu"], on=["replication", "shipment"]
    )
    start = legs["ready_h"] + legs["wait_gate_h"]
    return pd.DataFrame(
        {
            "replication": legs["replication"],
            "ready": legs["ready_h"],
            "start": start,
            "end": start + 24.0 * legs["teu"] / capacity,
        }
    )


def _max_occupancy(intervals: pd.DataFrame) -> int:
    times = np.concatenate([intervals["start"], intervals["end"]])
    steps = np.concatenate([np.ones(len(intervals)), -np.ones(len(intervals))])
    order = np.lexsort((steps, np.round(times, 9)))  # ends before starts at equal times
    return int(np.cumsum(steps[order]).max())


def test_a_batch_passes_the_gate_one_by_one(tmp_path: Path) -> None:
    capacity = 96.0  # TEU/day: a FEU holds the gate 0.5 h
    res = _run(tmp_path, capacity=capacity, per_week=1, batch=6)
    legs = res.legs[res.legs["from_node"] == NODE].sort_values(["replication", "ready_h", "shipment"])
    hold = 24.0 * 2 / capacity
    expected = np.tile(np.arange(6) * hold, len(legs) // 6)
    assert np.allclose(legs["wait_gate_h"], expected)
    assert (legs["wait_queue_h"] == 0).all()
    assert np.allclose(legs["depart_h"] - legs["ready_h"], legs["wait_gate_h"] + legs["border_h"] + legs["handling_h"])


@pytest.mark.parametrize("arrivals", ["poisson", "regular"])
def test_occupancy_never_exceeds_the_gate_and_it_is_fifo(tmp_path: Path, arrivals: str) -> None:
    capacity = 80.0
    res = _run(tmp_path, capacity=capacity, per_week=50, batch=2, arrivals=arrivals)
    for _, one in _gate_intervals(res, NODE, capacity).groupby("replication"):
        assert _max_occupancy(one) == 1
        one = one.sort_values(["ready", "start"])
        assert (np.diff(one["start"]) >= -1e-9).all()  # first in, first out
    assert (res.legs["wait_gate_h"] > 0).any()


def test_poisson_arrivals_wait_as_in_an_md1_queue(tmp_path: Path) -> None:
    # Poisson arrivals at rate lam, deterministic service s: Wq = rho * s / (2 (1 - rho)) (Pollaczek–Khinchine)
    lam = 1.0  # shipments per hour
    rho = 0.6
    s = rho / lam
    capacity = 24.0 * 2 / s
    header = {"release_days": 120, "horizon_days": 130, "replications": 4, "seed": 11}
    res = _run(tmp_path, capacity=capacity, header=header, per_week=168 * lam, arrivals="poisson")
    waits = res.legs.loc[res.legs["from_node"] == NODE, "wait_gate_h"]
    theory = rho * s / (2 * (1 - rho))
    assert len(waits) > 10_000
    assert waits.mean() == pytest.approx(theory, rel=0.08)
    u = res.utilisation()
    gate = u[u["resource"] == NODE]
    # busy share over the time the gate is in use (first release to last shipment through): rho;
    # over the whole horizon (10 days without releases at the end): rho scaled by 120 / 130
    assert gate["utilisation"].mean() == pytest.approx(rho, rel=0.05)
    assert gate["utilisation_horizon"].mean() == pytest.approx(rho * 120 / 130, rel=0.05)
    assert (gate["utilisation"] <= 1).all()


def test_gate_waits_reach_the_kpis_and_the_monitors(tmp_path: Path) -> None:
    res = _run(tmp_path, capacity=60.0, per_week=40, batch=4)
    legs = res.legs
    parts = legs[["wait_gate_h", "wait_service_h", "wait_queue_h", "handling_h", "border_h", "disrupted_h", "travel_h"]]
    assert np.allclose(parts.sum(axis=1), legs["arrive_h"] - legs["ready_h"])
    kpis = res.kpis()
    assert kpis["wait_gate_days"].iloc[0] == pytest.approx(legs["wait_gate_h"].sum() / len(res.shipments) / 24.0)
    q = res.queues()
    assert tuple(q.columns) == QUEUE_COLUMNS
    gate = q[(q["kind"] == "gate") & (q["resource"] == NODE)]
    assert (gate["waiting"] >= 0).all()
    assert (gate.groupby("replication")["waiting"].last() == 0).all()
    # the longest queue: a batch of 4 arriving together leaves 3 waiting
    assert gate["waiting"].max() == 3
    u = res.utilisation()
    assert tuple(u.columns) == UTILISATION_COLUMNS
    row = u[u["resource"] == NODE].iloc[0]
    mine = legs[(legs["replication"] == 0) & (legs["from_node"] == NODE)]
    assert row["shipments"] == len(mine)
    assert row["wait_max_h"] == pytest.approx(mine["wait_gate_h"].max())
    assert row["queue_max"] == 3
    assert row["used"] == pytest.approx(len(mine) * 24.0 * 2 / 60.0)


def test_bundled_gates_hold_in_the_baseline(baseline: cr.Results, net: cr.Network) -> None:
    gates = baseline.resources[baseline.resources["kind"] == "gate"]
    assert {"aktau", "poti", "batumi"} <= set(gates.index)
    for node, info in gates.iterrows():
        assert info["capacity"] == net.nodes.at[node, "capacity_teu_day"]
        for _, one in _gate_intervals(baseline, str(node), float(info["capacity"])).groupby("replication"):
            assert _max_occupancy(one) == 1
    u = baseline.utilisation()
    assert set(u["kind"]) == {"gate", "service"}
    assert u["utilisation"].between(0, 1).all()
    # the load factor of a service: what its departures carried over what they offered
    feeder = u[(u["resource"] == "sea-aktau-alat") & (u["replication"] == 0)].iloc[0]
    deps = baseline.departures[
        (baseline.departures["link"] == "sea-aktau-alat") & (baseline.departures["replication"] == 0)
    ]
    assert feeder["utilisation"] == pytest.approx(deps["load"].sum() / deps["capacity"].sum())


def test_slot_monitors_match_the_records(tmp_path: Path) -> None:
    path = write_scenario(
        tmp_path,
        demand=[flow(origin="Almaty", destination="Astana", routes=["rail-only"], per_week=1, batch=4)],
        changes=[{"component": "link", "id": "rail-almaty-astana", "attribute": "capacity", "value": 2}],
    )
    res = cr.simulate(add_routes(path, RAIL_ONLY))
    u = res.utilisation()
    row = u[(u["resource"] == "rail-almaty-astana") & (u["replication"] == 0)].iloc[0]
    on = res.legs[(res.legs["link"] == "rail-almaty-astana") & (res.legs["replication"] == 0)]
    assert row["kind"] == "slots"
    assert row["used"] == pytest.approx((on["arrive_h"] - on["depart_h"]).sum())
    # in use from the first release to the last arrival on the link; the horizon figure beside it
    first = res.shipments.loc[res.shipments["replication"] == 0, "release_h"].min()
    assert row["available"] == pytest.approx(2 * (on["arrive_h"].max() - first))
    assert row["utilisation_horizon"] == pytest.approx(row["used"] / (2 * res.horizon_h))
    assert row["utilisation"] > row["utilisation_horizon"]
    assert row["queue_max"] == 2  # 4 arrive together, 2 slots
    assert row["wait_mean_h"] == pytest.approx(on["wait_queue_h"].mean())


def test_a_bad_gate_capacity_names_the_change(tmp_path: Path) -> None:
    path = write_scenario(
        tmp_path,
        demand=[flow()],
        changes=[{"component": "node", "id": NODE, "attribute": "capacity_teu_day", "value": 0}],
    )
    with pytest.raises(cr.NetworkError) as info:
        cr.simulate(path, replications=1)
    assert "changes[0].value" in str(info.value)
    assert "capacity_teu_day" in str(info.value)
