"""Calibration targets (``domain-data.md``, "Validation targets"), each within its stated tolerance.

One calibration run (``corridor.calibrate.calibration``: baseline-2025 as background plus one probe
flow per target) serves every test here. V15 (Caspian feeder capacity) is asserted in
``test_published.py``. Targets the model misses are marked ``xfail(strict=True)`` with the
reason, so a fix turns them into failures that ask for the mark to go; the tolerance is
never widened.
"""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from corridor.calibrate import NOT_EXPRESSIBLE, TARGETS, calibration
from corridor.cli import app

MISSES = {
    "V3": "early-2023 range (19–23 days) conflicts with the 2024 figures V5/V6 the model meets (12 days to Poti)",
    "V12": "sum of sourced component prices (rail tariffs, THC, Caspian and Black Sea freight, border and gauge "
    "charges, 2018–2025) is about 8,400 USD/FEU; Argus late 2025 quotes 5,350–5,400 for China -> Aktau alone",
}


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return calibration(skip=["V15"]).set_index("target")


def _case(tid: str) -> object:
    if tid in MISSES:
        return pytest.param(tid, marks=pytest.mark.xfail(reason=MISSES[tid], strict=True))
    return tid


@pytest.mark.parametrize("target", [_case(t.id) for t in TARGETS if t.id != "V15"])
def test_target_within_tolerance(table: pd.DataFrame, target: str) -> None:
    row = table.loc[target]
    assert row["low"] <= row["simulated"] <= row["high"], (
        f"{target} {row['what']}: simulated {row['simulated']:.2f} {row['unit']}, published {row['published']} "
        f"{row['tolerance']} ({row['source']})"
    )


def test_every_validation_target_is_accounted_for() -> None:
    listed = {t.id for t in TARGETS} | set(NOT_EXPRESSIBLE)
    assert {"V1", "V3", "V5", "V6", "V7", "V8", "V11", "V12", "V13", "V14", "V15", "V16", "V17", "V18", "V20"} <= listed
    assert not {t.id for t in TARGETS} & set(NOT_EXPRESSIBLE)


def test_table_states_source_and_tolerance(table: pd.DataFrame) -> None:
    assert (table["source"].str.len() > 5).all()
    assert (table["tolerance"].str.len() > 1).all()
    assert (table["low"] < table["high"]).all()
    assert table.loc["V13", "independent"] == False  # noqa: E712 (numpy bool)


def test_cli_calibration_json() -> None:
    out = CliRunner().invoke(app, ["calibration", "--skip", "V15", "--format", "json"])
    assert out.exit_code == 0, out.output
    assert '"target": "V1"' in out.output
    assert '"passed": true' in out.output
