"""A model: a loaded network and a validated scenario, the one object the rest works on.

::

    import corridor as cr
    m = cr.Model.load("baseline-2025")               # the scenario and its network, read once
    m2 = m.evolve({"nodes[aktau].border_h": 24, "replications": 5})   # validated, no disk read
    res = m2.simulate(workers=2)
    m.routes("Almaty", "Poti", k=5, weight="time")

:func:`corridor.simulate` is the short form of ``Model.load(...).simulate(...)``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corridor._errors import CorridorError, NetworkError, ScenarioError, did_you_mean
from corridor.network import Network, load_network
from corridor.scenario import Scenario, load_scenario, scenario_from_dict

if TYPE_CHECKING:
    from corridor.plan import SimPlan
    from corridor.results.frames import Results
    from corridor.routes import Route

__all__ = ["Model"]

_FIELD = re.compile(r"^changes\[(\d+)\]")
_CHANGE = re.compile(r"[^|]*?changes\[(\d+)\](\.\w+)?")


@dataclass(frozen=True)
class Model:
    """A loaded network and a validated scenario.

    Build one with :meth:`load`; change it with :meth:`evolve`, which returns a new model
    and never reads a file.

    Attributes
    ----------
    scenario
        The validated scenario.
    base
        The network as loaded, before the scenario's ``changes``.
    network
        The network the scenario runs on: ``base`` with its ``changes`` applied.
    """

    scenario: Scenario
    base: Network
    network: Network

    @classmethod
    def load(cls, scenario: str | Path | Scenario, network: Network | None = None) -> Model:
        """Load a scenario (bundled name, TOML path, or a :class:`Scenario`) and its network.

        Parameters
        ----------
        scenario
            What to load.
        network
            A loaded network to use instead of the one the scenario names (its changes
            still apply); nothing is read from disk for it.

        Raises
        ------
        ScenarioError, NetworkError
            Naming the file, the field and the fix.
        """
        sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        base = network if network is not None else load_network(sc.network_path())
        return cls.of(sc, base)

    @classmethod
    def load_all(cls, scenarios: Sequence[str | Path | Scenario]) -> list[Model]:
        """Load several scenarios, reading each geodata folder they name once."""
        loaded = [s if isinstance(s, Scenario) else load_scenario(s) for s in scenarios]
        networks: dict[Path | None, Network] = {}
        out = []
        for sc in loaded:
            folder = sc.network_path()
            if folder not in networks:
                networks[folder] = load_network(folder)
            out.append(cls.of(sc, networks[folder]))
        return out

    @classmethod
    def of(cls, scenario: Scenario, base: Network) -> Model:
        """The model of a scenario on a loaded network (its changes applied and checked; no disk read)."""
        net = base.with_changes([c.model_dump() for c in scenario.changes], file=scenario.file)
        return cls(scenario=scenario, base=base, network=net)

    def evolve(self, changes: Mapping[str, Any]) -> Model:
        """A new model with ``changes``, validated; this model is not modified and no file is read.

        Parameters
        ----------
        changes
            Keys are scenario fields (``replications``, ``seed``, ``horizon_days``,
            ``demand``, ``closures``...: the whole value is replaced) or parameter
            addresses (:mod:`corridor.studies.addresses`, the rule studies use too):
            ``nodes[<id>].<attribute>``, ``links[<id>].<attribute>`` (both directions),
            ``links[group=caspian].<attribute>``, ``links[family=middle].<attribute>``,
            ``services[<id>].<attribute>``, ``demand[<id>].per_week``... Network
            addresses add changes to the scenario's ``changes`` (applied after its own).
            A value sets the attribute, ``{"factor": f}`` multiplies it;
            ``{"value": v, "one_way": True}`` changes a link by id in its own direction
            only.

        Raises
        ------
        ScenarioError, NetworkError
            Naming the key and the fix: an unknown field, node, link, family or
            attribute (ScenarioError), or a value out of range (NetworkError).

        Examples
        --------
        >>> m = Model.load("baseline-2025")  # doctest: +SKIP
        >>> m.evolve({"links[ferry-aktau-alat].tariff_usd_feu": 1500, "nodes[khorgos].border_h": 12})  # doctest: +SKIP
        """
        from corridor.studies.addresses import Address, apply_settings, is_address

        sc = self.scenario
        fields: dict[str, Any] = {}
        addressed: dict[str | Address, Any] = {}
        for key, value in changes.items():
            if is_address(key):
                addressed[key] = value
            elif key in Scenario.model_fields and key not in ("file", "changes"):
                fields[str(key)] = value
            else:
                names = [f for f in Scenario.model_fields if f != "file"]
                raise ScenarioError(
                    f"unknown key {key!r}{did_you_mean(str(key), names)}; give a scenario field or an address "
                    "such as nodes[<id>].<attribute> or links[group=<group>].<attribute>",
                    file="<evolve>",
                    field=str(key),
                )
        data = {**sc.model_dump(), **fields}
        data["changes"] = [c.model_dump(exclude_none=True) for c in sc.changes]
        added = apply_settings(data, addressed, network=self.base, plan=self.plan, file="<evolve>")
        new = scenario_from_dict(data, file=sc.file)
        try:
            return Model.of(new, self.base)
        except NetworkError as exc:
            raise _name_address(exc, added, first=len(sc.changes)) from None

    def plan(self, *, problems: list[CorridorError] | None = None) -> SimPlan:
        """What the engine runs: routes resolved, legs precomputed (:func:`corridor.plan.plan_model`)."""
        from corridor.plan import plan_model

        return plan_model(self.scenario, self.network, problems=problems)

    def simulate(
        self,
        *,
        replications: int | None = None,
        workers: int = 1,
        seed: int | None = None,
        backend: str = "local",
        client: Any = None,
        progress: bool = False,
    ) -> Results:
        """Simulate the model (:func:`corridor.simulate` describes the options)."""
        import time

        import numpy as np

        from corridor.memory import check_memory
        from corridor.results.builder import build_results
        from corridor.runner import check_options, run_replications

        sc = self.scenario
        n = check_options(sc, replications=replications, workers=workers, backend=backend, client=client)
        t0 = time.perf_counter()
        plan = self.plan()
        check_memory(plan, n, file=sc.file if replications is None else None)
        t1 = time.perf_counter()
        seeds = np.random.SeedSequence(sc.seed if seed is None else seed).spawn(n)
        buffers = run_replications(
            plan, seeds, workers=min(workers, n), backend=backend, client=client, progress=progress
        )
        t2 = time.perf_counter()
        # CPMM's country sections need the link geometries: read from the geodata when first asked
        res = build_results(plan, buffers, geodata=self.base.path)
        t3 = time.perf_counter()
        res.timings.update(prepare_s=t1 - t0, simulate_s=t2 - t1, results_s=t3 - t2)
        return res

    def routes(self, origin: str, destination: str, **options: Any) -> list[Route]:
        """The best routes between two nodes on this model's network (:func:`corridor.routes.find_routes`).

        ``options`` are :func:`~corridor.routes.find_routes`'s (``k``, ``weight``,
        ``via``, ``avoid``, ``modes``...); the scenario's own route templates join the
        network's.
        """
        from corridor.routes import find_routes

        if "templates" not in options and self.scenario.routes:
            options["templates"] = {**self.network.routes, **{r.id: r.model_dump() for r in self.scenario.routes}}
        return find_routes(self.network, origin, destination, **options)


def _name_address(exc: NetworkError, keys: Sequence[str], *, first: int) -> NetworkError:
    """The error of changes :meth:`Model.evolve` added, naming their addresses instead of their positions."""
    match = _FIELD.match(exc.field or "")
    if match is not None:
        if int(match.group(1)) < first:
            return exc
        return NetworkError(exc.message, file="<evolve>", field=keys[int(match.group(1)) - first])
    lines = []
    for line in exc.problems:  # several problems: each names its change
        found = _CHANGE.search(line)
        if found is None or int(found.group(1)) < first:
            lines.append(line)
        else:
            lines.append(f"<evolve>: {keys[int(found.group(1)) - first]}: {line[found.end() :].lstrip(': ')}")
    if lines == list(exc.problems):
        return exc
    return NetworkError(f"{len(lines)} problems: " + " | ".join(lines), problems=tuple(lines))
