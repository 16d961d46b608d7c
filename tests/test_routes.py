"""The route engine: templates as sub-routes, k-shortest paths, derived families, pruning, lookup."""

from __future__ import annotations

import unicodedata

import pytest

import corridor as cr
from corridor.routes import DETOUR_RATIO, family_of, find_routes, resolve_route, route_table


def _by_id(routes: list[cr.Route]) -> dict[str, cr.Route]:
    return {r.id: r for r in routes}


def test_xian_belgrade_templates(net: cr.Network) -> None:
    routes = _by_id(find_routes(net, "Xi'an", "Belgrade", sources=["templates"], prune=False))
    assert {"middle-poti", "middle-batumi", "middle-kuryk-ferry"} <= set(routes)
    poti = routes["middle-poti"]
    assert (poti.nodes[0], poti.nodes[-1]) == ("xian", "belgrade")
    assert [n for n in poti.nodes if n in ("aktau", "alat", "poti", "constanta")] == [
        "aktau",
        "alat",
        "poti",
        "constanta",
    ]
    assert "batumi" in routes["middle-batumi"].nodes
    assert "kuryk" in routes["middle-kuryk-ferry"].nodes


def test_a_template_serves_as_a_sub_route(net: cr.Network) -> None:
    """middle-poti (via Aktau, Alat, Poti, Constanța) serves Almaty -> Poti as its part up to Poti."""
    route = resolve_route(net, net.routes["middle-poti"], "almaty", "poti")
    assert route is not None
    assert route.nodes == ("almaty", "aktau", "alat", "tbilisi", "poti")
    back = resolve_route(net, net.routes["middle-poti"], "constanta", "alat")
    assert back is not None
    assert back.nodes == ("constanta", "poti", "tbilisi", "alat")


def test_templates_work_in_both_directions(net: cr.Network) -> None:
    east = _by_id(find_routes(net, "Belgrade", "Astana", sources=["templates"], prune=False))
    assert east["air"].nodes == ("belgrade", "beg", "nqz", "astana")
    west = _by_id(find_routes(net, "Astana", "Belgrade", sources=["templates"], prune=False))
    assert west["air"].nodes == tuple(reversed(east["air"].nodes))


def test_almaty_poti_lists_the_caspian_route_first_or_second(net: cr.Network) -> None:
    routes = find_routes(net, "Almaty", "Poti")
    caspian = [i for i, r in enumerate(routes) if {"aktau", "alat", "tbilisi"} <= set(r.nodes) or "kuryk" in r.nodes]
    assert caspian
    assert caspian[0] <= 1
    assert routes[caspian[0]].family == "middle"


def test_via_and_avoid_apply_to_both_sources(net: cr.Network) -> None:
    routes = find_routes(net, "Xi'an", "Belgrade", via=["Kars"])
    assert routes
    assert all("kars" in r.nodes for r in routes)
    assert any(r.id == "middle-turkiye-via-kars" for r in routes)  # a template, renamed
    assert any("-path-" in r.id for r in routes)  # and k-shortest paths
    avoided = find_routes(net, "Xi'an", "Belgrade", avoid=["Moscow", "Aktau", "NQZ"])
    assert all(not {"moscow", "aktau", "nqz"} & set(r.nodes) for r in avoided)
    assert "northern" not in {r.family for r in avoided}
    with pytest.raises(cr.RouteError, match="both required and avoided"):
        find_routes(net, "Xi'an", "Belgrade", via=["Kars"], avoid=["Kars"])
    with pytest.raises(cr.RouteError, match="unknown weight"):
        find_routes(net, "Xi'an", "Belgrade", weight="money")  # type: ignore[arg-type]


def test_sorting_follows_the_weight(net: cr.Network) -> None:
    for weight, column in (("time", "days"), ("cost", "cost_usd_feu"), ("co2", "co2_kg_feu")):
        table = route_table(net, find_routes(net, "Astana", "Belgrade", weight=weight))  # type: ignore[arg-type]
        assert list(table[column]) == sorted(table[column]), weight
    fastest = find_routes(net, "Astana", "Belgrade")[0]
    assert "air-nqz-beg" in fastest.links
    greenest = find_routes(net, "Astana", "Belgrade", weight="co2")[0]
    assert "air-nqz-beg" not in greenest.links


def test_generalised_cost_turns_to_the_flight_at_a_high_value_of_time(net: cr.Network) -> None:
    cheap = find_routes(net, "Astana", "Belgrade", weight="generalised", value_of_time_usd_day=0.0)[0]
    dear = find_routes(net, "Astana", "Belgrade", weight="generalised", value_of_time_usd_day=1e6)[0]
    assert cheap.family != "air"
    assert dear.family == "air"


@pytest.mark.parametrize(
    ("links", "family"),
    [
        (["road-astana-nqz", "air-nqz-beg"], "air"),
        (["rail-almaty-aktau", "sea-aktau-alat"], "middle"),
        (["ferry-turkmenbashi-alat", "rail-alat-tbilisi"], "middle-south"),
        (["rail-astana-moscow"], "northern"),
        (["rail-ashgabat-tehran"], "southern"),
        (["sea-shanghai-suez", "sea-suez-piraeus"], "sea-piraeus"),
        (["sea-shanghai-cape", "sea-cape-piraeus"], "sea-cape"),
        (["rail-almaty-saryagash", "rail-saryagash-tashkent"], "overland"),
    ],
)
def test_family_follows_from_what_the_path_uses(net: cr.Network, links: list[str], family: str) -> None:
    assert family_of(net, links) == family


def test_pruning_rules(net: cr.Network) -> None:
    routes = find_routes(net, "Xi'an", "Belgrade", k=5)
    table = route_table(net, routes).set_index("route")
    fastest, cheapest = table["days"].min(), table["cost_usd_feu"].min()
    for fam, rows in table.groupby("family"):
        best = rows["days"].idxmin()
        for rid, row in rows.iterrows():
            others = rows.drop(index=rid)
            dominated = (
                (others["days"] <= row["days"])
                & (others["cost_usd_feu"] <= row["cost_usd_feu"])
                & ((others["days"] < row["days"]) | (others["cost_usd_feu"] < row["cost_usd_feu"]))
            )
            assert not dominated.any(), (fam, rid)
            if rid != best:
                assert row["days"] <= DETOUR_RATIO * fastest or row["cost_usd_feu"] <= DETOUR_RATIO * cheapest
    unpruned = find_routes(net, "Xi'an", "Belgrade", k=5, prune=False)
    assert len(unpruned) > len(routes)
    assert {r.family for r in unpruned} == {r.family for r in routes}  # the best of each family stays


@pytest.mark.parametrize(
    "name",
    ["Małaszewicze", "MAŁASZEWICZE", "malaszewicze", "ROCND", "rocnd", "TÜRKMENBAŞI", "Turkmenbashi", "constanța"],
)
def test_nodes_resolve_in_any_case_spelling_and_normal_form(net: cr.Network, name: str) -> None:
    expected = {"m": "malaszewicze", "r": "constanta", "t": "turkmenbashi", "c": "constanta"}[name[0].lower()]
    assert net.node_id(name) == expected
    assert net.node_id(unicodedata.normalize("NFD", name)) == expected


def test_every_node_can_be_an_origin_and_a_destination(net: cr.Network) -> None:
    for node in net.nodes.index:
        other = "belgrade" if node != "belgrade" else "almaty"
        assert find_routes(net, node, other, k=1, sources=["paths"], prune=False), node
        assert find_routes(net, other, node, k=1, sources=["paths"], prune=False), node


def test_a_planned_link_opens_with_a_change(net: cr.Network) -> None:
    assert not net.graph.has_edge("kashgar", "andijan")
    shut = find_routes(net, "Kashgar", "Tashkent", k=1)
    assert "andijan" not in shut[0].nodes
    opened = net.with_changes([{"component": "link", "group": "cku", "attribute": "status", "value": "open"}])
    assert opened.graph.has_edge("kashgar", "andijan")
    [best, *_] = find_routes(opened, "Kashgar", "Tashkent")
    assert best.nodes == ("kashgar", "andijan", "tashkent")
    assert best.distance_km == pytest.approx(523.0 + opened.links.at["rail-andijan-tashkent", "distance_km"])


def test_no_route_is_a_clear_error(net: cr.Network) -> None:
    with pytest.raises(cr.RouteError, match="same node"):
        find_routes(net, "Aktau", "aktau")
    with pytest.raises(cr.RouteError, match="no route from"):
        find_routes(net, "Almaty", "Belgrade", modes=["sea"])
    with pytest.raises(cr.RouteError, match="corridor network --nodes"):
        find_routes(net, "Nowhere at all", "Belgrade")
