"""Domain exceptions.

Every error a user can cause names the file, the field and the fix, in one line:
``scenarios/x.toml: demand[0].origin: unknown node 'Aktau port'; did you mean 'aktau'?``
Each subclass also subclasses the builtin it refines, so ``except ValueError`` still works.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = [
    "CorridorError",
    "NetworkError",
    "OutputError",
    "RouteError",
    "ScenarioError",
    "did_you_mean",
]


class CorridorError(Exception):
    """Base class of every error ``corridor`` raises on bad input.

    Parameters
    ----------
    message
        What is wrong and how to fix it.
    file
        The file the problem is in, if any.
    field
        The field (dotted path, with list indices) the problem is in, if any.
    problems
        Every problem found, one line each, when several were collected.

    Attributes
    ----------
    exit_code
        The command line's exit status for it: 2 for bad input (the default), 1 for a
        fault that is not the input's (a full disk, say).
    """

    exit_code: int = 2

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        field: str | None = None,
        problems: tuple[str, ...] | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.field = field
        super().__init__(self._format())
        #: Every problem found, one line each (one item unless validation collected several).
        self.problems: tuple[str, ...] = problems if problems else (str(self),)

    def _format(self) -> str:
        parts = [p for p in (self.file, self.field) if p]
        prefix = ": ".join(parts)
        return f"{prefix}: {self.message}" if prefix else self.message


class ScenarioError(CorridorError, ValueError):
    """A scenario file or scenario value is invalid."""


class NetworkError(CorridorError, ValueError):
    """Geodata (nodes, links, services, sources) is invalid."""


class RouteError(CorridorError, LookupError):
    """A node, route or path cannot be found."""


class OutputError(CorridorError, OSError):
    """An output folder or file cannot be written (a file in the way, no permission, a full disk)."""

    def __init__(self, message: str, *, file: str | None = None, field: str | None = None, exit_code: int = 2) -> None:
        super().__init__(message, file=file, field=field)
        self.exit_code = exit_code


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """Return ``"; did you mean 'x'?"`` for the closest choice, or a list of valid ones.

    Parameters
    ----------
    name
        The unknown name the user gave.
    choices
        The valid names.
    """
    options = sorted(set(choices))
    close = difflib.get_close_matches(name.lower(), [c.lower() for c in options], n=1, cutoff=0.6)
    if close:
        original = next(c for c in options if c.lower() == close[0])
        return f"; did you mean {original!r}?"
    if len(options) <= 12:
        return "; valid values: " + ", ".join(repr(c) for c in options)
    return f"; see the {len(options)} valid values with `corridor network --nodes`"
