"""Xi'an to Belgrade across all route families: Middle Corridor (Black Sea and Türkiye), Northern,
southern and sea via Suez and Piraeus, side by side under the 2025 background traffic.

Run: ``python examples/xian_belgrade_all_routes.py``
"""

from __future__ import annotations

import corridor as cr


def main(replications: int = 3) -> None:
    """Print time, reliability, cost and CO2 of each route family for one FEU a week."""
    res = cr.simulate("competitors-2025", replications=replications)
    kpis = res.kpis().loc["xian-belgrade-competitors"]
    cols = ["transit_days_mean", "transit_days_p95", "buffer_days", "cost_usd_per_feu", "co2_kg_per_feu"]
    print(kpis[cols].sort_values("transit_days_mean").round(1).to_string())
    fastest = kpis["transit_days_mean"].idxmin()
    cheapest = kpis["cost_usd_per_feu"].idxmin()
    print(f"\nFastest: {fastest}; cheapest: {cheapest}.")


if __name__ == "__main__":
    main()
