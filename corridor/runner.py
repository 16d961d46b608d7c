"""Replications: one SimPy environment and one RNG stream each, on local processes or Dask.

Replication ``i`` always gets ``SeedSequence(seed).spawn(n)[i]`` and results are
assembled in replication order, so they are identical for any number of workers and
either backend: ``"local"`` (this process and ``workers - 1`` forked ones claiming
replications one at a time, :mod:`corridor.backends.local`) or ``"dask"`` (blocks of
replications on a Dask cluster, :mod:`corridor.backends.dask`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import numpy as np

from corridor._errors import ScenarioError, did_you_mean
from corridor.backends.local import tasks_plans
from corridor.engine.replication import ReplicationBuffers, run_replication
from corridor.network import Network
from corridor.plan import SimPlan
from corridor.results.frames import Results
from corridor.scenario import MAX_TOTAL_SHIPMENTS, Scenario, load_scenario
from corridor.studies.precision import Precision, run_to_precision

__all__ = ["BACKENDS", "check_options", "run_replications", "simulate"]

#: Where replications run: ``"local"`` processes or a ``"dask"`` cluster.
BACKENDS = ("local", "dask")


def simulate(
    scenario: Scenario | str | Path,
    *,
    replications: int | Literal["auto"] | None = None,
    workers: int = 1,
    seed: int | None = None,
    network: Network | None = None,
    progress: bool = False,
    backend: str = "local",
    client: Any = None,
    precision: float | Precision | None = None,
    precision_kpi: str = "transit_days_mean",
    max_replications: int = 200,
) -> Results:
    """Simulate a scenario.

    Parameters
    ----------
    scenario
        A :class:`Scenario`, a bundled scenario name or a path to a TOML file.
    replications
        Number of replications (default: the scenario's), or ``"auto"``: run until the
        half-width of ``precision_kpi`` is at most ``precision`` on every demand flow
        and route (see :mod:`corridor.studies.precision`).
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
    precision
        With ``replications="auto"``: the largest half-width accepted (95 % interval, in
        the KPI's unit, days for transit times), or a
        :class:`~corridor.studies.precision.Precision`.
    precision_kpi
        The KPI whose interval must be that narrow (a column of ``Results.kpis()``).
    max_replications
        The cap of ``replications="auto"``: a
        :class:`~corridor.studies.precision.PrecisionWarning` says when it was reached
        first; ``Results.precision`` says what was reached either way.

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
    if replications == "auto" or precision is not None:
        target = _precision(replications, precision, kpi=precision_kpi, cap=max_replications)
        for size in (target.start, target.cap):
            check_options(sc, replications=size, workers=workers, backend=backend, client=client)
        return _simulate_to_precision(
            Model.load(sc, network),
            target,
            workers=workers,
            seed=seed,
            progress=progress,
            backend=backend,
            client=client,
        )
    n = None if replications is None else int(replications)
    check_options(sc, replications=n, workers=workers, backend=backend, client=client)
    model = Model.load(sc, network)
    return model.simulate(replications=n, workers=workers, seed=seed, backend=backend, client=client, progress=progress)


def _precision(replications: Any, precision: float | Precision | None, *, kpi: str, cap: int) -> Precision:
    if replications != "auto":
        raise ScenarioError('precision needs replications="auto" (it decides how many to run)', field="replications")
    if precision is None:
        raise ScenarioError('replications="auto" needs precision, the half-width to reach', field="precision")
    target = (
        precision if isinstance(precision, Precision) else Precision(float(precision), kpi, cap=cap, start=min(10, cap))
    )
    target.check()
    return target


def _simulate_to_precision(
    model: Any, target: Precision, *, workers: int, seed: int | None, progress: bool, backend: str, client: Any
) -> Results:
    """``simulate`` with ``replications="auto"``: batches until the target or the cap."""
    from corridor.results.builder import build_results

    plan = model.plan()
    sc = model.scenario
    seeds = np.random.SeedSequence(sc.seed if seed is None else seed).spawn(target.cap)

    def run(batch: Sequence[np.random.SeedSequence]) -> list[ReplicationBuffers]:
        return run_replications(
            plan, batch, workers=min(workers, len(batch)), backend=backend, client=client, progress=progress
        )

    def build(buffers: list[ReplicationBuffers]) -> Results:
        return build_results(plan, buffers, geodata=model.base.path)

    res, note = run_to_precision(target, seeds, run=run, build=build)
    res.precision = note
    return res


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
    plan: SimPlan | Sequence[SimPlan],
    seeds: Sequence[np.random.SeedSequence],
    *,
    workers: int,
    backend: str = "local",
    client: Any = None,
    progress: bool = False,
    label: str | None = None,
    between: Callable[[Mapping[int, ReplicationBuffers]], None] | None = None,
) -> list[ReplicationBuffers]:
    """Run replication ``i`` from ``seeds[i]``, of ``plan`` or of ``plan[i]`` (a study's variants).

    A study runs all its variants' replications in one call: the workers (or the Dask
    cluster) claim them from one pool. Returns the buffers in task order.

    ``between`` (local backend): called in this process with the buffers done so far,
    after each replication it runs and while it waits for its workers
    (:func:`corridor.backends.local.run_local`); a study summarises its finished
    variants there, while the workers go on.
    """
    title = label or (f"{plan.scenario}: replications" if isinstance(plan, SimPlan) else "replications")
    with _bar(title, total=len(seeds), show=progress) as (start, update):
        if backend == "dask":
            from corridor.backends.dask import run_dask

            start()
            return run_dask(plan, seeds, workers=workers, client=client, progress=update)
        if workers > 1:
            from corridor.backends.local import run_local

            # the bar's refresh thread starts after the workers are forked
            return run_local(plan, seeds, workers=workers, progress=update, started=start, between=between)
        start()
        out: dict[int, ReplicationBuffers] = {}
        plans = tasks_plans(plan, len(seeds))
        for i, s in enumerate(seeds):
            out[i] = run_replication(plans[i], s)
            if update is not None:
                update(i + 1)
            if between is not None:
                between(out)
        return list(out.values())


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
