"""Scenarios: loading, extends, and clear errors on bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

import corridor as cr
from tests._helpers import flow, write_scenario


def test_bundled_scenarios_load() -> None:
    names = cr.bundled_scenarios()
    assert {"baseline-2025", "feeder-fleet-2027"} <= set(names)
    for name in names:
        sc = cr.load_scenario(name)
        assert sc.name == name
        assert sc.demand


def test_extends_merges_parent() -> None:
    base = cr.load_scenario("baseline-2025")
    child = cr.load_scenario("feeder-fleet-2027")
    assert [d.id for d in child.demand] == [d.id for d in base.demand]
    assert child.start == base.start
    # the child's changes come after the parent's (baseline-2025 has none)
    assert len(child.changes) == len(base.changes) + 7
    assert [(c.attribute, c.value) for c in child.changes[:2]] == [("vessels", 12), ("capacity_teu_day", 657.53)]
    assert [(c.id, c.attribute, c.value) for c in child.changes[-1:]] == [("aktau", "dwell_h", 0)]  # the Aktau hub


def test_extends_replaces_demand_by_id(tmp_path: Path) -> None:
    parent = write_scenario(tmp_path, "parent", demand=[flow(id="a"), flow(id="b", per_week=3)])
    child = tmp_path / "child.toml"
    child.write_text(
        f'extends = "{parent.name}"\nname = "child"\n\n[[demand]]\nid = "b"\norigin = "Aktau"\n'
        'destination = "Belgrade"\nroutes = ["middle-batumi"]\nper_week = 5\nteu = 2\ntonnes = 20\n',
        encoding="utf-8",
    )
    sc = cr.load_scenario(child)
    assert [(d.id, d.per_week) for d in sc.demand] == [("a", 2), ("b", 5)]


def _error(path: Path | str) -> str:
    with pytest.raises(cr.ScenarioError) as info:
        cr.load_scenario(path)
    return str(info.value)


def test_malformed_toml(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('name = "x"\nstart = \n', encoding="utf-8")
    msg = _error(path)
    assert str(path) in msg
    assert "malformed TOML" in msg
    assert "line 2" in msg


def test_unknown_key_suggests_the_right_one(tmp_path: Path) -> None:
    path = write_scenario(tmp_path, demand=[{**flow(), "per_weak": 2}])
    msg = _error(path)
    assert "demand[0].per_weak" in msg
    assert "did you mean 'per_week'" in msg


@pytest.mark.parametrize(
    ("override", "field", "text"),
    [
        ({"per_week": 0}, "demand[0].per_week", "greater than 0"),
        ({"tonnes": -1}, "demand[0].tonnes", "greater than 0"),
        ({"destination": "aktau"}, "demand[0]", "origin and destination are the same"),
        ({"routes": []}, "demand[0].routes", "at least 1"),
        ({"split": {"middle-poti": 0.5}}, "demand[0]", "add up to 1"),
        ({"from_day": 10, "until_day": 5}, "demand[0]", "is not after from_day"),
        ({"from_day": 40}, "from_day is not before release_days", "release the flow within release_days"),
    ],
)
def test_bad_demand_values(tmp_path: Path, override: dict[str, object], field: str, text: str) -> None:
    msg = _error(write_scenario(tmp_path, demand=[flow(**override)]))
    assert field in msg
    assert text in msg


def test_absurd_size_is_refused(tmp_path: Path) -> None:
    msg = _error(write_scenario(tmp_path, demand=[flow(per_week=1e12)]))
    assert "more than the limit" in msg
    assert "lower per_week" in msg


def test_empty_scenario(tmp_path: Path) -> None:
    path = tmp_path / "empty.toml"
    path.write_text('name = "empty"\nstart = 2025-01-06\nrelease_days = 7\nhorizon_days = 30\n', encoding="utf-8")
    msg = _error(path)
    assert "demand: missing" in msg


def test_extends_cycle(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text('extends = "b.toml"\nname = "a"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('extends = "a.toml"\nname = "b"\n', encoding="utf-8")
    msg = _error(tmp_path / "a.toml")
    assert "extends" in msg
    assert "cycle" in msg


def test_non_utf8_and_directory(tmp_path: Path) -> None:
    path = tmp_path / "latin.toml"
    path.write_bytes('name = "Constanţa"\n'.encode("utf-16"))
    assert "not UTF-8" in _error(path)
    folder = tmp_path / "dir.toml"
    folder.mkdir()
    assert "is a folder" in _error(folder)


def test_unknown_bundled_name_suggests() -> None:
    assert "did you mean 'baseline-2025'" in _error("baseline-2024")


def test_closure_of_release_after_horizon(tmp_path: Path) -> None:
    msg = _error(write_scenario(tmp_path, header={"release_days": 400, "horizon_days": 100}, demand=[flow()]))
    assert "release_days is longer than horizon_days" in msg


def test_unknown_node_and_route_name_file_and_field(tmp_path: Path) -> None:
    path = write_scenario(tmp_path, demand=[flow(origin="Aktau harbour")])
    with pytest.raises(cr.RouteError) as info:
        cr.simulate(path)
    assert f"{path}: demand[0].origin: unknown node 'Aktau harbour'; did you mean" in str(info.value)
    path = write_scenario(tmp_path, demand=[flow(routes=["middle-pot"])])
    with pytest.raises(cr.RouteError) as info:
        cr.simulate(path)
    assert "demand[0].routes[0]: unknown route 'middle-pot'; did you mean 'middle-poti'?" in str(info.value)


def test_route_that_cannot_serve_a_pair(tmp_path: Path) -> None:
    path = write_scenario(tmp_path, demand=[flow(routes=["air"])])
    with pytest.raises(cr.RouteError, match="route 'air' cannot serve Aktau port -> Belgrade"):
        cr.simulate(path)


def test_shipment_larger_than_any_departure(tmp_path: Path) -> None:
    path = write_scenario(tmp_path, demand=[flow(origin="Belgrade", destination="Astana", routes=["air"], tonnes=3)])
    with pytest.raises(cr.ScenarioError) as info:
        cr.simulate(path)
    assert "demand[0].tonnes" in str(info.value)
    assert "exceeds the capacity of service 'scat-beg-nqz'" in str(info.value)


def test_unknown_change_target(tmp_path: Path) -> None:
    path = write_scenario(
        tmp_path,
        demand=[flow()],
        changes=[{"component": "service", "id": "caspian-feder", "attribute": "vessels", "value": 3}],
    )
    with pytest.raises(cr.NetworkError, match=r"changes\[0\].id: unknown service id 'caspian-feder'"):
        cr.simulate(path)
