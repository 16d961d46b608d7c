"""How replications scale over worker processes.

Runs ``--replications`` replications of a scenario on 1 and on ``--workers`` processes,
interleaved, ``--repeats`` times each, and keeps the fastest wall time of each (other
work on the machine only ever slows a run down). Also reports the phases of the fastest
parallel run and the load average, since a machine with other busy processes cannot
show the speed-up of its idle cores.

With ``--backend dask`` the parallel runs go to a Dask ``LocalCluster`` of ``--workers``
processes started once, before the runs (its start-up is not timed).

Run: ``python benchmarks/replications.py [--scenario baseline-2025] [--replications 64] [--workers 2]
[--backend local|dask] [--json]``
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import time
from typing import Any

import corridor as cr


def measure(*, scenario: str, replications: int, workers: int, repeats: int, backend: str = "local") -> dict[str, Any]:
    """Fastest wall time of ``simulate`` on 1 and on ``workers`` processes."""
    with contextlib.ExitStack() as stack:
        client = None
        if backend == "dask":
            from corridor.backends.dask import local_client

            client = stack.enter_context(local_client(workers))
        return _measure(scenario=scenario, replications=replications, workers=workers, repeats=repeats, client=client)


def _measure(*, scenario: str, replications: int, workers: int, repeats: int, client: Any) -> dict[str, Any]:
    sc = cr.load_scenario(scenario)
    cr.simulate(sc, replications=1)  # warm up imports and caches
    options: dict[str, Any] = {} if client is None else {"backend": "dask", "client": client}
    if client is not None:
        cr.simulate(sc, replications=workers, **options)  # the workers import corridor
    best = {1: math.inf, workers: math.inf}
    phases: dict[str, float] = {}
    load_before = os.getloadavg()[0]
    for _ in range(repeats):
        for w in (1, workers):
            t0 = time.perf_counter()
            res = cr.simulate(sc, replications=replications, workers=w, **(options if w > 1 else {}))
            wall = time.perf_counter() - t0
            if wall < best[w]:
                best[w] = wall
                if w == workers:
                    phases = getattr(res, "timings", {})  # older versions have none
    return {
        "scenario": scenario,
        "replications": replications,
        "workers": workers,
        "backend": "local" if client is None else "dask",
        "cpus": os.cpu_count(),
        "serial_s": round(best[1], 3),
        "parallel_s": round(best[workers], 3),
        "speedup": round(best[1] / best[workers], 3),
        "parallel_phases_s": {k: round(v, 3) for k, v in phases.items()},
        "load_avg_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }


def main() -> None:
    """Print the figures (one JSON line with ``--json``)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", default="baseline-2025")
    parser.add_argument("--replications", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--backend", choices=["local", "dask"], default="local")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    row = measure(
        scenario=args.scenario,
        replications=args.replications,
        workers=args.workers,
        repeats=args.repeats,
        backend=args.backend,
    )
    print(json.dumps(row) if args.json else "\n".join(f"{k:>18}  {v}" for k, v in row.items()))


if __name__ == "__main__":
    main()
