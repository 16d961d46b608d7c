"""No invented numbers: every figure in geodata/ and scenarios/ has a source row."""

from __future__ import annotations

import csv
import json
import math
import tomllib
from pathlib import Path
from typing import Any

import pytest

from corridor._data import bundled_dir
from corridor._schema import schema
from corridor.scenario import SETTINGS

GEO = bundled_dir("geodata")
BASES = {"published", "news", "claim", "computed", "proxy", "assumption", "definition"}


def _rows() -> dict[tuple[str, str, str], dict[str, str]]:
    with (GEO / "sources.csv").open(encoding="utf-8") as fh:
        return {(r["component"], r["id"], r["attribute"]): r for r in csv.DictReader(fh)}


def _refs() -> set[str]:
    with (GEO / "references.csv").open(encoding="utf-8") as fh:
        return {r["ref"] for r in csv.DictReader(fh)}


def _same(value: Any, recorded: str) -> bool:
    try:
        return math.isclose(float(value), float(recorded), rel_tol=1e-9, abs_tol=1e-9)
    except (TypeError, ValueError):
        return str(value) == recorded


def test_every_source_row_is_well_formed() -> None:
    refs = _refs()
    for key, row in _rows().items():
        assert row["basis"] in BASES, key
        if row["basis"] in ("assumption", "definition"):
            assert row["note"].strip(), f"{key}: an assumption needs its reason in note"
        else:
            assert row["ref"] in refs, f"{key}: unknown ref {row['ref']!r}"


def _figures(kind: str, file: str) -> list[tuple[str, str, Any]]:
    attrs = schema(kind)
    data = json.loads((GEO / file).read_text(encoding="utf-8"))
    out = []
    for feature in data["features"]:
        props = feature["properties"]
        for name, attr in attrs.items():
            value = props.get(name)
            if attr.type == "float" and value is not None and str(value) != attr.default:
                out.append((props["id"], name, value))
        if kind == "nodes":
            lon, lat = feature["geometry"]["coordinates"]
            out += [(props["id"], "lon", lon), (props["id"], "lat", lat)]
    return out


@pytest.mark.parametrize(("kind", "file", "component"), [
    ("nodes", "nodes.geojson", "node"),
    ("links", "links.geojson", "link"),
    ("services", "services.geojson", "service"),
])  # fmt: skip
def test_every_geodata_figure_has_a_source(kind: str, file: str, component: str) -> None:
    rows = _rows()
    missing, differ = [], []
    for fid, attr, value in _figures(kind, file):
        row = rows.get((component, fid, attr))
        if row is None:
            missing.append(f"{fid}.{attr}")
        elif not _same(value, row["value"]):
            differ.append(f"{fid}.{attr}: data {value} vs sources.csv {row['value']}")
    assert missing == [], "figures without a source row in geodata/sources.csv"
    assert differ == [], "figures that differ from their source row"


def test_every_emission_factor_has_a_source() -> None:
    rows = _rows()
    with (GEO / "emission_factors.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            row = rows[("emission_factor", r["key"], "g_co2e_tkm")]
            assert _same(r["g_co2e_tkm"], row["value"])


def _scenario_figures(data: dict[str, Any]) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for item in data.get("demand", []):
        for key, value in item.items():
            if isinstance(value, bool):
                continue
            if isinstance(value, int | float):
                out.append((f"demand.{item['id']}.{key}", value))
            elif isinstance(value, dict):
                out += [(f"demand.{item['id']}.{key}.{k}", v) for k, v in value.items()]
    for i, change in enumerate(data.get("changes", [])):
        for key in ("value", "factor"):
            if isinstance(change.get(key), int | float):
                out.append((f"changes[{i}].{key}", change[key]))
    return out


@pytest.mark.parametrize("path", sorted(bundled_dir("scenarios").glob("*.toml")), ids=lambda p: p.stem)
def test_every_scenario_figure_has_a_source(path: Path) -> None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    rows = _rows()
    missing = [
        attr
        for attr, value in _scenario_figures(data)
        if attr.split(".")[-1] not in SETTINGS
        and not ((row := rows.get(("scenario", data["name"], attr))) and _same(value, row["value"]))
    ]
    assert missing == [], f"{path.name}: figures without a matching row in geodata/sources.csv"
