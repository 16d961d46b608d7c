"""CAREC Corridor Performance Measurement and Monitoring (CPMM) indicators from simulated legs.

The CPMM annual reports (ADB / CAREC Institute) measure corridors with four trade
facilitation indicators; this module computes the same quantities from ``Results.legs``:

* **TFI1**: hours to clear a border crossing point (BCP), entry to exit through both
  countries' posts, including waiting, loading and unloading: here border clearance plus
  the gauge change or transshipment at the BCP plus any queueing there.
* **TFI2**: cost of the crossing, in USD per FEU (CPMM: per crossing of one 20-t load;
  a FEU is taken as that unit, the same assumption as the bundled demand): the charge
  the engine made at the BCP (:func:`corridor.costing.node_time_and_cost`), the border's
  fee plus the gauge change's or, where the shipment changes mode or service there, the
  transshipment's.
* **TFI3**: cost to travel a corridor section, **normalised per 500 km and per 20 t** as
  CPMM does: section cost × (500 / km) × (20 / tonnes).
* **TFI4 / SWOD and SWD**: speed without delay (km over moving hours) and with delay (km
  over all hours spent on the section, waiting, handling and borders included).

A section is the part of a route inside one country on one mode: each leg's kilometres,
cost and moving time are split across the countries its link's geometry crosses
(:mod:`corridor.results.countries`), so a route's sections add up to its land length.
Road legs to or from an airport (access legs) are no corridor section and are left out; a
trip's section under :data:`MIN_SECTION_KM` keeps its km and speeds but no TFI3. ``note``
says where a figure lies outside the range CPMM published for that BCP or section
(``cpmm_published.csv`` beside this module, rows citing the CPMM annual reports).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from corridor.costing import FEU_TONNES

__all__ = ["CPMM_COLUMNS", "MIN_SECTION_KM", "cpmm", "section_trips"]

CPMM_COLUMNS = (
    "observations",
    "km",
    "tfi1_h",
    "tfi2_usd",
    "tfi3_usd_per_500km_20t",
    "swod_kmh",
    "swd_kmh",
    "note",
)

#: A trip's section shorter than this is not normalised to 500 km (TFI3 left empty, noted):
#: scaled up more than five times, its fixed charges would read as a per-km cost.
#: An assumption: CPMM does not publish a minimum; its sections run for hundreds of km.
MIN_SECTION_KM = 100.0

#: Published CPMM ranges to compare with, by (kind, name, mode) and indicator.
PUBLISHED = Path(__file__).with_name("cpmm_published.csv")


def cpmm(results: Any, network: Any = None) -> pd.DataFrame:
    """CPMM indicators per border crossing and per country section, from a simulation.

    Parameters
    ----------
    results
        A :class:`corridor.Results`.
    network
        The :class:`corridor.Network` the results were simulated on (default: the node
        table the results carry).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``(kind, name, direction)``: ``kind`` is ``border`` (``name`` the BCP,
        ``direction`` the two countries) or ``section`` (``name`` the country,
        ``direction`` the mode); columns :data:`CPMM_COLUMNS`.
    """
    legs = results.legs
    nodes = network.nodes if network is not None else results.nodes
    if network is not None:
        from corridor.results.countries import link_countries

        shares = link_countries(network.path)
    else:
        shares = results.link_countries
    ships = results.shipments.set_index(["replication", "shipment"])[["teu", "tonnes"]]
    legs = legs.join(ships, on=["replication", "shipment"])
    country = nodes["country"]
    legs = legs.assign(
        from_country=legs["from_node"].astype(str).map(country),
        to_country=legs["to_node"].astype(str).map(country),
        prev_country=legs.groupby(["replication", "shipment"], observed=True)["from_node"]
        .shift(1)
        .astype(object)
        .map(country),
    )
    table = pd.concat([_borders(legs, nodes, results.routes), _sections(legs, nodes, shares)]).sort_index()
    return _with_notes(table)


def _borders(legs: pd.DataFrame, nodes: pd.DataFrame, routes: dict[str, dict[str, Any]]) -> pd.DataFrame:
    at_border = legs[legs["from_node"].astype(str).map(nodes["kind"]) == "border"]
    at_border = at_border[at_border["leg"] > 0]
    if at_border.empty:
        return _empty()
    node = at_border["from_node"].astype(str)
    charge = _stop_charges(at_border, routes)
    frame = pd.DataFrame(
        {
            "kind": "border",
            "name": node.map(nodes["name"]).to_numpy(),
            "direction": (at_border["prev_country"].fillna("?") + "→" + at_border["to_country"].fillna("?")).to_numpy(),
            "tfi1_h": (
                at_border["border_h"] + at_border["handling_h"] + at_border["wait_queue_h"] + at_border["wait_gate_h"]
            ).to_numpy(),
            "tfi2_usd": charge,
        }
    )
    out = frame.groupby(["kind", "name", "direction"]).agg(
        observations=("tfi1_h", "size"), tfi1_h=("tfi1_h", "mean"), tfi2_usd=("tfi2_usd", "mean")
    )
    return out.reindex(columns=list(CPMM_COLUMNS))


def _stop_charges(legs: pd.DataFrame, routes: dict[str, dict[str, Any]]) -> np.ndarray:
    """The charge per FEU at each leg's start node, as the engine charged it (``costing.node_time_and_cost``).

    The border's fee plus the gauge change's or the transshipment's, whichever the
    shipment had there: one rule for the simulated cost, the route table and TFI2.
    """
    key = legs["route"].astype(str) + "|" + legs["demand"].astype(str)
    per_route = {k: np.asarray(m["stop_usd_per_feu"], dtype=float) for k, m in routes.items()}
    return np.asarray([per_route[k][leg] for k, leg in zip(key, legs["leg"].to_numpy(), strict=True)], dtype=float)


def section_trips(legs: pd.DataFrame, nodes: pd.DataFrame, shares: pd.DataFrame) -> pd.DataFrame:
    """One row per shipment, country and land mode: km, cost, moving and elapsed hours.

    Each leg's km, cost and moving time are split across the countries its link crosses
    (by length); time at the leg's first node stays in that node's country. Access legs
    (road to or from an airport) are no corridor section. ``legs`` needs ``tonnes`` and
    ``from_country`` columns (as :func:`cpmm` adds them).
    """
    land = legs[legs["mode"].isin(["rail", "road"])]
    kind = nodes["kind"]
    access = (land["from_node"].astype(str).map(kind) == "airport") | (
        land["to_node"].astype(str).map(kind) == "airport"
    )
    land = land[~access.to_numpy()]
    if shares.empty:  # no geometry known: each link lies in its first node's country
        shares = pd.DataFrame({"link": land["link"].astype(str), "country": land["from_country"], "share": 1.0})
        shares = shares.drop_duplicates("link")
    part = land.assign(link=land["link"].astype(str), mode=land["mode"].astype(str)).merge(shares, on="link")
    w = part["share"]
    moving = pd.DataFrame({
        "replication": part["replication"], "shipment": part["shipment"], "country": part["country"],
        "mode": part["mode"], "km": part["distance_km"] * w, "cost": part["cost_usd"] * w,
        "moving": part["travel_h"] * w, "elapsed": part["travel_h"] * w, "tonnes": part["tonnes"],
    })  # fmt: skip
    stops = pd.DataFrame({
        "replication": land["replication"], "shipment": land["shipment"], "country": land["from_country"],
        "mode": land["mode"].astype(str), "km": 0.0, "cost": 0.0, "moving": 0.0,
        "elapsed": land["arrive_h"] - land["ready_h"] - land["travel_h"], "tonnes": land["tonnes"],
    })  # fmt: skip
    per_trip = (
        pd.concat([moving, stops])
        .groupby(["replication", "shipment", "country", "mode"], observed=True)
        .agg(
            km=("km", "sum"),
            cost=("cost", "sum"),
            moving=("moving", "sum"),
            elapsed=("elapsed", "sum"),
            tonnes=("tonnes", "first"),
        )
        .reset_index()
    )
    return per_trip[per_trip["km"] > 0]


def _sections(legs: pd.DataFrame, nodes: pd.DataFrame, shares: pd.DataFrame) -> pd.DataFrame:
    """Per country and land mode: the CPMM section indicators over :func:`section_trips`."""
    per_trip = section_trips(legs, nodes, shares)
    if per_trip.empty:
        return _empty()
    long_enough = per_trip["km"] >= MIN_SECTION_KM
    tfi3 = per_trip["cost"] * (500.0 / per_trip["km"]) * (FEU_TONNES / per_trip["tonnes"])
    per_trip = per_trip.assign(tfi3=tfi3.where(long_enough), short=~long_enough)
    out = per_trip.groupby(["country", "mode"]).agg(
        observations=("km", "size"),
        km=("km", "mean"),
        tfi3_usd_per_500km_20t=("tfi3", "mean"),
        short=("short", "mean"),
        km_sum=("km", "sum"),
        moving=("moving", "sum"),
        elapsed=("elapsed", "sum"),
    )
    out["swod_kmh"] = out["km_sum"] / out["moving"]
    out["swd_kmh"] = out["km_sum"] / out["elapsed"]
    out["note"] = [f"{s:.0%} of trips under {MIN_SECTION_KM:.0f} km: TFI3 not normalised" if s > 0 else ""
                   for s in out["short"]]  # fmt: skip
    out.index = pd.MultiIndex.from_tuples(
        [("section", c, m) for c, m in out.index], names=["kind", "name", "direction"]
    )
    return out.reindex(columns=list(CPMM_COLUMNS))


_SHORT = {"tfi1_h": "TFI1", "tfi2_usd": "TFI2", "tfi3_usd_per_500km_20t": "TFI3", "swod_kmh": "SWOD", "swd_kmh": "SWD"}


def _with_notes(table: pd.DataFrame) -> pd.DataFrame:
    """Add to ``note`` where a figure lies outside the published CPMM range for that section or BCP."""
    published = pd.read_csv(PUBLISHED)
    notes = table["note"].fillna("").astype(str).tolist()
    for pos, (kind, name, direction) in enumerate(table.index):
        mode = direction if kind == "section" else "rail"
        rows = published[(published["kind"] == kind) & (published["name"] == name) & (published["mode"] == mode)]
        for r in rows.itertuples():
            value = float(table.iloc[pos][r.indicator])
            if np.isfinite(value) and not r.low <= value <= r.high:
                side = "below" if value < r.low else "above"
                text = f"{_SHORT[str(r.indicator)]} {value:,.0f} {side} CPMM {r.years} range {r.low:g}–{r.high:g}"
                notes[pos] = "; ".join(t for t in (notes[pos], text) if t)
    return table.assign(note=notes)


def _empty() -> pd.DataFrame:
    index = pd.MultiIndex.from_tuples([], names=["kind", "name", "direction"])
    return pd.DataFrame(columns=list(CPMM_COLUMNS), index=index, dtype=float)
