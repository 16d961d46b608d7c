"""Write a run's outputs as one transaction: a whole folder, or one file, or nothing.

``corridor run --out DIR`` (and ``compare`` and ``trip``) writes everything of one run
(the tables in every format, :mod:`corridor.outputs.export`, and the charts) into a
fresh temporary sibling of ``DIR`` (``.DIR.<random>.tmp``), made *before* the simulation
starts, so a place that cannot be written is reported at once. Only once every file is
written is the temporary folder swapped into place, under a lock on the parent folder,
so that runs into the same folder never interleave: each one swaps in a complete folder,
the last to finish wins. On an error or an interrupt (Ctrl-C; SIGTERM too, which the
command line turns into an exit) the temporary folder is removed. Single files (``report
--out``, ``map --out``, ``compare --plot``) go the same way, through a temporary sibling
file.

An existing folder is replaced only if it is empty or a run wrote it (it holds
:data:`MARKER`, which lists the run's files); a folder holding anything else is refused
before the simulation starts, so nothing of the user's is ever deleted.

An ``OSError`` while writing becomes an :class:`~corridor._errors.OutputError` naming the
path: exit status 2 where the place is the problem (a file in the way, no permission, a
read-only file system), 1 where it is not the input's fault (a full disk, an I/O error).
"""

from __future__ import annotations

import contextlib
import errno
import glob
import json
import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

from corridor._errors import OutputError
from corridor._signals import held

__all__ = ["MARKER", "output_file", "output_folder", "writing"]

#: The file a run leaves in its output folder: the list of the run's files (JSON).
MARKER = ".corridor-run.json"
#: Errors that are not the input's fault (exit status 1).
_FAULTS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.ENOMEM})


def _output_error(exc: OSError, path: Path, field: str) -> OutputError:
    """Turn an OSError about ``path`` into one line naming it, the option and the fix."""
    reason = exc.strerror or str(exc)
    if exc.errno in _FAULTS:
        fix = "free some space or give --out a place on another disk"
        return OutputError(f"cannot write {path} ({reason}); {fix}", field=field, exit_code=1)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        fix = "give a place you can write to"
    elif exc.errno in (errno.ENOTDIR, errno.EEXIST, errno.EISDIR):
        fix = "a file or folder is in the way; give another path"
    else:
        fix = "give another path"
    return OutputError(f"cannot write {path} ({reason}); {fix}", field=field)


@contextlib.contextmanager
def writing(path: Path, *, field: str = "--out") -> Iterator[None]:
    """Turn an ``OSError`` raised in the block into an :class:`OutputError` about ``path``."""
    try:
        yield
    except OSError as exc:
        if isinstance(exc, OutputError):
            raise
        raise _output_error(exc, path, field) from exc


def _temp_name(path: Path, suffix: str) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}{suffix}")


def _remove_stale(path: Path) -> None:
    """Remove temporary siblings of ``path`` left by runs that were killed outright (SIGKILL)."""
    for entry in path.parent.glob(f".{glob.escape(path.name)}.*-*.*"):
        pid = entry.name[len(path.name) + 2 :].split("-", 1)[0]
        if entry.suffix not in (".tmp", ".old") or not pid.isdigit() or _alive(int(pid)):
            continue
        shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process
        return True
    return True


def _foreign(folder: Path) -> list[str]:
    """The entries of an existing folder that no run wrote (empty if it may be replaced)."""
    entries = sorted(p.name for p in folder.iterdir())
    if not entries:
        return []
    try:
        listed = set(json.loads((folder / MARKER).read_text(encoding="utf-8"))["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return entries
    return [e for e in entries if e not in listed and e != MARKER]


def _check_target(path: Path, field: str) -> None:
    if path.is_symlink():
        raise OutputError(f"{path} is a symbolic link; give the folder it points to", field=field)
    if path.exists() and not path.is_dir():
        raise OutputError(f"{path} exists and is not a folder; give a folder", field=field)
    if path.is_dir():
        foreign = _foreign(path)
        if foreign:
            shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
            raise OutputError(
                f"{path} holds files that corridor did not write ({shown}); give a new or empty folder, "
                "or one a run wrote",
                field=field,
            )


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """An exclusive lock on ``folder`` (flock on the folder itself: no lock file is left)."""
    try:
        import fcntl
    except ImportError:  # Windows: unique names still keep runs apart
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _commit(stage: Path, path: Path, field: str) -> None:
    files = sorted(p.name for p in stage.iterdir())
    (stage / MARKER).write_text(json.dumps({"files": files}, indent=1) + "\n", encoding="utf-8")
    with held(), _locked(path.parent):
        _check_target(path, field)  # another run may have made it meanwhile
        if not path.exists():
            os.replace(stage, path)
            return
        old = _temp_name(path, ".old")
        os.replace(path, old)
        try:
            os.replace(stage, path)
        except OSError:
            os.replace(old, path)
            raise
        shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def output_folder(path: str | Path, *, field: str = "--out") -> Iterator[Path]:
    """A temporary folder to write a run's outputs into, swapped into place at the end.

    Made (and so checked writable) on entering the block; on leaving it normally, the
    folder replaces ``path``; on an error or interrupt it is removed and ``path`` is
    left as it was.

    Parameters
    ----------
    path
        The output folder. If it exists, it must be empty or written by a run.
    field
        The option or argument that named it, for messages.

    Yields
    ------
    Path
        The temporary folder to write into.

    Raises
    ------
    OutputError
        If ``path`` is a file, holds other files, or cannot be written.
    """
    target = Path(path).absolute()
    with writing(target, field=field):
        _check_target(target, field)
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(target)
        stage = _temp_name(target, ".tmp")
        stage.mkdir()
    try:
        yield stage
        with writing(target, field=field):
            _commit(stage, target, field)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


@contextlib.contextmanager
def output_file(path: str | Path, *, field: str) -> Iterator[Path]:
    """A temporary file beside ``path`` to write into, renamed to ``path`` at the end.

    Made on entering the block (so a place that cannot be written is reported before
    any work); removed on an error or interrupt.

    Raises
    ------
    OutputError
        If ``path`` is a folder or cannot be written.
    """
    target = Path(path).absolute()
    with writing(target, field=field):
        if target.is_dir():
            raise OutputError(f"{target} is a folder; give a file name", field=field)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = _temp_name(target, ".tmp" + target.suffix)  # keeps the suffix a writer may go by
        tmp.touch()
    try:
        yield tmp
        with writing(target, field=field), held():
            os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
