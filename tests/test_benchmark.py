"""The benchmark workload (benchmarks/engine.py) at a small size: it does the work it claims.

The benchmark compares corridor with bare SimPy on the same event pattern; these tests
pin the number of legs and events on both sides, so a change that makes either side
skip work cannot pass as a speed-up. No timing is asserted here.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

import corridor as cr

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "engine.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("corridor_bench_engine", BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _run(bench: ModuleType, tmp_path: Path, *, shipments: int, nodes: int, capacity: int | None) -> cr.Results:
    net = cr.load_network(bench.write_chain(tmp_path / "net", nodes=nodes, capacity=capacity))
    return cr.simulate(bench.chain_scenario(shipments=shipments, nodes=nodes, capacity=capacity), network=net)


def _floor_events(shipments: int, nodes: int) -> int:
    # per shipment: its process start and end and one timeout per leg (nodes - 1);
    # the release process: start, end and one timeout between releases (shipments - 1);
    # SimPy's two events of `run(until=horizon)`
    return shipments * (nodes + 1) + shipments + 1 + 2


@pytest.mark.parametrize(("shipments", "nodes"), [(1, 2), (30, 12)])
def test_workload_counts_without_capacity(bench: ModuleType, tmp_path: Path, shipments: int, nodes: int) -> None:
    res = _run(bench, tmp_path, shipments=shipments, nodes=nodes, capacity=None)
    legs = res.legs
    assert len(legs) == shipments * (nodes - 1)
    assert res.shipments["delivered"].all()
    assert (legs.groupby("shipment", observed=True).size() == nodes - 1).all()
    assert np.allclose(legs["travel_h"], bench.LEG_H)
    assert np.allclose(res.shipments["release_h"], np.arange(shipments))
    assert bench.floor_events(shipments=shipments, nodes=nodes) == _floor_events(shipments, nodes)
    assert res.events == _floor_events(shipments, nodes)


def test_workload_counts_with_capacity_one(bench: ModuleType, tmp_path: Path) -> None:
    shipments, nodes = 20, 7
    res = _run(bench, tmp_path, shipments=shipments, nodes=nodes, capacity=1)
    legs = res.legs
    assert len(legs) == shipments * (nodes - 1)
    assert res.shipments["delivered"].all()
    # bare SimPy: a Request and a Release event per shipment on the capacity link
    assert bench.floor_events(shipments=shipments, nodes=nodes, capacity=1) == _floor_events(shipments, nodes) + 2 * (
        shipments
    )
    # corridor takes a free slot without an event; the other 19 shipments queue, one event each
    assert res.events == _floor_events(shipments, nodes) + (shipments - 1)
    # released one per hour onto a 2-hour link: shipment k waits k hours, FIFO
    on_link = legs[legs["leg"] == bench.capacity_link(nodes)]
    assert np.allclose(on_link["wait_queue_h"], np.arange(shipments) * (bench.LEG_H - 1.0))
    assert legs.loc[legs["leg"] != bench.capacity_link(nodes), "wait_queue_h"].eq(0).all()


def test_measure_reports_every_figure(bench: ModuleType) -> None:
    row = bench.measure(shipments=5, nodes=4, capacity=1, repeats=1)
    expected = {"shipments", "nodes", "capacity", "legs", "sim_s", "floor_s", "ratio", "per_leg_us", "results_s"}
    assert expected <= set(row)
    assert row["legs"] == 5 * 3
    assert row["events"] == _floor_events(5, 4) + 4
    assert row["floor_events"] == _floor_events(5, 4) + 2 * 5
    assert row["buffer_bytes_per_leg"] > 0


def test_shipments_cut_by_the_horizon_keep_their_legs_done(bench: ModuleType, tmp_path: Path) -> None:
    nodes = 12
    net = cr.load_network(bench.write_chain(tmp_path / "net", nodes=nodes, capacity=1))
    sc = bench.chain_scenario(shipments=30, nodes=nodes, capacity=1).model_copy(update={"horizon_days": 1.0})
    res = cr.simulate(sc, network=net)
    legs, ships = res.legs, res.shipments.set_index("shipment")
    rows = legs.groupby("shipment").size().reindex(ships.index, fill_value=0)
    assert (ships["legs_done"] == rows).all()
    assert 0 < ships["delivered"].sum() < len(ships)
    assert (ships["delivered"] == (ships["legs_done"] == nodes - 1)).all()
    assert set(ships["legs_done"]) > {0, nodes - 1}  # and some half way
    last = legs.groupby("shipment").last()
    moved = ships["legs_done"] > 0
    assert (ships.loc[moved, "location"] == last.loc[ships.index[moved], "to_node"].astype(str)).all()
    assert (ships.loc[~moved, "location"] == "n0").all()
    sums = legs.groupby("shipment")[["cost_usd", "distance_km"]].sum().reindex(ships.index, fill_value=0.0)
    assert np.allclose(ships["cost_usd"], sums["cost_usd"])
    assert np.allclose(ships["distance_km"], sums["distance_km"])
