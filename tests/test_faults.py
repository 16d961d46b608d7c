"""Faults: signals, concurrent runs, full disks, read-only places, memory, usage errors.

A run either writes a complete, consistent output folder or leaves the place as it was;
its worker processes never outlive it; every failure is one line with the fix.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import corridor as cr
from corridor import memory
from corridor.cli import app
from corridor.outputs.writers import MARKER, output_folder
from tests._helpers import flow, write_scenario

_CORRIDOR = [sys.executable, "-m", "corridor"]
_TABLES = ("legs", "shipments", "departures", "kpis")


def _small(tmp: Path) -> Path:
    (tmp / "sc").mkdir()
    return write_scenario(tmp / "sc", name="small", demand=[flow()], header={"release_days": 14})


def _leftovers(folder: Path) -> list[str]:
    """Temporary files or folders of runs under ``folder``."""
    return [p.name for p in folder.rglob("*") if p.name.endswith((".tmp", ".old")) or ".tmp." in p.name]


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(x) for x in path.read_text().split()] if path.exists() else []


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def _one_error_line(result: Any) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("error: ")
    return str(lines[0])


# -- workers die with their parent ------------------------------------------------------

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def _start_and_wait_for_worker(cmd: list[str], cwd: Path) -> tuple[subprocess.Popen[bytes], list[int]]:
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not _children(proc.pid) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    kids = _children(proc.pid)
    if not kids:
        _, err = proc.communicate(timeout=30)
        pytest.fail(f"no worker started: {err!r}")
    return proc, kids


def _gone_within(pids: list[int], seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.02)
    return [p for p in pids if _alive(p)]


@linux_only
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_to_a_two_worker_run_leaves_no_process_and_no_temporary_file(tmp_path: Path, sig: int) -> None:
    cmd = [*_CORRIDOR, "run", "baseline-2025", "--workers", "2", "--replications", "400"]
    proc, kids = _start_and_wait_for_worker([*cmd, "--out", "out", "--format", "csv"], tmp_path)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)
    assert not _gone_within(kids, 5.0), "a worker outlived its parent"
    assert proc.returncode == (143 if sig == signal.SIGTERM else 130), err
    assert os.listdir(tmp_path) == []  # no temporary folder, no half-written output


_LIBRARY_RUN = "import corridor as cr; cr.simulate('baseline-2025', replications=400, workers=2)"


@linux_only
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_when_the_library_caller_is_killed(tmp_path: Path, sig: int) -> None:
    proc, kids = _start_and_wait_for_worker([sys.executable, "-c", _LIBRARY_RUN], tmp_path)
    proc.send_signal(sig)
    proc.communicate(timeout=30)
    assert not _gone_within(kids, 5.0), "a worker outlived its parent (parent-death signal)"


# -- output folder as a transaction -----------------------------------------------------


def test_two_concurrent_runs_into_one_folder_leave_one_complete_run(tmp_path: Path) -> None:
    scenario = _small(tmp_path)
    cmd = [*_CORRIDOR, "run", str(scenario), "--replications", "1", "--format", "csv", "--out", "same"]
    runs = [subprocess.Popen([*cmd, "--seed", str(s)], cwd=tmp_path, stdout=subprocess.DEVNULL) for s in (1, 2)]
    assert [r.wait(120) for r in runs] == [0, 0]
    out = tmp_path / "same"
    listed = json.loads((out / MARKER).read_text(encoding="utf-8"))["files"]
    assert sorted(p.name for p in out.iterdir() if p.name != MARKER) == sorted(listed)
    for name in _TABLES:
        csv = pd.read_csv(out / f"{name}.csv")
        parquet = pd.read_parquet(out / f"{name}.parquet")
        assert len(csv) == len(parquet)
        assert list(csv.columns) == list(parquet.columns)
    legs, shipments = pd.read_parquet(out / "legs.parquet"), pd.read_parquet(out / "shipments.parquet")
    assert set(legs["shipment"]) == set(shipments["shipment"])  # one run's tables, not two runs' mixed
    assert _leftovers(tmp_path) == []


@pytest.fixture
def quick(monkeypatch: pytest.MonkeyPatch, baseline: cr.Results) -> list[int]:
    """`run` without simulating: the session's baseline results, and a count of calls."""
    calls: list[int] = []

    def fake(*args: Any, **kwargs: Any) -> cr.Results:
        calls.append(1)
        return baseline

    monkeypatch.setattr("corridor.runner.simulate", fake)
    return calls


def test_a_full_disk_leaves_no_partial_output_and_exits_1(
    tmp_path: Path, quick: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(self: pd.DataFrame, path: Any, **kwargs: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(pd.DataFrame, "to_parquet", full)
    result = CliRunner().invoke(app, ["run", "baseline-2025", "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    line = _one_error_line(result)
    assert "--out" in line
    assert "No space left" in line
    assert "free some space" in line
    assert os.listdir(tmp_path) == []


def test_a_folder_that_cannot_be_written_is_refused_before_the_run(
    tmp_path: Path, quick: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    def denied(self: Path, *args: Any, **kwargs: Any) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", denied)  # as a read-only place does (root ignores chmod)
    result = CliRunner().invoke(app, ["run", "baseline-2025", "--out", str(tmp_path / "ro" / "out")])
    assert result.exit_code == 2
    line = _one_error_line(result)
    assert "--out" in line
    assert "Permission denied" in line
    assert "give a place you can write to" in line
    assert quick == []  # refused before simulating


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root writes anywhere")
def test_a_read_only_folder_is_refused_before_the_run(tmp_path: Path, quick: list[int]) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        result = CliRunner().invoke(app, ["run", "baseline-2025", "--out", str(ro / "out")])
    finally:
        ro.chmod(0o755)
    assert result.exit_code == 2
    assert "--out" in _one_error_line(result)
    assert quick == []


@pytest.mark.parametrize(
    ("setup", "says"),
    [
        (lambda p: p.write_text("x"), "is not a folder"),
        (lambda p: (p.mkdir(), (p / "notes.txt").write_text("mine")), "did not write (notes.txt)"),
        (lambda p: p.symlink_to(p.parent), "symbolic link"),
    ],
    ids=["a file", "a folder of other files", "a symbolic link"],
)
def test_out_in_the_way_is_refused_before_the_run_and_left_alone(
    tmp_path: Path, quick: list[int], setup: Any, says: str
) -> None:
    out = tmp_path / "out"
    setup(out)
    before = sorted(p.name for p in tmp_path.rglob("*")) if not out.is_symlink() else None
    result = CliRunner().invoke(app, ["run", "baseline-2025", "--out", str(out)])
    assert result.exit_code == 2
    line = _one_error_line(result)
    assert line.startswith("error: --out: ")
    assert says in line
    assert quick == []
    if before is not None:
        assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_a_second_run_replaces_the_first_and_an_interrupt_keeps_it(
    tmp_path: Path, quick: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert CliRunner().invoke(app, ["run", "baseline-2025", "--out", str(out)]).exit_code == 0
    first = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    assert {f"{t}.{ext}" for t in _TABLES for ext in ("csv", "parquet")} | {"comparison.png", MARKER} <= set(first)

    def interrupted(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("corridor.outputs.plots.tradeoff", interrupted)  # while the charts are drawn
    result = CliRunner().invoke(app, ["run", "baseline-2025", "--out", str(out)])
    assert result.exit_code != 0
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == first  # the first run, whole
    assert _leftovers(tmp_path) == []


@settings(max_examples=25, deadline=None)
@given(names=st.sets(st.from_regex(r"[a-z][a-z0-9_-]{0,10}\.(csv|png)", fullmatch=True), min_size=1, max_size=5))
def test_output_folder_swaps_in_exactly_what_was_written(tmp_path_factory: Any, names: set[str]) -> None:
    target = tmp_path_factory.mktemp("swap") / "out"
    for round_ in range(2):  # a new folder, then one a run wrote
        with output_folder(target) as stage:
            for name in names:
                (stage / name).write_text(f"{round_}", encoding="utf-8")
        assert {p.name for p in target.iterdir()} == {*names, MARKER}
        assert all((target / n).read_text(encoding="utf-8") == f"{round_}" for n in names)
    assert _leftovers(target.parent) == []


def test_report_and_plot_paths_are_checked_before_the_run(tmp_path: Path, quick: list[int]) -> None:
    folder = tmp_path / "a-folder.png"
    folder.mkdir()
    for args, option in (
        (["report", "baseline-2025", "--out"], "--out"),
        (["compare", "baseline-2025", "--plot"], "--plot"),
    ):
        result = CliRunner().invoke(app, [*args, str(folder)])
        assert result.exit_code == 2
        assert _one_error_line(result).startswith(f"error: {option}: ")
    assert quick == []


# -- command-line usage ------------------------------------------------------------------

USAGE = {
    "missing argument": (["run"], "Missing argument"),
    "unknown option": (["run", "baseline-2025", "--replicatons", "2"], "--replications"),
    "unknown command": (["rnu"], "No such command"),
    "replications 0": (["run", "baseline-2025", "--replications", "0"], "'--replications'"),
    "workers 0": (["run", "baseline-2025", "--workers", "0"], "'--workers'"),
    "seed below 0": (["run", "baseline-2025", "--seed", "-1"], "'--seed'"),
    "replications not a number": (["run", "baseline-2025", "--replications", "two"], "'--replications'"),
    "tonnes nan": (["trip", "Aktau", "Belgrade", "--tonnes", "nan"], "'--tonnes'"),
    "per week inf": (["trip", "Aktau", "Belgrade", "--per-week", "inf"], "'--per-week'"),
    "teu below 0": (["trip", "Aktau", "Belgrade", "--teu", "-2"], "'--teu'"),
    "unknown backend": (["run", "baseline-2025", "--backend", "cloud"], "'--backend'"),
    "k 0": (["routes", "Aktau", "Belgrade", "-k", "0"], "'-k'"),
}


@pytest.mark.parametrize("name", list(USAGE))
def test_usage_errors_are_one_line_naming_the_option(name: str) -> None:
    args, says = USAGE[name]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    line = _one_error_line(result)
    assert says in line
    assert "--help" in line  # where to look for the fix


def test_an_option_error_names_the_option_not_the_bundled_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memory, "available_bytes", lambda: 5e8)
    result = CliRunner().invoke(app, ["run", "baseline-2025", "--replications", "50"])
    assert result.exit_code == 2
    line = _one_error_line(result)
    assert line.startswith("error: --replications: ")
    assert "baseline-2025.toml" not in line
    assert "run at most" in line


# -- memory ------------------------------------------------------------------------------


def test_expected_legs_match_a_run(baseline: cr.Results) -> None:
    from corridor.plan import prepare

    plan = prepare(cr.load_scenario("baseline-2025"), cr.load_network())
    per_replication = len(baseline.legs) / baseline.replications
    assert memory.expected_legs(plan) == pytest.approx(per_replication, rel=0.05)


def test_the_memory_guard_names_the_scenario_when_the_number_is_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memory, "available_bytes", lambda: 1e8)
    with pytest.raises(cr.ScenarioError, match=r"baseline-2025\.toml: replications: .* more than the 0\.1 GB"):
        cr.simulate("baseline-2025")


def test_running_out_of_memory_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def oom(*args: Any, **kwargs: Any) -> None:
        raise MemoryError

    monkeypatch.setattr("corridor.runner.simulate", oom)
    result = CliRunner().invoke(app, ["run", "baseline-2025"])
    assert result.exit_code == 1
    assert "out of memory" in _one_error_line(result)


# -- charts ------------------------------------------------------------------------------


@pytest.mark.parametrize("demand", ["$x^2$", "cost $5 and $6", "$x^{$", r"$\frac{$"])
def test_chart_labels_are_never_math_text(tmp_path: Path, baseline: cr.Results, demand: str) -> None:
    from corridor.outputs import plots

    kpis = baseline.kpis().rename(index=lambda v: demand if v == "xian-belgrade" else v, level="demand")
    kpis = kpis.rename(index={kpis.index.get_level_values("demand")[0]: demand}, level="demand")
    fig = plots.comparison_chart(kpis, path=tmp_path / "c.png", title=f"Routes {demand}")
    from matplotlib.text import Text

    texts = [t.get_text() for t in fig.findobj(Text)]
    assert any(demand in text for text in texts)  # drawn as written, dollar signs and all
    assert (tmp_path / "c.png").stat().st_size > 0
