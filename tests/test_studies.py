"""Studies: study files, variants × replications in one pool, tidy frames, charts, capacity, bundled studies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import corridor as cr
from corridor._data import bundled_dir
from corridor.cli import app
from corridor.network import load_network
from corridor.scenario import load_scenario
from corridor.sources import check_study_sources
from corridor.studies import evolve_scenario, load_study, study
from corridor.studies.design import variants
from tests._helpers import flow, toml_value, write_scenario

distributed = pytest.importorskip("distributed")

BUNDLED = sorted((bundled_dir("scenarios") / "studies").glob("*.toml"))


def write_study(folder: Path, *, parameters: list[dict[str, Any]], **header: Any) -> Path:
    head = {"name": "s", "base": "base.toml", "design": "grid", "replications": 4, **header}
    lines = [f"{k} = {toml_value(v)}" for k, v in head.items()]
    for param in parameters:
        lines.append("\n[[parameters]]")
        lines += [f"{k} = {toml_value(v)}" for k, v in param.items()]
    path = folder / f"{head['name']}.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small base scenario (Poisson releases on the Kuryk ferry and the Poti feeder) beside the study files."""
    path = tmp_path_factory.mktemp("studies")
    write_scenario(
        path,
        name="base",
        header={"release_days": 28},
        demand=[flow(arrivals="poisson", per_week=6, routes=["middle-kuryk-ferry"])],
    )
    return path


GRID = [
    {"address": "links[ferry-kuryk-alat].time_max_h", "name": "ferry_max_h", "values": [22, 23, 24, 25, 26]},
    {"address": "demand[flow].per_week", "name": "per_week", "values": [2, 4, 6, 8, 10]},
]


def test_a_grid_runs_every_combination_in_one_tidy_frame(folder: Path) -> None:
    res = study(write_study(folder, parameters=GRID, name="grid"), replications=3)
    frame = res.frame
    assert frame["variant"].nunique() == 25
    assert list(frame.columns[:6]) == ["variant", "ferry_max_h", "per_week", "demand", "route", "family"]
    assert set(zip(frame["ferry_max_h"], frame["per_week"], strict=True)) == {
        (a, b) for a in GRID[0]["values"] for b in GRID[1]["values"]
    }
    assert (frame["replications"] == 3).all()
    assert {"transit_days_p95", "transit_days_p95_ci95", "delta_transit_days_p95", "binding"} <= set(frame.columns)
    # more releases a week, more shipments: the parameter reached the engine
    shipments = frame.groupby("per_week")["shipments"].mean()
    assert shipments.is_monotonic_increasing
    assert shipments.iloc[-1] > 3 * shipments.iloc[0]


def test_local_workers_and_dask_give_the_serial_frame(folder: Path) -> None:
    # the Done-when check on a small base (2 parameters x 5 levels, 4 replications each, so
    # that it runs in seconds); benchmarks/studies.py --check runs it on baseline-2025 at 20
    path = write_study(folder, parameters=GRID, name="same")
    serial = study(path).frame
    two = study(path, workers=2).frame
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster,
        distributed.Client(cluster) as client,
    ):
        dask = study(path, backend="dask", client=client).frame
    pd.testing.assert_frame_equal(serial, two)
    pd.testing.assert_frame_equal(serial, dask)


def test_one_at_a_time_runs_the_base_and_each_level_and_draws_a_tornado(folder: Path, tmp_path: Path) -> None:
    path = write_study(folder, parameters=GRID, name="oat", design="oat", focus=["flow/middle-kuryk-ferry"])
    res = study(path, replications=3)
    ids = res.frame["variant"].unique().tolist()
    assert ids[0] == "base"
    assert len(ids) == 1 + 5 + 5
    base = res.frame[res.frame["variant"] == "base"]
    assert base[["ferry_max_h", "per_week"]].isna().all().all()
    assert (base["delta_transit_days_p95"] == 0).all()
    one = res.frame[res.frame["ferry_max_h"].notna()]
    assert one["per_week"].isna().all()  # the other parameter stays at the base
    from corridor.studies.charts import study_chart

    study_chart(res, path=tmp_path / "tornado.png")
    assert (tmp_path / "tornado.png").stat().st_size > 10_000


def test_variants_share_the_replications_random_numbers(folder: Path) -> None:
    # a parameter that cannot matter (a link no route uses) leaves every KPI exactly as it was
    path = write_study(
        folder, parameters=[{"address": "links[rail-moscow-minsk].speed_kmh", "values": [20, 60]}], name="crn"
    )
    frame = study(path, replications=3).frame
    a, b = (g.drop(columns=["variant", "links[rail-moscow-minsk].speed_kmh"]) for _, g in frame.groupby("variant"))
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))


def test_a_route_family_parameter_reaches_the_familys_routes(folder: Path) -> None:
    # the base's one route (Kuryk ferry, then the Black Sea feeder) is of family middle-black-sea
    params = [
        {
            "address": "links[family=middle-black-sea].tariff_usd_feu",
            "name": "tariff",
            "values": [0.5, 1.0],
            "scale": True,
        }
    ]
    scaled = study(write_study(folder, parameters=params, name="family"), replications=2).frame
    half, full = (scaled[scaled["tariff"] == f]["freight_usd"].iloc[0] for f in (0.5, 1.0))
    assert half < 0.9 * full  # the part of the freight that is tariff_usd_feu halves (exact: test_confidence_and_crn)
    assert scaled["family"].eq("middle-black-sea").all()
    bad = [{"address": "links[family=middle-blacksea].tariff_usd_feu", "values": [1.0]}]
    with pytest.raises(
        cr.ScenarioError, match=r"family-bad.toml: parameters\[0\]: no route .* did you mean 'middle-black-sea'"
    ):
        study(write_study(folder, parameters=bad, name="family-bad"))


def test_latin_hypercube_draws_samples_within_the_ranges(folder: Path) -> None:
    params = [
        {"address": "links[ferry-kuryk-alat].time_max_h", "name": "ferry_max_h", "range": [22, 30]},
        {"address": "services[caspian-ropax].vessels", "name": "ferries", "range": [1, 4]},
    ]
    spec = load_study(write_study(folder, parameters=params, name="lhs", design="lhs", samples=8))
    chosen = variants(spec)
    assert len(chosen) == 8
    xs = np.array([v.values["ferry_max_h"] for v in chosen])
    assert ((xs >= 22) & (xs <= 30)).all()
    # one sample in each eighth of the range (the Latin hypercube property)
    assert sorted(np.floor((xs - 22) / 1.0).astype(int).tolist()) == list(range(8))
    assert variants(spec) == chosen  # seeded


@pytest.mark.parametrize(
    ("change", "message", "field"),
    [
        ({"design": "sweep"}, "Input should be 'grid', 'oat' or 'lhs'", "design"),
        ({"colour": "red"}, "unknown key", "colour"),
        ({"kpis": ["transit_days_p96"]}, "did you mean 'transit_days_p95'", None),
        ({"design": "lhs"}, "needs samples", None),
        ({"capacity": "volume"}, "not a parameter", None),
    ],
)
def test_bad_study_files_name_file_field_and_fix(
    folder: Path, change: dict[str, Any], message: str, field: str | None
) -> None:
    path = write_study(folder, parameters=GRID, name="bad", **change)
    with pytest.raises(cr.ScenarioError, match=message) as err:
        load_study(path)
    assert str(err.value).startswith(str(path))
    if field:
        assert err.value.field == field


def test_a_bad_address_names_the_parameter(folder: Path) -> None:
    path = write_study(folder, parameters=[{"address": "links[ferry-kuryk-alt].time_h", "values": [1]}], name="addr")
    with pytest.raises(cr.ScenarioError, match=r"parameters\[0\].*unknown link id 'ferry-kuryk-alt'"):
        study(path)
    path = write_study(
        folder, parameters=[{"address": "links[ferry-kuryk-alat].time_max_h", "values": [-5]}], name="neg"
    )
    with pytest.raises(
        cr.ScenarioError, match=r"variant v000 \(links\[ferry-kuryk-alat\]\.time_max_h = -5\) cannot run"
    ):
        study(path)


def test_cli_study_prints_the_table_and_writes_frame_and_chart(folder: Path, tmp_path: Path) -> None:
    path = write_study(folder, parameters=GRID[:1], name="cli", focus=["flow"])
    out = tmp_path / "cli-out"
    result = CliRunner().invoke(app, ["study", str(path), "--replications", "2", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "ferry_max_h" in result.stdout
    assert "±" in result.stdout
    frame = pd.read_csv(out / "cli.csv")
    assert frame["variant"].nunique() == 5
    pd.testing.assert_frame_equal(pd.read_parquet(out / "cli.parquet"), frame, check_dtype=False)
    assert (out / "cli.png").stat().st_size > 10_000
    # what was written, and its size, on stderr; through the transactional writer (its marker)
    assert f"wrote 1 tables (CSV and PARQUET, 2 files) and 1 charts to {out} (" in result.stderr
    assert (out / ".corridor-run.json").is_file()
    bad = CliRunner().invoke(app, ["study", "no-such-study"])
    assert bad.exit_code == 2
    assert "no study file or bundled study named 'no-such-study'" in bad.stderr


def test_cli_study_writes_excel_and_the_saturation_table(folder: Path, tmp_path: Path) -> None:
    params = [{"address": "demand[flow].per_week", "name": "per_week", "values": [2, 40]}]
    path = write_study(folder, parameters=params, name="cap-cli", capacity="per_week")
    out = tmp_path / "cap"
    result = CliRunner().invoke(app, ["study", str(path), "--replications", "2", "--out", str(out), "--format", "xlsx"])
    assert result.exit_code == 0, result.output
    import openpyxl

    book = openpyxl.load_workbook(next(out.glob("*.xlsx")), read_only=True)
    assert {"cap-cli", "cap-cli-saturation"} <= set(book.sheetnames)
    assert (out / "cap-cli-saturation.csv").is_file()
    assert "Saturation" in result.stdout


def test_cli_study_refuses_a_folder_it_did_not_write_before_running(folder: Path, tmp_path: Path) -> None:
    path = write_study(folder, parameters=GRID[:1], name="refuse")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    result = CliRunner().invoke(app, ["study", str(path), "--replications", "2", "--out", str(mine)])
    assert result.exit_code == 2
    assert "notes.txt" in result.stderr
    assert "replications per variant" not in result.stdout  # refused before any simulation
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "keep me"


# ------------------------------------------------------------------ capacity and bottlenecks


def test_the_named_bottleneck_is_the_resource_with_the_largest_waiting_share() -> None:
    net = load_network()
    base = load_scenario("baseline-2025").model_copy(update={"release_days": 42, "horizon_days": 150})
    busy = evolve_scenario(base, {"demand[xian-belgrade-containers].per_week": 4}, network=net)
    res = cr.simulate(busy, replications=2, network=net)
    ranked = res.bottlenecks()
    assert ranked["waiting_share"].sum() == pytest.approx(1.0)
    assert ranked["waiting_h"].is_monotonic_decreasing
    # the same waiting, summed straight from the legs
    legs = res.legs
    teu = res.shipments.set_index(["replication", "shipment"])["teu"]
    at_link = (legs["wait_service_h"] + legs["wait_queue_h"]).groupby(legs["link"].astype(str)).sum()
    gated = legs[legs["from_node"].astype(str).isin(ranked.index[ranked["kind"] == "gate"])]
    held = teu.reindex(pd.MultiIndex.from_frame(gated[["replication", "shipment"]])).to_numpy() > 0
    at_gate = gated[held].groupby(gated[held]["from_node"].astype(str))["wait_gate_h"].sum()
    waits = pd.concat([at_link, at_gate])
    waits = waits[waits.index.isin(ranked.index)]
    assert ranked.index[0] == waits.idxmax()
    assert ranked["waiting_share"].iloc[0] == pytest.approx(waits.max() / waits.sum())


def test_a_demand_sweep_finds_the_saturation_volume_and_the_binding_resource(folder: Path) -> None:
    # the Poti feeder carries 210 TEU every 240 h, 73.5 FEU a week: 40 a week pass, 160 do not
    params = [{"address": "demand[flow].per_week", "name": "per_week", "values": [2, 40, 160]}]
    res = study(write_study(folder, parameters=params, name="cap", capacity="per_week"), replications=2)
    sat = res.saturation
    assert sat is not None
    row = sat.loc[("flow", "middle-black-sea")]
    assert row["saturation"] == 160
    assert row["p95_at_saturation"] > 1.5 * row["p95_unloaded"]
    assert row["binding"] == "sea-poti-constanta"
    at = res.frame[res.frame["per_week"] == row["saturation"]]
    assert row["binding"] == at["binding"].iloc[0] != ""


# ------------------------------------------------------------------ bundled studies


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_bundled_studies_load_have_sources_and_every_variant_is_valid(path: Path) -> None:
    spec = load_study(path.stem)
    assert check_study_sources(path) == []
    base = load_scenario(spec.base_path())
    net = load_network()
    for v in variants(spec):
        settings, fields = v.settings(spec)
        evolved = evolve_scenario(base, settings, network=net, file=spec.file, fields=fields)
        net.with_changes([c.model_dump() for c in evolved.changes], file=spec.file)  # every change applies


def test_bundled_studies_are_documented() -> None:
    text = (Path(__file__).parents[1] / "docs" / "howto-studies.md").read_text(encoding="utf-8")
    for path in BUNDLED:
        assert f"`{path.stem}`" in text
