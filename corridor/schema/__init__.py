"""Component schemas: one CSV per component kind is the single source of truth.

``corridor/schema/{nodes,links,services}.csv`` list each attribute with its type, unit,
default, whether it is required, its range and its allowed values. Validation, defaults
and the documentation table are all driven from them (PyPSA's component_attrs style).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from corridor.distributions import parse_floats

__all__ = ["KINDS", "Attribute", "check_frame", "schema"]

KINDS = ("nodes", "links", "services")


@dataclass(frozen=True)
class Attribute:
    """One row of a schema file."""

    name: str
    type: str
    unit: str
    default: str
    required: bool
    min: float | None
    max: float | None
    choices: tuple[str, ...]
    description: str

    def default_value(self) -> Any:
        """The default converted to the attribute's type (``None`` where there is none)."""
        if self.default == "":
            return math.nan if self.type == "float" else None
        return float(self.default) if self.type == "float" else self.default


@cache
def schema(kind: str) -> dict[str, Attribute]:
    """Return the attributes of a component kind, keyed by name.

    Parameters
    ----------
    kind
        One of ``nodes``, ``links``, ``services``.
    """
    text = resources.files("corridor").joinpath("schema", f"{kind}.csv").read_text("utf-8")
    out: dict[str, Attribute] = {}
    for row in csv.DictReader(text.splitlines()):
        out[row["attribute"]] = Attribute(
            name=row["attribute"],
            type=row["type"],
            unit=row["unit"],
            default=row["default"],
            required=row["required"] == "yes",
            min=float(row["min"]) if row["min"] else None,
            max=float(row["max"]) if row["max"] else None,
            choices=tuple(row["choices"].split("|")) if row["choices"] else (),
            description=row["description"],
        )
    return out


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def check_frame(frame: pd.DataFrame, *, kind: str, file: str) -> tuple[pd.DataFrame, list[str]]:
    """Validate a component table against its schema and fill defaults.

    Parameters
    ----------
    frame
        One row per component, columns named as in the schema.
    kind
        The component kind (``nodes``, ``links``, ``services``).
    file
        The file the table came from, for messages.

    Returns
    -------
    tuple
        The table with every schema column present and defaults filled, and the list of
        problems found (each naming file, row id, field and fix); empty when valid.
    """
    attrs = schema(kind)
    problems: list[str] = []
    unknown = [c for c in frame.columns if c not in attrs and c != "geometry"]
    for col in unknown:
        from corridor._errors import did_you_mean

        problems.append(
            f"{file}: {col}: unknown attribute{did_you_mean(col, attrs)}; "
            f"remove it or rename it to a schema attribute (corridor/schema/{kind}.csv)"
        )
    out = frame.copy()
    for name, attr in attrs.items():
        if name not in out.columns:
            out[name] = attr.default_value()
    ids = out["id"].tolist()
    seen: set[str] = set()
    for pos, ident in enumerate(ids):
        if _is_missing(ident):
            problems.append(f"{file}: feature {pos}: id: missing; give every feature a unique id")
        elif ident in seen:
            problems.append(f"{file}: {ident}: id: duplicate id; ids must be unique")
        seen.add(str(ident))
    for name, attr in attrs.items():
        new_col: list[Any] = []
        for pos, value in enumerate(out[name].tolist()):
            where = f"{file}: {ids[pos]}: {name}"
            if _is_missing(value):
                if attr.required:
                    problems.append(f"{where}: missing; this attribute is required ({attr.description})")
                new_col.append(attr.default_value())
                continue
            if isinstance(value, (bool, np.bool_)):
                problems.append(
                    f"{where}: {value!r} is a boolean; give {'a text' if attr.type == 'str' else 'a number'}"
                )
                new_col.append(attr.default_value())
                continue
            if attr.type == "float":
                try:
                    num = float(value)
                except (TypeError, ValueError):
                    problems.append(f"{where}: {value!r} is not a number; give a number in {attr.unit or 'units'}")
                    new_col.append(math.nan)
                    continue
                if not math.isfinite(num):
                    problems.append(f"{where}: {value!r} is not finite; give a finite number")
                elif (attr.min is not None and num < attr.min) or (attr.max is not None and num > attr.max):
                    lo = "-inf" if attr.min is None else f"{attr.min:g}"
                    hi = "inf" if attr.max is None else f"{attr.max:g}"
                    problems.append(
                        f"{where}: {num:g} is out of range; give a value in [{lo}, {hi}] {attr.unit}".rstrip()
                    )
                new_col.append(num)
            elif attr.type == "floats":
                try:
                    nums = parse_floats(value)
                except ValueError as exc:
                    problems.append(f"{where}: {exc}")
                    new_col.append(None)
                    continue
                low = -math.inf if attr.min is None else attr.min
                high = math.inf if attr.max is None else attr.max
                if not all(low <= v <= high for v in nums):
                    problems.append(f"{where}: {value!r} has values outside [{low:g}, {high:g}] {attr.unit}".rstrip())
                new_col.append(str(value))
            else:
                text = str(value)
                if attr.choices and text not in attr.choices:
                    from corridor._errors import did_you_mean

                    problems.append(f"{where}: unknown value {text!r}{did_you_mean(text, attr.choices)}")
                new_col.append(text)
        out[name] = pd.Series(new_col, index=out.index, dtype=float if attr.type == "float" else object)
    # the schema's order, whatever order the file gave: tables compare equal across file formats
    out = out[[*attrs, *(c for c in out.columns if c not in attrs)]]
    return out, problems
