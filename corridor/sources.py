"""The source of every figure: ``geodata/sources.csv``, its references, and completeness checks.

``sources.csv`` has one row per figure: ``component, id, attribute, value, unit, basis,
ref, note``. ``basis`` says what kind of figure it is; ``ref`` cites a row of
``references.csv``; an assumption or a definition carries its reason in ``note``.
"""

from __future__ import annotations

import csv
import json
import math
import tomllib
from datetime import date, time
from pathlib import Path
from typing import Any

import pandas as pd

from corridor._data import bundled_dir
from corridor.scenario import SETTINGS
from corridor.schema import schema

__all__ = ["BASES", "check_geodata_sources", "check_scenario_sources", "check_study_sources", "read_sources"]

#: What a figure rests on; ``assumption`` and ``definition`` carry their reason in ``note``.
BASES = ("published", "news", "claim", "computed", "proxy", "definition", "assumption")
_KINDS = (
    ("nodes", "nodes.geojson", "node"),
    ("links", "links.geojson", "link"),
    ("services", "services.geojson", "service"),
)

Rows = dict[tuple[str, str, str], dict[str, str]]


def read_sources(folder: str | Path | None = None) -> pd.DataFrame:
    """The rows of ``sources.csv`` (``component, id, attribute, value, unit, basis, ref, note``).

    Parameters
    ----------
    folder
        A geodata folder (default: the bundled one).
    """
    path = Path(folder) if folder is not None else bundled_dir("geodata")
    return pd.read_csv(path / "sources.csv", dtype=str, keep_default_na=False)


def _index(folder: Path) -> Rows:
    """The rows of ``folder/sources.csv`` keyed by ``(component, id, attribute)``."""
    with (folder / "sources.csv").open(encoding="utf-8") as fh:
        return {(r["component"], r["id"], r["attribute"]): r for r in csv.DictReader(fh)}


def _same(value: Any, recorded: str) -> bool:
    try:
        return math.isclose(float(value), float(recorded), rel_tol=1e-9, abs_tol=1e-9)
    except (TypeError, ValueError):
        return str(value) == recorded


def _figures(folder: Path, kind: str, file: str) -> list[tuple[str, str, Any]]:
    attrs = schema(kind)
    data = json.loads((folder / file).read_text(encoding="utf-8"))
    out: list[tuple[str, str, Any]] = []
    for feature in data.get("features", []):
        props = feature.get("properties") or {}
        for name, attr in attrs.items():
            value = props.get(name)
            if attr.type in ("float", "floats") and value is not None and str(value) != attr.default:
                out.append((str(props.get("id")), name, value))
        geometry = feature.get("geometry") or {}
        if kind == "nodes" and geometry.get("type") == "Point":
            lon, lat = geometry["coordinates"][:2]
            out += [(str(props.get("id")), "lon", lon), (str(props.get("id")), "lat", lat)]
    return out


def check_geodata_sources(folder: str | Path | None = None) -> list[str]:
    """Every problem with the sources of a geodata folder, one line each.

    Checks that each numeric attribute that differs from its default, each coordinate
    and each emission factor has a ``sources.csv`` row with the same value, that each
    row's basis is known, that cited refs exist in ``references.csv``, and that
    assumptions and definitions say why.
    """
    folder = Path(folder) if folder is not None else bundled_dir("geodata")
    problems: list[str] = []
    src = folder / "sources.csv"
    if not src.is_file():
        return [f"{src}: missing file; list a source or an assumption for every figure"]
    rows = _index(folder)
    with (folder / "references.csv").open(encoding="utf-8") as fh:
        refs = {r["ref"] for r in csv.DictReader(fh)}
    for (component, ident, attribute), row in rows.items():
        where = f"{src}: {component} {ident}: {attribute}"
        if row["basis"] not in BASES:
            problems.append(f"{where}: basis {row['basis']!r} is not one of {', '.join(BASES)}")
        elif row["basis"] in ("assumption", "definition"):
            if not row["note"].strip():
                problems.append(f"{where}: an {row['basis']} needs its reason in note")
        elif row["ref"] not in refs:
            problems.append(f"{where}: ref {row['ref']!r} is not in references.csv; add the citation there")
    for kind, file, component in _KINDS:
        for ident, attribute, value in _figures(folder, kind, file):
            found = rows.get((component, ident, attribute))
            where = f"{folder / file}: {ident}: {attribute}"
            if found is None:
                problems.append(f"{where}: {value} has no row in sources.csv; add its source or mark it an assumption")
            elif not _same(value, found["value"]):
                problems.append(f"{where}: {value} differs from sources.csv ({found['value']}); update one of them")
    for name, component, key, columns in _TABLES:
        table = folder / name
        if not table.is_file():
            continue
        with table.open(encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                for column in columns:
                    if column not in r:
                        continue
                    found = rows.get((component, r[key], "value" if column == "value" else column))
                    if found is None or not _same(r[column], found["value"]):
                        problems.append(f"{table}: {r[key]}: {column}: {r[column]} has no matching row in sources.csv")
    return problems


#: Tables of figures besides the GeoJSON files: file, component in sources.csv, key column, figure columns.
_TABLES = (
    ("emission_factors.csv", "emission_factor", "key", ("g_co2e_tkm", "g_co2e_tkm_wtw")),
    ("carriage.csv", "carriage", "key", ("value",)),
    ("cargo_classes.csv", "cargo_class", "id", ("value_usd_t", "m3_per_t")),
)


def _scenario_figures(data: dict[str, Any]) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for item in data.get("demand", []):
        for key, value in item.items():
            if isinstance(value, bool):
                continue
            if isinstance(value, int | float):
                out.append((f"demand.{item.get('id')}.{key}", value))
            elif isinstance(value, dict):
                out += [(f"demand.{item.get('id')}.{key}.{k}", v) for k, v in value.items()]
    for i, change in enumerate(data.get("changes", [])):
        for key in ("value", "factor"):
            if isinstance(change.get(key), int | float) and not isinstance(change.get(key), bool):
                out.append((f"changes[{i}].{key}", change[key]))
    for table in ("storms", "closures", "events"):
        for i, item in enumerate(data.get(table, [])):
            out += _leaves(f"{table}[{i}]", item)
    return out


def _leaves(path: str, value: Any) -> list[tuple[str, Any]]:
    """Numeric and date leaves under ``value``: ``storms[0].daily_probability.jan``, ``...values[2]``.

    Dates (closure starts and ends) count as figures too; they are compared as ISO text.
    """
    if isinstance(value, bool):
        return []
    if isinstance(value, int | float):
        return [(path, value)]
    if isinstance(value, date | time):
        return [(path, value.isoformat())]
    if isinstance(value, dict):
        return [leaf for key, item in value.items() for leaf in _leaves(f"{path}.{key}", item)]
    if isinstance(value, list):
        return [leaf for j, item in enumerate(value) for leaf in _leaves(f"{path}[{j}]", item)]
    return []


def check_scenario_sources(path: Path, folder: str | Path | None = None) -> list[str]:
    """Every figure of a scenario file without a matching source row.

    Figures are the numbers of ``demand`` and ``changes`` (not run settings) and every
    number or date inside ``storms``, ``closures`` and ``events`` (e.g. ``storms[0].daily_probability.jan``,
    ``storms[0].duration_days.values[2]``, ``closures[0].start``).
    """
    rows = _index(Path(folder) if folder is not None else bundled_dir("geodata"))
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    name = str(data.get("name", path.stem))
    problems = []
    for attribute, value in _scenario_figures(data):
        if attribute.split(".")[-1] in SETTINGS:
            continue
        found = rows.get(("scenario", name, attribute))
        if found is None or not _same(value, found["value"]):
            problems.append(f"{path}: {attribute}: {value} has no matching row (scenario, {name}) in sources.csv")
    return problems


def check_study_sources(path: Path, folder: str | Path | None = None) -> list[str]:
    """Every level of a study file without a matching source row (component ``study``).

    A level is ``parameters[i].values[j]`` (or ``parameters[i].range[j]``); the row is
    ``(study, <the study's name>, parameters[i].values[j])`` with the same value.
    """
    rows = _index(Path(folder) if folder is not None else bundled_dir("geodata"))
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    name = str(data.get("name", path.stem))
    problems = []
    for i, param in enumerate(data.get("parameters", [])):
        for key in ("values", "range"):
            for j, value in enumerate(param.get(key) or []):
                attribute = f"parameters[{i}].{key}[{j}]"
                found = rows.get(("study", name, attribute))
                if found is None or not _same(value, found["value"]):
                    problems.append(f"{path}: {attribute}: {value} has no matching row (study, {name}) in sources.csv")
    return problems
