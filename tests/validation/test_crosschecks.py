"""Cross-checks (``corridor.crosschecks``, ``docs/validation.md#cross-checks``): sourced, runnable, reported.

A cross-check is a published figure the model was not built from. These tests check that
each one is sourced in ``geodata/references.csv``, that its probe resolves to a route on
its scenario's network, that ``corridor calibration --cross-checks`` prints every one and
that the documentation lists them. No test asserts that the model lies inside a figure:
the table reports where it lies.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from corridor._data import bundled_dir
from corridor.calibrate import NOT_EXPRESSIBLE, RETIRED, TARGETS, Target
from corridor.cli import app
from corridor.crosschecks import CROSS_CHECKS, cross_checks
from corridor.model import Model
from corridor.network import Network
from corridor.routes import find_routes

ROOT = Path(__file__).resolve().parents[2]
IDS = [c.id for c in CROSS_CHECKS]
REFERENCES = pd.read_csv(bundled_dir("geodata") / "references.csv", dtype=str).set_index("ref")


@pytest.fixture(scope="module")
def networks() -> dict[str, Network]:
    """The network of each scenario a cross-check runs on."""
    names = sorted({c.scenario for c in CROSS_CHECKS})
    return {name: model.base for name, model in zip(names, Model.load_all(names), strict=True)}


def test_ids_are_unique_and_apart_from_the_targets() -> None:
    assert len(set(IDS)) == len(IDS)
    assert all(i[0] in "XP" and i[1:].isdigit() for i in IDS)
    assert not set(IDS) & ({t.id for t in TARGETS} | set(NOT_EXPRESSIBLE) | set(RETIRED))
    assert [f"X{i}" for i in range(1, 11)] == IDS[:10]  # the ids the docs and the README have used


@pytest.mark.parametrize("check", CROSS_CHECKS, ids=IDS)
def test_every_cross_check_names_its_sources_in_references(check: Target) -> None:
    assert check.refs, f"{check.id} names no reference"
    for ref in check.refs:
        assert ref in REFERENCES.index, f"{check.id}: {ref} is not in geodata/references.csv"
        assert len(str(REFERENCES.loc[ref, "citation"])) > 40
        assert str(REFERENCES.loc[ref, "url"]).startswith("http"), f"{check.id}: {ref} has no address"
    assert check.low <= check.high
    assert check.source
    assert check.published


@pytest.mark.parametrize("check", [c for c in CROSS_CHECKS if c.probe is not None], ids=lambda c: c.id)
def test_every_probe_resolves_to_a_route_on_its_scenario(check: Target, networks: dict[str, Network]) -> None:
    assert check.probe is not None
    p = check.probe
    [route, *_] = find_routes(
        networks[check.scenario],
        p.origin,
        p.destination,
        k=1,
        via=p.via,
        modes=p.modes,
        avoid=p.avoid,
        sources=["paths"],
        prune=False,
    )
    assert route.nodes[0] == p.origin
    assert route.nodes[-1] == p.destination
    assert set(p.via) <= set(route.nodes)
    assert not set(p.avoid) & set(route.nodes)


def test_network_measures_give_a_number(networks: dict[str, Network]) -> None:
    """Checks without a probe (P3, a price ratio) are measured on the network alone."""
    for check in (c for c in CROSS_CHECKS if c.probe is None):
        value = check.measure(None, networks[check.scenario])
        assert math.isfinite(value), check.id
        assert value > 0, check.id


def test_table_places_each_check_and_never_says_fail() -> None:
    table = cross_checks(replications=1)
    assert list(table["check"]) == IDS
    assert "passed" not in table.columns
    assert set(table["position"]) <= {"inside", "above", "below"}
    inside = table["position"] == "inside"
    assert (table.loc[inside, "off"] == 0).all()
    assert (table.loc[~inside, "off"] != 0).all()
    above = table["position"] == "above"
    assert (table.loc[above, "simulated"] > table.loc[above, "high"]).all()
    assert (table["refs"].str.len() > 0).all()


def test_cli_prints_every_cross_check() -> None:
    out = CliRunner().invoke(app, ["calibration", "--cross-checks", "--replications", "1"], env={"COLUMNS": "400"})
    assert out.exit_code == 0, out.output
    assert "cross-checks:" in out.output
    assert "not asserted" in out.output
    for cid in IDS:
        assert f"│ {cid} " in out.output, cid
    assert "FAIL" not in out.output


def test_cli_cross_checks_json_and_skip() -> None:
    out = CliRunner().invoke(
        app, ["calibration", "--cross-checks", "--replications", "1", "--skip", "X16", "--format", "json"]
    )
    assert out.exit_code == 0, out.output
    rows = json.loads(out.output)
    assert [r["check"] for r in rows] == [i for i in IDS if i != "X16"]
    assert {"refs", "position", "off", "off_pct", "low", "high", "simulated"} <= set(rows[0])


def test_validation_page_lists_every_cross_check_with_its_references() -> None:
    page = (ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    section = page.split("## Cross-checks", 1)[1]
    for c in CROSS_CHECKS:
        refs = ", ".join(f"`{r}`" for r in c.refs)
        assert f"| {c.id} | {c.what} | {c.published} |" in section, c.id
        assert f"| {c.source} | {refs} |" in section, c.id


def test_time_budget_takes_the_list_from_the_library() -> None:
    text = (ROOT / "docs" / "tools" / "time_budget.py").read_text(encoding="utf-8")
    assert "from corridor.crosschecks import CROSS_CHECKS" in text
    assert "Target(" not in text
    assert "Probe(" not in text
