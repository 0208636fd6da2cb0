"""The CI/CD pipeline, checked offline: job order, pinned actions, the steps that matter."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from deploy_support import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
PIPELINE = ["test", "evals", "chart", "build", "scan", "push", "deploy", "smoke"]
# A release tag (v4, v4.2.2, 0.28.0) or a full commit sha; never a branch.
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@(v?\d+(\.\d+){0,2}|[0-9a-f]{40})$")


def _load(path: Path) -> dict[str, Any]:
    doc = yaml.safe_load(path.read_text())
    # YAML 1.1 reads the key `on` as True.
    if True in doc:
        doc["on"] = doc.pop(True)
    return doc


def _ci() -> dict[str, Any]:
    return _load(ROOT / ".github" / "workflows" / "ci.yml")


def _needs(job: dict[str, Any]) -> set[str]:
    needs = job.get("needs", [])
    return {needs} if isinstance(needs, str) else set(needs)


def _run(job: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def test_workflows_parse_and_have_jobs() -> None:
    assert WORKFLOWS, "no workflow files"
    for path in WORKFLOWS:
        doc = _load(path)
        assert doc.get("on"), f"{path.name}: no triggers"
        assert doc.get("jobs"), f"{path.name}: no jobs"
        for name, job in doc["jobs"].items():
            assert job.get("runs-on") or job.get("uses"), f"{path.name}:{name}: no runner"
            for step in job.get("steps", []):
                assert ("uses" in step) != ("run" in step), f"{path.name}:{name}: {step}"


def test_pipeline_order() -> None:
    jobs = _ci()["jobs"]
    assert set(PIPELINE) <= set(jobs)
    for earlier, later in itertools.pairwise(PIPELINE):
        assert earlier in _needs(jobs[later]), f"{later} must need {earlier}"

    # needs: only names real jobs, and the graph has no cycle.
    def ancestors(name: str, seen: tuple[str, ...] = ()) -> set[str]:
        assert name not in seen, f"cycle through {name}"
        out = set()
        for parent in _needs(jobs[name]):
            assert parent in jobs, f"{name} needs unknown job {parent}"
            out |= {parent} | ancestors(parent, (*seen, name))
        return out

    assert ancestors("smoke") >= set(PIPELINE[:-1])


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned(path: Path) -> None:
    for name, job in _load(path)["jobs"].items():
        refs = [s["uses"] for s in job.get("steps", []) if "uses" in s]
        if "uses" in job:
            refs.append(job["uses"])
        for ref in refs:
            if ref.startswith(("./", "docker://")):
                continue
            assert PINNED.match(ref), f"{path.name}:{name}: {ref} is not pinned to a release"
            assert not re.search(r"@(master|main|latest|HEAD)$", ref), ref


def test_the_steps_that_matter() -> None:
    jobs = _ci()["jobs"]
    assert "pytest" in _run(jobs["test"])
    assert "ruff check" in _run(jobs["test"])
    assert "deepeval test run evals/" in _run(jobs["evals"])
    assert "tests/deploy" in _run(jobs["chart"])
    assert "helm lint --strict" in _run(jobs["chart"])
    build_uses = {s.get("uses", "").split("@")[0] for s in jobs["build"]["steps"]}
    assert "docker/build-push-action" in build_uses
    scan = _run(jobs["scan"])
    assert "trivy" in scan.lower()
    assert "--exit-code 1" in scan, "the scan must be able to fail the pipeline"
    assert "docker push" in _run(jobs["push"])
    deploy = _run(jobs["deploy"])
    assert "helm upgrade --install" in deploy
    assert "values-production.yaml" in deploy
    assert "--atomic" in deploy
    assert "helm test" in _run(jobs["smoke"])


def test_publishing_only_from_main_and_least_privilege() -> None:
    doc = _ci()
    assert doc["permissions"] == {"contents": "read"}
    jobs = doc["jobs"]
    assert "refs/heads/main" in jobs["push"]["if"]
    assert jobs["push"]["permissions"].get("packages") == "write"
    for name, job in jobs.items():
        if name != "push":
            assert job.get("permissions", {}).get("packages") != "write", name
    assert jobs["deploy"]["environment"] == "production"
    assert jobs["deploy"]["concurrency"]["cancel-in-progress"] is False
    text = (ROOT / ".github" / "workflows" / "ci.yml").read_text()
    assert not re.search(r"(password|token|kubeconfig)\s*:\s*['\"]?[A-Za-z0-9+/]{16,}", text, re.I)
