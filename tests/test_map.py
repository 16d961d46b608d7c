"""The network map: offline, country outlines vendored from Natural Earth."""

from __future__ import annotations

import json
from pathlib import Path

import corridor as cr
from corridor.outputs.maps import network_map


def test_country_outlines_are_vendored_and_credited(net: cr.Network) -> None:
    data = json.loads((net.path / "countries.geojson").read_text(encoding="utf-8"))
    assert "Natural Earth" in data["attribution"]
    names = {f["properties"]["name"] for f in data["features"]}
    assert {"Kazakhstan", "Azerbaijan", "Georgia", "Serbia", "China", "Turkey"} <= names


def test_network_map_writes_a_png(net: cr.Network, tmp_path: Path) -> None:
    out = network_map(net, path=tmp_path / "map.png", extent=None, labels=False)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.stat().st_size > 20_000
