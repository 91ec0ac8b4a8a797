"""Publishing a bundle safely: one run per bundle at a time, and all or nothing.

A run holds the lock of its output folder (:func:`bundle_lock`) from before it
reads its inputs until it has published; it builds into a hidden folder beside
the target and swaps it into place at the end (:func:`outcomes.core.atomic.publish_dir`). Builds left
by runs that were killed are cleaned up by the next run
(:func:`clean_stale_builds`). SIGTERM and SIGHUP stop a run like Ctrl-C
(:func:`stop_cleanly_on_signals`).
"""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from outcomes.core import paths
from outcomes.core.errors import OutcomesError

try:
    import fcntl
except ImportError:  # Windows: runs are not locked against each other
    fcntl = None  # type: ignore[assignment]


def _run_alive(pid_text: str) -> bool:
    """Whether the run whose process id ends a build folder's name is still running."""
    try:
        pid = int(pid_text)
    except ValueError:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    except OSError:
        return False
    return True


def clean_stale_builds(parent: Path, locked: str | None = None) -> None:
    """Remove builds of interrupted runs, and put back a bundle a run was killed while replacing.

    Build folders (``.<year>.build-<pid>``) and bundles set aside while
    publishing (``.<year>.old-<pid>``) carry the process id of their run. Only
    those of runs that have ended are touched, so a run never removes the
    build of another that is still going (for another year, say) -- except for
    the folder ``locked``, whose lock the caller holds: no other run can be
    writing it, so all its leftovers are stale whatever their number says.
    """
    if not parent.is_dir():
        return
    for stale in parent.glob(".*.build-*"):
        name, _, pid = stale.name[1:].rpartition(".build-")
        if name == locked or not _run_alive(pid):
            shutil.rmtree(stale, ignore_errors=True)
    for old in parent.glob(".*.old-*"):
        name, _, pid = old.name[1:].rpartition(".old-")
        if name != locked and _run_alive(pid):
            continue
        target = parent / name
        if target.exists():
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(old, target)


#: How long a run waits for another run writing the same bundle before it stops (seconds).
LOCK_WAIT_SECONDS = 3.0


class RunInProgressError(OutcomesError):
    """Another run is writing the same bundle (``reports/<programme>/<year>``)."""


@contextmanager
def bundle_lock(target: Path, wait: float = LOCK_WAIT_SECONDS) -> Iterator[Path]:
    """Hold the lock of one bundle folder while the block runs.

    The lock is ``fcntl.flock`` on ``.<year>.lock`` beside the bundle; the
    operating system releases it when the process ends, however it ends, so a
    killed run never leaves a stale lock. The file holds the process id of
    the run holding it, for the message, and is removed when the block ends,
    so a finished run leaves nothing beside its bundle (a run that waited on
    the removed file sees it gone and locks a new one). (Without ``fcntl``, on
    Windows, runs are not locked.)

    Parameters
    ----------
    target
        The bundle folder, ``reports/<programme>/<year>``; its parent is created.
    wait
        Seconds to wait for a run holding the lock before giving up.

    Yields
    ------
    pathlib.Path
        The lock file.

    Raises
    ------
    RunInProgressError
        When another run still holds the lock after ``wait`` seconds (exit 2).
    OSError
        When the folder cannot be created or the lock file not opened.
    """
    lock = target.parent / f".{target.name}.lock"
    target.parent.mkdir(parents=True, exist_ok=True)
    if fcntl is None:
        yield lock
        return
    deadline = time.monotonic() + wait
    fd = _locked(lock, target, deadline)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield lock
    finally:
        lock.unlink(missing_ok=True)  # still held: no other run can hold this file now
        os.close(fd)  # releases the lock


def _locked(lock: Path, target: Path, deadline: float) -> int:
    """An open descriptor of ``lock`` holding its ``flock``, the file still at that path; waits until ``deadline``."""
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _wait_for_lock(fd, target, deadline)
            if _still_at(lock, fd):
                return fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # the run that held it removed the file: lock the one at the path now


def _wait_for_lock(fd: int, target: Path, deadline: float) -> None:
    """Take the ``flock`` of ``fd``, trying until ``deadline``; then stop with :class:`RunInProgressError`."""
    assert fcntl is not None
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
                by = f" (process {holder})" if holder.isdigit() else ""
                raise RunInProgressError(
                    f"another run{by} is writing {paths.relative_to_root(target)}; try again when it has finished",
                    hint="This run changed nothing.",
                ) from None
            time.sleep(0.1)


def _still_at(path: Path, fd: int) -> bool:
    """Whether ``fd`` is the file at ``path`` (not one removed from it since it was opened)."""
    try:
        return os.stat(path).st_ino == os.fstat(fd).st_ino
    except FileNotFoundError:
        return False


class RunInterrupted(KeyboardInterrupt):
    """The run was stopped by a signal (SIGTERM, SIGHUP); like Ctrl-C, it unwinds and cleans up.

    A ``KeyboardInterrupt`` so that no ``except Exception`` on the way swallows it.

    Parameters
    ----------
    signum
        The signal received.
    """

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(f"interrupted ({signal.Signals(signum).name})")


#: Signals that stop a run cleanly (SIGINT already raises KeyboardInterrupt).
_STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


@contextmanager
def stop_cleanly_on_signals() -> Iterator[None]:
    """While the block runs, SIGTERM and SIGHUP raise :class:`RunInterrupted` in the main thread.

    Without it the process ends on the spot: the build folder stays behind
    and the user reads nothing. A signal with a handler of its own, or
    ignored (``nohup``), is left alone; outside the main thread (where Python
    cannot install handlers) the block runs unchanged.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise RunInterrupted(signum)

    # Only signals left at their default (ending the process): one ignored on purpose (nohup) stays ignored.
    previous = {s: signal.signal(s, stop) for s in _STOP_SIGNALS if signal.getsignal(s) is signal.SIG_DFL}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
