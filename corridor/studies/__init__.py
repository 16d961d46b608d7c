"""Studies: sweeps, sensitivity, capacity, confidence intervals, common random numbers.

* :mod:`~corridor.studies.addresses`: one way to name any number of the model
  (``links[group=caspian].time_h``) and set or scale it in a new scenario;
* :mod:`~corridor.studies.design`: study files (grid, one-at-a-time, Latin hypercube);
* :mod:`~corridor.studies.run`: :func:`study`, every variant × replications in one pool;
* :mod:`~corridor.studies.confidence`: confidence intervals of KPIs and deltas;
* :mod:`~corridor.studies.precision`: ``replications="auto"``;
* :mod:`~corridor.studies.capacity`: bottlenecks and saturation volumes;
* :mod:`~corridor.studies.charts`: tornado and sweep charts.
"""

from __future__ import annotations

from corridor.studies.addresses import Address, Scale, evolve_scenario, parse_address
from corridor.studies.design import StudySpec, load_study
from corridor.studies.run import StudyResult, study

__all__ = ["Address", "Scale", "StudyResult", "StudySpec", "evolve_scenario", "load_study", "parse_address", "study"]
