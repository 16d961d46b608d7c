"""geodata/ is what the generator writes: re-running it changes nothing (needs the [data] extra)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from corridor._data import bundled_dir

ROOT = Path(__file__).resolve().parent.parent
FILES = (
    "nodes.geojson",
    "links.geojson",
    "services.geojson",
    "sources.csv",
    "references.csv",
    "emission_factors.csv",
    "carriage.csv",
    "cargo_classes.csv",
)


def test_generator_reproduces_geodata(tmp_path: Path) -> None:
    pytest.importorskip("searoute", reason="install the data extra: pip install -e '.[data]'")
    pytest.importorskip("airportsdata", reason="install the data extra: pip install -e '.[data]'")
    script = ROOT / "geodata" / "tools" / "build_geodata.py"
    subprocess.run([sys.executable, str(script), "--out", str(tmp_path)], check=True, capture_output=True)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (bundled_dir("geodata") / name).read_bytes(), name
