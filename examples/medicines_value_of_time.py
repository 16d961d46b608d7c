"""At what value of time does a box of Serbian medicines fly? Route choice by generalised cost.

A consignment of medicines (1.354 t, as in the baseline) in a 20-foot box goes from
Belgrade to Astana either by the SCAT flight (charged per kg) or by the Middle Corridor
(charged per box). With ``split = "generalised"`` each consignment takes the route with
the least charge + value of time x expected days at the moment it is released. The values
of time swept here are illustrative inputs, not data: a shipper sets its own.

Run: ``python examples/medicines_value_of_time.py``
"""

from __future__ import annotations

import pandas as pd

import corridor as cr
from corridor.scenario import Demand


def sweep(values: tuple[float, ...], *, replications: int) -> pd.DataFrame:
    """Share flown and mean days and cost of the consignments, per value of time (USD/day)."""
    base = cr.Model.load("baseline-2025")
    rows = []
    for vot in values:
        flow = Demand(
            id="medicines-20ft",
            origin="Belgrade",
            destination="Astana",
            cargo="medicines in a 20-foot box",
            routes=["air", "middle-poti"],
            per_week=2,
            teu=1,
            tonnes=1.354,
            split="generalised",
            value_of_time_usd_day=vot,
        )
        model = base.evolve({"name": f"vot-{vot:g}", "demand": [flow]})  # validated, no disk read
        ships = model.simulate(replications=replications).shipments
        done = ships[ships["delivered"]]
        rows.append(
            {
                "value_of_time_usd_day": vot,
                "air_share": float((ships["route"] == "air").mean()),
                "transit_days_mean": done["transit_days"].mean(),
                "cost_usd_mean": done["cost_usd"].mean(),
            }
        )
    return pd.DataFrame(rows).set_index("value_of_time_usd_day")


def main(replications: int = 3) -> None:
    """Print the sweep."""
    print(sweep((0.0, 50.0, 80.0, 100.0, 1000.0), replications=replications).round(2).to_string())


if __name__ == "__main__":
    main()
