"""Replications: one SimPy environment and one RNG stream each, on local processes or Dask.

Replication ``i`` always gets ``SeedSequence(seed).spawn(n)[i]`` and results are
assembled in replication order, so they are identical for any number of workers and
either backend: ``"local"`` (this process and ``workers - 1`` forked ones claiming
replications one at a time, :mod:`corridor.backends.local`) or ``"dask"`` (blocks of
replications on a Dask cluster, :mod:`corridor.backends.dask`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from corridor._errors import ScenarioError, did_you_mean
from corridor.engine.replication import ReplicationBuffers, run_replication
from corridor.network import Network
from corridor.plan import SimPlan
from corridor.results.frames import Results
from corridor.scenario import MAX_TOTAL_SHIPMENTS, Scenario, load_scenario

__all__ = ["BACKENDS", "check_options", "run_replications", "simulate"]

#: Where replications run: ``"local"`` processes or a ``"dask"`` cluster.
BACKENDS = ("local", "dask")


def simulate(
    scenario: Scenario | str | Path,
    *,
    replications: int | None = None,
    workers: int = 1,
    seed: int | None = None,
    network: Network | None = None,
    progress: bool = False,
    backend: str = "local",
    client: Any = None,
) -> Results:
    """Simulate a scenario.

    Parameters
    ----------
    scenario
        A :class:`Scenario`, a bundled scenario name or a path to a TOML file.
    replications
        Number of replications (default: the scenario's).
    workers
        With ``backend="local"``: processes that run replications, this one and
        ``workers - 1`` others, each taking the next replication left until none is.
        With ``backend="dask"`` and no ``client``: worker processes of the local Dask
        cluster started for this call. Results do not depend on it.
    seed
        Root seed (default: the scenario's).
    network
        A network to use instead of the one the scenario names.
    progress
        Show a progress bar (rich) while replications run.
    backend
        ``"local"`` (default) or ``"dask"`` (needs ``pip install corridor[dask]``).
    client
        With ``backend="dask"``: a ``distributed.Client``, a scheduler address such as
        ``"tcp://10.0.0.5:8786"``, or None to start (and close) a ``LocalCluster``.

    Returns
    -------
    Results

    Raises
    ------
    ScenarioError
        Bad ``replications``, ``workers``, ``backend`` or ``client``.
    CorridorError
        ``backend="dask"`` without dask installed, or a scheduler that cannot be reached.
    """
    from corridor.model import Model

    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    check_options(sc, replications=replications, workers=workers, backend=backend, client=client)
    model = Model.load(sc, network)
    return model.simulate(
        replications=replications, workers=workers, seed=seed, backend=backend, client=client, progress=progress
    )


def check_options(sc: Scenario, *, replications: int | None, workers: int, backend: str, client: Any) -> int:
    """The number of replications to run; errors for bad options, before anything is loaded or run."""
    n = sc.replications if replications is None else replications
    # an error about the number names where it came from: the scenario file, or the argument
    origin = sc.file if replications is None else None
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ScenarioError(f"replications must be a whole number of at least 1 (got {n!r})", field="replications")
    if n * sc.expected_shipments() > MAX_TOTAL_SHIPMENTS:
        raise ScenarioError(
            f"{n} replications of about {sc.expected_shipments():,.0f} shipments each exceed the limit of "
            f"{MAX_TOTAL_SHIPMENTS:,} shipments per run; run fewer replications",
            file=origin,
            field="replications",
        )
    if isinstance(workers, bool) or not isinstance(workers, int):
        raise ScenarioError(f"workers must be a whole number (got {workers!r})", field="workers")
    if workers < 1:
        raise ScenarioError(f"workers must be at least 1 (got {workers})", field="workers")
    if backend not in BACKENDS:
        raise ScenarioError(f"unknown backend {backend!r}{did_you_mean(str(backend), BACKENDS)}", field="backend")
    if client is not None and backend != "dask":
        raise ScenarioError('client is only used with backend="dask"; pass backend="dask" too', field="client")
    return n


def run_replications(
    plan: SimPlan,
    seeds: list[np.random.SeedSequence],
    *,
    workers: int,
    backend: str,
    client: Any,
    progress: bool,
) -> list[ReplicationBuffers]:
    with _bar(f"{plan.scenario}: replications", total=len(seeds), show=progress) as (start, update):
        if backend == "dask":
            from corridor.backends.dask import run_dask

            start()
            return run_dask(plan, seeds, workers=workers, client=client, progress=update)
        if workers > 1:
            from corridor.backends.local import run_local

            # the bar's refresh thread starts after the workers are forked
            return run_local(plan, seeds, workers=workers, progress=update, started=start)
        start()
        out = []
        for i, s in enumerate(seeds):
            out.append(run_replication(plan, s))
            if update is not None:
                update(i + 1)
        return out


@contextmanager
def _bar(label: str, *, total: int, show: bool) -> Iterator[tuple[Callable[[], None], Callable[[int], None] | None]]:
    """A rich progress bar: yields ``(start, update)``; ``update(done)`` is None without a bar."""
    if not show:
        yield (lambda: None), None
        return
    from rich.console import Console
    from rich.progress import Progress

    bar = Progress(transient=True, console=Console(stderr=True))  # messages to stderr, data to stdout
    task = bar.add_task(label, total=total)
    try:
        yield bar.start, lambda done: bar.update(task, completed=done)
    finally:
        bar.stop()
