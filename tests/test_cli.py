"""The `corridor` command, end to end (one test per command, plus errors)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corridor.cli import app
from tests._helpers import flow, write_scenario

runner = CliRunner()


def test_scenarios_lists_bundled() -> None:
    result = runner.invoke(app, ["scenarios", "--format", "json"])
    assert result.exit_code == 0, result.output
    names = {row["scenario"] for row in json.loads(result.stdout)}
    assert {"baseline-2025", "feeder-fleet-2027"} <= names


def test_run_prints_kpis_and_writes_csv(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["run", "baseline-2025", "--replications", "1", "--format", "csv", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[0].split(",")
    assert header[:4] == ["demand", "route", "shipments", "delivered_share"]
    assert {"legs.csv", "shipments.csv", "kpis.csv"} <= {p.name for p in tmp_path.iterdir()}
    assert not list(tmp_path.glob(".*.tmp"))


def test_compare_table_and_chart(tmp_path: Path) -> None:
    png = tmp_path / "chart.png"
    result = runner.invoke(
        app,
        ["compare", "baseline-2025", "feeder-fleet-2027", "--replications", "1", "--reference", "baseline-2025",
         "--plot", str(png)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Route comparison" in result.stdout
    assert "air" in result.stdout
    assert "middle-poti" in result.stdout
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_trip_json() -> None:
    result = runner.invoke(app, ["trip", "almaty", "BELGRADE", "--format", "json", "--replications", "1"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {r["route"] for r in rows} >= {"middle-poti", "northern"}
    for row in rows:
        assert row["demand"] == "trip"
        assert row["transit_days_mean"] > 0
        assert row["cost_usd_per_feu"] > 0
        assert row["co2_kg_per_feu"] > 0


def test_trip_includes_the_flight_for_a_small_consignment() -> None:
    result = runner.invoke(
        app, ["trip", "Astana", "Belgrade", "--tonnes", "0.5", "--format", "json", "--replications", "1"]
    )
    assert result.exit_code == 0, result.output
    routes = {r["route"]: r for r in json.loads(result.stdout)}
    assert "air" in routes
    assert any(r.startswith("middle-") for r in routes)
    assert all(routes["air"]["transit_days_mean"] < r["transit_days_mean"] for k, r in routes.items() if k != "air")


def test_trip_skips_a_flight_too_small_for_the_consignment() -> None:
    result = runner.invoke(app, ["trip", "Astana", "Belgrade", "--format", "json", "--replications", "1"])
    assert result.exit_code == 0, result.output
    assert "route air skipped" in result.stderr
    assert "air" not in {r["route"] for r in json.loads(result.stdout)}


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (["trip", "Aktauu", "Belgrade"], "unknown node 'Aktauu'; did you mean"),
        (["run", "baseline-2024"], "did you mean 'baseline-2025'"),
    ],
)
def test_errors_are_one_line_and_exit_2(args: list[str], text: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: ")
    assert text in lines[0]


def test_installed_command_exits_2_on_bad_scenario(tmp_path: Path) -> None:
    path = write_scenario(tmp_path, demand=[{**flow(), "per_weak": 1}])
    proc = subprocess.run(
        [sys.executable, "-m", "corridor", "run", str(path)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1
    assert f"{path}: demand[0].per_weak: unknown key 'per_weak'; did you mean 'per_week'?" in proc.stderr
    debug = subprocess.run(
        [sys.executable, "-m", "corridor", "--debug", "run", str(path)], capture_output=True, text=True, check=False
    )
    assert "Traceback" in debug.stderr
