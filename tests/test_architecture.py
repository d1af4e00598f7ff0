"""The shape of services/, checked from the source: no import cycle (imports inside functions
included), no import hidden in a function, no `telegram`, no file over MAX_LINES lines."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVICES = ROOT / "services"
MAX_LINES = 400
# Files other helpers are still splitting (services/reports*, services/checkin*) or own
# (services/plan_import/): allowed over the limit and to import inside a function for now.
EXEMPT_PREFIXES = ("services/checkin", "services/reports", "services/plan_import/")


def _exempt(rel: str) -> bool:
    return rel.startswith(EXEMPT_PREFIXES)


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(SERVICES.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _imported(module: str, path: Path, node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    """The names an import statement brings in, as full module paths."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield alias.name
        return
    base = node.module or ""
    if node.level:
        package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        package = package[: len(package) - node.level + 1]
        base = ".".join(package + ([node.module] if node.module else []))
    for alias in node.names:
        yield f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base


def _imports(path: Path) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import statement of a file, and whether it sits inside a function."""

    def walk(
        node: ast.AST, in_function: bool
    ) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                yield child, in_function
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            yield from walk(child, inner)

    yield from walk(ast.parse(path.read_text(encoding="utf-8")), False)


def _packages_of(module: str) -> set[str]:
    """The packages Python runs first when `module` is imported (services itself is empty)."""
    parts = module.split(".")
    return {".".join(parts[:i]) for i in range(2, len(parts))}


def import_graph() -> dict[str, set[str]]:
    """services module → the services modules it imports (anywhere in the file), including the
    packages such an import runs first (`services.a.b` runs `services/a/__init__.py`), except
    the module's own packages."""
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        own = _packages_of(module) | ({module} if path.name == "__init__.py" else set())
        targets: set[str] = set()
        for node, _ in _imports(path):
            for name in _imported(module, path, node):
                if name in MODULES:
                    targets |= {name} | (_packages_of(name) - own)
        targets.discard(module)
        graph[module] = {t for t in targets if t in MODULES}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_an_import_runs_the_packages_above_it() -> None:
    assert _packages_of("services.a.b.c") == {"services.a", "services.a.b"}
    assert _packages_of("services.outbox") == set()


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_services_import_no_cycle() -> None:
    graph = import_graph()
    assert "services.context" in graph and graph["services.reactions"], "the graph is read"
    found = cycles(graph)
    detail = [
        f"{' ↔ '.join(c)}: " + "; ".join(f"{m} → {sorted(graph[m] & set(c))}" for m in c)
        for c in found
    ]
    assert not found, "\n".join(detail)


def test_no_services_import_hides_inside_a_function() -> None:
    hidden = []
    for module, path in MODULES.items():
        rel = _rel(path)
        for node, in_function in _imports(path):
            names = [n for n in _imported(module, path, node) if n.startswith("services")]
            if in_function and names:
                if _exempt(rel):
                    print(f"exempt (being split by its owner): {rel}:{node.lineno} {names}")
                    continue
                hidden.append(f"{rel}:{node.lineno} imports {names} inside a function")
    assert not hidden, "\n".join(hidden)


def test_services_never_import_telegram() -> None:
    offenders = [
        f"{_rel(path)}:{node.lineno}"
        for module, path in MODULES.items()
        for node, _ in _imports(path)
        for name in _imported(module, path, node)
        if name == "telegram" or name.startswith("telegram.")
    ]
    assert not offenders, offenders


def test_no_services_file_is_over_the_limit() -> None:
    over = []
    for path in MODULES.values():
        rel = _rel(path)
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines <= MAX_LINES:
            continue
        if _exempt(rel):
            print(f"exempt (being split by its owner): {rel} has {lines} lines")
            continue
        over.append(f"{rel}: {lines} lines")
    assert not over, "\n".join(over)
