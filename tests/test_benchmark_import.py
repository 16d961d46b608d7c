"""`import corridor` stays light and its public names still resolve (no timing asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from types import FunctionType

import corridor as cr

HEAVY = ("geopandas", "matplotlib", "dask", "pandas", "networkx", "simpy", "pydantic", "pyproj")


def _python(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout


def test_import_loads_no_heavy_dependency() -> None:
    code = f"import json, sys, corridor; print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    assert json.loads(_python(code)) == []


def test_every_public_name_resolves() -> None:
    for name in cr.__all__:
        assert getattr(cr, name) is not None, name
    assert set(cr.__all__) <= set(dir(cr))
    assert isinstance(cr.simulate, FunctionType)
    assert cr.Results.__module__ == "corridor.results.frames"


def test_compare_stays_the_function_after_its_module_is_imported() -> None:
    # importing a submodule sets it as an attribute of the package; `compare` shares its name
    code = "import corridor.results.compare, corridor.cli, corridor as cr; print(type(cr.compare).__name__)"
    assert _python(code).strip() == "function"
