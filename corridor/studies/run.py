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
        compiled), ``simulate_s`` and ``results_s``.
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
    from corridor.studies.addresses import evolve_scenario

    base = load_scenario(spec.base_path())
    network = load_network(base.network_path())
    plans = []
    for v in chosen:
        settings, fields = v.settings(spec)
        sc = evolve_scenario(base, settings, network=network, name=f"{spec.name}/{v.id}", file=spec.file, fields=fields)
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
    buffers = run_replications(
        [p for p in plans for _ in range(n)],
        seeds * len(plans),
        workers=min(workers, n * len(plans)),
        backend=backend,
        client=client,
        progress=progress,
        label=f"study {spec.name}: {len(plans)} variants × {n} replications",
    )
    t2 = time.perf_counter()
    frame = _frame(spec, chosen, plans, buffers, n=n, level=level)
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
        timings={"prepare_s": t1 - t0, "simulate_s": t2 - t1, "results_s": t3 - t2},
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


def _frame(
    spec: StudySpec, chosen: list[Variant], plans: list[SimPlan], buffers: list[Any], *, n: int, level: float
) -> pd.DataFrame:
    """The tidy frame of every variant, from the buffers in task order."""
    import pandas as pd

    from corridor.results.builder import build_results
    from corridor.studies.capacity import binding_by_route

    parts: list[pd.DataFrame] = []
    reference: pd.DataFrame | None = None
    for k, (v, plan) in enumerate(zip(chosen, plans, strict=True)):
        res = build_results(plan, buffers[k * n : (k + 1) * n])
        kpis = res.kpis(level=level)
        per = res.kpis_by_replication()[spec.kpis]
        reference = per if reference is None else reference  # the first variant: the base of one-at-a-time
        _add_deltas(kpis, per, reference, kpis_of_reference=parts[0] if parts else None, level=level)
        kpis = kpis.reset_index()
        binding = binding_by_route(res)
        kpis["binding"] = [binding.get((d, r), "") for d, r in zip(kpis["demand"], kpis["route"], strict=True)]
        kpis["family"] = [
            res.routes.get(f"{r}|{d}", {}).get("family", "") for d, r in zip(kpis["demand"], kpis["route"], strict=True)
        ]
        kpis["replications"] = n
        for col, value in v.values.items():
            kpis[col] = np.nan if value is None else value
        kpis["variant"] = v.id
        parts.append(kpis)
    frame = pd.concat(parts, ignore_index=True)
    params = [p.column for p in spec.parameters]
    lead = ["variant", *params, "demand", "route", "family", "replications"]
    frame = frame[lead + [c for c in frame.columns if c not in lead]]
    return frame
