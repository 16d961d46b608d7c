"""Write docs/scenarios.md: the headline KPIs of every bundled scenario.

Run: ``python docs/tools/scenario_kpis.py [--replications 5]``. Each scenario runs at
``min(its replications, --replications)``; days are over delivered shipments; rows of the
Caspian background traffic (the flows that only load the feeders) are left out.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import corridor as cr

_BACKGROUND = ("caspian-background",)
_HEAD = """# Headline KPIs of the bundled scenarios

Every bundled scenario at up to {n} replications, made by `python docs/tools/scenario_kpis.py`
(`corridor run NAME --replications {n}` shows the same rows). Days are over delivered
shipments; the Caspian background traffic rows are left out. A route `A>B@node` is a
re-route: shipments that left route A for route B at that node.

| scenario | flow | route | days mean | days p95 | delivered | USD/FEU | CO2 kg/FEU | disrupted days |
|---|---|---|---:|---:|---:|---:|---:|---:|
"""


def _num(value: float, fmt: str) -> str:
    return "–" if value != value else format(value, fmt)


def rows(*, replications: int) -> list[str]:
    """One markdown row per scenario, flow and route."""
    out = []
    for name in cr.bundled_scenarios():
        sc = cr.load_scenario(name)
        kpis = cr.simulate(sc, replications=min(sc.replications, replications)).kpis()
        for (flow, route), k in kpis.iterrows():
            if str(flow).startswith(_BACKGROUND):
                continue
            out.append(
                f"| {name} | {flow} | {route} | {_num(k['transit_days_mean'], '.1f')} | "
                f"{_num(k['transit_days_p95'], '.1f')} | {k['delivered_share']:.0%} | "
                f"{_num(k['cost_usd_per_feu'], ',.0f')} | {_num(k['co2_kg_per_feu'], ',.0f')} | "
                f"{_num(k['disrupted_days'], '.1f')} |"
            )
    return out


def main() -> None:
    """Write the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replications", type=int, default=5)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "scenarios.md")
    args = parser.parse_args()
    text = _HEAD.format(n=args.replications) + "\n".join(rows(replications=args.replications)) + "\n"
    args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
