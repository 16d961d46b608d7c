"""The network: load geodata, build a NetworkX graph, validate once, compile for the engine.

Data flow (one direction)::

    geodata/{nodes,links,services}.geojson ──read (geopandas)──▶ tables ──validate──▶
    Network(graph: nx.MultiDiGraph, tables) ──compile()──▶ CompiledNetwork (typed records)

The engine only ever sees a :class:`corridor.compiled.CompiledNetwork`: typed records
indexed by integers, no NetworkX, no pandas, no validation on the hot path.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import pandas as pd

from corridor._data import bundled_dir
from corridor._errors import NetworkError, RouteError, did_you_mean
from corridor.compiled import CompiledNetwork, Service, compile_tables
from corridor.costing import VESSEL_MODES, across, parse_weekdays
from corridor.distributions import parse_floats, read_dist
from corridor.geodata import FILES, read_geodata
from corridor.schema import check_frame, schema

if TYPE_CHECKING:
    from corridor.pricing import CargoData

__all__ = ["NODE_TIMES", "CompiledNetwork", "Network", "Service", "load_network"]

_DERIVED = ("geodesic_km", "distance_km", "travel_h")
_FILES = FILES
#: The times a shipment may spend at a node, each a distribution ``{prefix}_h``/``{prefix}_dist``/...
NODE_TIMES = ("handling", "border", "dwell", "origin_dwell", "destination_dwell")


@dataclass(frozen=True)
class Network:
    """A validated multimodal network.

    Attributes
    ----------
    graph
        ``nx.MultiDiGraph``: nodes keyed by id, edges keyed by link id, attributes as in
        the schema (``corridor/schema/*.csv``), plus ``time_h`` filled from speed.
    nodes, links, services
        The validated tables (pandas, indexed by id).
    emission_factors
        g CO2e per tonne-km, by key: tank-to-wheel (direct).
    emission_factors_wtw
        The same, well-to-wheel (ISO 14083: direct plus well-to-tank); keys without one
        give NaN.
    cargo
        Units of carriage and cargo classes (:mod:`corridor.pricing`).
    routes
        Route templates from ``routes.toml`` (id -> dict with name, via, modes, avoid).
    family_rules
        The ``[[family]]`` rules of ``routes.toml``, in order (:func:`corridor.routes.family_of`).
    path
        The folder the geodata came from.
    geometries
        Link id -> shapely LineString as read (sea links follow their sea route); used by
        maps and :mod:`corridor.geo`, never by the engine.
    """

    graph: nx.MultiDiGraph
    nodes: pd.DataFrame
    links: pd.DataFrame
    services: pd.DataFrame
    emission_factors: dict[str, float]
    routes: dict[str, dict[str, Any]]
    path: Path
    emission_factors_wtw: dict[str, float]
    cargo: CargoData
    _lookup: dict[str, str] = field(repr=False, default_factory=dict)
    geometries: dict[str, Any] = field(repr=False, default_factory=dict)
    family_rules: tuple[dict[str, Any], ...] = ()

    # -- lookup ---------------------------------------------------------------------------
    def node_id(self, name: str, *, file: str | None = None, field: str | None = None) -> str:
        """Return the id of a node given by id, name or alias, case-insensitively.

        Parameters
        ----------
        name
            Id, name or alias of the node.
        file, field
            Where the name came from, for the error message.

        Raises
        ------
        RouteError
            If no node answers to the name; the message suggests the closest one.
        """
        for key in (_norm(name), _norm(_plain(name))):
            if key in self._lookup:
                return self._lookup[key]
        raise RouteError(
            f"unknown node {name!r}{did_you_mean(name, self._display_names())}",
            file=file,
            field=field,
        )

    def _display_names(self) -> list[str]:
        return [*self.nodes.index.tolist(), *self.nodes["name"].tolist()]

    def node_name(self, node: str) -> str:
        """Return the display name of a node id."""
        return str(self.nodes.at[node, "name"])

    # -- changes --------------------------------------------------------------------------
    def with_changes(self, changes: Iterable[Mapping[str, Any]], *, file: str = "<changes>") -> Network:
        """Return a new network with attribute changes applied; ``self`` is not modified.

        Parameters
        ----------
        changes
            Each change is a mapping with ``component`` (``node``, ``link``,
            ``service``), a selector (``id``, ``group`` or ``mode``), an ``attribute`` and
            either ``value`` (set) or ``factor`` (multiply). A ``value`` of ``""``
            empties an optional attribute (e.g. ``speed_kmh`` of a link that gets a
            triangular ``time_dist``).
        file
            The scenario file the changes come from, for messages.

        Raises
        ------
        NetworkError
            Naming the scenario file and the change: unknown attributes or selections,
            values out of range, and time distributions left incomplete or in conflict
            once every change is applied.
        """
        tables = {
            "node": self.nodes.copy(),
            "link": self.links.copy(),
            "service": self.services.copy(),
        }
        touched: dict[tuple[str, str], str] = {}  # (component, id) -> the last change's field
        errors: list[NetworkError] = []  # every bad change is reported, not just the first
        for pos, change in enumerate(changes):
            try:
                touched.update(_apply_change(tables, pos, change, file=file))
            except NetworkError as exc:
                errors.append(exc)
        if len(errors) == 1:
            raise errors[0]
        if errors:
            lines = tuple(line for e in errors for line in e.problems)
            raise NetworkError(f"{len(lines)} problems: " + " | ".join(lines), file=file, problems=lines)
        _check_changed_dists(tables, touched, file=file)
        return _assemble(
            tables["node"].reset_index(),
            tables["link"].reset_index(),
            tables["service"].reset_index(),
            emission_factors=self.emission_factors,
            routes=self.routes,
            path=self.path,
            geometries=self.geometries,
            emission_factors_wtw=self.emission_factors_wtw,
            cargo=self.cargo,
            family_rules=self.family_rules,
        )

    # -- compile --------------------------------------------------------------------------
    def compile(self) -> CompiledNetwork:
        """The integer-indexed view for the engine and the estimates (compiled once, on first use)."""
        return self._compiled

    @cached_property
    def _compiled(self) -> CompiledNetwork:
        return compile_tables(
            self.nodes,
            self.open_links,
            self.services,
            emission_factors=self.emission_factors,
            emission_factors_wtw=self.emission_factors_wtw,
        )

    @property
    def open_links(self) -> pd.DataFrame:
        """The links in service: all but those with ``status = planned`` (the graph and the engine use these)."""
        return self.links[self.links["status"].fillna("open") != "planned"]

    def summary(self) -> pd.DataFrame:
        """Links and km by mode and country of the link's start node."""
        frame = self.links.assign(country=self.nodes.loc[self.links["from"], "country"].to_numpy())
        return frame.groupby(["mode", "country"]).agg(links=("mode", "size"), km=("distance_km", "sum")).reset_index()


def _apply_change(
    tables: dict[str, pd.DataFrame], pos: int, change: Mapping[str, Any], *, file: str
) -> dict[tuple[str, str], str]:
    """Apply one scenario change to the tables in place; the rows it touched, with its field."""
    where = f"changes[{pos}]"
    comp = str(change["component"])
    table = tables[comp]
    attr = str(change["attribute"])
    if attr not in table.columns or attr in ("id", "from", "to", *_DERIVED):
        raise NetworkError(
            f"{comp} has no changeable attribute {attr!r}{did_you_mean(attr, table.columns)}",
            file=file,
            field=f"{where}.attribute",
        )
    mask = _select(table, change, comp=comp, file=file, where=where)
    _check_fixed_time_change(table, mask, comp=comp, attr=attr, file=file, where=where)
    if change.get("factor") is not None:
        new = table.loc[mask, attr].astype(float) * float(change["factor"])
        key = "factor"
    else:
        value = change["value"]
        if isinstance(value, str) and value == "" and not schema(f"{comp}s")[attr].required:
            value = math.nan if schema(f"{comp}s")[attr].type == "float" else None  # empties it
        new = pd.Series(value, index=table.index[mask], dtype=float if value is math.nan else None)
        key = "value"
    _check_change(new, kind=f"{comp}s", attr=attr, file=file, field=f"{where}.{key}")
    table.loc[mask, attr] = new
    return {(comp, str(ident)): f"{where}.{key}" for ident in table.index[mask]}


#: Fixed-time attributes and the distribution they stand in for.
_FIXED_TIMES = {
    ("link", "time_h"): "time",
    ("link", "speed_kmh"): "time",
    ("node", "handling_h"): "handling",
    ("node", "border_h"): "border",
    ("node", "dwell_h"): "dwell",
    ("node", "origin_dwell_h"): "origin_dwell",
    ("node", "destination_dwell_h"): "destination_dwell",
}


def _check_fixed_time_change(
    table: pd.DataFrame, mask: pd.Series, *, comp: str, attr: str, file: str, where: str
) -> None:
    """A change of a fixed time must not select rows whose time is a triangular or empirical distribution."""
    prefix = _FIXED_TIMES.get((comp, attr))
    if prefix is None or f"{prefix}_dist" not in table.columns:
        return
    kinds = table.loc[mask, f"{prefix}_dist"]
    drawn = kinds[kinds.isin(["triangular", "empirical"])]
    if len(drawn):
        ident, kind = drawn.index[0], drawn.iloc[0]
        raise NetworkError(
            f"{comp} {ident} has a {kind} {prefix} time, which {attr} does not set; change its "
            f"{prefix}_min_h/{prefix}_mode_h/{prefix}_max_h or {prefix}_samples_h, select fewer {comp}s, "
            f'or first set {prefix}_dist = ""',
            file=file,
            field=f"{where}.attribute",
        )


def _check_changed_dists(tables: dict[str, pd.DataFrame], touched: dict[tuple[str, str], str], *, file: str) -> None:
    """After a scenario's changes: the time distributions of the rows they touched hold together.

    Checked once every change is applied, so a distribution may be set up over several
    changes; an error names the last change that touched the row.
    """
    for (comp, ident), where in touched.items():
        if comp not in ("link", "node"):
            continue
        row = {str(k): v for k, v in tables[comp].loc[ident].items()}  # "" (emptied) counts as missing
        if comp == "link":
            _, problems = read_dist(
                row, prefix="time", fixed="time_h", where=f"link {ident}", cv="time_cv", fixed_allowed=("speed_kmh",)
            )
        else:
            problems = [
                p
                for prefix in NODE_TIMES
                for p in read_dist(row, prefix=prefix, fixed=f"{prefix}_h", where=f"node {ident}")[1]
            ]
        if problems:
            raise NetworkError(f"after the changes, {problems[0]}", file=file, field=where)


def _check_change(values: pd.Series, *, kind: str, attr: str, file: str, field: str) -> None:
    """Check changed values against the schema, naming the scenario's change on error."""
    spec = schema(kind)[attr]
    for value in values.dropna():
        if spec.type == "floats":
            try:
                parse_floats(value)
            except ValueError as exc:
                raise NetworkError(f"{attr}: {exc}", file=file, field=field) from None
            continue
        if spec.type != "float":
            if spec.choices and str(value) not in spec.choices:
                raise NetworkError(
                    f"{attr} must be one of {', '.join(spec.choices)} (got {value!r})", file=file, field=field
                )
            continue
        try:
            num = float(value)
        except (TypeError, ValueError):
            raise NetworkError(f"{attr} takes a number (got {value!r})", file=file, field=field) from None
        if not math.isfinite(num) or isinstance(value, bool):
            raise NetworkError(f"{attr} takes a finite number (got {value!r})", file=file, field=field)
        lo = -math.inf if spec.min is None else spec.min
        hi = math.inf if spec.max is None else spec.max
        if not lo <= num <= hi:
            unit = f" {spec.unit}" if spec.unit else ""
            raise NetworkError(
                f"{attr} would become {num:g}, outside [{lo:g}, {hi:g}]{unit}; give a value in that range",
                file=file,
                field=field,
            )


def _norm(name: str) -> str:
    """Lookup key of a node name: Unicode NFC, case-folded, hyphens, underscores and spaces as one space."""
    text = unicodedata.normalize("NFC", str(name)).replace("’", "'").casefold()
    return " ".join(text.replace("-", " ").replace("_", " ").split())


def _plain(name: str) -> str:
    """The name without diacritics (``Małaszewicze`` -> ``Malaszewicze``), so either spelling resolves."""
    decomposed = unicodedata.normalize("NFKD", str(name).replace("ł", "l").replace("Ł", "L").replace("ı", "i"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _select(table: pd.DataFrame, change: Mapping[str, Any], *, comp: str, file: str, where: str) -> pd.Series:
    selectors = [k for k in ("id", "group", "mode") if change.get(k) is not None]
    if len(selectors) != 1:
        raise NetworkError(
            "give exactly one of id, group or mode to say what the change applies to",
            file=file,
            field=where,
        )
    key = selectors[0]
    value = str(change[key])
    if key == "id":
        if value not in table.index:
            raise NetworkError(
                f"unknown {comp} id {value!r}{did_you_mean(value, table.index)}",
                file=file,
                field=f"{where}.id",
            )
        return pd.Series(table.index == value, index=table.index)
    if key not in table.columns:
        raise NetworkError(f"{comp}s have no {key!r}; select by id", file=file, field=f"{where}.{key}")
    mask = table[key].fillna("") == value
    if not mask.any():
        raise NetworkError(
            f"no {comp} has {key} {value!r}{did_you_mean(value, table[key].dropna().unique())}",
            file=file,
            field=f"{where}.{key}",
        )
    return mask


def load_network(path: str | Path | None = None) -> Network:
    """Load, validate and build the network from a geodata folder.

    Parameters
    ----------
    path
        Folder with ``nodes.geojson``, ``links.geojson``, ``services.geojson``,
        ``emission_factors.csv`` and ``routes.toml``. Default: the bundled geodata.

    Raises
    ------
    NetworkError
        Listing every problem found, each naming the file, the feature, the field and
        the fix.
    """
    folder = Path(path) if path is not None else bundled_dir("geodata")
    if not folder.is_dir():
        raise NetworkError(
            f"not a folder; give the folder that holds {', '.join(_FILES.values())}",
            file=str(folder),
        )
    files = read_geodata(folder)
    return _assemble(
        files.nodes,
        files.links,
        files.services,
        emission_factors=files.emission_factors,
        routes=files.routes,
        path=folder,
        geometries=files.geometries,
        emission_factors_wtw=files.emission_factors_wtw,
        family_rules=files.family_rules,
    )


def _assemble(
    nodes: pd.DataFrame,
    links: pd.DataFrame,
    services: pd.DataFrame,
    *,
    emission_factors: dict[str, float],
    routes: dict[str, dict[str, Any]],
    path: Path,
    geometries: dict[str, Any] | None = None,
    emission_factors_wtw: dict[str, float] | None = None,
    cargo: CargoData | None = None,
    family_rules: tuple[dict[str, Any], ...] = (),
) -> Network:
    problems: list[str] = []
    nfile, lfile, sfile = (str(path / f) for f in _FILES.values())
    geod = links["geodesic_km"].to_numpy()
    links, p = check_frame(links.drop(columns=list(_DERIVED), errors="ignore"), kind="links", file=lfile)
    problems += p
    nodes, p = check_frame(nodes, kind="nodes", file=nfile)
    problems += p
    services, p = check_frame(services, kind="services", file=sfile)
    problems += p
    node_ids = set(nodes["id"])
    service_ids = set(services["id"])
    dist_mean: dict[str, float] = {}  # links whose mean travel time is a distribution's
    for _, link in links.iterrows():
        lid = link["id"]
        for end in ("from", "to"):
            if link[end] not in node_ids:
                problems.append(
                    f"{lfile}: {lid}: {end}: unknown node {link[end]!r}{did_you_mean(str(link[end]), node_ids)}"
                )
        if link["from"] == link["to"]:
            problems.append(f"{lfile}: {lid}: to: a link must join two different nodes")
        if link["service"] and link["service"] not in service_ids:
            problems.append(
                f"{lfile}: {lid}: service: unknown service {link['service']!r}"
                f"{did_you_mean(str(link['service']), service_ids)}"
            )
        if link["co2_factor"] not in emission_factors:
            problems.append(
                f"{lfile}: {lid}: co2_factor: unknown key {link['co2_factor']!r}"
                f"{did_you_mean(str(link['co2_factor']), emission_factors)}; add it to emission_factors.csv"
            )
        dist, p = read_dist(
            link, prefix="time", fixed="time_h", where=f"{lfile}: {lid}", cv="time_cv", fixed_allowed=("speed_kmh",)
        )
        problems += p
        if dist is not None and dist.kind in ("triangular", "empirical"):
            dist_mean[lid] = dist.mean
        elif _missing(link["time_h"]) and _missing(link["speed_kmh"]) and not p:
            problems.append(f"{lfile}: {lid}: time_h: give time_h or speed_kmh, or a time_dist")
    for _, row in nodes.iterrows():
        for prefix in NODE_TIMES:
            problems += read_dist(row, prefix=prefix, fixed=f"{prefix}_h", where=f"{nfile}: {row['id']}")[1]
    problems += _unused_node_times(nodes, links, file=nfile)
    problems += _service_problems(services, links, sfile=sfile)
    if problems:
        raise NetworkError(
            f"{len(problems)} problem(s) in geodata: " + " | ".join(problems), file=str(path), problems=tuple(problems)
        )
    # derived columns: the sourced value where there is one, else computed
    links["geodesic_km"] = geod
    links["distance_km"] = links["length_km"].where(links["length_km"].notna(), geod * links["detour_factor"])
    links["travel_h"] = links["time_h"].where(links["time_h"].notna(), links["distance_km"] / links["speed_kmh"])
    if dist_mean:
        links["travel_h"] = links["travel_h"].where(~links["id"].isin(dist_mean), links["id"].map(dist_mean))
    problems = _check_derived(links, lfile)
    if problems:
        raise NetworkError(
            f"{len(problems)} problem(s) in geodata: " + " | ".join(problems), file=str(path), problems=tuple(problems)
        )
    nodes = nodes.set_index("id", drop=True)
    links = links.set_index("id", drop=True)
    services = services.set_index("id", drop=True)
    graph, lookup = _graph_and_lookup(nodes, links)
    return Network(
        graph=graph,
        nodes=nodes,
        links=links,
        services=services,
        emission_factors=emission_factors,
        routes=routes,
        path=path,
        emission_factors_wtw=dict(emission_factors_wtw or {}),
        cargo=cargo if cargo is not None else _load_cargo(path),
        _lookup=lookup,
        geometries=dict(geometries or {}),
        family_rules=family_rules,
    )


def _check_derived(links: pd.DataFrame, lfile: str) -> list[str]:
    """Every link has a length and a travel time: finite, and a length above 0 (never a silent 0 km)."""
    problems = []
    for lid, km, hours in zip(links["id"], links["distance_km"], links["travel_h"], strict=True):
        if not (math.isfinite(km) and km > 0):
            problems.append(
                f"{lfile}: {lid}: length_km: the link has no length (no line geometry and no length_km); "
                "give it a LineString geometry or length_km"
            )
        elif not math.isfinite(hours) or hours < 0:
            problems.append(f"{lfile}: {lid}: time_h: no travel time follows ({hours}); give time_h or speed_kmh")
    return problems


def _service_problems(services: pd.DataFrame, links: pd.DataFrame, *, sfile: str) -> list[str]:
    """Problems of the services table: timetables, when-full shuttles, and the links that use them."""
    problems: list[str] = []
    for _, svc in services.iterrows():
        sid = svc["id"]
        used = links[links["service"] == sid]
        if svc["kind"] == "weekly":
            try:
                parse_weekdays(svc["weekdays"])
            except ValueError as exc:
                problems.append(f"{sfile}: {sid}: weekdays: {exc}")
        problems += _unused_service_times(svc, file=sfile)
        if svc["kind"] == "interval" and _missing(svc["interval_h"]):
            problems.append(f"{sfile}: {sid}: interval_h: an interval service needs interval_h")
        if svc["kind"] == "when_full":
            if _missing(svc["max_wait_h"]):
                problems.append(f"{sfile}: {sid}: max_wait_h: a when_full service needs max_wait_h")
            pairs = list(zip(used["from"], used["to"], strict=True))
            if (len(pairs) == 2 and pairs[0] != (pairs[1][1], pairs[1][0])) or len(pairs) > 2:
                problems.append(
                    f"{sfile}: {sid}: id: a when_full service shuttles between two ports; "
                    f"attach it to one link or to a link and its reverse (got {pairs})"
                )
        elif len(used) > 1:
            problems.append(
                f"{sfile}: {sid}: id: a timetabled service runs on one link; make one service per direction"
            )
        if len(used) == 0:
            problems.append(f"{sfile}: {sid}: id: no link uses this service; remove it or set links' service")
    return problems


def _graph_and_lookup(nodes: pd.DataFrame, links: pd.DataFrame) -> tuple[nx.MultiDiGraph, dict[str, str]]:
    """The graph of the validated tables (planned links left out) and the node lookup by name, alias, LOCODE."""
    graph = nx.MultiDiGraph()
    for nid, row in nodes.iterrows():
        graph.add_node(nid, **{str(k): v for k, v in row.items()})
    for lid, row in links[links["status"].fillna("open") != "planned"].iterrows():
        data = {str(k): v for k, v in row.items()}
        graph.add_edge(data.pop("from"), data.pop("to"), key=lid, id=lid, **data)
    lookup: dict[str, str] = {}
    for nid, row in nodes.iterrows():
        names = [nid, row["name"], *[a for a in str(row["aliases"] or "").split(";") if a.strip()]]
        if row["locode"]:
            names.append(str(row["locode"]))
        for name in names:
            lookup.setdefault(_norm(name), str(nid))
            lookup.setdefault(_norm(_plain(name)), str(nid))
    return graph, lookup


def _load_cargo(path: Path) -> CargoData:
    from corridor.pricing import load_cargo  # pricing builds on this module

    return load_cargo(path if path.is_dir() else bundled_dir("geodata"))


def _has_time(row: pd.Series, prefix: str) -> bool:
    """Whether a node row gives a time ``prefix`` (a fixed time > 0 or a distribution)."""
    fixed = row.get(f"{prefix}_h")
    return not _missing(row.get(f"{prefix}_dist")) or (not _missing(fixed) and float(fixed or 0.0) > 0.0)


def _unused_node_times(nodes: pd.DataFrame, links: pd.DataFrame, *, file: str) -> list[str]:
    """Border and yard-dwell figures no shipment could ever spend: each is a problem.

    Border formalities apply at a border node or where a link joins two customs
    territories (:func:`corridor.costing.crosses_border`); a yard dwell where a shipment can change mode or service
    (the node's links have more than one mode or service between them); a transshipment charge where two
    vessel services meet (:data:`corridor.costing.VESSEL_MODES`).
    """
    country = dict(zip(nodes["id"], nodes["country"], strict=True))
    kind = dict(zip(nodes["id"], nodes["kind"], strict=True))
    abroad: set[str] = set()
    changes: dict[str, set[tuple[str, str]]] = {}
    for a, b, mode, svc in zip(links["from"], links["to"], links["mode"], links["service"].fillna(""), strict=True):
        if a in country and b in country:
            abroad.update(x for x, y in ((a, b), (b, a)) if across(kind[x], country[x], kind[y], country[y]))
        for end in (a, b):
            changes.setdefault(end, set()).add((str(mode), str(svc)))
    problems: list[str] = []
    for _, row in nodes.iterrows():
        nid = row["id"]
        charged = not _missing(row.get("border_usd")) and float(row["border_usd"]) > 0.0
        crossing = row["kind"] == "border" or nid in abroad
        if (_has_time(row, "border") or charged) and not crossing:
            field = "border_h" if _has_time(row, "border") else "border_usd"
            problems.append(
                f"{file}: {nid}: {field}: no shipment crosses a border here (a waypoint, or not a border node and no "
                "link to or from another customs territory but through a border node), so it would be ignored; "
                "remove it or set kind = border"
            )
        if _has_time(row, "dwell") and len(changes.get(nid, ())) < 2:
            problems.append(
                f"{file}: {nid}: dwell_h: no shipment can change mode or service here (its links share one), "
                "so the yard dwell would be ignored; remove it, or give origin_dwell_h / destination_dwell_h"
            )
        vessels = {svc for mode, svc in changes.get(nid, ()) if mode in VESSEL_MODES}
        if not _missing(row.get("transship_usd")) and float(row["transship_usd"]) > 0.0 and len(vessels) < 2:
            problems.append(
                f"{file}: {nid}: transship_usd: no box can move from one vessel service to another here (fewer "
                "than two sea services call), so it would be ignored; remove it, or give the terminal handling "
                "as handling_usd"
            )
    return problems


def _unused_service_times(svc: pd.Series, *, file: str) -> list[str]:
    """A cut-off on a when-full service, or a port time on a timetabled one, would be ignored."""
    sid = svc["id"]
    cutoff, port = svc.get("cutoff_h"), svc.get("port_time_h")
    if svc["kind"] == "when_full" and not _missing(cutoff) and float(cutoff or 0.0) > 0.0:
        return [
            f"{file}: {sid}: cutoff_h: a when_full service sails when full or after max_wait_h, so a cut-off "
            "would be ignored; remove it or make the service weekly or interval"
        ]
    if svc["kind"] != "when_full" and not _missing(port) and float(port or 0.0) > 0.0:
        return [
            f"{file}: {sid}: port_time_h: a {svc['kind']} service's departures are its timetable, so a port time "
            "would be ignored; give the cargo's time in port as the port's dwell_h and remove port_time_h"
        ]
    return []
