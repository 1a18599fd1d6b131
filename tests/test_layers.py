"""The layers a tool checks: pyproject's import-linter contracts hold, and no module imports itself round a circle."""
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]


def circles(graph) -> list[list[str]]:
    """The modules that import each other round a circle, one sorted list per circle (Tarjan's strongly
    connected components of size two or more, or a module that imports itself)."""
    imports = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in sorted(graph.modules)}
    order, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(module):   # recursion depth is at most the number of modules (a few hundred)
        order[module] = low[module] = len(order)
        stack.append(module)
        on_stack.add(module)
        for imported in imports[module]:
            if imported not in order:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], order[imported])
        if low[module] == order[module]:
            component = []
            while not component or component[-1] != module:
                component.append(stack.pop())
                on_stack.discard(component[-1])
            if len(component) > 1 or module in imports[module]:
                found.append(sorted(component))

    for module in imports:
        if module not in order:
            visit(module)
    return sorted(found)


def test_the_circle_finder_names_every_circle_and_nothing_else():
    graph = grimp.ImportGraph()
    for importer, imported in [("a", "b"), ("b", "c"), ("c", "a"), ("d", "a"), ("e", "e"), ("f", "g"),
                               ("g", "f"), ("g", "h")]:
        graph.add_import(importer=importer, imported=imported)
    assert circles(graph) == [["a", "b", "c"], ["e"], ["f", "g"]]


def test_no_module_of_the_program_imports_itself_round_a_circle():
    # imports inside functions count: grimp reads every import statement of a module
    import explorer
    assert Path(explorer.__file__).resolve().parent == ROOT / "explorer"   # this source tree is the one read
    graph = grimp.build_graph("explorer", cache_dir=None)
    assert len(graph.modules) > 150
    found = circles(graph)
    assert found == [], "\n".join("a circle among " + ", ".join(c) for c in found)


def test_the_import_contracts_hold():
    # lint-imports itself, on this source tree (it puts the working directory first on sys.path)
    code = ("import sys\nfrom importlinter.cli import lint_imports\n"
            "sys.exit(lint_imports(no_cache=True, no_logo=True))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"})
    report = done.stdout + done.stderr
    broken = report.find("Broken contracts")
    assert done.returncode == 0, report[broken:] if broken >= 0 else report
    # Qt kept out of core and session, the layers (top level, the window's rooms, the views) and no circles
    assert {"forbidden", "layers", "acyclic_siblings"} <= {contract["type"] for contract in CONTRACTS}
    assert {"explorer", "explorer.ui", "explorer.ui.views"} <= {c for k in CONTRACTS for c in k.get("containers", [])}
    for contract in CONTRACTS:
        assert f"{contract['name']} KEPT" in report
