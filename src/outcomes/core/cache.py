"""Section results cached by content, shared by the report runner and the notebooks.

The runner computes each section's results once (for ``summary.json``); the
section's notebook, run in its own kernel, then loads them instead of
computing them again, and an unchanged rerun loads them too. The key is a
SHA-256 over everything a result can depend on: the validated configuration
(overrides included), the arguments of the call, the package's version and its
own source and data files (contracts, price tables, municipality codes), the
versions of Python and of the libraries that compute, and the bytes of every
file a result is made from, wherever it lies: every file the configuration
names (inputs, status map, assumption registry, indicator catalogue, national
file, and any other path it holds), every file under ``config/``, and last
year's bundle. Change any of them and the result is computed afresh, so an
edited file that is now invalid stops the run with its own error instead of a
cached answer.

A result is stored only when it cannot be stale: the files hash the same after
the computation as before it, and every input hash the result records (what
its intake read and parsed) is the hash of that file now. A file that changed
while it was read is therefore never cached under the other content's key.

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
import platform
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

from outcomes import __version__
from outcomes.core import paths
from outcomes.core.atomic import write_atomic
from outcomes.core.config import ReportConfig

try:
    import fcntl
except ImportError:  # Windows: processes computing the same result do not wait for each other
    fcntl = None  # type: ignore[assignment]

F = TypeVar("F", bound=Callable[..., Any])

#: Set to "0" to compute every result afresh (e.g. when profiling).
CACHE_ENV = "OUTCOMES_RESULT_CACHE"

#: Libraries whose version can change a computed figure (their versions are part of the key).
_LIBRARIES = ("pandas", "numpy", "highspy", "pydantic", "pyyaml", "openpyxl")

#: A file named by the configuration that is not there (its error comes when the result is computed).
_MISSING = "missing"


def _file_sha256(file: Path) -> str:
    """SHA-256 of a file's bytes, or :data:`_MISSING` when it cannot be read."""
    try:
        return hashlib.sha256(file.read_bytes()).hexdigest()
    except OSError:
        return _MISSING


def _shown(file: Path, root: Path) -> str:
    return file.relative_to(root).as_posix() if file.is_relative_to(root) else str(file)


@functools.lru_cache(maxsize=1)
def _package_fingerprint() -> str:
    """The package's version, every file it ships (code, contracts, price tables, ...) and the versions it runs on."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    versions = {"outcomes": __version__, "python": platform.python_version()}
    for library in _LIBRARIES:
        try:
            versions[library] = metadata.version(library)
        except metadata.PackageNotFoundError:
            versions[library] = _MISSING
    digest.update(json.dumps(versions, sort_keys=True).encode())
    files = (p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")
    for file in sorted(files):
        digest.update(_shown(file, package).encode() + b"\0" + _file_sha256(file).encode())
    return digest.hexdigest()


def _strings(value: Any) -> Iterator[str]:
    """Every string in a JSON-like value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _named_paths(cfg: ReportConfig) -> list[Path]:
    """Every file or folder the configuration names, wherever it lies.

    The known ones are listed (a missing one still counts, as missing); any
    other value of the configuration that names an existing file (a future
    price table, say) is added too, so no file a result is made from is left
    out of the key because it lies outside ``config/``.
    """
    # Every input file (a sheet name is not a file), then the other files the configuration names.
    named = [value for key, value in cfg.inputs if isinstance(value, str) and not key.endswith("_sheet")]
    named.append(cfg.status_map)
    if cfg.baseline is not None:
        named += [item for item in (cfg.baseline.catalogue, cfg.baseline.national) if item]
    if cfg.costbenefit is not None:
        named.append(cfg.costbenefit.assumptions)
    out = [cfg.path(item) for item in named if item]
    for value in _strings(cfg.to_json_dict()):
        if value.strip() and ("/" in value or "\\" in value or "." in value):
            try:
                path = cfg.path(value)
                if path.is_file():
                    out.append(path)
            except (OSError, ValueError):  # not a path at all
                continue
    return out


def _input_paths(cfg: ReportConfig) -> list[Path]:
    """Every file a section result can be made from (folders expanded), without repeats, sorted."""
    root = paths.project_root()
    out: set[Path] = set()
    for path in [paths.config_dir(root), *_named_paths(cfg)]:
        if path.is_dir():
            out.update(p for p in path.rglob("*") if p.is_file())
        else:
            out.add(path)
    # Last year's bundle: the disclosure protection takes what it published into account.
    before = paths.bundle_dir(cfg.programme.slug, cfg.report_year - 1)
    out.update(p for p in (before / "summary.json", before / "downloads" / "followup_rates.csv") if p.is_file())
    out.update(before.glob("*.html") if before.is_dir() else [])
    return sorted(out)


def input_digests(cfg: ReportConfig) -> dict[str, str]:
    """``{file: SHA-256}`` of every file a section result can be made from (see :func:`_input_paths`).

    Files are named relative to the project root when inside it; a named file
    that is missing or unreadable has the value ``"missing"``.
    """
    root = paths.project_root()
    return {_shown(file, root): _file_sha256(file) for file in _input_paths(cfg)}


def _key(section: str, cfg: ReportConfig, arguments: dict[str, Any], digests: dict[str, str]) -> str:
    digest = hashlib.sha256()
    digest.update(
        json.dumps(
            {"section": section, "config": cfg.to_json_dict(), "arguments": arguments, "files": digests},
            sort_keys=True,
            default=str,
        ).encode()
    )
    digest.update(_package_fingerprint().encode())
    return digest.hexdigest()


def fingerprint(cfg: ReportConfig, section: str, arguments: dict[str, Any]) -> str:
    """The cache key of one section result for ``cfg`` and the call's ``arguments``."""
    return _key(section, cfg, arguments, input_digests(cfg))


def _recorded_inputs(result: Any) -> list[tuple[str, str]]:
    """``(file, SHA-256)`` of every input a result says it was made from.

    Found among the result's attributes: input summaries (anything with
    ``file`` and ``sha256``), dicts with those keys, lists of either, and pairs
    of attributes ``<name>_file`` and ``<name>_sha256``.
    """
    fields = vars(result) if hasattr(result, "__dict__") else {}
    found: list[tuple[str, str]] = []

    def add(item: Any) -> None:
        if isinstance(item, dict):
            file, sha = item.get("file"), item.get("sha256")
        else:
            file, sha = getattr(item, "file", None), getattr(item, "sha256", None)
        if isinstance(file, str) and isinstance(sha, str):
            found.append((file, sha))

    for name, value in fields.items():
        for item in value if isinstance(value, (list, tuple)) else [value]:
            add(item)
        if name.endswith("_sha256") and isinstance(value, str) and isinstance(fields.get(name[:-7] + "_file"), str):
            found.append((fields[name[:-7] + "_file"], value))
    return found


def _still_true(result: Any, digests: dict[str, str]) -> bool:
    """Whether every input hash ``result`` records is the hash of that file as it is now."""
    for file, sha in _recorded_inputs(result):
        now = digests.get(file)
        if now is None:
            now = _file_sha256(paths.resolve(file))
        if now != sha:
            return False
    return True


def cache_dir(root: Path | None = None) -> Path:
    """``.cache/results`` under the project root."""
    return (root or paths.project_root()) / ".cache" / "results"


_MISS = object()


def _load(file: Path) -> Any:
    """The result stored in ``file``, or :data:`_MISS` when there is none (a damaged file is removed)."""
    if not file.is_file():
        return _MISS
    try:
        with open(file, "rb") as handle:
            return pickle.load(handle)
    except Exception:  # a damaged or outdated cache file is recomputed, never trusted
        file.unlink(missing_ok=True)
        return _MISS


@contextmanager
def _computing(file: Path) -> Iterator[None]:
    """Hold the lock of one result while it is computed; wait while another process holds it.

    ``fcntl.flock`` on ``<result>.lock``: the operating system releases it when the holder ends,
    however it ends, so a stopped computation never leaves the others waiting. A folder or lock
    that cannot be made only means no waiting (caching is an optimisation).
    """
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(file.with_suffix(".lock"), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        fd = -1
    try:
        if fd >= 0 and fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        if fd >= 0:
            os.close(fd)  # releases the lock


class NotCached(Exception):
    """A section result asked for in a :func:`stored_only` block is not in the cache."""


_STORED_ONLY: ContextVar[bool] = ContextVar("_STORED_ONLY", default=False)


@contextmanager
def stored_only() -> Iterator[None]:
    """In the block, section results are loaded when the cache holds them; one it does not raises :class:`NotCached`.

    Nothing is computed in the block. The report runner asks this way whether
    a run has every result already (an unchanged rerun), to know how many
    kernels to start.
    """
    token = _STORED_ONLY.set(True)
    try:
        yield
    finally:
        _STORED_ONLY.reset(token)


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
                if _STORED_ONLY.get():
                    raise NotCached(section)
                return func(cfg, *args, **kwargs)
            bound = signature.bind(cfg, *args, **kwargs)
            bound.apply_defaults()
            arguments = {k: v for k, v in bound.arguments.items() if k != "cfg" and k not in ignore}
            digests = input_digests(cfg)
            key = _key(section, cfg, arguments, digests)
            folder = cache_dir()
            file = folder / f"{section}-{key[:32]}.pkl"
            cached = _load(file)
            if cached is not _MISS:
                return cached
            if _STORED_ONLY.get():
                raise NotCached(section)
            # The report's notebooks ask for the results the runner is computing at the same time:
            # wait for the process computing this one and load what it stored, instead of computing it twice.
            with _computing(file):
                cached = _load(file)
                if cached is not _MISS:
                    return cached
                result = func(cfg, *args, **kwargs)
                after = input_digests(cfg)
                if after != digests or not _still_true(result, after):
                    # A file changed while the result was computed (or the caller passed inputs
                    # read from other content): right for this run, but under no key it could be trusted for.
                    return result
                try:
                    write_atomic(
                        file, lambda h: pickle.dump(result, h, protocol=pickle.HIGHEST_PROTOCOL), prefix=f".{section}-"
                    )
                except Exception:
                    pass  # caching is an optimisation: never fail the run for it
            return result

        return wrapper  # type: ignore[return-value]

    return decorate
