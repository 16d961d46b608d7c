"""Results: the frames of a simulation and their analysis.

:class:`Results` holds the per-leg and per-shipment frames (built by
:mod:`corridor.results.builder`) and what the lazy frames are built from; it pickles
(``pickle.loads(pickle.dumps(res))``), so results can be cached or sent back from a
worker. Analyses live in their own modules: :mod:`corridor.results.kpis`,
:mod:`corridor.results.monitors`, :mod:`corridor.results.cpmm`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from corridor.engine.services import DepartureLog
from corridor.plan import SimPlan
from corridor.results import kpis as _kpis
from corridor.results import monitors as _monitors
from corridor.results.kpis import KPI_COLUMNS
from corridor.results.monitors import QUEUE_COLUMNS, UTILISATION_COLUMNS

__all__ = [
    "KPI_COLUMNS",
    "LEG_COLUMNS",
    "QUEUE_COLUMNS",
    "SHIPMENT_COLUMNS",
    "UTILISATION_COLUMNS",
    "Results",
]

LEG_COLUMNS = (
    "replication", "shipment", "demand", "route", "leg", "link", "mode", "from_node", "to_node",
    "ready_h", "depart_h", "arrive_h", "wait_gate_h", "wait_service_h", "wait_queue_h", "handling_h",
    "border_h", "dwell_h", "disrupted_h", "travel_h", "distance_km", "cost_usd", "storage_usd", "co2_kg",
    "co2_wtw_kg",
)  # fmt: skip

SHIPMENT_COLUMNS = (
    "replication", "shipment", "demand", "route", "origin", "destination", "unit", "teu", "tonnes", "m3",
    "value_usd", "release_h", "delivery_h", "delivered", "status", "location", "legs_done", "legs_total",
    "destination_border_h", "destination_dwell_h", "transit_days", "distance_km", "cost_usd", "freight_usd",
    "handling_usd", "border_usd", "storage_usd", "inventory_usd", "logistics_usd", "co2_kg", "co2_wtw_kg",
)  # fmt: skip


@dataclass
class Results:
    """The outcome of :func:`corridor.simulate`.

    Attributes
    ----------
    scenario, title
        The scenario's name and title.
    replications
        Number of replications run.
    legs
        One row per shipment-leg completed (columns :data:`LEG_COLUMNS`).
    shipments
        One row per shipment released, delivered or still in transit at the horizon
        (columns :data:`SHIPMENT_COLUMNS`).
    departures
        One row per service departure: service, side, link (``None`` for a shuttle's
        empty return where the service has one link), time, load, capacity, travel time.
    routes
        Route metadata keyed by ``"route|demand"``.
    events
        SimPy events scheduled, summed over replications.
    nodes
        The nodes of the network simulated (name, country, kind, crossing charges).
    queue_links
        Links where shipments can wait to leave (served by a service or capacity-limited).
    resources
        Every resource the routes use, indexed by link id (``service``, ``slots``) or node
        id (``gate``): ``kind``, ``capacity`` (per departure, shipments at once, TEU per
        day), ``unit``, ``service`` (the id, for service links).
    horizon_h
        The horizon simulated (h).
    timings
        Wall time of the phases of :func:`corridor.simulate` in seconds: ``prepare_s``
        (routes and legs), ``simulate_s`` (the replications) and ``results_s`` (these
        frames).
    precision
        With ``simulate(..., replications="auto")``: one line saying which half-width
        was reached after how many replications (empty otherwise).
    """

    scenario: str
    title: str
    replications: int
    legs: pd.DataFrame
    shipments: pd.DataFrame
    routes: dict[str, dict[str, Any]] = field(repr=False)
    events: int = 0
    timings: dict[str, float] = field(default_factory=dict, repr=False, compare=False)
    queue_links: tuple[str, ...] = field(default=(), repr=False, compare=False)
    horizon_h: float = field(default=float("nan"), repr=False, compare=False)
    #: What ``departures``, ``nodes``, ``resources`` and ``link_countries`` are built from
    #: (each once, when first used): the plan simulated, the services' departure logs and
    #: the geodata folder.
    plan: SimPlan | None = field(default=None, repr=False, compare=False)
    logs: tuple[DepartureLog, ...] = field(default=(), repr=False, compare=False)
    geodata: Path | None = field(default=None, repr=False, compare=False)
    precision: str = field(default="", repr=False, compare=False)

    @cached_property
    def departures(self) -> pd.DataFrame:
        """One row per service departure (see the class docstring)."""
        from corridor.results.builder import departures_frame

        return departures_frame(self.plan, self.logs) if self.plan is not None else pd.DataFrame()

    @cached_property
    def nodes(self) -> pd.DataFrame:
        """The nodes of the network simulated."""
        from corridor.results.builder import nodes_frame

        return nodes_frame(self.plan) if self.plan is not None else pd.DataFrame()

    @cached_property
    def resources(self) -> pd.DataFrame:
        """Every resource the routes use (see the class docstring)."""
        from corridor.results.builder import resources_frame

        return resources_frame(self.plan) if self.plan is not None else pd.DataFrame()

    @cached_property
    def link_countries(self) -> pd.DataFrame:
        """Share of each link's length in each country it crosses
        (:func:`corridor.results.countries.link_countries`; empty when not known)."""
        from corridor.results.countries import link_countries

        return link_countries(self.geodata) if self.geodata is not None else pd.DataFrame()

    def cpmm(self) -> pd.DataFrame:
        """CAREC CPMM indicators (TFI1–TFI3, SWOD, SWD) per border crossing and country section.

        See :func:`corridor.results.cpmm.cpmm`.
        """
        from corridor.results.cpmm import cpmm

        return cpmm(self)

    def queues(self) -> pd.DataFrame:
        """Queue monitors: shipments waiting at each resource over time (:func:`corridor.results.monitors.queues`)."""
        return _monitors.queues(self)

    def utilisation(self) -> pd.DataFrame:
        """Resource monitors: use of each resource and the waits it caused
        (:func:`corridor.results.monitors.utilisation`)."""
        return _monitors.utilisation(self)

    def kpis(self, *, level: float = 0.95) -> pd.DataFrame:
        """Key performance indicators per demand flow and route (:func:`corridor.results.kpis.kpis`),
        with confidence intervals.

        Each KPI but ``shipments`` has a column ``<kpi>_ci<level>`` (``_ci95`` at the
        default level): the half-width ``t · s / √n`` of its confidence interval across
        the ``n`` replications, where ``s`` is the standard deviation of the KPI computed
        replication by replication (:meth:`kpis_by_replication`); NaN with one
        replication. See :mod:`corridor.studies.confidence`.

        Parameters
        ----------
        level
            Confidence level of the intervals (0.95: columns ``_ci95``).
        """
        from corridor.studies.confidence import with_intervals

        return with_intervals(_kpis.kpis(self), self.kpis_by_replication(), level=level)

    def kpis_by_replication(self) -> pd.DataFrame:
        """The KPIs of :meth:`kpis` computed for each replication on its own.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``(demand, route, replication)``, columns :data:`KPI_COLUMNS`.
        """
        return self._kpis_by_replication.copy()

    @cached_property
    def _kpi_inputs(self) -> _kpis.KpiInputs:  # both KPI tables read it: built once
        return _kpis.kpi_inputs(self)

    @cached_property
    def _kpis_by_replication(self) -> pd.DataFrame:  # kpis() and compare() use it too: built once
        return _kpis.kpi_table(self, ["demand", "route", "replication"])

    def bottlenecks(self) -> pd.DataFrame:
        """Resources ranked by the waiting they cause; see :func:`corridor.studies.capacity.bottlenecks`."""
        from corridor.studies.capacity import bottlenecks

        return bottlenecks(self)
