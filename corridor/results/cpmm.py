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

A section is the part of a route inside one country on one mode.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from corridor.costing import FEU_TONNES

__all__ = ["CPMM_COLUMNS", "cpmm"]

CPMM_COLUMNS = ("observations", "km", "tfi1_h", "tfi2_usd", "tfi3_usd_per_500km_20t", "swod_kmh", "swd_kmh")


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
    return pd.concat([_borders(legs, nodes, results.routes), _sections(legs)]).sort_index()


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


def _sections(legs: pd.DataFrame) -> pd.DataFrame:
    land = legs[legs["mode"].isin(["rail", "road"])]
    if land.empty:
        return _empty()
    elapsed = land["arrive_h"] - land["ready_h"]
    per_trip = (
        land.assign(elapsed=elapsed, mode=land["mode"].astype(str))
        .groupby(["replication", "shipment", "from_country", "mode"], observed=True)
        .agg(
            km=("distance_km", "sum"),
            cost=("cost_usd", "sum"),
            moving=("travel_h", "sum"),
            elapsed=("elapsed", "sum"),
            tonnes=("tonnes", "first"),
        )
        .reset_index()
    )
    per_trip = per_trip[per_trip["km"] > 0]
    per_trip["tfi3"] = per_trip["cost"] * (500.0 / per_trip["km"]) * (FEU_TONNES / per_trip["tonnes"])
    out = per_trip.groupby(["from_country", "mode"]).agg(
        observations=("km", "size"),
        km=("km", "mean"),
        tfi3_usd_per_500km_20t=("tfi3", "mean"),
        km_sum=("km", "sum"),
        moving=("moving", "sum"),
        elapsed=("elapsed", "sum"),
    )
    out["swod_kmh"] = out["km_sum"] / out["moving"]
    out["swd_kmh"] = out["km_sum"] / out["elapsed"]
    out.index = pd.MultiIndex.from_tuples(
        [("section", c, m) for c, m in out.index], names=["kind", "name", "direction"]
    )
    return out.reindex(columns=list(CPMM_COLUMNS))


def _empty() -> pd.DataFrame:
    index = pd.MultiIndex.from_tuples([], names=["kind", "name", "direction"])
    return pd.DataFrame(columns=list(CPMM_COLUMNS), index=index, dtype=float)
