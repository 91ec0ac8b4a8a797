"""Reading the project's YAML files within limits: no anchors or aliases, bounded size and depth.

Every YAML file the workbench reads (run configuration, status map, assumption
registries, catalogues, data contracts, translations) goes through
:func:`read_yaml` or :func:`load_yaml`. They parse like ``yaml.safe_load``
(plain data only: mappings, lists, strings, numbers, booleans, dates, null)
and refuse what a project file never needs but an attacker or a broken export
tool can use to make a small file huge:

* anchors (``&name``) and aliases (``*name``): a few lines of nested aliases
  (the "billion laughs") expand to billions of values, and everything that
  walks the data afterwards (validation, line-number lookup) follows them;
* files larger than :data:`MAX_BYTES`;
* nesting deeper than :data:`MAX_DEPTH` levels.

A refusal is a :class:`YamlLimitError` (a :class:`~outcomes.core.errors.ConfigError`)
naming the file and the line. Syntax errors stay ``yaml.YAMLError`` so that
each caller keeps its own wording for them.

Texts are parsed by libyaml (PyYAML's C parser, in its wheels; the limits are
checked on its events before anything is composed), with PyYAML's safe
constructor, so the data are what ``yaml.safe_load`` gives: a report run parsed
its YAML files in 0.18 s with PyYAML's Python parser; libyaml takes about 0.03 s.
A text libyaml finds invalid is parsed again by PyYAML's own parser, so errors
are worded as they always were. libyaml is a little more lenient (a tab inside
a plain value, say); a test reads every shipped file both ways.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from outcomes.core.errors import ConfigError

#: Largest YAML file read (bytes). The largest shipped file is a few tens of kB.
MAX_BYTES = 2 * 1024 * 1024
#: Deepest nesting of mappings and lists (the shipped files use fewer than 10 levels).
MAX_DEPTH = 50


class YamlLimitError(ConfigError):
    """A YAML file uses an anchor or alias, or is too large or too deeply nested."""


class _Readable(Protocol):
    """A packaged resource (``importlib.resources`` Traversable): anything with ``read_bytes``."""

    @property
    def name(self) -> str: ...

    def read_bytes(self) -> bytes: ...


class _Position(Protocol):
    """Where PyYAML found something (``yaml.Mark``, in its Python or C version): ``line`` is 0-based."""

    @property
    def line(self) -> int: ...


_ALIAS_HINT = (
    "Write each value out in full; anchors (&name) and aliases (*name) are refused in project files "
    "because a few lines of them can expand to billions of values."
)


#: libyaml's parser and composer when PyYAML was built with them (as its wheels are): ten to thirty times
#: quicker than PyYAML's own, with PyYAML's safe constructor on top, so the same data. A text libyaml
#: finds invalid is parsed again by :class:`_LimitedLoader`, whose messages are PyYAML's own.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_NODE_STARTS = (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)
_COLLECTION_ENDS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _refusal(event: yaml.Event, depth: int, max_depth: int, source: str | None) -> YamlLimitError | None:
    """What a node's event breaks, the node ``depth`` levels deep: an alias, an anchor or the nesting limit."""
    anchor = getattr(event, "anchor", None)
    if isinstance(event, yaml.AliasEvent) or anchor is not None:
        what = "alias *" if isinstance(event, yaml.AliasEvent) else "anchor &"
        message, expected, hint = (
            f"the {what}{anchor} is not allowed",
            "plain YAML without anchors or aliases",
            _ALIAS_HINT,
        )
    elif depth > max_depth:
        message, expected = (
            f"the data are nested more than {max_depth} levels deep",
            f"at most {max_depth} levels of mappings and lists",
        )
        hint = None
    else:
        return None
    mark: _Position | None = event.start_mark
    return YamlLimitError(
        message, file=source, line=mark.line + 1 if mark is not None else None, expected=expected, hint=hint
    )


def _check_events(text: str, source: str | None, max_depth: int) -> None:
    """Refuse an anchor, an alias or nesting deeper than ``max_depth``, found in the parser's events.

    Checked before anything is composed, so an alias is never followed. A
    node's depth is the number of collections around it, plus one.
    """
    depth = 0
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, (yaml.AliasEvent, *_NODE_STARTS)):
            refusal = _refusal(event, depth + 1, max_depth, source)
            if refusal is not None:
                raise refusal
            if not isinstance(event, yaml.ScalarEvent):
                depth += 1
        elif isinstance(event, _COLLECTION_ENDS):
            depth -= 1


class _LimitedLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses anchors and aliases and counts the nesting depth while composing."""

    def __init__(self, stream: str, source: str | None, max_depth: int) -> None:
        super().__init__(stream)
        self._source = source
        self._max_depth = max_depth
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        refusal = _refusal(self.peek_event(), self._depth + 1, self._max_depth, self._source)
        if refusal is not None:
            raise refusal
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _check_size(size: int, source: str | None, max_bytes: int) -> None:
    if size > max_bytes:
        raise YamlLimitError(
            f"the file is {size / 1024 / 1024:.1f} MB, larger than a project YAML file may be",
            file=source,
            expected=f"at most {max_bytes / 1024 / 1024:g} MB",
            hint="Is this the right file? Registries, maps and configurations are small text files.",
        )


def _parse(text: str, source: str | None, max_depth: int, single: bool) -> Any:
    if _LOADER is not yaml.SafeLoader:
        try:
            _check_events(text, source, max_depth)
            return _load(_LOADER(text), single)
        except yaml.YAMLError:
            pass  # not valid to libyaml (or too deep for its own limit): PyYAML's parser says why, as it always did
    return _load(_LimitedLoader(text, source, max_depth), single)


def _load(loader: yaml.SafeLoader, single: bool) -> Any:
    """The loader's one document: its data, or its node tree."""
    try:
        return loader.get_single_data() if single else loader.get_single_node()
    finally:
        loader.dispose()


def load_yaml(
    text: str, *, file: str | os.PathLike[str] | None = None, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH
) -> Any:
    """Parse YAML text like ``yaml.safe_load``, within the project's limits.

    Parameters
    ----------
    text
        The YAML document.
    file
        The file it came from, as messages should name it.
    max_bytes
        Largest accepted size of ``text`` in bytes (UTF-8).
    max_depth
        Deepest accepted nesting of mappings and lists.

    Returns
    -------
    Any
        Plain Python data (``None`` for an empty document).

    Raises
    ------
    YamlLimitError
        On an anchor or alias, more than ``max_bytes`` or more than ``max_depth`` levels;
        the message names the file and line.
    yaml.YAMLError
        When the text is not valid YAML.
    """
    source = str(file) if file is not None else None
    if len(text) > max_bytes // 4:  # only long texts are worth encoding to measure
        _check_size(len(text.encode("utf-8", "surrogatepass")), source, max_bytes)
    return _parse(text, source, max_depth, single=True)


def compose_yaml(
    text: str, *, file: str | os.PathLike[str] | None = None, max_depth: int = MAX_DEPTH
) -> yaml.Node | None:
    """The node tree of a YAML document (``yaml.compose``), within the same limits as :func:`load_yaml`.

    Raises
    ------
    YamlLimitError, yaml.YAMLError
        As :func:`load_yaml`.
    """
    source = str(file) if file is not None else None
    if len(text) > MAX_BYTES // 4:
        _check_size(len(text.encode("utf-8", "surrogatepass")), source, MAX_BYTES)
    return _parse(text, source, max_depth, single=False)


def read_yaml_text(
    path: str | os.PathLike[str] | _Readable, *, shown: str | os.PathLike[str] | None = None, max_bytes: int = MAX_BYTES
) -> str:
    """A YAML file's text (UTF-8), refusing a file larger than ``max_bytes`` before reading it.

    Parameters
    ----------
    path
        A file path, or a packaged resource (anything with ``read_bytes``).
    shown
        How messages name the file (default: the path as given).
    max_bytes
        Largest accepted file size in bytes.

    Raises
    ------
    YamlLimitError
        When the file is too large.
    OSError, UnicodeDecodeError
        When it cannot be read or is not UTF-8 (``FileNotFoundError`` when missing).
    """
    if isinstance(path, (str, os.PathLike)):
        file = Path(path)
        source = str(shown if shown is not None else file)
        _check_size(file.stat().st_size, source, max_bytes)
        data = file.read_bytes()
    else:
        source = str(shown if shown is not None else path.name)
        data = path.read_bytes()
    _check_size(len(data), source, max_bytes)  # it may have grown since stat
    return data.decode("utf-8")


def read_yaml(
    path: str | os.PathLike[str] | _Readable,
    *,
    shown: str | os.PathLike[str] | None = None,
    max_bytes: int = MAX_BYTES,
    max_depth: int = MAX_DEPTH,
) -> Any:
    """Read and parse a YAML file like ``yaml.safe_load(open(path))``, within the project's limits.

    Parameters
    ----------
    path
        A file path, or a packaged resource (anything with ``read_bytes``).
    shown
        How messages name the file, e.g. relative to the project root (default: the path as given).
    max_bytes, max_depth
        See :func:`load_yaml`.

    Returns
    -------
    Any
        Plain Python data (``None`` for an empty file).

    Raises
    ------
    YamlLimitError
        On an anchor or alias, a file larger than ``max_bytes`` or nesting deeper than ``max_depth``.
    yaml.YAMLError
        When the file is not valid YAML.
    OSError, UnicodeDecodeError
        When it cannot be read or is not UTF-8 (``FileNotFoundError`` when missing).
    """
    name = shown if shown is not None else (path if isinstance(path, (str, os.PathLike)) else path.name)
    text = read_yaml_text(path, shown=name, max_bytes=max_bytes)
    return load_yaml(text, file=name, max_bytes=max_bytes, max_depth=max_depth)


ModelT = TypeVar("ModelT", bound=BaseModel)


def load_model(
    source: str | os.PathLike[str] | _Readable,
    model: type[ModelT],
    what: str,
    *,
    shown: str | os.PathLike[str] | None = None,
    text: str | None = None,
    extra: Mapping[str, Any] | None = None,
    hint: str | None = None,
) -> ModelT:
    """Read a YAML file within the project's limits and validate it as ``model``.

    The one way a project file becomes a typed object: every failure is a
    :class:`~outcomes.core.errors.ConfigError` naming the file and, where it
    can be found, the line and the key.

    Parameters
    ----------
    source
        The file: a path or a packaged resource (anything with ``read_bytes``).
    model
        The pydantic model the data must fit.
    what
        The file as a message names it, e.g. ``"the status map"`` or ``"data contract 'costs'"``.
    shown
        How messages name the file (default: the path as given).
    text
        The file's text, when the caller has read it already (``source`` then
        only names it).
    extra
        Keys added to the file's top-level mapping before validation (such as
        where it was read from).
    hint
        What to do when the file is missing.

    Returns
    -------
    ModelT
        The validated model (an empty file is an empty mapping).

    Raises
    ------
    ConfigError
        ``"{what} not found"``; ``"{what} is not valid YAML (...)"`` or not UTF-8,
        with the line; ``"{what} is not valid: key: problem; ..."`` with the line
        and key of the first problem; or a :class:`YamlLimitError`.
    """
    name = str(shown if shown is not None else (source if isinstance(source, (str, os.PathLike)) else source.name))
    if text is None:
        try:
            text = read_yaml_text(source, shown=name)
        except FileNotFoundError:
            raise ConfigError(f"{what} not found", file=name, hint=hint) from None
        except UnicodeDecodeError:
            raise ConfigError(f"{what} is not UTF-8 text", file=name, expected="a YAML file saved as UTF-8") from None
    try:
        data = load_yaml(text, file=name)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(
            f"{what} is not valid YAML ({getattr(exc, 'problem', None) or exc.__class__.__name__})",
            file=name,
            line=mark.line + 1 if mark is not None else None,
        ) from None
    data = {} if data is None else data
    if extra and isinstance(data, dict):
        data = {**data, **extra}
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise _invalid(exc, what, name, text) from None


def _invalid(exc: ValidationError, what: str, file: str, text: str) -> ConfigError:
    """``exc`` as a message: every problem as ``key: what is wrong``, located at the first."""
    errors = exc.errors()
    problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'top level'}: {e['msg']}" for e in errors)
    first = errors[0]["loc"] if errors else ()
    return ConfigError(
        f"{what} is not valid: {problems}",
        file=file,
        line=yaml_line(text, first),
        column=".".join(map(str, first)) or None,
    )


def yaml_line(text: str, location: Sequence[int | str]) -> int | None:
    """The (1-based) line of the value at ``location`` (keys and list positions) in a YAML text.

    Where the path leaves the document (a key that is missing, say), the line
    of the deepest part that exists; ``None`` when the text cannot be parsed.
    """
    try:
        node = compose_yaml(text)
    except (yaml.YAMLError, ConfigError):
        return None
    if node is None:
        return None
    line = node.start_mark.line
    for part in location:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                    line, child = key.start_mark.line, value
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            child = node.value[part]
            line = child.start_mark.line
        if child is None:
            break
        node = child
    return line + 1
