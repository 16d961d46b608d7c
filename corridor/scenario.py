"""Scenarios: TOML files validated with pydantic, with ``extends`` for inheritance.

A scenario says which network to use and how to change it, what demand to release on
which routes, and how to run (start date, horizon, seed, replications). It never mutates
the bundled network: :meth:`Network.with_changes` returns a new one.

``extends = "baseline-2025"`` loads the parent first; the child's tables are merged into
it: scalars replace, ``changes``, ``closures``, ``storms`` and ``events`` are appended
after the parent's, and ``routes`` and ``demand`` entries replace the parent's entry with the same
``id`` or are added. ``extends`` names a bundled scenario or a file inside the scenario's
own folder (no absolute path, no ``..``); a chain of at most :data:`MAX_EXTENDS` parents is
followed, each a regular file of at most ``MAX_SCENARIO_BYTES``.

Numbers are strict: a boolean or a string where a number goes, NaN and infinities are
refused; dates are TOML dates (``start`` a date, not a number), and date-times carry no
UTC offset (they are read on the scenario's clock).
"""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    ValidationError,
    field_validator,
    model_validator,
)

from corridor._data import bundled_dir
from corridor._errors import ScenarioError, did_you_mean
from corridor._files import MAX_SCENARIO_BYTES, read_text

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
#: Most parents an ``extends`` chain may have.
MAX_EXTENDS = 16


def _naive(value: datetime) -> datetime:
    if value.tzinfo is not None:
        raise ValueError(
            f"{value.isoformat()} has a UTC offset; give the local date-time without one "
            "(times are on the scenario's clock)"
        )
    return value


#: A number: an integer or a float, never a boolean or a string (NaN and infinities are refused too).
Num = Annotated[float, Strict()]
#: A whole number, never a boolean or a float.
Int = Annotated[int, Strict()]
#: A TOML date (not a number, not a date-time).
Day = Annotated[date, Strict()]
#: A TOML date, or a local date-time (no UTC offset).
Moment = Annotated[datetime, Strict(), AfterValidator(_naive)] | Annotated[date, Strict()]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Change(_Model):
    """Set or scale one attribute of the nodes, links or services a selector picks."""

    component: Literal["node", "link", "service"]
    id: str | None = None
    group: str | None = None
    mode: str | None = None
    attribute: str
    value: Num | str | None = None
    factor: Num | None = Field(default=None, gt=0)

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
    cargo_class: str | None = Field(default=None, description="class in geodata/cargo_classes.csv (default general)")
    unit: Literal["fcl", "lcl", "wagon", "air"] | None = None
    routes: list[str] = Field(min_length=1)
    per_week: Num = Field(gt=0, description="releases per week")
    batch: Int = Field(default=1, ge=1, le=10_000, description="shipments per release")
    teu: Num | None = Field(default=None, ge=0, le=10, description="container slots per shipment (a FEU is 2 TEU)")
    tonnes: Num = Field(gt=0, le=100_000, description="cargo mass per shipment")
    m3: Num | None = Field(default=None, description="cargo volume per shipment (default: the class's stowage factor)")
    value_usd: Num | None = Field(default=None, description="cargo value per shipment (default: the class's)")
    arrivals: Literal["uniform", "regular", "poisson"] = Field(
        default="uniform",
        description="uniform: one release at a random time within each interval of 168 / per_week hours (what a "
        "forwarder's customer sees: the week's bookings are spread, not all on Monday 00:00); regular: at the "
        "start of each interval; poisson: a Poisson process of rate per_week",
    )
    split: Literal["parallel", "fastest", "cheapest", "generalised"] | dict[str, Num] = "parallel"
    value_of_time_usd_day: Num | None = Field(default=None, ge=0, le=1_000_000)
    reroute: Annotated[bool, Strict()] = False
    promised_days: Num | None = Field(default=None, gt=0)
    from_day: Num = Field(default=0.0, ge=0, description="first release, days after the scenario's start")
    background: Annotated[bool, Strict()] = Field(
        default=False, description="traffic that only loads the services: its legs are exported only when asked"
    )
    until_day: Num | None = Field(default=None, gt=0, description="no release from this day on (default: release_days)")

    @field_validator("m3")
    @classmethod
    def _volume(cls, value: float | None) -> float | None:
        if value is not None and not 0 < value <= 1_000_000:
            raise ValueError(
                f"a shipment takes up space: give m3 above 0 (got {value:g}), or leave it out to use "
                "the cargo class's stowage factor"
            )
        return value

    @field_validator("value_usd")
    @classmethod
    def _value(cls, value: float | None) -> float | None:
        if value is not None and not 0 <= value < 1e12:
            raise ValueError(
                f"a cargo value cannot be negative: give value_usd of 0 or more (got {value:g}), or leave it "
                "out to use the cargo class's value per tonne"
            )
        return value

    @model_validator(mode="after")
    def _check(self) -> Demand:
        if self.teu is not None and self.unit not in (None, "fcl"):
            raise ValueError(
                f"teu counts the boxes of a full container load, but unit is {self.unit!r}; "
                "remove teu or set unit = 'fcl'"
            )
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
    """A random duration in days: fixed, exponential (mean), triangular or empirical (drawn from observed values)."""

    dist: Literal["fixed", "exponential", "triangular", "empirical"]
    value: Num | None = Field(default=None, gt=0)
    mean: Num | None = Field(default=None, gt=0)
    min: Num | None = Field(default=None, gt=0)
    mode: Num | None = Field(default=None, gt=0)
    max: Num | None = Field(default=None, gt=0)
    values: list[Num] | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _complete(self) -> Duration:
        if self.dist == "fixed" and self.value is None:
            raise ValueError("a fixed duration needs value")
        if self.dist == "exponential" and self.mean is None:
            raise ValueError("an exponential duration needs mean (days)")
        given = {"value": self.value, "mean": self.mean, "min": self.min, "values": self.values}
        own = {"fixed": "value", "exponential": "mean", "triangular": "min", "empirical": "values"}[self.dist]
        stray = [k for k, v in given.items() if v is not None and k != own]
        if stray:
            raise ValueError(f"{stray[0]} is not used by a {self.dist} duration; remove it")
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
    start: Moment
    end: Moment
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
    """Random storms closing a link group or named links: a daily chance of a storm starting, by month, and its length.

    Give ``group`` for a closure its source states for a whole crossing, ``links`` for one
    stated for a port or line only (e.g. Kuryk's own weather closures).
    """

    group: str | None = None
    links: list[str] | None = None
    daily_probability: dict[str, Num]
    duration_days: Duration

    @model_validator(mode="after")
    def _target(self) -> Storms:
        if (self.group is None) == (self.links is None):
            raise ValueError("give exactly one of group or links to say what the storms close")
        return self

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
    start: Moment | None = None
    after: str | None = None
    delay_days: Num = Field(default=0.0, ge=0, le=3660)
    probability: Num = Field(default=1.0, ge=0, le=1)
    duration_days: Duration
    factor: Num | None = Field(default=None, gt=0, le=1, description="share of capacity left")
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
    start: Day
    horizon_days: Num = Field(gt=0, le=3660)
    release_days: Num = Field(gt=0, le=3660)
    seed: Int = Field(default=0, ge=0)
    inventory_rate: Num | None = Field(
        default=None, ge=0, le=5, description="annual carrying cost of cargo in transit (default: geodata/carriage.csv)"
    )
    replications: Int = Field(default=10, ge=1, le=100_000)
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


def _resolve(name_or_path: str | Path) -> Path:
    """A scenario given on the command line or to :func:`load_scenario`: a path, or a bundled name."""
    candidate = Path(name_or_path)
    if candidate.exists() or candidate.is_symlink():
        return candidate
    bundled = bundled_scenarios()
    stem = candidate.stem if candidate.suffix == ".toml" else str(name_or_path)
    if stem in bundled and candidate.suffix in ("", ".toml") and candidate.parent == Path("."):
        return bundled[stem]
    raise ScenarioError(
        f"no scenario file or bundled scenario named {str(name_or_path)!r}{did_you_mean(stem, bundled)}",
        file=str(name_or_path),
    )


def _resolve_parent(name: object, *, child: Path) -> Path:
    """The file an ``extends`` names: a file inside the child's folder, or a bundled scenario."""
    if not isinstance(name, str) or not name.strip():
        raise ScenarioError(
            "must be a bundled scenario name or a file name (a string)", file=str(child), field="extends"
        )
    candidate = Path(name)
    if candidate.is_absolute() or ".." in candidate.parts:
        raise ScenarioError(
            f"{name!r} leaves the scenario's folder; give a bundled scenario name or a path inside "
            "the scenario's folder (absolute paths only on the command line)",
            file=str(child),
            field="extends",
        )
    local = child.parent / candidate
    for option in (local, local.with_name(local.name + ".toml")):
        if option.exists() or option.is_symlink():
            return option
    bundled = bundled_scenarios()
    stem = candidate.stem if candidate.suffix == ".toml" else name
    if stem in bundled and candidate.parent == Path("."):
        return bundled[stem]
    raise ScenarioError(
        f"no file {name!r} beside this scenario and no bundled scenario of that name{did_you_mean(stem, bundled)}",
        file=str(child),
        field="extends",
    )


def _read_toml(path: Path) -> dict[str, Any]:
    text = read_text(path, limit=MAX_SCENARIO_BYTES, error=ScenarioError, what="a scenario .toml file")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"malformed TOML: {exc}; fix the syntax", file=str(path)) from exc


def _merge(parent: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    out = dict(parent)
    for key, value in child.items():
        before = parent.get(key, [])
        if key in ("changes", "closures", "storms", "events") and isinstance(value, list) and isinstance(before, list):
            out[key] = [*before, *value]
        elif key in ("routes", "demand") and isinstance(value, list) and isinstance(before, list):
            merged = {str(item.get("id")): item for item in before if isinstance(item, dict)}
            for item in value:
                if isinstance(item, dict):
                    merged[str(item.get("id"))] = item
            out[key] = list(merged.values())
        else:  # a scalar, or a table where a list of tables goes (which validation reports)
            out[key] = value
    return out


def _load_raw(path: Path) -> dict[str, Any]:
    """Read a scenario and its ``extends`` chain (iteratively, at most :data:`MAX_EXTENDS` parents) and merge it."""
    chain: list[tuple[Path, dict[str, Any]]] = []
    seen: list[Path] = []
    current = path
    while True:
        resolved = current.resolve()
        if resolved in seen:
            cycle = " -> ".join(p.name for p in (*seen, resolved))
            raise ScenarioError(
                f"extends forms a cycle ({cycle}); remove one extends", file=str(chain[-1][0]), field="extends"
            )
        if len(chain) > MAX_EXTENDS:
            raise ScenarioError(
                f"extends goes more than {MAX_EXTENDS} scenarios deep; extend a scenario closer to the root",
                file=str(path),
                field="extends",
            )
        data = _read_toml(current)
        chain.append((current, data))
        seen.append(resolved)
        if data.get("extends") is None:
            break
        current = _resolve_parent(data["extends"], child=current)
    merged = chain[-1][1]
    for (_, child), (parent_path, _) in zip(reversed(chain[:-1]), reversed(chain[1:]), strict=True):
        parent = {k: v for k, v in merged.items() if k not in ("name", "title", "description")}
        if isinstance(parent.get("network"), str):
            parent["network"] = str((parent_path.parent / parent["network"]).resolve())
        merged = _merge(parent, child)
    return merged


#: Pydantic's type errors, as the fix.
_TYPE_FIXES = {
    "float_type": "give a number (not a boolean or a string)",
    "int_type": "give a whole number (not a boolean, a string or a decimal)",
    "bool_type": "give true or false",
    "date_type": "give a date such as 2025-01-06",
    "datetime_type": "give a date such as 2025-01-06 or a local date-time such as 2025-01-06T08:00:00",
    "finite_number": "give a finite number (not nan or inf)",
    "string_type": "give a text in quotes",
}
#: The names pydantic gives union members in an error's location.
_MEMBER_TAGS = {"float", "int", "str", "bool", "date", "datetime"}


def _union_tag(part: int | str) -> bool:
    """Whether a part of an error's location names a union member (``float``, ``literal[...]``), not a field."""
    return isinstance(part, str) and (part in _MEMBER_TAGS or any(c in part for c in "[(-,"))


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
        errors = [ScenarioError(msg, file=file, field=field or None) for field, msg in _problems(exc, root=Scenario)]
        if len(errors) == 1:
            raise errors[0] from None
        raise ScenarioError(
            f"{len(errors)} problems: " + "; ".join(str(p).removeprefix(f"{file}: ") for p in errors),
            file=file,
            problems=tuple(str(p) for p in errors),
        ) from None


def validation_problems(exc: ValidationError, *, file: str, prefix: str, root: type[BaseModel]) -> list[str]:
    """One line per problem of a pydantic validation (``file: prefix.field: what and fix``).

    Parameters
    ----------
    exc
        The validation error of a ``root`` model.
    file
        The file the data came from.
    prefix
        Where in the file the model's data is (``route[3]``).
    root
        The model validated.
    """
    out = []
    for field, msg in _problems(exc, root=root):
        where = f"{prefix}.{field}" if field and not field.startswith("[") else f"{prefix}{field}"
        out.append(f"{file}: {where}: {msg}")
    return out


def _problems(exc: ValidationError, *, root: type[BaseModel]) -> list[tuple[str, str]]:
    """``(field, message with the fix)`` per problem; one per field (a union's members agree)."""
    out: list[tuple[str, str]] = []
    fields: set[str] = set()
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not _union_tag(p))
        field = _field(loc)
        if field in fields:  # a value that fits no member of a union: one problem, not one per member
            continue
        fields.add(field)
        if err["type"] in _TYPE_FIXES:
            msg = f"{_TYPE_FIXES[err['type']]} (got {err.get('input')!r})"
        elif err["type"] == "extra_forbidden":
            key = str(loc[-1])
            model = _model_for(loc[:-1], root=root)
            msg = f"unknown key {key!r}{did_you_mean(key, model.model_fields)}; remove or rename it"
        elif err["type"] == "missing":
            msg = "missing; this key is required"
        else:
            msg = str(err["msg"]).removeprefix("Value error, ")
            if "input" in err and err["type"] not in ("value_error",):
                msg = f"{msg} (got {err['input']!r})"
        out.append((field, msg))
    return out


def _model_for(loc: tuple[int | str, ...], *, root: type[BaseModel]) -> type[BaseModel]:
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
    return table.get(names[-1], root) if names else root


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
    data = _load_raw(path)
    return scenario_from_dict(data, file=str(path))
