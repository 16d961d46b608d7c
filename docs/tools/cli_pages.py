"""Write docs/commands/NAME.md: one page per `corridor` command (what it does, examples, options).

Run: ``python docs/tools/cli_pages.py``. The options come from the command itself, so a
page cannot list an option the command lacks; ``tests/test_cli_pages.py`` checks that every
command has a page naming each of its options.
"""

from __future__ import annotations

import inspect
from pathlib import Path

from typing import Any

import typer

from corridor.cli import app

OUT = Path(__file__).resolve().parent.parent / "commands"

EXAMPLES = {
    "scenarios": ["corridor scenarios", "corridor scenarios --format csv"],
    "run": [
        "corridor run baseline-2025 --replications 20",
        "corridor run baseline-2025 --out results --format xlsx      # CSV plus one Excel workbook",
        "corridor run baseline-2025 --out results --background        # also the background flows' legs",
        "corridor run baseline-2025 --precision 0.5d --precision-kpi transit_days_p95   # replications to a precision",
    ],
    "study": [
        "corridor study caspian --workers 2                  # one at a time: out/caspian/caspian.csv, .parquet, .png",
        "corridor study capacity --out out/capacity          # demand sweep: saturation volume, binding resource",
        "corridor study border-times --out results --format xlsx   # CSV plus one Excel workbook",
        "corridor study my-study.toml --backend dask --scheduler tcp://10.0.0.5:8786",
    ],
    "compare": [
        "corridor compare competitors-2025 --demand xian-belgrade-competitors --plot out/headline.png",
        "corridor compare baseline-2025 feeder-fleet-2027 --reference baseline-2025 --out out/fleet",
    ],
    "trip": [
        "corridor trip Almaty Belgrade",
        "corridor trip Astana Belgrade --tonnes 0.5 --out out/trip --format csv",
        "corridor trip Almaty Poti --via Aktau",
    ],
    "routes": [
        "corridor routes Almaty Poti",
        'corridor routes "Xi\'an" Belgrade --simulate 3',
        "corridor routes Tashkent Sarajevo --weight cost --avoid Moscow --family middle-turkiye",
    ],
    "network": ["corridor network", "corridor network --nodes --format csv", "corridor network --assumptions --format csv"],
    "map": [
        "corridor map competitors-2025 --demand xian-belgrade-competitors --out out/map.png",
        'corridor map northern middle-turkiye --from "Xi\'an" --to Belgrade --out out/two.svg',
    ],
    "validate": ["corridor validate scenarios/my-scenario.toml geodata/", "corridor validate my.toml --format json"],
    "report": ["corridor report baseline-2025 feeder-fleet-2027 --out report.html"],
    "calibration": [
        "corridor calibration",
        "corridor calibration --skip V3 --format csv",
        "corridor calibration --cross-checks                  # published figures the model was not built from",
        "corridor calibration --cross-checks --format csv     # every column, with the references",
    ],
}


def _options(command: Any) -> list[str]:
    rows = ["| argument or option | meaning | default |", "|---|---|---|"]
    for param in command.params:
        if param.param_type_name == "argument":
            name = f"`{param.name.upper()}`"
            text = getattr(param, "help", "") or ""
        else:
            name = ", ".join(f"`{o}`" for o in [*param.opts, *param.secondary_opts])
            text = getattr(param, "help", "") or ""
        default = param.default
        shown = "" if default in (None, False, (), []) or callable(default) else f"`{getattr(default, 'value', default)}`"
        rows.append(f"| {name} | {' '.join(text.split()).replace('|', '/')} | {shown} |")
    return rows


def page(name: str, command: Any) -> str:
    """The markdown page of one command."""
    doc = inspect.cleandoc(command.help or "")
    lines = [f"# `corridor {name}`", "", doc, "", "## Examples", "", "```sh"]
    lines += EXAMPLES.get(name, [f"corridor {name} --help"])
    lines += ["```", "", "## Arguments and options", "", *_options(command), ""]
    lines += ["Errors in the input print one line naming the file, the field and the fix, and exit with status 2.", ""]
    return "\n".join(lines)


def main() -> None:
    group: Any = typer.main.get_command(app)
    OUT.mkdir(exist_ok=True)
    names = sorted(group.commands)
    for name in names:
        (OUT / f"{name}.md").write_text(page(name, group.commands[name]), encoding="utf-8")
    index = ["# Commands", "", "One page per `corridor` command:", ""]
    index += [f"- [`corridor {n}`]({n}.md): {(group.commands[n].help or '').strip().splitlines()[0]}" for n in names]
    (OUT / "README.md").write_text("\n".join(index) + "\n", encoding="utf-8")
    print(f"{len(names)} pages in {OUT}")


if __name__ == "__main__":
    main()
