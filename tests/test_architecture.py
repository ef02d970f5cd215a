"""The import graph, drawn from the source with `ast`: dependencies point one way and never loop.

    basics (config, errors, ingest, records, html, language, sectioning, store, history, maintenance, targets,
    runs, environment)
      ← models ← analysis of a batch (analysis, rows, evaluation) ← Prefect tasks ← the flow
      ← the app (cli, serving)

Training code (`newsflow.models.training`) sits beside the analysis layer and nothing that runs
in a pipeline imports it. Every installed module lives under the one `newsflow` namespace.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = {"newsflow": ROOT / "newsflow", "newsflow.models": ROOT / "models",
            "newsflow.tasks": ROOT / "tasks", "newsflow.flows": ROOT / "flows"}
BASICS = {"newsflow", "newsflow.__init__", "newsflow.config", "newsflow.errors", "newsflow.ingest",
          "newsflow.sectioning", "newsflow.store", "newsflow.targets", "newsflow.runs", "newsflow.environment",
          "newsflow.repair", "newsflow.records", "newsflow.html", "newsflow.language", "newsflow.history",
          "newsflow.maintenance"}
ANALYSIS = {"newsflow.analysis", "newsflow.rows", "newsflow.evaluation"}
APP = {"newsflow.cli", "newsflow.serving", "newsflow.__main__"}
TRAINING = "newsflow.models.training"
LAYERS = ("basics", "models", "analysis", "training", "tasks", "flows", "app")


def layer(module: str) -> str:
    if module in BASICS:
        return "basics"
    if module in ANALYSIS:
        return "analysis"
    if module in APP:
        return "app"
    for prefix, name in ((TRAINING, "training"), ("newsflow.models", "models"), ("newsflow.tasks", "tasks"),
                         ("newsflow.flows", "flows")):
        if module == prefix or module.startswith(prefix + "."):
            return name
    raise AssertionError(f"{module} is in no layer: add it to tests/test_architecture.py")


def modules() -> dict[str, Path]:
    found = {}
    for package, folder in PACKAGES.items():
        for path in folder.rglob("*.py"):
            parts = path.relative_to(folder).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join((package, *parts))] = path
    return found


def imports(path: Path, module: str) -> set[str]:
    """Every `newsflow.*` module this file imports, at the top or inside a function."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = module.rsplit(".", node.level)[0] if path.name != "__init__.py" else module
                name = f"{base}.{node.module}" if node.module else base
            else:
                name = node.module or ""
            out.add(name)
            out |= {f"{name}.{a.name}" for a in node.names}
    known = modules()
    return {name for name in out if name in known}


GRAPH = {m: imports(p, m) - {m} for m, p in modules().items()}


def test_every_module_is_in_a_layer():
    assert {m: layer(m) for m in GRAPH}  # raises for a module in no layer


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_imports_point_down_only(module):
    upward = [(dep, layer(dep)) for dep in sorted(GRAPH[module])
              if LAYERS.index(layer(dep)) > LAYERS.index(layer(module))]
    assert upward == [], f"{module} ({layer(module)}) imports upward: {upward}"


def test_nothing_that_runs_imports_the_training_code():
    assert [(m, d) for m, deps in GRAPH.items() for d in deps
            if layer(d) == "training" and layer(m) != "training"] == []


def test_no_import_cycle():
    state: dict[str, int] = {}  # 1: on the path, 2: done

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for dep in sorted(GRAPH[m]):
            if state.get(dep) == 1:
                raise AssertionError("import cycle: " + " → ".join(path[path.index(dep):] + [dep]))
            if dep not in state:
                visit(dep, path + [dep])
        state[m] = 2

    for m in sorted(GRAPH):
        if m not in state:
            visit(m, [m])


def test_no_generic_top_level_package_is_imported():
    """`models`, `tasks`, `flows` are folders served as `newsflow.*`, never top-level packages."""
    offenders = []
    for path in [*ROOT.glob("*/**/*.py")]:
        if ".venv" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            offenders += [(str(path.relative_to(ROOT)), n) for n in names
                          if n.split(".")[0] in {"models", "tasks", "flows"}]
    assert offenders == []


def test_the_checker_sees_an_upward_import():
    """The checker itself: the flow imports the tasks (down), the tasks never the flow."""
    assert "newsflow.tasks.analysis" in GRAPH["newsflow.flows.analyse_news"]
    assert LAYERS.index(layer("newsflow.flows.analyse_news")) > LAYERS.index(layer("newsflow.tasks.analysis"))
