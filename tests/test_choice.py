"""Route choice at release (fastest, cheapest, generalised cost) and re-routing at closed legs."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pytest

import corridor as cr
from corridor.engine.choice import known_hold_h
from corridor.plan import FASTEST
from corridor.scenario import scenario_from_dict

START = date(2025, 1, 6)
#: Tbilisi -> Akhalkalaki (BTK line) closed from day 10 to day 27.
BTK_CLOSED = {"id": "btk", "links": ["rail-tbilisi-akhalkalaki"], "start": date(2025, 1, 16), "end": date(2025, 2, 2)}


def _scenario(demand: list[dict[str, Any]], **extra: Any) -> cr.Scenario:
    head = {"name": "choice", "start": START, "release_days": 42, "horizon_days": 150, "seed": 11, "replications": 2}
    return scenario_from_dict({**head, **extra, "demand": demand}, file="choice.toml")


def _flow(**overrides: Any) -> dict[str, Any]:
    base = {
        "id": "f",
        "origin": "Aktau",
        "destination": "Belgrade",
        "routes": ["middle-poti", "middle-turkiye"],
        "per_week": 7,
        "teu": 2,
        "tonnes": 20,
    }
    return {**base, **overrides}


def _static(plan: Any, route_id: str) -> tuple[float, float]:
    route = next(r for r in plan.routes if r.id == route_id)
    return sum(route.leg_est_h), sum(route.leg_usd)


def test_known_hold_counts_only_closures_in_force() -> None:
    windows = ((10.0, 20.0), (30.0, 40.0))
    assert known_hold_h(windows, 12.0, 11.0) == 8.0  # in force, met at 12 h
    assert known_hold_h(windows, 25.0, 11.0) == 0.0  # met after it ends
    assert known_hold_h(windows, 32.0, 11.0) == 0.0  # a later closure is not foreseen
    assert known_hold_h(windows, 32.0, 31.0) == 8.0
    assert known_hold_h((), 5.0, 5.0) == 0.0


def test_fastest_and_cheapest_pick_the_route_the_estimates_favour() -> None:
    sc = _scenario([_flow(split="fastest")])
    plan = cr.Model.load(sc).plan()
    (poti_h, poti_usd), (btk_h, btk_usd) = _static(plan, "middle-poti"), _static(plan, "middle-turkiye")
    assert btk_h < poti_h
    assert btk_usd < poti_usd
    for split in ("fastest", "cheapest"):
        ships = cr.simulate(_scenario([_flow(split=split)])).shipments
        assert set(ships["route"].astype(str)) == {"middle-turkiye"}
        # one route per release, not every route
        assert len(ships) == len(cr.simulate(_scenario([_flow(split="parallel")])).shipments) // 2


def test_generalised_cost_trades_money_for_time_at_the_value_of_time() -> None:
    # medicines Belgrade -> Astana: the flight is faster and dearer than rail
    flow = _flow(
        origin="Belgrade", destination="Astana", routes=["air", "middle-poti"], teu=1, tonnes=1.354, per_week=2
    )
    plan = cr.Model.load(_scenario([_flow(**flow, split="fastest")])).plan()
    (air_h, air_usd), (rail_h, rail_usd) = _static(plan, "air"), _static(plan, "middle-poti")
    assert air_h < rail_h
    assert air_usd > rail_usd
    breakeven_usd_day = (air_usd - rail_usd) / (rail_h - air_h) * 24.0
    chosen = {}
    for factor in (0.5, 2.0):
        sc = _scenario([_flow(**flow, split="generalised", value_of_time_usd_day=factor * breakeven_usd_day)])
        chosen[factor] = set(cr.simulate(sc).shipments["route"].astype(str))
    assert chosen == {0.5: {"middle-poti"}, 2.0: {"air"}}


def test_a_closure_in_force_at_release_sends_releases_the_other_way() -> None:
    sc = _scenario([_flow(split="fastest")], closures=[BTK_CLOSED])
    ships = cr.simulate(sc).shipments
    day = ships["release_h"] / 24.0
    route = ships["route"].astype(str)
    assert set(route[day < 10]) == {"middle-turkiye"}  # before the closure: the fast route
    # closed for 16+ more days: the longer way by Poti (about 9 days longer on the sourced dwell, cut-offs and
    # feeders) beats the wait at Tbilisi for the first releases of the closure only
    assert set(route[(day >= 10) & (day < 11.5)]) == {"middle-poti"}
    assert set(route[day >= 27]) == {"middle-turkiye"}  # reopened
    # shipments released before the closure could not foresee it and wait at Tbilisi up to its end;
    # those released while it was in force wait less than the detour by Poti would take (its static estimate)
    plan = cr.Model.load(sc).plan()
    detour_h = _static(plan, "middle-poti")[0] - _static(plan, "middle-turkiye")[0]
    legs = cr.simulate(sc).legs
    released = legs.groupby(["replication", "shipment"])["ready_h"].transform("min") / 24.0
    assert legs.loc[released < 10, "disrupted_h"].max() > 24.0 * 12
    assert legs.loc[released >= 10, "disrupted_h"].max() < detour_h


def test_required_value_of_time_and_two_routes_are_checked() -> None:
    with pytest.raises(cr.ScenarioError, match="value_of_time_usd_day"):
        _scenario([_flow(split="generalised")])
    with pytest.raises(cr.ScenarioError, match="reroute"):
        _scenario([_flow(routes=["middle-poti"], reroute=True)])


def _reroute_run(*, reroute: bool, workers: int = 1) -> cr.Results:
    flow = _flow(split={"middle-turkiye": 1.0, "middle-poti": 0.0}, reroute=reroute)
    return cr.simulate(_scenario([flow], closures=[BTK_CLOSED]), workers=workers)


def test_reroute_switches_at_the_closed_leg_and_keeps_the_legs_done() -> None:
    stay, move = _reroute_run(reroute=False), _reroute_run(reroute=True)
    # without re-routing, shipments wait at Tbilisi for the reopening
    assert stay.legs["disrupted_h"].max() > 24.0 * 5
    ships = move.shipments
    switched = ships[ships["route"].astype(str) == "middle-turkiye>middle-poti@tbilisi"]
    assert len(switched) > 0
    assert (ships["status"] == "delivered").all()
    legs = move.legs.merge(switched[["replication", "shipment"]], on=["replication", "shipment"])
    for _, one in legs.groupby(["replication", "shipment"]):
        nodes = [*list(one["from_node"].astype(str)), str(one["to_node"].iloc[-1])]
        assert nodes == ["aktau", "alat", "tbilisi", "poti", "constanta", *nodes[5:]]
        assert nodes[-1] == "belgrade"
        # contiguous in time, the legs before the switch as simulated on the first route
        assert np.allclose(one["ready_h"].to_numpy()[1:], one["arrive_h"].to_numpy()[:-1])
    assert legs["disrupted_h"].sum() == 0.0
    # the same shipments, released at the same times, were slower on the whole when they
    # waited (a switch is decided on expected times, so not every one pays off)
    key = ["replication", "shipment"]
    both = switched[[*key, "transit_days"]].merge(stay.shipments[[*key, "transit_days"]], on=key)
    assert both["transit_days_x"].mean() < both["transit_days_y"].mean() - 2.0
    assert (both["transit_days_x"] < both["transit_days_y"]).mean() > 0.5


def test_reroute_takes_the_switch_only_while_it_pays() -> None:
    res = _reroute_run(reroute=True)
    legs = res.legs
    at_tbilisi = legs[(legs["from_node"] == "tbilisi")]
    closed_until = 27 * 24.0
    remaining = closed_until - at_tbilisi["ready_h"]
    switched = at_tbilisi["route"].astype(str).str.contains(">")
    during = (at_tbilisi["ready_h"] >= 10 * 24.0) & (remaining > 0)
    assert switched[during].any()
    # near the reopening, waiting beats the longer way round: those that stayed met a
    # shorter rest of the closure than any that switched
    stayed = during & ~switched
    assert stayed.any()
    assert remaining[stayed].max() < remaining[switched].min()
    assert not switched[~during].any()


def test_reroute_results_do_not_depend_on_workers() -> None:
    one, two = _reroute_run(reroute=True, workers=1), _reroute_run(reroute=True, workers=2)
    pd.testing.assert_frame_equal(one.legs, two.legs)
    pd.testing.assert_frame_equal(one.shipments, two.shipments)


def test_reroutes_are_prepared_only_where_a_link_can_close() -> None:
    flow = _flow(split={"middle-turkiye": 1.0, "middle-poti": 0.0}, reroute=True)
    plan = cr.Model.load(_scenario([flow], closures=[BTK_CLOSED])).plan()
    turkiye = next(r for r in plan.routes if r.id == "middle-turkiye")
    where = [plan.routes[turkiye.switch[p][0]].id for p in range(len(turkiye.legs)) if turkiye.switch[p]]
    assert where == ["middle-turkiye>middle-poti@tbilisi"]
    assert plan.demands[0].choice != FASTEST  # shares: re-routing uses the fastest rule
    assert len(cr.Model.load(_scenario([flow])).plan().routes) == 2  # nothing can close: no re-routes


def test_expected_hours_count_backlogs_at_services_and_gates() -> None:
    import simpy

    from corridor.engine.choice import Chooser
    from corridor.engine.replication import _build_services  # the replication's own services
    from corridor.engine.services import DepartureLog, Gate
    from corridor.engine.streams import Streams

    plan = cr.Model.load(_scenario([_flow(split="fastest")])).plan()
    cn = plan.net
    env = simpy.Environment()
    closed = [()] * len(cn.link_ids)
    streams = Streams(np.random.SeedSequence(1))
    services = _build_services(env, plan, streams, DepartureLog(), closed, [()] * len(cn.link_ids))
    aktau = cn.node_index["aktau"]
    gates = {aktau: Gate()}
    chooser = Chooser(plan, services=services, slots={}, closed=closed, gates=gates)
    btk = next(i for i, r in enumerate(plan.routes) if r.id == "middle-turkiye")
    idle, _ = chooser.remaining(btk, 0, 0.0)
    assert idle == pytest.approx(sum(plan.routes[btk].leg_est_h))
    gates[aktau].free_at = 30.0  # the gate is taken for 30 more hours
    assert chooser.remaining(btk, 0, 0.0)[0] == pytest.approx(idle + 30.0)
    feeder = plan.routes[btk].legs[0].service
    services[feeder].board(0, 225.0 * 3)  # three sailings' worth of boxes queued at Aktau
    assert chooser.remaining(btk, 0, 0.0)[0] > idle + 30.0


def test_the_value_of_time_example_flies_more_as_time_gets_dearer() -> None:
    import runpy
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "examples" / "medicines_value_of_time.py"
    table = runpy.run_path(str(script))["sweep"]((0.0, 50.0, 100.0, 1000.0), replications=1)
    share = table["air_share"].to_numpy()
    assert share[0] == 0.0
    assert share[-1] == 1.0
    assert (np.diff(share) >= 0).all()
    assert table["transit_days_mean"].iloc[-1] < table["transit_days_mean"].iloc[0]
    assert table["cost_usd_mean"].iloc[-1] > table["cost_usd_mean"].iloc[0]
