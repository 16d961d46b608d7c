"""The standard engine workload in CPU time: corridor's replication against the bare SimPy floor.

``engine.py`` measures wall time; on a machine shared with other work, wall time moves
with the load. This script runs the same workload (:func:`engine.write_chain`,
:func:`engine.chain_scenario`) and keeps the least **CPU time** (``time.process_time``)
of ``--repeats`` runs of :func:`corridor.engine.replication.run_replication` and of the
floor (:func:`engine.floor_events`), interleaved in one process.

Run: ``python benchmarks/engine_cpu.py --shipments 1000 --nodes 10 100 [--repeats 25]``
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

import engine as bench

import corridor as cr
from corridor.engine.replication import run_replication
from corridor.plan import prepare


def measure(*, shipments: int, nodes: int, repeats: int) -> tuple[float, float]:
    """Least CPU seconds of one replication and of the floor on a chain of ``nodes`` nodes."""
    with tempfile.TemporaryDirectory() as tmp:
        net = cr.load_network(bench.write_chain(Path(tmp), nodes=nodes))
    sc = bench.chain_scenario(shipments=shipments, nodes=nodes)
    plan = prepare(sc, net)
    until = sc.horizon_days * 24.0
    best = floor = float("inf")
    for _ in range(repeats):
        gc.collect()
        t0 = time.process_time()
        run_replication(plan, np.random.SeedSequence(1))
        best = min(best, time.process_time() - t0)
        gc.collect()
        t0 = time.process_time()
        bench.floor_events(shipments=shipments, nodes=nodes, capacity=None, per_hour=1.0, until=until)
        floor = min(floor, time.process_time() - t0)
    return best, floor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shipments", type=int, default=1000, help="M, shipments released")
    parser.add_argument("--nodes", type=int, nargs="+", default=[10, 100], help="N, nodes on the chain")
    parser.add_argument("--repeats", type=int, default=25, help="runs of each side; the least is kept")
    args = parser.parse_args()
    for nodes in args.nodes:
        best, floor = measure(shipments=args.shipments, nodes=nodes, repeats=args.repeats)
        print(f"N={nodes} corridor={best * 1e3:.2f}ms floor={floor * 1e3:.2f}ms ratio={best / floor:.3f}")


if __name__ == "__main__":
    main()
