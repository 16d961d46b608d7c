"""Any origin to any destination: the grid of issue 15, and static estimates against the simulation."""

from __future__ import annotations

import time
from typing import Any

import pytest

import corridor as cr
from corridor.plan import fill_hours
from corridor.routes import DETOUR_RATIO, estimate, find_routes, resolve_route, route_table
from corridor.scenario import load_scenario, scenario_from_dict

ORIGINS = ["Xi'an", "Chongqing", "Urumqi", "Almaty", "Astana", "Aktau", "Tashkent"]
DESTINATIONS = [
    "Poti",
    "Constanța",
    "Istanbul",
    "Belgrade",
    "Budapest",
    "Duisburg",
    "Małaszewicze",
    "Piraeus",
    "Sarajevo",
]


def test_grid_every_pair_has_routes_the_best_of_each_family_and_nothing_dominated(net: cr.Network) -> None:
    slowest = 0.0
    for origin in ORIGINS:
        for destination in DESTINATIONS:
            start = time.process_time()
            routes = find_routes(net, origin, destination)
            slowest = max(slowest, time.process_time() - start)
            pair = f"{origin} -> {destination}"
            assert routes, pair
            assert all(len(set(r.nodes)) == len(r.nodes) for r in routes), pair
            table = route_table(net, routes).set_index("route")
            every = route_table(net, find_routes(net, origin, destination, prune=False))
            # the best (fastest) route of each family that can serve the pair is listed
            for fam, rows in every.groupby("family"):
                assert fam in set(table["family"]), (pair, fam)
                assert table[table["family"] == fam]["days"].min() == pytest.approx(rows["days"].min()), (pair, fam)
            for fam, rows in table.groupby("family"):
                days, usd = rows["days"].to_numpy(), rows["cost_usd_feu"].to_numpy()
                for i in range(len(rows)):
                    beaten = (days <= days[i]) & (usd <= usd[i]) & ((days < days[i]) | (usd < usd[i]))
                    assert not beaten.any(), (pair, fam, rows.index[i])
            fastest, cheapest = table["days"].min(), table["cost_usd_feu"].min()
            best = table.groupby("family")["days"].transform("min")
            detours = table[
                (table["days"] > best)
                & (table["days"] > DETOUR_RATIO * fastest)
                & (table["cost_usd_feu"] > DETOUR_RATIO * cheapest)
            ]
            assert detours.empty, (pair, list(detours.index))
    # issue 15 asks <= 1.5 s CPU per `corridor routes O D` (imports and loading included, see README);
    # the engine's own share stays well under it
    assert slowest < 0.75


def _templates_serving(net: cr.Network, origin: str, destination: str) -> list[str]:
    return [rid for rid, tpl in net.routes.items() if resolve_route(net, tpl, origin, destination) is not None]


@pytest.mark.parametrize(
    ("origin", "destination", "tonnes"),
    [("xian", "belgrade", 20.0), ("aktau", "alat", 20.0), ("astana", "belgrade", 0.5)],
)
def test_static_estimate_of_each_bundled_route_is_within_15_percent_of_the_simulated_mean(
    net: cr.Network, origin: str, destination: str, tonnes: float
) -> None:
    """Consignments at random times (Poisson, two a week) over the baseline's traffic, on every serving template.

    The estimate is an expectation over the time of release, so releases come at random
    times (a weekly release would meet a weekly liner at the same hour every week).

    Tolerance 15 % (issue 15): the static estimate has no queues, closures or variability;
    when-full vessels fill with the scenario's traffic (:func:`corridor.plan.fill_hours`).
    """
    base = load_scenario("baseline-2025")
    data: dict[str, Any] = base.model_dump(exclude={"file"})
    rids = _templates_serving(net, origin, destination)
    data["demand"] = [
        *data["demand"],
        {
            "id": "trip",
            "origin": origin,
            "destination": destination,
            "routes": rids,
            "per_week": 2.0,
            "arrivals": "poisson",
            "teu": 2.0,
            "tonnes": tonnes,
        },
    ]
    sc = scenario_from_dict(data, file=base.file)
    res = cr.simulate(sc, replications=2)
    kpis = res.kpis().xs("trip", level="demand")
    plan = cr.Model.load(sc).plan()
    fill = fill_hours(plan)
    trip = next(i for i, d in enumerate(plan.demands) if d.id == "trip")
    checked = 0
    for rp in plan.routes:
        if rp.demand != trip:
            continue
        static = estimate(plan.net, [leg.link for leg in rp.legs], fill_h=fill).hours / 24.0
        simulated = float(kpis.loc[rp.id, "transit_days_mean"])
        assert static == pytest.approx(simulated, rel=0.15), (rp.id, static, simulated)
        checked += 1
    assert checked == len(rids) >= 1
