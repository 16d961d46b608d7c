"""Write docs/where-the-time-goes.md: per route family, where the door-to-door time goes.

Run: ``python docs/tools/time_budget.py [--replications 10]``. It simulates the bundled
``competitors-2025`` (one FEU a week Xi'an -> Belgrade on every route family) and the
trip Xi'an -> Constanța via Aktau on ``baseline-2025``, and splits each mean transit time
into its columns (``docs/reference.md``): moving, waiting for a service, queueing, border,
dwell, handling, disruption. The stops of the Xi'an -> Constanța trip are listed with the
sources of their figures (``geodata/sources.csv``, ``geodata/references.csv``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

import corridor as cr
from corridor._data import bundled_dir
from corridor.calibrate import TARGETS, calibration
from corridor.crosschecks import CROSS_CHECKS
from corridor.trip import simulate_trip

_PARTS = {
    "moving": "moving_days",
    "service": "wait_service_days",
    "queue": ("wait_queue_days", "wait_gate_days"),
    "border": "border_days",
    "dwell": "dwell_days",
    "handling": "handling_days",
    "disruption": "disrupted_days",
}
_NODE_TIMES = ("border", "dwell", "origin_dwell", "destination_dwell", "handling", "gauge_change")

_HEAD = """# Where the time goes

Made by `python docs/tools/time_budget.py --replications {n}` (regenerate it after a data
change). Days are means over delivered shipments, {n} replications; every part is its own
column of `Results.legs` / `Results.shipments` (see [reference](reference.md)):

* **moving**: `travel_h`, the link's travel time (drawn where it is a distribution);
* **service**: `wait_service_h`, waiting for a sailing, flight or feeder (the liner's
  cut-off included), after the node's times;
* **queue**: `wait_queue_h` + `wait_gate_h`, queueing for a slot or a port's gate;
* **border**: `border_h` + `destination_border_h`, clearance wherever the shipment crosses
  a border (a border node, or a port or terminal it enters from or leaves for another
  country);
* **dwell**: `dwell_h` + `destination_dwell_h`, origin terminal (train assembly,
  departure days), port yards where the shipment changes mode or service, destination;
* **handling**: `handling_h`, transshipment and gauge change;
* **disruption**: `disrupted_h`, closures and storms.

Releases fall at a random time within each week (`arrivals = "uniform"`), so the wait
for a weekly service is what a customer booking any day would see. Seasonal closures
(the Caspian storms, Kuryk's "closed about half the time in November–December") are
storms with a probability per day by month (`caspian-storm-season`; Kuryk's closures on
Kuryk's links only). Rail legs are drawn from a lognormal (cv 0.073, from DHL's 6–8 days
Chinese border -> Polish border), borders from a triangle around CPMM's mean.

Calibration target V5 is a best case (the 5th percentile of the probe's transit days); the
table below gives that; cross-checks X1 and X9 (same probe) give the mean, against monthly averages.

"""


def _budget(kpis: pd.DataFrame, families: dict[str, str]) -> list[str]:
    """One markdown row per route: family, route, the parts, total, p50, p95."""
    out = []
    for (_, route), k in kpis.iterrows():
        parts = []
        for col in _PARTS.values():
            cols = (col,) if isinstance(col, str) else col
            parts.append(sum(float(k[c]) for c in cols))
        total, p50, p95 = k["transit_days_mean"], k["transit_days_p50"], k["transit_days_p95"]
        cells = " | ".join(f"{v:.1f}" for v in (*parts, total, p50, p95))
        out.append(f"| {families.get(str(route), '')} | {route} | {cells} |")
    return out


def _table(title: str, res: cr.Results, demand: str) -> str:
    kpis = res.kpis()
    kpis = kpis[kpis.index.get_level_values("demand") == demand]
    families = {str(m["route"]): str(m["family"]) for m in res.routes.values() if m["demand"] == demand}
    head = " | ".join(_PARTS)
    lines = [
        f"## {title}",
        "",
        f"| family | route | {head} | days mean | p50 | p95 |",
        "|---|---|" + "---:|" * (len(_PARTS) + 3),
        *_budget(kpis, families),
        "",
    ]
    return "\n".join(lines)


def _stops(res: cr.Results, demand: str) -> pd.DataFrame:
    """Mean hours per node of one route of ``demand``: border, dwell, handling, service wait, queue."""
    legs = res.legs[res.legs["demand"] == demand]
    first = legs["route"].astype(str).iloc[0]
    legs = legs[legs["route"] == first]
    legs = legs.assign(queue=legs["wait_queue_h"] + legs["wait_gate_h"], node=legs["from_node"].astype(str))
    cols = ["border_h", "dwell_h", "handling_h", "wait_service_h", "queue", "travel_h"]
    per_leg = legs.groupby(["leg", "node"], observed=True)[cols].mean().reset_index(level="leg", drop=True)
    ships = res.shipments[(res.shipments["demand"] == demand) & (res.shipments["route"] == first)]
    last = str(legs.loc[legs["leg"].idxmax(), "to_node"])
    end = pd.DataFrame(
        {"border_h": [ships["destination_border_h"].mean()], "dwell_h": [ships["destination_dwell_h"].mean()]},
        index=[last],
    )
    return pd.concat([per_leg, end]).fillna(0.0)


def _sources(nodes: list[str]) -> dict[str, str]:
    """Per node, the references of its node-time figures in geodata/sources.csv."""
    folder = bundled_dir("geodata")
    sources = pd.read_csv(folder / "sources.csv", dtype=str)
    refs = pd.read_csv(folder / "references.csv", dtype=str).set_index("ref")["citation"]
    times = sources[
        (sources["component"] == "node")
        & sources["id"].isin(nodes)
        & sources["attribute"].str.startswith(_NODE_TIMES)
        & ~sources["attribute"].str.endswith("_usd")
    ]
    out: dict[str, str] = {}
    for node, grp in times.groupby("id"):
        cited = [refs.get(r, r) for r in dict.fromkeys(grp["ref"].dropna())]
        out[str(node)] = "; ".join(str(c) for c in cited) or "assumption (see sources.csv)"
    return out


def _trip_section(res: cr.Results) -> str:
    stops = _stops(res, "trip")
    names = res.nodes["name"]
    cited = _sources(list(stops.index))
    total = res.kpis().loc["trip"].iloc[0]["transit_days_mean"]
    lines = [
        "## Xi'an → Constanța via Aktau, stop by stop",
        "",
        f'`corridor trip "Xi\'an" Constanța --via Aktau` on baseline-2025, its first route: '
        f"{total:.1f} days door to door (published: 31–34 days, official TITR guidance quoted by "
        "forwarders, navisgroup.com.ua, 27 Aug 2025). Hours are means at each node (the leg "
        "leaving it; the last row is the destination), moving is the leg that leaves it.",
        "",
        "| node | border h | dwell h | handling h | service wait h | queue h | moving h | sources of its times |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for node, row in stops.iterrows():
        cells = " | ".join(
            f"{row[c]:.1f}" for c in ("border_h", "dwell_h", "handling_h", "wait_service_h", "queue", "travel_h")
        )
        lines.append(f"| {names.get(node, node)} | {cells} | {cited.get(str(node), '–')} |")
    return "\n".join([*lines, ""])


_TIME_TARGETS = ("V3", "V5", "V6", "V7", "V11", "V21", "V22")


def _published_section(n: int) -> str:
    """Published door-to-door times (calibration targets and cross-checks) against the model."""
    chosen = [t for t in TARGETS if t.id in _TIME_TARGETS] + [c for c in CROSS_CHECKS if c.unit == "days"]
    table = calibration(targets=chosen, replications=n)
    lines = [
        "## Published door-to-door times and the model",
        "",
        "Calibration targets (`corridor calibration`, V…, asserted by `tests/validation/`) and",
        "cross-checks (X…, `corridor calibration --cross-checks`, other published figures the model",
        "was not built from; reported, not asserted; sources in [validation](validation.md#cross-checks)).",
        "Model: mean days over the delivered shipments of one FEU a week on the scenario of the",
        "figure's period, the scenario's own demand as background.",
        "",
        "| id | what | published | source | scenario | model, days |",
        "|---|---|---|---|---|---:|",
    ]
    for _, r in table.iterrows():
        lines.append(
            f"| {r['target']} | {r['what']} | {r['published']} | {r['source']} | {r['scenario']} "
            f"| {r['simulated']:.1f} |"
        )
    return "\n".join([*lines, ""])


def main() -> None:
    """Write the page."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replications", type=int, default=10)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "where-the-time-goes.md")
    args = parser.parse_args()
    n = args.replications
    competitors = cr.simulate(cr.load_scenario("competitors-2025"), replications=n)
    trip, _ = simulate_trip("Xi'an", "Constanța", via=["Aktau"], replications=n)
    text = _HEAD.format(n=n)
    text += _table("Xi'an → Belgrade, every route family (competitors-2025)", competitors, "xian-belgrade-competitors")
    text += "\n" + _table("Xi'an → Constanța via Aktau (baseline-2025)", trip, "trip")
    text += "\n" + _trip_section(trip)
    text += "\n" + _published_section(n)
    args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
