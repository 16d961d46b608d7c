"""Serbian medicines to Astana: the SCAT flight against the Middle Corridor by rail and sea.

Run: ``python examples/medicines_air_vs_rail.py``
"""

from __future__ import annotations

import corridor as cr


def main(replications: int = 5) -> None:
    """Print time, cost per kg and CO2 per tonne-km of both routes for the baseline consignments."""
    res = cr.simulate("baseline-2025", replications=replications)
    kpis = res.kpis().loc["rs-medicines-kazakhstan"]
    table = kpis[["transit_days_mean", "transit_days_p95", "cost_usd_per_kg", "co2_g_per_tkm"]]
    print(table.round(2).to_string())
    air, rail = kpis.loc["air"], kpis.loc["middle-poti"]
    print(
        f"\nBy air a consignment arrives {rail['transit_days_mean'] - air['transit_days_mean']:.1f} days sooner "
        f"and emits {air['co2_g_per_tkm'] / rail['co2_g_per_tkm']:.0f}x more CO2 per tonne-km."
    )


if __name__ == "__main__":
    main()
