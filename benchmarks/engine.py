"""The standard engine workload: corridor against bare SimPy on the same event pattern.

A synthetic chain of ``N`` nodes on a straight line joined by rail links (no services,
no borders, no handling), ``M`` shipments released one per hour (``--per-hour``), each
traversing every link: ``M * (N - 1)`` legs. With ``--capacity K`` the middle link
admits ``K`` shipments at once (FIFO).

The workload runs through the public API of corridor (a GeoJSON network written to a
temporary folder, :func:`corridor.load_network`, a :class:`corridor.Scenario`,
:func:`corridor.simulate`) and, in the same process and interleaved with it, through
bare SimPy on the identical event pattern: one process per shipment, one timeout per
leg, ``request``/``release`` of a :class:`simpy.Resource` on the capacity link. Each
side runs ``--repeats`` times; the minimum is taken, so the ratio does not depend on
what else the machine is doing.

Run: ``python benchmarks/engine.py --shipments 1000 --nodes 100 [--capacity 1] [--json]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import math
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import simpy

import corridor as cr
from corridor.engine.replication import run_replication
from corridor.plan import prepare

LINK_KM = 100.0
SPEED_KMH = 50.0
LEG_H = LINK_KM / SPEED_KMH  # 2 h per link


def capacity_link(nodes: int) -> int:
    """Position of the capacity link on the chain (the middle one)."""
    return (nodes - 1) // 2


def write_chain(folder: Path, *, nodes: int, capacity: int | None = None) -> Path:
    """Write a chain network (GeoJSON, emission factors, one route template) to ``folder``.

    Parameters
    ----------
    folder
        Where to write; created if missing.
    nodes
        Number of nodes; the chain has ``nodes - 1`` links, each ``LINK_KM`` long.
    capacity
        Shipments the middle link admits at once (``None``: unlimited).
    """
    folder.mkdir(parents=True, exist_ok=True)
    node_features = [
        {
            "type": "Feature",
            "properties": {"id": f"n{i}", "name": f"Node {i}", "country": "KZ", "kind": "rail_terminal"},
            "geometry": {"type": "Point", "coordinates": [50.0 + 0.01 * i, 45.0]},
        }
        for i in range(nodes)
    ]
    link_features = []
    for i in range(nodes - 1):
        props: dict[str, Any] = {
            "id": f"l{i}",
            "from": f"n{i}",
            "to": f"n{i + 1}",
            "mode": "rail",
            "co2_factor": "rail",
            "length_km": LINK_KM,
            "speed_kmh": SPEED_KMH,
            "gauge_mm": 1520,
            "tariff_usd_feu_km": 1.0,
        }
        if capacity is not None and i == capacity_link(nodes):
            props["capacity"] = capacity
        link_features.append(
            {
                "type": "Feature",
                "properties": props,
                "geometry": {"type": "LineString", "coordinates": [[50.0 + 0.01 * i, 45.0], [50.01 + 0.01 * i, 45.0]]},
            }
        )
    for name, features in (("nodes", node_features), ("links", link_features), ("services", [])):
        text = json.dumps({"type": "FeatureCollection", "features": features})
        (folder / f"{name}.geojson").write_text(text, encoding="utf-8")
    (folder / "emission_factors.csv").write_text("key,g_co2e_tkm\nrail,27.79\n", encoding="utf-8")
    (folder / "routes.toml").write_text('[[route]]\nid = "chain"\nname = "the chain"\nfamily = "chain"\n')
    return folder


def chain_scenario(*, shipments: int, nodes: int, capacity: int | None = None, per_hour: float = 1.0) -> cr.Scenario:
    """The scenario: ``shipments`` released ``per_hour`` from the first node to the last.

    The horizon lets every shipment arrive, up to the longest a scenario may have (3660
    days); beyond that the rest are in transit at the horizon.

    Parameters
    ----------
    shipments
        M, shipments released, one at a time.
    nodes
        N, nodes on the chain (:func:`write_chain`).
    capacity
        K of the middle link, if any (only to size the horizon).
    per_hour
        Shipments released per hour.
    """
    release_h = shipments / per_hour
    bottleneck = shipments * LEG_H / capacity if capacity else 0.0
    horizon_h = max(release_h, bottleneck) + (nodes + 1) * LEG_H + 24.0
    return cr.Scenario(
        name=f"chain-{shipments}x{nodes}",
        start=dt.date(2025, 1, 6),
        release_days=release_h / 24.0,
        horizon_days=min(math.ceil(horizon_h / 24.0), 3660),
        seed=1,
        replications=1,
        demand=[
            {
                "id": "chain",
                "origin": "n0",
                "destination": f"n{nodes - 1}",
                "routes": ["chain"],
                "per_week": 168.0 * per_hour,
                "arrivals": "regular",
                "teu": 2,
                "tonnes": 20,
            }
        ],
    )


def floor_events(
    *, shipments: int, nodes: int, capacity: int | None = None, per_hour: float = 1.0, until: float | None = None
) -> int:
    """Bare SimPy on the workload's event pattern; returns the number of events scheduled.

    Parameters
    ----------
    shipments, nodes, capacity, per_hour
        As for :func:`chain_scenario`.
    until
        The horizon in hours (default: the horizon of :func:`chain_scenario`).
    """
    env = simpy.Environment()
    links = nodes - 1
    gap = 1.0 / per_hour
    mid = capacity_link(nodes) if capacity else -1
    res = simpy.Resource(env, capacity=capacity) if capacity else None
    timeout = env.timeout

    def shipment() -> Iterator[simpy.Event]:
        for i in range(links):
            if i == mid and res is not None:
                with res.request() as req:
                    yield req
                    yield timeout(LEG_H)
            else:
                yield timeout(LEG_H)

    def release() -> Iterator[simpy.Event]:
        for k in range(shipments):
            if k:
                yield timeout(gap)
            env.process(shipment())

    env.process(release())
    if until is None:
        sc = chain_scenario(shipments=shipments, nodes=nodes, capacity=capacity, per_hour=per_hour)
        until = sc.horizon_days * 24.0
    # corridor's engine pauses the cyclic garbage collector while it runs; so does the floor,
    # so that the ratio measures corridor's own work only
    enabled = gc.isenabled()
    gc.disable()
    try:
        env.run(until=until)
    finally:
        if enabled:
            gc.enable()
    return next(env._eid)  # SimPy numbers every scheduled event


def measure(
    *, shipments: int, nodes: int, capacity: int | None = None, per_hour: float = 1.0, repeats: int = 3
) -> dict[str, Any]:
    """Run corridor and the SimPy floor ``repeats`` times each, interleaved; keep the minima.

    Parameters
    ----------
    shipments, nodes, capacity, per_hour
        The workload (:func:`chain_scenario`).
    repeats
        Runs of each side.

    Returns
    -------
    dict
        The figures printed by ``main`` (see benchmarks/README.md).
    """
    with tempfile.TemporaryDirectory() as tmp:
        net = cr.load_network(write_chain(Path(tmp), nodes=nodes, capacity=capacity))
    sc = chain_scenario(shipments=shipments, nodes=nodes, capacity=capacity, per_hour=per_hour)
    until = sc.horizon_days * 24.0
    sim, floor, results = math.inf, math.inf, math.inf
    res: cr.Results | None = None
    events_floor = 0
    for _ in range(repeats):
        gc.collect()
        res = cr.simulate(sc, network=net)
        sim = min(sim, res.timings["simulate_s"])
        results = min(results, res.timings["results_s"])
        del res
        gc.collect()
        t0 = time.perf_counter()
        events_floor = floor_events(shipments=shipments, nodes=nodes, capacity=capacity, per_hour=per_hour, until=until)
        floor = min(floor, time.perf_counter() - t0)
    res = cr.simulate(sc, network=net)
    legs = len(res.legs)
    # bytes the engine keeps per leg while it runs (its buffers; not a public API)
    buf = run_replication(prepare(sc, net), np.random.SeedSequence(0))
    buffer_bytes = sum(a.itemsize * len(a) for a in (buf.ship_route, buf.ship_release, buf.leg_depart, buf.leg_arrive))
    ships = res.shipments
    return {
        "shipments": shipments,
        "nodes": nodes,
        "capacity": capacity,
        "legs": legs,
        "delivered": int(ships["delivered"].sum()),
        "events": res.events,
        "floor_events": events_floor,
        "sim_s": round(sim, 4),
        "floor_s": round(floor, 4),
        "ratio": round(sim / floor, 3),
        "per_leg_us": round(sim / max(legs, 1) * 1e6, 3),
        "floor_per_leg_us": round(floor / max(legs, 1) * 1e6, 3),
        "results_s": round(results, 4),
        "results_share": round(results / sim, 3),
        "frame_bytes_per_leg": round(float(res.legs.memory_usage(deep=True).sum()) / max(legs, 1), 1),
        "buffer_bytes_per_leg": round(buffer_bytes / max(legs, 1), 1),
        "wait_queue_h_mean": round(float(res.legs["wait_queue_h"].mean()), 3) if legs else 0.0,
    }


def main() -> None:
    """Print the figures of one workload (one JSON line with ``--json``)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shipments", type=int, default=1000, help="M, shipments released")
    parser.add_argument("--nodes", type=int, default=10, help="N, nodes on the chain (N - 1 legs per shipment)")
    parser.add_argument("--capacity", type=int, default=None, help="K, shipments the middle link admits at once")
    parser.add_argument("--per-hour", type=float, default=1.0, help="shipments released per hour")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each side; the minimum is kept")
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    args = parser.parse_args()
    row = measure(
        shipments=args.shipments,
        nodes=args.nodes,
        capacity=args.capacity,
        per_hour=args.per_hour,
        repeats=args.repeats,
    )
    print(json.dumps(row) if args.json else "\n".join(f"{k:>22}  {v}" for k, v in row.items()))


if __name__ == "__main__":
    main()
