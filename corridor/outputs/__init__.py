"""What users see: charts, maps, the HTML report and exported tables.

``corridor.plot`` is this package: ``cr.plot.route_map(...)``, ``cr.plot.comparison_chart(...)``
and the other chart and map functions are loaded on first use (matplotlib is imported only
then).
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "comparison_chart",
    "network_map",
    "queue_length",
    "route_map",
    "scenario_route_map",
    "shipment_gantt",
    "time_breakdown",
    "tradeoff",
    "transit_ecdf",
]

_HOME = {
    "comparison_chart": "plots",
    "queue_length": "plots",
    "shipment_gantt": "plots",
    "time_breakdown": "plots",
    "tradeoff": "plots",
    "transit_ecdf": "plots",
    "network_map": "maps",
    "route_map": "maps",
    "scenario_route_map": "maps",
}


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'corridor.outputs' has no attribute {name!r}")
    return getattr(importlib.import_module(f"corridor.outputs.{module}"), name)
