"""Where the project's folders are, independent of the working directory.

The project root is the folder holding ``pyproject.toml`` and ``config/``. It is
found from the environment variable ``OUTCOMES_ROOT`` if set, else by walking up
from the current directory, else by walking up from this file (which works for
the editable install the Makefile makes).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path


def _looks_like_root(folder: Path) -> bool:
    return (folder / "pyproject.toml").is_file() and (folder / "config").is_dir()


@cache
def _find_root(start: str, env_root: str | None) -> Path:
    if env_root:
        return Path(env_root).resolve()
    for base in (Path(start), Path(__file__).resolve().parent):
        for folder in (base, *base.parents):
            if _looks_like_root(folder):
                return folder
    raise FileNotFoundError(
        "Could not find the project root (a folder with pyproject.toml and config/). "
        "Run from inside the project or set OUTCOMES_ROOT."
    )


def project_root() -> Path:
    """The project root folder (absolute)."""
    return _find_root(str(Path.cwd().resolve()), os.environ.get("OUTCOMES_ROOT"))


def resolve(path: str | Path, root: Path | None = None) -> Path:
    """Resolve ``path`` against the project root unless it is absolute."""
    path = Path(path)
    if path.is_absolute():
        return path
    return (root or project_root()) / path


def relative_to_root(path: Path, root: Path | None = None) -> str:
    """``path`` as a POSIX string relative to the root when it lies inside it."""
    root = root or project_root()
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def raw_dir(root: Path | None = None) -> Path:
    """``data/raw``: inputs, never written by code."""
    return (root or project_root()) / "data" / "raw"


def processed_dir(root: Path | None = None) -> Path:
    """``data/processed``: derived tables, rejects and caches."""
    return (root or project_root()) / "data" / "processed"


def reports_dir(root: Path | None = None) -> Path:
    """``reports``: rendered report bundles."""
    return (root or project_root()) / "reports"


def bundle_dir(programme: str, year: int, root: Path | None = None) -> Path:
    """``reports/<programme>/<year>``: one year's report bundle of a programme (it may not exist)."""
    return reports_dir(root) / programme / str(year)


def config_dir(root: Path | None = None) -> Path:
    """``config``: the run configuration, status map, catalogues and registries."""
    return (root or project_root()) / "config"
