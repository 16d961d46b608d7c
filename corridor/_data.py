"""Where the bundled geodata and scenarios live (installed wheel or source checkout)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["bundled_dir"]


def bundled_dir(kind: str) -> Path:
    """Return the folder of bundled ``geodata`` or ``scenarios``.

    A wheel carries them in ``corridor/_bundled/``; a source checkout (editable install)
    has them at the repository root.

    Parameters
    ----------
    kind
        ``"geodata"`` or ``"scenarios"``.
    """
    packaged = Path(str(resources.files("corridor"))) / "_bundled" / kind
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / kind
