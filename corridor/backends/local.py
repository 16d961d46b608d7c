"""Run replications on local worker processes that claim them one at a time.

This process and ``workers - 1`` others take the next unclaimed replication from a
shared counter until none is left, so a process that is slowed down (another program
on its core, longer replications) simply runs fewer of them and the last one to finish
waits at most about one replication for the others. The plan reaches the workers once,
when they start.

A worker sends each replication's buffers as soon as it is done if they fit in the free
space of its pipe, which is widened to 1 MiB where the platform allows (Linux), so that
write never waits; this process takes them in between its own replications, and little
is left to receive at the end. Whatever did not fit (everything, where the pipe cannot
be widened) goes in one last message once no replication is left.

Workers are forked on Linux (they start at once, with the plan and every module already
in memory), unless this process runs other threads (a Dask client, say), which a forked
child could find holding a lock (``distributed`` keeps one running once used): then, and
on other platforms, they start from a fresh interpreter (``forkserver``, whose server
imports the engine once, or ``spawn``) and receive the plan pickled.

Workers die with their parent: each ignores Ctrl-C (the parent stops them, the terminal
sends it to all), takes SIGTERM with its default action, closes the pipe ends it
inherited from the parent (so a parent that dies is seen as the end of the pipe), and on
Linux asks for SIGKILL when its parent dies (``PR_SET_PDEATHSIG``), the second line of
defence should the parent be killed outright.

Which process ran a replication does not change it: replication ``i`` always runs from
``seeds[i]`` and the buffers are returned in replication order. A study passes one plan
per replication (its variants' plans, each repeated for its replications): the workers
then claim from all of them at once.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Mapping, Sequence
from multiprocessing.connection import Connection, wait
from multiprocessing.reduction import ForkingPickler
from typing import Any

import numpy as np

from corridor._errors import CorridorError
from corridor._signals import held, release_in_child
from corridor.engine.replication import ReplicationBuffers, run_replication
from corridor.plan import SimPlan

__all__ = ["run_local", "tasks_plans"]

#: Seconds between progress updates (and checks that the workers are alive) while waiting.
_POLL_S = 0.1
#: Pipe size asked for (Linux's default ceiling, /proc/sys/fs/pipe-max-size, for any user).
_PIPE_BYTES = 1 << 20
#: Seconds a worker gets to end after SIGTERM before it is killed.
_STOP_S = 2.0
#: ``prctl`` option: the signal a process gets when its parent dies (linux/prctl.h).
_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int, inherited: Sequence[int]) -> None:
    """In a worker: end when the parent does, and hold no pipe end of the parent's.

    ``parent`` is the parent's process id where the worker was forked from it (else 0).

    Ctrl-C is ignored (the parent stops its workers), SIGTERM ends the worker at once,
    ``inherited`` file descriptors (the parent's ends of the pipes, forked along) are
    closed, and on Linux the kernel sends SIGKILL if the parent dies.
    """
    for fd in inherited:
        with contextlib.suppress(OSError):
            os.close(fd)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    if parent and os.getppid() != parent:  # forked, and the parent died before the request took effect
        os._exit(1)
    release_in_child()


def _widen(conn: Connection) -> int:
    """Widen the pipe behind ``conn`` to :data:`_PIPE_BYTES`; its size in bytes, 0 if unknown."""
    try:
        import fcntl

        return int(fcntl.fcntl(conn.fileno(), fcntl.F_SETPIPE_SZ, _PIPE_BYTES))
    except (ImportError, AttributeError, OSError):
        return 0


def _queued(conn: Connection) -> int | None:
    """Bytes waiting in the pipe behind ``conn`` (None if the platform cannot tell)."""
    try:
        import fcntl
        import termios

        return int.from_bytes(fcntl.ioctl(conn.fileno(), termios.FIONREAD, b"\0\0\0\0"), sys.byteorder)
    except (ImportError, OSError):
        return None


def _context() -> Any:
    """The multiprocessing context the workers start from (see the module docstring)."""
    methods = multiprocessing.get_all_start_methods()
    linux = sys.platform.startswith("linux")  # macOS has fork too, but not safe with its system libraries
    if threading.active_count() > 1:
        if "forkserver" not in methods:
            return multiprocessing.get_context("spawn")
        ctx = multiprocessing.get_context("forkserver")
        # the server imports the engine once; each worker forks from it ready to run
        ctx.set_forkserver_preload(["corridor.backends.local"])
        return ctx
    return multiprocessing.get_context("fork" if linux else None)


def tasks_plans(plan: SimPlan | Sequence[SimPlan], n: int) -> Sequence[SimPlan]:
    """One plan per replication: ``plan`` repeated ``n`` times, or ``plan`` itself if it is a sequence of ``n``."""
    if isinstance(plan, SimPlan):
        return [plan] * n
    if len(plan) != n:
        raise ValueError(f"{len(plan)} plans for {n} replications; give one plan per replication")
    return plan


def _claim(counter: Any, n: int) -> int:
    """The next unclaimed replication (``n`` once all are claimed)."""
    with counter.get_lock():
        i = int(counter.value)
        if i < n:
            counter.value = i + 1
    return i


def _worker(
    plans: Sequence[SimPlan],
    seeds: Sequence[np.random.SeedSequence],
    counter: Any,
    done: Any,
    conn: Connection,
    pipe_bytes: int,
    parent: int,
    inherited: tuple[int, ...] = (),
) -> None:
    """Worker process: run claimed replications and send their buffers back.

    Messages: ``("part", {index: buffers})`` for a replication whose buffers fit in the
    free space of the pipe (``pipe_bytes`` in all; 0: never), ``("end", {index: buffers})``
    with the rest once no replication is left, or ``("error", exception)`` (its text if
    it does not pickle).
    """
    _die_with_parent(parent, inherited)
    rest: dict[int, ReplicationBuffers] = {}
    try:
        while (i := _claim(counter, len(seeds))) < len(seeds):
            buf = run_replication(plans[i], seeds[i])
            with done.get_lock():
                done.value += 1
            if pipe_bytes:
                message = ForkingPickler.dumps(("part", {i: buf}))  # what conn.send would write
                queued = _queued(conn)
                if queued is not None and queued + len(message) + 64 <= pipe_bytes:
                    conn.send_bytes(message)  # fits: returns at once
                    continue
            rest[i] = buf
        conn.send(("end", rest))
    except BaseException as exc:  # reported to the parent, which raises it
        exc.add_note(f"in worker process:\n{traceback.format_exc()}")
        try:
            conn.send(("error", exc))
        except Exception:
            conn.send(("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"))
    finally:
        conn.close()


def _receive(conn: Connection, process: Any, into: dict[int, ReplicationBuffers]) -> bool:
    """Take one message of a worker into ``into``; True if it was the worker's last."""
    try:
        kind, payload = conn.recv()
    except EOFError:
        process.join()
        raise CorridorError(
            f"a worker process ended without returning its replications (exit code {process.exitcode}); "
            "if it ran out of memory, run fewer replications or fewer workers"
        ) from None
    if kind == "error":
        if isinstance(payload, BaseException):
            raise payload
        raise CorridorError(f"a worker process failed: {payload}")
    into.update(payload)
    return bool(kind == "end")


def _stop(procs: Sequence[tuple[Any, Connection]]) -> None:
    """Close the pipes and end the workers still running (after an error or an interrupt)."""
    for proc, conn in procs:
        conn.close()
        if proc.is_alive():
            proc.terminate()
    for proc, _ in procs:
        proc.join(_STOP_S)
        if proc.is_alive():
            proc.kill()
            proc.join()


def run_local(
    plan: SimPlan | Sequence[SimPlan],
    seeds: Sequence[np.random.SeedSequence],
    *,
    workers: int,
    progress: Callable[[int], None] | None = None,
    started: Callable[[], None] | None = None,
    between: Callable[[Mapping[int, ReplicationBuffers]], None] | None = None,
) -> list[ReplicationBuffers]:
    """Run every replication on this process and ``workers - 1`` worker processes.

    Parameters
    ----------
    plan
        The prepared scenario, or one plan per replication (a study's variants).
    seeds
        One seed sequence per replication.
    workers
        Processes, this one included (at least 2).
    progress
        Called with the number of replications done so far, as they get done.
    started
        Called once the worker processes have started (a progress bar starts its
        refresh thread there: no thread may be running when the workers are forked).
    between
        Called in this process with the buffers received so far (by replication), after
        each replication it runs and while it waits for the workers: work on the
        replications already done (a study summarises its finished variants there)
        overlaps the workers' replications instead of following them.

    Returns
    -------
    list of ReplicationBuffers
        In replication order.
    """
    n = len(seeds)
    plans = tasks_plans(plan, n)
    ctx = _context()
    counter = ctx.Value("q", 0)
    done = ctx.Value("q", 0)
    procs: list[tuple[Any, Connection]] = []
    forked = ctx.get_start_method() == "fork"
    try:
        for _ in range(workers - 1):
            receiver, sender = ctx.Pipe(duplex=False)
            # a forked worker gets copies of the receiving ends (its own and earlier ones): it closes them
            inherited = tuple(c.fileno() for c in (receiver, *(r for _, r in procs))) if forked else ()
            parent = os.getpid() if forked else 0  # a forkserver's worker is the server's child
            args = (plans, seeds, counter, done, sender, _widen(receiver), parent, inherited)
            proc = ctx.Process(target=_worker, args=args, daemon=True)
            with held():  # an interrupt during fork would be lost in an at-fork hook
                proc.start()
            sender.close()  # the worker holds the only writer: its death reads as end of file
            procs.append((proc, receiver))
        if started is not None:
            started()
        buffers: dict[int, ReplicationBuffers] = {}
        pending = dict(procs)
        while (i := _claim(counter, n)) < n:
            buffers[i] = run_replication(plans[i], seeds[i])
            with done.get_lock():
                done.value += 1
            if progress is not None:
                progress(int(done.value))
            for proc, conn in list(pending.items()):  # take what the workers sent meanwhile
                while proc in pending and conn.poll():
                    if _receive(conn, proc, buffers):
                        del pending[proc]
            if between is not None:
                between(buffers)
        while pending:
            ready = wait(list(pending.values()), timeout=_POLL_S)
            if progress is not None:
                progress(int(done.value))
            for proc, conn in list(pending.items()):
                if conn in ready and _receive(conn, proc, buffers):
                    del pending[proc]
            if between is not None and ready:
                between(buffers)
        for proc, _ in procs:
            proc.join()
    finally:
        _stop(procs)
    if progress is not None:
        progress(n)
    return [buffers[i] for i in range(n)]
