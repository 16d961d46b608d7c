"""corridor: simulate freight on the Middle Corridor, its competitors and the Astana–Belgrade air link.

Quick start::

    import corridor as cr
    res = cr.simulate("baseline-2025", replications=5)
    res.kpis()
"""

from __future__ import annotations

from corridor._errors import CorridorError, NetworkError, RouteError, ScenarioError
from corridor.calibration import calibration
from corridor.compare import compare
from corridor.network import Network, load_network
from corridor.results import Results
from corridor.routes import Route, find_routes, routes_between
from corridor.runner import simulate
from corridor.scenario import Scenario, bundled_scenarios, load_scenario
from corridor.validate import validate_paths

__version__ = "0.1.0"

__all__ = [
    "CorridorError",
    "Network",
    "NetworkError",
    "Results",
    "Route",
    "RouteError",
    "Scenario",
    "ScenarioError",
    "__version__",
    "bundled_scenarios",
    "calibration",
    "compare",
    "find_routes",
    "load_network",
    "load_scenario",
    "routes_between",
    "simulate",
    "validate_paths",
]
