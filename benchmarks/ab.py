"""Before and after in one process: this checkout's engine against another's, on the chain workloads.

``python benchmarks/ab.py --before DIR`` copies ``DIR/corridor`` (e.g. ``git archive main |
tar -x -C DIR``) to a temporary package ``corridor_before`` and runs both engines'
``run_replication`` interleaved (the order alternating) on the same workloads of
:mod:`benchmarks.engine`: plain chains, a capacity-1 link, lognormal travel times, and
drawn node times (triangular handling where the mode changes). It prints per case the
fastest time per leg of each and their ratio, and the function calls per replication
(``cProfile``): on a shared machine the times move by tens of percent from run to run,
the calls do not.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import importlib
import json
import pstats
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import engine as bench  # benchmarks/engine.py, beside this file

import corridor

CASES = (
    (200, 20, None, "plain"),
    (200, 20, 1, "plain"),
    (200, 20, None, "lognormal"),
    (200, 20, None, "drawn-node"),
    (1000, 100, None, "plain"),
)


def _renamed(before: Path, into: Path) -> Any:
    """Import ``before/corridor`` as ``corridor_before`` (its imports rewritten)."""
    target = into / "corridor_before"
    shutil.copytree(before / "corridor", target)
    for file in target.rglob("*.py"):
        text = file.read_text(encoding="utf-8")
        text = re.sub(r"\bfrom corridor(\.| import)", r"from corridor_before\1", text)
        text = re.sub(r"\bimport corridor\b", "import corridor_before", text)
        file.write_text(text.replace('files("corridor")', 'files("corridor_before")'), encoding="utf-8")
    sys.path.insert(0, str(into))
    return importlib.import_module("corridor_before")


def _variant(folder: Path, kind: str) -> None:
    """Lognormal travel times on every link, or triangular handling at every node with the mode changing."""
    links = json.loads((folder / "links.geojson").read_text())
    if kind == "lognormal":
        for f in links["features"]:
            f["properties"]["time_cv"] = 0.2
    if kind == "drawn-node":
        nodes = json.loads((folder / "nodes.geojson").read_text())
        for f in nodes["features"]:
            f["properties"].update(handling_dist="triangular", handling_min_h=1, handling_mode_h=2, handling_max_h=3)
        (folder / "nodes.geojson").write_text(json.dumps(nodes))
        for i, f in enumerate(links["features"]):
            f["properties"]["mode"] = "rail" if i % 2 else "road"
    (folder / "links.geojson").write_text(json.dumps(links))


def _plans(packages: list[Any], case: tuple[int, int, int | None, str], tmp: Path) -> list[Any]:
    shipments, nodes, capacity, kind = case
    folder = bench.write_chain(tmp / f"{kind}-{shipments}-{nodes}-{capacity}", nodes=nodes, capacity=capacity)
    _variant(folder, kind)
    data = bench.chain_scenario(shipments=shipments, nodes=nodes, capacity=capacity).model_dump(exclude={"file"})
    out = []
    for pkg in packages:
        plan_mod = importlib.import_module(f"{pkg.__name__}.plan")
        out.append(plan_mod.prepare(pkg.Scenario(**data), pkg.load_network(folder)))
    return out


def _run(pkg: Any, plan: Any) -> tuple[float, int]:
    run = importlib.import_module(f"{pkg.__name__}.engine.replication").run_replication
    gc.collect()
    t = time.perf_counter()
    buffers = run(plan, np.random.SeedSequence(1))
    return time.perf_counter() - t, len(buffers.leg_arrive)


def _calls(pkg: Any, plan: Any) -> int:
    profile = cProfile.Profile()
    profile.runcall(_run, pkg, plan)
    return int(pstats.Stats(profile).total_calls)  # type: ignore[attr-defined]


def main() -> None:
    """Print one JSON line per case."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", type=Path, required=True, help="a checkout (or git archive) to compare with")
    parser.add_argument("--rounds", type=int, default=40, help="interleaved rounds per case (fewer for large ones)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        packages = [_renamed(args.before, Path(tmp)), corridor]
        for case in CASES:
            plans = _plans(packages, case, Path(tmp))
            best = [float("inf"), float("inf")]
            rounds = args.rounds if case[0] * case[1] < 10_000 else max(3, args.rounds // 8)
            for r in range(rounds):
                for k in (0, 1) if r % 2 else (1, 0):
                    t, legs = _run(packages[k], plans[k])
                    best[k] = min(best[k], t)
            calls = [_calls(p, plan) for p, plan in zip(packages, plans, strict=True)]
            row = {
                "case": "{}x{} capacity={} {}".format(*case),
                "legs": legs,
                "before_us_per_leg": round(best[0] / legs * 1e6, 3),
                "after_us_per_leg": round(best[1] / legs * 1e6, 3),
                "after_over_before": round(best[1] / best[0], 3),
                "calls_before": calls[0],
                "calls_after": calls[1],
            }
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
