"""Run replications on a Dask cluster (``simulate(..., backend="dask")``).

Replications go out in blocks of consecutive ones, about four per worker thread, so the
scheduler can balance them; the plan is scattered to the workers once. Replication
``i`` always runs from ``seeds[i]`` and blocks come back in order, so the results are
those of the local backend. ``dask.distributed`` is imported here only.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from corridor._errors import CorridorError
from corridor.backends.local import tasks_plans
from corridor.engine.replication import ReplicationBuffers, run_replication
from corridor.plan import SimPlan

__all__ = ["local_client", "run_dask"]

#: Blocks per worker thread: enough to balance uneven replications, few enough to keep the
#: scheduler's overhead (a few milliseconds per task) small against a replication.
_BLOCKS_PER_THREAD = 4
#: How long to try to reach a scheduler given by its address.
_CONNECT_TIMEOUT = "10s"


def _run_block(
    plans: Sequence[SimPlan], which: Sequence[int], seeds: Sequence[np.random.SeedSequence]
) -> list[ReplicationBuffers]:
    return [run_replication(plans[k], s) for k, s in zip(which, seeds, strict=True)]


def _distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise CorridorError(
            f"backend='dask' needs dask.distributed, which is not installed ({exc}); "
            "install it with `pip install corridor[dask]`"
        ) from None
    return distributed


@contextmanager
def local_client(workers: int) -> Iterator[Any]:
    """A ``distributed.Client`` on a ``LocalCluster`` of ``workers`` single-threaded processes.

    Closed, with its cluster, on leaving the block. Its HTTP server (health checks, and
    the dashboard if bokeh is installed) takes a free port.
    """
    dd = _distributed()
    with (
        dd.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster,
        dd.Client(cluster) as client,
    ):
        yield client


def _gather(
    dd: Any, client: Any, futures: list[Any], sizes: list[int], progress: Callable[[int], None] | None
) -> list[list[ReplicationBuffers]]:
    """The blocks' results in order, reporting progress as blocks get done."""
    counts = {f.key: n for f, n in zip(futures, sizes, strict=True)}
    n_done = 0
    for future in dd.as_completed(futures):  # a failed block raises in gather below
        n_done += counts[future.key]
        if progress is not None:
            progress(n_done)
    blocks: list[list[ReplicationBuffers]] = client.gather(futures)
    return blocks


def run_dask(
    plan: SimPlan | Sequence[SimPlan],
    seeds: Sequence[np.random.SeedSequence],
    *,
    workers: int,
    client: Any = None,
    progress: Callable[[int], None] | None = None,
) -> list[ReplicationBuffers]:
    """Run every replication on a Dask cluster.

    Parameters
    ----------
    plan
        The prepared scenario, or one plan per replication (a study's variants; each
        distinct plan is scattered once).
    seeds
        One seed sequence per replication.
    workers
        Worker processes of the local cluster started when ``client`` is None.
    client
        A ``distributed.Client``, the address of a scheduler (``"tcp://host:8786"``) or
        None: start a ``LocalCluster`` of ``workers`` single-threaded processes for this
        call and close it afterwards.
    progress
        Called with the number of replications done so far, as blocks get done.

    Returns
    -------
    list of ReplicationBuffers
        In replication order.
    """
    dd = _distributed()
    if client is None:
        with local_client(workers) as local:
            return run_dask(plan, seeds, workers=workers, client=local, progress=progress)
    owned = None
    if isinstance(client, str):
        try:
            client = owned = dd.Client(client, timeout=_CONNECT_TIMEOUT)
        except OSError as exc:
            raise CorridorError(
                f"cannot reach the Dask scheduler at {client!r} ({exc}); start one with `dask scheduler` "
                "and `dask worker ADDRESS`, or leave the address out to run a local cluster"
            ) from None
    elif not isinstance(client, dd.Client):
        raise CorridorError(
            f"client must be a distributed.Client, a scheduler address or None (got {type(client).__name__})"
        )
    try:
        threads = max(1, sum(client.nthreads().values()))
        size = max(1, math.ceil(len(seeds) / (threads * _BLOCKS_PER_THREAD)))
        parts = [list(seeds[a : a + size]) for a in range(0, len(seeds), size)]
        plans = tasks_plans(plan, len(seeds))
        unique: list[SimPlan] = []  # each distinct plan once
        position: dict[int, int] = {}
        which: list[int] = []
        for p in plans:
            if id(p) not in position:
                position[id(p)] = len(unique)
                unique.append(p)
            which.append(position[id(p)])
        [plans_future] = client.scatter([unique], broadcast=True)
        futures = [
            client.submit(_run_block, plans_future, which[a : a + size], part, pure=False)
            for a, part in zip(range(0, len(seeds), size), parts, strict=True)
        ]
        try:
            blocks = _gather(dd, client, futures, [len(part) for part in parts], progress)
        except BaseException:  # an error, Ctrl-C or SIGTERM: the cluster drops the rest of the run
            client.cancel([*futures, plans_future])
            raise
    finally:
        if owned is not None:
            owned.close()
    return [buf for block in blocks for buf in block]
