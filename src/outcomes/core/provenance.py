"""What a result was made from: file hashes, configuration, versions, commit.

Every report records these so a reviewer can trace each figure to its inputs.
Nothing here holds a timestamp, so the same inputs give the same record.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from outcomes import __version__
from outcomes.core import paths

# Kept here for the modules that still import it from provenance (demo data); new code uses core.atomic.


def sha256_file(path: str | Path) -> str:
    """SHA-256 of a file's bytes, as hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_bytes(data: bytes) -> str:
    """SHA-256 of bytes already in memory, as hex.

    Inputs are read once and this hash is taken of the very bytes that are then
    parsed, so a file that changes while it is read can never be recorded with
    the hash of other content than its figures came from.
    """
    return hashlib.sha256(data).hexdigest()


@contextmanager
def sha256_alongside(data: bytes) -> Iterator[Callable[[], str]]:
    """:func:`sha256_bytes` of ``data`` taken on a thread of its own while the block runs.

    Yields a function that gives the hash (waiting for it when it is not
    ready). hashlib lets go of the GIL on large data, so a large input is
    hashed while it is parsed. The thread has ended when the block is left.
    """
    with ThreadPoolExecutor(1) as pool:
        digest = pool.submit(sha256_bytes, data)
        yield digest.result


def sha256_text(text: str) -> str:
    """SHA-256 of a text's UTF-8 bytes, as hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def git_commit(root: Path | None = None) -> str | None:
    """The current git commit of the project (with ``-dirty`` if modified), or ``None``."""
    root = root or paths.project_root()
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True, timeout=10
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return commit + ("-dirty" if dirty else "") if commit else None


def package_version() -> str:
    """The installed version of ``outcomes``."""
    return __version__


def dumps_json(data: Any) -> str:
    """Stable, readable JSON (sorted keys, UTF-8 kept, trailing newline)."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"
