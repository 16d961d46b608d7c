"""The README's Python example and the examples run as written."""

from __future__ import annotations

import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_readme_python_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, "the README has a Python example"
    exec(compile(blocks[0], "README.md", "exec"), {})  # the README's own code, as a user would paste it
    out = capsys.readouterr().out
    assert "middle-poti" in out
    assert "transit_days_mean" in out


def test_readme_quick_start_commands_exist() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "make run" in text
    assert "make test" in text
    assert re.search(r"^run:", makefile, flags=re.M)
    assert re.search(r"^test:", makefile, flags=re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.parametrize("script", sorted((ROOT / "examples").glob("*.py")), ids=lambda p: p.name)
def test_example_runs(script: Path, capsys: pytest.CaptureFixture[str]) -> None:
    namespace = runpy.run_path(str(script))
    namespace["main"](replications=1)
    out = capsys.readouterr().out
    assert "transit_days_mean" in out


def test_example_runs_as_a_script() -> None:
    script = ROOT / "examples" / "medicines_air_vs_rail.py"
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True, cwd=ROOT)
    assert "By air a consignment arrives" in proc.stdout
