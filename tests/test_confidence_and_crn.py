"""Confidence intervals on KPIs and deltas, common random numbers, parameter addresses."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import corridor as cr
from corridor.network import Network, load_network
from corridor.studies.addresses import Scale, evolve_scenario, parse_address
from tests._helpers import add_routes, flow, write_scenario

#: Student t quantiles t_{0.975, dof} (tables, e.g. NIST/SEMATECH e-Handbook, 1.3.6.7.2).
T_975 = {5: 2.570582, 9: 2.262157}


@pytest.fixture(scope="module")
def network() -> Network:
    return load_network()


@pytest.fixture(scope="module")
def ferry(tmp_path_factory: pytest.TempPathFactory) -> cr.Scenario:
    """Poisson releases Kuryk -> Tbilisi on the Ro-Pax ferry, whose crossing is triangular (20-22 h)."""
    path = write_scenario(
        tmp_path_factory.mktemp("crn"),
        header={"replications": 40, "release_days": 56},
        demand=[flow(origin="Kuryk", destination="Tbilisi", arrivals="poisson", per_week=10, routes=["ferry"])],
    )
    add_routes(path, [{"id": "ferry", "nodes": ["kuryk", "alat", "tbilisi"]}])
    return cr.load_scenario(path)


def test_kpi_intervals_are_t_times_s_over_root_n(ferry: cr.Scenario, network: Network) -> None:
    res = cr.simulate(ferry, replications=6, network=network)
    k = res.kpis()
    per = res.kpis_by_replication()
    key = (ferry.demand[0].id, "ferry")
    values = per.loc[key, "transit_days_p95"].to_numpy()
    assert len(values) == 6
    expected = T_975[5] * values.std(ddof=1) / np.sqrt(6)
    assert k.loc[key, "transit_days_p95_ci95"] == pytest.approx(expected)
    assert k.loc[key, "transit_days_p95_ci95"] > 0
    assert "shipments_ci95" not in k.columns  # a count, not an estimate
    assert res.kpis(level=0.9).loc[key, "transit_days_p95_ci90"] < k.loc[key, "transit_days_p95_ci95"]


def test_one_replication_has_no_interval(ferry: cr.Scenario, network: Network) -> None:
    k = cr.simulate(ferry, replications=1, network=network).kpis()
    assert k["transit_days_mean_ci95"].isna().all()


def test_bad_level_is_an_error(ferry: cr.Scenario, network: Network) -> None:
    res = cr.simulate(ferry, replications=2, network=network)
    with pytest.raises(cr.ScenarioError, match="strictly between 0 and 1"):
        res.kpis(level=95)


def test_common_random_numbers_shrink_the_variance_of_a_delta(ferry: cr.Scenario, network: Network) -> None:
    # a small change: the ferry crossing's longest time 22 -> 23 h (both directions)
    variant = evolve_scenario(ferry, {"links[ferry-kuryk-alat].time_max_h": 23.0}, network=network, name="longer")
    base = cr.simulate(ferry, network=network).kpis_by_replication()["transit_days_mean"].to_numpy()
    common = cr.simulate(variant, network=network).kpis_by_replication()["transit_days_mean"].to_numpy()
    apart = cr.simulate(variant, network=network, seed=ferry.seed + 1).kpis_by_replication()
    independent = apart["transit_days_mean"].to_numpy()
    assert len(base) == len(common) == len(independent) == 40
    var_crn = np.var(common - base, ddof=1)
    var_ind = np.var(independent - base, ddof=1)
    assert var_crn <= 0.25 * var_ind, (var_crn, var_ind)


def test_compare_gives_paired_delta_intervals(ferry: cr.Scenario, network: Network) -> None:
    variant = evolve_scenario(ferry, {"links[ferry-kuryk-alat].time_max_h": 23.0}, network=network, name="longer")
    a = cr.simulate(ferry, replications=10, network=network)
    b = cr.simulate(variant, replications=10, network=network)
    frame = cr.compare([a, b], reference=ferry.name)
    row = frame.loc[("longer", ferry.demand[0].id, "ferry")]
    diffs = (
        b.kpis_by_replication()["transit_days_mean"].to_numpy()
        - a.kpis_by_replication()["transit_days_mean"].to_numpy()
    )
    key = (ferry.demand[0].id, "ferry")
    pooled = b.kpis().loc[key, "transit_days_mean"] - a.kpis().loc[key, "transit_days_mean"]
    assert row["delta_transit_days_mean"] == pytest.approx(pooled)
    assert row["delta_transit_days_mean_ci95"] == pytest.approx(T_975[9] * diffs.std(ddof=1) / np.sqrt(10))
    unpaired = np.hypot(
        row["transit_days_mean_ci95"], frame.loc[(ferry.name, ferry.demand[0].id, "ferry")]["transit_days_mean_ci95"]
    )
    assert row["delta_transit_days_mean_ci95"] < unpaired
    assert (frame.xs(ferry.name, level="scenario")["delta_transit_days_mean_ci95"] == 0).all()


# ------------------------------------------------------------------ parameter addresses


def test_a_link_address_changes_both_directions(ferry: cr.Scenario, network: Network) -> None:
    before = len(ferry.changes)  # the test scenario's own changes come first
    sc = evolve_scenario(ferry, {"links[sea-aktau-alat].time_h": 18.0}, network=network)
    assert [(c.id, c.value) for c in sc.changes[before:]] == [("sea-aktau-alat", 18.0), ("sea-alat-aktau", 18.0)]
    one = evolve_scenario(ferry, {parse_address("links[sea-aktau-alat].time_h", one_way=True): 18.0}, network=network)
    assert [c.id for c in one.changes[before:]] == ["sea-aktau-alat"]


def test_a_group_address_selects_every_link_of_the_group(ferry: cr.Scenario, network: Network) -> None:
    before = len(ferry.changes)  # the test scenario's own changes come first
    sc = evolve_scenario(ferry, {"links[group=caspian].tariff_usd_feu": Scale(0.8)}, network=network)
    caspian = network.links.index[network.links["group"] == "caspian"]
    assert len(caspian) >= 2
    assert sorted(c.id for c in sc.changes[before:]) == sorted(caspian)
    assert all(c.factor == 0.8 for c in sc.changes[before:])


def test_demand_addresses_set_and_scale_flows(ferry: cr.Scenario, network: Network) -> None:
    sc = evolve_scenario(ferry, {"demand[*].per_week": Scale(2.0)}, network=network)
    assert sc.demand[0].per_week == 20
    sc = evolve_scenario(ferry, {f"demand[{ferry.demand[0].id}].tonnes": 12.5}, network=network)
    assert sc.demand[0].tonnes == 12.5
    assert ferry.demand[0].tonnes == 20  # the original is not modified


@pytest.fixture(scope="module")
def baseline() -> cr.Model:
    return cr.Model.load("baseline-2025")


def test_a_family_address_selects_what_the_familys_routes_use(baseline: cr.Model) -> None:
    sc, net = baseline.scenario, baseline.base
    plan = baseline.plan()
    cn = plan.net
    family = [r for r in plan.routes if r.family == "middle-black-sea"]
    others = [r for r in plan.routes if r.family != "middle-black-sea"]
    assert family
    assert others
    used = {cn.link_ids[leg.link] for r in family for leg in r.legs}
    before = len(sc.changes)
    links = evolve_scenario(sc, {"links[family=middle-black-sea].tariff_usd_feu": Scale(0.8)}, network=net)
    assert {c.id for c in links.changes[before:]} == used
    assert len(links.changes) - before == len(used)  # each link once
    # a link only another family uses (the flight) is left alone
    assert {cn.link_ids[leg.link] for r in others for leg in r.legs} - used
    nodes = evolve_scenario(sc, {"nodes[family=middle-black-sea].handling_h": 1.0}, network=net)
    assert {c.id for c in nodes.changes[before:]} == {n for r in family for n in r.nodes}
    services = evolve_scenario(sc, {"services[family=middle-black-sea].vessels": Scale(2.0)}, network=net)
    assert {c.id for c in services.changes[before:]} == {
        cn.services[leg.service].id for r in family for leg in r.legs if leg.service >= 0
    }
    one = evolve_scenario(sc, {"links[route=middle-poti].time_h": Scale(0.5)}, network=net)
    poti = {cn.link_ids[leg.link] for r in plan.routes if r.id == "middle-poti" for leg in r.legs}
    assert {c.id for c in one.changes[before:]} == poti


def test_a_family_address_reaches_the_family_and_only_links_it_uses(baseline: cr.Model) -> None:
    # halve the tariffs of the Caspian-feeder family: its route's freight halves; the flight's does not move
    cheaper = baseline.evolve({"links[family=caspian].tariff_usd_feu": {"factor": 0.5}})
    before = {(r.id, r.demand): r for r in baseline.plan().routes}
    after = {(r.id, r.demand): r for r in cheaper.plan().routes}
    for key, r in before.items():
        freight0, freight1 = sum(r.leg_freight_usd), sum(after[key].leg_freight_usd)
        if r.family == "caspian":
            assert freight1 == pytest.approx(freight0 / 2)
        elif r.family == "air":
            assert freight1 == freight0


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("links.time_h", "not a parameter address"),
        ("lnks[x].time_h", "unknown table 'lnks' in 'lnks\\[x\\].time_h'; did you mean 'links'"),
        ("links[sea-aktau-alat].tme_h", "no changeable attribute 'tme_h'; did you mean 'time_h'"),
        ("links[sea-aktau-alat].from", "no changeable attribute 'from'"),
        ("links[sea-aktau-alt].time_h", "unknown link id 'sea-aktau-alt'; did you mean 'sea-aktau-alat'"),
        ("links[group=caspain].time_h", "no link has group 'caspain'; did you mean 'caspian'"),
        ("nodes[colour=red].border_h", "nodes have no column 'colour'"),
        ("demand[nope].per_week", "the scenario has no demand flow 'nope'"),
        ("demand[*].speed", "demand has no changeable number 'speed'"),
        ("links[family=middle-blacksea].time_h", "no route of the scenario has family 'middle-blacksea'"),
        ("nodes[route=no-such-route].border_h", "no route of the scenario has route 'no-such-route'"),
    ],
)
def test_bad_addresses_name_file_field_and_fix(
    ferry: cr.Scenario, network: Network, address: str, message: str
) -> None:
    with pytest.raises(cr.ScenarioError, match=message) as err:
        evolve_scenario(ferry, {address: 1.0}, network=network, file="study.toml", fields={address: "parameters[0]"})
    assert str(err.value).startswith("study.toml: parameters[0]: ")


def test_a_setting_that_breaks_the_scenario_says_so(ferry: cr.Scenario, network: Network) -> None:
    with pytest.raises(cr.ScenarioError, match=r"invalid scenario \(demand\[0\]\.per_week"):
        evolve_scenario(ferry, {"demand[*].per_week": -1.0}, network=network, file="study.toml")


def test_frames_are_tidy(ferry: cr.Scenario, network: Network) -> None:
    per = cr.simulate(ferry, replications=3, network=network).kpis_by_replication()
    assert list(per.index.names) == ["demand", "route", "replication"]
    assert per.index.get_level_values("replication").tolist() == [0, 1, 2]
    assert isinstance(per, pd.DataFrame)
