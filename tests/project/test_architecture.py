"""The package keeps its shape (issue 14): layers, no import cycles, small modules and functions.

Read statically from the source, so the checks cost nothing at run time and name the file and line.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "src" / "outcomes"
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60
#: A function may be longer when a comment in it says why, starting with these words.
LONG_FUNCTION_NOTE = "# Longer than 60 lines"
#: Each layer and the layers it may import at module level (lazy imports inside functions are not counted).
LAYERS = {
    "core": {"core"},
    "inputs": {"core", "inputs", "registries"},
    "registries": {"core", "registries"},
    "render": {"core", "render", "registries", "inputs"},
    "sdc": {"core", "sdc", "registries", "analyses"},
    "analyses": {"core", "inputs", "registries", "render", "sdc", "analyses"},
    "demo": {"core", "inputs", "registries", "analyses", "demo"},
    "report": {"core", "inputs", "registries", "render", "analyses", "sdc", "report", "sections"},
    "cli": {"core", "inputs", "registries", "render", "analyses", "sdc", "report", "sections", "cli", "demo"},
}


def modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path


def module_imports(name: str, path: Path) -> set[str]:
    """The package's modules that ``name`` imports at module level (not inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    known = {n for n, _ in modules()}
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If):  # e.g. ``if TYPE_CHECKING:`` imports are for the type checker only
            continue
        for sub in ast.walk(node) if isinstance(node, (ast.Try,)) else [node]:
            if isinstance(sub, ast.Import):
                found |= {a.name for a in sub.names if a.name.startswith("outcomes")}
            elif isinstance(sub, ast.ImportFrom) and sub.module and sub.module.startswith("outcomes"):
                found.add(sub.module)
                found |= {f"{sub.module}.{a.name}" for a in sub.names if f"{sub.module}.{a.name}" in known}
    return {m for m in found if m in known and m != name}


def test_no_import_cycles() -> None:
    graph = {name: module_imports(name, path) for name, path in modules()}
    # A package's __init__ that re-exports its modules is not a cycle with them.
    graph = {n: {m for m in deps if not n.startswith(m + ".")} for n, deps in graph.items()}
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == 1:
                cycles.append([*stack[stack.index(dep) :], dep])
            elif dep not in state:
                visit(dep)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


@pytest.mark.parametrize("name,path", list(modules()), ids=[n for n, _ in modules()])
def test_layers_import_only_the_layers_below(name: str, path: Path) -> None:
    parts = name.split(".")
    layer = parts[1] if len(parts) > 1 else None
    if layer not in LAYERS:
        return
    allowed = LAYERS[layer]
    # ``outcomes`` itself holds only the version; every layer may read it.
    wrong = sorted(m for m in module_imports(name, path) if m != "outcomes" and m.split(".")[1] not in allowed)
    assert not wrong, f"{path.relative_to(PACKAGE.parents[1])}: layer '{layer}' imports {wrong}"


@pytest.mark.parametrize("name,path", list(modules()), ids=[n for n, _ in modules()])
def test_module_size(name: str, path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.relative_to(PACKAGE.parents[1])} has {lines} lines"


def code_lines(node: ast.FunctionDef | ast.AsyncFunctionDef, source: list[str]) -> int:
    """Lines of a function's body that hold code: not its signature, docstring, blank lines or comments."""
    body = node.body
    if len(body) > 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    start, end = body[0].lineno, node.end_lineno or node.lineno
    return sum(1 for i in range(start, end + 1) if source[i - 1].strip() and not source[i - 1].strip().startswith("#"))


@pytest.mark.parametrize("name,path", list(modules()), ids=[n for n, _ in modules()])
def test_function_size(name: str, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    source = text.splitlines()
    long = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            n = code_lines(node, source)
            noted = any(LONG_FUNCTION_NOTE in line for line in source[node.lineno - 1 : node.end_lineno])
            if n > MAX_FUNCTION_LINES and not noted:
                long.append(f"{node.name} (line {node.lineno}, {n} lines)")
    assert not long, f"{path.relative_to(PACKAGE.parents[1])}: {', '.join(long)}"


def test_the_checks_can_fail(tmp_path: Path) -> None:
    """A long function and a cycle are found (the checks above are not vacuous)."""
    src = 'def f():\n    """Doc."""\n    # a comment\n\n' + "".join(f"    x{i} = {i}\n" for i in range(61))
    node = ast.parse(src).body[0]
    assert isinstance(node, ast.FunctionDef)
    assert code_lines(node, src.splitlines()) == 61


def test_the_report_runner_does_not_import_the_iri_checker() -> None:
    """jsonschema's IRI checker (rfc3987_syntax) builds its parsers at import, ~1 s of CPU the report never uses."""
    import subprocess
    import sys

    code = (
        "import sys, outcomes.report.runner, outcomes.report.kernels, jsonschema\n"
        "assert sys.modules.get('rfc3987_syntax') is None, 'rfc3987_syntax was imported'\n"
        "assert 'iri' not in jsonschema.FormatChecker.checkers\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
