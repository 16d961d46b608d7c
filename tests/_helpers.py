"""Helpers for tests: small scenarios written to temporary files."""

from __future__ import annotations

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


def scenario_text(
    *,
    demand: list[dict[str, Any]],
    header: dict[str, Any] | None = None,
    changes: list[dict[str, Any]] | None = None,
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
    for change in changes or []:
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
