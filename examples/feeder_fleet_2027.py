"""Containers from Xi'an to Belgrade on the Middle Corridor routes, with the Caspian feeder fleet of 2027.

Run: ``python examples/feeder_fleet_2027.py``
"""

from __future__ import annotations

import corridor as cr


def main(replications: int = 3) -> None:
    """Compare the baseline with twelve Caspian feeders for the Xi'an–Belgrade block trains."""
    results = [cr.simulate(name, replications=replications) for name in ("baseline-2025", "feeder-fleet-2027")]
    frame = cr.compare(results, reference="baseline-2025")
    trains = frame.xs("xian-belgrade-containers", level="demand")
    print(trains[["transit_days_mean", "transit_days_p95", "cost_usd_per_feu", "delta_transit_days_mean"]].round(1))


if __name__ == "__main__":
    main()
