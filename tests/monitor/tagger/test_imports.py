"""The tagger's modules import one another one way: no circle, not even inside a function."""

from __future__ import annotations

import ast
from pathlib import Path

import monitor.tagger

PACKAGE = Path(monitor.tagger.__file__).parent


def tagger_imports(path: Path) -> set[str]:
    """Return the tagger modules a module imports anywhere in its source."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == "monitor.tagger":
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("monitor.tagger."):
            found.add(node.module.removeprefix("monitor.tagger.").split(".")[0])  # type: ignore[union-attr]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("monitor.tagger."):
                    found.add(alias.name.removeprefix("monitor.tagger.").split(".")[0])
    return found


def test_the_tagger_modules_import_each_other_without_a_circle() -> None:
    graph = {p.stem: tagger_imports(p) for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    assert "gazetteer" in graph["place_context"]  # the parse sees imports
    done: set[str] = set()

    def visit(module: str, trail: tuple[str, ...]) -> None:
        assert module not in trail, f"import circle: {' -> '.join((*trail, module))}"
        if module in done:
            return
        for imported in graph.get(module, ()):
            visit(imported, (*trail, module))
        done.add(module)

    for module in graph:
        visit(module, ())
