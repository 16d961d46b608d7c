"""The ``corridor`` command.

Every command prints a table (rich), CSV or JSON (``--format``). Bad input prints one
line naming the file, the field and the fix, and exits with status 2 (``--debug`` shows
the traceback instead).
"""

from __future__ import annotations

import functools
import inspect
import json
import math
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from typer.core import TyperGroup

from corridor._errors import CorridorError, ScenarioError
from corridor._signals import sigterm_exits

__all__ = ["app"]


class _OneLineErrors(TyperGroup):
    """The command group: usage errors (a missing argument, an unknown option, a bad
    value) are printed as one ``error:`` line with the fix, exit status 2."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        run = functools.partial(
            super().main, args, prog_name, complete_var, windows_expand_args=windows_expand_args, **extra
        )
        if not standalone_mode or not (sys.argv[1:] if args is None else args):
            return run(standalone_mode=standalone_mode)  # no arguments: typer's own help
        try:
            status = run(standalone_mode=False)
        except typer.TyperException as exc:
            typer.echo(f"error: {_usage_line(exc)}", err=True)
            sys.exit(exc.exit_code)
        except typer.Abort:
            typer.echo("error: aborted", err=True)
            sys.exit(1)
        sys.exit(status if isinstance(status, int) else 0)


def _usage_line(exc: typer.TyperException) -> str:
    """One line for a usage error: what is wrong and where to look."""
    text = " ".join(exc.format_message().replace("Value error, ", "").split())
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        text = f"{text.rstrip('.')}; see `{ctx.command_path} --help`"
    return text


app = typer.Typer(
    cls=_OneLineErrors,
    add_completion=False,
    no_args_is_help=True,
    help="Simulate freight on the Middle Corridor, its competitors and the Astana–Belgrade air link.",
)


class Format(StrEnum):
    """Output formats: ``table``, ``csv`` and ``json`` print; with ``--out``, tables are
    written as CSV plus Parquet (``table``, ``csv``, ``json``, ``parquet``) or plus one Excel
    workbook (``xlsx``)."""

    table = "table"
    csv = "csv"
    json = "json"
    parquet = "parquet"
    xlsx = "xlsx"


_FORMAT_HELP = (
    "What to print (table, csv, json); with --out also the file format: CSV plus Parquet, or CSV plus "
    "one Excel workbook with --format xlsx."
)
_OUT_HELP = "Write the tables (CSV plus Parquet or Excel, see --format) and charts to this folder."
_BACKGROUND_HELP = "With --out: also write the legs and shipments of background flows (large)."


def _files_for(fmt: Format) -> list[str]:
    """The file formats ``--out`` writes for a ``--format``."""
    return ["csv", "xlsx"] if fmt is Format.xlsx else ["csv", "parquet"]


def _printed(fmt: Format) -> Format:
    """What is printed: ``parquet`` and ``xlsx`` are file formats, so they print the table."""
    return Format.table if fmt in (Format.parquet, Format.xlsx) else fmt


def _need_out(fmt: Format, out: Path | None) -> None:
    if fmt in (Format.parquet, Format.xlsx) and out is None:
        raise typer.BadParameter(f"--format {fmt.value} writes files: give --out FOLDER too")


def _staged(out: Path | None) -> AbstractContextManager[Path | None]:
    """The folder to write a command's output into: a temporary sibling of ``--out``, swapped
    into place when the command is done (:mod:`corridor.outputs.writers`); made, and so
    checked, before any simulation."""
    from corridor.outputs.writers import output_folder

    return output_folder(out) if out is not None else nullcontext()


def _write_out(
    folder: Path, tables: dict[str, Any], *, fmt: Format, charts: Callable[[Path], int], shown: Path
) -> None:
    """Write tables and charts to ``folder`` and say on stderr what was written (to ``shown``) and its size."""
    from corridor.outputs.export import write_tables
    from corridor.outputs.writers import writing

    with writing(folder):
        files = write_tables(folder, tables, formats=_files_for(fmt))
        n_charts = charts(folder)
    kinds = " and ".join(f.upper() for f in _files_for(fmt))
    typer.echo(
        f"wrote {len(tables)} tables ({kinds}, {len(files)} files) and {n_charts} charts to {shown} ({_size(folder)})",
        err=True,
    )


def _positive(value: float | None) -> float | None:
    """A float option, where given, must be a finite number above 0 (click's ranges let NaN through)."""
    if value is not None and not (math.isfinite(value) and value > 0):
        raise typer.BadParameter(f"{value!r} is not a finite number above 0; give one")
    return value


def _not_negative(value: float | None) -> float | None:
    """A float option, where given, must be a finite number, 0 or more."""
    if value is not None and not (math.isfinite(value) and value >= 0):
        raise typer.BadParameter(f"{value!r} is not a finite number of 0 or more; give one")
    return value


class Backend(StrEnum):
    """Where replications run (``simulate(..., backend=...)``)."""

    local = "local"
    dask = "dask"


_BACKEND_HELP = "Run replications on local processes or on a Dask cluster (needs `pip install corridor\\[dask]`)."
_SCHEDULER_HELP = (
    "With --backend dask: the Dask scheduler's address (tcp://host:8786); default: a local cluster of --workers."
)


@contextmanager
def _client(backend: Backend, scheduler: str | None, workers: int) -> Iterator[Any]:
    """The ``client`` for ``simulate``: with ``--backend dask`` and no scheduler, one local
    cluster that every scenario of the command shares; else the scheduler address."""
    if backend is Backend.dask and scheduler is None:
        from corridor.backends.dask import local_client

        with local_client(workers) as client:
            yield client
    else:
        yield scheduler


_STATE: dict[str, bool] = {}
F = TypeVar("F", bound=Callable[..., Any])

#: Columns shown in tables, with their headers.
SHOWN = {
    "shipments": "shipments",
    "delivered_share": "delivered",
    "transit_days_mean": "days mean",
    "transit_days_p50": "days p50",
    "transit_days_p95": "days p95",
    "unit": "unit",
    "cost_usd_per_consignment": "USD/consignment",
    "cost_usd_per_t": "USD/t",
    "logistics_usd_per_t": "total USD/t",
    "co2_kg_per_t_ttw": "CO2 kg/t TTW",
    "co2_kg_per_t_wtw": "CO2 kg/t WTW",
    "border_days": "border days",
    "disrupted_days": "disrupted days",
}


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks instead of one-line errors.")] = False,
) -> None:
    _STATE["debug"] = debug


def _error_line(exc: CorridorError, options: Sequence[str]) -> str:
    """The one line for an error; a field that is one of the command's options is named as the option."""
    if exc.file is None and exc.field is not None and exc.field in options:
        return f"--{exc.field.replace('_', '-')}: {exc.message}"
    return str(exc)


def _friendly(fn: F) -> F:
    """Run a command with SIGTERM handled like Ctrl-C, and turn its errors into one line on
    stderr: a CorridorError (exit status 2, or 1 for a fault that is not the input's) and
    running out of memory (1)."""
    options = tuple(inspect.signature(fn).parameters)

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            with sigterm_exits():
                return fn(*args, **kwargs)
        except CorridorError as exc:
            if _STATE.get("debug"):
                raise
            typer.echo(f"error: {' '.join(_error_line(exc, options).split())}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except MemoryError:
            if _STATE.get("debug"):
                raise
            typer.echo("error: out of memory; run fewer replications, fewer workers or a smaller scenario", err=True)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def _emit_machine(flat: Any, *, fmt: Format) -> bool:
    """Write a flat frame as CSV or JSON; False (nothing written) for a table."""
    from corridor.outputs.export import rounded

    if fmt is Format.csv:
        sys.stdout.write(rounded(flat).to_csv(index=False))
        return True
    if fmt is Format.json:
        records = json.loads(rounded(flat).to_json(orient="records", double_precision=6))
        sys.stdout.write(json.dumps(records, indent=2, ensure_ascii=False) + "\n")
        return True
    return False


def _emit(frame: Any, *, fmt: Format, title: str) -> None:
    import pandas as pd

    flat: pd.DataFrame = frame.reset_index()
    if _emit_machine(flat, fmt=fmt):
        return
    from rich.table import Table

    keys = [c for c in ("scenario", "demand", "route") if c in flat.columns]
    if "scenario" in keys and flat["scenario"].nunique() == 1:
        keys.remove("scenario")
        title = f"{title}: {flat['scenario'].iloc[0]}"
    shown = {c: h for c, h in SHOWN.items() if c in flat.columns}
    extra = [c for c in flat.columns if c.startswith("delta_") and "_ci" not in c]
    table = Table(title=title, title_justify="left")
    for key in keys:
        table.add_column(key, no_wrap=True)
    against = "matched_by" in flat.columns and bool(flat["matched_by"].isin(["path", "family"]).any())
    if against:  # say which reference route a delta is against where the ids differ
        table.add_column("Δ against", no_wrap=True)
    for head in [
        *shown.values(),
        *("Δ " + SHOWN.get(e.removeprefix("delta_"), e.removeprefix("delta_")) for e in extra),
    ]:
        table.add_column(head, justify="right", no_wrap=True)
    for _, row in flat.iterrows():
        cells = [str(row[k]) for k in keys]
        if against:
            by = str(row["matched_by"])
            cells.append(f"{row['matched_flow']}/{row['matched_route']} ({by})" if by in ("path", "family") else "")
        for col in shown:
            cells.append(_fmt(col, row[col]))
        for col in extra:  # a delta with its half-width, where compare() gave one
            ci = next((c for c in flat.columns if c.startswith(col + "_ci")), None)
            hw = "" if ci is None or _fmt(col, row[ci]) == "–" else f" ± {_fmt(col, row[ci])}"
            cells.append(_fmt(col, row[col]) + hw)
        table.add_row(*cells)
    _print_wide(table)


def _print_wide(table: Any) -> None:
    """Print a rich table at its natural width: never squeeze headers into ``trans…``."""
    from rich.console import Console
    from rich.measure import Measurement

    console = Console()
    need = Measurement.get(console, console.options.update(width=10_000), table).maximum
    Console(width=max(console.width, need)).print(table)


def _fmt(col: str, value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, str):
        return value
    if col == "shipments":
        return f"{int(value):,}"
    if col == "delivered_share":
        return f"{100 * float(value):.0f}%"
    if "usd" in col or "co2" in col:
        return f"{float(value):,.0f}" if abs(float(value)) >= 100 else f"{float(value):,.2f}"
    return f"{float(value):.1f}"


@app.command()
@_friendly
def scenarios(
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
) -> None:
    """List the bundled scenarios."""
    import pandas as pd

    from corridor.scenario import bundled_scenarios, load_scenario

    rows = []
    for name, path in bundled_scenarios().items():
        sc = load_scenario(path)
        rows.append({"scenario": name, "title": sc.title, "demand": len(sc.demand), "path": str(path)})
    frame = pd.DataFrame(rows).set_index("scenario")
    if fmt is not Format.table:
        _emit(frame, fmt=fmt, title="")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Bundled scenarios", title_justify="left")
    for col in ("scenario", "title", "demand flows"):
        table.add_column(col)
    for row in rows:
        table.add_row(str(row["scenario"]), str(row["title"]), str(row["demand"]))
    Console().print(table)


@app.command()
@_friendly
def run(
    scenario: Annotated[str, typer.Argument(help="Bundled scenario name or path to a TOML file.")],
    replications: Annotated[int | None, typer.Option(min=1, help="Replications (default: the scenario's).")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    backend: Annotated[Backend, typer.Option(help=_BACKEND_HELP)] = Backend.local,
    scheduler: Annotated[str | None, typer.Option(help=_SCHEDULER_HELP)] = None,
    seed: Annotated[int | None, typer.Option(min=0, help="Root seed (default: the scenario's).")] = None,
    out: Annotated[Path | None, typer.Option(help=_OUT_HELP)] = None,
    background: Annotated[bool, typer.Option("--background", help=_BACKGROUND_HELP)] = False,
    fmt: Annotated[Format, typer.Option("--format", help=_FORMAT_HELP)] = Format.table,
    precision: Annotated[
        str | None,
        typer.Option(
            help="Run replications until the 95% interval of --precision-kpi is at most this half-width on every "
            "route: 0.5d (days), 12h (hours) or a number in the KPI's unit. Replaces --replications."
        ),
    ] = None,
    precision_kpi: Annotated[str, typer.Option(help="The KPI --precision applies to.")] = "transit_days_mean",
    max_replications: Annotated[int, typer.Option(help="The most replications --precision may run.")] = 200,
) -> None:
    """Simulate a scenario and print its KPIs per demand flow and route."""
    import warnings

    from corridor.model import Model
    from corridor.runner import simulate
    from corridor.studies.precision import PrecisionWarning, parse_precision

    if precision is not None and replications is not None:
        raise ScenarioError("give --precision or --replications, not both", field="--precision")
    _need_out(fmt, out)
    model = Model.load(scenario)
    sc = model.scenario
    with _staged(out) as stage:
        with _client(backend, scheduler, workers) as client, warnings.catch_warnings():
            warnings.simplefilter("ignore", PrecisionWarning)  # res.precision says it, in one line
            res = simulate(
                sc,
                network=model.base,
                replications="auto" if precision is not None else replications,
                workers=workers,
                seed=seed,
                progress=_printed(fmt) is Format.table,
                backend=backend.value,
                client=client,
                precision=None if precision is None else parse_precision(precision),
                precision_kpi=precision_kpi,
                max_replications=max_replications,
            )
        if res.precision:
            typer.echo(res.precision, err=True)
        kpis = res.kpis()
        if stage is not None and out is not None:
            from corridor.outputs.export import result_tables

            quiet = [d.id for d in sc.demand if d.background]
            tables = result_tables(res, start=sc.start, background=quiet, with_background=background)
            _write_out(stage, tables, fmt=fmt, charts=lambda folder: _write_charts(folder, res, kpis, sc), shown=out)
    _emit(kpis, fmt=_printed(fmt), title=f"{res.title or res.scenario} ({res.replications} replications)")


def _write_charts(folder: Path, res: Any, kpis: Any, sc: Any) -> int:
    from corridor.outputs import plots as plot
    from corridor.outputs.style import flow_names

    names = flow_names(sc)
    plot.comparison_chart(kpis, path=folder / "comparison.png", title=f"Route comparison: {res.scenario}",
                          flow_names=names)  # fmt: skip
    plot.tradeoff(kpis, path=folder / "tradeoff.png", flow_names=names)
    plot.time_breakdown(kpis, path=folder / "time-breakdown.png", flow_names=names)
    plot.transit_ecdf(res, path=folder / "transit-ecdf.png", flow_names=names)
    return 4


@app.command()
@_friendly
def report(
    scenario: Annotated[list[str], typer.Argument(help="Scenarios (names or paths); the first is the reference.")],
    out: Annotated[Path, typer.Option(help="The HTML file to write.")] = Path("report.html"),
    replications: Annotated[int | None, typer.Option(min=1, help="Replications (default: each scenario's).")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    backend: Annotated[Backend, typer.Option(help=_BACKEND_HELP)] = Backend.local,
    scheduler: Annotated[str | None, typer.Option(help=_SCHEDULER_HELP)] = None,
    title: Annotated[str, typer.Option(help="Report title.")] = "Corridor route comparison",
    fmt: Annotated[Format, typer.Option("--format", help="How to print what was written: table, csv or json.")] = (
        Format.table
    ),
) -> None:
    """Write one self-contained HTML report (summary, KPIs, maps, charts, CPMM, sources) for scenarios."""
    import pandas as pd

    from corridor.model import Model
    from corridor.outputs.report import write_report
    from corridor.outputs.writers import output_file

    models = Model.load_all(scenario)
    scenarios = [m.scenario for m in models]
    with output_file(out, field="--out") as tmp:  # checked before any simulation
        with _client(backend, scheduler, workers) as client:
            results = [
                m.simulate(
                    replications=replications, workers=workers, progress=True, backend=backend.value, client=client
                )
                for m in models
            ]
        network = models[0].base
        with _steps("report") as step:
            write_report(results, tmp, scenarios=scenarios, title=title, network=network, step=step)
    path = out
    written = pd.DataFrame([{"file": str(path), "bytes": path.stat().st_size, "scenarios": len(results)}])
    if not _emit_machine(written, fmt=_printed(fmt)):
        typer.echo(f"report written to {path} ({_size(path)})", err=True)


@app.command()
@_friendly
def compare(
    scenario: Annotated[list[str], typer.Argument(help="One or more scenarios (names or paths).")],
    reference: Annotated[str | None, typer.Option(help="Scenario to compute deltas against.")] = None,
    replications: Annotated[int | None, typer.Option(min=1, help="Replications (default: each scenario's).")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    backend: Annotated[Backend, typer.Option(help=_BACKEND_HELP)] = Backend.local,
    scheduler: Annotated[str | None, typer.Option(help=_SCHEDULER_HELP)] = None,
    plot: Annotated[Path | None, typer.Option(help="Write a comparison chart (PNG) here.")] = None,
    demand: Annotated[
        list[str] | None, typer.Option("--demand", help="Show only this demand flow (repeatable; default: all).")
    ] = None,
    out: Annotated[Path | None, typer.Option(help=_OUT_HELP)] = None,
    fmt: Annotated[Format, typer.Option("--format", help=_FORMAT_HELP)] = Format.table,
) -> None:
    """Simulate scenarios and compare their routes: transit days, cost and CO2."""
    from corridor.model import Model
    from corridor.results.compare import compare as compare_results
    from corridor.scenario import load_scenario

    _need_out(fmt, out)
    models = Model.load_all(scenario)
    scenarios = [m.scenario for m in models]
    from corridor.outputs.writers import output_file, writing

    chart = output_file(plot, field="--plot") if plot is not None else nullcontext()
    with _staged(out) as stage, chart as chart_tmp:  # both checked before any simulation
        with _client(backend, scheduler, workers) as client:
            results = [
                m.simulate(
                    replications=replications,
                    workers=workers,
                    progress=_printed(fmt) is Format.table,
                    backend=backend.value,
                    client=client,
                )
                for m in models
            ]
        ref = None
        if reference is not None:
            ref = load_scenario(reference).name
        frame = _only_demands(compare_results(results, reference=ref), demand or [])
        from corridor.outputs import plots
        from corridor.outputs.style import flow_names

        names = ", ".join(r.scenario for r in results)
        flows = {k: v for sc in scenarios for k, v in flow_names(sc).items()}
        if chart_tmp is not None:
            with writing(chart_tmp, field="--plot"):
                plots.comparison_chart(frame, path=chart_tmp, title=f"Route comparison: {names}", flow_names=flows)
        if stage is not None and out is not None:

            def charts(folder: Path) -> int:
                plots.comparison_chart(frame, path=folder / "comparison.png", title=f"Route comparison: {names}",
                                       flow_names=flows)  # fmt: skip
                plots.tradeoff(frame, path=folder / "tradeoff.png", flow_names=flows)
                plots.time_breakdown(frame, path=folder / "time-breakdown.png", flow_names=flows)
                return 3

            _write_out(stage, {"comparison": frame.reset_index()}, fmt=fmt, charts=charts, shown=out)
    _emit(frame, fmt=_printed(fmt), title="Route comparison")
    if plot is not None:
        typer.echo(f"chart written to {plot}", err=True)


@contextmanager
def _steps(label: str) -> Iterator[Callable[[str], None]]:
    """A spinner on stderr naming the current step, shown only on a terminal (quiet in a pipe)."""
    from rich.console import Console

    console = Console(stderr=True)
    if not console.is_terminal:
        yield lambda _: None
        return
    with console.status(label) as status:
        yield lambda text: status.update(f"{label}: {text}")


def _only_demands(frame: Any, demands: Sequence[str]) -> Any:
    """The rows of the named demand flows (all rows when none is named)."""
    if not demands:
        return frame
    present = set(frame.index.get_level_values("demand"))
    unknown = [d for d in demands if d not in present]
    if unknown:
        raise CorridorError(
            f"--demand {unknown[0]!r} is not a demand flow of the scenarios; pick one of {sorted(present)}",
            field="demand",
        )
    return frame[frame.index.get_level_values("demand").isin(list(demands))]


@app.command(name="map")
@_friendly
def map_(
    what: Annotated[
        list[str], typer.Argument(help="A scenario (name or path), or route template ids with --from and --to.")
    ],
    out: Annotated[Path, typer.Option(help="The image to write (PNG, or SVG or PDF by the suffix).")] = Path(
        "routes.png"
    ),
    demand: Annotated[
        list[str] | None, typer.Option("--demand", help="With a scenario: only this demand flow (repeatable).")
    ] = None,
    origin: Annotated[str | None, typer.Option("--from", help="With route ids: the origin node.")] = None,
    destination: Annotated[str | None, typer.Option("--to", help="With route ids: the destination node.")] = None,
    title: Annotated[str | None, typer.Option(help="Map title.")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="How to print what was written: table, csv or json.")] = (
        Format.table
    ),
) -> None:
    """Draw routes on a map: side by side where they share track, coloured by family.

    `corridor map competitors-2025` draws every route of the scenario's demand flows;
    `corridor map northern middle-poti --from "Xi'an" --to Belgrade` draws route templates.
    """
    from corridor.outputs import maps
    from corridor.outputs.writers import output_file, writing
    from corridor.scenario import bundled_scenarios

    first = what[0]
    with output_file(out, field="--out") as tmp, writing(tmp):
        if first in bundled_scenarios() or first.endswith(".toml"):
            from corridor.model import Model

            model = Model.load(first)
            maps.scenario_route_map(model.base, model.scenario, demands=demand or [], path=tmp, title=title)
        else:
            net, drawn = _template_routes(what, origin, destination)
            maps.route_map(net, drawn, path=tmp, title=title or f"{origin} → {destination}")
    import pandas as pd

    written = pd.DataFrame([{"file": str(out), "bytes": out.stat().st_size}])
    if not _emit_machine(written, fmt=_printed(fmt)):
        typer.echo(f"map written to {out} ({_size(out)})", err=True)


def _template_routes(ids: Sequence[str], origin: str | None, destination: str | None) -> tuple[Any, list[Any]]:
    from corridor.network import load_network
    from corridor.outputs import maps, style
    from corridor.routes import find_routes

    if origin is None or destination is None:
        raise typer.BadParameter("route ids need --from and --to (or give a scenario name or a .toml path)")
    net = load_network()
    found = {r.id: r for r in find_routes(net, origin, destination, prune=False)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise CorridorError(
            f"route {missing[0]!r} does not serve {origin} → {destination}, and is not a bundled scenario; "
            f"routes serving the pair: {sorted(found)}",
            field="routes",
        )
    fams = {r.id: r.family for r in found.values()}
    drawn = [maps.MapRoute(i, style.route_label(i, fams, shown=ids), found[i].family, found[i].links) for i in ids]
    return net, drawn


def _size(path: Path) -> str:
    """A file's or folder's size for people: ``'1.4 MB'``."""
    total = float(
        sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else path.stat().st_size
    )
    for unit in ("B", "kB", "MB", "GB"):
        if total < 1000 or unit == "GB":
            return f"{total:,.0f} {unit}" if unit == "B" else f"{total:,.1f} {unit}"
        total /= 1000
    return ""


@app.command()
@_friendly
def trip(
    origin: Annotated[str, typer.Argument(help="Origin node (id or name, any case).")],
    destination: Annotated[str, typer.Argument(help="Destination node (id or name, any case).")],
    via: Annotated[list[str] | None, typer.Option("--via", help="A node every route must pass (repeatable).")] = None,
    avoid: Annotated[list[str] | None, typer.Option("--avoid", help="A node no route may touch (repeatable).")] = None,
    family: Annotated[list[str] | None, typer.Option("--family", help="Keep only this family (repeatable).")] = None,
    scenario: Annotated[
        str, typer.Option(help="Scenario whose network, changes and demand form the background.")
    ] = "baseline-2025",
    replications: Annotated[int | None, typer.Option(min=1, help="Replications (default: the scenario's).")] = None,
    per_week: Annotated[float, typer.Option(callback=_positive, help="Consignments released per week.")] = 1.0,
    teu: Annotated[
        float | None,
        typer.Option(
            callback=_not_negative, help="Boxes of a full container load, in TEU (a FEU is 2); implies --unit fcl."
        ),
    ] = None,
    tonnes: Annotated[float, typer.Option(callback=_positive, help="Cargo mass per consignment (t).")] = 20.0,
    m3: Annotated[
        float | None, typer.Option(callback=_positive, help="Cargo volume per consignment (default: the class's).")
    ] = None,
    cargo: Annotated[str | None, typer.Option(help="Cargo class (geodata/cargo_classes.csv).")] = None,
    unit: Annotated[Carriage | None, typer.Option(help="Unit of carriage (default: from the size).")] = None,
    value: Annotated[
        float | None, typer.Option(callback=_not_negative, help="Cargo value per consignment, USD.")
    ] = None,
    out: Annotated[Path | None, typer.Option(help=_OUT_HELP)] = None,
    fmt: Annotated[Format, typer.Option("--format", help=_FORMAT_HELP)] = Format.table,
) -> None:
    """Simulate one origin-destination pair on the routes `corridor routes` lists for it.

    The scenario's own demand keeps running in the background, so services are as busy
    as in that scenario; only the trip's KPIs are printed. Every route prices the same
    consignment in its unit of carriage: groupage or full boxes by the size, by
    chargeable weight where it flies.
    """
    import pandas as pd

    from corridor.model import Model
    from corridor.trip import simulate_trip

    _need_out(fmt, out)
    model = Model.load(scenario)
    with _staged(out) as stage:
        res, skipped = simulate_trip(
            origin,
            destination,
            via=via or [],
            avoid=avoid or [],
            families=family,
            scenario=model,
            replications=replications,
            per_week=per_week,
            teu=teu,
            tonnes=tonnes,
            m3=m3,
            cargo_class=cargo,
            unit=unit.value if unit is not None else None,
            value_usd=value,
            progress=_printed(fmt) is Format.table,
        )
        for note in skipped:
            typer.echo(f"note: {note}", err=True)
        kpis = pd.DataFrame(res.kpis().xs("trip", level="demand", drop_level=False))
        if stage is not None and out is not None:
            from corridor.outputs import plots
            from corridor.outputs.export import dated

            start = model.scenario.start
            mine = {"kpis": kpis.reset_index()}
            for name, frame in (("shipments", res.shipments), ("legs", res.legs)):
                mine[name] = frame[frame["demand"] == "trip"].reset_index(drop=True)
            tables = {k: dated(v, start) for k, v in mine.items()}

            def charts(folder: Path) -> int:
                plots.comparison_chart(kpis, path=folder / "comparison.png", title=f"{origin} → {destination}")
                return 1

            _write_out(stage, tables, fmt=fmt, charts=charts, shown=out)
    _emit(
        kpis,
        fmt=_printed(fmt),
        title=f"{origin} → {destination} ({res.replications} replications, scenario {res.scenario})",
    )


@app.command()
@_friendly
def validate(
    paths: Annotated[list[str], typer.Argument(help="Scenario files (.toml) and geodata folders.")],
    fmt: Annotated[Format, typer.Option("--format", help="Output format (table, csv or json).")] = Format.table,
) -> None:
    """Check scenario files and geodata, and report every problem found (exit 2 if any)."""
    import pandas as pd

    from corridor.validate import validate_paths

    found = validate_paths(paths)
    count = sum(len(p) for p in found.values())
    rows = [
        {"path": str(path), "problem": " ".join(line.split())} if line else {"path": str(path), "problem": ""}
        for path, problems in found.items()
        for line in (problems or [""])
    ]
    if not _emit_machine(pd.DataFrame(rows, columns=["path", "problem"]), fmt=_printed(fmt)):
        for path, problems in found.items():
            if not problems:
                typer.echo(f"ok: {path}")
            for line in problems:
                typer.echo(f"error: {' '.join(line.split())}", err=True)
    if count:
        bad = sum(1 for p in found.values() if p)
        typer.echo(f"{count} problem(s) in {bad} of {len(found)} path(s)", err=True)
        raise typer.Exit(2)


class Carriage(StrEnum):
    """Units of carriage (:mod:`corridor.pricing`)."""

    fcl = "fcl"
    lcl = "lcl"
    wagon = "wagon"
    air = "air"


class Weighting(StrEnum):
    """What the routes are sorted by."""

    time = "time"
    cost = "cost"
    co2 = "co2"
    generalised = "generalised"


def _emit_plain(frame: Any, *, fmt: Format, title: str, digits: dict[str, int] | None = None) -> None:
    """Print any flat frame as a table, CSV or JSON (numbers rounded for the table only)."""
    if _emit_machine(frame, fmt=fmt):
        return
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for col in frame.columns:
        table.add_column(str(col), justify="right" if frame[col].dtype.kind in "fi" else "left")
    for _, row in frame.iterrows():
        cells = []
        for col in frame.columns:
            value = row[col]
            if isinstance(value, float):
                cells.append("–" if math.isnan(value) else f"{value:,.{(digits or {}).get(col, 1)}f}")
            else:
                cells.append(str(value))
        table.add_row(*cells)
    _print_wide(table)


@app.command()
@_friendly
def routes(
    origin: Annotated[str, typer.Argument(help="Origin node (id, name, alias or UN/LOCODE, any case).")],
    destination: Annotated[str, typer.Argument(help="Destination node (id, name, alias or UN/LOCODE, any case).")],
    k: Annotated[
        int, typer.Option("-k", "--k", min=1, help="Shortest paths per weight, and routes kept per family.")
    ] = 3,
    weight: Annotated[Weighting, typer.Option(help="Sort by expected time, cost, CO2 or generalised cost.")] = (
        Weighting.time
    ),
    via: Annotated[list[str] | None, typer.Option("--via", help="A node every route must pass (repeatable).")] = None,
    avoid: Annotated[list[str] | None, typer.Option("--avoid", help="A node no route may touch (repeatable).")] = None,
    family: Annotated[list[str] | None, typer.Option("--family", help="Keep only this family (repeatable).")] = None,
    value_of_time: Annotated[
        float, typer.Option(help="USD per FEU and day, for --weight generalised (adds paths by generalised cost).")
    ] = 0.0,
    simulate: Annotated[
        int, typer.Option(help="Also simulate each route with this many replications (as `corridor trip`).")
    ] = 0,
    scenario: Annotated[str, typer.Option(help="Scenario whose network and changes the routes run on.")] = (
        "baseline-2025"
    ),
    tonnes: Annotated[float, typer.Option(help="Cargo mass of the consignment priced (t).")] = 20.0,
    m3: Annotated[float | None, typer.Option(help="Its volume (default: the class's).")] = None,
    cargo: Annotated[str | None, typer.Option(help="Its cargo class (geodata/cargo_classes.csv).")] = None,
    unit: Annotated[Carriage | None, typer.Option(help="Its unit of carriage (default: from the size).")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
) -> None:
    """Routes between any two nodes: distance, expected days, cost and CO2 per FEU, by family.

    One route engine: route templates used as sub-routes plus k-shortest paths by time,
    cost and CO2; each route's family follows from what it uses; routes dominated within
    their family, or 1.5 times the best on both time and cost, are left out, the best of
    each family kept. Days are a static ESTIMATE (moving + border + handling + dwell + expected
    service waits); --simulate N adds simulated days with queues, timetables and variability.
    Every route prices the same consignment (default: 20 t of general cargo, one FEU) in
    its unit of carriage: full boxes or groupage by the size, the flight by chargeable weight.
    """
    from corridor.model import Model
    from corridor.pricing import Unit, consignment
    from corridor.routes import route_table
    from corridor.trip import propose

    model = Model.load(scenario)  # read once, for the table and any simulation
    proposal = propose(
        origin,
        destination,
        scenario=model,
        via=via or [],
        avoid=avoid or [],
        families=family,
        k=k,
        weight=weight.value,
        value_of_time_usd_day=value_of_time,
    )
    net, found = proposal.net, proposal.routes
    carried: Unit | None = unit.value if unit is not None else None
    sized: dict[str, Any] = {"tonnes": tonnes, "m3": m3, "cargo_class": cargo, "unit": carried}
    priced = consignment(net.cargo, tonnes=tonnes, m3=m3, cargo_class=cargo, unit=carried, field="--cargo")
    frame = route_table(net, found, fill_h=proposal.fill_h, cargo=priced)
    frame["modes"] = [_modes(net, r.links) for r in found]
    shown = ["route", "family", "distance_km", "days", "unit", "cost_usd", "usd_per_kg", "co2_kg_per_t_ttw"]
    shown += ["co2_kg_per_t_wtw", "modes", "path"]
    if simulate > 0:
        frame = _with_simulated(
            frame, origin, destination, via, avoid, family, k, weight, value_of_time, model, simulate, sized
        )
        shown[4:4] = ["days_simulated", "days_p95_simulated"]
    o, d = net.node_id(origin), net.node_id(destination)
    _emit_plain(
        frame[shown].reset_index(drop=True),
        fmt=fmt,
        title=f"{net.node_name(o)} → {net.node_name(d)}, {tonnes:g} t, {priced.m3:.3g} m³ of {priced.cargo_class}: "
        "days are a static estimate"
        + ("; simulated days from `corridor trip`" if simulate > 0 else "; --simulate N simulates them"),
        digits={"distance_km": 0, "cost_usd": 0, "usd_per_kg": 2, "co2_kg_per_t_ttw": 0, "co2_kg_per_t_wtw": 0},
    )


def _modes(net: Any, links: Sequence[str]) -> str:
    """The modes of a path in order, each once per stretch (``rail, sea, rail``)."""
    modes = [str(m) for m in net.links.loc[list(links), "mode"]]
    return ", ".join(m for i, m in enumerate(modes) if i == 0 or modes[i - 1] != m)


def _with_simulated(
    frame: Any,
    origin: str,
    destination: str,
    via: list[str] | None,
    avoid: list[str] | None,
    family: list[str] | None,
    k: int,
    weight: Weighting,
    value_of_time: float,
    scenario: Any,
    replications: int,
    sized: dict[str, Any],
) -> Any:
    """The route table with the simulated mean and p95 days of each route (``corridor trip``).

    ``sized``: the consignment's ``tonnes``, ``m3``, ``cargo_class`` and ``unit``.
    """
    from corridor.trip import simulate_trip

    res, skipped = simulate_trip(
        origin,
        destination,
        via=via or [],
        avoid=avoid or [],
        families=family,
        k=k,
        weight=weight.value,
        value_of_time_usd_day=value_of_time,
        scenario=scenario,
        replications=replications,
        **sized,
    )
    for note in skipped:
        typer.echo(f"note: {note}", err=True)
    kpis = res.kpis().xs("trip", level="demand").reset_index()
    sim = kpis.set_index("route")[["transit_days_mean", "transit_days_p95"]]
    sim.columns = ["days_simulated", "days_p95_simulated"]
    return frame.join(sim, on="route")


@app.command()
@_friendly
def network(
    assumptions: Annotated[
        bool, typer.Option("--assumptions", help="List every figure that is an assumption, with its reason.")
    ] = False,
    sources: Annotated[bool, typer.Option("--sources", help="Count figures by basis (published, news, ...).")] = False,
    nodes: Annotated[
        bool, typer.Option("--nodes", help="List every node (id, name, country, kind, UN/LOCODE, aliases).")
    ] = False,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
) -> None:
    """Summarise the bundled network: nodes, links and km by mode and country."""
    from corridor.geo import network_summary
    from corridor.network import load_network
    from corridor.sources import read_sources

    net = load_network()
    if nodes:
        table = net.nodes.reset_index()[["id", "name", "country", "kind", "locode", "aliases"]].fillna("")
        _emit_plain(table.sort_values(["country", "id"]).reset_index(drop=True), fmt=fmt, title=f"{len(table)} nodes")
        return
    if assumptions or sources:
        rows = read_sources(net.path)
        if assumptions:
            picked = rows[rows["basis"] == "assumption"][["component", "id", "attribute", "value", "unit", "note"]]
            _emit_plain(picked.reset_index(drop=True), fmt=fmt, title=f"{len(picked)} assumptions")
        else:
            counts = rows.groupby("basis").size().rename("figures").reset_index()
            _emit_plain(counts, fmt=fmt, title=f"{len(rows)} sourced figures by basis")
        return
    by_country, links = network_summary(net)
    if fmt is not Format.table:
        _emit_plain(links, fmt=fmt, title="links")
        return
    _emit_plain(by_country, fmt=fmt, title=f"{len(net.nodes)} nodes by country and kind")
    _emit_plain(links, fmt=fmt, title=f"{len(net.links)} links by mode and country", digits={"km": 0})
    total = links.groupby("mode").agg(links=("links", "sum"), km=("km", "sum")).reset_index()
    _emit_plain(total, fmt=fmt, title="by mode (both directions)", digits={"km": 0})


@app.command()
@_friendly
def calibration(
    skip: Annotated[
        list[str] | None, typer.Option("--skip", help="A target or cross-check id to leave out (repeatable).")
    ] = None,
    replications: Annotated[int, typer.Option(min=1, help="Replications of the calibration run.")] = 2,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
    cross_checks: Annotated[
        bool,
        typer.Option(
            "--cross-checks",
            help="Print the cross-checks instead: published times (X…) and prices (P…) the model was not built "
            "from, each placed inside, above or below its figure (reported, not asserted).",
        ),
    ] = False,
) -> None:
    """Compare the simulation with the published validation targets (docs/validation.md).

    Prints, per target: the published figure, its source and tolerance, the scenario it is
    evaluated on (the period the figure describes), the simulated value and pass/fail.
    `independent = no` marks a figure that also set a model input. With `--cross-checks`,
    the other published figures (corridor.crosschecks, docs/validation.md): the model
    against each, inside or by how much outside, never pass/fail.
    """
    from corridor.calibrate import KNOWN_MISSES, NOT_EXPRESSIBLE, RETIRED
    from corridor.calibrate import calibration as run_calibration

    if cross_checks:
        _print_cross_checks(skip=skip or [], replications=replications, fmt=fmt)
        return
    with _steps("calibration: simulating each target's scenario") as _:
        table = run_calibration(skip=skip or [], replications=replications)
    if fmt is not Format.table:
        _emit_plain(table, fmt=fmt, title="calibration")
        return
    shown = table.assign(
        simulated=[_figure(v) for v in table["simulated"]],
        accepted=[
            f"{lo:,.4g}–{hi:,.4g} {u}" for lo, hi, u in zip(table["low"], table["high"], table["unit"], strict=True)
        ],
        result=["pass" if p else "FAIL" for p in table["passed"]],
        independent=["yes" if i else "no" for i in table["independent"]],
    )[
        [
            "target",
            "what",
            "published",
            "source",
            "tolerance",
            "scenario",
            "accepted",
            "simulated",
            "result",
            "independent",
        ]
    ]
    passed = int(table["passed"].sum())
    _emit_plain(shown, fmt=fmt, title=f"calibration: {passed} of {len(table)} targets within tolerance")
    for tid, why in KNOWN_MISSES.items():
        if tid in set(table["target"]):
            typer.echo(f"{tid}: known miss: {why}")
    for tid, why in NOT_EXPRESSIBLE.items():
        typer.echo(f"{tid}: not expressible: {why}")
    for tid, why in RETIRED.items():
        typer.echo(f"{tid}: retired: {why}")


def _figure(value: float) -> str:
    """A simulated value as the calibration tables print it: two decimals below 100, else whole."""
    return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"


def _print_cross_checks(*, skip: Sequence[str], replications: int, fmt: Format) -> None:
    """The cross-checks table: the model against each published figure, inside or by how much outside."""
    from corridor.crosschecks import cross_checks

    with _steps("cross-checks: simulating each check's scenario") as _:
        table = cross_checks(skip=skip, replications=replications)
    if fmt is not Format.table:
        _emit_plain(table, fmt=fmt, title="cross-checks")
        return
    rng = [
        f"{lo:,.4g} {u}" if lo == hi else f"{lo:,.4g}–{hi:,.4g} {u}"
        for lo, hi, u in zip(table["low"], table["high"], table["unit"], strict=True)
    ]
    where = [
        "inside" if pos == "inside" else f"{pos} by {_figure(abs(off))} {u} ({pct:+.0f}%)"
        for pos, off, pct, u in zip(table["position"], table["off"], table["off_pct"], table["unit"], strict=True)
    ]
    shown = table.assign(compared=rng, simulated=[_figure(v) for v in table["simulated"]], model=where)[
        ["check", "what", "published", "source", "scenario", "compared", "simulated", "model"]
    ]
    inside = int((table["position"] == "inside").sum())
    title = (
        f"cross-checks: {inside} of {len(table)} inside the published figure or range "
        "(reported, not asserted; sources in geodata/references.csv)"
    )
    _emit_plain(shown, fmt=fmt, title=title)


@app.command()
@_friendly
def study(
    file: Annotated[str, typer.Argument(help="A study file (TOML) or the name of a bundled study (caspian, ...).")],
    replications: Annotated[int | None, typer.Option(help="Replications per variant (default: the study's).")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes (one pool for the whole study).")] = 1,
    backend: Annotated[Backend, typer.Option(help=_BACKEND_HELP)] = Backend.local,
    scheduler: Annotated[str | None, typer.Option(help=_SCHEDULER_HELP)] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            help="Write the study's frame (and saturation table) and its chart to this folder (default: "
            "out/NAME, NAME the study's name): CSV plus Parquet, or plus one Excel workbook with --format xlsx."
        ),
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help=_FORMAT_HELP)] = Format.table,
) -> None:
    """Run a study (grid, one at a time, Latin hypercube): print its focus rows, write its frame and chart."""
    from corridor.outputs.writers import output_folder
    from corridor.studies import load_study
    from corridor.studies import study as run_study
    from corridor.studies.charts import study_chart

    spec = load_study(file)
    folder = out if out is not None else Path("out") / spec.name
    with output_folder(folder) as stage:  # made, and so checked, before any simulation
        with _client(backend, scheduler, workers) as client:
            res = run_study(
                spec,
                replications=replications,
                workers=workers,
                backend=backend.value,
                client=client,
                progress=_printed(fmt) is Format.table,
            )
        name = res.spec.name
        tables = {name: res.frame}
        if res.saturation is not None:
            tables[f"{name}-saturation"] = res.saturation.reset_index()

        def chart(into: Path) -> int:
            study_chart(res, path=into / f"{name}.png")
            return 1

        _write_out(stage, tables, fmt=fmt, charts=chart, shown=folder)
    if _emit_machine(res.frame, fmt=_printed(fmt)):
        return
    _print_study(res, fmt=_printed(fmt))


def _print_study(res: Any, *, fmt: Format) -> None:
    """The study's focus rows, each KPI with its half-width, and the saturation table."""
    focus = res.focus()
    shown = ["variant", *res.parameters, "demand", "route"]
    table = focus[shown].copy()
    for kpi in res.spec.kpis:
        ci = next((c for c in focus.columns if c.startswith(kpi + "_ci")), None)
        table[kpi] = [
            _fmt(kpi, v) + ("" if ci is None or _fmt(kpi, h) == "–" else f" ± {_fmt(kpi, h)}")
            for v, h in zip(focus[kpi], focus[ci] if ci else focus[kpi], strict=True)
        ]
    table["binding"] = focus["binding"]
    n = int(res.frame["replications"].iloc[0])
    _emit_plain(table, fmt=fmt, title=f"{res.spec.title or res.spec.name} ({n} replications per variant)", digits={})
    if res.saturation is not None:
        from corridor.studies.capacity import SATURATION_RULE

        _emit_plain(res.saturation.reset_index(), fmt=fmt, title=f"Saturation: {SATURATION_RULE}", digits={})


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point for ``python -m corridor``."""
    app(args=list(argv) if argv is not None else None)
