"""Hostile or unlucky input files: each problem is listed by `corridor validate` and stops
`corridor run` with one line naming the file, the field and the fix (exit status 2).

Scenario cases write a small scenario; geodata cases copy the bundled geodata folder and
spoil one file. Nothing reaches a number without being checked where it enters.
"""

from __future__ import annotations

import json
import shutil
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import corridor as cr
from corridor._data import bundled_dir
from corridor.cli import app
from corridor.runner import simulate
from corridor.scenario import MAX_EXTENDS, scenario_from_dict
from tests._helpers import flow, scenario_text, write_scenario


@dataclass(frozen=True)
class Case:
    build: Callable[[Path], Path]
    field: str
    says: str


def _text(text: str, name: str = "bad.toml") -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        (tmp / name).write_text(text, encoding="utf-8")
        return tmp / name

    return build


_BASE = scenario_text(demand=[flow()])


def _replace(old: str, new: str) -> Callable[[Path], Path]:
    assert old in _BASE
    return _text(_BASE.replace(old, new, 1))


def _append(extra: str) -> Callable[[Path], Path]:
    return _text(_BASE + "\n" + extra + "\n")


def _extends(target: str) -> Callable[[Path], Path]:
    return _text(f'extends = "{target}"\nname = "child"\n')


def _bom(tmp: Path) -> Path:
    path = tmp / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + _BASE.encode())
    return path


def _large(tmp: Path) -> Path:
    path = tmp / "large.toml"
    path.write_text(_BASE + "# " + "x" * (1 << 20) + "\n", encoding="utf-8")
    return path


def _chain(depth: int) -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        (tmp / "s0.toml").write_text(_BASE, encoding="utf-8")
        for k in range(1, depth + 1):
            (tmp / f"s{k}.toml").write_text(f'extends = "s{k - 1}.toml"\nname = "s{k}"\n', encoding="utf-8")
        return tmp / f"s{depth}.toml"

    return build


_CHANGE = '[[changes]]\ncomponent = "link"\nid = "sea-aktau-alat"\nattribute = "tariff_usd_feu"\n'

SCENARIO_CASES = {
    "extends /dev/zero": Case(_extends("/dev/zero"), "extends", "absolute paths only on the command line"),
    "extends absolute": Case(_extends("/etc/passwd"), "extends", "leaves the scenario's folder"),
    "extends up the tree": Case(_extends("../../x.toml"), "extends", "leaves the scenario's folder"),
    "extends not a string": Case(_text('extends = 5\nname = "x"\n'), "extends", "a string"),
    "extends unknown": Case(_extends("no-such-scenario"), "extends", "no bundled scenario"),
    "extends 1000 deep": Case(_chain(1000), "extends", f"more than {MAX_EXTENDS} scenarios deep"),
    "byte-order mark": Case(_bom, "bom.toml", "byte-order mark"),
    "file too large": Case(_large, "large.toml", "give a smaller file"),
    "integer start": Case(_replace("start = 2025-01-06", "start = 2025"), "start", "give a date"),
    "start zero": Case(_replace("start = 2025-01-06", "start = 0"), "start", "give a date"),
    "start a date-time": Case(_replace("start = 2025-01-06", "start = 2025-01-06T10:00:00"), "start", "a date"),
    "seed a boolean": Case(_replace("seed = 7", "seed = true"), "seed", "whole number"),
    "replications a float": Case(_replace("replications = 2", "replications = 2.5"), "replications", "whole"),
    "horizon inf": Case(_replace("horizon_days = 120", "horizon_days = inf"), "horizon_days", "finite"),
    "horizon nan": Case(_replace("horizon_days = 120", "horizon_days = nan"), "horizon_days", "finite"),
    "per_week a string": Case(_replace("per_week = 2", 'per_week = "2"'), "demand[0].per_week", "a number"),
    "teu a boolean": Case(_replace("teu = 2", "teu = true"), "demand[0].teu", "not a boolean"),
    "change value nan": Case(_append(_CHANGE + "value = nan"), "changes[0].value", "finite"),
    "change value inf": Case(_append(_CHANGE + "value = inf"), "changes[0].value", "finite"),
    "change value true": Case(_append(_CHANGE + "value = true"), "changes[0].value", "not a boolean"),
    "change factor nan": Case(_append(_CHANGE + "factor = nan"), "changes[0].factor", "finite"),
    "change value text inf": Case(_append(_CHANGE + 'value = "inf"'), "changes[0].value", "finite"),
    "closure with offset": Case(
        _append('[[closures]]\ngroup = "caspian"\nstart = 2025-01-10T00:00:00+04:00\nend = 2025-01-12'),
        "closures[0].start",
        "UTC offset",
    ),
    "storm chance nan": Case(
        _append(
            '[[storms]]\ngroup = "caspian"\ndaily_probability = { jan = nan }\n'
            '[storms.duration_days]\ndist = "fixed"\nvalue = 2'
        ),
        "storms[0].daily_probability.jan",
        "finite",
    ),
}


@pytest.mark.parametrize("name", list(SCENARIO_CASES))
def test_bad_scenario_listed_by_validate(tmp_path: Path, name: str) -> None:
    case = SCENARIO_CASES[name]
    path = case.build(tmp_path)
    t0 = time.perf_counter()
    with pytest.raises(cr.CorridorError):
        simulate(path, replications=1)
    if "extends" in name:
        assert time.perf_counter() - t0 < 1.0  # /dev/zero and deep chains are refused at once
    problems = cr.validate_paths([path])[str(path)]
    assert problems, f"{name}: validate found nothing"
    assert any(case.field in p and case.says in p for p in problems), problems


@pytest.mark.parametrize("name", list(SCENARIO_CASES))
def test_bad_scenario_stops_run_in_one_line(tmp_path: Path, name: str) -> None:
    case = SCENARIO_CASES[name]
    path = case.build(tmp_path)
    result = CliRunner().invoke(app, ["run", str(path), "--replications", "1"])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: ")
    assert str(tmp_path) in lines[0]
    assert case.field in lines[0]
    assert case.says in lines[0]


def test_a_device_named_on_the_command_line_is_refused_at_once() -> None:
    t0 = time.perf_counter()
    with pytest.raises(cr.ScenarioError, match="not a regular file"):
        cr.load_scenario("/dev/zero")
    assert time.perf_counter() - t0 < 1.0


def test_extends_of_a_file_beside_the_scenario_and_of_a_bundled_name(tmp_path: Path) -> None:
    (tmp_path / "parent.toml").write_text(_BASE.replace('name = "test"', 'name = "parent"'), encoding="utf-8")
    (tmp_path / "child.toml").write_text('extends = "parent"\nname = "child"\nseed = 3\n', encoding="utf-8")
    child = cr.load_scenario(tmp_path / "child.toml")
    assert (child.name, child.seed, child.demand[0].id) == ("child", 3, "flow")
    (tmp_path / "other.toml").write_text('extends = "baseline-2025"\nname = "other"\n', encoding="utf-8")
    assert len(cr.load_scenario(tmp_path / "other.toml").demand) == len(cr.load_scenario("baseline-2025").demand)


def test_a_chain_at_the_cap_still_loads(tmp_path: Path) -> None:
    assert cr.load_scenario(_chain(MAX_EXTENDS)(tmp_path)).name == f"s{MAX_EXTENDS}"


_NUMBER_FIELDS = ("horizon_days", "release_days", "seed", "replications")


@settings(max_examples=40, deadline=None)
@given(
    field=st.sampled_from(_NUMBER_FIELDS),
    value=st.one_of(st.booleans(), st.sampled_from([float("nan"), float("inf"), -float("inf")]), st.text(max_size=3)),
)
def test_no_boolean_text_nan_or_infinity_where_a_number_goes(field: str, value: object) -> None:
    data = cr.load_scenario("baseline-2025").model_dump(exclude={"file"})
    data[field] = value
    with pytest.raises(cr.ScenarioError, match=field):
        scenario_from_dict(data, file="x.toml")


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(["Constanța port", "Istanbul (Halkalı)", "Kapıkule (TR–BG)", "Niš", "Małaszewicze"]))
def test_names_resolve_in_any_unicode_normal_form(net: cr.Network, name: str) -> None:
    expected = net.node_id(name)
    for form in ("NFC", "NFD", "NFKC", "NFKD"):
        assert net.node_id(unicodedata.normalize(form, name)) == expected


# -- geodata files ----------------------------------------------------------------------


def _geo(edit: Callable[[Path], None]) -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        folder = tmp / "geo"
        shutil.copytree(bundled_dir("geodata"), folder)
        edit(folder)
        return folder

    return build


def _json_edit(file: str, change: Callable[[dict[str, object]], object]) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        data = json.loads((folder / file).read_text(encoding="utf-8"))
        data = change(data) or data
        (folder / file).write_text(json.dumps(data), encoding="utf-8")

    return edit


def _feature(fid: str, change: Callable[[dict[str, object]], None]) -> Callable[[dict[str, object]], None]:
    def edit(data: dict[str, object]) -> None:
        for feature in data["features"]:  # type: ignore[attr-defined]
            if feature["properties"] and feature["properties"]["id"] == fid:
                change(feature)

    return edit


def _text_edit(file: str, change: Callable[[str], str]) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        (folder / file).write_text(change((folder / file).read_text(encoding="utf-8")), encoding="utf-8")

    return edit


def _props(**values: object) -> Callable[[dict[str, object]], None]:
    return lambda f: f["properties"].update(values)  # type: ignore[attr-defined]


def _no_length(f: dict[str, object]) -> None:
    f["geometry"] = None
    f["properties"].pop("length_km", None)  # type: ignore[attr-defined]


_LINK = "rail-almaty-aktau"
_ROUTES = '[[route]]\nid = "r"\nname = "r"\nfamily = "f"\nvia = ["aktau"]\n'

GEODATA_CASES = {
    "BOM in nodes": Case(
        lambda tmp: _geo(
            lambda f: (f / "nodes.geojson").write_bytes(b"\xef\xbb\xbf" + (f / "nodes.geojson").read_bytes())
        )(tmp),
        "nodes.geojson",
        "byte-order mark",
    ),
    "lone Feature": Case(
        _geo(_json_edit("nodes.geojson", lambda d: d["features"][0])), "nodes.geojson", "FeatureCollection"
    ),  # type: ignore[index]
    "null properties": Case(
        _geo(_json_edit("links.geojson", lambda d: d["features"][0].update(properties=None))),  # type: ignore[index]
        "links.geojson: feature 0: properties",
        "not an object",
    ),
    "node a line": Case(
        _geo(
            _json_edit(
                "nodes.geojson",
                _feature(
                    "aktau", lambda f: f.update(geometry={"type": "LineString", "coordinates": [[51, 43], [52, 44]]})
                ),
            )
        ),
        "aktau: geometry",
        "not a Point",
    ),
    "link a point": Case(
        _geo(
            _json_edit(
                "links.geojson",
                _feature(_LINK, lambda f: f.update(geometry={"type": "Point", "coordinates": [51, 43]})),
            )
        ),
        f"{_LINK}: geometry",
        "LineString",
    ),
    "link without geometry or length": Case(
        _geo(_json_edit("links.geojson", _feature(_LINK, _no_length))), f"{_LINK}: length_km", "give it a LineString"
    ),
    "link coordinates out of range": Case(
        _geo(
            _json_edit(
                "links.geojson",
                _feature(
                    _LINK, lambda f: f.update(geometry={"type": "LineString", "coordinates": [[500, 43], [52, 44]]})
                ),
            )
        ),
        f"{_LINK}: geometry",
        "longitudes in [-180, 180]",
    ),
    "NaN in JSON": Case(
        _geo(_json_edit("nodes.geojson", _feature("aktau", _props(border_h=float("nan"))))),
        "nodes.geojson",
        "NaN is not JSON",
    ),
    "boolean speed": Case(
        _geo(_json_edit("links.geojson", _feature("rail-xian-urumqi", _props(speed_kmh=True)))),
        "rail-xian-urumqi: speed_kmh",
        "boolean",
    ),
    "boolean tariff": Case(
        _geo(_json_edit("links.geojson", _feature(_LINK, _props(tariff_usd_feu=False)))),
        f"{_LINK}: tariff_usd_feu",
        "boolean",
    ),
    "routes.toml syntax": Case(
        _geo(_text_edit("routes.toml", lambda t: t + "\n[[route]\n")), "routes.toml", "malformed TOML"
    ),
    "routes.toml missing id": Case(
        _geo(_text_edit("routes.toml", lambda t: t + _ROUTES.replace('id = "r"\n', ""))),
        "routes.toml: route[",
        "id: missing",
    ),
    "routes.toml via not a list": Case(
        _geo(_text_edit("routes.toml", lambda t: t + _ROUTES.replace('via = ["aktau"]', 'via = "aktau"'))),
        "].via",
        "valid list",
    ),
    "routes.toml unknown mode": Case(
        _geo(_text_edit("routes.toml", lambda t: t + _ROUTES + 'modes = ["hovercraft"]\n')), "].modes[0]", "hovercraft"
    ),
    "routes.toml one table": Case(
        _geo(_text_edit("routes.toml", lambda t: _ROUTES.replace("[[route]]", "[route]"))),
        "routes.toml: route",
        "[[route]] tables",
    ),
    "emission factor nan": Case(
        _geo(_text_edit("emission_factors.csv", lambda t: t.replace("rail,27.79", "rail,nan"))), "g_co2e_tkm", "finite"
    ),
    "emission factor negative": Case(
        _geo(_text_edit("emission_factors.csv", lambda t: t.replace("rail,27.79", "rail,-27.79"))),
        "('rail'): g_co2e_tkm",
        "0 or more",
    ),
    "emission factors without key column": Case(
        _geo(_text_edit("emission_factors.csv", lambda t: t.replace("key,", "name,", 1))),
        "emission_factors.csv: key",
        "header",
    ),
}


@pytest.mark.parametrize("name", list(GEODATA_CASES))
def test_bad_geodata_listed_by_validate(tmp_path: Path, name: str) -> None:
    case = GEODATA_CASES[name]
    folder = case.build(tmp_path)
    problems = cr.validate_paths([folder])[str(folder)]
    assert any(case.field in p and case.says in p for p in problems), problems


@pytest.mark.parametrize(
    "name",
    ["BOM in nodes", "null properties", "link without geometry or length", "routes.toml syntax", "emission factor nan"],
)
def test_bad_geodata_stops_run_in_one_line(tmp_path: Path, name: str) -> None:
    case = GEODATA_CASES[name]
    case.build(tmp_path)
    path = write_scenario(tmp_path, header={"network": "geo"}, demand=[flow()])
    result = CliRunner().invoke(app, ["run", str(path), "--replications", "1"])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: ")
    assert case.field in lines[0]
    assert case.says in lines[0]


def test_validate_lists_every_bad_change_and_goes_on_to_the_flows(tmp_path: Path) -> None:
    changes = [
        {"component": "link", "id": "sea-aktau-alat", "attribute": "tariff_usd_fue", "value": 1},
        {"component": "node", "id": "aktauu", "attribute": "border_h", "value": 5},
        {"component": "link", "id": "sea-aktau-alat", "attribute": "tariff_usd_feu", "value": "inf"},
    ]
    path = write_scenario(tmp_path, changes=changes, demand=[flow(origin="Aktauu")])
    problems = cr.validate_paths([path])[str(path)]
    assert [p.split(": ")[1] for p in problems] == [
        "changes[0].attribute",
        "changes[1].id",
        "changes[2].value",
        "demand[0].origin",
    ]
    with pytest.raises(cr.NetworkError, match=r"3 problems: .*changes\[0\].*changes\[1\].*changes\[2\]"):
        cr.simulate(path, replications=1)
