"""Exports: CSV, Parquet and Excel with the same rounded numbers, dates, background only when asked."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from corridor.cli import app
from corridor.outputs.export import rounded, unit_of


@pytest.fixture(scope="module")
def xlsx_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("run")
    result = CliRunner().invoke(
        app, ["run", "baseline-2025", "--replications", "1", "--out", str(out), "--format", "xlsx"]
    )
    assert result.exit_code == 0, result.output
    return out, result.output


def test_workbook_reads_back_the_csv_numbers(xlsx_run: tuple[Path, str]) -> None:
    out, _ = xlsx_run
    book = openpyxl.load_workbook(out / "results.xlsx", read_only=True)
    assert set(book.sheetnames) == {"kpis", "shipments", "legs", "departures"}
    for sheet in ("kpis", "shipments"):
        csv = pd.read_csv(out / f"{sheet}.csv")
        rows = list(book[sheet].iter_rows(values_only=True))
        header, body = rows[0], rows[1:]
        assert len(body) == len(csv)
        for name in ("transit_days", "cost_usd", "transit_days_mean", "cost_usd_per_feu"):
            if name not in csv.columns:
                continue
            col = header.index(f"{name} [{unit_of(name)}]")  # units in the header
            sheet_values = pd.Series([r[col] for r in body], dtype=float)
            pd.testing.assert_series_equal(sheet_values, csv[name].astype(float), check_names=False)


def test_run_out_says_what_it_wrote_and_leaves_background_out(xlsx_run: tuple[Path, str], tmp_path: Path) -> None:
    out, output = xlsx_run
    assert "wrote 4 tables" in output
    assert " MB)" in output or " kB)" in output
    legs = pd.read_csv(out / "legs.csv")
    assert "caspian-background" not in set(legs["demand"])
    assert "caspian-background" in set(pd.read_csv(out / "kpis.csv")["demand"])  # its KPI row stays
    # dates beside hours
    assert pd.to_datetime(legs["depart_at"]).iloc[0] == pd.Timestamp("2025-01-06") + pd.to_timedelta(
        legs["depart_h"].iloc[0], unit="h"
    ).floor("min")
    result = CliRunner().invoke(
        app, ["run", "baseline-2025", "--replications", "1", "--out", str(tmp_path), "--background"]
    )
    assert result.exit_code == 0, result.output
    assert "caspian-background" in set(pd.read_parquet(tmp_path / "legs.parquet")["demand"])


def test_numbers_are_rounded_by_unit() -> None:
    frame = pd.DataFrame(
        {"wait_queue_h": [1.8e-11, 2.123456], "cost_usd": [10.005001, 1.0], "delivered_share": [1 / 3, 1]}
    )
    out = rounded(frame)
    assert out["wait_queue_h"].tolist() == [0.0, 2.123]
    assert out["cost_usd"].tolist() == [10.01, 1.0]
    assert out["delivered_share"].iloc[0] == 0.3333


@pytest.mark.parametrize("command", [["compare", "baseline-2025"], ["trip", "Almaty", "Belgrade"]])
def test_compare_and_trip_take_out(command: list[str], tmp_path: Path) -> None:
    result = CliRunner().invoke(app, [*command, "--replications", "1", "--out", str(tmp_path), "--format", "csv"])
    assert result.exit_code == 0, result.output
    for pattern in ("*.csv", "*.parquet", "*.png"):
        assert list(tmp_path.glob(pattern)), pattern
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_file_format_needs_out() -> None:
    result = CliRunner().invoke(app, ["run", "baseline-2025", "--format", "xlsx"])
    assert result.exit_code == 2
    assert "--out" in result.output
