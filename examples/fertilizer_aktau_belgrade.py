"""Kazakh fertilizer from Aktau to Belgrade by the sea-rail routes of the Middle Corridor.

Compares the Caspian feeder and rail through Georgia with the Black Sea feeders from Poti and
Batumi and the rail-only Türkiye branch, for 20-t FEU of fertilizer.

Run: ``python examples/fertilizer_aktau_belgrade.py``
"""

from __future__ import annotations

from corridor.trip import simulate_trip


def main(replications: int = 3) -> None:
    """Price and time one FEU of fertilizer a day on every route from Aktau to Belgrade."""
    res, skipped = simulate_trip("Aktau", "Belgrade", per_week=7, teu=2, tonnes=20, replications=replications)
    kpis = res.kpis().loc["trip"]
    cols = ["transit_days_mean", "transit_days_p95", "cost_usd_per_feu", "co2_kg_per_feu", "border_days"]
    print(kpis[cols].sort_values("cost_usd_per_feu").round(1).to_string())
    for note in skipped:
        print(note)


if __name__ == "__main__":
    main()
