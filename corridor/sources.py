"""The source of every figure: ``geodata/sources.csv`` and its references, and completeness checks."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pandas as pd

from corridor._data import bundled_dir
from corridor._schema import schema

__all__ = ["BASES", "read_sources", "unsourced_figures"]

#: What a figure rests on; ``assumption`` and ``definition`` carry their reason in ``note``.
BASES = ("published", "news", "claim", "computed", "proxy", "definition", "assumption")

_FILES = {
    "node": ("nodes", "nodes.geojson"),
    "link": ("links", "links.geojson"),
    "service": ("services", "services.geojson"),
}


def read_sources(folder: str | Path | None = None) -> pd.DataFrame:
    """The rows of ``sources.csv`` (``component, id, attribute, value, unit, basis, ref, note``).

    Parameters
    ----------
    folder
        A geodata folder (default: the bundled one).
    """
    path = Path(folder) if folder is not None else bundled_dir("geodata")
    return pd.read_csv(path / "sources.csv", dtype=str, keep_default_na=False)


def unsourced_figures(folder: str | Path | None = None) -> list[str]:
    """Every numeric attribute in the geodata without a matching row in ``sources.csv``.

    A figure is a float attribute whose value differs from its schema default, or a
    node's coordinate. It needs a row with the same component, id, attribute and value;
    an assumption's row also needs its reason (``note``), any other basis a ``ref``.

    Returns
    -------
    list of str
        ``component id.attribute: problem``, empty when every figure is sourced.
    """
    path = Path(folder) if folder is not None else bundled_dir("geodata")
    with (path / "sources.csv").open(encoding="utf-8") as fh:
        index = {(r["component"], r["id"], r["attribute"]): r for r in csv.DictReader(fh)}
    problems: list[str] = []
    for component, (kind, file) in _FILES.items():
        attrs = schema(kind)
        for feature in json.loads((path / file).read_text(encoding="utf-8"))["features"]:
            props = feature["properties"]
            figures = [
                (name, props[name])
                for name, attr in attrs.items()
                if attr.type == "float" and props.get(name) is not None and str(props[name]) != attr.default
            ]
            if component == "node":
                lon, lat = feature["geometry"]["coordinates"]
                figures += [("lon", lon), ("lat", lat)]
            for name, value in figures:
                where = f"{component} {props['id']}.{name}"
                row = index.get((component, props["id"], name))
                if row is None:
                    problems.append(f"{where}: no row in sources.csv")
                elif not math.isclose(float(value), float(row["value"]), rel_tol=1e-9, abs_tol=1e-9):
                    problems.append(f"{where}: value {value} differs from sources.csv ({row['value']})")
                elif row["basis"] not in BASES:
                    problems.append(f"{where}: unknown basis {row['basis']!r}")
                elif row["basis"] in ("assumption", "definition") and not row["note"].strip():
                    problems.append(f"{where}: an {row['basis']} needs its reason in note")
                elif row["basis"] not in ("assumption", "definition") and not row["ref"]:
                    problems.append(f"{where}: basis {row['basis']} needs a ref")
    return problems
