"""Replications run until a KPI is known to a precision (``replications="auto"``).

Start with ``start`` replications; while the widest confidence interval of the named
KPI (over every demand flow and route) has a half-width above the target, estimate the
replications it needs, ``n · (h / target)²`` (the half-width shrinks as ``1/√n``;
Law & Kelton, *Simulation Modeling and Analysis*, §9.4.1), and run that many more, up
to ``cap``. Replication ``i`` always runs from ``SeedSequence(seed).spawn(...)[i]``, so
the result is that of a plain run of the final number of replications.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from corridor._errors import CorridorError, ScenarioError, did_you_mean

if TYPE_CHECKING:
    from corridor.engine.replication import ReplicationBuffers
    from corridor.results.frames import Results

__all__ = ["Precision", "PrecisionWarning", "parse_precision", "run_to_precision"]


class PrecisionWarning(UserWarning):
    """The cap on replications was reached before the target precision."""


@dataclass(frozen=True)
class Precision:
    """A target half-width for a KPI.

    Attributes
    ----------
    target
        Largest half-width accepted, in the KPI's unit (days for ``transit_days_*``).
    kpi
        A column of :meth:`corridor.Results.kpis` (not ``shipments``).
    level
        Confidence level.
    start
        Replications of the first batch (at least 2).
    cap
        Most replications run.
    """

    target: float
    kpi: str = "transit_days_mean"
    level: float = 0.95
    start: int = 10
    cap: int = 200

    def check(self) -> None:
        """Raise :class:`ScenarioError` naming the option at fault."""
        from corridor.results.frames import KPI_COLUMNS

        if not self.target > 0:
            raise ScenarioError(f"the target half-width must be above 0 (got {self.target})", field="precision")
        if self.kpi not in KPI_COLUMNS or self.kpi == "shipments":
            choices = [c for c in KPI_COLUMNS if c != "shipments"]
            raise ScenarioError(f"unknown KPI {self.kpi!r}{did_you_mean(self.kpi, choices)}", field="precision_kpi")
        if not 2 <= self.start <= self.cap:
            raise ScenarioError(
                f"start ({self.start}) and cap ({self.cap}) need 2 <= start <= cap; raise the cap",
                field="max_replications",
            )


def parse_precision(text: str) -> float:
    """A half-width from the command line: ``0.5``, ``0.5d`` (days) or ``12h`` (hours, given in days).

    Examples
    --------
    >>> parse_precision("0.5d"), parse_precision("12h"), parse_precision("0.25")
    (0.5, 0.5, 0.25)
    """
    match = re.fullmatch(r"\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*([dh]?)\s*", text)
    if match is None:
        raise ScenarioError(
            f"{text!r} is not a precision; give a half-width such as 0.5d (days), 12h (hours) or 0.5",
            field="precision",
        )
    value = float(match[1])
    return value / 24.0 if match[2] == "h" else value


def widest(res: Results, precision: Precision) -> float:
    """The largest half-width of the precision's KPI over every demand flow and route (NaN if none)."""
    from corridor.studies.confidence import halfwidths

    per = res.kpis_by_replication()[[precision.kpi]]
    hw = halfwidths(per, level=precision.level)[precision.kpi].to_numpy(dtype=float)
    return float(np.nanmax(hw)) if np.isfinite(hw).any() else math.nan


def run_to_precision(
    precision: Precision,
    seeds: Sequence[np.random.SeedSequence],
    *,
    run: Callable[[Sequence[np.random.SeedSequence]], list[ReplicationBuffers]],
    build: Callable[[list[ReplicationBuffers]], Results],
) -> tuple[Results, str]:
    """Run batches of replications until the target or the cap.

    Parameters
    ----------
    precision
        The target.
    seeds
        ``precision.cap`` seed sequences (the first ``n`` are those of an ``n``-replication run).
    run
        Runs replications from the seeds given; returns their buffers in order.
    build
        Builds results from the buffers of the replications so far.

    Returns
    -------
    tuple
        The results and one line saying what was reached.

    Warns
    -----
    PrecisionWarning
        When the cap is reached with the half-width still above the target.
    """
    precision.check()
    buffers = run(seeds[: precision.start])
    while True:
        n = len(buffers)
        res = build(buffers)
        hw = widest(res, precision)
        if math.isnan(hw):
            raise CorridorError(
                f"{precision.kpi} has no confidence interval after {n} replications (no route delivered twice); "
                "lengthen the horizon or name another KPI"
            )
        what = f"{precision.kpi} ± {hw:.3g} at {precision.level:.0%} after {n} replications"
        if hw <= precision.target:
            return res, f"precision reached: {what} (target {precision.target:g})"
        if n >= precision.cap:
            message = (
                f"precision not reached: {what}, the cap; the target is {precision.target:g}. "
                f"Raise max_replications (about {math.ceil(n * (hw / precision.target) ** 2)} needed) "
                "or accept the wider interval"
            )
            warnings.warn(message, PrecisionWarning, stacklevel=3)
            return res, message
        need = math.ceil(n * (hw / precision.target) ** 2 * 1.05)  # a little over, not to fall just short
        more = min(precision.cap, max(need, n + 1))
        buffers = buffers + run(seeds[n:more])
