"""A self-contained HTML report: the answer first, then the tables, maps, charts and sources.

The page is rendered from a jinja2 template (``templates/report.html.j2``) with
autoescaping on: every name from a scenario or the geodata is escaped. Charts are embedded
as ``data:`` PNGs and each scenario's route map as inline SVG (hover a route for its name);
there is no script, stylesheet, font or tile to load: the file opens offline and can be
mailed as it is.
"""

from __future__ import annotations

import base64
import csv
import io
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from markupsafe import Markup

from corridor._data import bundled_dir
from corridor.outputs import plots, style
from corridor.results.compare import compare
from corridor.results.frames import Results
from corridor.scenario import Scenario

__all__ = ["COST_HEADERS", "CPMM_HEADERS", "KPI_HEADERS", "render_report", "write_report"]

#: Readable headers (with units) of the KPI columns the report shows.
KPI_HEADERS = {
    "shipments": "shipments",
    "delivered_share": "delivered (share)",
    "transit_days_mean": "days, mean",
    "transit_days_p50": "days, p50",
    "transit_days_p95": "days, p95",
    "buffer_days": "buffer p95−p50 (days)",
    "unit": "unit of carriage",
    "cost_usd_per_consignment": "cost (USD/consignment)",
    "cost_usd_per_t": "cost (USD/t)",
    "cost_usd_per_feu": "cost (USD/FEU)",
    "logistics_usd_per_t": "total logistics (USD/t)",
    "co2_kg_per_t_ttw": "CO2e TTW (kg/t)",
    "co2_kg_per_t_wtw": "CO2e WTW (kg/t)",
    "co2_g_per_tkm": "CO2e TTW (g/t-km)",
    "border_days": "at borders (days)",
    "disrupted_days": "disrupted (days)",
}

#: The total logistics cost per consignment and its parts (means, USD).
COST_HEADERS = {
    "freight_usd": "freight",
    "handling_usd": "handling",
    "border_usd": "border",
    "storage_usd": "storage beyond free time",
    "inventory_usd": "inventory in transit",
    "logistics_usd": "total logistics cost",
    "logistics_usd_per_t": "total per t",
}

#: A step of the report, for progress: called with a short description.
Step = Callable[[str], None]


class Chart(NamedTuple):
    alt: str
    src: str


def _png(fig: Any) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _html_table(frame: pd.DataFrame, *, digits: int = 2, css: str = "", index: bool = True) -> str:
    return frame.to_html(
        float_format=lambda v: f"{v:,.{digits}f}", na_rep="–", border=0, escape=True, classes=css or None, index=index
    )


#: Readable headers (with units) of the CPMM columns.
CPMM_HEADERS = {
    "observations": "observations",
    "km": "km per trip",
    "tfi1_h": "TFI1 (h)",
    "tfi2_usd": "TFI2 (USD)",
    "tfi3_usd_per_500km_20t": "TFI3 (USD per 500 km, 20 t)",
    "swod_kmh": "SWOD (km/h)",
    "swd_kmh": "SWD (km/h)",
    "note": "note",
}


def _sources(folder: Path) -> tuple[pd.DataFrame, list[dict[str, str]]]:
    with (folder / "sources.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with (folder / "references.csv").open(encoding="utf-8") as fh:
        refs = list(csv.DictReader(fh))
    assumptions = pd.DataFrame([r for r in rows if r["basis"] == "assumption"])
    used = {r["ref"] for r in rows if r["ref"]}
    return assumptions, [r for r in refs if r["ref"] in used]


def _readable(frame: pd.DataFrame, flows: Mapping[str, str], fams: Mapping[str, str]) -> pd.DataFrame:
    """Flow titles and family names in the index, readable headers with units."""
    out = frame.reset_index()
    out.insert(
        list(out.columns).index("route") + 1,
        "family",
        [style.family_style(style.family_of(str(r), fams)).name for r in out["route"]],
    )
    out["demand"] = [flows.get(str(d), str(d)) for d in out["demand"]]
    keys = [k for k in ("scenario", "demand", "route") if k in out.columns]
    shown = {k: v for k, v in KPI_HEADERS.items() if k in out.columns}
    deltas = {
        c: "Δ " + KPI_HEADERS.get(c.removeprefix("delta_"), c.removeprefix("delta_"))
        for c in out.columns
        if c.startswith("delta_")
    }
    table = out.set_index(keys)[["family", *shown, *deltas]].rename(columns={**shown, **deltas})
    return table.rename_axis(index={"demand": "flow"})


def _best(group: pd.DataFrame, column: str, fams: Mapping[str, str], fmt: str) -> str:
    values = group[column].astype(float)
    if values.isna().all():
        return "–"
    row = group.iloc[int(np.nanargmin(values.to_numpy()))]
    name = style.route_label(str(row["route"]), fams, shown=[str(r) for r in group["route"]])
    return f"{name} ({fmt.format(float(row[column]))})"


def _summary(frame: pd.DataFrame, sc: Scenario | None, fams: Mapping[str, str]) -> list[dict[str, str]]:
    """Per flow of the reference scenario: the fastest, cheapest, most reliable and lowest-CO2 route."""
    quiet = {d.id for d in sc.demand if d.background} if sc is not None else set()
    names = style.flow_names(sc) if sc is not None else {}
    flat = frame.reset_index()
    flat = flat.assign(co2_kg_per_t=flat["co2_kg_per_t_ttw"])
    out = []
    for demand, grp in flat.groupby("demand", observed=True, sort=False):
        if str(demand) in quiet:
            continue
        out.append(
            {
                "title": names.get(str(demand), str(demand)),
                "scenario": str(grp["scenario"].iloc[0]) if "scenario" in grp else "",
                "fastest": _best(grp, "transit_days_mean", fams, "{:.1f} days"),
                "cheapest": _best(grp, "cost_usd_per_t", fams, "{:,.0f} USD/t"),
                "reliable": _best(grp, "buffer_days", fams, "{:.1f} days buffer"),
                "greenest": _best(grp, "co2_kg_per_t", fams, "{:,.0f} kg/t"),
            }
        )
    return out


def _changes(
    frame: pd.DataFrame, reference: str, flows: Mapping[str, str], quiet: set[str], *, top: int = 5
) -> list[str]:
    """The largest changes in mean days against the reference (background flows aside), one line each."""
    if "delta_transit_days_mean" not in frame.columns:
        return []
    flat = frame.reset_index()
    flat = flat[(flat["scenario"] != reference) & flat["delta_transit_days_mean"].notna()]
    flat = flat[~flat["demand"].astype(str).isin(list(quiet))]
    flat = flat.reindex(flat["delta_transit_days_mean"].abs().sort_values(ascending=False).index).head(top)
    lines = []
    for _, r in flat.iterrows():
        days = round(float(r["delta_transit_days_mean"]), 1) + 0.0  # + 0.0: no "-0.0"
        cost = r.get("delta_cost_usd_per_kg")
        route = str(r["route"])
        if r.get("matched_by") in ("path", "family"):  # the reference's route has another id
            route += f" (against {r['matched_route']}, same {r['matched_by']})"
        text = f"{r['scenario']}: {flows.get(str(r['demand']), r['demand'])} by {route}: {days:+.1f} days (mean)"
        if cost is not None and pd.notna(cost):
            text += f", {round(float(cost) * 1000) + 0.0:+,.0f} USD per tonne"
        lines.append(text)
    return lines or ["no route's mean transit time changed"]


def _scenario_figures(res: Results, network: Any, sc: Scenario | None) -> dict[str, Any]:
    """Map (inline SVG), one shipment's Gantt chart, the ECDF and the busiest queue of one scenario."""
    from corridor.outputs import maps

    out: dict[str, Any] = {"name": res.scenario, "map": "", "gantt": "", "queue": ""}
    quiet = {d.id for d in sc.demand if d.background} if sc is not None else set()
    if network is not None:
        drawn = [r for r in maps.routes_of_results(network, res) if r.family != "caspian" or not quiet]
        fig = maps.route_map(network, drawn, title=f"Routes: {res.scenario}")
        out["map"] = maps.interactive_svg(fig, drawn)
    sample = _sample_shipment(res, quiet)
    if sample is not None:
        out["gantt"] = _png(plots.shipment_gantt(res, replication=sample[0], shipment=sample[1]))
    names = style.flow_names(sc) if sc is not None else None
    out["ecdf"] = _png(plots.transit_ecdf(res, flow_names=names))
    busiest = _busiest_service_link(res)
    if busiest is not None:
        out["queue"] = _png(plots.queue_length(res, resource=busiest))
    return out


def render_report(
    results: Sequence[Results],
    *,
    scenarios: Sequence[Scenario] = (),
    title: str = "Corridor route comparison",
    geodata: str | Path | None = None,
    network: Any = None,
    step: Step | None = None,
) -> str:
    """Render the report as one HTML string.

    Parameters
    ----------
    results
        Results of one or more scenarios (the first is the reference for deltas).
    scenarios
        The scenarios, for flow names, descriptions and background flows.
    title
        Report title.
    geodata
        Folder whose ``sources.csv`` and ``references.csv`` are listed (default: bundled).
    network
        The network simulated, for the route maps (default: no maps).
    step
        Called with a short description before each part (progress).
    """
    import jinja2

    say = step or (lambda _: None)
    described = {s.name: s for s in scenarios}
    fams = style.route_families(network.path if network is not None else None)
    flows = {k: v for s in scenarios for k, v in style.flow_names(s).items()}
    quiet = {d.id for s in scenarios for d in s.demand if d.background}
    reference = results[0].scenario
    frame = compare(list(results), reference=reference if len(results) > 1 else None)
    say("tables and charts")
    readable = _readable(frame, flows, fams)
    kpi_cols = [KPI_HEADERS[c] for c in KPI_HEADERS if c in frame.columns]
    delta_cols = [c for c in readable.columns if c.startswith("Δ ")]
    context: dict[str, Any] = {
        "title": title,
        "generated": f"{datetime.now(UTC):%Y-%m-%d %H:%M}",
        "summary": _summary(
            pd.DataFrame(frame.xs(reference, level="scenario", drop_level=False)), described.get(reference), fams
        ),
        "reference": reference,
        "changes": _changes(frame, reference, flows, quiet) if len(results) > 1 else [],
        "scenarios": [_scenario_row(r, described.get(r.scenario)) for r in results],
        "kpi_table": Markup(_html_table(readable[["family", *kpi_cols]])),
        "delta_table": Markup(_html_table(readable[["family", *delta_cols]])) if delta_cols else "",
        "cost_table": Markup(_html_table(_costs(frame, flows))),
        "charts": [
            Chart("route comparison", _png(plots.comparison_chart(frame, flow_names=flows, families=fams))),
            Chart("cost against time", _png(plots.tradeoff(frame, flow_names=flows, families=fams))),
        ],
        "time_table": Markup(_html_table(frame[list(plots.TIME_PARTS)].rename(columns=plots.TIME_PARTS))),
        "time_chart": _png(plots.time_breakdown(frame, flow_names=flows, families=fams)),
    }
    per_scenario = []
    for res in results:
        say(f"maps and charts of {res.scenario}")
        figs = _scenario_figures(res, network, described.get(res.scenario))
        figs["map"] = Markup(figs["map"])
        per_scenario.append(figs)
    context["per_scenario"] = per_scenario
    say("CPMM tables")
    context["cpmm"] = [
        {"name": r.scenario, "table": Markup(_html_table(r.cpmm().rename(columns=CPMM_HEADERS), digits=1, css="notes"))}
        for r in results
    ]
    assumptions, references = _sources(Path(geodata) if geodata is not None else bundled_dir("geodata"))
    columns = ["component", "id", "attribute", "value", "unit", "note"]
    context["assumptions"] = Markup(
        _html_table(assumptions[columns], css="notes", index=False) if not assumptions.empty else "<p>none</p>"
    )
    context["references"] = references
    context["toc"] = _toc(per_scenario, has_deltas=bool(delta_cols))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template("report.html.j2").render(context)


def _costs(frame: pd.DataFrame, flows: Mapping[str, str]) -> pd.DataFrame:
    """The total logistics cost per consignment and its parts, flows by title."""
    out = frame[[c for c in COST_HEADERS if c in frame.columns]].rename(columns=COST_HEADERS).reset_index()
    out["demand"] = [flows.get(str(d), str(d)) for d in out["demand"]]
    keys = [k for k in ("scenario", "demand", "route") if k in out.columns]
    return out.set_index(keys).rename_axis(index={"demand": "flow"})


def _scenario_row(res: Results, sc: Scenario | None) -> dict[str, Any]:
    return {
        "name": res.scenario,
        "title": res.title,
        "replications": res.replications,
        "shipments": len(res.shipments),
        "description": (sc.description if sc is not None else "") or "",
    }


def _toc(per_scenario: list[dict[str, Any]], *, has_deltas: bool) -> list[tuple[str, str]]:
    toc = [("summary", "Summary"), ("scenarios", "Scenarios"), ("kpis", "Key indicators per flow and route")]
    toc.append(("costs", "Total logistics cost per consignment"))
    if has_deltas:
        toc.append(("changes", "Change against the reference"))
    toc += [("charts", "Comparison charts"), ("time", "Where the time goes")]
    toc += [(f"scenario-{i}", f"{s['name']}: routes, one shipment, reliability") for i, s in enumerate(per_scenario, 1)]
    toc += [("cpmm", "CAREC CPMM indicators"), ("assumptions", "Assumptions"), ("sources", "Sources")]
    return toc


def _sample_shipment(res: Results, quiet: set[str]) -> tuple[int, int] | None:
    ships = res.shipments[res.shipments["delivered"] & ~res.shipments["demand"].isin(list(quiet))]
    if ships.empty:
        return None
    pos = int(ships["legs_total"].to_numpy().argmax())
    return int(ships["replication"].iloc[pos]), int(ships["shipment"].iloc[pos])


def _busiest_service_link(res: Results) -> str | None:
    waits = res.legs[res.legs["wait_service_h"] > 0]
    if waits.empty:
        return None
    return str(waits.groupby("link", observed=True)["wait_service_h"].sum().idxmax())


def write_report(
    results: Sequence[Results],
    path: str | Path,
    *,
    scenarios: Sequence[Scenario] = (),
    title: str = "Corridor route comparison",
    geodata: str | Path | None = None,
    network: Any = None,
    step: Step | None = None,
) -> Path:
    """Write :func:`render_report` to ``path`` (via a temporary file, then renamed).

    Raises
    ------
    OutputError
        If ``path`` is a folder or cannot be written.
    """
    from corridor.outputs.writers import output_file

    out = Path(path)
    with output_file(out, field="path") as tmp:
        text = render_report(results, scenarios=scenarios, title=title, geodata=geodata, network=network, step=step)
        tmp.write_text(text, encoding="utf-8")
    return out
