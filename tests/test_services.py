"""Services: flights on their weekdays, feeders within capacity, sail-when-full rule."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

import corridor as cr
from tests._helpers import flow, write_scenario

BLOCK_H = 5 + 40 / 60


def _weekday(start: date, hours: float) -> int:
    return (start + timedelta(hours=float(hours))).weekday()


@pytest.mark.parametrize("start", ["2025-01-06", "2025-01-08"])
def test_flights_only_on_mondays_and_thursdays(tmp_path: Path, start: str) -> None:
    path = write_scenario(
        tmp_path,
        header={"start": start},
        demand=[flow(origin="Belgrade", destination="Astana", routes=["air"], per_week=5, tonnes=0.4)],
    )
    res = cr.simulate(path)
    day0 = date.fromisoformat(start)
    air = res.legs[res.legs["mode"] == "air"]
    assert len(air) > 0
    assert {_weekday(day0, h) for h in air["depart_h"]} <= {0, 3}
    assert np.allclose(air["arrive_h"] - air["depart_h"], BLOCK_H)
    flights = res.departures[res.departures["service"].isin(["scat-nqz-beg", "scat-beg-nqz"])]
    assert {_weekday(day0, h) for h in flights["depart_h"]} == {0, 3}
    assert (flights["load"] <= flights["capacity"]).all()


def test_feeder_never_carries_more_than_capacity(baseline: cr.Results) -> None:
    legs = baseline.legs
    ships = baseline.shipments.set_index(["replication", "shipment"])
    feeder = legs[legs["link"] == "sea-aktau-alat"].join(ships["teu"], on=["replication", "shipment"])
    carried = feeder.groupby(["replication", "depart_h"])["teu"].sum()
    deps = baseline.departures
    deps = deps[(deps["service"] == "caspian-feeder") & (deps["side"] == 0)]
    sailings = deps.groupby(["replication", "depart_h"]).agg(n=("load", "size"), load=("load", "sum"))
    capacity = float(deps["capacity"].iloc[0])
    assert (deps["load"] <= capacity).all()
    joined = sailings.join(carried, how="left").fillna(0.0)
    assert (joined["teu"] <= joined["n"] * capacity).all()
    assert np.allclose(joined["teu"], joined["load"])  # the log and the legs agree
    assert deps["load"].max() == pytest.approx(capacity, abs=2)  # busy feeders do fill up


def _feeder_only(tmp_path: Path, *, batch: int) -> cr.Results:
    path = write_scenario(
        tmp_path,
        header={"release_days": 1, "horizon_days": 30, "replications": 1},
        changes=[
            {"component": "service", "id": "caspian-feeder", "attribute": "vessels", "value": 1},
            {"component": "node", "id": "aktau", "attribute": "capacity_teu_day", "value": ""},  # no port gate
            *(  # the bundled clearance time is drawn: fix it, then
                {"component": "node", "id": "aktau", "attribute": f"border_{a}", "value": ""}
                for a in ("dist", "min_h", "mode_h", "max_h")
            ),
            {"component": "node", "id": "aktau", "attribute": "border_h", "value": 0.0},  # no Kazakh exit clearance
        ],
        demand=[flow(origin="Aktau", destination="Alat", routes=["caspian-feeder"], per_week=1, teu=1, batch=batch)],
    )
    return cr.simulate(path)


def test_feeder_sails_at_once_when_full(tmp_path: Path, net: cr.Network) -> None:
    capacity = int(net.services.at["caspian-feeder", "capacity"])
    res = _feeder_only(tmp_path, batch=capacity)
    assert np.allclose(res.legs["depart_h"], 0.0)
    assert np.allclose(res.legs["travel_h"], net.links.at["sea-aktau-alat", "travel_h"])


def test_feeder_sails_after_max_wait_when_not_full(tmp_path: Path, net: cr.Network) -> None:
    res = _feeder_only(tmp_path, batch=100)
    assert np.allclose(res.legs["depart_h"], net.services.at["caspian-feeder", "max_wait_h"])


def test_overflow_waits_for_the_next_sailing(tmp_path: Path, net: cr.Network) -> None:
    capacity = int(net.services.at["caspian-feeder", "capacity"])
    res = _feeder_only(tmp_path, batch=capacity + 10)
    departs = res.legs["depart_h"].to_numpy()
    assert (departs == 0.0).sum() == capacity
    later = departs[departs > 0]
    assert len(later) == 10
    svc = net.services.loc["caspian-feeder"]
    crossing = net.links.at["sea-aktau-alat", "travel_h"]
    # one vessel: out and back (two crossings, two port stays, a max-wait at Alat), then a max-wait at Aktau
    cycle = 2 * crossing + 2 * svc["port_time_h"] + svc["max_wait_h"]
    assert np.allclose(later, cycle + svc["max_wait_h"])
