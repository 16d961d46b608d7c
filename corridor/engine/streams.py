"""Random streams per entity: common random numbers across scenario variants.

Every random input of a replication draws from a stream of its own, spawned from the
replication's seed and keyed by *what* draws (a demand flow, a link, a node, a
service) and its id, not by its position or by the order of events:

* a demand flow: the gaps between Poisson releases, and the route picked by ``split``;
* a link: its travel times (continuous links);
* a node: its handling and its border-clearance times;
* a service: the crossing times of its departures, per side.

So two scenarios that differ in one parameter draw the same numbers for the same
entities: the k-th release of a flow comes at the same time and the k-th crossing of a
link takes the same time in both, and their difference reflects the change rather than
noise (common random numbers, Law & Kelton, *Simulation Modeling and Analysis*, ch. 11).
A stream exists only once something draws from it; creating it is a seed hash and a
Generator, done when the replication is set up, never per leg.
"""

from __future__ import annotations

import zlib

import numpy as np

from corridor.distributions import Draws

__all__ = ["DEMAND", "LINK", "NODE", "SERVICE", "Streams"]

#: Entity kinds (the first spawn-key word after the replication's own keys).
DEMAND, LINK, NODE, SERVICE = 1, 2, 3, 4


class Streams:
    """The streams of one replication, created on first use.

    Parameters
    ----------
    seed
        The replication's seed sequence.

    Examples
    --------
    >>> import numpy as np
    >>> a = Streams(np.random.SeedSequence(7).spawn(2)[1])
    >>> b = Streams(np.random.SeedSequence(7).spawn(5)[1])
    >>> a.generator(LINK, "sea-aktau-alat").random() == b.generator(LINK, "sea-aktau-alat").random()
    True
    """

    __slots__ = ("_seed",)

    def __init__(self, seed: np.random.SeedSequence) -> None:
        self._seed = seed

    def generator(self, kind: int, ident: str, part: int = 0) -> np.random.Generator:
        """A new Generator for entity ``ident`` of ``kind`` (``part``: one of its several streams)."""
        key = (*self._seed.spawn_key, kind, zlib.crc32(ident.encode("utf-8")), part)
        return np.random.default_rng(np.random.SeedSequence(self._seed.entropy, spawn_key=key))

    def normal(self, kind: int, ident: str, part: int = 0) -> Draws:
        """Standard-normal draws of an entity's stream, in blocks."""
        return Draws(self.generator(kind, ident, part).standard_normal)

    def exponential(self, kind: int, ident: str, part: int = 0) -> Draws:
        """Standard-exponential draws of an entity's stream, in blocks."""
        return Draws(self.generator(kind, ident, part).standard_exponential)

    def uniform(self, kind: int, ident: str, part: int = 0) -> Draws:
        """Uniform draws on [0, 1) of an entity's stream, in blocks."""
        return Draws(self.generator(kind, ident, part).random)
