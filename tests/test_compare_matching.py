"""compare(): deltas where a route's id differs between scenarios (matched by path, then family)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import corridor as cr
from corridor.network import Network, load_network
from tests._helpers import add_routes, flow, write_scenario

FERRY = ["kuryk", "alat", "tbilisi"]
FEEDER = ["kuryk", "aktau", "alat", "tbilisi"]  # the same family (middle), other nodes


@pytest.fixture(scope="module")
def network() -> Network:
    return load_network()


def _run(folder: Path, name: str, flow_id: str, routes: dict[str, list[str]], network: Network) -> cr.Results:
    path = write_scenario(
        folder,
        name=name,
        header={"name": name, "replications": 3, "release_days": 28},
        demand=[flow(id=flow_id, origin="Kuryk", destination="Tbilisi", routes=list(routes))],
    )
    add_routes(path, [{"id": k, "nodes": v} for k, v in routes.items()])
    return cr.simulate(cr.load_scenario(path), network=network)


def test_routes_renamed_between_scenarios_are_matched_by_path_then_family(tmp_path: Path, network: Network) -> None:
    ref = _run(tmp_path, "ref", "kt", {"ferry": FERRY}, network)
    renamed = _run(tmp_path, "renamed", "kuryk-tbilisi", {"ropax": FERRY}, network)  # other flow id, other route id
    other_path = _run(tmp_path, "other-path", "kt", {"via-aktau": FEEDER}, network)
    two = _run(tmp_path, "two", "kt", {"a": FEEDER, "b": FEEDER}, network)
    frame = cr.compare([ref, renamed, other_path, two], reference="ref")
    base = frame.loc[("ref", "kt", "ferry")]

    by_path = frame.loc[("renamed", "kuryk-tbilisi", "ropax")]
    assert (by_path["matched_flow"], by_path["matched_route"], by_path["matched_by"]) == ("kt", "ferry", "path")
    assert by_path["delta_transit_days_mean"] == pytest.approx(by_path["transit_days_mean"] - base["transit_days_mean"])
    # the same releases through the same nodes with common random numbers: paired, so the interval is 0
    assert by_path["delta_transit_days_mean_ci95"] == pytest.approx(0.0, abs=1e-9)

    by_family = frame.loc[("other-path", "kt", "via-aktau")]
    assert (by_family["matched_route"], by_family["matched_by"]) == ("ferry", "family")
    assert by_family["delta_transit_days_mean"] == pytest.approx(
        by_family["transit_days_mean"] - base["transit_days_mean"]
    )
    assert np.isfinite(by_family["delta_transit_days_mean_ci95"])

    # two routes of one family, neither through the reference's nodes: no match, blank deltas
    for route in ("a", "b"):
        row = frame.loc[("two", "kt", route)]
        assert row["matched_by"] == ""
        assert np.isnan(row["delta_transit_days_mean"])
    assert frame.loc[("ref", "kt", "ferry"), "matched_by"] == "id"


def test_cli_compare_names_the_match_where_ids_differ() -> None:
    from typer.testing import CliRunner

    from corridor.cli import app

    args = ["compare", "baseline-2025", "competitors-2025", "--reference", "baseline-2025", "--replications", "1"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Δ against" in result.stdout
    # competitors-2025's own Xi'an -> Belgrade flow has another id; its middle-poti runs through the same nodes
    assert "xian-belgrade-containers/middle-poti (path)" in result.stdout


def test_report_summary_says_no_minus_zero_and_names_the_match() -> None:
    import pandas as pd

    from corridor.outputs.report import _changes

    index = pd.MultiIndex.from_tuples(
        [("ref", "kt", "ferry"), ("b", "kt", "ropax"), ("b", "kt", "feeder")], names=["scenario", "demand", "route"]
    )
    frame = pd.DataFrame(
        {
            "delta_transit_days_mean": [0.0, -0.04, 1.26],
            "delta_cost_usd_per_kg": [0.0, -0.0004, 0.01],
            "matched_route": ["ferry", "ferry", "feeder"],
            "matched_by": ["id", "path", "id"],
        },
        index=index,
    )
    lines = _changes(frame, "ref", {"kt": "Kuryk → Tbilisi"}, set())
    assert lines == [
        "b: Kuryk → Tbilisi by feeder: +1.3 days (mean), +10 USD per tonne",
        "b: Kuryk → Tbilisi by ropax (against ferry, same path): +0.0 days (mean), +0 USD per tonne",
    ]
