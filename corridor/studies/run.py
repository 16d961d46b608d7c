"""Run a study: every variant × replications in one pool, one tidy frame back.

The network is read once per study; each variant is the base scenario with its
parameters set (:func:`~corridor.studies.addresses.evolve_scenario`) and is prepared
(compiled) once. All variants run from the same replication seeds, so they draw the
same random numbers for the same entities (:mod:`corridor.engine.streams`): a
difference between variants is the parameters' doing, not noise. Every replication of
every variant goes to one pool of local workers or to one Dask cluster, so the
workers stay busy until the last one is done.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from corridor._errors import CorridorError, ScenarioError
from corridor.studies.design import StudySpec, Variant, load_study, variants

if TYPE_CHECKING:
    import pandas as pd

    from corridor.plan import SimPlan

__all__ = ["StudyResult", "study"]


@dataclass
class StudyResult:
    """The outcome of :func:`study`.

    Attributes
    ----------
    spec
        The study file, validated.
    frame
        One row per variant, demand flow and route: ``variant``, one column per
        parameter (NaN: the base scenario's value), ``demand``, ``route``, ``family``,
        the KPIs of :meth:`corridor.Results.kpis` with their half-widths; for the study's
        KPIs, ``delta_<kpi>`` against the first variant (the base scenario of a
        one-at-a-time study) with its paired half-width (common random numbers); ``binding``
        (the resource where the route's shipments waited longest) and
        ``replications``.
    saturation
        For a capacity study (``capacity = "<parameter>"``): per demand flow and route
        family, the saturation volume and the binding resource
        (:func:`corridor.studies.capacity.saturation`); else None.
    timings
        Wall time of the phases in seconds: ``prepare_s`` (network read, variants
        compiled), ``simulate_s`` (the replications) and ``results_s`` (what is left to
        build after the last replication); ``summarised_s``, part of ``simulate_s``, is
        the time this process spent building the rows of variants already finished while
        replications still ran (on 2 or more local workers, the workers go on meanwhile).
    """

    spec: StudySpec
    frame: pd.DataFrame
    saturation: pd.DataFrame | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def parameters(self) -> list[str]:
        """The parameter columns of :attr:`frame`."""
        return [p.column for p in self.spec.parameters]

    def focus(self) -> pd.DataFrame:
        """The rows of the study's ``focus`` (``demand/route`` or ``demand``), or all rows if it names none."""
        if not self.spec.focus:
            return self.frame
        keep = np.zeros(len(self.frame), dtype=bool)
        pair = self.frame["demand"].astype(str) + "/" + self.frame["route"].astype(str)
        for item in self.spec.focus:
            keep |= (pair == item).to_numpy() | (self.frame["demand"].astype(str) == item).to_numpy()
        return self.frame[keep]


def _plans(spec: StudySpec, chosen: list[Variant]) -> tuple[Any, list[SimPlan]]:
    """The base scenario and one prepared plan per variant (the network read once)."""
    from corridor.network import load_network
    from corridor.plan import prepare
    from corridor.scenario import load_scenario
    from corridor.studies.addresses import evolve_scenario, scenario_plan

    base = load_scenario(spec.base_path())
    network = load_network(base.network_path())
    base_plan = scenario_plan(base, network)  # for family= and route= addresses: planned once, if at all
    plans = []
    for v in chosen:
        settings, fields = v.settings(spec)
        sc = evolve_scenario(
            base, settings, network=network, name=f"{spec.name}/{v.id}", file=spec.file, fields=fields, plan=base_plan
        )
        try:
            plans.append(prepare(sc, network))
        except CorridorError as exc:
            shown = (
                ", ".join(
                    f"{k} = {x:g}" if isinstance(x, float) else f"{k} = {x}"
                    for k, x in v.values.items()
                    if x is not None
                )
                or "the base"
            )
            raise ScenarioError(f"variant {v.id} ({shown}) cannot run: {exc.message}", file=spec.file) from None
    return base, plans


def study(
    study: str | Path | StudySpec,
    *,
    replications: int | None = None,
    workers: int = 1,
    backend: str = "local",
    client: Any = None,
    progress: bool = False,
    level: float = 0.95,
) -> StudyResult:
    """Run a study: every variant × replications, on the local pool or a Dask cluster.

    Parameters
    ----------
    study
        A study file (path), a bundled study's name, or a :class:`StudySpec`.
    replications
        Replications per variant (default: the study's, else the base scenario's).
    workers, backend, client, progress
        As for :func:`corridor.simulate`; one pool (or cluster) serves the whole study.
    level
        Confidence level of the half-width columns.

    Returns
    -------
    StudyResult

    Raises
    ------
    ScenarioError
        A bad study file, address or setting, naming the file, the field and the fix.
    """
    from corridor.runner import check_options, run_replications

    spec = study if isinstance(study, StudySpec) else load_study(study)
    chosen = variants(spec)
    t0 = time.perf_counter()
    base, plans = _plans(spec, chosen)
    n = replications or spec.replications or base.replications
    check_options(base, replications=n, workers=workers, backend=backend, client=client)
    t1 = time.perf_counter()
    seeds = np.random.SeedSequence(base.seed).spawn(n)  # the same for every variant: common random numbers
    summary = _Summary(spec, chosen, plans, n=n, level=level)
    buffers = run_replications(
        [p for p in plans for _ in range(n)],
        seeds * len(plans),
        workers=min(workers, n * len(plans)),
        backend=backend,
        client=client,
        progress=progress,
        label=f"study {spec.name}: {len(plans)} variants × {n} replications",
        between=summary.take,  # finished variants are summarised while the workers go on
    )
    t2 = time.perf_counter()
    overlapped = summary.seconds
    frame = summary.frame(buffers)
    saturation = None
    if spec.capacity is not None:
        from corridor.studies.capacity import saturation as saturation_table

        others = [p.column for p in spec.parameters if p.column != spec.capacity]
        saturation = saturation_table(frame, volume=spec.capacity, others=others)
    t3 = time.perf_counter()
    return StudyResult(
        spec=spec,
        frame=frame,
        saturation=saturation,
        timings={"prepare_s": t1 - t0, "simulate_s": t2 - t1, "results_s": t3 - t2, "summarised_s": overlapped},
    )


def _add_deltas(
    kpis: pd.DataFrame, per: pd.DataFrame, reference: pd.DataFrame, *, kpis_of_reference: Any, level: float
) -> None:
    """Add ``delta_<kpi>`` and its paired half-width against the study's first variant, in place."""
    from corridor.studies.confidence import ci_suffix, delta_halfwidths

    same = per.index.equals(reference.index)
    widths = delta_halfwidths(per, reference if same else reference.reindex(per.index), level=level)
    first = kpis if kpis_of_reference is None else kpis_of_reference.set_index(["demand", "route"])
    for kpi in per.columns:
        kpis[f"delta_{kpi}"] = kpis[kpi] - first[kpi].reindex(kpis.index)
        kpis[f"delta_{kpi}{ci_suffix(level)}"] = widths[kpi].reindex(kpis.index)


class _Summary:
    """The study's frame, built variant by variant as their replications come in.

    A variant's rows follow from its own buffers and the first variant's KPIs per
    replication (for the deltas), so they are the same whenever they are built: while the
    workers still run (:func:`corridor.runner.run_replications` calls :meth:`take`) or
    all at the end (:meth:`frame`). Variants are summarised in order.
    """

    def __init__(self, spec: StudySpec, chosen: list[Variant], plans: list[SimPlan], *, n: int, level: float) -> None:
        self.spec, self.chosen, self.plans, self.n, self.level = spec, chosen, plans, n, level
        self.parts: list[pd.DataFrame] = []
        self.reference: pd.DataFrame | None = None
        self.seconds = 0.0  # wall time spent summarising

    def take(self, buffers: Mapping[int, Any]) -> None:
        """Summarise the next variants whose replications are all in ``buffers`` (by task index)."""
        while len(self.parts) < len(self.plans):
            k = len(self.parts)
            tasks = range(k * self.n, (k + 1) * self.n)
            if not all(i in buffers for i in tasks):
                return
            t0 = time.perf_counter()
            self.parts.append(self._variant(k, [buffers[i] for i in tasks]))
            self.seconds += time.perf_counter() - t0

    def frame(self, buffers: Sequence[Any]) -> pd.DataFrame:
        """The tidy frame of every variant, from all the buffers in task order."""
        import pandas as pd

        self.take(dict(enumerate(buffers)))
        frame = pd.concat(self.parts, ignore_index=True)
        params = [p.column for p in self.spec.parameters]
        lead = ["variant", *params, "demand", "route", "family", "replications"]
        return frame[lead + [c for c in frame.columns if c not in lead]]

    def _variant(self, k: int, buffers: list[Any]) -> pd.DataFrame:
        """The rows of variant ``k``."""
        from corridor.results.builder import build_results
        from corridor.studies.capacity import binding_by_route

        v = self.chosen[k]
        res = build_results(self.plans[k], buffers)
        kpis = res.kpis(level=self.level)
        per = res.kpis_by_replication()[self.spec.kpis]
        if self.reference is None:  # the first variant: the base of one-at-a-time
            self.reference = per
        first = self.parts[0] if self.parts else None
        _add_deltas(kpis, per, self.reference, kpis_of_reference=first, level=self.level)
        kpis = kpis.reset_index()
        binding = binding_by_route(res)
        pairs = list(zip(kpis["demand"], kpis["route"], strict=True))
        kpis["binding"] = [binding.get(pair, "") for pair in pairs]
        kpis["family"] = [res.routes.get(f"{r}|{d}", {}).get("family", "") for d, r in pairs]
        kpis["replications"] = self.n
        for col, value in v.values.items():
            kpis[col] = np.nan if value is None else value
        kpis["variant"] = v.id
        return kpis
