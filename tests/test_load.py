"""Load and interruption: long queues stay linear, interrupted output leaves nothing half-written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

import corridor as cr
from corridor import cli
from corridor.outputs.export import write_tables
from tests._helpers import add_routes, flow, write_scenario


def queued_on_one_slot(tmp_path: Path, shipments: int) -> Path:
    """``shipments`` boxes released within a day onto a service with one slot every 0.1 h."""
    path = write_scenario(
        tmp_path,
        header={"release_days": 1, "horizon_days": shipments * 0.1 / 24 + 10, "replications": 1},
        changes=[
            {"component": "service", "id": "bs-feeder-poti", "attribute": "capacity", "value": 1},
            {"component": "service", "id": "bs-feeder-poti", "attribute": "interval_h", "value": 0.1},
        ],
        demand=[flow(origin="Poti", destination="Constanta", routes=["sea"], per_week=7 * shipments, teu=1)],
    )
    return add_routes(path, [{"id": "sea", "nodes": ["poti", "constanta"]}])


def test_100k_shipments_queued_on_a_capacity_1_service_all_arrive(tmp_path: Path) -> None:
    res = cr.simulate(queued_on_one_slot(tmp_path, 100_000))
    ships = res.shipments
    assert len(ships) == 100_000
    assert ships["delivered"].all()
    # one box per departure, in release order, every 0.1 h
    departs = res.legs.sort_values("shipment")["depart_h"].to_numpy()
    assert (departs[1:] - departs[:-1] > 0).all()
    assert departs[-1] == pytest.approx(departs[0] + 99_999 * 0.1, rel=1e-9)
    loads = res.departures.query("service == 'bs-feeder-poti'")["load"]
    assert loads.max() == 1


def test_interrupted_write_leaves_no_partial_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = pd.DataFrame.to_csv
    calls = {"n": 0}

    def flaky(self: pd.DataFrame, path: Any = None, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return original(self, path, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_csv", flaky)
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        write_tables(out, {"legs": pd.DataFrame({"a": [1]}), "shipments": pd.DataFrame({"b": [2]})}, formats=["csv"])
    assert list(out.iterdir()) == []


def test_cli_out_writes_complete_files(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli.app, ["run", "feeder-fleet-2027", "--replications", "1", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    legs = pd.read_csv(tmp_path / "legs.csv")
    ships = pd.read_csv(tmp_path / "shipments.csv")
    assert len(legs) == ships["legs_done"].sum()


def test_no_code_is_loaded_from_data_files() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in Path(cr.__file__).parent.glob("*.py"))
    for banned in ("eval(", "exec(", "pickle.load", "yaml.load(", "__import__("):
        assert banned not in source
