"""Read the files of a geodata folder and check their structure.

The attribute tables are checked against the schema in :mod:`corridor.schema`; this
module checks what comes before them, for every file of the folder, and lists every
problem (file, feature, field and fix) instead of stopping at the first:

* ``nodes.geojson``, ``links.geojson``, ``services.geojson``: a GeoJSON
  ``FeatureCollection`` of features whose ``properties`` are an object; nodes are
  ``Point``s, links ``LineString``s (or ``MultiLineString``s), with finite longitude and
  latitude; no ``NaN`` or ``Infinity`` (not JSON);
* ``emission_factors.csv``: columns ``key`` and ``g_co2e_tkm``, each factor a finite
  number of 0 or more, each key once;
* ``routes.toml``: valid TOML whose ``[[route]]`` tables are route templates
  (:class:`corridor.scenario.RouteSpec`), each id once, and whose ``[[family]]`` tables
  are route-family rules (:class:`FamilyRule`).

Every file is read by :func:`corridor._files.read_text` (a regular file under a size cap,
UTF-8 without a byte-order mark).
"""

from __future__ import annotations

import csv
import json
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import BaseModel, ConfigDict

from corridor._errors import CorridorError, NetworkError
from corridor._files import MAX_GEODATA_BYTES, read_text

__all__ = ["FILES", "FamilyRule", "GeodataFiles", "geodesic_km", "read_geodata"]

#: The GeoJSON files of a geodata folder, by component kind.
FILES = {"nodes": "nodes.geojson", "links": "links.geojson", "services": "services.geojson"}
#: The geometry types each kind accepts (``None``: a feature may have no geometry).
_GEOMETRY = {
    "nodes": ("Point",),
    "links": ("LineString", "MultiLineString", None),
    "services": None,  # anything: services are not drawn
}


class FamilyRule(BaseModel):
    """A route-family rule of ``routes.toml``: a route whose links match belongs to family ``id``.

    Each list, where given, must match: ``modes`` (one of them used), ``groups`` (every
    link group of the route among them), ``all_groups`` (each link in one of them),
    ``countries`` and ``nodes`` (one of them passed).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str | None = None
    description: str = ""
    modes: list[str] | None = None
    groups: list[str] | None = None
    all_groups: list[str] | None = None
    countries: list[str] | None = None
    nodes: list[str] | None = None


@dataclass(frozen=True)
class GeodataFiles:
    """The raw tables of a geodata folder, structure checked, attributes not yet."""

    nodes: pd.DataFrame
    links: pd.DataFrame
    services: pd.DataFrame
    emission_factors: dict[str, float]
    routes: dict[str, dict[str, Any]]
    geometries: dict[str, Any] = field(default_factory=dict)
    family_rules: tuple[dict[str, Any], ...] = ()


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


def _features(file: Path, kind: str, problems: list[str]) -> list[dict[str, Any]]:
    """The features of a GeoJSON file; problems with its structure are appended."""
    if not file.exists():
        problems.append(f"{file}: missing file; every geodata folder needs it")
        return []
    try:
        data = json.loads(read_text(file, limit=MAX_GEODATA_BYTES, error=NetworkError), parse_constant=_no_constant)
    except CorridorError as exc:
        problems.append(str(exc))
        return []
    except ValueError as exc:
        problems.append(f"{file}: cannot read as GeoJSON ({exc}); fix the file's syntax (null for no value)")
        return []
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        got = data.get("type") if isinstance(data, dict) else type(data).__name__
        problems.append(f"{file}: type: a {got!r}, not a FeatureCollection; put the features in a FeatureCollection")
        return []
    out = []
    for pos, feature in enumerate(data["features"]):
        where = f"{file}: feature {pos}"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(f"{where}: type: not a Feature; give each feature type, geometry and properties")
            continue
        props = feature.get("properties")
        if not isinstance(props, dict):
            problems.append(f"{where}: properties: {props!r} is not an object; give the feature's attributes")
            continue
        where = f"{file}: {props.get('id', f'feature {pos}')}"
        if _geometry_ok(feature.get("geometry"), kind, where, problems):
            out.append(feature)
    return out


def _geometry_ok(geometry: Any, kind: str, where: str, problems: list[str]) -> bool:
    allowed = _GEOMETRY[kind]
    if allowed is None:
        return True
    gtype = geometry.get("type") if isinstance(geometry, dict) else None
    if gtype not in allowed:
        need = " or ".join(a for a in allowed if a)
        problems.append(f"{where}: geometry: a {gtype or 'missing geometry'}, not a {need}; give a {need}")
        return False
    if geometry is None:
        return True
    coords = list(_coordinates(geometry.get("coordinates")))
    bad = [c for c in coords if not _position_ok(c, ranged=kind != "nodes")]  # nodes: the schema checks lon, lat
    if not coords or bad:
        problems.append(
            f"{where}: geometry: coordinates {bad[0] if bad else []!r} are not [longitude, latitude] in degrees; "
            "give finite longitudes in [-180, 180] and latitudes in [-90, 90]"
        )
        return False
    return True


def _coordinates(value: Any) -> Any:
    """The positions of a Point, LineString or MultiLineString (any nesting of lists)."""
    if isinstance(value, list) and value and all(not isinstance(v, list) for v in value):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _coordinates(item)
    else:
        yield value


def _position_ok(pos: Any, *, ranged: bool) -> bool:
    if not isinstance(pos, list) or len(pos) < 2:
        return False
    lon, lat = pos[0], pos[1]
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in (lon, lat)):
        return False
    return not ranged or bool(-180 <= lon <= 180 and -90 <= lat <= 90)


def _emission_factors(file: Path, problems: list[str]) -> dict[str, float]:
    if not file.exists():
        problems.append(f"{file}: missing file; list emission factors as key,g_co2e_tkm,...")
        return {}
    try:
        text = read_text(file, limit=MAX_GEODATA_BYTES, error=NetworkError)
    except CorridorError as exc:
        problems.append(str(exc))
        return {}
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in ("key", "g_co2e_tkm") if c not in (reader.fieldnames or [])]
    if missing:
        problems.append(f"{file}: {missing[0]}: no such column; the header must name key and g_co2e_tkm")
        return {}
    out: dict[str, float] = {}
    for line, row in enumerate(reader, start=2):
        key, raw = row["key"], row["g_co2e_tkm"]
        where = f"{file}: line {line} ({key!r}): g_co2e_tkm"
        try:
            value = float(raw or "")
        except ValueError:
            problems.append(f"{where}: {raw!r} is not a number; give g CO2e per tonne-km")
            continue
        if not math.isfinite(value) or value < 0:
            problems.append(f"{where}: {raw!r} is not a finite number of 0 or more; give g CO2e per tonne-km")
        elif not key:
            problems.append(f"{file}: line {line}: key: missing; give the factor a key")
        elif key in out:
            problems.append(f"{file}: line {line}: key: {key!r} is listed twice; list each key once")
        else:
            out[key] = value
    return out


def _routes(file: Path, problems: list[str]) -> tuple[dict[str, dict[str, Any]], tuple[dict[str, Any], ...]]:
    """Route templates (id -> template, as written) and family rules (in order) of ``routes.toml``."""
    from corridor.scenario import RouteSpec

    if not file.exists():
        return {}, ()
    try:
        data = tomllib.loads(read_text(file, limit=MAX_GEODATA_BYTES, error=NetworkError))
    except CorridorError as exc:
        problems.append(str(exc))
        return {}, ()
    except tomllib.TOMLDecodeError as exc:
        problems.append(f"{file}: malformed TOML: {exc}; fix the syntax")
        return {}, ()
    unknown = [k for k in data if k not in ("route", "family")]
    if unknown:
        problems.append(f"{file}: {unknown[0]}: unknown key; give [[route]] and [[family]] tables")
    routes = _tables(file, data, "route", RouteSpec, problems)
    families = _tables(file, data, "family", FamilyRule, problems)
    return routes, tuple(families.values())


def _tables(
    file: Path, data: dict[str, Any], key: str, model: type[BaseModel], problems: list[str]
) -> dict[str, dict[str, Any]]:
    """The ``[[key]]`` tables of a TOML file, each checked by ``model``, by id (as written)."""
    from pydantic import ValidationError

    from corridor.scenario import validation_problems

    tables = data.get(key, [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        problems.append(f"{file}: {key}: not a list of tables; give them as [[{key}]] tables")
        return {}
    out: dict[str, dict[str, Any]] = {}
    for pos, table in enumerate(tables):
        try:
            ident = str(model.model_validate(table).id)  # type: ignore[attr-defined]
        except ValidationError as exc:
            problems += validation_problems(exc, file=str(file), prefix=f"{key}[{pos}]", root=model)
            continue
        if ident in out:
            problems.append(f"{file}: {key}[{pos}].id: {ident!r} is given twice; give each its own id")
        out[ident] = dict(table)
    return out


def _frame(features: list[dict[str, Any]]) -> Any:
    import geopandas as gpd  # lazy: keeps `import corridor` light

    if not features:
        return gpd.GeoDataFrame({"id": pd.Series(dtype=object)}, geometry=gpd.GeoSeries([]))
    return gpd.GeoDataFrame.from_features(features)


def read_geodata(folder: Path) -> GeodataFiles:
    """Read every file of a geodata folder and check its structure.

    Parameters
    ----------
    folder
        Holds :data:`FILES`, ``emission_factors.csv`` and (optionally) ``routes.toml``.

    Raises
    ------
    NetworkError
        Listing every structure problem found, each naming the file, the feature, the
        field and the fix.
    """
    problems: list[str] = []
    raw = {kind: _features(folder / name, kind, problems) for kind, name in FILES.items()}
    factors = _emission_factors(folder / "emission_factors.csv", problems)
    routes, families = _routes(folder / "routes.toml", problems)
    if problems:
        raise NetworkError(
            f"{len(problems)} problem(s) in geodata: " + " | ".join(problems),
            file=str(folder),
            problems=tuple(problems),
        )
    nodes, links, services = (_frame(raw[kind]) for kind in FILES)
    geoms = nodes.geometry
    nodes = pd.DataFrame(nodes.drop(columns="geometry"))
    nodes["lon"] = [g.x for g in geoms]
    nodes["lat"] = [g.y for g in geoms]
    geometries = {str(lid): g for lid, g in zip(links.get("id", []), links.geometry, strict=True) if g is not None}
    links = links.assign(geodesic_km=geodesic_km(links.geometry))
    return GeodataFiles(
        nodes=nodes,
        links=pd.DataFrame(links.drop(columns="geometry")),
        services=pd.DataFrame(services.drop(columns="geometry", errors="ignore")),
        emission_factors=factors,
        routes=routes,
        geometries=geometries,
        family_rules=families,
    )


def geodesic_km(geoms: Any) -> list[float]:
    """The geodesic length (WGS84) of each geometry in km; NaN where there is none."""
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    return [geod.geometry_length(g) / 1000.0 if g is not None and not g.is_empty else math.nan for g in geoms]
