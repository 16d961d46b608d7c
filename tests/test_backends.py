"""Where replications run: local processes claiming them one at a time, or a Dask cluster.

Results must not depend on the backend or the number of workers; errors in a worker and
bad options must surface as clear errors.
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import corridor as cr
from corridor.backends import local as _parallel
from corridor.cli import app
from corridor.engine.replication import ReplicationBuffers
from tests._helpers import flow, write_scenario

distributed = pytest.importorskip("distributed")

FORK = sys.platform.startswith("linux")  # where workers are forked (from a process without threads)


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Poisson releases and a lognormal feeder: every replication draws differently
    return write_scenario(
        tmp_path_factory.mktemp("backends"),
        header={"replications": 5},
        demand=[flow(arrivals="poisson", per_week=10), flow(id="other", routes=["middle-kuryk-ferry"], per_week=3)],
    )


@pytest.fixture(scope="module")
def serial(scenario: Path) -> cr.Results:
    return cr.simulate(scenario, workers=1)


@pytest.fixture
def dask_client() -> Iterator[Any]:
    """Two single-threaded workers in this process: starts in well under a second.

    Closed after each test, so that its threads are gone when other tests fork workers.
    """
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def _assert_same(a: cr.Results, b: cr.Results) -> None:
    pd.testing.assert_frame_equal(a.legs, b.legs)
    pd.testing.assert_frame_equal(a.shipments, b.shipments)
    pd.testing.assert_frame_equal(a.departures, b.departures)
    assert a.events == b.events


@pytest.mark.parametrize("workers", [2, 3, 8])
def test_local_workers_give_the_serial_results(scenario: Path, serial: cr.Results, workers: int) -> None:
    _assert_same(serial, cr.simulate(scenario, workers=workers))


def test_dask_gives_the_serial_results(scenario: Path, serial: cr.Results, dask_client: Any) -> None:
    res = cr.simulate(scenario, backend="dask", client=dask_client)
    assert res.replications == 5
    _assert_same(serial, res)


def test_dask_with_a_local_cluster_of_processes(scenario: Path) -> None:
    # The default when no client is given: a LocalCluster of `workers` processes, closed
    # afterwards. In a child process: distributed leaves a thread behind (Dask-Offload),
    # after which this process could no longer fork its local workers.
    code = f"""
import pandas as pd, corridor as cr
local = cr.simulate({str(scenario)!r}, workers=2)
dask = cr.simulate({str(scenario)!r}, workers=2, backend="dask")
for name in ("legs", "shipments", "departures"):
    pd.testing.assert_frame_equal(getattr(local, name), getattr(dask, name))
print(len(dask.legs))
"""
    out = subprocess.run([sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout) > 0


def test_workers_start_fresh_when_threads_run(scenario: Path, serial: cr.Results) -> None:
    # a forked child could inherit a lock held by another thread: workers then start fresh
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert _parallel._context().get_start_method() in {"forkserver", "spawn"}
        _assert_same(serial, cr.simulate(scenario, workers=2))
    finally:
        stop.set()
        thread.join()
    if FORK and threading.active_count() == 1:
        assert _parallel._context().get_start_method() == "fork"


def test_replications_differ_from_each_other(serial: cr.Results) -> None:
    # otherwise the equality tests above could pass with every process running one stream
    releases = [g["release_h"].to_numpy() for _, g in serial.shipments.groupby("replication")]
    assert len(releases) == 5
    assert len({r.tobytes() for r in releases}) == 5


def test_progress_reaches_every_replication(scenario: Path) -> None:
    plan = cr.Model.load(scenario).plan()
    seeds = np.random.SeedSequence(3).spawn(7)
    seen: list[int] = []
    started: list[bool] = []
    out = _parallel.run_local(plan, seeds, workers=3, progress=seen.append, started=lambda: started.append(True))
    assert len(out) == 7
    assert started == [True]
    assert seen == sorted(seen)
    assert seen[-1] == 7


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pipe sizes are set with Linux's fcntl")
def test_worker_pipes_hold_a_replication_and_tell_what_is_queued() -> None:
    receiver, sender = multiprocessing.Pipe(duplex=False)
    try:
        assert _parallel._widen(receiver) >= 1 << 20
        assert _parallel._queued(sender) == 0
        sender.send_bytes(b"x" * 300_000)  # would block in a default 64 KiB pipe
        assert _parallel._queued(sender) == 300_000 + 4  # with the length header
        assert receiver.recv_bytes() == b"x" * 300_000
    finally:
        receiver.close()
        sender.close()


def test_dask_progress_reaches_every_replication(scenario: Path, dask_client: Any) -> None:
    from corridor.backends.dask import run_dask

    plan = cr.Model.load(scenario).plan()
    seen: list[int] = []
    out = run_dask(plan, np.random.SeedSequence(3).spawn(7), workers=2, client=dask_client, progress=seen.append)
    assert len(out) == 7
    assert seen == sorted(seen)
    assert seen[-1] == 7


@pytest.mark.parametrize("backend", ["local", "dask"])
def test_progress_bar_in_parallel_runs(scenario: Path, backend: str, request: pytest.FixtureRequest) -> None:
    client = request.getfixturevalue("dask_client") if backend == "dask" else None
    res = cr.simulate(scenario, workers=2, progress=True, backend=backend, client=client)
    assert res.replications == 5


def test_unknown_backend_is_named() -> None:
    with pytest.raises(cr.ScenarioError, match=r"backend: unknown backend 'dusk'; did you mean 'dask'\?"):
        cr.simulate("baseline-2025", replications=1, backend="dusk")


def test_client_without_dask_backend_is_refused() -> None:
    with pytest.raises(cr.ScenarioError, match=r'client: client is only used with backend="dask"'):
        cr.simulate("baseline-2025", replications=1, client="tcp://127.0.0.1:8786")


def test_client_of_the_wrong_type_is_refused(scenario: Path) -> None:
    with pytest.raises(cr.CorridorError, match=r"client must be a distributed\.Client, a scheduler address or None"):
        cr.simulate(scenario, backend="dask", client=42)


def test_unreachable_scheduler_is_named(scenario: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from corridor.backends import dask as _dask

    monkeypatch.setattr(_dask, "_CONNECT_TIMEOUT", "0.5s")
    expected = r"cannot reach the Dask scheduler at 'tcp://127\.0\.0\.1:1' .*start one with `dask scheduler`"
    with pytest.raises(cr.CorridorError, match=expected):
        cr.simulate(scenario, backend="dask", client="tcp://127.0.0.1:1")


def test_dask_missing_names_the_fix(scenario: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` raises ImportError
    with pytest.raises(cr.CorridorError, match=r"pip install corridor\[dask\]"):
        cr.simulate(scenario, backend="dask")


def test_import_corridor_does_not_import_dask() -> None:
    code = "import sys, corridor; corridor.simulate; print('dask' in sys.modules, 'distributed' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def _fail_in_worker(parent: int) -> Any:
    real = _parallel.run_replication

    def run(plan: Any, seed: np.random.SeedSequence) -> ReplicationBuffers:
        if os.getpid() != parent:
            raise ValueError("boom in a worker")
        return real(plan, seed)

    return run


# The patched engine reaches the workers through fork, forced even where another thread
# runs (distributed leaves one after the Dask tests): Python 3.12+ warns about that.
FORKED = pytest.mark.filterwarnings(
    r"ignore:This process \(pid=\d+\) is multi-threaded, use of fork\(\) may lead to deadlocks:DeprecationWarning"
)


def _force_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_parallel, "_context", lambda: _parallel.multiprocessing.get_context("fork"))


@FORKED
@pytest.mark.skipif(not FORK, reason="the patched engine reaches the workers through fork")
def test_worker_error_is_raised_in_the_caller(scenario: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _force_fork(monkeypatch)
    monkeypatch.setattr(_parallel, "run_replication", _fail_in_worker(os.getpid()))
    with pytest.raises(ValueError, match="boom in a worker") as info:
        cr.simulate(scenario, workers=2, replications=8)
    assert any("in worker process" in note for note in getattr(info.value, "__notes__", []))


@FORKED
@pytest.mark.skipif(not FORK, reason="the patched engine reaches the workers through fork")
def test_worker_that_dies_is_reported(scenario: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _force_fork(monkeypatch)
    parent = os.getpid()
    real = _parallel.run_replication

    def run(plan: Any, seed: np.random.SeedSequence) -> ReplicationBuffers:
        if os.getpid() != parent:
            os._exit(3)
        return real(plan, seed)

    monkeypatch.setattr(_parallel, "run_replication", run)
    with pytest.raises(cr.CorridorError, match=r"worker process ended without returning .*exit code 3"):
        cr.simulate(scenario, workers=2, replications=8)


def test_cli_backend_dask_with_a_scheduler_address_matches_local(scenario: Path, dask_client: Any) -> None:
    runner = CliRunner()
    args = ["run", str(scenario), "--format", "csv", "--workers", "2"]
    local = runner.invoke(app, args)
    address = dask_client.scheduler.address  # connects a second client to the fixture's cluster
    dask = runner.invoke(app, [*args, "--backend", "dask", "--scheduler", address])
    assert local.exit_code == 0, local.output
    assert dask.exit_code == 0, dask.output
    assert dask.stdout == local.stdout


def test_cli_scheduler_needs_the_dask_backend(scenario: Path) -> None:
    result = CliRunner().invoke(app, ["run", str(scenario), "--scheduler", "tcp://127.0.0.1:8786"])
    assert result.exit_code == 2
    assert 'client is only used with backend="dask"' in result.stderr
