"""Wall time of each bundled scenario, split into loading, preparing, simulating and building results.

Loading includes the first import of geopandas (the first scenario pays it).

Run: ``python benchmarks/end_to_end.py [--replications N] [--json]``
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

import corridor as cr
from corridor.engine.replication import run_replication
from corridor.plan import prepare
from corridor.results.builder import build_results


def measure(name: str, *, replications: int | None) -> dict[str, float | int | str]:
    """Time the phases of one bundled scenario."""
    t0 = time.perf_counter()
    sc = cr.load_scenario(name)
    net = cr.load_network(sc.network_path())
    t1 = time.perf_counter()
    plan = prepare(sc, net)
    t2 = time.perf_counter()
    n = sc.replications if replications is None else replications
    buffers = [run_replication(plan, s) for s in np.random.SeedSequence(sc.seed).spawn(n)]
    t3 = time.perf_counter()
    res = build_results(plan, buffers)
    t4 = time.perf_counter()
    legs = len(res.legs)
    total = t4 - t0
    return {
        "scenario": name,
        "replications": n,
        "legs": legs,
        "events": res.events,
        "load_s": round(t1 - t0, 3),
        "prepare_s": round(t2 - t1, 3),
        "simulate_s": round(t3 - t2, 3),
        "results_s": round(t4 - t3, 3),
        "total_s": round(t4 - t0, 3),
        "us_per_leg": round((t3 - t2) / max(legs, 1) * 1e6, 2),
        "load_share": round((t1 - t0) / total, 3),
        "prepare_share": round((t2 - t1) / total, 3),
        "simulate_share": round((t3 - t2) / total, 3),
        "results_share": round((t4 - t3) / total, 3),
    }


def main() -> None:
    """Print one line per bundled scenario."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--replications", type=int, default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    for name in cr.bundled_scenarios():
        row = measure(name, replications=args.replications)
        print(json.dumps(row) if args.json else "  ".join(f"{k}={v}" for k, v in row.items()))


if __name__ == "__main__":
    main()
