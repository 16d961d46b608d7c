"""How reliable is the Middle Corridor? Sensitivity to Caspian storms and to the number of feeders.

Runs the baseline and the storm season with 3, 6 and 12 Caspian container feeders and prints
the p95 transit time and the reliability buffer (p95 − p50) of the Aktau–Alat background
traffic and of the fertilizer flow.

Run: ``python examples/caspian_sensitivity.py``
"""

from __future__ import annotations

import pandas as pd

import corridor as cr
from corridor.scenario import Change


def main(replications: int = 2) -> None:
    """Print p95 and buffer days per (weather, feeders)."""
    rows = []
    for name in ("baseline-2025", "caspian-storm-season"):
        base = cr.load_scenario(name)
        for vessels in (3, 6, 12):
            change = Change(component="service", id="caspian-feeder", attribute="vessels", value=vessels)
            sc = base.model_copy(update={"changes": [*base.changes, change], "release_days": 42})
            k = cr.simulate(sc, replications=replications).kpis()
            for flow in (("caspian-background", "caspian-feeder"), ("kz-fertilizer-serbia", "middle-batumi")):
                rows.append(
                    {
                        "weather": "storms" if "storm" in name else "calm",
                        "feeders": vessels,
                        "flow": flow[0],
                        "transit_days_mean": k.loc[flow, "transit_days_mean"],
                        "transit_days_p95": k.loc[flow, "transit_days_p95"],
                        "buffer_days": k.loc[flow, "buffer_days"],
                    }
                )
    table = pd.DataFrame(rows).set_index(["flow", "weather", "feeders"]).sort_index()
    print(table.round(1).to_string())


if __name__ == "__main__":
    main()
