"""Round trips between a network and GeoDataFrames, GeoJSON and GeoPackage (OSMnx style).

:func:`network_to_gdfs` gives the nodes (points) and links (lines) as GeoDataFrames with
every attribute; :func:`network_from_gdfs` builds a validated :class:`Network` back from
them. :func:`write_network` writes a geodata folder (GeoJSON) or one GeoPackage with
``nodes`` and ``links`` layers (services and templates beside it); :func:`load_network`
reads either back.
Nothing is lost: ids, attributes, geometries, services, emission factors and route
templates survive the round trip. geopandas is imported only here.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from corridor._errors import NetworkError
from corridor.geodata import geodesic_km
from corridor.network import Network, _assemble
from corridor.network import load_network as _load_folder
from corridor.schema import schema

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["load_network", "network_from_gdfs", "network_summary", "network_to_gdfs", "write_network"]

_DERIVED = ("geodesic_km", "distance_km", "travel_h")


def network_to_gdfs(net: Network) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Nodes and links as GeoDataFrames (EPSG:4326), indexed by id.

    Parameters
    ----------
    net
        The network.

    Returns
    -------
    tuple
        ``(nodes, links)``: node points with the schema attributes, and link lines with
        the schema attributes plus the derived ``geodesic_km``, ``distance_km`` and
        ``travel_h``. The link geometries are the ones read from the geodata.
    """
    import geopandas as gpd
    from shapely.geometry import Point

    nodes = gpd.GeoDataFrame(
        net.nodes.copy(),
        geometry=[Point(x, y) for x, y in zip(net.nodes["lon"], net.nodes["lat"], strict=True)],
        crs="EPSG:4326",
    )
    links = gpd.GeoDataFrame(net.links.copy(), geometry=_link_geometries(net), crs="EPSG:4326")
    return nodes, links


def _link_geometries(net: Network) -> list[Any]:
    from shapely.geometry import LineString

    geoms = net.geometries
    out = []
    for lid, row in net.links.iterrows():
        if lid in geoms:
            out.append(geoms[lid])
            continue
        a, b = net.nodes.loc[row["from"]], net.nodes.loc[row["to"]]
        out.append(LineString([(a["lon"], a["lat"]), (b["lon"], b["lat"])]))
    return out


def network_from_gdfs(
    nodes: gpd.GeoDataFrame,
    links: gpd.GeoDataFrame,
    *,
    services: pd.DataFrame,
    emission_factors: dict[str, float],
    routes: dict[str, dict[str, Any]] | None = None,
    path: str | Path = "<gdfs>",
) -> Network:
    """Build and validate a network from node and link GeoDataFrames.

    Parameters
    ----------
    nodes
        Point GeoDataFrame indexed (or with a column) ``id``; ``lon``/``lat`` are taken
        from the geometry.
    links
        LineString GeoDataFrame indexed (or with a column) ``id``; lengths not given are
        the geodesic length of the geometry times ``detour_factor``.
    services
        The services table (indexed or with a column ``id``).
    emission_factors
        g CO2e per tonne-km by key.
    routes
        Route templates (default: none).
    path
        Where the tables came from, for messages.

    Raises
    ------
    NetworkError
        If the tables fail validation (every problem listed).
    """
    node_frame = _with_id(nodes)
    link_frame = _with_id(links)
    geom = node_frame.geometry
    node_tab = pd.DataFrame(node_frame.drop(columns="geometry"))
    node_tab["lon"] = [g.x for g in geom]
    node_tab["lat"] = [g.y for g in geom]
    link_tab = pd.DataFrame(link_frame.drop(columns=["geometry", *_DERIVED], errors="ignore"))
    link_tab["geodesic_km"] = geodesic_km(link_frame.geometry)
    svc = _with_id(services)
    svc = pd.DataFrame(svc.drop(columns="geometry", errors="ignore"))
    return _assemble(
        node_tab,
        link_tab,
        svc,
        emission_factors=dict(emission_factors),
        routes=dict(routes or {}),
        path=Path(path),
        geometries={str(k): g for k, g in zip(link_frame["id"], link_frame.geometry, strict=True) if g is not None},
    )


def _with_id(frame: pd.DataFrame) -> pd.DataFrame:
    if "id" in frame.columns:
        return frame.reset_index(drop=True)
    return frame.rename_axis("id").reset_index()


def write_network(net: Network, path: str | Path) -> Path:
    """Write a network as a geodata folder (GeoJSON) or a GeoPackage (``.gpkg``).

    A folder gets ``nodes.geojson``, ``links.geojson``, ``services.geojson``,
    ``emission_factors.csv`` and ``routes.toml`` (copied from the source network); a
    ``.gpkg`` gets ``nodes`` and ``links`` layers, with the services, emission factors
    and route templates beside it (``<name>.services.csv``,
    ``<name>.emission_factors.csv``, ``<name>.routes.toml``).

    Parameters
    ----------
    net
        The network.
    path
        A folder, or a file ending in ``.gpkg``.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    import geopandas as gpd

    out = Path(path)
    node_gdf, link_gdf = network_to_gdfs(net)
    nodes: Any = _clean(node_gdf.drop(columns=["lon", "lat"]), "nodes").reset_index()
    links: Any = _clean(link_gdf.drop(columns=list(_DERIVED)), "links").reset_index()
    services = _clean(net.services, "services").reset_index()
    services_gdf = gpd.GeoDataFrame(services, geometry=[None] * len(services), crs="EPSG:4326")
    if out.suffix.lower() == ".gpkg":
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.exists():
            out.unlink()
        nodes.to_file(out, layer="nodes", driver="GPKG")
        links.to_file(out, layer="links", driver="GPKG")
        pd.DataFrame(services).to_csv(out.with_suffix(".services.csv"), index=False)
        side = out.with_suffix("")
        _write_side(net, Path(f"{side}.emission_factors.csv"), Path(f"{side}.routes.toml"))
        return out
    out.mkdir(parents=True, exist_ok=True)
    _write_geojson(nodes, out / "nodes.geojson")
    _write_geojson(links, out / "links.geojson")
    _write_geojson(services_gdf, out / "services.geojson")
    _write_side(net, out / "emission_factors.csv", out / "routes.toml")
    return out


def _clean(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Drop columns that hold only their schema default, so files stay as lean as the source."""
    attrs = schema(kind)
    drop = []
    for col in frame.columns:
        if col in attrs and not attrs[col].required and col != "geometry":
            values = frame[col]
            default = attrs[col].default_value()
            if all(_same(v, default) for v in values):
                drop.append(col)
    return frame.drop(columns=drop)


def _same(value: Any, default: Any) -> bool:
    missing = value is None or (isinstance(value, float) and math.isnan(value))
    if default is None or (isinstance(default, float) and math.isnan(default)):
        return missing
    return not missing and value == default


def _write_geojson(gdf: gpd.GeoDataFrame, file: Path) -> None:
    data = json.loads(gdf.to_json(na="drop", drop_id=True))
    data.pop("crs", None)
    file.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _write_side(net: Network, ef_file: Path, routes_file: Path) -> None:
    src = net.path
    if (src / "emission_factors.csv").is_file():
        shutil.copyfile(src / "emission_factors.csv", ef_file)
    else:
        pd.DataFrame({"key": list(net.emission_factors), "g_co2e_tkm": list(net.emission_factors.values())}).to_csv(
            ef_file, index=False
        )
    if (src / "routes.toml").is_file():
        shutil.copyfile(src / "routes.toml", routes_file)


def load_network(path: str | Path | None = None) -> Network:
    """Load a network from a geodata folder or a GeoPackage written by :func:`write_network`.

    Parameters
    ----------
    path
        A folder (as :func:`corridor.load_network`) or a ``.gpkg`` file. Default: the
        bundled geodata.
    """
    if path is None or Path(path).suffix.lower() != ".gpkg":
        return _load_folder(path)
    import geopandas as gpd

    file = Path(path)
    if not file.is_file():
        raise NetworkError("missing file; give a GeoPackage written by corridor.geo.write_network", file=str(file))
    side = file.with_suffix("")
    nodes = gpd.read_file(file, layer="nodes")
    links = gpd.read_file(file, layer="links")
    services = pd.read_csv(file.with_suffix(".services.csv"), keep_default_na=True)
    ef = pd.read_csv(Path(f"{side}.emission_factors.csv"))
    routes: dict[str, dict[str, Any]] = {}
    routes_file = Path(f"{side}.routes.toml")
    if routes_file.is_file():
        import tomllib

        routes = {str(r["id"]): dict(r) for r in tomllib.loads(routes_file.read_text("utf-8")).get("route", [])}
    return network_from_gdfs(
        nodes,
        links,
        services=services.astype(object).where(services.notna(), None),
        emission_factors=dict(zip(ef["key"], ef["g_co2e_tkm"].astype(float), strict=True)),
        routes=routes,
        path=file,
    )


def network_summary(net: Network) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What the network holds: nodes by country and kind; links and km by mode and country.

    A link counts in the country of its start node; both directions count.

    Returns
    -------
    tuple
        ``(nodes, links)``: columns ``country, kind, nodes`` and ``mode, country, links, km``.
    """
    nodes = net.nodes.groupby(["country", "kind"]).size().rename("nodes").reset_index()
    links = net.links.assign(country=net.nodes.loc[net.links["from"], "country"].to_numpy())
    by_mode = links.groupby(["mode", "country"]).agg(links=("mode", "size"), km=("distance_km", "sum")).reset_index()
    return nodes, by_mode
