"""Prices as shippers pay them: units of carriage, chargeable quantities, storage, inventory.

A consignment (:class:`Consignment`: tonnes, m³, value, cargo class) travels in one unit
of carriage, each priced the way the market prices it:

* ``fcl``: full container load, whole boxes; every per-FEU tariff and node charge once
  per FEU (``teu / 2``).
* ``lcl``: groupage, a share of a box: the chargeable m³ (the greater of the volume and
  the mass at the mode's weight/measure ratio, at least the minimum) over the m³ whose
  charge equals one box's (``lcl_breakeven_m3``).
* ``wagon``: whole covered hopper wagons of ``wagon_t`` tonnes, each paying the per-FEU
  rates of ``wagon_t / tariff_unit_t`` FEU (the rates are per 20-t load).
* ``air``: the flight's per-kg tariff on the chargeable weight (the greater of the mass
  and the volume at 1:6,000 cm³/kg, at least ``air_min_kg``), plus handling per kg at
  each airport where the consignment changes mode. Its legs on the ground pay a
  groupage share.

The rules' figures are data (``geodata/carriage.csv``, sourced in ``sources.csv``);
cargo classes (value per tonne, stowage factor) are in ``geodata/cargo_classes.csv``.
Everything here runs when a scenario is prepared (:mod:`corridor.plan`) or when the
frames are built, never per event.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Literal, NamedTuple, get_args

import numpy as np

from corridor._data import bundled_dir
from corridor._errors import NetworkError, ScenarioError, did_you_mean
from corridor.costing import HOURS_PER_DAY, KG_PER_TONNE, leg_estimate, node_stops
from corridor.network import CompiledNetwork

__all__ = [
    "UNITS",
    "CargoClass",
    "CargoData",
    "CarriageRules",
    "Consignment",
    "LegCharges",
    "Unit",
    "air_chargeable_kg",
    "consignment",
    "inventory_usd",
    "load_cargo",
    "route_charges",
    "storage_usd",
    "unit_problem",
]

Unit = Literal["fcl", "lcl", "wagon", "air"]
UNITS: tuple[str, ...] = get_args(Unit)
_SEA_MODES = ("sea", "ferry")
DAYS_PER_YEAR = 365.0


@dataclass(frozen=True)
class CarriageRules:
    """The rules of the units of carriage (``geodata/carriage.csv``; units in its ``unit`` column)."""

    feu_m3: float
    feu_t: float
    tariff_unit_t: float
    lcl_breakeven_m3: float
    lcl_min_m3: float
    lcl_rail_kg_m3: float
    lcl_sea_kg_m3: float
    wagon_t: float
    wagon_teu: float
    air_kg_m3: float
    air_min_kg: float
    air_handling_usd_kg: float
    port_free_days: float
    port_usd_day: float
    air_free_days: float
    air_usd_kg_day: float
    inventory_rate: float


@dataclass(frozen=True)
class CargoClass:
    """A cargo class: value per tonne and stowage factor (m³ a tonne takes up)."""

    id: str
    name: str
    value_usd_t: float
    m3_per_t: float


@dataclass(frozen=True)
class CargoData:
    """The carriage rules and the cargo classes of a geodata folder."""

    rules: CarriageRules
    classes: Mapping[str, CargoClass]

    def cargo_class(self, name: str, *, file: str | None = None, field: str | None = None) -> CargoClass:
        """The class called ``name``.

        Raises
        ------
        ScenarioError
            For an unknown class, naming the file and the field, with the classes known.
        """
        if name in self.classes:
            return self.classes[name]
        raise ScenarioError(
            f"unknown cargo class {name!r}{did_you_mean(name, self.classes)}; use one of "
            f"{', '.join(self.classes)} (geodata/cargo_classes.csv)",
            file=file,
            field=field,
        )


def load_cargo(folder: Path) -> CargoData:
    """Read ``carriage.csv`` and ``cargo_classes.csv`` from a geodata folder.

    A folder without them uses the bundled files (a network of one's own need not
    restate the units of carriage).

    Raises
    ------
    NetworkError
        Naming the file, the row and the fix: a rule missing or unknown, a value that is
        not a positive number.
    """
    rules_file = folder / "carriage.csv" if (folder / "carriage.csv").is_file() else _bundled("carriage.csv")
    classes_file = (
        folder / "cargo_classes.csv" if (folder / "cargo_classes.csv").is_file() else _bundled("cargo_classes.csv")
    )
    names = [f.name for f in fields(CarriageRules)]
    values: dict[str, float] = {}
    for row in _rows(rules_file, ("key", "value")):
        key = row["key"]
        if key not in names:
            raise NetworkError(
                f"unknown rule {key!r}{did_you_mean(key, names)}; remove the row", file=str(rules_file), field=key
            )
        values[key] = _positive(row["value"], file=rules_file, field=f"{key}.value")
    missing = [n for n in names if n not in values]
    if missing:
        raise NetworkError(f"rules {missing} missing; add a row for each", file=str(rules_file), field="key")
    classes = {
        row["id"]: CargoClass(
            id=row["id"],
            name=row["name"],
            value_usd_t=_positive(row["value_usd_t"], file=classes_file, field=f"{row['id']}.value_usd_t"),
            m3_per_t=_positive(row["m3_per_t"], file=classes_file, field=f"{row['id']}.m3_per_t"),
        )
        for row in _rows(classes_file, ("id", "name", "value_usd_t", "m3_per_t"))
    }
    if "general" not in classes:
        raise NetworkError(
            "no class 'general'; flows without a cargo_class use it: add it", file=str(classes_file), field="id"
        )
    return CargoData(rules=CarriageRules(**values), classes=classes)


def _bundled(name: str) -> Path:
    return bundled_dir("geodata") / name


def _rows(file: Path, columns: Sequence[str]) -> list[dict[str, str]]:
    with file.open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        absent = [c for c in columns if c not in (reader.fieldnames or [])]
        if absent:
            raise NetworkError(f"columns {absent} missing; the header needs {', '.join(columns)}", file=str(file))
        return list(reader)


def _positive(text: str, *, file: Path, field: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise NetworkError(f"{text!r} is not a number; give a number", file=str(file), field=field) from None
    if not value > 0 or math.isinf(value):
        raise NetworkError(f"{value:g} is not a positive number; give one above 0", file=str(file), field=field)
    return value


@dataclass(frozen=True)
class Consignment:
    """One shipment as a shipper books it.

    ``feu`` is the number of boxes of a full container load (``teu / 2``); other units
    derive their shares from the mass and volume.
    """

    tonnes: float
    m3: float
    value_usd: float
    cargo_class: str
    unit: Unit
    feu: float

    def slots_teu(self, rules: CarriageRules) -> float:
        """Container slots the consignment takes on a service or at a gate."""
        if self.unit == "fcl":
            return 2.0 * self.feu
        if self.unit == "wagon":
            return rules.wagon_teu * math.ceil(self.tonnes / rules.wagon_t)
        return 2.0 * self.m3 / rules.feu_m3  # a share of a box


def consignment(
    data: CargoData,
    *,
    tonnes: float,
    m3: float | None = None,
    value_usd: float | None = None,
    cargo_class: str | None = None,
    unit: Unit | None = None,
    teu: float | None = None,
    file: str | None = None,
    field: str | None = None,
) -> Consignment:
    """A consignment with its gaps filled from its cargo class and its size.

    Parameters
    ----------
    data
        Carriage rules and cargo classes.
    tonnes, m3, value_usd
        Mass, volume and value; volume and value default to the class's stowage factor
        and value per tonne.
    cargo_class
        A class of ``data`` (default ``general``).
    unit
        The unit of carriage; by default ``fcl`` when ``teu`` is given or the consignment
        is at least the groupage break-even volume (or mass at the rail weight/measure
        ratio), else ``lcl``.
    teu
        Container slots of a full container load (default: whole FEU for the mass and
        volume).
    file, field
        Where the cargo class was given, for error messages (e.g. ``demand[3].cargo_class``).

    Raises
    ------
    ScenarioError
        For an unknown cargo class.
    """
    cls = data.cargo_class(cargo_class or "general", file=file, field=field or "cargo_class")
    rules = data.rules
    volume = tonnes * cls.m3_per_t if m3 is None else m3
    if unit is None:
        size = max(volume, tonnes * KG_PER_TONNE / rules.lcl_rail_kg_m3)
        unit = "fcl" if teu or size >= rules.lcl_breakeven_m3 else "lcl"
    feu = teu / 2.0 if teu else float(max(math.ceil(volume / rules.feu_m3), math.ceil(tonnes / rules.feu_t), 1))
    return Consignment(
        tonnes=tonnes,
        m3=volume,
        value_usd=tonnes * cls.value_usd_t if value_usd is None else value_usd,
        cargo_class=cls.id,
        unit=unit,
        feu=feu,
    )


def unit_problem(unit: str, modes: Sequence[str]) -> str:
    """Why a unit of carriage cannot travel on a route of these link modes ('' if it can).

    A consignment booked by air needs a flight; hopper wagons cross water only on a rail
    ferry (mode ``ferry``, as the Caspian Ro-Pax that carries 56 wagons), not on a
    container ship (mode ``sea``).
    """
    if unit == "air" and "air" not in modes:
        return "unit 'air' needs a flight and the route has none"
    if unit == "wagon" and ("sea" in modes or "air" in modes):
        return "hopper wagons cross water only on a rail ferry, and the route has a container ship or a flight"
    return ""


def air_chargeable_kg(rules: CarriageRules, c: Consignment) -> float:
    """The chargeable weight by air: mass or volumetric weight, whichever is greater, at least the minimum."""
    return max(c.tonnes * KG_PER_TONNE, c.m3 * rules.air_kg_m3, rules.air_min_kg)


def _share_feu(rules: CarriageRules, c: Consignment, mode: str) -> float:
    """FEU-equivalents of a groupage consignment on a leg of ``mode``."""
    kg_m3 = rules.lcl_sea_kg_m3 if mode in _SEA_MODES else rules.lcl_rail_kg_m3
    chargeable = max(c.m3, c.tonnes * KG_PER_TONNE / kg_m3, rules.lcl_min_m3)
    return chargeable / rules.lcl_breakeven_m3


def _basis(rules: CarriageRules, c: Consignment, mode: str) -> tuple[float, float]:
    """What a leg of ``mode`` charges the consignment for: ``(FEU-equivalents, kg)``."""
    if mode == "air":
        return 0.0, air_chargeable_kg(rules, c)
    kg = c.tonnes * KG_PER_TONNE
    if c.unit == "fcl":
        return c.feu, kg
    if c.unit == "wagon":
        return math.ceil(c.tonnes / rules.wagon_t) * rules.wagon_t / rules.tariff_unit_t, kg
    return _share_feu(rules, c, mode), kg


class LegCharges(NamedTuple):
    """A leg's estimate for one consignment: hours, charges, storage terms at the start node, CO2."""

    hours: float
    freight_usd: float
    handling_usd: float
    border_usd: float
    free_h: float
    storage_usd_h: float
    co2_kg: float
    co2_wtw_kg: float

    @property
    def usd(self) -> float:
        """Freight, handling and border charges together."""
        return self.freight_usd + self.handling_usd + self.border_usd


def route_charges(
    cn: CompiledNetwork, links: Sequence[int], c: Consignment, rules: CarriageRules
) -> tuple[LegCharges, ...]:
    """The estimate of each leg of a route (link indices) for consignment ``c``.

    :func:`corridor.costing.leg_estimate` on the unit's FEU-equivalents (per-FEU tariffs
    and node charges) and chargeable kg (per-kg tariffs): hours, freight, the start
    node's handling and border charges, CO2 of the cargo's real tonne-km. Added here:
    the airport handling per chargeable kg where a consignment that flies changes mode,
    and the storage terms at the start node: beyond the free time at a port (per
    FEU-equivalent and day) or at an airport (per chargeable kg and day).
    """
    flies = any(cn.link_mode[li] == "air" for li in links)
    air_kg = air_chargeable_kg(rules, c) if flies else 0.0
    out: list[LegCharges] = []
    prev: int | None = None
    for li in links:
        feu, kg = _basis(rules, c, cn.link_mode[li])
        est = leg_estimate(cn, prev, li, feu=feu, tonnes=c.tonnes, kg=kg)
        handling = est.stop_usd - est.border_usd
        kind = cn.node_kind[cn.link_from[li]]
        if kind == "airport" and flies and node_stops(cn, prev, li)[0]:
            handling += rules.air_handling_usd_kg * air_kg
        if kind == "port":
            free_h, usd_h = rules.port_free_days * HOURS_PER_DAY, rules.port_usd_day / HOURS_PER_DAY * feu
        elif kind == "airport" and flies:
            free_h, usd_h = rules.air_free_days * HOURS_PER_DAY, rules.air_usd_kg_day / HOURS_PER_DAY * air_kg
        else:
            free_h, usd_h = 0.0, 0.0
        out.append(
            LegCharges(
                hours=est.hours,
                freight_usd=est.usd - est.stop_usd,
                handling_usd=handling,
                border_usd=est.border_usd,
                free_h=free_h,
                storage_usd_h=usd_h,
                co2_kg=est.co2_kg,
                co2_wtw_kg=est.co2_wtw_kg,
            )
        )
        prev = li
    return tuple(out)


def storage_usd(dwell_h: np.ndarray, free_h: np.ndarray, usd_h: np.ndarray) -> np.ndarray:
    """Storage or demurrage: the hours at a node beyond the free time, at the hourly rate."""
    out: np.ndarray = np.maximum(dwell_h - free_h, 0.0) * usd_h
    return out


def inventory_usd(value_usd: np.ndarray, rate: float, days: np.ndarray) -> np.ndarray:
    """Inventory in transit: cargo value x annual carrying rate x days / 365."""
    out: np.ndarray = value_usd * rate * days / DAYS_PER_YEAR
    return out
