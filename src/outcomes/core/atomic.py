"""Files and folders that appear whole or not at all.

A file is written to a temporary file beside it and renamed over the target
(:func:`write_atomic`, :func:`write_text_atomic`, :func:`write_bytes_atomic`):
a reader sees the old content or the new, never half of it, and a run stopped
while writing leaves the old file (and no temporary one, unless the process is
killed outright). A folder built beside its target is put in its place by
:func:`publish_dir`, the old one kept aside until the new one is there.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def write_atomic(path: Path, write: Callable[[BinaryIO], object], *, prefix: str | None = None) -> None:
    """Write ``path`` through ``write``, which gets a binary file to write into; the target is replaced whole.

    Parameters
    ----------
    path
        The target file; its folder is created when missing.
    write
        Writes the content, e.g. ``lambda handle: pickle.dump(result, handle)``.
    prefix
        Start of the temporary file's name (default ``.<name>.``); it ends in ``.tmp``.

    Raises
    ------
    Exception
        Whatever ``write`` or the file system raises; the temporary file is
        removed and the target left as it was.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        dir=path.parent, prefix=prefix if prefix is not None else f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename (see :func:`write_atomic`)."""
    write_atomic(path, lambda handle: handle.write(data))


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` through a temporary file and a rename; line ends are kept as given."""
    write_bytes_atomic(path, text.encode("utf-8"))


def aside_name(target: Path, pid: int | None = None) -> Path:
    """Where :func:`publish_dir` keeps the old ``target`` while the new one moves in: ``.<name>.old-<pid>``."""
    return target.parent / f".{target.name}.old-{os.getpid() if pid is None else pid}"


def publish_dir(build: Path, target: Path) -> None:
    """Move the finished folder ``build`` to ``target``, keeping the old ``target`` until the last moment.

    The old folder is renamed aside (:func:`aside_name`), the new one renamed
    into place, and only then is the old one removed; if the second rename
    fails, the old folder is put back. ``build`` must lie on the same file
    system as ``target`` (beside it), so both renames are atomic. A run killed
    between the renames leaves the old folder aside, named with the run's
    process id, for the next run to put back.
    """
    old = aside_name(target)
    if target.exists():
        os.replace(target, old)
    try:
        os.replace(build, target)
    except BaseException:
        if old.exists() and not target.exists():
            os.replace(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)
