"""Tables out of a simulation: CSV, Parquet or one Excel workbook.

Numbers are rounded to the digits their unit deserves (no ``1.8e-11`` hours), times since
the scenario start get a calendar date beside them, and the legs and shipments of
background flows (``background = true`` in the scenario: traffic that only loads the
services) are left out unless asked for. Files are written to temporary names and renamed
once all are written: an interrupted export leaves no partial table.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import pandas as pd

from corridor._errors import CorridorError

__all__ = ["EXCEL_MAX_ROWS", "TableFormat", "dated", "result_tables", "rounded", "unit_of", "write_tables"]

#: Rows an Excel sheet holds (header included).
EXCEL_MAX_ROWS = 1_048_576


class TableFormat(StrEnum):
    """File formats for tables."""

    csv = "csv"
    parquet = "parquet"
    xlsx = "xlsx"


#: Unit by column-name ending, the first match wins (the reference page lists the same).
_UNITS = (
    ("cost_usd_per_feu", "USD/FEU"),
    ("cost_usd_per_kg", "USD/kg"),
    ("co2_kg_per_feu", "kg CO2e/FEU"),
    ("co2_g_per_tkm", "g CO2e/t-km"),
    ("co2_kg", "kg CO2e"),
    ("_usd", "USD"),
    ("_km", "km"),
    ("_days", "days"),
    ("_h", "h"),
    ("_share", "share"),
    ("_at", "date"),
    ("tonnes", "t"),
    ("teu", "TEU"),
)

#: Decimals kept, by unit: a minute in hours, a tenth of a kilometre, a cent.
_DIGITS = {"h": 3, "days": 3, "km": 1, "USD": 2, "USD/FEU": 2, "USD/kg": 4, "kg CO2e": 2, "kg CO2e/FEU": 2,
           "g CO2e/t-km": 3, "share": 4, "t": 3, "TEU": 2}  # fmt: skip
_DEFAULT_DIGITS = 4


def unit_of(column: str) -> str:
    """The unit of an output column (``""`` for counts, ids and flags)."""
    name = re.sub(r"_(mean|p50|p90|p95|ci_low|ci_high)$", "", column.removeprefix("delta_"))
    for ending, unit in _UNITS:
        if name.endswith(ending):
            return unit
    return ""


def rounded(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every float column rounded to the digits of its unit."""
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            digits = _DIGITS.get(unit_of(str(col)), _DEFAULT_DIGITS)
            out[col] = out[col].round(digits) + 0.0  # + 0.0 turns -0.0 into 0.0
    return out


_DATED = {"ready_h": "ready_at", "depart_h": "depart_at", "arrive_h": "arrive_at", "release_h": "release_at",
          "delivery_h": "delivery_at", "time_h": "time_at"}  # fmt: skip


def dated(frame: pd.DataFrame, start: date | datetime) -> pd.DataFrame:
    """A copy with a calendar column (``ready_at`` …) right after each hours-since-start column."""
    origin = pd.Timestamp(start)
    out = frame.copy()
    for col, name in _DATED.items():
        if col in out.columns and name not in out.columns:
            stamps = origin + pd.to_timedelta(out[col], unit="h")
            out.insert(list(out.columns).index(col) + 1, name, stamps.dt.floor("min"))
    return out


def result_tables(
    results: Any,
    *,
    start: date | datetime | None = None,
    background: Sequence[str] = (),
    with_background: bool = False,
) -> dict[str, pd.DataFrame]:
    """The tables of a simulation, ready to write: ``kpis``, ``shipments``, ``legs``, ``departures``.

    Parameters
    ----------
    results
        A :class:`corridor.Results`.
    start
        The scenario's start: adds calendar columns beside the hours.
    background
        Demand ids of background flows: their legs and shipments are left out...
    with_background
        ...unless this is true. Their KPI rows stay (one row per route).
    """
    legs, ships = results.legs, results.shipments
    if background and not with_background:
        legs = legs[~legs["demand"].isin(list(background))]
        ships = ships[~ships["demand"].isin(list(background))]
    tables = {
        "kpis": results.kpis().reset_index(),
        "shipments": ships.reset_index(drop=True),
        "legs": legs.reset_index(drop=True),
        "departures": results.departures,
    }
    if start is not None:
        tables = {k: dated(v, start) for k, v in tables.items()}
    return tables


def write_tables(
    folder: str | Path, tables: Mapping[str, pd.DataFrame], *, formats: Sequence[TableFormat | str]
) -> list[Path]:
    """Write tables to ``folder``: a file per table and format, or one workbook for ``xlsx``.

    Every file goes to a temporary name first; all are renamed once all are written.

    Returns
    -------
    list of pathlib.Path
        The files written.

    Raises
    ------
    CorridorError
        When a table has more rows than an Excel sheet holds (write Parquet instead).
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    ready = {name: rounded(frame) for name, frame in tables.items()}
    pending: list[tuple[Path, Path]] = []
    try:
        for fmt in (TableFormat(f) for f in formats):
            if fmt is TableFormat.xlsx:
                pending.append(_workbook(out, ready))
                continue
            for name, frame in ready.items():
                final = out / f"{name}.{fmt.value}"
                tmp = out / f".{final.name}.tmp"
                pending.append((tmp, final))
                if fmt is TableFormat.csv:
                    frame.to_csv(tmp, index=False, date_format="%Y-%m-%d %H:%M")
                else:
                    frame.to_parquet(tmp, index=False)
    except BaseException:
        for tmp, _ in pending:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, final in pending:
        tmp.replace(final)
    return [final for _, final in pending]


def _workbook(folder: Path, tables: Mapping[str, pd.DataFrame]) -> tuple[Path, Path]:
    """One sheet per table, units in the headers, first row frozen."""
    for name, frame in tables.items():
        if len(frame) + 1 > EXCEL_MAX_ROWS:
            raise CorridorError(
                f"table {name!r} has {len(frame):,} rows, more than an Excel sheet holds ({EXCEL_MAX_ROWS:,}); "
                "write --format parquet or csv, or run fewer replications",
                field="format",
            )
    final = folder / "results.xlsx"
    tmp = folder / ".results.xlsx.tmp"
    with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
        for name, frame in tables.items():
            headed = frame.rename(columns={c: f"{c} [{u}]" if (u := unit_of(str(c))) else str(c) for c in frame})
            for col in headed.columns:  # Excel has no categories or time zones
                if isinstance(headed[col].dtype, pd.CategoricalDtype):
                    headed[col] = headed[col].astype(str)
            headed.to_excel(writer, sheet_name=name[:31], index=False, freeze_panes=(1, 0))
    return tmp, final
