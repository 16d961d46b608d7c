"""Every kind of bad input gets a clear error naming the file, the field and the fix.

Each case builds a bad file; the library must raise a ``CorridorError`` whose message names
the file, the field and says what to do, and the CLI must print it in one line and exit 2.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

import corridor as cr
from corridor._data import bundled_dir
from corridor.cli import app
from tests._helpers import add_routes, flow, write_scenario

_CASPIAN_FLOW = (
    'name = "e"\nstart = 2025-01-06\nrelease_days = 7\nhorizon_days = 30\n\n[[demand]]\nid = "a"\n'
    'origin = "Aktau"\ndestination = "Alat"\nroutes = ["caspian-feeder"]\nper_week = 1\nteu = 2\ntonnes = 20\n'
)


@dataclass(frozen=True)
class Case:
    build: Callable[[Path], Path]
    field: str
    says: tuple[str, ...]


def _text(name: str, text: str, data: bytes | None = None) -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        path = tmp / name
        if data is not None:
            path.write_bytes(data)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return build


def _scenario(**kwargs: object) -> Callable[[Path], Path]:
    return lambda tmp: write_scenario(tmp, **kwargs)  # type: ignore[arg-type]


def _geodata(file: str, fid: str, edit: Callable[[dict[str, object]], None]) -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        folder = tmp / "geo"
        shutil.copytree(bundled_dir("geodata"), folder)
        data = json.loads((folder / file).read_text(encoding="utf-8"))
        for feature in data["features"]:
            if feature["properties"]["id"] == fid:
                edit(feature)
        (folder / file).write_text(json.dumps(data), encoding="utf-8")
        return write_scenario(tmp, header={"network": "geo"}, demand=[flow()])

    return build


def _set(**props: object) -> Callable[[dict[str, object]], None]:
    return lambda feature: feature["properties"].update(props)  # type: ignore[attr-defined]


def _fixed_route(tmp: Path) -> Path:
    path = write_scenario(tmp, demand=[flow(routes=["direct"])])
    return add_routes(path, [{"id": "direct", "nodes": ["Aktau", "Constanta", "Belgrade"]}])


def _cycle(tmp: Path) -> Path:
    (tmp / "b.toml").write_text('extends = "a.toml"\nname = "b"\n', encoding="utf-8")
    (tmp / "a.toml").write_text('extends = "b.toml"\nname = "a"\n', encoding="utf-8")
    return tmp / "a.toml"


def _folder(tmp: Path) -> Path:
    path = tmp / "folder.toml"
    path.mkdir()
    return path


CASES = {
    "malformed TOML": Case(_text("bad.toml", 'name = "x"\nstart = \n'), "line 2", ("malformed TOML", "fix the syntax")),
    "unknown key": Case(
        _scenario(demand=[{**flow(), "per_weak": 2}]), "demand[0].per_weak", ("did you mean 'per_week'", "remove")
    ),
    "unknown node": Case(
        _scenario(demand=[flow(destination="Belgrad")]), "demand[0].destination", ("unknown node", "did you mean")
    ),
    "unknown route": Case(
        _scenario(demand=[flow(routes=["middle-pot"])]), "demand[0].routes[0]", ("did you mean 'middle-poti'",)
    ),
    "unknown service": Case(
        _scenario(
            demand=[flow()],
            changes=[{"component": "service", "id": "caspian-feder", "attribute": "vessels", "value": 3}],
        ),
        "changes[0].id",
        ("unknown service id", "did you mean 'caspian-feeder'"),
    ),
    "unknown link group": Case(
        _scenario(
            demand=[flow()], changes=[{"component": "link", "group": "caspain", "attribute": "time_h", "factor": 2}]
        ),
        "changes[0].group",
        ("no link has group 'caspain'", "did you mean 'caspian'"),
    ),
    "zero capacity": Case(
        _scenario(
            demand=[flow()],
            changes=[{"component": "service", "id": "caspian-feeder", "attribute": "capacity", "value": 0}],
        ),
        "changes[0].value",
        ("capacity would become 0", "give a value in that range"),
    ),
    "negative speed": Case(
        _scenario(
            demand=[flow()], changes=[{"component": "link", "mode": "rail", "attribute": "speed_kmh", "value": -40}]
        ),
        "changes[0].value",
        ("speed_kmh would become -40", "give a value in that range"),
    ),
    "zero volume": Case(_scenario(demand=[flow(per_week=0)]), "demand[0].per_week", ("greater than 0",)),
    "negative tonnes": Case(_scenario(demand=[flow(tonnes=-3)]), "demand[0].tonnes", ("greater than 0",)),
    "probability above 1": Case(
        _scenario(
            demand=[flow(routes=["middle-poti", "middle-batumi"], split={"middle-poti": 1.5, "middle-batumi": -0.5})]
        ),
        "demand[0]",
        ("outside [0, 1]",),
    ),
    "origin is destination": Case(
        _scenario(demand=[flow(destination="AKTAU")]),
        "demand[0]",
        ("origin and destination are the same", "two different"),
    ),
    "route nodes not linked": Case(
        _fixed_route, "routes[0].nodes[1]", ("no link from 'aktau' to 'constanta'", "linked")
    ),
    "no route for the pair": Case(
        _scenario(demand=[flow(routes=["air"])]), "demand[0].routes[0]", ("cannot serve", "choose another route")
    ),
    "missing coordinates": Case(
        _geodata("nodes.geojson", "kuryk", lambda f: f.update(geometry=None)), "kuryk: geometry", ("give a Point",)
    ),
    "latitude out of range": Case(
        _geodata("nodes.geojson", "kuryk", lambda f: f.update(geometry={"type": "Point", "coordinates": [51.6, 95.0]})),
        "kuryk: lat",
        ("out of range", "give a value in [-90, 90]"),
    ),
    "duplicate id": Case(_geodata("nodes.geojson", "kuryk", _set(id="aktau")), "aktau: id", ("duplicate id", "unique")),
    "unknown mode": Case(
        _geodata("links.geojson", "rail-almaty-aktau", _set(mode="train")),
        "rail-almaty-aktau: mode",
        ("unknown value",),
    ),
    "triangular time without its max": Case(
        _geodata("links.geojson", "ferry-kuryk-alat", lambda f: f["properties"].pop("time_max_h")),  # type: ignore[index]
        "ferry-kuryk-alat: time_max_h",
        ("a triangular time needs time_max_h",),
    ),
    "triangular mode above its max": Case(
        _geodata("links.geojson", "ferry-kuryk-alat", _set(time_mode_h=30.0)),
        "ferry-kuryk-alat: time_mode_h",
        ("time_min_h <= time_mode_h <= time_max_h",),
    ),
    "cv with a triangular time": Case(
        _geodata("links.geojson", "ferry-kuryk-alat", _set(time_cv=0.2)),
        "ferry-kuryk-alat: time_cv",
        ("for lognormal times", "remove it"),
    ),
    "time_h next to a triangular time": Case(
        _geodata("links.geojson", "ferry-kuryk-alat", _set(time_h=21.0)),
        "ferry-kuryk-alat: time_h",
        ("leave time_h empty",),
    ),
    "empirical samples that are not numbers": Case(
        _geodata("nodes.geojson", "dostyk", _set(border_dist="empirical", border_h=0, border_samples_h="20;thirty")),
        "dostyk: border_samples_h",
        ("'thirty'", "not a number"),
    ),
    "empirical samples without the distribution": Case(
        _geodata("nodes.geojson", "dostyk", _set(border_samples_h="20;30")),
        "dostyk: border_samples_h",
        ("set border_dist = empirical",),
    ),
    "negative gate capacity": Case(
        _geodata("nodes.geojson", "aktau", _set(capacity_teu_day=-5)),
        "aktau: capacity_teu_day",
        ("out of range",),
    ),
    "closure ends before it starts": Case(
        _text(
            "closure.toml",
            'name = "c"\nstart = 2025-01-06\nrelease_days = 7\nhorizon_days = 30\n\n[[demand]]\nid = "a"\n'
            'origin = "Aktau"\ndestination = "Alat"\nroutes = ["caspian-feeder"]\nper_week = 1\nteu = 2\ntonnes = 20\n'
            '\n[[closures]]\ngroup = "caspian"\nstart = 2025-03-01\nend = 2025-02-01\n',
        ),
        "closures[0]",
        ("ends", "before it starts", "give an end after the start"),
    ),
    "storm probability above 1": Case(
        _text(
            "storm.toml",
            'name = "s"\nstart = 2025-01-06\nrelease_days = 7\nhorizon_days = 30\n\n[[demand]]\nid = "a"\n'
            'origin = "Aktau"\ndestination = "Alat"\nroutes = ["caspian-feeder"]\nper_week = 1\nteu = 2\ntonnes = 20\n'
            '\n[[storms]]\ngroup = "caspian"\ndaily_probability = { jan = 1.2 }\n'
            'duration_days = { dist = "fixed", value = 2 }\n',
        ),
        "storms[0].daily_probability",
        ("[0, 1]",),
    ),
    "unknown closure group": Case(
        _text(
            "group.toml",
            'name = "g"\nstart = 2025-01-06\nrelease_days = 7\nhorizon_days = 30\n\n[[demand]]\nid = "a"\n'
            'origin = "Aktau"\ndestination = "Alat"\nroutes = ["caspian-feeder"]\nper_week = 1\nteu = 2\ntonnes = 20\n'
            '\n[[closures]]\ngroup = "caspain"\nstart = 2025-02-01\nend = 2025-03-01\n',
        ),
        "closures[0].group",
        ("no link has group 'caspain'", "did you mean 'caspian'"),
    ),
    "event after an unknown event": Case(
        _text(
            "events.toml",
            _CASPIAN_FLOW + '\n[[events]]\nid = "storm"\ngroup = "caspian"\nstart = 2025-02-01\n'
            'duration_days = { dist = "fixed", value = 2 }\n'
            '\n[[events]]\nid = "queue"\ngroup = "caspian"\nafter = "strom"\neffect = "capacity"\nfactor = 0.5\n'
            'duration_days = { dist = "fixed", value = 2 }\n',
        ),
        "events[1].after",
        ("unknown event 'strom'", "did you mean 'storm'"),
    ),
    "events in a circle": Case(
        _text(
            "circle.toml",
            _CASPIAN_FLOW
            + '\n[[events]]\nid = "a"\ngroup = "caspian"\nafter = "b"\nduration_days = { dist = "fixed", value = 2 }\n'
            '\n[[events]]\nid = "b"\ngroup = "caspian"\nafter = "a"\nduration_days = { dist = "fixed", value = 2 }\n',
        ),
        "events[0].after",
        ("in a circle", "remove one after"),
    ),
    "capacity event without factor": Case(
        _text(
            "cut.toml",
            _CASPIAN_FLOW
            + '\n[[events]]\nid = "low-water"\ngroup = "caspian"\neffect = "capacity"\nstart = 2025-02-01\n'
            'duration_days = { dist = "fixed", value = 30 }\n',
        ),
        "events[0]",
        ("needs factor", "share of capacity left"),
    ),
    "generalised choice without a value of time": Case(
        _scenario(demand=[flow(routes=["middle-poti", "middle-turkiye"], split="generalised")]),
        "demand[0]",
        ("value_of_time_usd_day",),
    ),
    "empty scenario": Case(
        _text("empty.toml", 'name = "e"\nstart = 2025-01-06\nrelease_days = 7\nhorizon_days = 9\n'),
        "demand",
        ("missing", "required"),
    ),
    "extends cycle": Case(_cycle, "extends", ("cycle", "remove one extends")),
    "absurd size": Case(
        _scenario(demand=[flow(per_week=1e9, batch=1000)]), "test.toml", ("more than the limit", "lower per_week")
    ),
    "not UTF-8": Case(
        _text("latin.toml", "", data='name = "Niš"\n'.encode("cp1250")), "latin.toml", ("not UTF-8", "save")
    ),
    "folder for a file": Case(_folder, "folder.toml", ("is a folder", "give a scenario .toml file")),
}


@pytest.mark.parametrize("name", list(CASES))
def test_library_error_names_file_field_fix(tmp_path: Path, name: str) -> None:
    case = CASES[name]
    path = case.build(tmp_path)
    with pytest.raises(cr.CorridorError) as info:
        cr.simulate(path, replications=1)
    message = str(info.value)
    assert str(path.parent) in message or str(path) in message
    assert case.field in message
    for text in case.says:
        assert text in message


@pytest.mark.parametrize("name", list(CASES))
def test_cli_prints_one_line_and_exits_2(tmp_path: Path, name: str) -> None:
    path = CASES[name].build(tmp_path)
    result = CliRunner().invoke(app, ["run", str(path), "--replications", "1"])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: ")
    assert CASES[name].field in lines[0]


def test_validate_reports_every_problem(tmp_path: Path) -> None:
    path = write_scenario(
        tmp_path,
        demand=[
            flow(id="a", origin="Aktauu"),
            flow(id="b", routes=["middle-pot"]),
            flow(id="c", origin="Belgrade", destination="Astana", routes=["air"], tonnes=5),
        ],
    )
    found = cr.validate_paths([path, bundled_dir("geodata"), bundled_dir("scenarios") / "baseline-2025.toml"])
    problems = found[str(path)]
    assert len(problems) == 3
    assert "demand[0].origin" in problems[0]
    assert "demand[1].routes[0]" in problems[1]
    assert "demand[2].tonnes" in problems[2]
    assert found[str(bundled_dir("geodata"))] == []
    result = CliRunner().invoke(app, ["validate", str(path), str(bundled_dir("geodata"))])
    assert result.exit_code == 2
    assert result.stderr.count("error: ") == 3
    assert "3 problem(s) in 1 of 2 path(s)" in result.stderr
    assert f"ok: {bundled_dir('geodata')}" in result.stdout


def test_validate_reports_every_geodata_problem(tmp_path: Path) -> None:
    folder = tmp_path / "geo"
    shutil.copytree(bundled_dir("geodata"), folder)
    data = json.loads((folder / "links.geojson").read_text(encoding="utf-8"))
    for feature in data["features"]:
        if feature["properties"]["id"] in ("rail-almaty-aktau", "rail-aktau-almaty"):
            feature["properties"]["mode"] = "train"
    (folder / "links.geojson").write_text(json.dumps(data), encoding="utf-8")
    problems = cr.validate_paths([folder])[str(folder)]
    assert len(problems) == 2
    assert all("mode: unknown value 'train'" in p for p in problems)


def test_validate_ok_exits_0() -> None:
    result = CliRunner().invoke(app, ["validate", str(bundled_dir("scenarios") / "baseline-2025.toml")])
    assert result.exit_code == 0
    assert result.stdout.startswith("ok: ")


def test_missing_network_folder_names_the_scenario_field(tmp_path: Path) -> None:
    path = write_scenario(tmp_path, header={"network": "nowhere"}, demand=[flow()])
    with pytest.raises(cr.ScenarioError) as info:
        cr.simulate(path)
    assert f"{path}: network: no geodata folder" in str(info.value)


def test_too_many_replications_of_a_large_scenario(tmp_path: Path) -> None:
    path = write_scenario(tmp_path, header={"replications": 5000}, demand=[flow(per_week=5000, batch=10)])
    with pytest.raises(cr.ScenarioError, match=r"replications: 5000 replications .* run fewer replications"):
        cr.simulate(path)
