"""The Dockerfile, checked offline: stages, pinned bases, non-root runtime, no build tools."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field

from deploy_support import ROOT

DOCKERFILE = ROOT / "Dockerfile"
BUILD_TOOLS = re.compile(r"\b(gcc|g\+\+|build-essential|make|clang|cmake|rustc|cargo|uv)\b")


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)


def _instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with line continuations joined and comments dropped."""
    logical, buf = [], ""
    for line in text.splitlines():
        stripped = line.strip()
        if not buf and (not stripped or stripped.startswith("#")):
            continue
        if stripped.endswith("\\"):
            buf += stripped[:-1] + " "
            continue
        logical.append(buf + stripped)
        buf = ""
    out = []
    for entry in logical:
        keyword, _, args = entry.partition(" ")
        out.append((keyword.upper(), args.strip()))
    return out


def _stages() -> tuple[dict[str, str], list[Stage]]:
    args: dict[str, str] = {}
    stages: list[Stage] = []
    for keyword, rest in _instructions(DOCKERFILE.read_text()):
        if keyword == "ARG" and not stages:
            name, _, default = rest.partition("=")
            args[name] = default
        elif keyword == "FROM":
            parts = rest.split()
            parts = [p for p in parts if not p.startswith("--platform")]
            base = re.sub(r"\$\{(\w+)\}|\$(\w+)", lambda m: args[m[1] or m[2]], parts[0])
            name = parts[2] if len(parts) > 2 and parts[1].upper() == "AS" else None
            stages.append(Stage(base, name))
        elif stages:
            stages[-1].instructions.append((keyword, rest))
    return args, stages


def test_multi_stage_with_pinned_bases() -> None:
    _, stages = _stages()
    assert len(stages) >= 2, "multi-stage build"
    named = {s.name for s in stages}
    for s in stages:
        if s.base in named:
            continue
        repo, _, tag = s.base.rpartition(":")
        assert repo, f"{s.base}: base image has no tag"
        assert tag, f"{s.base}: base image has no tag"
        assert tag != "latest", s.base
        assert re.match(r"^v?\d", tag), f"{s.base}: tag is not a version"
    final = stages[-1]
    assert re.fullmatch(r"python:3\.11(\.\d+)?-slim(-\w+)?", final.base), final.base


def test_runtime_stage_is_non_root_and_has_no_build_tools() -> None:
    _, stages = _stages()
    final = stages[-1]
    users = [rest for kw, rest in final.instructions if kw == "USER"]
    assert users, "final stage sets USER"
    user = users[-1].split(":")[0]
    assert user.isdigit(), "numeric UID, so Kubernetes can check runAsNonRoot"
    assert int(user) != 0
    for kw, rest in final.instructions:
        if kw == "RUN":
            assert not BUILD_TOOLS.search(rest), f"build tool in the runtime stage: {rest}"
            assert "apt-get install" not in rest, rest
        if kw == "COPY" and "--from=" in rest:
            source = re.search(r"--from=(\S+)", rest)[1]
            assert source != "uv", "uv stays in the build stage"


def test_build_stage_installs_the_lock_with_uv_then_the_project_without_deps() -> None:
    _, stages = _stages()
    runs = " ".join(rest for s in stages[:-1] for kw, rest in s.instructions if kw == "RUN")
    copies = " ".join(rest for s in stages for kw, rest in s.instructions if kw == "COPY")
    assert "uv pip install" in runs
    assert "-r requirements-runtime.lock" in runs
    assert "--no-deps" in runs
    assert "requirements-dev.lock" not in copies
    # Every package of the distribution is copied in.
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]
    for package in packages:
        assert re.search(rf"\b{package}\b", copies), f"package {package} not copied"


def test_entrypoint_selects_the_role() -> None:
    _, stages = _stages()
    final = {kw: rest for kw, rest in stages[-1].instructions if kw in {"ENTRYPOINT", "CMD"}}
    assert json.loads(final["ENTRYPOINT"]) == ["todo-agent"]
    assert json.loads(final["CMD"]) == ["api"]
    env = " ".join(rest for kw, rest in stages[-1].instructions if kw == "ENV")
    assert "HOST=0.0.0.0" in env


def test_dockerignore_keeps_the_context_small_and_secret_free() -> None:
    ignored = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".git", ".venv", ".env", "tests", ".data"} <= ignored
