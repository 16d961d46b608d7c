"""Parameter addresses: one way to name any number of the model.

An address is ``table[selector].attribute``:

* ``links[sea-aktau-alat].time_h``: one link by id, **and its reverse** (the link of the
  same mode from its end to its start), unless ``one_way`` is asked for;
* ``links[group=caspian].time_h``, ``links[mode=sea].tariff_usd_feu``,
  ``nodes[kind=border].border_h``, ``services[kind=when_full].vessels``: every row whose
  column has that value (any column of the table: ``group``, ``mode``, ``kind``,
  ``country`` ...);
* ``nodes[aktau].border_h``, ``services[scat-nqz-beg].weekdays``: one node or service;
* ``links[family=middle-black-sea].tariff_usd_feu``, ``nodes[family=middle].border_h``,
  ``services[family=middle-black-sea].vessels``: the links, the nodes (origin and
  destination included) or the services the scenario's routes of that **route family**
  use (families: the ``[[family]]`` rules of ``routes.toml``, or a scenario route's own
  ``family``); ``links[route=middle-poti].time_h`` the same for the routes of that id.
  A family is a label of routes, with no number of its own: its numbers are those of
  what its routes use, and a link or node another family shares changes for both;
* ``demand[xian-belgrade-containers].per_week``, ``demand[*].per_week``: one demand flow
  of the scenario, or all of them.

This module is the one home of the rule: :meth:`corridor.Model.evolve` and
:func:`evolve_scenario` both apply addresses with :func:`apply_settings`.
:func:`evolve_scenario` turns ``{address: setting}`` into a new, validated
:class:`~corridor.scenario.Scenario`: network attributes become ``changes`` (one per
row selected, appended after the scenario's own), demand attributes replace the flows'
values. A setting is a number or text (set the value), :class:`Scale` (multiply), or a
mapping ``{"value": v}`` or ``{"factor": f}``, with ``"one_way": True`` for a link by id.
Every problem is a :class:`~corridor.ScenarioError` naming the file, the field and the
fix.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from corridor._errors import ScenarioError, did_you_mean
from corridor.schema import schema

if TYPE_CHECKING:
    from corridor.network import Network
    from corridor.plan import RoutePlan, SimPlan
    from corridor.scenario import Scenario

__all__ = [
    "TABLES",
    "Address",
    "Scale",
    "apply_settings",
    "evolve_scenario",
    "is_address",
    "parse_address",
    "scenario_plan",
]

#: The tables an address can name, and the scenario component each changes.
TABLES = {"links": "link", "nodes": "node", "services": "service", "demand": "demand"}
#: Demand attributes an address may change (numbers of a flow).
DEMAND_ATTRIBUTES = (
    "per_week",
    "batch",
    "teu",
    "tonnes",
    "value_of_time_usd_day",
    "promised_days",
    "from_day",
    "until_day",
)
_NOT_CHANGEABLE = ("id", "from", "to", "geodesic_km", "distance_km", "travel_h")
#: Selectors of network rows by the scenario's routes: ``family=<family>``, ``route=<route id>``.
ROUTE_KEYS = ("family", "route")
_PATTERN = re.compile(r"^\s*(?P<table>\w+)\s*\[\s*(?P<sel>[^\]]+?)\s*\]\s*\.\s*(?P<attr>\w+)\s*$")
_LOOKS_LIKE = re.compile(r"^\s*\w+\s*\[")


@dataclass(frozen=True)
class Address:
    """A parsed address: ``table[key=value].attribute`` (``key`` is ``id`` for ``table[value]``).

    Attributes
    ----------
    table
        ``links``, ``nodes``, ``services`` or ``demand``.
    key, value
        The selector: a column and its value; ``id`` for one row; ``*`` selects all flows.
    attribute
        The attribute set or scaled.
    one_way
        Links only: leave the reverse link of a link given by id unchanged.
    """

    table: str
    key: str
    value: str
    attribute: str
    one_way: bool = False

    def __str__(self) -> str:
        sel = self.value if self.key == "id" else f"{self.key}={self.value}"
        return f"{self.table}[{sel}].{self.attribute}"


@dataclass(frozen=True)
class Scale:
    """A setting that multiplies the addressed numbers by ``factor`` instead of setting them."""

    factor: float


def is_address(key: object) -> bool:
    """Whether a key is meant as an address (``table[...]...``), not a scenario field."""
    return isinstance(key, Address) or bool(_LOOKS_LIKE.match(str(key)))


def parse_address(text: str, *, one_way: bool = False, file: str = "<memory>", field: str = "address") -> Address:
    """Parse ``table[selector].attribute``.

    Raises
    ------
    ScenarioError
        For text that is not an address, an unknown table or attribute.

    Examples
    --------
    >>> parse_address("links[group=caspian].time_h")
    Address(table='links', key='group', value='caspian', attribute='time_h', one_way=False)
    >>> str(parse_address("nodes[aktau].border_h"))
    'nodes[aktau].border_h'
    """
    match = _PATTERN.match(str(text))
    if match is None:
        raise ScenarioError(
            f"{text!r} is not a parameter address; write table[selector].attribute, "
            "e.g. 'links[group=caspian].time_h' or 'nodes[aktau].border_h'",
            file=file,
            field=field,
        )
    table, sel, attr = match["table"], match["sel"], match["attr"]
    if table not in TABLES:
        raise ScenarioError(
            f"unknown table {table!r} in {text!r}{did_you_mean(table, TABLES)}",
            file=file,
            field=field,
        )
    key, _, value = sel.partition("=") if "=" in sel else ("id", "", sel)
    key, value = key.strip(), value.strip()
    if table == "demand":
        if attr not in DEMAND_ATTRIBUTES:
            raise ScenarioError(
                f"demand has no changeable number {attr!r}{did_you_mean(attr, DEMAND_ATTRIBUTES)}",
                file=file,
                field=field,
            )
        if key != "id":
            raise ScenarioError(
                f"select demand flows by id or '*' (got {sel!r}), e.g. demand[*].per_week", file=file, field=field
            )
    else:
        attrs = schema(table)
        if attr not in attrs or attr in _NOT_CHANGEABLE:
            hint = did_you_mean(attr, [a for a in attrs if a not in _NOT_CHANGEABLE])
            if not hint.startswith("; did you mean"):
                hint = f"; the attributes are listed in corridor/schema/{table}.csv"
            raise ScenarioError(
                f"{table} have no changeable attribute {attr!r}{hint}",
                file=file,
                field=field,
            )
    if one_way and table != "links":
        raise ScenarioError("one_way applies to links only; remove it", file=file, field=field)
    return Address(table=table, key=key, value=value, attribute=attr, one_way=one_way)


def _ids(address: Address, network: Network, plan: Callable[[], SimPlan], *, file: str, field: str) -> list[str]:
    """The ids of the rows of the network an address selects (both directions of a link by id)."""
    frame = {"links": network.links, "nodes": network.nodes, "services": network.services}[address.table]
    if address.key == "id":
        if address.value not in frame.index:
            raise ScenarioError(
                f"unknown {address.table[:-1]} id {address.value!r}{did_you_mean(address.value, frame.index)}",
                file=file,
                field=field,
            )
        ids = [address.value]
        if address.table == "links" and not address.one_way:
            row = frame.loc[address.value]
            back = frame[(frame["from"] == row["to"]) & (frame["to"] == row["from"]) & (frame["mode"] == row["mode"])]
            ids += [str(i) for i in back.index if i != address.value]
        return ids
    if address.key in ROUTE_KEYS and address.key not in frame.columns:
        return _route_ids(address, plan(), file=file, field=field)
    if address.key not in frame.columns:
        raise ScenarioError(
            f"{address.table} have no column {address.key!r}{did_you_mean(address.key, frame.columns)}; "
            "select by id, by a column such as group, mode or kind, or by the scenario's routes: family or route",
            file=file,
            field=field,
        )
    column = frame[address.key].astype(object).where(frame[address.key].notna(), "").astype(str)
    ids = [str(i) for i in frame.index[column == address.value]]
    if not ids:
        raise ScenarioError(
            f"no {address.table[:-1]} has {address.key} {address.value!r}"
            f"{did_you_mean(address.value, column.unique())}",
            file=file,
            field=field,
        )
    return ids


def _route_ids(address: Address, plan: SimPlan, *, file: str, field: str) -> list[str]:
    """The links, nodes or services (``address.table``) the plan's routes of a family (or id) use, in route order."""
    cn = plan.net

    def label(r: RoutePlan) -> str:
        return r.family if address.key == "family" else r.id

    routes = [r for r in plan.routes if label(r) == address.value]
    if not routes:
        known = sorted({label(r) for r in plan.routes})
        raise ScenarioError(
            f"no route of the scenario has {address.key} {address.value!r}{did_you_mean(address.value, known)}",
            file=file,
            field=field,
        )
    ids: dict[str, None] = {}  # ordered, each once
    for r in routes:
        if address.table == "nodes":
            ids.update(dict.fromkeys(r.nodes))
        for leg in r.legs:
            if address.table == "links":
                ids[cn.link_ids[leg.link]] = None
            elif address.table == "services" and leg.service >= 0:
                ids[cn.services[leg.service].id] = None
    if not ids:
        raise ScenarioError(
            f"the routes with {address.key} {address.value!r} use no service; address their links or nodes instead",
            file=file,
            field=field,
        )
    return list(ids)


def _demand(data: dict[str, Any], address: Address, setting: Any, *, file: str, field: str) -> None:
    flows = data["demand"]
    chosen = flows if address.value == "*" else [d for d in flows if d["id"] == address.value]
    if not chosen:
        raise ScenarioError(
            f"the scenario has no demand flow {address.value!r}{did_you_mean(address.value, [d['id'] for d in flows])}",
            file=file,
            field=field,
        )
    for flow in chosen:
        if isinstance(setting, Scale):
            current = flow.get(address.attribute)
            if current is None:
                raise ScenarioError(
                    f"demand {flow['id']!r} has no {address.attribute} to scale; set a value instead",
                    file=file,
                    field=field,
                )
            new = current * setting.factor
            flow[address.attribute] = round(new) if address.attribute == "batch" else new
        else:
            flow[address.attribute] = setting


def _setting(raw: Any, *, file: str, field: str) -> tuple[Any, bool]:
    """A setting and whether it asks for one direction only: a value, a :class:`Scale`, or
    ``{"value": v}`` / ``{"factor": f}`` with an optional ``"one_way": True``."""
    if not isinstance(raw, Mapping):
        return raw, False
    keys = set(raw)
    if len(keys & {"value", "factor"}) != 1 or keys - {"value", "factor", "one_way"}:
        raise ScenarioError(
            f"a setting given as a mapping has 'value' (set) or 'factor' (multiply), and may add 'one_way' "
            f"(got {sorted(keys)})",
            file=file,
            field=field,
        )
    one_way = bool(raw.get("one_way", False))
    return (Scale(float(raw["factor"])) if "factor" in raw else raw["value"]), one_way


def apply_settings(
    data: dict[str, Any],
    settings: Mapping[str | Address, Any],
    *,
    network: Network,
    plan: Callable[[], SimPlan],
    file: str,
    fields: Mapping[str | Address, str] | None = None,
) -> list[str]:
    """Apply ``{address: setting}`` to a scenario's data (``model_dump()``), in place.

    Network addresses append one change per row selected to ``data["changes"]``; demand
    addresses set or scale the flows' values.

    Parameters
    ----------
    data
        The scenario as a dict, its ``changes`` as dicts.
    settings
        ``{address: setting}`` (see the module docstring).
    network
        The network the scenario's selectors are resolved on (not modified).
    plan
        Returns the scenario's plan, for ``family=`` and ``route=`` selectors (called
        only for those).
    file, fields
        Where the settings come from (a file and its field per address), for messages.

    Returns
    -------
    list of str
        The field of each change appended, in order (to name it in a later error).
    """
    added: list[str] = []
    for raw, given in settings.items():
        field = (fields or {}).get(raw, str(raw))
        setting, one_way = _setting(given, file=file, field=field)
        address = raw if isinstance(raw, Address) else parse_address(raw, one_way=one_way, file=file, field=field)
        if address.table == "demand":
            _demand(data, address, setting, file=file, field=field)
            continue
        action = {"factor": setting.factor} if isinstance(setting, Scale) else {"value": setting}
        for ident in _ids(address, network, plan, file=file, field=field):
            data["changes"].append(
                {"component": TABLES[address.table], "id": ident, "attribute": address.attribute, **action}
            )
            added.append(field)
    return added


def scenario_plan(scenario: Scenario, network: Network) -> Callable[[], SimPlan]:
    """The plan of a scenario on a network without its changes, made when first asked for and kept."""
    made: list[SimPlan] = []

    def plan() -> SimPlan:
        if not made:
            from corridor.model import Model

            made.append(Model.of(scenario, network).plan())
        return made[0]

    return plan


def evolve_scenario(
    scenario: Scenario,
    settings: Mapping[str | Address, Any],
    *,
    network: Network,
    name: str | None = None,
    file: str | None = None,
    fields: Mapping[str | Address, str] | None = None,
    plan: Callable[[], SimPlan] | None = None,
) -> Scenario:
    """A new scenario: ``scenario`` with the addressed numbers set or scaled (:func:`apply_settings`).

    Parameters
    ----------
    scenario
        The scenario to start from (not modified).
    settings
        ``{address: value}``: a number or text sets, a :class:`Scale` multiplies.
    network
        The network the scenario runs on, before its changes (to resolve selectors; not
        modified).
    name
        The new scenario's name (default: the scenario's).
    file, fields
        Where the settings come from (a study file and its field per address), for messages.
    plan
        The scenario's plan, for ``family=`` and ``route=`` selectors (default: made when
        first needed, :func:`scenario_plan`); a study shares one between its variants.

    Raises
    ------
    ScenarioError
        Naming the file and field of the setting at fault and the fix.
    """
    from corridor.scenario import scenario_from_dict

    where = file or scenario.file
    data = scenario.model_dump(exclude_none=False)
    data["changes"] = [c.model_dump(exclude_none=True) for c in scenario.changes]
    apply_settings(
        data,
        settings,
        network=network,
        plan=plan or scenario_plan(scenario, network),
        file=where,
        fields=fields,
    )
    data["name"] = name or scenario.name
    try:
        return scenario_from_dict(data, file=scenario.file)
    except ScenarioError as exc:
        at = f"{exc.field}: " if exc.field else ""
        raise ScenarioError(f"the settings make an invalid scenario ({at}{exc.message})", file=where) from None
