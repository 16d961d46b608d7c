"""What a study costs: against the same simulations run one by one, and on 1 and 2 workers.

``--mode shared``: a study of ``--variants`` variants × ``--replications`` of baseline-2025
(a grid of Caspian crossing times), run with :func:`corridor.studies.study`
on one process, against the sum of the same variants run alone, each as a user would:
``cr.simulate(scenario)`` (which reads the network) and ``.kpis()``. Interleaved,
``--repeats`` times, the minimum of each kept. The study reads the network once and
compiles each variant once; the ratio should be at most 1.1.

``--mode workers``: a study of ``--variants`` × ``--replications`` runs (40 by default) on
1 and on 2 worker processes, interleaved, the minimum of each kept; prints the speed-up,
the phases of both runs (``summarised_s``: rows of finished variants built while the
workers still ran) and the load average (a core held by other work cannot show a
speed-up).

``--mode serial``: the same study on one process, in CPU seconds (``time.process_time``,
which other programs on the machine hardly change, unlike wall time): the part that
cannot run on a second worker (variants prepared, the last variant's rows built once its
last replication is in, the frame put together) against the rest, and the speed-up on 2
workers that this bounds (Amdahl: ``total / (serial + rest / 2)``), the minimum of
``--repeats``.

``--mode check``: the Done-when check of issue 16: a 2-parameter × 5-level grid of
baseline-2025 at ``--replications`` (20) on 2 local workers and on a Dask LocalCluster of
2 processes; prints whether the frames are identical.

Run: ``python benchmarks/studies.py --mode shared|workers|serial|check [--replications R] [--variants V] [--json]``
"""

from __future__ import annotations

import argparse
import json
import math
import os
import time
from typing import Any

import pandas as pd

import corridor as cr
from corridor.network import load_network
from corridor.studies import StudySpec, evolve_scenario, study
from corridor.studies.design import variants


def _spec(n_variants: int, replications: int) -> StudySpec:
    """A grid of ``n_variants`` Caspian crossing times on baseline-2025 (a workload, not a study of record)."""
    hours = [22, 18, 14, 11, 9, 7, 5, 3, 2, 1]
    return StudySpec(
        name="bench",
        base="baseline-2025",
        design="grid",
        replications=replications,
        parameters=[{"address": "links[sea-aktau-alat].time_h", "name": "crossing_h", "values": hours[:n_variants]}],
    )


def shared(*, n_variants: int, replications: int, repeats: int) -> dict[str, Any]:
    """Study on one process against the same variants simulated alone."""
    spec = _spec(n_variants, replications)
    chosen = variants(spec)
    base = cr.load_scenario(spec.base)
    net = load_network()
    scenarios = []
    for v in chosen:
        settings, _ = v.settings(spec)
        scenarios.append(evolve_scenario(base, settings, network=net, name=f"{spec.name}-{v.id}"))
    cr.simulate(base, replications=1).kpis()  # warm up imports
    best = {"study": math.inf, "alone": math.inf}
    for _ in range(repeats):
        t0 = time.perf_counter()
        study(spec, replications=replications)
        best["study"] = min(best["study"], time.perf_counter() - t0)
        t0 = time.perf_counter()
        for sc in scenarios:
            cr.simulate(sc, replications=replications).kpis()
        best["alone"] = min(best["alone"], time.perf_counter() - t0)
    return {
        "mode": "shared",
        "variants": len(chosen),
        "replications": replications,
        "study_s": round(best["study"], 3),
        "alone_s": round(best["alone"], 3),
        "ratio": round(best["study"] / best["alone"], 3),
    }


def workers(*, n_variants: int, replications: int, repeats: int) -> dict[str, Any]:
    """The same study on 1 and on 2 worker processes."""
    spec = _spec(n_variants, replications)
    study(spec, replications=1)  # warm up
    best = {1: math.inf, 2: math.inf}
    load = os.getloadavg()[0]
    timings: dict[int, dict[str, float]] = {1: {}, 2: {}}
    for _ in range(repeats):
        for w in (1, 2):
            t0 = time.perf_counter()
            res = study(spec, workers=w)
            wall = time.perf_counter() - t0
            if wall < best[w]:
                best[w] = wall
                timings[w] = res.timings
    return {
        "mode": "workers",
        "runs": len(variants(spec)) * replications,
        "one_s": round(best[1], 3),
        "two_s": round(best[2], 3),
        "speedup": round(best[1] / best[2], 3),
        "one_phases_s": {k: round(v, 3) for k, v in timings[1].items()},
        "two_phases_s": {k: round(v, 3) for k, v in timings[2].items()},
        "cpus": os.cpu_count(),
        "load_avg_1min": [round(load, 2), round(os.getloadavg()[0], 2)],
    }


def serial(*, n_variants: int, replications: int, repeats: int) -> dict[str, Any]:
    """CPU seconds of the serial part of a study and of the rest, on one process."""
    import numpy as np

    from corridor.runner import run_replications
    from corridor.studies import run as study_run

    spec = _spec(n_variants, replications)
    chosen = variants(spec)
    study_run._plans(spec, chosen)  # warm up
    best: dict[str, float] = {}
    for _ in range(repeats):
        c0 = time.process_time()
        base, plans = study_run._plans(spec, chosen)
        c1 = time.process_time()
        summary = study_run._Summary(spec, chosen, plans, n=replications, level=0.95)
        summarise, spent = summary._variant, []

        def timed(k: int, buffers: list[Any], summarise: Any = summarise, spent: list[float] = spent) -> Any:
            t = time.process_time()
            rows = summarise(k, buffers)
            spent.append(time.process_time() - t)
            return rows

        summary._variant = timed  # type: ignore[method-assign]
        seeds = np.random.SeedSequence(base.seed).spawn(replications)
        tasks = [p for p in plans for _ in range(replications)]
        done = run_replications(tasks, seeds * len(plans), workers=1, between=summary.take)
        c2 = time.process_time()
        summary.frame(done)
        c3 = time.process_time()
        row = {"prepare": c1 - c0, "last_variant": spent[-1], "after": c3 - c2}
        row["serial"] = row["prepare"] + row["last_variant"] + row["after"]
        row["rest"] = (c3 - c0) - row["serial"]
        if not best or row["serial"] + row["rest"] < best["serial"] + best["rest"]:
            best = row
    total = best["serial"] + best["rest"]
    return {
        "mode": "serial",
        "runs": len(chosen) * replications,
        "cpu_s": {k: round(v, 3) for k, v in best.items()},
        "serial_share": round(best["serial"] / total, 3),
        "amdahl_two_workers": round(total / (best["serial"] + best["rest"] / 2), 3),
        "load_avg_1min": round(os.getloadavg()[0], 2),
    }


def check(*, replications: int) -> dict[str, Any]:
    """2 parameters × 5 levels of baseline-2025: 2 local workers and a Dask LocalCluster give the same frame."""
    from corridor.backends.dask import local_client

    spec = StudySpec(
        name="check",
        base="baseline-2025",
        design="grid",
        replications=replications,
        parameters=[
            {"address": "links[sea-aktau-alat].time_h", "name": "crossing_h", "values": [11, 14, 18, 20, 22]},
            {"address": "services[caspian-feeder].vessels", "name": "feeders", "values": [4, 6, 8, 12, 14]},
        ],
    )
    t0 = time.perf_counter()
    local = study(spec, workers=2).frame
    t1 = time.perf_counter()
    with local_client(2) as client:
        t2 = time.perf_counter()
        dask = study(spec, backend="dask", client=client).frame
        t3 = time.perf_counter()
    same = True
    try:
        pd.testing.assert_frame_equal(local, dask)
    except AssertionError:
        same = False
    return {
        "mode": "check",
        "variants": int(local["variant"].nunique()),
        "replications": replications,
        "identical": same,
        "local_s": round(t1 - t0, 1),
        "dask_s": round(t3 - t2, 1),
    }


def main() -> None:
    """Print the figures (one JSON line with ``--json``)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mode", choices=["shared", "workers", "serial", "check"], default="shared")
    parser.add_argument("--variants", type=int, default=4)
    parser.add_argument("--replications", type=int, default=None)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.mode == "shared":
        out = shared(n_variants=args.variants, replications=args.replications or 5, repeats=args.repeats)
    elif args.mode == "workers":
        out = workers(n_variants=args.variants, replications=args.replications or 10, repeats=args.repeats)
    elif args.mode == "serial":
        out = serial(n_variants=args.variants, replications=args.replications or 10, repeats=args.repeats)
    else:
        out = check(replications=args.replications or 20)
    print(json.dumps(out) if args.json else "\n".join(f"{k}: {v}" for k, v in out.items()))


if __name__ == "__main__":
    main()
