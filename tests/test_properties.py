"""Property tests: invariants that hold for any scenario within bounds, and a loader fuzz test."""

from __future__ import annotations

import math
import string
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import corridor as cr
from tests._helpers import TIME_PARTS, scenario_text

# (origin, destination, routes, air?) triples the bundled network serves
PAIRS = [
    ("Aktau", "Belgrade", ["middle-poti", "middle-batumi"], False),
    ("Xi'an", "Belgrade", ["middle-poti", "middle-kuryk-ferry"], False),
    ("Belgrade", "Astana", ["air", "middle-poti"], True),
    ("Astana", "Belgrade", ["air"], True),
    ("Aktau", "Alat", ["caspian-feeder"], False),
    ("Almaty", "Belgrade", ["middle-poti", "middle-kuryk-ferry"], False),
]
SETTINGS = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=True,
)


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    flows = []
    for i in range(draw(st.integers(1, 3))):
        origin, dest, routes, air = draw(st.sampled_from(PAIRS))
        chosen = draw(st.lists(st.sampled_from(routes), min_size=1, max_size=len(routes), unique=True))
        flows.append(
            {
                "id": f"f{i}",
                "origin": origin,
                "destination": dest,
                "routes": chosen,
                "per_week": draw(st.floats(0.5, 15)),
                "batch": draw(st.integers(1, 30)),
                "teu": draw(st.sampled_from([1, 2])),
                "tonnes": draw(st.floats(0.05, 1.9)) if air else draw(st.floats(1, 30)),
                "arrivals": draw(st.sampled_from(["regular", "poisson"])),
            }
        )
    release = draw(st.integers(3, 28))
    changes = []
    if draw(st.booleans()):
        changes.append(
            {"component": "service", "id": "caspian-feeder", "attribute": "vessels", "value": draw(st.integers(1, 10))}
        )
    if draw(st.booleans()):
        changes.append(
            {
                "component": "service",
                "id": "caspian-feeder",
                "attribute": "max_wait_h",
                "value": draw(st.floats(0, 150)),
            }
        )
    if draw(st.booleans()):  # a busy gate at Aktau (the data has 383.56 TEU/day)
        changes.append(
            {"component": "node", "id": "aktau", "attribute": "capacity_teu_day", "value": draw(st.floats(10, 400))}
        )
    storms = []
    if draw(st.booleans()):
        storms.append(
            {
                "group": draw(st.sampled_from(["caspian", "black-sea"])),
                "daily_probability": {m: draw(st.floats(0, 0.3)) for m in ("jan", "feb", "mar", "jun", "oct", "dec")},
                "duration_days": {
                    "dist": "empirical",
                    "values": draw(st.lists(st.floats(0.1, 6), min_size=1, max_size=4)),
                },
            }
        )
    return {
        "storms": storms,
        "header": {
            "start": (date(2025, 1, 1) + timedelta(days=draw(st.integers(0, 364)))).isoformat(),
            "release_days": release,
            "horizon_days": release + draw(st.integers(0, 60)),
            "seed": draw(st.integers(0, 2**32)),
            "replications": draw(st.integers(1, 2)),
        },
        "demand": flows,
        "changes": changes,
    }


def _simulate(tmp_path: Path, spec: dict[str, Any], **kwargs: Any) -> cr.Results:
    path = tmp_path / "prop.toml"
    body = {k: v for k, v in spec.items() if k != "storms"}
    text = scenario_text(**body)
    for storm in spec.get("storms", []):
        text += "\n[[storms]]\n" + "".join(f"{k} = {_toml(v)}\n" for k, v in storm.items())
    path.write_text(text, encoding="utf-8")
    return cr.simulate(path, **kwargs)


@SETTINGS
@given(spec=scenarios())
def test_invariants_hold_for_any_scenario(tmp_path: Path, net: cr.Network, spec: dict[str, Any]) -> None:
    res = _simulate(tmp_path, spec)
    legs, ships = res.legs, res.shipments
    horizon = spec["header"]["horizon_days"] * 24.0

    # conservation: every released shipment is delivered or in transit, and its legs add up
    assert set(ships["status"]) <= {"delivered", "in_transit"}
    assert (ships["delivered"] == (ships["legs_done"] == ships["legs_total"])).all()
    assert len(legs) == ships["legs_done"].sum()
    assert (ships.loc[ships["delivered"], "delivery_h"] <= horizon + 1e-9).all()
    assert ships.loc[~ships["delivered"], "delivery_h"].isna().all()

    # per shipment, times are monotone and legs contiguous
    assert (legs["ready_h"] <= legs["depart_h"] + 1e-9).all()
    assert (legs["depart_h"] <= legs["arrive_h"] + 1e-9).all()
    nxt = legs.groupby(["replication", "shipment"], observed=True)["ready_h"].shift(-1)
    assert np.allclose(legs["arrive_h"][nxt.notna()], nxt[nxt.notna()])
    assert (legs.groupby(["replication", "shipment"], observed=True)["leg"].diff().dropna() == 1).all()

    parts = legs[TIME_PARTS]
    assert (parts >= -1e-9).all().all()
    assert np.allclose(parts.sum(axis=1), legs["arrive_h"] - legs["ready_h"])

    # cost and CO2 are non-negative and additive over legs
    assert (legs["cost_usd"] >= 0).all()
    assert (legs["co2_kg"] >= 0).all()
    sums = legs.groupby(["replication", "shipment"], observed=True)[["cost_usd", "co2_kg"]].sum()
    keyed = ships.set_index(["replication", "shipment"])
    assert np.allclose(keyed.loc[sums.index, "cost_usd"], sums["cost_usd"])
    assert np.allclose(keyed.loc[sums.index, "co2_kg"], sums["co2_kg"])

    # occupancy: no departure carries more than its capacity, reconstructed from the legs
    deps = res.departures
    assert (deps["load"] <= deps["capacity"] + 1e-9).all()
    service_of = net.links["service"].fillna("")
    boarded = legs.assign(service=legs["link"].astype(str).map(service_of))
    boarded = boarded[boarded["service"] != ""].join(keyed[["teu", "tonnes"]], on=["replication", "shipment"])
    by_mass = boarded["service"].map(net.services["capacity_unit"]) == "kg"
    boarded = boarded.assign(amount=np.where(by_mass, boarded["tonnes"] * 1000.0, boarded["teu"]))
    carried = boarded.groupby(["replication", "service", "depart_h"])["amount"].sum()
    offered = (
        deps.assign(service=deps["service"].astype(str), landed=deps["depart_h"] + deps["travel_h"] < horizon)
        .groupby(["replication", "service", "depart_h"])
        .agg(capacity=("capacity", "sum"), load=("load", "sum"), landed=("landed", "all"))
    )
    joined = offered.join(carried, how="outer").fillna({"amount": 0.0})
    assert (joined["amount"] <= joined["capacity"] + 1e-9).all()
    assert (joined["amount"] <= joined["load"] + 1e-9).all()  # a leg is recorded when it arrives
    landed = joined[joined["landed"].astype(bool)]
    assert np.allclose(landed["amount"], landed["load"])  # everything that sailed and landed is in the legs

    # occupancy of every node gate, from the legs: one shipment at a time, first in first out
    gates = res.resources[res.resources["kind"] == "gate"]
    for node, info in gates.iterrows():
        at = legs[legs["from_node"] == node].join(keyed["teu"], on=["replication", "shipment"])
        at = at.assign(start=at["ready_h"] + at["wait_gate_h"])
        at = at.assign(end=at["start"] + 24.0 * at["teu"] / float(info["capacity"]))
        for _, one in at.sort_values(["replication", "start"]).groupby("replication"):
            assert (one["start"].to_numpy()[1:] >= one["end"].to_numpy()[:-1] - 1e-6).all()
            assert (np.diff(one.sort_values(["ready_h", "start"])["start"].to_numpy()) >= -1e-9).all()

    # flights depart only on Mondays and Thursdays, whatever the start date
    start = date.fromisoformat(spec["header"]["start"])
    air = legs[legs["mode"] == "air"]
    assert {(start + timedelta(hours=float(h))).weekday() for h in air["depart_h"]} <= {0, 3}


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture], derandomize=True)
@given(spec=scenarios())
def test_same_seed_same_results_for_any_worker_count(tmp_path: Path, spec: dict[str, Any]) -> None:
    spec["header"]["replications"] = 3
    one = _simulate(tmp_path, spec, workers=1)
    again = _simulate(tmp_path, spec, workers=1)
    two = _simulate(tmp_path, spec, workers=2)
    pd.testing.assert_frame_equal(one.legs, again.legs)
    pd.testing.assert_frame_equal(one.legs, two.legs)
    pd.testing.assert_frame_equal(one.shipments, two.shipments)


KEYS = ["name", "title", "start", "release_days", "horizon_days", "seed", "replications", "extends", "network",
        "demand", "changes", "routes", "id", "origin", "destination", "per_week", "batch", "teu", "tonnes",
        "split", "arrivals", "component", "attribute", "value", "factor", "via", "nodes", "modes"]  # fmt: skip
scalars = st.one_of(
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(alphabet=string.printable, max_size=12),
    st.booleans(),
    st.dates(),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(KEYS), inner, max_size=4)),
    max_leaves=12,
)


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else "0.0"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f'"{k}" = {_toml(v)}' for k, v in value.items()) + " }"
    return str(value)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture], derandomize=True
)
@given(doc=st.dictionaries(st.sampled_from(KEYS), values, max_size=8), raw=st.binary(max_size=60))
def test_loader_fuzz_only_raises_corridor_errors(tmp_path: Path, doc: dict[str, Any], raw: bytes) -> None:
    structured = tmp_path / "fuzz.toml"
    structured.write_text("\n".join(f"{k} = {_toml(v)}" for k, v in doc.items()) + "\n", encoding="utf-8")
    garbage = tmp_path / "garbage.toml"
    garbage.write_bytes(raw)
    for path in (structured, garbage):
        try:
            sc = cr.load_scenario(path)
        except cr.CorridorError:
            continue
        assert isinstance(sc, cr.Scenario)
