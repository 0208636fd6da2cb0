"""Shared helpers of the offline deploy gate: render the chart, pick objects, Dapr schemas.

Run as a script to regenerate `dapr/` from the chart (the chart is the one source):

    .venv/bin/python tests/deploy/deploy_support.py
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import helm_python as helm
import yaml

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "helm" / "todo-agent"
DAPR_DIR = ROOT / "dapr"
SCHEMAS = Path(__file__).resolve().parent / "schemas"

RELEASE = "todo-agent"
NAMESPACE = "todo"
KUBE_VERSION = "1.30"

# The Dapr app ids the system is built around (issue 6 / ARCHITECTURE.md).
APP_IDS = frozenset({"todo-api", "todo-relay", "todo-notification", "todo-recurring", "todo-audit"})

VALUES_FILES: dict[str, str | None] = {
    "default": None,
    "local": "values-local.yaml",
    "production": "values-production.yaml",
}

# Kinds kubernetes-validate has no schema for, and the schema we check them against instead.
CRD_SCHEMAS: dict[tuple[str, str], str] = {
    ("dapr.io/v1alpha1", "Component"): "dapr-component.json",
    ("dapr.io/v1alpha1", "Configuration"): "dapr-configuration.json",
    ("dapr.io/v1alpha1", "Resiliency"): "dapr-resiliency.json",
    ("monitoring.coreos.com/v1", "ServiceMonitor"): "servicemonitor.json",
    ("keda.sh/v1alpha1", "ScaledObject"): "keda-scaledobject.json",
    ("keda.sh/v1alpha1", "TriggerAuthentication"): "keda-triggerauthentication.json",
}
DAPR_KINDS = ("Component", "Configuration", "Resiliency")

DAPR_HEADER = (
    "# GENERATED from helm/todo-agent (values-local.yaml) — do not edit by hand.\n"
    "# The chart templates are the source; regenerate with:\n"
    "#   .venv/bin/python tests/deploy/deploy_support.py\n"
    "# Apply to a namespace with: kubectl -n <namespace> apply -f dapr/\n"
)


def load_values(which: str) -> dict[str, Any] | None:
    """The values of one named values file (None: the chart defaults only)."""
    filename = VALUES_FILES[which]
    if filename is None:
        return None
    return yaml.safe_load((CHART / filename).read_text())


def render_raw(values: dict[str, Any] | None) -> dict[str, str]:
    """Render offline: {template path: manifest text}; raises on schema or template errors."""
    with helm.Chart.load(CHART) as chart:
        return chart.render(values, name=RELEASE, namespace=NAMESPACE)


def parse(rendered: dict[str, str]) -> list[tuple[str, dict[str, Any]]]:
    """(template path, object) for every YAML document of every rendered manifest."""
    out: list[tuple[str, dict[str, Any]]] = []
    for path, text in sorted(rendered.items()):
        if not path.endswith((".yaml", ".yml")):
            continue  # NOTES.txt
        for doc in yaml.safe_load_all(text):
            if doc:
                out.append((path, doc))
    return out


@cache
def _rendered(which: str) -> str:
    return json.dumps(parse(render_raw(load_values(which))))


def rendered(which: str) -> list[tuple[str, dict[str, Any]]]:
    """Cached render of a named values file; a fresh deep copy each call."""
    return [tuple(item) for item in json.loads(_rendered(which))]  # type: ignore[misc]


def objects(which: str, kind: str | None = None) -> list[dict[str, Any]]:
    return [doc for _, doc in rendered(which) if kind is None or doc["kind"] == kind]


def pod_spec(obj: dict[str, Any]) -> dict[str, Any] | None:
    if obj["kind"] == "Pod":
        return obj["spec"]
    if obj["kind"] in {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}:
        return obj["spec"]["template"]["spec"]
    if obj["kind"] == "CronJob":
        return obj["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return None


def pod_annotations(obj: dict[str, Any]) -> dict[str, str]:
    if obj["kind"] == "Pod":
        return obj["metadata"].get("annotations") or {}
    return obj["spec"]["template"]["metadata"].get("annotations") or {}


def containers(obj: dict[str, Any]) -> Iterator[dict[str, Any]]:
    spec = pod_spec(obj)
    if spec:
        yield from spec.get("initContainers") or []
        yield from spec.get("containers") or []


def load_schema(filename: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / filename).read_text())


def dapr_mirror_docs(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Dapr objects in the form dapr/ keeps: no labels/namespace (those are install-specific)."""
    out = []
    for doc in docs:
        if doc.get("apiVersion", "").startswith("dapr.io/") and doc["kind"] in DAPR_KINDS:
            doc = copy.deepcopy(doc)
            doc["metadata"].pop("labels", None)
            doc["metadata"].pop("namespace", None)
            out.append(doc)
    return sorted(out, key=lambda d: (d["kind"], d["metadata"]["name"]))


def dapr_filename(doc: dict[str, Any]) -> str:
    return f"{doc['kind'].lower()}-{doc['metadata']['name']}.yaml"


def expected_dapr_dir() -> dict[str, dict[str, Any]]:
    """{file name: object} that dapr/ must hold: the chart's Dapr objects for values-local."""
    docs = dapr_mirror_docs([doc for _, doc in parse(render_raw(load_values("local")))])
    return {dapr_filename(doc): doc for doc in docs}


def read_dapr_dir() -> dict[str, dict[str, Any]]:
    return {p.name: yaml.safe_load(p.read_text()) for p in sorted(DAPR_DIR.glob("*.yaml"))}


def write_dapr_dir() -> list[Path]:
    DAPR_DIR.mkdir(exist_ok=True)
    for old in DAPR_DIR.glob("*.yaml"):
        old.unlink()
    written = []
    for filename, doc in expected_dapr_dir().items():
        path = DAPR_DIR / filename
        path.write_text(DAPR_HEADER + yaml.safe_dump(doc, sort_keys=False))
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_dapr_dir():
        print(path.relative_to(ROOT))
