"""Read an input file safely: a regular file, below a size cap, UTF-8 without a byte-order mark.

One home for the rules every input file (a scenario, ``routes.toml``, a GeoJSON or CSV
file of the geodata) is read by, so that no file can make the program read for ever
(``/dev/zero``, a named pipe) or run out of memory, and every problem is one line naming
the file and the fix.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from corridor._errors import CorridorError

__all__ = ["MAX_GEODATA_BYTES", "MAX_SCENARIO_BYTES", "read_text"]

#: Largest scenario file read (a scenario is a few kB; 1 MiB leaves room for long demand lists).
MAX_SCENARIO_BYTES = 1 << 20
#: Largest geodata file read (the bundled links.geojson is about 0.1 MB).
MAX_GEODATA_BYTES = 256 << 20


def read_text(path: Path, *, limit: int, error: type[CorridorError], what: str = "a file") -> str:
    """The text of a regular file of at most ``limit`` bytes, decoded as UTF-8.

    Parameters
    ----------
    path
        The file.
    limit
        The most bytes read; a larger file is refused before it is read.
    error
        The error class to raise (``ScenarioError``, ``NetworkError``).
    what
        What the file should be, for the fix (``"a scenario .toml file"``).

    Raises
    ------
    CorridorError
        Of class ``error``, naming the file: missing, not a regular file (a folder, a
        device, a pipe), too large, unreadable, not UTF-8, or starting with a byte-order mark.
    """
    name = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a pipe must not block the open
    except FileNotFoundError:
        raise error("no such file; check the path", file=name) from None
    except OSError as exc:
        raise error(f"cannot read ({exc.strerror}); check the path and its permissions", file=name) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise error(f"is a folder; give {what}", file=name)
        if not stat.S_ISREG(info.st_mode):
            raise error(f"is not a regular file (a device or a pipe); give {what}", file=name)
        if info.st_size > limit:
            raise error(f"is {info.st_size:,} bytes, more than the {limit:,} read; give a smaller file", file=name)
        with os.fdopen(os.dup(fd), "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise error(f"cannot read ({exc.strerror}); check the file", file=name) from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise error(f"is more than the {limit:,} bytes read; give a smaller file", file=name)
    if data.startswith(b"\xef\xbb\xbf"):
        raise error("starts with a byte-order mark; save it as UTF-8 without BOM", file=name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"not UTF-8 text (byte {exc.start}); save the file as UTF-8", file=name) from None
