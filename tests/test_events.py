"""Risk events: probabilities, dependent events, closures and capacity cuts."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np

import corridor as cr
from corridor.engine.disruptions import draw_replication, prepare_disruptions
from corridor.engine.services import capacity_factor
from corridor.scenario import scenario_from_dict

START = date(2025, 1, 6)


def _scenario(events: list[dict[str, Any]], **extra: Any) -> cr.Scenario:
    demand = [
        {
            "id": "caspian",
            "origin": "Aktau",
            "destination": "Alat",
            "routes": ["caspian-feeder"],
            "per_week": 527.4,
            "teu": 2,
            "tonnes": 20,
            "arrivals": "poisson",
        }
    ]
    head = {"name": "events", "start": START, "release_days": 84, "horizon_days": 200, "seed": 5, "replications": 2}
    return scenario_from_dict({**head, **extra, "demand": demand, "events": events}, file="events.toml")


def _fixed(days: float) -> dict[str, Any]:
    return {"dist": "fixed", "value": days}


def test_capacity_factor_takes_the_deepest_cut_in_force() -> None:
    cuts = ((10.0, 20.0, 0.8), (15.0, 30.0, 0.5))
    assert capacity_factor(cuts, 5.0) == 1.0
    assert capacity_factor(cuts, 12.0) == 0.8
    assert capacity_factor(cuts, 16.0) == 0.5
    assert capacity_factor(cuts, 25.0) == 0.5
    assert capacity_factor(cuts, 30.0) == 1.0
    assert capacity_factor((), 1.0) == 1.0


def test_dependent_events_happen_only_after_their_cause_with_the_product_probability(net: cr.Network) -> None:
    sc = _scenario(
        [
            # listed effect first: the order in the file does not matter
            {"id": "queue", "after": "storm", "delay_days": 2, "probability": 0.4, "group": "caspian",
             "effect": "capacity", "factor": 0.5, "duration_days": _fixed(10)},
            {"id": "storm", "start": date(2025, 2, 1), "probability": 0.5, "group": "caspian",
             "duration_days": _fixed(3)},
        ]
    )  # fmt: skip
    cn = net.compile()
    plan = prepare_disruptions(sc, cn)
    assert [e.id for e in plan.events] == ["storm", "queue"]
    link = cn.link_index["sea-aktau-alat"]
    storm_start = sc.hours_since_start(date(2025, 2, 1))
    storms = cuts = 0
    n = 4000
    for seed in range(n):
        drawn = draw_replication(plan, len(cn.link_ids), np.random.default_rng(seed))
        closed, cut = drawn.closed[link], drawn.cuts[link]
        if closed:
            storms += 1
            assert closed == ((storm_start, storm_start + 72.0),)
        if cut:
            cuts += 1
            assert closed, "a dependent event happened without its cause"
            assert cut == ((storm_start + 48.0, storm_start + 48.0 + 240.0, 0.5),)
    # binomial: 3 standard deviations
    assert abs(storms / n - 0.5) < 3 * np.sqrt(0.25 / n)
    assert abs(cuts / n - 0.2) < 3 * np.sqrt(0.16 / n)


def test_a_capacity_cut_limits_every_departure_while_in_force_and_builds_a_queue() -> None:
    cut = {"id": "low-water", "start": date(2025, 2, 1), "group": "caspian", "effect": "capacity",
           "factor": 0.4, "duration_days": _fixed(28)}  # fmt: skip
    base = cr.simulate(_scenario([]))
    low = cr.simulate(_scenario([cut]))
    begin = 26 * 24.0
    end = begin + 28 * 24.0
    cn = cr.load_network().compile()
    caspian = {
        cn.service_ids[s] for s, g in zip(cn.link_service, cn.link_group, strict=True) if g == "caspian" and s >= 0
    }
    nominal = base.departures.groupby("service", observed=True)["capacity"].max()
    dep = low.departures
    dep = dep.assign(nominal=dep["service"].astype(str).map(nominal))
    hit = dep["service"].isin(caspian)
    during = dep[hit & (dep["depart_h"] >= begin) & (dep["depart_h"] < end)]
    outside = dep[~hit | (dep["depart_h"] < begin) | (dep["depart_h"] >= end)]
    assert set(during["service"].astype(str)) == caspian
    assert np.allclose(during["capacity"], 0.4 * during["nominal"])
    assert (during["load"] <= during["capacity"] + 1e-9).all()
    assert (during["load"] > 0.39 * during["nominal"]).any()  # the cut binds
    assert (outside["capacity"] == outside["nominal"]).all()
    assert (outside["load"] <= outside["nominal"] + 1e-9).all()
    # the feeders sail when full, so a mild cut only makes them sail sooner; with 60% of
    # their room gone for four weeks the fleet cannot carry the flow and boxes queue
    assert low.legs["wait_service_h"].mean() > base.legs["wait_service_h"].mean() * 2
    assert low.legs["wait_service_h"].max() > base.legs["wait_service_h"].max() * 3
    assert (low.shipments["status"] == "delivered").all()


def test_a_closing_event_holds_shipments_and_is_recorded_as_disrupted() -> None:
    shut = {"id": "port-shut", "start": date(2025, 2, 1), "links": ["sea-aktau-alat"], "duration_days": _fixed(5)}
    res = cr.simulate(_scenario([shut]))
    begin, end = 26 * 24.0, 31 * 24.0
    cn = cr.load_network().compile()
    feeder = cn.service_ids[cn.link_service[cn.link_index["sea-aktau-alat"]]]
    dep = res.departures
    feeder_out = dep[(dep["service"] == feeder) & (dep["side"] == 0)]
    assert len(feeder_out) > 10
    assert not ((feeder_out["depart_h"] > begin) & (feeder_out["depart_h"] < end)).any()
    assert res.legs["disrupted_h"].max() > 24.0
