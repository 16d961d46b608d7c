"""Route templates and k-shortest paths."""

from __future__ import annotations

import pytest

import corridor as cr


def test_xian_belgrade_templates(net: cr.Network) -> None:
    routes = {r.id: r for r in cr.routes_between(net, "Xi'an", "Belgrade")}
    assert {"middle-poti", "middle-batumi", "middle-kuryk-ferry"} <= set(routes)
    poti = routes["middle-poti"]
    assert poti.nodes[0] == "xian"
    assert poti.nodes[-1] == "belgrade"
    assert [n for n in poti.nodes if n in ("aktau", "alat", "poti", "constanta")] == [
        "aktau",
        "alat",
        "poti",
        "constanta",
    ]
    assert "batumi" in routes["middle-batumi"].nodes
    assert "kuryk" in routes["middle-kuryk-ferry"].nodes


def test_templates_work_in_both_directions(net: cr.Network) -> None:
    east = {r.id: r for r in cr.routes_between(net, "Belgrade", "Astana")}
    assert {"air", "middle-poti"} <= set(east)
    assert east["air"].nodes == ("belgrade", "beg", "nqz", "astana")
    west = {r.id: r for r in cr.routes_between(net, "Astana", "Belgrade")}
    assert west["air"].nodes == tuple(reversed(east["air"].nodes))


def test_via_filters_routes(net: cr.Network) -> None:
    routes = cr.routes_between(net, "Xi'an", "Belgrade", via=["Dostyk"])
    assert routes
    assert all("dostyk" in r.nodes for r in routes)


def test_find_routes_orders_by_weight(net: cr.Network) -> None:
    paths = cr.find_routes(net, "Astana", "Belgrade", k=3, weight="time")
    assert len(paths) == 3
    times = [p.travel_h for p in paths]
    assert times == sorted(times)
    assert "air-nqz-beg" in paths[0].links
    by_co2 = cr.find_routes(net, "Astana", "Belgrade", k=1, weight="co2")
    assert "air-nqz-beg" not in by_co2[0].links


def test_no_route_is_a_clear_error(net: cr.Network) -> None:
    with pytest.raises(cr.RouteError, match="same node"):
        cr.routes_between(net, "Aktau", "aktau")
    with pytest.raises(cr.RouteError, match="no route template serves"):
        cr.routes_between(net, "Almaty", "Belgrade", via=["NQZ"])
