"""Serbian medicines to Astana: the SCAT flight against the Middle Corridor by rail and sea.

Run: ``python examples/medicines_air_vs_rail.py``
"""

from __future__ import annotations

import corridor as cr


def main(replications: int = 5) -> None:
    """Print time, price per kg (groupage by rail, chargeable weight by air), total logistics cost and CO2."""
    res = cr.simulate("baseline-2025", replications=replications)
    kpis = res.kpis().loc["rs-medicines-kazakhstan"]
    table = kpis[
        ["unit", "transit_days_mean", "transit_days_p95", "cost_usd_per_kg", "logistics_usd_per_t", "co2_kg_per_t_wtw"]
    ]
    print(table.round(2).to_string())
    air, rail = kpis.loc["air"], kpis.loc["middle-poti"]
    print(
        f"\nBy air a consignment arrives {rail['transit_days_mean'] - air['transit_days_mean']:.1f} days sooner "
        f"and emits {air['co2_g_per_tkm'] / rail['co2_g_per_tkm']:.0f}x more CO2 per tonne-km; with the "
        f"inventory in transit it costs {air['logistics_usd_per_t'] / rail['logistics_usd_per_t']:.1f}x as much."
    )


if __name__ == "__main__":
    main()
