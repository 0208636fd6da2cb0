"""values.schema.json rejects unknown keys; the chart refuses unsafe values. These must fail."""

from __future__ import annotations

import copy
import json
from typing import Any

import helm_python as helm
import pytest
from deploy_support import CHART, load_values, render_raw


def _lint_errors(values: dict[str, Any]) -> list[str]:
    report = helm.lint(CHART, values, strict=True)
    return report["errors"] + [m["error"] for m in report["messages"] if m["severity"] >= 3]


def _with(base: str, path: str, value: Any) -> dict[str, Any]:
    values = copy.deepcopy(load_values(base) or {})
    node = values
    *parents, leaf = path.split(".")
    for key in parents:
        node = node.setdefault(key, {})
    node[leaf] = value
    return values


TYPOS = [
    ("default", "componets", {}),  # top level
    ("default", "image.tagg", "1.0.0"),  # nested
    ("default", "components.api.replica", 3),  # inside the shared component definition
    ("local", "components.notification.resources.limit", {"cpu": "1"}),
    ("production", "dapr.pubsub.intialOffset", "oldest"),
    ("production", "networkPolicy.egress.cidrs", [{"cidr": "10.0.0.0/8", "port": [5432]}]),
    ("production", "secrets.database.existingSecrett", "x"),
]


@pytest.mark.parametrize(("base", "path", "value"), TYPOS)
def test_misspelled_key_fails_lint_and_render(base: str, path: str, value: Any) -> None:
    values = _with(base, path, value)
    typo = path.split(".")[-1] if not isinstance(value, list) else "port"
    errors = _lint_errors(values)
    assert any("additional properties" in e and typo in e for e in errors), errors
    with pytest.raises(helm.HelmValuesError, match=typo):
        render_raw(values)


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("image.tag", "latest", "latest|image.tag"),
        ("config.eventTransport", "rabbitmq", "eventTransport"),
        ("components.api.port", 70000, "port"),
        ("dapr.tracing.samplingRate", "2", "samplingRate"),
        ("kafka.auth.type", "sasl", "type"),
        ("localInfra.kafka.image", "apache/kafka:latest", "image"),
    ],
)
def test_bad_values_are_refused(path: str, value: Any, message: str) -> None:
    with pytest.raises((helm.HelmValuesError, helm.HelmRenderError), match=message):
        render_raw(_with("default", path, value))


def test_chart_guards_beyond_the_schema() -> None:
    # More consumers than partitions would idle: refused.
    values = _with("default", "components.notification.replicas", 7)
    with pytest.raises(helm.HelmRenderError, match=r"exceed kafka\.partitions"):
        render_raw(values)
    values = _with("production", "components.notification.lagScaling.maxReplicas", 13)
    with pytest.raises(helm.HelmRenderError, match=r"exceed kafka\.partitions"):
        render_raw(values)
    values = _with("production", "components.api.autoscaling.maxReplicas", 13)
    render_raw(values)  # the API is no consumer: not bound by partitions
    # KEDA makes its own HPA: a CPU HPA beside it would fight it.
    values = _with("production", "components.notification.autoscaling.enabled", True)
    with pytest.raises(helm.HelmRenderError, match="choose one"):
        render_raw(values)
    # A catch-all ingress path would publish /metrics.
    for path, internal in (("/", "/metrics"), ("/met", "/metrics"), ("/ready/x", "/ready")):
        values = _with("production", "ingress.paths", ["/v1", path])
        with pytest.raises(helm.HelmRenderError, match=f"would expose {internal}"):
            render_raw(values)
    # No JWT secret and no JWKS: refused.
    values = _with("default", "secrets.jwt.existingSecret", "")
    with pytest.raises(helm.HelmRenderError, match="jwksUrl"):
        render_raw(values)
    values["config"] = {"jwt": {"jwksUrl": "https://issuer.example/jwks.json"}}
    render_raw(values)
    # SASL without a Secret to read the credentials from: refused.
    values = _with("default", "kafka.auth.type", "password")
    with pytest.raises(helm.HelmRenderError, match=r"kafka\.auth\.existingSecret"):
        render_raw(values)


def test_every_object_in_the_schema_is_closed() -> None:
    """additionalProperties: false wherever keys are fixed; maps say what their values are."""
    schema = json.loads((CHART / "values.schema.json").read_text())
    open_nodes = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            if node.get("type") == "object" or "properties" in node:
                ap = node.get("additionalProperties")
                if "properties" in node and ap is not False:
                    open_nodes.append(where)
                if (
                    "properties" not in node
                    and where != "/properties/global"
                    and ap in (None, True)
                ):
                    open_nodes.append(where)
            for key, child in node.items():
                walk(child, f"{where}/{key}")
        elif isinstance(node, list):
            for i, child in enumerate(node):
                walk(child, f"{where}/{i}")

    walk(schema, "")
    assert open_nodes == []


def test_schema_covers_every_default_value() -> None:
    """values.yaml and the schema agree (the defaults themselves validate)."""
    with helm.Chart.load(CHART) as chart:
        chart.validate_schema(chart.values)
        assert chart.schema is not None
