"""Replications: one SimPy environment and one RNG stream each, run in a local process pool.

Replication ``i`` always gets ``SeedSequence(seed).spawn(n)[i]`` and results are
assembled in replication order, so they are identical for any number of workers.
"""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from corridor._errors import ScenarioError
from corridor._plan import SimPlan, prepare
from corridor.engine import ReplicationBuffers, run_replication
from corridor.network import Network
from corridor.results import Results, build_results
from corridor.scenario import MAX_TOTAL_SHIPMENTS, Scenario, load_scenario

__all__ = ["simulate"]


def _run_chunk(plan: SimPlan, seeds: list[np.random.SeedSequence]) -> list[ReplicationBuffers]:
    return [run_replication(plan, s) for s in seeds]


def simulate(
    scenario: Scenario | str | Path,
    *,
    replications: int | None = None,
    workers: int = 1,
    seed: int | None = None,
    network: Network | None = None,
    progress: bool = False,
) -> Results:
    """Simulate a scenario.

    Parameters
    ----------
    scenario
        A :class:`Scenario`, a bundled scenario name or a path to a TOML file.
    replications
        Number of replications (default: the scenario's).
    workers
        Processes that run replications: this one and ``workers - 1`` others, each
        given every ``workers``-th replication. Results do not depend on it.
    seed
        Root seed (default: the scenario's).
    network
        A network to use instead of the one the scenario names.
    progress
        Show a progress bar (rich) while replications run.

    Returns
    -------
    Results
    """
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    n = sc.replications if replications is None else replications
    if n < 1:
        raise ScenarioError(f"replications must be at least 1 (got {n})", file=sc.file, field="replications")
    if n * sc.expected_shipments() > MAX_TOTAL_SHIPMENTS:
        raise ScenarioError(
            f"{n} replications of about {sc.expected_shipments():,.0f} shipments each exceed the limit of "
            f"{MAX_TOTAL_SHIPMENTS:,} shipments per run; run fewer replications",
            file=sc.file,
            field="replications",
        )
    if workers < 1:
        raise ScenarioError(f"workers must be at least 1 (got {workers})", field="workers")
    t0 = time.perf_counter()
    plan = prepare(sc, network)
    t1 = time.perf_counter()
    seeds = np.random.SeedSequence(sc.seed if seed is None else seed).spawn(n)
    buffers: list[ReplicationBuffers] = []
    workers = min(workers, n)
    if workers == 1:
        buffers = _run_serial(plan, seeds, progress=progress)
    else:
        chunks = [seeds[i::workers] for i in range(workers)]
        with ProcessPoolExecutor(max_workers=workers - 1) as pool:
            futures = [pool.submit(_run_chunk, plan, chunk) for chunk in chunks[1:]]
            # this process runs the first share instead of waiting idle
            parts = [_run_chunk(plan, chunks[0]), *(f.result() for f in futures)]
        ordered: list[ReplicationBuffers | None] = [None] * n
        for w, part in enumerate(parts):
            for j, buf in enumerate(part):
                ordered[w + j * workers] = buf
        buffers = [b for b in ordered if b is not None]
    t2 = time.perf_counter()
    res = build_results(plan, buffers)
    t3 = time.perf_counter()
    res.timings.update(prepare_s=t1 - t0, simulate_s=t2 - t1, results_s=t3 - t2)
    return res


def _run_serial(plan: SimPlan, seeds: list[np.random.SeedSequence], *, progress: bool) -> list[ReplicationBuffers]:
    if not progress:
        return [run_replication(plan, s) for s in seeds]
    from rich.progress import Progress

    out = []
    with Progress(transient=True) as bar:
        task = bar.add_task(f"{plan.scenario}: replications", total=len(seeds))
        for s in seeds:
            out.append(run_replication(plan, s))
            bar.advance(task)
    return out
