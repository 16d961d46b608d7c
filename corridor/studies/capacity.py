"""Capacity and bottlenecks: where shipments wait, and the volume at which a route saturates.

:func:`bottlenecks` ranks the resources of one run (services, capacity-limited links,
node gates) by the waiting they cause: the hours shipments spent waiting to board, for
a slot or at a gate there, per replication, and their share of all such waiting. It
answers "why did halving the sailing time change nothing?": the time went to waiting
for the next Black Sea feeder, not to the crossing.

:func:`saturation` reads a demand sweep (a study whose parameter scales or sets a
flow's volume): per route family, the first volume at which the route saturates, by
the rule stated in :data:`SATURATION_RULE`, and the resource that binds there.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

    from corridor.results.frames import Results

__all__ = ["BOTTLENECK_COLUMNS", "SATURATION_RULE", "binding_by_route", "bottlenecks", "saturation"]

BOTTLENECK_COLUMNS = (
    "kind", "service", "capacity", "unit", "waiting_h", "waiting_share", "shipments", "wait_mean_h", "utilisation",
)  # fmt: skip

#: Transit p95 more than this many times its value at the lowest volume of the sweep.
P95_GROWTH = 1.5
#: Delivered share below this: shipments pile up faster than they leave (a growing backlog).
DELIVERED_FLOOR = 0.95
SATURATION_RULE = (
    f"the first volume of the sweep at which a route family's transit p95 exceeds {P95_GROWTH:g}× its value at "
    f"the lowest volume, or fewer than {DELIVERED_FLOOR:.0%} of its shipments are delivered by the horizon "
    "(the backlog grows)"
)


def bottlenecks(res: Results) -> pd.DataFrame:
    """Resources ranked by the waiting they cause (most first).

    Parameters
    ----------
    res
        Results of one scenario.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``resource`` (link id for services and capacity links, node id for
        gates), columns :data:`BOTTLENECK_COLUMNS`: ``waiting_h`` is the hours waited
        there per replication, summed over shipments; ``waiting_share`` its share of the
        waiting at every resource; ``shipments`` the legs done there per replication;
        ``wait_mean_h`` the mean wait of a leg; ``utilisation`` the mean of
        :meth:`~corridor.Results.utilisation` (load factor of a service).
    """
    import pandas as pd

    res_table = res.resources
    if res_table.empty:
        return pd.DataFrame(columns=list(BOTTLENECK_COLUMNS), index=pd.Index([], name="resource"))
    from corridor.results.monitors import waits as leg_waits

    waits = leg_waits(res)
    n = max(res.replications, 1)
    by = waits.groupby("resource")["wait"]
    total = by.sum().reindex(res_table.index, fill_value=0.0)
    count = by.size().reindex(res_table.index, fill_value=0)
    util = res.utilisation().groupby("resource")["utilisation"].mean().reindex(res_table.index)
    grand = float(total.sum())
    frame = pd.DataFrame(
        {
            "kind": res_table["kind"],
            "service": res_table["service"],
            "capacity": res_table["capacity"],
            "unit": res_table["unit"],
            "waiting_h": total / n,
            "waiting_share": total / grand if grand > 0 else np.nan,
            "shipments": count / n,
            "wait_mean_h": (total / count.where(count > 0)).astype(float),
            "utilisation": util,
        }
    )
    frame.index.name = "resource"
    return frame.sort_values("waiting_h", ascending=False, kind="stable")


def binding_by_route(res: Results) -> pd.Series:
    """Per ``(demand, route)``: the resource where its shipments waited longest in all ("" if none waited).

    Waiting to board a service or for a slot counts at the link, waiting at a gate at the node.
    """
    import pandas as pd

    legs = res.legs
    keys = ["demand", "route"]
    at_links = (
        legs.assign(wait=legs["wait_service_h"] + legs["wait_queue_h"])
        .groupby([*keys, "link"], observed=True)["wait"]
        .sum()
    )
    at_gates = legs.groupby([*keys, "from_node"], observed=True)["wait_gate_h"].sum()
    parts = [s.rename_axis([*keys, "resource"]).rename("wait") for s in (at_links, at_gates)]
    sums = pd.concat([p.reset_index().astype({"resource": str}) for p in parts], ignore_index=True)
    sums = sums[sums["wait"] > 0]
    if sums.empty:
        return pd.Series(dtype=object, name="binding")
    top = sums.sort_values("wait", ascending=False, kind="stable").drop_duplicates(keys)
    return top.set_index(keys)["resource"].rename("binding")


def saturation(frame: pd.DataFrame, *, volume: str, others: Sequence[str] = ()) -> pd.DataFrame:
    """Saturation volume and binding resource per route family, from a demand sweep.

    Parameters
    ----------
    frame
        A study's tidy frame (:attr:`corridor.studies.StudyResult.frame`): one row per
        variant, demand and route, with ``family``, ``transit_days_p95``,
        ``delivered_share``, ``binding`` and the ``volume`` column.
    volume
        The parameter column that holds the volume swept.
    others
        The study's other parameters: each combination of their levels is a sweep of its own.

    Returns
    -------
    pandas.DataFrame
        Per ``(demand, family, *others)``: ``p95_unloaded`` (at the lowest volume),
        ``saturation`` (the first volume that breaks :data:`SATURATION_RULE`, NaN if none
        does), ``p95_at_saturation``, ``delivered_at_saturation`` and ``binding`` (the
        resource where the family's shipments waited longest at that volume, or at the
        highest volume if none saturates).
    """
    import pandas as pd

    keys = ["demand", "family", *others]
    per = (  # per volume, the family's slowest route: its p95 and its binding resource
        frame.sort_values("transit_days_p95", ascending=False, kind="stable")
        .groupby([*keys, volume], observed=True, sort=True, dropna=False)
        .agg(
            transit_days_p95=("transit_days_p95", "max"),
            delivered_share=("delivered_share", "min"),
            binding=("binding", "first"),
        )
        .reset_index()
    )
    rows = []
    for key, grp in per.groupby(keys, sort=False, dropna=False):
        grp = grp.sort_values(volume)
        base = float(grp["transit_days_p95"].iloc[0])
        broken = grp[(grp["transit_days_p95"] > P95_GROWTH * base) | (grp["delivered_share"] < DELIVERED_FLOOR)]
        hit = broken.iloc[0] if len(broken) else None
        rows.append(
            {
                **dict(zip(keys, key, strict=True)),
                "p95_unloaded": base,
                "saturation": float(hit[volume]) if hit is not None else np.nan,
                "p95_at_saturation": float(hit["transit_days_p95"]) if hit is not None else np.nan,
                "delivered_at_saturation": float(hit["delivered_share"]) if hit is not None else np.nan,
                "binding": str(hit["binding"]) if hit is not None else str(grp["binding"].iloc[-1]),
            }
        )
    return pd.DataFrame(rows).set_index(keys)
