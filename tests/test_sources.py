"""No invented numbers: every figure in geodata/ and scenarios/ has a source row."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from corridor._data import bundled_dir
from corridor.sources import check_geodata_sources, check_scenario_sources

GEO = bundled_dir("geodata")


def test_bundled_geodata_is_fully_sourced() -> None:
    assert check_geodata_sources(GEO) == []


@pytest.mark.parametrize("path", sorted(bundled_dir("scenarios").glob("*.toml")), ids=lambda p: p.stem)
def test_every_scenario_figure_has_a_source(path: Path) -> None:
    assert check_scenario_sources(path, GEO) == []


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "geodata"
    shutil.copytree(GEO, folder)
    return folder


def _rewrite_sources(folder: Path, keep: object) -> None:
    path = folder / "sources.csv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            new = keep(row)  # type: ignore[operator]
            if new is not None:
                writer.writerow(new)


def test_a_figure_without_a_source_is_reported(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _rewrite_sources(folder, lambda r: None if (r["id"], r["attribute"]) == ("sea-aktau-alat", "time_h") else r)
    problems = check_geodata_sources(folder)
    assert len(problems) == 1
    assert "links.geojson: sea-aktau-alat: time_h: 22.0 has no row in sources.csv" in problems[0]
    assert "mark it an assumption" in problems[0]


def test_a_changed_figure_and_a_bare_assumption_are_reported(tmp_path: Path) -> None:
    folder = _copy(tmp_path)

    def edit(row: dict[str, str]) -> dict[str, str]:
        if (row["id"], row["attribute"]) == ("caspian-feeder", "vessels"):
            row["value"] = "7"
        if (row["id"], row["attribute"]) == ("caspian-feeder", "max_wait_h"):
            row["note"] = ""
        return row

    _rewrite_sources(folder, edit)
    problems = "\n".join(check_geodata_sources(folder))
    assert "caspian-feeder: vessels: 6.0 differs from sources.csv (7)" in problems
    assert "max_wait_h: an assumption needs its reason in note" in problems


def test_storm_and_closure_figures_need_sources(tmp_path: Path) -> None:
    scenario = tmp_path / "stormy.toml"
    scenario.write_text(
        'name = "stormy"\nstart = 2025-01-06\nrelease_days = 7\nhorizon_days = 30\n\n'
        '[[closures]]\ngroup = "caspian"\nstart = 2025-02-01\nend = 2025-02-03\n\n'
        '[[storms]]\ngroup = "caspian"\ndaily_probability = { jan = 0.1, feb = 0.05 }\n'
        'duration_days = { dist = "empirical", values = [1, 2.5] }\n',
        encoding="utf-8",
    )
    problems = "\n".join(check_scenario_sources(scenario, GEO))
    for attribute in (
        "closures[0].start: 2025-02-01",
        "closures[0].end: 2025-02-03",
        "storms[0].daily_probability.jan: 0.1",
        "storms[0].daily_probability.feb: 0.05",
        "storms[0].duration_days.values[0]: 1",
        "storms[0].duration_days.values[1]: 2.5",
    ):
        assert attribute in problems
    assert "group" not in problems


def test_bundled_storm_figures_are_checked() -> None:
    path = bundled_dir("scenarios") / "caspian-storm-season.toml"
    with (GEO / "sources.csv").open(encoding="utf-8") as fh:
        folder_rows = {r["attribute"] for r in csv.DictReader(fh)}
    assert "storms[0].duration_days.values[7]" in folder_rows
    assert check_scenario_sources(path, GEO) == []


def test_feu_charges_from_20ft_figures_use_a_sourced_ratio() -> None:
    """A FEU's charge taken from a 20' figure is scaled by a sourced 40'/20' ratio, not doubled.

    The 20'/40' pairs found charge a 40' box 1.3–2.0 times a 20' one; the ratio used and
    its pair are named in the source row (build_geodata.py's FEU_THC, FEU_WATER, FEU_RAIL).
    """
    with open(GEO / "sources.csv", newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if "per 20'" in r["note"] and r["unit"].startswith("USD/FEU")]
    assert {r["attribute"] for r in rows} >= {"handling_usd", "tariff_usd_feu_km", "tariff_usd_feu"}
    for r in rows:
        assert "doubled" not in r["note"], r
        assert "two TEU" not in r["note"], r
        assert "40'/20'" in r["note"], r
    poti = next(r for r in rows if r["id"] == "poti" and r["attribute"] == "handling_usd")
    assert 290 < float(poti["value"]) < 2 * 290  # Poti's 290 USD per 20', scaled below two boxes
