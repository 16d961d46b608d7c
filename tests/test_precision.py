"""replications="auto": run until a KPI's confidence interval is narrow enough, or the cap."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import corridor as cr
from corridor.cli import app
from corridor.studies.precision import PrecisionWarning, parse_precision
from tests._helpers import flow, write_scenario


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_scenario(
        tmp_path_factory.mktemp("precision"),
        demand=[flow(arrivals="poisson", per_week=10, routes=["middle-kuryk-ferry"])],
    )


def _widest(res: cr.Results) -> float:
    return float(res.kpis()["transit_days_mean_ci95"].max())


def test_auto_runs_until_the_target_and_equals_a_plain_run(scenario: Path) -> None:
    first = cr.simulate(scenario, replications=10)
    target = 0.8 * _widest(first)  # not reached by the first batch of 10
    res = cr.simulate(scenario, replications="auto", precision=target)
    assert res.replications > 10
    assert _widest(res) <= target
    assert res.precision.startswith("precision reached: transit_days_mean")
    plain = cr.simulate(scenario, replications=res.replications)
    pd.testing.assert_frame_equal(res.shipments, plain.shipments)


def test_auto_stops_at_the_cap_and_says_so(scenario: Path) -> None:
    with pytest.warns(PrecisionWarning, match="precision not reached.*after 12 replications, the cap"):
        res = cr.simulate(scenario, replications="auto", precision=0.001, max_replications=12)
    assert res.replications == 12
    assert _widest(res) > 0.001
    assert "Raise max_replications" in res.precision


def test_precision_options_are_checked(scenario: Path) -> None:
    with pytest.raises(cr.ScenarioError, match='needs replications="auto"'):
        cr.simulate(scenario, replications=5, precision=0.5)
    with pytest.raises(cr.ScenarioError, match="needs precision"):
        cr.simulate(scenario, replications="auto")
    with pytest.raises(cr.ScenarioError, match="unknown KPI 'transit_days_p96'; did you mean 'transit_days_p95'"):
        cr.simulate(scenario, replications="auto", precision=0.5, precision_kpi="transit_days_p96")
    with pytest.raises(cr.ScenarioError, match="above 0"):
        cr.simulate(scenario, replications="auto", precision=0.0)


def test_parse_precision() -> None:
    assert parse_precision("0.5d") == 0.5
    assert parse_precision("6h") == 0.25
    with pytest.raises(cr.ScenarioError, match="is not a precision"):
        parse_precision("half a day")


def test_cli_precision_reached_and_capped(scenario: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(app, ["run", str(scenario), "--precision", "2d", "--format", "csv"])
    assert ok.exit_code == 0, ok.output
    assert "precision reached: transit_days_mean" in ok.stderr
    capped = runner.invoke(
        app, ["run", str(scenario), "--precision", "1h", "--max-replications", "3", "--format", "csv"]
    )
    assert capped.exit_code == 0, capped.output
    assert "precision not reached" in capped.stderr
    both = runner.invoke(app, ["run", str(scenario), "--precision", "1d", "--replications", "3"])
    assert both.exit_code == 2
    assert "give --precision or --replications, not both" in both.stderr
