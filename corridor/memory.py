"""Memory guard: refuse, before it starts, a run that would need more memory than the machine has.

A run keeps every shipment-leg (the engine's buffers, then the frames built from them).
:data:`BYTES_PER_LEG` is what one costs, measured with ``tracemalloc`` on
``baseline-2025``: the peak of ``simulate`` plus ``legs``, ``shipments``, ``departures``
and ``kpis()`` grew by 484 MB from 64 to 160 replications (0.96 to 2.40 million legs),
336 bytes per leg; a fixed part of about 270 MB (modules, network, caches) comes on top.
The legs a run will make are estimated from the plan (expected releases times the legs
of each flow's routes) and set against the memory available now (``MemAvailable``, and
the cgroup's limit where one applies).
"""

from __future__ import annotations

import math
from pathlib import Path

from corridor._errors import ScenarioError
from corridor.plan import CHOICE_ALL, SimPlan

__all__ = ["BYTES_PER_LEG", "FIXED_BYTES", "available_bytes", "check_memory", "expected_legs"]

#: Bytes one shipment-leg takes in a run (buffers and frames), measured (see the module docstring).
BYTES_PER_LEG = 340
#: Bytes a run takes whatever its size (modules, network, caches), measured likewise.
FIXED_BYTES = 270_000_000


def expected_legs(plan: SimPlan) -> float:
    """About how many shipment-legs one replication of ``plan`` makes."""
    total = 0.0
    for dem in plan.demands:
        if not dem.routes:
            continue
        days = max(0.0, min(plan.release_h, dem.until_h) - dem.from_h) / 24.0
        releases = dem.per_week * dem.batch * days / 7.0
        legs = [len(plan.routes[r].legs) for r in dem.routes]
        every = dem.choice == CHOICE_ALL and dem.shares is None
        total += releases * (sum(legs) if every else sum(legs) / len(legs))
    return total


def _read(path: str) -> str | None:
    try:
        return Path(path).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None


def available_bytes() -> float | None:
    """Memory this process may still take: ``MemAvailable``, capped by a cgroup's limit; None if unknown."""
    found: list[float] = []
    meminfo = _read("/proc/meminfo")
    for line in (meminfo or "").splitlines():
        if line.startswith("MemAvailable:"):
            found.append(float(line.split()[1]) * 1024)
    limit, used = _read("/sys/fs/cgroup/memory.max"), _read("/sys/fs/cgroup/memory.current")
    if limit and used and limit.isdigit() and used.isdigit():
        found.append(float(int(limit) - int(used)))
    return min(found) if found else None


def check_memory(plan: SimPlan, replications: int, *, file: str | None, field: str = "replications") -> None:
    """Refuse a run whose shipment-legs would not fit in the memory available.

    Parameters
    ----------
    plan
        The prepared scenario.
    replications
        Replications to run.
    file, field
        Where the number of replications came from, for the message.

    Raises
    ------
    ScenarioError
        Naming the memory needed and available, and the most replications that fit.
    """
    free = available_bytes()
    per_replication = expected_legs(plan) * BYTES_PER_LEG
    if free is None or per_replication <= 0:
        return
    need = FIXED_BYTES + replications * per_replication
    if need <= free:
        return
    fit = math.floor((free - FIXED_BYTES) / per_replication)
    fix = f"run at most {fit} replications" if fit >= 1 else "lower the demand (per_week, batch or release_days)"
    raise ScenarioError(
        f"{replications} replications need about {need / 1e9:.1f} GB of memory ({BYTES_PER_LEG} bytes per "
        f"shipment-leg), more than the {max(free, 0) / 1e9:.1f} GB available; {fix}",
        file=file,
        field=field,
    )
