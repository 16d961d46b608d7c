"""Every `corridor` command has its page in docs/commands, naming each of its options."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer

from corridor.cli import app

PAGES = Path(__file__).resolve().parent.parent / "docs" / "commands"
GROUP: Any = typer.main.get_command(app)


@pytest.mark.parametrize("name", sorted(GROUP.commands))
def test_every_command_has_a_page_with_its_options(name: str) -> None:
    page = PAGES / f"{name}.md"
    assert page.is_file(), f"run python docs/tools/cli_pages.py to write {page.name}"
    text = page.read_text(encoding="utf-8")
    for param in GROUP.commands[name].params:
        if param.param_type_name == "option":
            assert f"`{param.opts[0]}`" in text, f"{name}: {param.opts[0]} missing; rerun docs/tools/cli_pages.py"
    assert f"corridor {name}" in text
