"""The dependency rule of ../shared/ARCHITECTURE.md, checked on every import in the tree: each
layer imports only the layers below it, and nothing but `runtime/` itself imports `runtime/` or
`api/` — except runtime's three leaf modules (typed settings, log format and correlation id, the
ops HTTP server), which import nothing of ours and every process needs."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OURS = {"domain", "tools", "skills", "prompts", "system_prompts", "graph", "consumers", "api",
        "runtime", "evals", "bench", "tests"}  # fmt: skip
LEAVES = {"runtime.settings", "runtime.logging", "runtime.ops_http"}
MAY_IMPORT: dict[str, set[str]] = {
    "domain": set(),
    "tools": {"domain"},
    "skills": {"domain"},
    "graph": {"skills", "tools", "domain"},
    "consumers": {"domain", "skills"},
    "api": {"graph", "tools", "domain", "skills"},
    "evals": {"skills", "graph", "domain"},
}


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def _violations(layer: str) -> list[str]:
    allowed = MAY_IMPORT[layer] | {layer}
    wrong: list[str] = []
    for path in sorted((ROOT / layer).rglob("*.py")):
        for line, module in _imports(path):
            top = module.split(".")[0]
            if top not in OURS or top in allowed:
                continue
            if layer != "domain" and any(module == leaf or module.startswith(f"{leaf}.")
                                         for leaf in LEAVES):  # fmt: skip
                continue
            wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return wrong


@pytest.mark.parametrize("layer", sorted(MAY_IMPORT))
def test_each_layer_imports_only_what_lies_below_it(layer: str) -> None:
    assert _violations(layer) == []


def test_the_runtime_leaves_import_nothing_of_ours() -> None:
    for leaf in LEAVES:
        path = ROOT / (leaf.replace(".", "/") + ".py")
        ours = [m for _, m in _imports(path) if m.split(".")[0] in OURS]
        assert ours == [], f"{leaf} imports {ours}"
