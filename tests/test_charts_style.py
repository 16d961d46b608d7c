"""Chart style: fixed family colours, faceted charts, no overlapping labels, backend untouched."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import matplotlib
import pytest

import corridor as cr
from corridor.outputs import maps, plots, style


@pytest.fixture(scope="module")
def competitors() -> cr.Results:
    return cr.simulate("competitors-2025", replications=1)


def test_every_family_has_its_own_colour(net: cr.Network) -> None:
    families = set(style.route_families().values())
    assert families <= set(style.FAMILIES), "a family of routes.toml has no colour"
    colours = list(style.FAMILY_COLORS.values())
    assert len(set(colours)) == len(colours)


def test_comparison_chart_labels_never_overlap(competitors: cr.Results, tmp_path: Path) -> None:
    sc = cr.load_scenario("competitors-2025")
    fig = plots.comparison_chart(competitors.kpis(), flow_names=style.flow_names(sc), path=tmp_path / "c.png")
    assert style.label_overlaps(fig) == []
    # one row of panels per flow: each flow keeps its own cost axis
    flows = competitors.kpis().index.get_level_values("demand").nunique()
    assert len(fig.axes) == 3 * flows
    assert len({ax.get_xlim() for ax in fig.axes[1::3]}) == flows
    # bars take the family colour
    ax = fig.axes[
        3 * list(dict.fromkeys(competitors.kpis().index.get_level_values("demand"))).index("rs-medicines-kazakhstan")
    ]
    colours = {matplotlib.colors.to_hex(p.get_facecolor()) for p in ax.patches}
    assert style.FAMILY_COLORS["air"].lower() in colours


def test_label_check_finds_an_overlap() -> None:
    fig = style.new_figure(4, 3)
    ax = fig.add_subplot()
    ax.text(0.5, 0.5, "one label")
    ax.text(0.5, 0.5, "another label")
    assert ("one label", "another label") in style.label_overlaps(fig)


@pytest.mark.parametrize("chart", ["tradeoff", "time_breakdown"])
def test_other_charts_have_no_overlapping_labels(competitors: cr.Results, chart: str) -> None:
    fig = getattr(plots, chart)(competitors.kpis())
    assert style.label_overlaps(fig) == []


def test_charts_leave_the_backend_alone() -> None:
    code = (
        "import sys, matplotlib\n"
        "matplotlib.use('svg')\n"
        "import corridor as cr\n"
        "from corridor.outputs import maps, plots\n"
        "res = cr.simulate('baseline-2025', replications=1)\n"
        "plots.comparison_chart(res.kpis()); plots.transit_ecdf(res)\n"
        "maps.route_map(cr.load_network(), res)\n"
        "assert matplotlib.get_backend() == 'svg', matplotlib.get_backend()\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_gantt_names_nodes(competitors: cr.Results) -> None:
    fig = plots.shipment_gantt(competitors, replication=0, shipment=0)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert any("→" in t for t in labels)
    ids = set(competitors.nodes.index)
    assert not any(t.split(" → ")[0] in ids for t in labels)


def test_route_map_offsets_routes_sharing_track(net: cr.Network, tmp_path: Path) -> None:
    sc = cr.load_scenario("competitors-2025")
    drawn = maps.routes_of_scenario(net, sc, demands=["xian-belgrade-competitors"])
    assert {r.family for r in drawn} >= {"middle-black-sea", "middle-turkiye", "northern", "southern", "sea-piraeus"}
    slots = maps._offsets(net, drawn)
    shared = [v for (i, lid), v in slots.items() if lid.startswith("rail-xian")]
    assert len(set(shared)) > 1  # routes leaving Xi'an on one track are drawn side by side
    fig = maps.route_map(net, drawn, path=tmp_path / "m.png")
    assert style.label_overlaps(fig) == []
    assert (tmp_path / "m.png").read_bytes()[:4] == b"\x89PNG"


def test_map_command_writes_the_map_and_every_command_has_format(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from corridor.cli import app

    out = tmp_path / "m.png"
    result = CliRunner().invoke(
        app, ["map", "competitors-2025", "--demand", "xian-belgrade-competitors", "--out", str(out), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert '"bytes"' in result.stdout
    assert out.read_bytes()[:4] == b"\x89PNG"
    bad = CliRunner().invoke(app, ["map", "northern", "--out", str(out)])
    assert bad.exit_code == 2
    assert "--from" in bad.output
    for command in (
        "scenarios",
        "run",
        "compare",
        "trip",
        "routes",
        "network",
        "map",
        "validate",
        "report",
        "calibration",
    ):
        assert "--format" in CliRunner().invoke(app, [command, "--help"]).output, command


def test_plot_namespace_reaches_charts_and_maps() -> None:
    assert cr.plot.route_map is maps.route_map  # type: ignore[attr-defined]
    assert cr.plot.comparison_chart is plots.comparison_chart  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        _ = cr.plot.nothing  # type: ignore[attr-defined]
