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


def _readme_blocks(lang: str) -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(rf"```{lang}\n(.*?)```", text, flags=re.S)


@pytest.mark.parametrize("index", range(len(_readme_blocks("python"))))
def test_readme_python_blocks_run_as_scripts(index: int, tmp_path: Path) -> None:
    script = tmp_path / "example.py"
    script.write_text(_readme_blocks("python")[index], encoding="utf-8")
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]


def test_readme_commands_use_existing_commands_and_options() -> None:
    import shlex

    import typer

    from corridor.cli import app

    group = typer.main.get_command(app)
    lines = [ln.split("#")[0].strip() for block in _readme_blocks("sh") for ln in block.splitlines()]
    commands = [shlex.split(ln) for ln in lines if ln.startswith("corridor ")]
    assert len(commands) >= 10
    for words in commands:
        command = group.commands[words[1]]  # type: ignore[attr-defined]
        known = {o for p in command.params for o in (*p.opts, *p.secondary_opts)}
        for word in words[2:]:
            if word.startswith("--"):
                assert word.split("=")[0] in known, f"{' '.join(words)}: {word}"
