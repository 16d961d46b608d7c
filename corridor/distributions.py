"""Time distributions named in the data: fixed, lognormal, exponential, triangular and empirical.

A link's travel time and a node's handling and border times may be random. The data
names the distribution and its parameters in plain attributes (``corridor/schema``):

* links: ``time_dist`` = ``lognormal`` (mean ``time_h`` or length / speed, ``time_cv``),
  ``triangular`` (``time_min_h``, ``time_mode_h``, ``time_max_h``) or ``empirical``
  (``time_samples_h``, observed values drawn with equal weight); empty is fixed, or
  lognormal when ``time_cv`` > 0;
* nodes: ``handling_dist``, ``border_dist`` and the dwells' ``dwell_dist``,
  ``origin_dwell_dist``, ``destination_dwell_dist`` = ``triangular`` (``*_min_h``,
  ``*_mode_h``, ``*_max_h``) or ``empirical`` (``*_samples_h``); empty is the fixed
  ``handling_h``, ``border_h``, ... ;
* everywhere: ``exponential``, whose mean is the fixed time (``time_h`` or length /
  speed, ``handling_h``, ``border_h``, ``dwell_h``, ...): memoryless service or delay.

For triangular and empirical times the mean follows from the distribution; it is what
route finding and the estimates use. :func:`read_dist` checks a table row and names the
field and the fix of every problem; :func:`block_sampler` draws from a replication's
Generator in blocks, so the engine makes no numpy call per leg.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd


__all__ = ["KINDS", "Dist", "Draws", "block_sampler", "parse_floats", "read_dist"]

#: Distribution kinds (``fixed`` is the absence of one).
KINDS = ("fixed", "lognormal", "exponential", "triangular", "empirical")
#: Draws per numpy call.
BLOCK = 4096


@dataclass(frozen=True)
class Dist:
    """A time distribution in hours.

    Attributes
    ----------
    kind
        ``fixed``, ``lognormal``, ``exponential``, ``triangular`` or ``empirical``.
    mean
        Its mean (h).
    params
        ``lognormal``: ``(cv,)``; ``triangular``: ``(min, mode, max)``; ``empirical``: the
        observed values; ``fixed`` and ``exponential``: ``()``.
    """

    kind: str
    mean: float
    params: tuple[float, ...] = ()

    @property
    def random(self) -> bool:
        """Whether a draw can differ from the mean."""
        return self.kind != "fixed"

    @property
    def bounds(self) -> tuple[float, float]:
        """Least and greatest value a draw can take (``inf`` above for a lognormal)."""
        if self.kind == "triangular":
            return self.params[0], self.params[2]
        if self.kind == "empirical":
            return min(self.params), max(self.params)
        if self.kind in ("lognormal", "exponential"):
            return 0.0, math.inf
        return self.mean, self.mean


def parse_floats(value: Any) -> tuple[float, ...]:
    """The numbers of a ``floats`` attribute: text such as ``"18;20;22"`` (or one number).

    Raises
    ------
    ValueError
        If the text is empty, or a part is not a finite number; the message says what to give.
    """
    parts = [p.strip() for p in str(value).split(";") if p.strip()]
    if not parts:
        raise ValueError(f"{value!r} lists no values; give numbers separated by ';', e.g. '18;20;22'")
    out: list[float] = []
    for part in parts:
        try:
            num = float(part)
        except ValueError:
            raise ValueError(f"{part!r} in {value!r} is not a number; give numbers separated by ';'") from None
        if not math.isfinite(num):
            raise ValueError(f"{part!r} in {value!r} is not finite; give finite numbers")
        out.append(num)
    return tuple(out)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def read_dist(
    row: Mapping[str, Any] | pd.Series,
    *,
    prefix: str,
    fixed: str | None,
    where: str,
    cv: str | None = None,
    fixed_allowed: tuple[str, ...] = (),
) -> tuple[Dist | None, list[str]]:
    """The distribution a table row names, and the problems with it.

    Parameters
    ----------
    row
        One row of the nodes or links table (validated types).
    prefix
        ``time`` (links), ``handling`` or ``border`` (nodes): the attributes are
        ``{prefix}_dist``, ``{prefix}_min_h``, ``{prefix}_mode_h``, ``{prefix}_max_h`` and
        ``{prefix}_samples_h``.
    fixed
        The attribute holding the fixed time (``time_h``, ``handling_h``, ``border_h``);
        it must be empty (or 0) when a triangular or empirical distribution is given.
    where
        ``"file: id"`` for the messages.
    cv
        The attribute of a lognormal's coefficient of variation (links: ``time_cv``).
    fixed_allowed
        Further attributes that must be empty with a triangular or empirical
        distribution (links: ``speed_kmh``).

    Returns
    -------
    tuple
        ``(dist, problems)``: ``dist`` is ``None`` when the row names no random time (or
        is invalid; ``problems`` then says why), else a :class:`Dist` whose mean is set
        for triangular and empirical times (a lognormal's mean comes from the fixed time,
        known only once lengths are, so it is left at ``nan``; so is an exponential's
        whose mean is a link's length over its speed).
    """
    problems: list[str] = []
    kind = "" if _missing(row.get(f"{prefix}_dist")) else str(row[f"{prefix}_dist"])
    cv_value = 0.0 if cv is None or _missing(row.get(cv)) else float(row[cv])
    tri = {k: row.get(f"{prefix}_{k}_h") for k in ("min", "mode", "max")}
    samples = row.get(f"{prefix}_samples_h")
    if kind == "" and cv_value > 0:
        kind = "lognormal"
    for name, value in tri.items():
        if not _missing(value) and kind != "triangular":
            problems.append(
                f"{where}: {prefix}_{name}_h: only a triangular time has it; "
                f"set {prefix}_dist = triangular or remove {prefix}_{name}_h"
            )
    if not _missing(samples) and kind != "empirical":
        problems.append(
            f"{where}: {prefix}_samples_h: only an empirical time has it; "
            f"set {prefix}_dist = empirical or remove {prefix}_samples_h"
        )
    if cv is not None and cv_value > 0 and kind != "lognormal":
        problems.append(f"{where}: {cv}: a coefficient of variation is for lognormal times; remove it or set it to 0")
    if kind == "exponential":
        return _exponential(
            row, fixed=fixed, where=where, prefix=prefix, fixed_allowed=fixed_allowed, problems=problems
        )
    if kind == "lognormal":
        if cv_value <= 0:
            problems.append(f"{where}: {cv or prefix + '_dist'}: a lognormal time needs {cv} > 0 (e.g. 0.2)")
        return (None if problems else Dist("lognormal", math.nan, (cv_value,))), problems
    if kind in ("triangular", "empirical"):
        for name in [n for n in (fixed, *fixed_allowed) if n]:
            value = row.get(name)
            if not _missing(value) and float(value or 0.0) != 0.0:
                problems.append(
                    f"{where}: {name}: a {kind} time takes its mean from the distribution; "
                    f"leave {name} empty or set {prefix}_dist empty to use it"
                )
    if kind == "triangular":
        return _triangular(tri, prefix=prefix, where=where, problems=problems)
    if kind == "empirical":
        return _empirical(samples, prefix=prefix, where=where, problems=problems)
    return None, problems


def _triangular(
    tri: Mapping[str, Any], *, prefix: str, where: str, problems: list[str]
) -> tuple[Dist | None, list[str]]:
    """A triangular time from ``{prefix}_min_h/_mode_h/_max_h`` (see :func:`read_dist`)."""
    absent = [f"{prefix}_{k}_h" for k, v in tri.items() if _missing(v)]
    if absent:
        problems.append(f"{where}: {absent[0]}: a triangular time needs {', '.join(absent)}; give them in hours")
        return None, problems
    lo, mode, hi = (float(tri[k] or 0.0) for k in ("min", "mode", "max"))
    if not lo <= mode <= hi or lo >= hi:
        problems.append(
            f"{where}: {prefix}_mode_h: a triangular time needs {prefix}_min_h <= {prefix}_mode_h <= "
            f"{prefix}_max_h and min < max (got {lo:g}, {mode:g}, {hi:g})"
        )
        return None, problems
    return (None if problems else Dist("triangular", (lo + mode + hi) / 3.0, (lo, mode, hi))), problems


def _empirical(samples: Any, *, prefix: str, where: str, problems: list[str]) -> tuple[Dist | None, list[str]]:
    """An empirical time from ``{prefix}_samples_h`` (see :func:`read_dist`)."""
    if _missing(samples):
        problems.append(f"{where}: {prefix}_samples_h: an empirical time needs observed values, e.g. '18;20;22'")
        return None, problems
    try:
        values = parse_floats(samples)
    except ValueError as exc:  # reported by the schema check already
        problems.append(f"{where}: {prefix}_samples_h: {exc}")
        return None, problems
    if min(values) < 0:
        problems.append(f"{where}: {prefix}_samples_h: times cannot be negative (got {samples!r})")
        return None, problems
    return (None if problems else Dist("empirical", sum(values) / len(values), values)), problems


def _exponential(
    row: Mapping[str, Any] | pd.Series,
    *,
    fixed: str | None,
    where: str,
    prefix: str,
    fixed_allowed: tuple[str, ...],
    problems: list[str],
) -> tuple[Dist | None, list[str]]:
    """An exponential time: its mean is the fixed time (or, on a link, length / speed)."""
    value = None if fixed is None else row.get(fixed)
    if not _missing(value) and float(value or 0.0) > 0.0:
        return (None if problems else Dist("exponential", float(value or 0.0))), problems
    if any(not _missing(row.get(name)) for name in fixed_allowed):  # a link's mean from length / speed
        return (None if problems else Dist("exponential", math.nan)), problems
    problems.append(
        f"{where}: {fixed or prefix + '_dist'}: an exponential time takes its mean from {fixed}; give {fixed} > 0"
    )
    return None, problems


class Draws:
    """Draws of one distribution from one Generator, ``BLOCK`` at a time (one numpy call per block)."""

    __slots__ = ("_buf", "_draw", "_i")

    def __init__(self, draw: Callable[[int], np.ndarray]) -> None:
        self._draw = draw
        self._buf: list[float] = []
        self._i = 0

    def __call__(self) -> float:
        if self._i >= len(self._buf):
            self._buf = self._draw(BLOCK).tolist()
            self._i = 0
        z = self._buf[self._i]
        self._i += 1
        return z


def block_sampler(dist: Dist, rng: np.random.Generator) -> Callable[[], float]:
    """A function that returns one draw of ``dist`` per call, from ``rng`` in blocks.

    Parameters
    ----------
    dist
        An exponential, triangular or empirical distribution (or fixed: the mean every
        time). The engine draws lognormal times from its standard-normal stream instead.
    rng
        The replication's Generator.

    Examples
    --------
    >>> import numpy as np
    >>> draw = block_sampler(Dist("triangular", 21.0, (20.0, 21.0, 22.0)), np.random.default_rng(1))
    >>> all(20.0 <= draw() <= 22.0 for _ in range(10_000))
    True
    >>> draw = block_sampler(Dist("empirical", 20.0, (18.0, 20.0, 22.0)), np.random.default_rng(1))
    >>> sorted({draw() for _ in range(1_000)})
    [18.0, 20.0, 22.0]
    """
    if dist.kind == "triangular":
        lo, mode, hi = dist.params
        return Draws(lambda n: rng.triangular(lo, mode, hi, n))
    if dist.kind == "empirical":
        values = np.asarray(dist.params, dtype=float)
        return Draws(lambda n: rng.choice(values, n))
    if dist.kind == "exponential":
        scale = dist.mean
        return Draws(lambda n: rng.exponential(scale, n))
    if dist.kind == "fixed":
        mean = dist.mean
        return lambda: mean
    raise ValueError(f"block_sampler draws exponential, triangular or empirical times, not {dist.kind!r}")
