"""The corridor's clock: borders at any node, dwell, liner cut-offs, exponential times, releases within the week."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import corridor as cr
from corridor.distributions import Dist, block_sampler, read_dist
from tests._helpers import TIME_PARTS, add_routes, flow, write_scenario

RAIL_ONLY = [{"id": "rail-only", "via": [], "modes": ["rail"]}]
MIDDLE = [{"id": "mc", "via": ["aktau", "alat"], "modes": ["rail", "sea"], "avoid": ["kuryk", "batumi"]}]


def _change(component: str, ident: str, attribute: str, value: Any) -> dict[str, Any]:
    return {"component": component, "id": ident, "attribute": attribute, "value": value}


def _fixed(node: str, prefix: str, hours: float) -> list[dict[str, Any]]:
    """Changes that replace a node's drawn time (the bundled data draws most of them) by a fixed one."""
    cleared = [_change("node", node, f"{prefix}_{a}", "") for a in ("dist", "min_h", "mode_h", "max_h", "samples_h")]
    return [*cleared, _change("node", node, f"{prefix}_h", hours)]


def _simulate(
    tmp_path: Path, *, demand: dict[str, Any], changes: list[dict[str, Any]], routes: list[Any]
) -> cr.Results:
    path = write_scenario(tmp_path, demand=[demand], changes=changes)
    return cr.simulate(add_routes(path, routes))


# -- exponential ------------------------------------------------------------------------


def test_exponential_takes_its_mean_from_the_fixed_time() -> None:
    dist, problems = read_dist(
        {"border_dist": "exponential", "border_h": 6.0}, prefix="border", fixed="border_h", where="x"
    )
    assert problems == []
    assert dist == Dist("exponential", 6.0)
    draws = block_sampler(dist, np.random.default_rng(3))
    values = np.array([draws() for _ in range(40_000)])
    assert values.mean() == pytest.approx(6.0, rel=0.02)
    assert values.std() == pytest.approx(6.0, rel=0.03)  # exponential: sd = mean
    _, problems = read_dist(
        {"border_dist": "exponential", "border_h": 0.0}, prefix="border", fixed="border_h", where="x"
    )
    assert "give border_h > 0" in problems[0]


def test_an_exponential_storm_duration_needs_its_mean(tmp_path: Path) -> None:
    text = write_scenario(tmp_path, demand=[flow()]).read_text(encoding="utf-8")
    bad = text + '\n[[storms]]\ngroup = "caspian"\nmonths = ["dec"]\nprobability_per_day = 0.1\n'
    bad += 'duration_days = { dist = "exponential", value = 2 }\n'
    path = tmp_path / "bad.toml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(cr.CorridorError, match="mean"):
        cr.load_scenario(path)


# -- borders at any node ----------------------------------------------------------------


def test_border_time_at_a_port_applies_where_the_shipment_leaves_the_country(tmp_path: Path) -> None:
    """Kazakh exit formalities at Aktau (a port), Azerbaijani entry at Alat: both recorded, both charged."""
    fixed = _fixed("aktau", "border", 10.0) + _fixed("alat", "border", 7.0) + _fixed("tbilisi", "border", 0.0)
    changes = [_change("node", "aktau", "border_usd", 100.0)]
    res = _simulate(
        tmp_path,
        demand=flow(origin="Almaty", destination="Tbilisi", routes=["mc"]),
        changes=fixed + changes,
        routes=MIDDLE,
    )
    legs = res.legs
    assert (legs.loc[legs["from_node"] == "aktau", "border_h"] == 10.0).all()
    assert (legs.loc[legs["from_node"] == "alat", "border_h"] == 7.0).all()
    assert (legs.loc[legs["from_node"] == "almaty", "border_h"] == 0.0).all()
    # the same trip, Aktau's charge removed: 100 USD per FEU less
    base = _simulate(
        tmp_path,
        demand=flow(origin="Almaty", destination="Tbilisi", routes=["mc"]),
        changes=[*fixed, _change("node", "aktau", "border_usd", 0.0)],
        routes=MIDDLE,
    )
    assert res.shipments["cost_usd"].mean() - base.shipments["cost_usd"].mean() == pytest.approx(100.0)


def test_border_time_at_the_destination_is_spent_after_the_last_leg(tmp_path: Path) -> None:
    changes = _fixed("alat", "border", 7.0) + _fixed("aktau", "border", 0.0) + _fixed("alat", "destination_dwell", 0.0)
    res = _simulate(
        tmp_path, demand=flow(origin="Almaty", destination="Alat", routes=["mc"]), changes=changes, routes=MIDDLE
    )
    ships = res.shipments[res.shipments["delivered"]]
    last = res.legs.groupby(["replication", "shipment"])["arrive_h"].max()
    delivery = ships.set_index(["replication", "shipment"])["delivery_h"]
    assert np.allclose(delivery - last.reindex(delivery.index), 7.0)
    assert (ships["destination_border_h"] == 7.0).all()
    assert res.kpis()["border_days"].iloc[0] == pytest.approx(7.0 / 24.0)


def test_a_border_time_no_shipment_can_spend_is_an_error(tmp_path: Path) -> None:
    # Chongqing's links all stay in China: a clearance time there would be ignored
    path = write_scenario(tmp_path, demand=[flow()], changes=[_change("node", "chongqing", "border_h", 5.0)])
    with pytest.raises(cr.CorridorError, match=r"chongqing: border_h: no shipment crosses a border here"):
        cr.simulate(path)
    path = write_scenario(tmp_path, demand=[flow()], changes=[_change("node", "suez", "border_h", 5.0)])
    with pytest.raises(cr.CorridorError, match=r"suez: border_h: .*waypoint"):
        cr.simulate(path)


# -- dwell ------------------------------------------------------------------------------


def test_yard_origin_and_destination_dwell_each_in_their_column(tmp_path: Path) -> None:
    changes = [
        *_fixed("aktau", "dwell", 30.0),  # rail -> feeder: yard dwell
        *_fixed("alat", "dwell", 0.0),
        _change("node", "almaty", "origin_dwell_h", 48.0),
        _change("node", "tbilisi", "destination_dwell_dist", "triangular"),
        _change("node", "tbilisi", "destination_dwell_min_h", 10.0),
        _change("node", "tbilisi", "destination_dwell_mode_h", 12.0),
        _change("node", "tbilisi", "destination_dwell_max_h", 20.0),
    ]
    res = _simulate(
        tmp_path, demand=flow(origin="Almaty", destination="Tbilisi", routes=["mc"]), changes=changes, routes=MIDDLE
    )
    legs = res.legs
    assert (legs.loc[legs["leg"] == 0, "dwell_h"] == 48.0).all()
    assert (legs.loc[legs["from_node"] == "aktau", "dwell_h"] == 30.0).all()
    assert (legs.loc[~legs["from_node"].isin(["aktau", "almaty"]), "dwell_h"] == 0.0).all()
    ships = res.shipments[res.shipments["delivered"]]
    dwell = ships["destination_dwell_h"]
    assert dwell.between(10.0, 20.0).all()
    assert dwell.std() > 0
    parts = legs[TIME_PARTS]
    assert np.allclose(parts.sum(axis=1), legs["arrive_h"] - legs["ready_h"])
    kpis = res.kpis().iloc[0]
    assert kpis["dwell_days"] == pytest.approx((48.0 + 30.0 + dwell.mean()) / 24.0)


def test_a_yard_dwell_where_nothing_changes_mode_is_an_error(tmp_path: Path) -> None:
    path = write_scenario(tmp_path, demand=[flow()], changes=[_change("node", "chongqing", "dwell_h", 5.0)])
    with pytest.raises(cr.CorridorError, match=r"chongqing: dwell_h: no shipment can change mode or service here"):
        cr.simulate(path)


def test_drawn_dwell_varies_and_keeps_its_mean(tmp_path: Path) -> None:
    changes = [_change("node", "aktau", "dwell_dist", "exponential"), _change("node", "aktau", "dwell_h", 40.0)]
    changes += [_change("node", "aktau", f"dwell_{a}_h", "") for a in ("min", "mode", "max")]  # the data's triangle
    demand = flow(origin="Almaty", destination="Tbilisi", routes=["mc"], per_week=150)
    res = _simulate(tmp_path, demand=demand, changes=changes, routes=MIDDLE)
    at = res.legs.loc[res.legs["from_node"] == "aktau", "dwell_h"]
    assert len(at) > 1000
    assert at.mean() == pytest.approx(40.0, rel=0.1)
    assert at.std() == pytest.approx(40.0, rel=0.15)


# -- liner cut-off ----------------------------------------------------------------------


def test_cargo_after_the_cutoff_waits_for_the_next_departure(tmp_path: Path) -> None:
    """The weekly NQZ -> BEG flight (Mon, Thu) with a 30-h cut-off: nothing boards within 30 h of departure."""
    demand = flow(origin="nqz", destination="beg", routes=["air"], teu=0, tonnes=0.1, per_week=6, arrivals="poisson")
    air = [{"id": "air", "via": [], "modes": ["air"]}]
    no_border = _fixed("nqz", "border", 0.0)  # the slack below is the wait for the flight alone
    cutoff = [*no_border, _change("service", "scat-nqz-beg", "cutoff_h", 30.0)]
    res = _simulate(tmp_path, demand=demand, changes=cutoff, routes=air)
    legs = res.legs[res.legs["mode"] == "air"]
    slack = legs["depart_h"] - legs["ready_h"]
    assert (slack >= 30.0 - 1e-9).all()
    assert (slack <= 30.0 + 96.0 + 1e-9).all()  # the next departure it reaches by the cut-off (Thu -> Mon: 96 h)
    free = _simulate(tmp_path, demand=demand, changes=no_border, routes=air).legs
    assert legs["wait_service_h"].mean() > free.loc[free["mode"] == "air", "wait_service_h"].mean() + 20.0


def test_a_cutoff_on_a_when_full_service_is_an_error(tmp_path: Path) -> None:
    path = write_scenario(tmp_path, demand=[flow()], changes=[_change("service", "caspian-feeder", "cutoff_h", 12.0)])
    with pytest.raises(cr.CorridorError, match="caspian-feeder: cutoff_h: a when_full service"):
        cr.simulate(path)


# -- releases ---------------------------------------------------------------------------


def test_releases_are_spread_within_the_week_by_default(tmp_path: Path) -> None:
    demand = flow(origin="Almaty", destination="Astana", routes=["rail-only"], per_week=2)
    del demand["arrivals"]
    path = write_scenario(tmp_path, demand=[demand], header={"release_days": 280, "horizon_days": 300})
    res = cr.simulate(add_routes(path, RAIL_ONLY))
    release = res.shipments.loc[res.shipments["replication"] == 0, "release_h"].to_numpy()
    slot = np.floor(release / 84.0)
    assert (np.diff(slot) == 1).all()  # exactly one release in each half week ...
    phase = release - 84.0 * slot
    assert phase.std() == pytest.approx(84.0 / np.sqrt(12), rel=0.2)  # ... at a uniform time within it


# -- M/M/1 ------------------------------------------------------------------------------


@pytest.mark.parametrize(("rho", "days", "seed"), [(0.5, 3000, 5), (0.8, 3000, 8)])
def test_exponential_service_on_a_capacity_one_link_waits_as_mm1(
    tmp_path: Path, rho: float, days: int, seed: int
) -> None:
    """Poisson releases at rate rho per hour, exponential travel of mean 1 h on one slot: Wq = rho / (1 - rho) h.

    M/M/1 (e.g. Kleinrock, Queueing Systems I, 1975, eq. 3.26); within 5 %.
    """
    link = "rail-almaty-astana"
    changes = [
        _change("link", link, "capacity", 1),
        _change("link", link, "time_dist", "exponential"),
        _change("link", link, "speed_kmh", ""),
        _change("link", link, "time_h", 1.0),
    ]
    demand = flow(origin="Almaty", destination="Astana", routes=["rail-only"], per_week=168 * rho, arrivals="poisson")
    header = {"release_days": days, "horizon_days": days + 10, "replications": 3, "seed": seed}
    path = write_scenario(tmp_path, demand=[demand], changes=changes, header=header)
    res = cr.simulate(add_routes(path, RAIL_ONLY))
    on = res.legs[res.legs["link"] == link]
    assert len(on) > 30_000
    assert on["travel_h"].mean() == pytest.approx(1.0, rel=0.02)
    assert on["wait_queue_h"].mean() == pytest.approx(rho / (1 - rho), rel=0.05)
    u = res.utilisation()
    assert u.loc[u["resource"] == link, "utilisation"].mean() == pytest.approx(rho, rel=0.03)


# -- the bundled competitors ------------------------------------------------------------


@pytest.fixture(scope="module")
def competitors() -> cr.Results:
    return cr.simulate(cr.load_scenario("competitors-2025"), replications=3)


#: Crossings with no formalities to model: internal borders of the EU (customs union and Schengen area) and of the
#: Union State of Russia and Belarus (no customs, no border control).
NO_FORMALITIES = {frozenset(pair) for pair in (("PL", "HU"), ("PL", "DE"), ("RU", "BY"))}


def test_every_border_crossing_of_competitors_records_border_time(competitors: cr.Results) -> None:
    """Walk the legs: wherever a shipment crosses a border (a link between two countries, or a border node), the
    exit formalities at one end and the entry at the other add up to a clearance time > 0 (the bundled data puts a
    crossing's time at the node that represents it, e.g. Dostyk/Alashankou for both sides). Air cargo clears inside
    the airport's handling time (handling_h), so the flight is left out; so are the borders in NO_FORMALITIES."""
    nodes = competitors.nodes
    country = nodes["country"]
    legs = competitors.legs.sort_values(["replication", "shipment", "leg"])
    keys = ["replication", "shipment"]
    ships = competitors.shipments.set_index(keys)
    entry = legs.groupby(keys)["border_h"].shift(-1)  # the next leg's clearance is spent at this leg's end node
    last = legs.groupby(keys)["leg"].transform("max") == legs["leg"]
    dest = ships["destination_border_h"].reindex(pd.MultiIndex.from_frame(legs[keys])).to_numpy()
    entry = entry.where(~last, dest)
    frm, to = legs["from_node"].astype(str), legs["to_node"].astype(str)
    pair = [frozenset((a, b)) for a, b in zip(frm.map(country), to.map(country), strict=True)]
    crossing = (frm.map(country) != to.map(country)) & (legs["mode"].astype(str) != "air")
    crossing &= ~pd.Series([p in NO_FORMALITIES for p in pair], index=legs.index)
    crossing &= (frm.map(nodes["kind"]) != "waypoint") | (to.map(nodes["kind"]) != "waypoint")
    total = legs["border_h"] + entry.fillna(0.0)
    missing = legs[crossing & (total <= 0)]
    assert missing.empty, f"no border time on {sorted(set(missing['link'].astype(str)))}"
    border_nodes = legs[frm.map(nodes["kind"]) == "border"]
    assert (border_nodes["border_h"] > 0).all()


def test_every_route_family_of_competitors_varies(competitors: cr.Results) -> None:
    kpis = competitors.kpis().reset_index()
    families = {key.split("|")[0]: meta["family"] for key, meta in competitors.routes.items()}
    kpis["family"] = kpis["route"].astype(str).map(families)
    spread = kpis.groupby("family")["buffer_days"].min()
    assert (spread > 0).all(), f"p95 - p50 = 0 for {list(spread[spread <= 0].index)}"
