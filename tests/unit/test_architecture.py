"""The package's imports keep the architecture the tree shows: layers that only import downwards,
a pure core that knows nothing of Kafka or Faust, private internals in one place, no cycles.

Read from the source with `ast` (every import, at module level or inside a function), so a
lazy import is held to the same rules as any other.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from tests.conftest import PROJECT

ROOT = PROJECT / "services"
PACKAGE = ROOT / "wirestream"

# Lower layers never import higher ones; a module may import its own layer and any lower one.
LAYERS: list[set[str]] = [
    {"wirestream", "wirestream.defaults", "wirestream.errors", "wirestream.limits", "wirestream.clock",
     "wirestream.serialization",
     "wirestream.processes", "wirestream.contracts"},
    {"wirestream.settings", "wirestream.faust_fixes", "wirestream.enrich"},
    {"wirestream.kafka", "wirestream.bootstrap", "wirestream.logs", "wirestream.schemas"},
    {"wirestream.worker", "wirestream.export", "wirestream.client"},
    {"wirestream.web"},
    {"wirestream.cli", "wirestream.__main__"},
]
PURE = ("wirestream.enrich", "wirestream.contracts")
TRANSPORT = ("faust", "mode", "aiokafka", "kafka", "wirestream.worker", "wirestream.kafka", "wirestream.cli",
             "wirestream.faust_fixes", "wirestream.bootstrap", "wirestream.settings")
# Private attributes of Faust's and aiokafka's objects that our code has had to reach for.
PRIVATE_INTERNALS = re.compile(r"\._(committed_offset|acked|thread|consumer|coordinator|fetch_max_wait_ms|read_offset|"
                               r"unacked_messages|new_offset|add_gap|drain_messages|setup_logging|tracks_buffer_agen|"
                               r"current_event|enable_passive|processors)\b|\b_current_event\b|\b_tracks_buffer_agen\b")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path) -> Iterator[str]:
    """Every module `path` imports, anywhere in the file, as absolute names."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            known = modules()
            for alias in node.names:  # `from wirestream.enrich import pipeline` imports a module
                if f"{node.module}.{alias.name}" in known:
                    yield f"{node.module}.{alias.name}"


def layer_of(name: str) -> int:
    best, layer = "", -1
    for index, group in enumerate(LAYERS):
        for prefix in group:
            if (name == prefix or name.startswith(prefix + ".")) and len(prefix) > len(best):
                best, layer = prefix, index
    assert layer >= 0, f"{name} is in no layer: add it to LAYERS"
    return layer


def internal_graph() -> dict[str, set[str]]:
    known = modules()
    return {name: {i for i in imports(path) if i in known and i != name} for name, path in known.items()}


def test_every_module_is_in_a_layer() -> None:
    for name in modules():
        layer_of(name)


def test_no_module_imports_a_higher_layer() -> None:
    upward = [(name, target) for name, targets in internal_graph().items() for target in targets
              if layer_of(target) > layer_of(name)]
    assert not upward, f"imports that run up the layers: {upward}"


@pytest.mark.parametrize("core", PURE)
def test_the_pure_core_imports_nothing_of_kafka_faust_or_the_worker(core: str) -> None:
    for name, path in modules().items():
        if not (name == core or name.startswith(core + ".")):
            continue
        bad = [i for i in imports(path) if any(i == t or i.startswith(t + ".") for t in TRANSPORT)]
        assert not bad, f"{name} imports {bad}"


def test_private_internals_of_faust_and_aiokafka_are_used_only_in_faust_fixes() -> None:
    for name, path in modules().items():
        if name.startswith("wirestream.faust_fixes"):
            continue
        found = PRIVATE_INTERNALS.findall(path.read_text(encoding="utf-8"))
        assert not found, f"{name} reaches into private internals: {found}"


def test_there_is_no_import_cycle() -> None:
    graph = internal_graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    assert not cycles, f"import cycles: {cycles}"


def test_the_checks_see_real_imports() -> None:
    graph = internal_graph()
    assert "wirestream.enrich.pipeline" in graph["wirestream.worker.agents"]
    assert "wirestream.faust_fixes" in graph["wirestream.worker.app"]
    assert layer_of("wirestream.worker.app") > layer_of("wirestream.enrich.pipeline")


def test_every_folder_of_the_package_is_a_regular_package() -> None:
    # A folder without __init__.py is a namespace package: setuptools' find leaves it out of a
    # wheel, so an installed (not editable) wirestream would lack it, as the Docker image would.
    folders = {path.parent for path in PACKAGE.rglob("*.py")}
    assert [f for f in sorted(folders) if not (f / "__init__.py").is_file()] == []


def test_every_suppression_names_its_rule_and_says_why() -> None:
    # ruff (PGH, RUF100) and mypy (warn_unused_ignores) check that each one names a rule and is
    # still needed; this checks the other half: the reason, after the rule, on the same line.
    noqa = re.compile(r"# noqa: [A-Z]+\d+(?:,\s*[A-Z]+\d+)* - \S")
    ignore = re.compile(r"# type: ignore\[[a-z-]+(?:,\s*[a-z-]+)*\]  # \S")
    bare = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if ("# noqa" in line and not noqa.search(line)) or ("# type: ignore" in line and not ignore.search(line)):
                bare.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not bare, "a suppression without its rule and reason:\n" + "\n".join(bare)
