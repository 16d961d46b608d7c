"""The reference page documents every output column and scenario key, so it cannot fall behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridor.results.frames import KPI_COLUMNS, LEG_COLUMNS, QUEUE_COLUMNS, SHIPMENT_COLUMNS, UTILISATION_COLUMNS
from corridor.scenario import Closure, Demand, Duration, RouteSpec, Scenario, Storms

REFERENCE = (Path(__file__).resolve().parent.parent / "docs" / "reference.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "column", [*LEG_COLUMNS, *SHIPMENT_COLUMNS, *KPI_COLUMNS, *QUEUE_COLUMNS, *UTILISATION_COLUMNS]
)
def test_every_output_column_is_documented(column: str) -> None:
    assert column in REFERENCE


@pytest.mark.parametrize(
    "key",
    [
        k
        for model in (Scenario, Demand, RouteSpec, Closure, Storms, Duration)
        for k in model.model_fields
        if k != "file"
    ],
)
def test_every_scenario_key_is_documented(key: str) -> None:
    assert f"`{key}`" in REFERENCE or f"| {key}" in REFERENCE or f", {key}" in REFERENCE
