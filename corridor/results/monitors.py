"""Resource monitors from the records: waits at each resource, queue lengths over time, utilisation.

Everything is derived from :attr:`Results.legs`, :attr:`Results.resources` and
:attr:`Results.departures`: nothing is monitored while the engine runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from corridor.costing import HOURS_PER_DAY

if TYPE_CHECKING:
    from corridor.results.frames import Results

__all__ = ["QUEUE_COLUMNS", "UTILISATION_COLUMNS", "queues", "utilisation", "waits"]

QUEUE_COLUMNS = ("replication", "kind", "resource", "time_h", "waiting")

UTILISATION_COLUMNS = (
    "replication", "kind", "resource", "capacity", "unit", "used", "available", "utilisation",
    "shipments", "wait_mean_h", "wait_p95_h", "wait_max_h", "queue_max",
)  # fmt: skip

_WAIT_COLUMNS = ("replication", "kind", "resource", "begin", "end", "wait", "used")


def waits(results: Results) -> pd.DataFrame:
    """One row per leg done at a resource (:data:`_WAIT_COLUMNS`).

    ``begin``/``end``: when the leg waited there (``wait`` = its wait column);
    ``used``: what it took of the resource (gate hours held, slot-hours), 0 at a service.
    """
    legs = results.legs
    res = results.resources
    if res.empty:
        return pd.DataFrame({c: [] for c in _WAIT_COLUMNS})
    kind_of = res["kind"]
    parts = []
    links = legs[legs["link"].isin(res.index[kind_of != "gate"])]
    if not links.empty:
        link = links["link"].astype(str)
        kind = link.map(kind_of).to_numpy()
        slots = kind == "slots"
        begin = links["ready_h"] + links["wait_gate_h"] + links["border_h"] + links["handling_h"]
        parts.append(
            pd.DataFrame(
                {
                    "replication": links["replication"].to_numpy(),
                    "kind": kind,
                    "resource": link.to_numpy(),
                    "begin": (begin + links["disrupted_h"]).to_numpy(),
                    "end": links["depart_h"].to_numpy(),
                    "wait": np.where(slots, links["wait_queue_h"], links["wait_service_h"]),
                    "used": np.where(slots, links["arrive_h"] - links["depart_h"], 0.0),
                }
            )
        )
    gates = legs[legs["from_node"].isin(res.index[kind_of == "gate"])]
    if not gates.empty:
        by_ship = results.shipments.set_index(["replication", "shipment"])["teu"]
        teu = by_ship.reindex(pd.MultiIndex.from_frame(gates[["replication", "shipment"]])).to_numpy()
        held = teu > 0  # shipments of 0 TEU pass without the gate
        gates = gates[held]
        node = gates["from_node"].astype(str)
        parts.append(
            pd.DataFrame(
                {
                    "replication": gates["replication"].to_numpy(),
                    "kind": "gate",
                    "resource": node.to_numpy(),
                    "begin": gates["ready_h"].to_numpy(),
                    "end": (gates["ready_h"] + gates["wait_gate_h"]).to_numpy(),
                    "wait": gates["wait_gate_h"].to_numpy(),
                    "used": HOURS_PER_DAY * teu[held] / node.map(res["capacity"]).to_numpy(dtype=float),
                }
            )
        )
    if not parts:
        return pd.DataFrame({c: [] for c in _WAIT_COLUMNS})
    return pd.concat(parts, ignore_index=True)


def queues(results: Results) -> pd.DataFrame:
    """Queue monitors: shipments waiting at each resource over time.

    One row per change (columns :data:`QUEUE_COLUMNS`): ``waiting`` is the number of
    shipments waiting at ``resource`` right after ``time_h``. Resources are service
    links (waiting to board), capacity links (``slots``: waiting for a slot) and node
    gates (``gate``, keyed by node id: waiting to enter). From the records: a leg
    waits at a link from the moment it could leave (ready + gate + border + handling,
    after any closure) until it departs, and at a gate from its ready time for
    ``wait_gate_h``.
    """
    waited = waits(results)
    if waited.empty:
        return pd.DataFrame({c: [] for c in QUEUE_COLUMNS})
    n = len(waited)
    events = pd.DataFrame(
        {
            "replication": np.concatenate([waited["replication"].to_numpy()] * 2),
            "kind": np.concatenate([waited["kind"].to_numpy()] * 2),
            "resource": np.concatenate([waited["resource"].to_numpy()] * 2),
            "time_h": np.concatenate([waited["begin"].to_numpy(), waited["end"].to_numpy()]),
            "delta": np.concatenate([np.ones(n, dtype=np.int64), -np.ones(n, dtype=np.int64)]),
        }
    )
    keys = ["replication", "kind", "resource"]
    steps = events.groupby([*keys, "time_h"], sort=True)["delta"].sum().reset_index()
    steps["waiting"] = steps.groupby(keys)["delta"].cumsum()
    return steps.drop(columns="delta").reindex(columns=list(QUEUE_COLUMNS))


def utilisation(results: Results) -> pd.DataFrame:
    """Resource monitors: how much of each resource was used, and the waits it caused.

    One row per replication and resource (columns :data:`UTILISATION_COLUMNS`):

    * ``gate`` (a node's ``capacity_teu_day``): ``used`` = hours the gate was held
      (24 · TEU / capacity per shipment), ``available`` = the horizon;
    * ``slots`` (a link's ``capacity``): ``used`` = slot-hours taken (departure to
      arrival), ``available`` = capacity × horizon;
    * ``service``: ``used`` = load carried and ``available`` = capacity offered, summed
      over the departures on that link (``unit`` teu or kg): the load factor.

    ``utilisation = used / available``. Waiting times (``wait_gate_h``,
    ``wait_queue_h`` or ``wait_service_h``) are over the legs done at the resource;
    ``queue_max`` is the longest queue of :meth:`queues`. Legs still under way at the
    horizon are not counted.
    """
    res = results.resources
    if res.empty:
        return pd.DataFrame({c: [] for c in UTILISATION_COLUMNS})
    keys = ["replication", "resource"]
    grid = pd.MultiIndex.from_product([range(results.replications), res.index], names=keys)
    waited = waits(results)
    by = waited.groupby(keys)
    stats = pd.DataFrame(
        {
            "shipments": by.size(),
            "wait_mean_h": by["wait"].mean(),
            "wait_p95_h": by["wait"].quantile(0.95),
            "wait_max_h": by["wait"].max(),
            "used": by["used"].sum(),
        }
    ).reindex(grid)
    deps = results.departures.dropna(subset=["link"]).groupby(["replication", "link"])[["load", "capacity"]].sum()
    deps.index.names = keys
    deps = deps.reindex(grid)
    queued = queues(results)
    qmax = queued.groupby(keys)["waiting"].max().reindex(grid).fillna(0)
    frame = stats.reset_index()
    kind = frame["resource"].map(res["kind"]).to_numpy()
    capacity = frame["resource"].map(res["capacity"]).to_numpy(dtype=float)
    service = kind == "service"
    horizon = results.horizon_h
    used = np.where(service, deps["load"].fillna(0.0).to_numpy(), frame["used"].fillna(0.0).to_numpy())
    available = np.where(
        service,
        deps["capacity"].fillna(0.0).to_numpy(),
        np.where(kind == "slots", capacity * horizon, horizon),
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(available > 0, used / available, np.nan)
    unit = np.where(
        service, frame["resource"].map(res["unit"]).to_numpy(dtype=object), np.where(kind == "slots", "slot-h", "h")
    )
    out = pd.DataFrame(
        {
            "replication": frame["replication"].to_numpy(),
            "kind": kind,
            "resource": frame["resource"].to_numpy(),
            "capacity": capacity,
            "unit": unit,
            "used": used,
            "available": available,
            "utilisation": share,
            "shipments": frame["shipments"].fillna(0).to_numpy(dtype=np.int64),
            "wait_mean_h": frame["wait_mean_h"].to_numpy(),
            "wait_p95_h": frame["wait_p95_h"].to_numpy(),
            "wait_max_h": frame["wait_max_h"].to_numpy(),
            "queue_max": qmax.to_numpy(dtype=np.int64),
        }
    )
    return out
