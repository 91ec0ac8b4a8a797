"""Section results cached by content, shared by the report runner and the notebooks.

The runner computes each section's results once (for ``summary.json``); the
section's notebook, run in its own kernel, then loads them instead of
computing them again, and an unchanged rerun loads them too. The key is a
SHA-256 over everything a result can depend on: the validated configuration
(overrides included), the arguments of the call, every file under
``config/``, every configured input file or folder, and the package's own
source and data files. Change any of them and the result is computed afresh.

Results are pickled under ``.cache/results/`` in the project root: a cache
the workbench writes and reads itself, never an input, never published.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from .. import paths
from ..config import ReportConfig

F = TypeVar("F", bound=Callable[..., Any])

#: Set to "0" to compute every result afresh (e.g. when profiling).
CACHE_ENV = "OUTCOMES_RESULT_CACHE"


def _hash_files(digest: "hashlib._Hash", files: Iterable[Path], root: Path) -> None:
    for file in sorted(files):
        if file.is_file():
            digest.update(str(file.relative_to(root) if file.is_relative_to(root) else file).encode())
            digest.update(hashlib.sha256(file.read_bytes()).digest())


@functools.lru_cache(maxsize=1)
def _package_fingerprint() -> str:
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    _hash_files(digest, (p for p in package.rglob("*") if p.suffix in (".py", ".yml", ".csv", ".html", ".css")), package)
    return digest.hexdigest()


def _input_paths(cfg: ReportConfig) -> list[Path]:
    named = [cfg.inputs.followup, cfg.inputs.costs, cfg.inputs.indicators, cfg.inputs.profile, cfg.inputs.survey,
             cfg.baseline.national if cfg.baseline else None]
    out = []
    for item in named:
        if item:
            path = cfg.path(item)
            out.extend(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else out.append(path)
    # Last year's bundle: the disclosure protection takes what it published into account.
    before = paths.reports_dir() / cfg.programme.slug / str(cfg.report_year - 1)
    out.extend(p for p in (before / "summary.json", before / "downloads" / "followup_rates.csv") if p.is_file())
    out.extend(sorted(before.glob("*.html")) if before.is_dir() else [])
    return out


def fingerprint(cfg: ReportConfig, section: str, arguments: dict[str, Any]) -> str:
    """The cache key of one section result for ``cfg`` and the call's ``arguments``."""
    root = paths.project_root()
    digest = hashlib.sha256()
    digest.update(json.dumps({"section": section, "config": cfg.to_json_dict(), "arguments": arguments},
                             sort_keys=True, default=str).encode())
    digest.update(_package_fingerprint().encode())
    _hash_files(digest, (p for p in paths.config_dir(root).rglob("*") if p.is_file()), root)
    _hash_files(digest, _input_paths(cfg), root)
    return digest.hexdigest()


def cache_dir(root: Path | None = None) -> Path:
    """``.cache/results`` under the project root."""
    return (root or paths.project_root()) / ".cache" / "results"


def cached_section(section: str, ignore: tuple[str, ...] = ()) -> Callable[[F], F]:
    """Decorate ``section_results(cfg, ...)`` so equal calls share one computed result.

    Parameters
    ----------
    section
        Name used in the cache file name.
    ignore
        Parameters that do not change the result (e.g. already-loaded inputs
        passed to save a read) and are left out of the key.
    """

    def decorate(func: F) -> F:
        signature = inspect.signature(func)

        @functools.wraps(func)
        def wrapper(cfg: ReportConfig, *args: Any, **kwargs: Any) -> Any:
            if os.environ.get(CACHE_ENV) == "0":
                return func(cfg, *args, **kwargs)
            bound = signature.bind(cfg, *args, **kwargs)
            bound.apply_defaults()
            arguments = {k: v for k, v in bound.arguments.items() if k != "cfg" and k not in ignore}
            key = fingerprint(cfg, section, arguments)
            folder = cache_dir()
            file = folder / f"{section}-{key[:32]}.pkl"
            if file.is_file():
                try:
                    with open(file, "rb") as handle:
                        return pickle.load(handle)
                except Exception:  # a damaged or outdated cache file is recomputed, never trusted
                    file.unlink(missing_ok=True)
            result = func(cfg, *args, **kwargs)
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{section}-", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    pickle.dump(result, handle, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, file)
            except Exception:
                Path(tmp).unlink(missing_ok=True)  # caching is an optimisation: never fail the run for it
            return result

        return wrapper  # type: ignore[return-value]

    return decorate
