"""Scenarios: TOML files validated with pydantic, with ``extends`` for inheritance.

A scenario says which network to use and how to change it, what demand to release on
which routes, and how to run (start date, horizon, seed, replications). It never mutates
the bundled network: :meth:`Network.with_changes` returns a new one.

``extends = "baseline-2025"`` loads the parent first; the child's tables are merged into
it: scalars replace, ``changes``, ``closures``, ``storms`` and ``events`` are appended
after the parent's, and ``routes`` and ``demand`` entries replace the parent's entry with the same
``id`` or are added.
"""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from corridor._data import bundled_dir
from corridor._errors import ScenarioError, did_you_mean

__all__ = [
    "Change",
    "Closure",
    "Demand",
    "Duration",
    "RouteSpec",
    "Scenario",
    "Storms",
    "bundled_scenarios",
    "load_scenario",
]

Mode = Literal["rail", "road", "sea", "ferry", "air", "transfer"]

#: Largest number of shipments one replication may release (memory guard).
MAX_SHIPMENTS = 2_000_000
#: Largest number of shipments all replications of one run may release together.
MAX_TOTAL_SHIPMENTS = 20_000_000

#: Keys that are run settings, not figures: they need no source in sources.csv.
SETTINGS = ("seed", "replications", "horizon_days", "release_days")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Change(_Model):
    """Set or scale one attribute of the nodes, links or services a selector picks."""

    component: Literal["node", "link", "service"]
    id: str | None = None
    group: str | None = None
    mode: str | None = None
    attribute: str
    value: float | str | None = None
    factor: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _one_action(self) -> Change:
        if (self.value is None) == (self.factor is None):
            raise ValueError("give exactly one of value (set) or factor (multiply)")
        if sum(x is not None for x in (self.id, self.group, self.mode)) != 1:
            raise ValueError("give exactly one of id, group or mode to select what changes")
        return self


class RouteSpec(_Model):
    """A route template: intermediate nodes a path must pass and the modes it may use.

    ``nodes`` instead fixes the whole path, node by node (consecutive nodes must be
    linked), and ``links`` link by link (as ``corridor routes`` finds them); such a route
    serves only its own first and last node. ``family`` replaces the derived family.
    """

    id: str
    name: str | None = None
    family: str | None = None
    via: list[str] = Field(default_factory=list)
    nodes: list[str] | None = Field(default=None, min_length=2)
    links: list[str] | None = Field(default=None, min_length=1)
    modes: list[Mode] | None = None
    avoid: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _nodes_or_via(self) -> RouteSpec:
        if sum(bool(x) for x in (self.nodes, self.via, self.links)) > 1:
            raise ValueError("give one of nodes (a fixed path), links (a fixed path, link by link) or via, not several")
        return self


class Demand(_Model):
    """A demand flow: shipments released between two nodes on one or more routes."""

    id: str
    origin: str
    destination: str
    cargo: str = ""
    routes: list[str] = Field(min_length=1)
    per_week: float = Field(gt=0, description="releases per week")
    batch: int = Field(default=1, ge=1, le=10_000, description="shipments per release")
    teu: float = Field(ge=0, le=10, description="container slots per shipment (a FEU is 2 TEU)")
    tonnes: float = Field(gt=0, le=100_000, description="cargo mass per shipment")
    arrivals: Literal["regular", "poisson"] = "regular"
    split: Literal["parallel", "fastest", "cheapest", "generalised"] | dict[str, float] = "parallel"
    value_of_time_usd_day: float | None = Field(default=None, ge=0, le=1_000_000)
    reroute: bool = False
    promised_days: float | None = Field(default=None, gt=0)
    from_day: float = Field(default=0.0, ge=0, description="first release, days after the scenario's start")
    background: bool = Field(
        default=False, description="traffic that only loads the services: its legs are exported only when asked"
    )
    until_day: float | None = Field(
        default=None, gt=0, description="no release from this day on (default: release_days)"
    )

    @model_validator(mode="after")
    def _check(self) -> Demand:
        if self.origin.strip().lower() == self.destination.strip().lower():
            raise ValueError("origin and destination are the same node; give two different nodes")
        if self.until_day is not None and self.until_day <= self.from_day:
            raise ValueError(
                f"until_day ({self.until_day:g}) is not after from_day ({self.from_day:g}); give a later until_day"
            )
        if len(set(self.routes)) != len(self.routes):
            raise ValueError("routes lists a route twice; list each route once")
        if isinstance(self.split, dict):
            unknown = [r for r in self.split if r not in self.routes]
            if unknown:
                raise ValueError(f"split names {unknown} that are not in routes; use ids from routes")
            bad = {k: v for k, v in self.split.items() if not 0.0 <= v <= 1.0}
            if bad:
                raise ValueError(f"split shares are probabilities; {bad} is outside [0, 1]")
            if abs(sum(self.split.values()) - 1.0) > 1e-6:
                raise ValueError(f"split shares must add up to 1 (they add up to {sum(self.split.values()):g})")
        if self.split == "generalised" and self.value_of_time_usd_day is None:
            raise ValueError(
                "split = 'generalised' weighs time against cost: give value_of_time_usd_day "
                "(USD a day in transit costs per shipment)"
            )
        if self.reroute and len(self.routes) < 2:
            raise ValueError("reroute = true needs at least two routes to switch between; list them in routes")
        return self


MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


class Duration(_Model):
    """A random duration in days: fixed, triangular or empirical (drawn from observed values)."""

    dist: Literal["fixed", "triangular", "empirical"]
    value: float | None = Field(default=None, gt=0)
    min: float | None = Field(default=None, gt=0)
    mode: float | None = Field(default=None, gt=0)
    max: float | None = Field(default=None, gt=0)
    values: list[float] | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _complete(self) -> Duration:
        if self.dist == "fixed" and self.value is None:
            raise ValueError("a fixed duration needs value")
        if self.dist == "triangular":
            if None in (self.min, self.mode, self.max):
                raise ValueError("a triangular duration needs min, mode and max")
            if not (self.min or 0) <= (self.mode or 0) <= (self.max or 0) or self.min == self.max:
                raise ValueError("a triangular duration needs min <= mode <= max and min < max")
        if self.dist == "empirical" and (not self.values or min(self.values) <= 0):
            raise ValueError("an empirical duration needs values, all greater than 0")
        return self


class Closure(_Model):
    """Links closed from ``start`` to ``end`` (dates or datetimes): shipments wait for the reopening."""

    id: str = "closure"
    group: str | None = None
    mode: str | None = None
    links: list[str] | None = None
    start: datetime | date
    end: datetime | date
    reason: str = ""

    @model_validator(mode="after")
    def _check(self) -> Closure:
        if sum(x is not None for x in (self.group, self.mode, self.links)) != 1:
            raise ValueError("give exactly one of group, mode or links to say what closes")
        if _as_datetime(self.end) <= _as_datetime(self.start):
            raise ValueError(
                f"the closure ends ({self.end}) before it starts ({self.start}); give an end after the start"
            )
        return self


class Storms(_Model):
    """Random storms closing a link group: a daily chance of a storm starting, by month, and its duration."""

    group: str
    daily_probability: dict[str, float]
    duration_days: Duration

    @field_validator("daily_probability")
    @classmethod
    def _months(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = [m for m in value if m not in MONTHS]
        if unknown:
            from corridor._errors import did_you_mean

            raise ValueError(f"unknown month {unknown[0]!r}{did_you_mean(unknown[0], MONTHS)}")
        bad = {m: p for m, p in value.items() if not 0.0 <= p <= 1.0}
        if bad:
            raise ValueError(f"daily probabilities must lie in [0, 1]; {bad} does not")
        return value


class Event(_Model):
    """A risk event: links closed, or their services' capacity cut, for a drawn duration.

    A root event has a ``start``; a dependent event names its cause in ``after`` and
    starts ``delay_days`` after the cause starts, if the cause happened. Either happens
    with ``probability`` (per replication; for a dependent event, given its cause).
    """

    id: str
    effect: Literal["close", "capacity"] = "close"
    group: str | None = None
    mode: str | None = None
    links: list[str] | None = None
    start: datetime | date | None = None
    after: str | None = None
    delay_days: float = Field(default=0.0, ge=0, le=3660)
    probability: float = Field(default=1.0, ge=0, le=1)
    duration_days: Duration
    factor: float | None = Field(default=None, gt=0, le=1, description="share of capacity left")
    reason: str = ""

    @model_validator(mode="after")
    def _check(self) -> Event:
        if sum(x is not None for x in (self.group, self.mode, self.links)) != 1:
            raise ValueError("give exactly one of group, mode or links to say what the event hits")
        if (self.start is None) == (self.after is None):
            raise ValueError("give start (a date) for an event of its own, or after (another event's id), not both")
        if self.effect == "capacity" and self.factor is None:
            raise ValueError("a capacity event needs factor, the share of capacity left (e.g. 0.8)")
        if self.effect == "close" and self.factor is not None:
            raise ValueError("factor applies to effect = 'capacity' only; remove it or set effect = 'capacity'")
        if self.after is not None and self.after == self.id:
            raise ValueError("an event cannot follow itself; name another event in after")
        return self


def _as_datetime(value: datetime | date) -> datetime:
    return value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)


class Scenario(_Model):
    """A validated scenario. Load one with :func:`load_scenario`."""

    name: str
    title: str = ""
    description: str = ""
    extends: str | None = None
    start: date
    horizon_days: float = Field(gt=0, le=3660)
    release_days: float = Field(gt=0, le=3660)
    seed: int = Field(default=0, ge=0)
    replications: int = Field(default=10, ge=1, le=100_000)
    network: str | None = None
    changes: list[Change] = Field(default_factory=list)
    routes: list[RouteSpec] = Field(default_factory=list)
    demand: list[Demand] = Field(min_length=1)
    closures: list[Closure] = Field(default_factory=list)
    storms: list[Storms] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    file: str = Field(default="<memory>", exclude=True)

    @field_validator("demand")
    @classmethod
    def _unique_demand(cls, value: list[Demand]) -> list[Demand]:
        ids = [d.id for d in value]
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            raise ValueError(f"duplicate demand ids {sorted(dup)}; give each flow its own id")
        return value

    @model_validator(mode="after")
    def _check(self) -> Scenario:
        if self.release_days > self.horizon_days:
            raise ValueError("release_days is longer than horizon_days; release demand within the horizon")
        late = [d.id for d in self.demand if d.from_day >= self.release_days]
        if late:
            raise ValueError(
                f"demand {late}: from_day is not before release_days; release the flow within release_days"
            )
        total = self.expected_shipments()
        if total > MAX_SHIPMENTS:
            raise ValueError(
                f"the demand releases about {total:,.0f} shipments per replication, more than the limit of "
                f"{MAX_SHIPMENTS:,}; lower per_week, batch or release_days"
            )
        return self

    def hours_since_start(self, moment: datetime | date) -> float:
        """Hours from the scenario's start (midnight) to ``moment``."""
        return (_as_datetime(moment) - _as_datetime(self.start)).total_seconds() / 3600.0

    def expected_shipments(self) -> float:
        """About how many shipments one replication releases."""
        return sum(
            d.per_week
            * d.batch
            * (min(self.release_days, d.until_day or self.release_days) - d.from_day)
            / 7.0
            * (len(d.routes) if d.split == "parallel" else 1)
            for d in self.demand
        )

    def network_path(self) -> Path | None:
        """The geodata folder this scenario names (relative to its file), or ``None``.

        Raises
        ------
        ScenarioError
            If the folder does not exist.
        """
        if self.network is None:
            return None
        path = (Path(self.file).parent / self.network).resolve()
        if not path.is_dir():
            raise ScenarioError(
                f"no geodata folder at {path}; give a folder (relative to the scenario file) that holds "
                "nodes.geojson, links.geojson and services.geojson",
                file=self.file,
                field="network",
            )
        return path


def bundled_scenarios() -> dict[str, Path]:
    """Names and paths of the bundled scenario files."""
    return {p.stem: p for p in sorted(bundled_dir("scenarios").glob("*.toml"))}


def _resolve(name_or_path: str | Path, *, base: Path | None = None) -> Path:
    candidate = Path(name_or_path)
    if base is not None and not candidate.is_absolute():
        rel = base / candidate
        if rel.suffix == "" and rel.with_suffix(".toml").is_file():
            return rel.with_suffix(".toml")
        if rel.exists():
            return rel
    if candidate.exists():
        return candidate
    bundled = bundled_scenarios()
    stem = candidate.stem if candidate.suffix == ".toml" else str(name_or_path)
    if stem in bundled and candidate.suffix in ("", ".toml") and candidate.parent == Path("."):
        return bundled[stem]
    raise ScenarioError(
        f"no scenario file or bundled scenario named {str(name_or_path)!r}{did_you_mean(stem, bundled)}",
        file=str(name_or_path),
    )


def _read_toml(path: Path) -> dict[str, Any]:
    if path.is_dir():
        raise ScenarioError("is a folder; give a scenario .toml file", file=str(path))
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"not UTF-8 text (byte {exc.start}); save the file as UTF-8", file=str(path)) from exc
    except OSError as exc:
        raise ScenarioError(f"cannot read ({exc.strerror}); check the path", file=str(path)) from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"malformed TOML: {exc}; fix the syntax", file=str(path)) from exc


def _merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    out = dict(parent)
    for key, value in child.items():
        if key in ("changes", "closures", "storms", "events"):
            out[key] = [*parent.get(key, []), *value]
        elif key in ("routes", "demand") and isinstance(value, list):
            merged = {str(item.get("id")): item for item in parent.get(key, []) if isinstance(item, dict)}
            for item in value:
                if isinstance(item, dict):
                    merged[str(item.get("id"))] = item
            out[key] = list(merged.values())
        else:
            out[key] = value
    return out


def _load_raw(path: Path, chain: tuple[Path, ...]) -> dict[str, Any]:
    resolved = path.resolve()
    if resolved in chain:
        cycle = " -> ".join(p.name for p in (*chain, resolved))
        raise ScenarioError(f"extends forms a cycle ({cycle}); remove one extends", file=str(path), field="extends")
    data = _read_toml(path)
    parent_name = data.get("extends")
    if parent_name is None:
        return data
    if not isinstance(parent_name, str):
        raise ScenarioError("must be a scenario name or path (a string)", file=str(path), field="extends")
    try:
        parent_path = _resolve(parent_name, base=path.parent)
    except ScenarioError as exc:
        raise ScenarioError(exc.message, file=str(path), field="extends") from None
    parent = _load_raw(parent_path, (*chain, resolved))
    parent.pop("name", None)
    parent.pop("title", None)
    parent.pop("description", None)
    if parent.get("network") is not None:
        parent["network"] = str((parent_path.parent / parent["network"]).resolve())
    return _merge(parent, data)


def _field(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def scenario_from_dict(data: dict[str, Any], *, file: str = "<memory>") -> Scenario:
    """Validate a scenario given as a dict (as parsed from TOML).

    Raises
    ------
    ScenarioError
        Naming the file, the field and the fix for every problem found.
    """
    try:
        return Scenario.model_validate({**data, "file": file})
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if p not in ("function-after", "literal['parallel']"))
            field = _field(loc)
            if err["type"] == "extra_forbidden":
                key = str(loc[-1])
                model = _model_for(loc[:-1])
                msg = f"unknown key {key!r}{did_you_mean(key, model.model_fields)}; remove or rename it"
            elif err["type"] == "missing":
                msg = "missing; this key is required"
            else:
                msg = str(err["msg"]).removeprefix("Value error, ")
                if "input" in err and err["type"] not in ("value_error",):
                    msg = f"{msg} (got {err['input']!r})"
            problems.append(ScenarioError(msg, file=file, field=field or None))
        if len(problems) == 1:
            raise problems[0] from None
        raise ScenarioError(
            f"{len(problems)} problems: " + "; ".join(str(p).removeprefix(f"{file}: ") for p in problems),
            file=file,
            problems=tuple(str(p) for p in problems),
        ) from None


def _model_for(loc: tuple[int | str, ...]) -> type[BaseModel]:
    names = [p for p in loc if isinstance(p, str)]
    table: dict[str, type[BaseModel]] = {
        "changes": Change,
        "routes": RouteSpec,
        "demand": Demand,
        "closures": Closure,
        "storms": Storms,
        "events": Event,
        "duration_days": Duration,
    }
    return table.get(names[-1], Scenario) if names else Scenario


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Load and validate a scenario by bundled name (``"baseline-2025"``) or path.

    Parameters
    ----------
    name_or_path
        A bundled scenario name (see :func:`bundled_scenarios`) or a path to a TOML file.

    Raises
    ------
    ScenarioError
        When the file is missing, malformed or invalid; the message names the file, the
        field and the fix.
    """
    path = _resolve(name_or_path)
    data = _load_raw(path, ())
    return scenario_from_dict(data, file=str(path))
