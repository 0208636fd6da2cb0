"""The dependency rule of ../shared/ARCHITECTURE.md, checked on every import in the tree: each
layer imports only the layers below it, every layer may import `core/` (the bottom layer, which
imports nothing of ours), and nothing imports `runtime/` (the composition root) or `api/` but
`runtime/` itself, the tests and the benchmarks."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OURS = {"core", "domain", "transport", "tools", "skills", "prompts", "system_prompts", "graph",
        "consumers", "api", "runtime", "evals", "bench", "tests"}  # fmt: skip
MAY_IMPORT: dict[str, set[str]] = {
    "core": set(),
    "domain": {"core"},
    "transport": {"domain", "core"},
    "tools": {"domain", "core"},
    "skills": {"domain", "core"},
    "graph": {"skills", "tools", "domain", "core"},
    "consumers": {"transport", "domain", "skills", "core"},
    "api": {"graph", "tools", "domain", "skills", "core"},
    "evals": {"skills", "graph", "domain", "core"},
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
            wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return wrong


@pytest.mark.parametrize("layer", sorted(MAY_IMPORT))
def test_each_layer_imports_only_what_lies_below_it(layer: str) -> None:
    assert _violations(layer) == []


# The domain knows topics and envelopes, not the clients that carry them (they live in transport/).
TRANSPORT_CLIENTS = {"faststream", "aiokafka", "httpx", "dapr", "prometheus_client"}


def test_the_domain_imports_no_transport_client() -> None:
    wrong = [f"{path.relative_to(ROOT)}:{line} imports {module}"
             for path in sorted((ROOT / "domain").rglob("*.py"))
             for line, module in _imports(path)
             if module.split(".")[0] in TRANSPORT_CLIENTS]  # fmt: skip
    assert wrong == []
