"""``corridor validate``: check scenario files and geodata folders, reporting every problem.

The one place every check is reached from, in the order data flows: a geodata folder's
files (:mod:`corridor.geodata`: structure, geometries, ``routes.toml``, emission
factors), its tables against the schema (:mod:`corridor.schema`) and as a graph
(:func:`corridor.network.load_network`: links' ends, services, time distributions,
lengths), its sources (:mod:`corridor.sources`); a scenario's file and keys
(:mod:`corridor.scenario`: ``extends``, strict numbers and dates), each of its changes
(:meth:`corridor.network.Network.with_changes`), routes, flows and disruptions
(:meth:`corridor.model.Model.plan`). ``corridor run`` meets the same checks on its way;
here they go on past a problem where they can, so that every problem is listed.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from corridor._errors import CorridorError
from corridor.model import Model
from corridor.network import load_network
from corridor.scenario import load_scenario
from corridor.sources import check_geodata_sources

__all__ = ["validate_paths"]


def _geodata(folder: Path) -> list[str]:
    try:
        load_network(folder)
    except CorridorError as exc:
        return list(exc.problems)
    return check_geodata_sources(folder)


def _scenario(path: Path) -> list[str]:
    """Every problem of a scenario: its file and keys, its network, each change, each route and flow."""
    try:
        sc = load_scenario(path)
        base = load_network(sc.network_path())
    except CorridorError as exc:  # the file, or the network it names, is wrong: nothing else can be checked
        return list(exc.problems)
    found: list[str] = []
    try:
        model = Model.load(sc, base)
    except CorridorError as exc:  # the changes are listed; the rest is checked against the unchanged network
        found += exc.problems
        model = Model.load(sc.model_copy(update={"changes": []}), base)
    problems: list[CorridorError] = []
    try:
        model.plan(problems=problems)
    except CorridorError as exc:
        return [*found, *exc.problems]
    return [*found, *(line for p in problems for line in p.problems)]


def validate_paths(paths: Iterable[str | Path]) -> dict[str, list[str]]:
    """Check scenario files (``.toml``) and geodata folders (or a file in one).

    Parameters
    ----------
    paths
        Scenario files, geodata folders, or GeoJSON files inside a geodata folder.

    Returns
    -------
    dict
        Every problem found, one line each (naming the file, the field and the fix),
        keyed by the path checked; an empty list means the path is valid.
    """
    out: dict[str, list[str]] = {}
    for raw in paths:
        path = Path(raw)
        key = str(raw)
        if path.is_dir() and (path / "nodes.geojson").exists():
            out[key] = _geodata(path)
        elif path.suffix == ".geojson" and path.is_file():
            out[key] = _geodata(path.parent)
        elif path.suffix == ".toml" or not path.exists():
            out[key] = _scenario(path)
        else:
            out[key] = [f"{path}: cannot tell what this is; give a scenario .toml file or a geodata folder"]
    return out
