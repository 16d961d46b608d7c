"""Charts, exports and the self-contained HTML report."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import corridor as cr
from corridor.cli import app
from corridor.outputs import plots as plot
from corridor.results.frames import QUEUE_COLUMNS


def test_pareto_front_keeps_only_undominated_points() -> None:
    points = pd.DataFrame({"t": [1.0, 2.0, 3.0, 2.5, 1.0], "c": [9.0, 5.0, 1.0, 6.0, 10.0]})
    assert plot.pareto_front(points, x="t", y="c").tolist() == [True, True, True, False, False]


def test_waiting_over_time_matches_the_records(baseline: cr.Results) -> None:
    series = plot.waiting_over_time(baseline, resource="sea-aktau-alat")
    assert series.iloc[-1] == 0  # everyone who waited has sailed by the end
    assert series.min() >= 0
    legs = baseline.legs[(baseline.legs["link"] == "sea-aktau-alat") & (baseline.legs["replication"] == 0)]
    t = float(series.idxmax())
    waiting = ((legs["ready_h"] + legs["border_h"] + legs["handling_h"] <= t) & (legs["depart_h"] > t)).sum()
    assert series.max() == waiting


def test_every_chart_has_title_and_axis_labels(baseline: cr.Results, tmp_path: Path) -> None:
    kpis = baseline.kpis()
    figures = {
        "comparison": plot.comparison_chart(kpis),
        "tradeoff": plot.tradeoff(kpis),
        "breakdown": plot.time_breakdown(kpis),
        "ecdf": plot.transit_ecdf(baseline),
        "gantt": plot.shipment_gantt(baseline, replication=0, shipment=0),
        "queue": plot.queue_length(baseline, resource="sea-aktau-alat", path=tmp_path / "q.png"),
    }
    for name, fig in figures.items():
        titles = [ax.get_title() for ax in fig.axes] + [fig._suptitle.get_text() if fig._suptitle else ""]
        assert any(titles), name
        assert any(ax.get_xlabel() for ax in fig.axes) or name == "comparison", name
    assert (tmp_path / "q.png").read_bytes()[:4] == b"\x89PNG"


def test_gantt_refuses_an_unknown_shipment(baseline: cr.Results) -> None:
    with pytest.raises(cr.CorridorError, match=r"pick one from Results\.shipments"):
        plot.shipment_gantt(baseline, replication=0, shipment=10**9)


class _Resources(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []
        self.images = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value is not None:
                self.loads.append(value)
        if tag == "img":
            self.images += 1


def test_report_is_self_contained(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(
        app, ["report", "baseline-2025", "feeder-fleet-2027", "--replications", "1", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    parser = _Resources()
    parser.feed(text)
    assert parser.images >= 7
    # no external resource: images are data URIs, links only jump within the page
    assert all(v.startswith(("data:image/png;base64,", "#")) for v in parser.loads)
    assert not re.search(r"<(script|link|iframe|object|embed)\b", text)
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", text)
    assert not re.search(r"(src|href)=['\"](https?:)?//", text)
    # the summary opens the report, then the contents; a map (inline SVG) per scenario
    assert text.index('id="summary"') < text.index("<nav>") < text.index('id="kpis"')
    assert text.count("<svg") == 2
    assert "<title>Middle Corridor, Black Sea" in text  # a route's tooltip on the map
    sections = (
        "Key indicators",
        "Change against baseline-2025",
        "routes, one shipment",
        "Where the time goes",
        "CAREC CPMM",
    )
    for section in (*sections, "Assumptions", "Sources"):
        assert section in text
    assert "Xi&#39;an → Belgrade" in text  # flows by name, escaped by the template
    assert "CAREC Corridor Performance Measurement" in text  # a cited source
    assert "belly cargo" in text  # an assumption's reason
    assert not list(tmp_path.glob(".*.tmp"))


def test_run_out_writes_csv_parquet_and_charts(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["run", "baseline-2025", "--replications", "1", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for name in ("legs", "shipments", "departures", "kpis"):
        csv = pd.read_csv(tmp_path / f"{name}.csv")
        parquet = pd.read_parquet(tmp_path / f"{name}.parquet")
        assert len(csv) == len(parquet) > 0
    for chart in ("comparison", "tradeoff", "time-breakdown", "transit-ecdf"):
        assert (tmp_path / f"{chart}.png").stat().st_size > 1000


def test_queues_never_negative_and_end_empty(baseline: cr.Results) -> None:
    q = baseline.queues()
    assert tuple(q.columns) == QUEUE_COLUMNS
    assert (q["waiting"] >= 0).all()
    last = q.groupby(["replication", "resource"])["waiting"].last()
    assert (last == 0).all()  # all delivered in the baseline: every queue drains
    assert "sea-aktau-alat" in set(q["resource"])


def test_congestion_queue_builds_at_aktau() -> None:
    res = cr.simulate("congestion-2024", replications=1)
    q = res.queues()
    aktau = q[q["resource"] == "sea-aktau-alat"]
    days = aktau["time_h"] / 24.0
    early = aktau.loc[days < 30, "waiting"].max()
    late = aktau.loc[(days >= 75) & (days < 105), "waiting"].max()
    assert late > 2 * early  # the backlog builds over the autumn
    # occupancy never exceeds capacity, from the records: no sailing carries more than a vessel holds
    deps = res.departures[res.departures["service"] == "caspian-feeder"]
    assert (deps["load"] <= deps["capacity"]).all()


def test_cpmm_method_uses_the_simulated_network(baseline: cr.Results) -> None:
    table = baseline.cpmm()
    borders = table.xs("border", level="kind")
    assert len(borders) > 0
    for (name, _direction), row in borders.iterrows():
        node = baseline.nodes[baseline.nodes["name"] == name].iloc[0]
        assert row["tfi2_usd"] == pytest.approx(node["border_usd"] + node["gauge_change_usd"])
    assert (table.xs("section", level="kind")["swd_kmh"] > 0).all()
