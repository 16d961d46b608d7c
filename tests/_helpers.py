"""Helpers for tests: small scenarios written to temporary files."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import corridor as cr


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f'"{k}" = {toml_value(v)}' for k, v in value.items()) + " }"
    return str(value)


#: The columns of a leg whose sum is its time from ready to arrival.
TIME_PARTS = [
    "wait_gate_h",
    "wait_service_h",
    "wait_queue_h",
    "handling_h",
    "border_h",
    "dwell_h",
    "disrupted_h",
    "travel_h",
]

#: Node times the bundled data draws from a distribution (issue 13: borders and dwell).
_DRAWN = ("border", "dwell", "origin_dwell", "destination_dwell")


@functools.cache
def _steady() -> tuple[tuple[str, str, Any], ...]:
    nodes = cr.load_network().nodes
    out: list[tuple[str, str, Any]] = []
    for node, row in nodes.iterrows():
        for prefix in _DRAWN:
            kind = row.get(f"{prefix}_dist")
            if not isinstance(kind, str) or not kind:
                continue
            if kind == "triangular":
                mean = (row[f"{prefix}_min_h"] + row[f"{prefix}_mode_h"] + row[f"{prefix}_max_h"]) / 3.0
            elif kind == "empirical":
                values = [float(v) for v in str(row[f"{prefix}_samples_h"]).split(";")]
                mean = sum(values) / len(values)
            else:  # exponential: the fixed time is the mean already
                mean = float(row[f"{prefix}_h"])
            cleared = ("dist", "min_h", "mode_h", "max_h", "samples_h")
            out += [(str(node), f"{prefix}_{a}", "") for a in cleared]
            out.append((str(node), f"{prefix}_h", round(float(mean), 9)))
    return tuple(out)


def steady_changes() -> list[dict[str, Any]]:
    """Changes that fix every drawn border and dwell time, and every rail leg, of the bundled network at its mean.

    The engine's arithmetic is tested on them (one value to compare with); the draws
    themselves are tested in ``tests/test_clock.py`` and on the bundled scenarios.
    """
    nodes = [{"component": "node", "id": n, "attribute": a, "value": v} for n, a, v in _steady()]
    return [*nodes, _STEADY_RAIL]


#: Rail legs at their mean time: the bundled data draws them from a lognormal (``time_cv``).
_STEADY_RAIL: dict[str, Any] = {"component": "link", "mode": "rail", "attribute": "time_cv", "value": 0}


def _touches(change: dict[str, Any], touched: set[tuple[Any, str]]) -> bool:
    if change["component"] == "link":  # the rail spread: left alone where the test sets a link's time itself
        return any(attr.startswith(("time_", "speed_")) for _, attr in touched)
    attr = str(change["attribute"])
    prefix = next(p for p in sorted(_DRAWN, key=len, reverse=True) if attr.startswith(p + "_"))
    return (change["id"], prefix) in touched or (change["id"], prefix.split("_")[0]) in touched


def steady_network() -> cr.Network:
    """The bundled network with :func:`steady_changes` applied."""
    return cr.load_network().with_changes(steady_changes(), file="<steady>")


def scenario_text(
    *,
    demand: list[dict[str, Any]],
    header: dict[str, Any] | None = None,
    changes: list[dict[str, Any]] | None = None,
    steady: bool = True,
) -> str:
    head = {
        "name": "test",
        "start": None,
        "release_days": 28,
        "horizon_days": 120,
        "seed": 7,
        "replications": 2,
        **(header or {}),
    }
    lines = []
    for key, value in head.items():
        if key == "start":
            lines.append("start = " + str(value or "2025-01-06"))
        elif value is not None:
            lines.append(f"{key} = {toml_value(value)}")
    mine = changes or []
    # the steady times come after the test's own changes (whose indices error messages name) and leave alone a
    # node time the test sets itself
    touched = {(c.get("id"), str(c.get("attribute", "")).split("_")[0]) for c in mine if c.get("component") == "node"}
    touched |= {(c.get("id"), "_".join(str(c.get("attribute", "")).split("_")[:2])) for c in mine}
    extra = [c for c in (steady_changes() if steady else []) if not _touches(c, touched)]
    for change in [*mine, *extra]:
        lines.append("\n[[changes]]")
        lines += [f"{k} = {toml_value(v)}" for k, v in change.items()]
    for item in demand:
        lines.append("\n[[demand]]")
        lines += [f"{k} = {toml_value(v)}" for k, v in item.items()]
    return "\n".join(lines) + "\n"


def write_scenario(tmp_path: Path, name: str = "test", **kwargs: Any) -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(scenario_text(**kwargs), encoding="utf-8")
    return path


def add_routes(path: Path, routes: list[dict[str, Any]]) -> Path:
    """Append ``[[routes]]`` tables to a scenario file."""
    text = path.read_text(encoding="utf-8")
    for route in routes:
        text += "\n[[routes]]\n" + "".join(f"{k} = {toml_value(v)}\n" for k, v in route.items())
    path.write_text(text, encoding="utf-8")
    return path


def flow(**overrides: Any) -> dict[str, Any]:
    base = {
        "id": "flow",
        "origin": "Aktau",
        "destination": "Belgrade",
        "routes": ["middle-poti"],
        "per_week": 2,
        "teu": 2,
        "tonnes": 20,
        # the tests written for releases on the hour keep them (the default spreads them within the week)
        "arrivals": "regular",
    }
    return {**base, **overrides}


def run(tmp_path: Path, **kwargs: Any) -> cr.Results:
    return cr.simulate(write_scenario(tmp_path, **kwargs))
