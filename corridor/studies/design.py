"""Study files: a base scenario, parameters with their levels or ranges, the KPIs of interest.

A study file is TOML (bundled ones in ``scenarios/studies/``)::

    name = "caspian"
    title = "Caspian crossing and port dwell"
    base = "baseline-2025"          # a bundled scenario or a path relative to this file
    design = "oat"                  # grid | oat | lhs
    replications = 10
    kpis = ["transit_days_p50", "transit_days_p95", "cost_usd_per_feu"]
    focus = ["xian-belgrade-containers/middle-poti"]   # demand/route rows to chart

    [[parameters]]
    address = "links[sea-aktau-alat].time_h"   # see corridor.studies.addresses
    values = [18, 22]                          # levels (grid, oat)
    # range = [18, 22]                         # lhs: sampled uniformly
    # scale = true                             # levels multiply instead of set

Designs: ``grid`` runs every combination of levels; ``oat`` (one at a time) runs the
base scenario and each level of each parameter with the others at the base value (the
tornado chart); ``lhs`` draws ``samples`` points of a Latin hypercube over the ranges
(``scipy.stats.qmc``, seeded by ``seed``). ``capacity = "<parameter name>"`` marks a
demand sweep: the result then has the saturation volume of each route family.
"""

from __future__ import annotations

import itertools
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from corridor._errors import ScenarioError, did_you_mean
from corridor.studies.addresses import Scale, parse_address

__all__ = ["Parameter", "StudySpec", "Variant", "load_study", "variants"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Parameter(_Model):
    """One parameter of a study: an address and its levels (or range)."""

    address: str
    name: str | None = None
    values: list[float | str] | None = Field(default=None, min_length=1)
    range: tuple[float, float] | None = None
    scale: bool = False
    one_way: bool = False

    @model_validator(mode="after")
    def _levels(self) -> Parameter:
        if (self.values is None) == (self.range is None):
            raise ValueError("give values (levels) or range (for design = 'lhs'), not both")
        if self.range is not None and not self.range[0] < self.range[1]:
            raise ValueError(f"range needs low < high (got {list(self.range)})")
        if self.scale and any(isinstance(v, str) or v <= 0 for v in self.values or self.range or ()):
            raise ValueError("scale = true multiplies: give factors above 0")
        return self

    @property
    def column(self) -> str:
        """The parameter's column in the study's frame."""
        return self.name or self.address


class StudySpec(_Model):
    """A validated study file; load one with :func:`load_study`."""

    name: str
    title: str = ""
    description: str = ""
    base: str
    design: Literal["grid", "oat", "lhs"]
    replications: int | None = Field(default=None, ge=2, le=100_000)
    samples: int | None = Field(default=None, ge=2, le=10_000)
    seed: int = Field(default=0, ge=0)
    kpis: list[str] = Field(default_factory=lambda: ["transit_days_p50", "transit_days_p95", "cost_usd_per_feu"])
    focus: list[str] = Field(default_factory=list)
    capacity: str | None = None
    parameters: list[Parameter] = Field(min_length=1)
    file: str = Field(default="<memory>", exclude=True)

    @model_validator(mode="after")
    def _check(self) -> StudySpec:
        from corridor.results.frames import KPI_COLUMNS

        unknown = [k for k in self.kpis if k not in KPI_COLUMNS]
        if unknown:
            raise ValueError(f"unknown KPI {unknown[0]!r}{did_you_mean(unknown[0], KPI_COLUMNS)}")
        columns = [p.column for p in self.parameters]
        if len(set(columns)) != len(columns):
            raise ValueError("two parameters have the same address; give one a name")
        if self.design == "lhs":
            if self.samples is None:
                raise ValueError("design = 'lhs' needs samples, the number of points drawn")
            if any(p.range is None for p in self.parameters):
                raise ValueError("design = 'lhs' draws from ranges: give each parameter range = [low, high]")
        elif any(p.values is None for p in self.parameters):
            raise ValueError(f"design = {self.design!r} runs levels: give each parameter values = [...]")
        if self.capacity is not None and self.capacity not in columns:
            raise ValueError(f"capacity names {self.capacity!r}, not a parameter{did_you_mean(self.capacity, columns)}")
        return self

    def base_path(self) -> str | Path:
        """The base scenario: a path relative to the study file if one exists there, else a bundled name."""
        candidate = Path(self.file).parent / self.base
        for path in (candidate, candidate.with_suffix(".toml")):
            if self.file != "<memory>" and path.is_file():
                return path
        return self.base


@dataclass(frozen=True)
class Variant:
    """One variant of a study: its id and the value of each parameter set (``None``: the base's)."""

    id: str
    values: dict[str, float | str | None] = field(default_factory=dict)

    def settings(self, spec: StudySpec) -> tuple[dict[Any, Any], dict[Any, str]]:
        """``({address: setting}, {address: field})`` for :func:`corridor.studies.addresses.evolve_scenario`."""
        out: dict[Any, Any] = {}
        fields: dict[Any, str] = {}
        for i, p in enumerate(spec.parameters):
            value = self.values.get(p.column)
            if value is None:
                continue
            address = parse_address(p.address, one_way=p.one_way, file=spec.file, field=f"parameters[{i}].address")
            out[address] = Scale(float(value)) if p.scale else value
            fields[address] = f"parameters[{i}]"
        return out, fields


def variants(spec: StudySpec) -> list[Variant]:
    """The variants a study runs, in order (``base`` first for one-at-a-time)."""
    params = spec.parameters
    if spec.design == "grid":
        combos = itertools.product(*[p.values or () for p in params])
        return [
            Variant(f"v{k:03d}", {p.column: v for p, v in zip(params, combo, strict=True)})
            for k, combo in enumerate(combos)
        ]
    if spec.design == "oat":
        out = [Variant("base", {p.column: None for p in params})]
        for p in params:
            for v in p.values or ():
                out.append(Variant(f"v{len(out):03d}", {q.column: (v if q is p else None) for q in params}))
        return out
    from scipy.stats import qmc

    sample = qmc.LatinHypercube(d=len(params), rng=spec.seed).random(spec.samples or 0)
    lows = [p.range[0] for p in params if p.range is not None]
    highs = [p.range[1] for p in params if p.range is not None]
    points = qmc.scale(sample, lows, highs)
    return [
        Variant(f"v{k:03d}", {p.column: float(x) for p, x in zip(params, row, strict=True)})
        for k, row in enumerate(points)
    ]


def load_study(path: str | Path) -> StudySpec:
    """Load and validate a study file (a path, or the name of a bundled study).

    Raises
    ------
    ScenarioError
        Naming the file, the field and the fix.
    """
    from corridor._data import bundled_dir
    from corridor.scenario import _field

    candidate = Path(path)
    if not candidate.is_file():
        bundled = {p.stem: p for p in sorted((bundled_dir("scenarios") / "studies").glob("*.toml"))}
        if str(path) not in bundled:
            raise ScenarioError(
                f"no study file or bundled study named {str(path)!r}{did_you_mean(str(path), bundled)}", file=str(path)
            )
        candidate = bundled[str(path)]
    try:
        data = tomllib.loads(candidate.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"malformed TOML: {exc}; fix the syntax", file=str(candidate)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"cannot read the study file ({exc}); check the path", file=str(candidate)) from None
    try:
        return StudySpec.model_validate({**data, "file": str(candidate)})
    except ValidationError as exc:
        err = exc.errors()[0]
        msg = str(err["msg"]).removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown key; remove or rename it"
        elif err["type"] == "missing":
            msg = "missing; this key is required"
        raise ScenarioError(msg, file=str(candidate), field=_field(tuple(err["loc"])) or None) from None
