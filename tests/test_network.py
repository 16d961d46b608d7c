"""The bundled network: loading, validation, derived lengths, compile, changes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from pyproj import Geod

import corridor as cr
from corridor._data import bundled_dir


def test_every_link_has_its_reverse(net: cr.Network) -> None:
    pairs = set(zip(net.links["from"], net.links["to"], strict=True))
    missing = [(a, b) for a, b in pairs if (b, a) not in pairs]
    assert missing == []


def test_issue_nodes_are_present(net: cr.Network) -> None:
    for name in ("Xi'an", "Khorgos", "Altynkol", "Dostyk", "Almaty", "Aktau", "Kuryk", "Alat", "Baku", "Tbilisi",
                 "Poti", "Batumi", "Constanța", "Belgrade", "Astana", "NQZ", "BEG"):  # fmt: skip
        assert net.node_id(name) in net.nodes.index


def test_lookup_is_case_insensitive_and_suggests(net: cr.Network) -> None:
    assert net.node_id("BELGRADE") == "belgrade"
    assert net.node_id("constanta") == "constanta"
    with pytest.raises(cr.RouteError, match="did you mean 'aktau'"):
        net.node_id("aktauu")


def test_unsourced_lengths_are_geodesic_times_detour(net: cr.Network) -> None:
    geod = Geod(ellps="WGS84")
    derived = net.links[net.links["length_km"].isna()]
    assert len(derived) > 0
    for lid, row in derived.iterrows():
        a, b = net.nodes.loc[row["from"]], net.nodes.loc[row["to"]]
        km = geod.inv(a["lon"], a["lat"], b["lon"], b["lat"])[2] / 1000.0
        assert row["distance_km"] == pytest.approx(km * row["detour_factor"], rel=1e-6), lid


def test_sourced_lengths_win(net: cr.Network) -> None:
    assert net.links.at["rail-almaty-astana", "distance_km"] == 1350.0
    assert net.links.at["sea-aktau-alat", "distance_km"] == 470.0


def test_time_from_speed_when_no_time(net: cr.Network) -> None:
    row = net.links.loc["rail-almaty-astana"]
    assert row["travel_h"] == pytest.approx(1350.0 / row["speed_kmh"])


def test_compile_indexes_match_tables(net: cr.Network) -> None:
    cn = net.compile()
    li = cn.link_index["air-nqz-beg"]
    assert cn.node_ids[cn.link_from[li]] == "nqz"
    assert cn.node_ids[cn.link_to[li]] == "beg"
    assert cn.link_mode[li] == "air"
    assert cn.service_ids[cn.link_service[li]] == "scat-nqz-beg"
    assert cn.link_co2_g_tkm[li] == net.emission_factors["air_longhaul"]


def test_with_changes_returns_new_network(net: cr.Network) -> None:
    before = net.services.at["caspian-feeder", "vessels"]
    changed = net.with_changes([{"component": "service", "id": "caspian-feeder", "attribute": "vessels", "value": 12}])
    assert changed.services.at["caspian-feeder", "vessels"] == 12
    assert net.services.at["caspian-feeder", "vessels"] == before
    slower = net.with_changes([{"component": "link", "mode": "rail", "attribute": "speed_kmh", "factor": 0.5}])
    assert slower.links.at["rail-almaty-astana", "travel_h"] == pytest.approx(
        2 * net.links.at["rail-almaty-astana", "travel_h"]
    )


def test_summary_counts_km_by_mode(net: cr.Network) -> None:
    summary = net.summary()
    assert summary["links"].sum() == len(net.links)
    assert summary["km"].sum() == pytest.approx(net.links["distance_km"].sum())


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "geodata"
    shutil.copytree(bundled_dir("geodata"), folder)
    return folder


def _edit(folder: Path, name: str, fid: str, **props: object) -> None:
    path = folder / name
    data = json.loads(path.read_text(encoding="utf-8"))
    for feature in data["features"]:
        if feature["properties"]["id"] == fid:
            feature["properties"].update(props)
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "fid", "props", "expected"),
    [
        ("links.geojson", "rail-almaty-aktau", {"to": "aktauu"}, "rail-almaty-aktau: to: unknown node 'aktauu'"),
        ("links.geojson", "rail-almaty-aktau", {"mode": "train"}, "mode: unknown value 'train'"),
        ("links.geojson", "rail-almaty-aktau", {"speed_kmh": -5}, "speed_kmh: -5 is out of range"),
        ("links.geojson", "rail-almaty-aktau", {"service": "nope"}, "service: unknown service 'nope'"),
        ("links.geojson", "rail-almaty-aktau", {"co2_factor": "rial"}, "did you mean 'rail'"),
        ("nodes.geojson", "aktau", {"kind": "harbour"}, "kind: unknown value 'harbour'"),
        ("nodes.geojson", "aktau", {"handling_h": "six"}, "handling_h: 'six' is not a number"),
        ("services.geojson", "scat-nqz-beg", {"weekdays": "monday"}, "weekdays: give departure days"),
        ("services.geojson", "caspian-feeder", {"capacity": 0}, "capacity: 0 is out of range"),
    ],
)
def test_bad_geodata_names_file_feature_field(
    tmp_path: Path, name: str, fid: str, props: dict[str, object], expected: str
) -> None:
    folder = _copy(tmp_path)
    _edit(folder, name, fid, **props)
    with pytest.raises(cr.NetworkError) as info:
        cr.load_network(folder)
    assert expected in str(info.value)
    assert str(folder / name) in str(info.value)


def test_missing_file_and_not_a_folder(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "services.geojson").unlink()
    with pytest.raises(cr.NetworkError, match=r"services\.geojson: missing file"):
        cr.load_network(folder)
    with pytest.raises(cr.NetworkError, match="not a folder"):
        cr.load_network(tmp_path / "nowhere")


def test_duplicate_ids_are_reported(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit(folder, "nodes.geojson", "kuryk", id="aktau")
    with pytest.raises(cr.NetworkError, match="aktau: id: duplicate id"):
        cr.load_network(folder)
