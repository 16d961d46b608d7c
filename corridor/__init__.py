"""corridor: simulate freight on the Middle Corridor, its competitors and the Astana–Belgrade air link.

Quick start::

    import corridor as cr
    res = cr.simulate("baseline-2025", replications=5)
    res.kpis()

``import corridor`` is light: the public names are loaded on first use (PEP 562), so
pandas, NetworkX, SimPy and pydantic are imported by the first call that needs them,
and geopandas, matplotlib and dask only where they are used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from corridor._errors import CorridorError, NetworkError, RouteError, ScenarioError

if TYPE_CHECKING:
    from corridor.calibrate import calibration
    from corridor.crosschecks import cross_checks
    from corridor.model import Model
    from corridor.network import Network, load_network
    from corridor.results.compare import compare
    from corridor.results.frames import Results
    from corridor.routes import Route, find_routes, route_table
    from corridor.runner import simulate
    from corridor.scenario import Scenario, bundled_scenarios, load_scenario
    from corridor.studies import StudyResult, study
    from corridor.validate import validate_paths

__version__ = "0.1.0"

__all__ = [
    "CorridorError",
    "Model",
    "Network",
    "NetworkError",
    "Results",
    "Route",
    "RouteError",
    "Scenario",
    "ScenarioError",
    "StudyResult",
    "__version__",
    "bundled_scenarios",
    "calibration",
    "compare",
    "cross_checks",
    "find_routes",
    "load_network",
    "load_scenario",
    "route_table",
    "simulate",
    "study",
    "validate_paths",
]

_LAZY = {
    "calibration": "corridor.calibrate",
    "cross_checks": "corridor.crosschecks",
    "compare": "corridor.results.compare",
    "validate_paths": "corridor.validate",
    "Model": "corridor.model",
    "Network": "corridor.network",
    "load_network": "corridor.network",
    "Results": "corridor.results.frames",
    "Route": "corridor.routes",
    "find_routes": "corridor.routes",
    "route_table": "corridor.routes",
    "simulate": "corridor.runner",
    "Scenario": "corridor.scenario",
    "bundled_scenarios": "corridor.scenario",
    "load_scenario": "corridor.scenario",
    "study": "corridor.studies",
    "StudyResult": "corridor.studies",
}


def __getattr__(name: str) -> Any:
    if name == "plot":  # charts and maps: corridor.outputs (matplotlib loaded when a chart is drawn)
        return importlib.import_module("corridor.outputs")
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'corridor' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups do not come here
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
