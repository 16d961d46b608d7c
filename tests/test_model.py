"""Model: load once, evolve without reading disk, simulate and find routes on the evolved network."""

from __future__ import annotations

import builtins
import io
import pathlib
from typing import Any

import pytest

import corridor as cr
from corridor import model as model_module
from corridor import network as network_module
from corridor import scenario as scenario_module

LINK = "sea-aktau-alat"


@pytest.fixture(scope="module")
def base() -> cr.Model:
    return cr.Model.load("baseline-2025").evolve({"release_days": 7, "horizon_days": 60, "replications": 1})


def _no_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"a file was opened: {args[:1]}")

    for target, name in (
        (builtins, "open"),
        (io, "open"),
        (pathlib.Path, "open"),
        (pathlib.Path, "read_text"),
        (pathlib.Path, "read_bytes"),
        (network_module, "load_network"),
        (model_module, "load_network"),
        (scenario_module, "load_scenario"),
        (model_module, "load_scenario"),
    ):
        monkeypatch.setattr(target, name, refuse)


def test_evolve_changes_a_tariff_and_a_border_time_without_opening_a_file(
    base: cr.Model, monkeypatch: pytest.MonkeyPatch
) -> None:
    cn0 = base.network.compile()
    assert cn0.link_tariff_usd_feu[cn0.link_index[LINK]] != 1500.0
    with monkeypatch.context() as patch:
        _no_disk(patch)
        evolved = base.evolve(
            {
                f"links[{LINK}].tariff_usd_feu": 1500.0,
                # the bundled clearance time is drawn: fix it first
                **{f"nodes[khorgos].border_{a}": "" for a in ("dist", "min_h", "mode_h", "max_h")},
                "nodes[khorgos].border_h": 12.0,
                "seed": 3,
            }
        )
    cn = evolved.network.compile()
    assert cn.link_tariff_usd_feu[cn.link_index[LINK]] == 1500.0
    assert cn.node_border_h[cn.node_index["khorgos"]] == 12.0
    assert evolved.scenario.seed == 3
    # the model evolved from is untouched
    assert (
        base.network.compile().link_tariff_usd_feu[cn0.link_index[LINK]]
        == cn0.link_tariff_usd_feu[cn0.link_index[LINK]]
    )


def test_evolved_tariff_reaches_the_simulated_cost(base: cr.Model) -> None:
    old = base.network.compile()
    bump = 300.0
    new_tariff = old.link_tariff_usd_feu[old.link_index[LINK]] + bump
    before = base.simulate()
    after = base.evolve({f"links[{LINK}].tariff_usd_feu": new_tariff}).simulate()
    legs0 = before.legs[before.legs["link"] == LINK]
    legs1 = after.legs[after.legs["link"] == LINK]
    assert len(legs0) == len(legs1) > 0  # the same seed: the same shipments
    feu = legs1.merge(after.shipments, on=["replication", "shipment"])["teu"].to_numpy() / 2
    assert legs1["cost_usd"].to_numpy() - legs0["cost_usd"].to_numpy() == pytest.approx(bump * feu)


def test_evolve_names_the_bad_key(base: cr.Model) -> None:
    with pytest.raises(cr.ScenarioError, match=r"nodes\[khorgos\]\.border_hours: .*did you mean 'border_usd'"):
        base.evolve({"nodes[khorgos].border_hours": 12.0})
    with pytest.raises(cr.ScenarioError, match=r"links\[nowhere\]\.tariff_usd_feu: unknown link id"):
        base.evolve({"links[nowhere].tariff_usd_feu": 1.0})
    with pytest.raises(cr.ScenarioError, match=r"links\[family=nowhere\]\.time_h: no route of the scenario"):
        base.evolve({"links[family=nowhere].time_h": 1.0})
    with pytest.raises(cr.ScenarioError, match=r"'value' \(set\) or 'factor' \(multiply\)"):
        base.evolve({f"links[{LINK}].time_h": {"value": 1.0, "factor": 2.0}})
    with pytest.raises(cr.NetworkError, match=rf"<evolve>: links\[{LINK}\]\.time_h: .*time_h"):
        base.evolve({f"links[{LINK}].time_h": -1.0})
    with pytest.raises(cr.ScenarioError, match=r"replicatons.*did you mean 'replications'"):
        base.evolve({"replicatons": 2})
    with pytest.raises(cr.ScenarioError, match="replications"):
        base.evolve({"replications": 0})


def test_evolve_and_studies_share_one_address_rule(base: cr.Model) -> None:
    from corridor.studies import Scale, evolve_scenario

    n = len(base.scenario.changes)
    settings = {f"links[{LINK}].time_h": 11.0, "links[group=caspian].tariff_usd_feu": Scale(0.8)}
    by_model = base.evolve({f"links[{LINK}].time_h": 11.0, "links[group=caspian].tariff_usd_feu": {"factor": 0.8}})
    by_study = evolve_scenario(base.scenario, settings, network=base.base)
    assert by_model.scenario.changes[n:] == by_study.changes[n:]
    # a link by id: both directions, as in a study, unless one way is asked for
    assert [c.id for c in by_model.scenario.changes[n : n + 2]] == [LINK, "sea-alat-aktau"]
    one = base.evolve({f"links[{LINK}].time_h": {"value": 11.0, "one_way": True}})
    assert [c.id for c in one.scenario.changes[n:]] == [LINK]
    # demand flows too
    flow = base.scenario.demand[0].id
    assert base.evolve({f"demand[{flow}].per_week": 3}).scenario.demand[0].per_week == 3


def test_several_bad_changes_each_name_their_address(base: cr.Model) -> None:
    # border_h on every node of a family: the nodes with a drawn clearance refuse it, each named
    with pytest.raises(cr.NetworkError) as err:
        base.evolve({"nodes[family=middle-black-sea].border_h": 5.0})
    assert len(err.value.problems) > 1
    assert all(p.startswith("<evolve>: nodes[family=middle-black-sea].border_h: node ") for p in err.value.problems)


def test_routes_and_simulate_go_through_the_model(base: cr.Model) -> None:
    [path] = base.routes("Almaty", "Astana", k=1)
    assert path.nodes[0] == "almaty"
    res = cr.simulate(base.scenario, network=base.base)
    assert res.replications == 1
