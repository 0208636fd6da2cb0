"""Offline gate for the Helm chart: strict lint, render, Kubernetes/CRD schemas, our own rules."""

from __future__ import annotations

import re
from typing import Any

import helm_python as helm
import jsonschema
import kubernetes_validate
import pytest
from deploy_support import (
    APP_IDS,
    CHART,
    CRD_SCHEMAS,
    KUBE_VERSION,
    VALUES_FILES,
    containers,
    load_schema,
    load_values,
    objects,
    pod_annotations,
    pod_spec,
    rendered,
)

from core.settings import Settings
from domain.events import ALL_TOPICS

WHICH = list(VALUES_FILES)
COMPONENTS = {
    "api": "todo-api",
    "relay": "todo-relay",
    "notification": "todo-notification",
    "recurring": "todo-recurring",
    "audit": "todo-audit",
}
LONG_RUNNING = {"Deployment", "StatefulSet", "DaemonSet"}
WORKLOADS = LONG_RUNNING | {"Job", "CronJob", "Pod"}


def _component(obj: dict[str, Any]) -> str | None:
    return obj["metadata"].get("labels", {}).get("app.kubernetes.io/component")


def _app_deployments(which: str) -> list[dict[str, Any]]:
    return [d for d in objects(which, "Deployment") if _component(d) in COMPONENTS]


# --- lint and schemas -----------------------------------------------------------------------


@pytest.mark.parametrize("which", WHICH)
def test_lint_strict_is_clean(which: str) -> None:
    report = helm.lint(CHART, load_values(which), strict=True, kube_version=f"v{KUBE_VERSION}.0")
    problems = [m for m in report["messages"] if m["severity"] >= 2]
    assert report["errors"] == [], report["errors"]
    assert problems == [], problems


@pytest.mark.parametrize("which", WHICH)
def test_every_manifest_validates(which: str) -> None:
    """Built-in kinds against Kubernetes' schemas (strict); CRDs against the committed schemas."""
    seen_crds = set()
    for path, obj in rendered(which):
        key = (obj["apiVersion"], obj["kind"])
        try:
            kubernetes_validate.validate(obj, KUBE_VERSION, strict=True)
        except kubernetes_validate.SchemaNotFoundError:
            assert key in CRD_SCHEMAS, f"{path}: no schema at all for {key}"
            jsonschema.validate(obj, load_schema(CRD_SCHEMAS[key]))
            seen_crds.add(obj["kind"])
        except kubernetes_validate.ValidationError as exc:
            pytest.fail(f"{path} {obj['kind']}/{obj['metadata']['name']}: {exc}")
    assert {"Component", "Configuration", "Resiliency"} <= seen_crds


def test_crd_schema_catches_a_misspelled_field() -> None:
    """The Dapr schemas are strict: a typo the API server would silently prune fails here."""
    resiliency = next(o for o in objects("default", "Resiliency"))
    resiliency["spec"]["policies"]["retries"]["brokerRetry"]["maxRetires"] = 3
    with pytest.raises(jsonschema.ValidationError, match="maxRetires"):
        jsonschema.validate(resiliency, load_schema("dapr-resiliency.json"))
    component = next(o for o in objects("default", "Component"))
    component["spec"]["verison"] = "v1"
    with pytest.raises(jsonschema.ValidationError, match="verison"):
        jsonschema.validate(component, load_schema("dapr-component.json"))


# --- every container ------------------------------------------------------------------------


@pytest.mark.parametrize("which", WHICH)
def test_containers_are_pinned_limited_probed_and_non_root(which: str) -> None:
    checked = 0
    for obj in objects(which):
        if obj["kind"] not in WORKLOADS:
            continue
        spec = pod_spec(obj)
        assert spec is not None
        pod_sc = spec.get("securityContext") or {}
        where = f"{obj['kind']}/{obj['metadata']['name']}"
        for c in containers(obj):
            checked += 1
            at = f"{where} container {c['name']}"
            image = c["image"]
            assert not image.endswith(":latest"), f"{at}: {image}"
            assert re.search(r"(:[\w][\w.-]*|@sha256:[a-f0-9]{64})$", image.split("/")[-1]), (
                f"{at}: image {image} has no tag or digest"
            )
            res = c.get("resources") or {}
            for kind in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(res.get(kind) or {}), f"{at}: {kind} {res}"
            sc = c.get("securityContext") or {}
            assert sc.get("runAsNonRoot", pod_sc.get("runAsNonRoot")) is True, f"{at}: root"
            assert sc.get("allowPrivilegeEscalation") is False, at
            assert sc.get("capabilities", {}).get("drop") == ["ALL"], at
            seccomp = sc.get("seccompProfile") or pod_sc.get("seccompProfile") or {}
            assert seccomp.get("type") == "RuntimeDefault", at
            if obj["kind"] in LONG_RUNNING:
                assert c.get("livenessProbe"), f"{at}: no livenessProbe"
                assert c.get("readinessProbe"), f"{at}: no readinessProbe"
    assert checked >= 7


@pytest.mark.parametrize("which", WHICH)
def test_app_containers_follow_the_health_contract(which: str) -> None:
    deployments = _app_deployments(which)
    assert {_component(d) for d in deployments} == set(COMPONENTS)
    for d in deployments:
        (c,) = d["spec"]["template"]["spec"]["containers"]
        port = c["ports"][0]
        assert port["name"] == "http"
        assert c["livenessProbe"]["httpGet"] == {"path": "/health", "port": "http"}
        assert c["readinessProbe"]["httpGet"] == {"path": "/ready", "port": "http"}
        assert c["startupProbe"]["httpGet"]["path"] == "/health"
        assert c["securityContext"]["readOnlyRootFilesystem"] is True
        env = {e["name"]: e for e in c["env"]}
        assert env["PORT"]["value"] == env["HTTP_PORT"]["value"] == str(port["containerPort"])
        spec = d["spec"]["template"]["spec"]
        assert spec["securityContext"]["runAsUser"] != 0
        assert any(m["mountPath"] == "/tmp" for m in c["volumeMounts"])


@pytest.mark.parametrize("which", WHICH)
def test_component_commands(which: str) -> None:
    args = {
        _component(d): d["spec"]["template"]["spec"]["containers"][0]["args"]
        for d in _app_deployments(which)
    }
    assert args == {
        "api": ["api"],
        "relay": ["relay"],
        "notification": ["consumer", "notification"],
        "recurring": ["consumer", "recurring"],
        "audit": ["consumer", "audit"],
    }
    (job,) = objects(which, "Job")
    assert job["spec"]["template"]["spec"]["containers"][0]["args"] == ["migrate"]


# --- Dapr -----------------------------------------------------------------------------------

DAPR_REQUIRED_ANNOTATIONS = {
    "dapr.io/enabled",
    "dapr.io/app-id",
    "dapr.io/app-port",
    "dapr.io/config",
    "dapr.io/enable-app-health-check",
    "dapr.io/app-health-check-path",
    "dapr.io/sidecar-cpu-request",
    "dapr.io/sidecar-cpu-limit",
    "dapr.io/sidecar-memory-request",
    "dapr.io/sidecar-memory-limit",
    "dapr.io/log-as-json",
    "dapr.io/enable-metrics",
}


@pytest.mark.parametrize("which", WHICH)
def test_dapr_annotations_match_the_pods(which: str) -> None:
    configs = {o["metadata"]["name"] for o in objects(which, "Configuration")}
    for d in _app_deployments(which):
        ann = pod_annotations(d)
        name = d["metadata"]["name"]
        missing = DAPR_REQUIRED_ANNOTATIONS - set(ann)
        assert not missing, f"{name}: missing {sorted(missing)}"
        assert ann["dapr.io/enabled"] == "true"
        assert ann["dapr.io/app-id"] == COMPONENTS[_component(d)]
        ports = {str(p["containerPort"]) for c in containers(d) for p in c.get("ports", [])}
        assert ann["dapr.io/app-port"] in ports, f"{name}: app-port not a container port"
        assert ann["dapr.io/config"] in configs, (
            f"{name}: config {ann['dapr.io/config']} not rendered"
        )
        assert ann["dapr.io/app-health-check-path"] in {"/health", "/ready"}
        assert ann["dapr.io/log-as-json"] == "true"
    (job,) = objects(which, "Job")
    assert pod_annotations(job)["dapr.io/enabled"] == "false", "a Job with a sidecar never ends"


@pytest.mark.parametrize("which", WHICH)
def test_dapr_scopes_name_real_app_ids(which: str) -> None:
    deployed = {pod_annotations(d)["dapr.io/app-id"] for d in _app_deployments(which)}
    assert deployed <= APP_IDS
    scoped = [o for o in objects(which) if o["kind"] in {"Component", "Resiliency"}]
    assert scoped
    for o in scoped:
        scopes = o.get("scopes")
        assert scopes, f"{o['kind']}/{o['metadata']['name']} is not scoped"
        assert set(scopes) <= deployed, f"{o['metadata']['name']}: {set(scopes) - deployed}"


@pytest.mark.parametrize("which", WHICH)
def test_dapr_components(which: str) -> None:
    comps = {o["spec"]["type"]: o for o in objects(which, "Component")}
    assert set(comps) == {"pubsub.kafka", "state.postgresql", "secretstores.kubernetes"}

    pubsub = comps["pubsub.kafka"]
    meta = {m["name"]: m for m in pubsub["spec"]["metadata"]}
    assert meta["authType"]["value"] in {"none", "password", "mtls", "oidc", "awsiam"}
    assert meta["brokers"]["value"]
    assert meta["allowedTopics"]["value"].split(",") == list(ALL_TOPICS)
    assert "todo-relay" in pubsub["scopes"]
    name = pubsub["metadata"]["name"]
    config_maps = objects(which, "ConfigMap")
    assert any(cm["data"].get("DAPR_PUBSUB_NAME") == name for cm in config_maps)

    state = comps["state.postgresql"]
    assert state["spec"]["version"] == "v2"
    assert state["scopes"] == ["todo-api"]
    state_meta = {m["name"]: m for m in state["spec"]["metadata"]}
    assert "secretKeyRef" in state_meta["connectionString"], "connection string by reference"

    assert comps["secretstores.kubernetes"]["spec"]["version"] == "v1"

    (resiliency,) = objects(which, "Resiliency")
    policies = resiliency["spec"]["policies"]
    assert policies["timeouts"]
    assert policies["retries"]
    assert policies["circuitBreakers"]
    component_names = {o["metadata"]["name"] for o in objects(which, "Component")}
    for target, directions in resiliency["spec"]["targets"]["components"].items():
        assert target in component_names
        for ref in directions.values():
            assert ref["timeout"] in policies["timeouts"]
            assert ref["retry"] in policies["retries"]
            assert ref["circuitBreaker"] in policies["circuitBreakers"]

    (config,) = objects(which, "Configuration")
    assert "samplingRate" in config["spec"]["tracing"]
    assert config["spec"]["metrics"]["enabled"] is True
    (scope,) = config["spec"]["secrets"]["scopes"]
    assert scope["storeName"] == comps["secretstores.kubernetes"]["metadata"]["name"]
    assert scope["defaultAccess"] == "deny"


# --- secrets, config ------------------------------------------------------------------------

SECRETISH = re.compile(r"SECRET|PASSWORD|TOKEN|DATABASE_URL|_KEY$")
# Env vars the chart sets that are not Settings fields (read by libraries, not by our code).
NON_SETTINGS_ENV = {
    "OTEL_SERVICE_NAME",
    "POSTGRES_DB",
    "POSTGRES_USER",
    "POSTGRES_PASSWORD",
    "PGDATA",
}


@pytest.mark.parametrize("which", WHICH)
def test_secrets_only_by_reference(which: str) -> None:
    assert not objects(which, "Secret"), "the chart must not create Secrets"
    for obj in objects(which):
        for c in containers(obj):
            for e in c.get("env", []):
                if SECRETISH.search(e["name"]):
                    assert "secretKeyRef" in e.get("valueFrom", {}), e
    for cm in objects(which, "ConfigMap"):
        leaked = [k for k in cm["data"] if SECRETISH.search(k)]
        assert not leaked, f"secret-looking keys in ConfigMap: {leaked}"


@pytest.mark.parametrize("which", WHICH)
def test_env_names_are_settings(which: str) -> None:
    """A misspelled env var is silently ignored by pydantic-settings: catch it here."""
    known = {name.upper() for name in Settings.model_fields} | NON_SETTINGS_ENV
    (cm,) = objects(which, "ConfigMap")
    names = set(cm["data"])
    for d in _app_deployments(which):
        names |= {e["name"] for c in containers(d) for e in c.get("env", [])}
    assert names - known == set()
    assert cm["data"]["HOST"] == "0.0.0.0"


# --- availability, network, observability, hooks ----------------------------------------------


@pytest.mark.parametrize("which", ["default", "production"])
def test_every_component_has_a_pdb_and_a_network_policy(which: str) -> None:
    def selected(kind: str) -> set[str]:
        out = set()
        for o in objects(which, kind):
            sel = o["spec"].get("selector") or o["spec"].get("podSelector")
            out.add(sel["matchLabels"].get("app.kubernetes.io/component"))
        return out

    assert set(COMPONENTS) <= selected("PodDisruptionBudget")
    assert set(COMPONENTS) <= selected("NetworkPolicy")
    for d in _app_deployments(which):
        labels = d["spec"]["template"]["metadata"]["labels"]
        assert d["spec"]["selector"]["matchLabels"].items() <= labels.items()


def test_production_autoscales_within_partitions() -> None:
    hpas = {
        o["spec"]["scaleTargetRef"]["name"]: o
        for o in objects("production", "HorizontalPodAutoscaler")
    }
    assert set(hpas) == {"todo-agent-api"}  # notification scales on lag (KEDA), not on CPU
    scaled = {o["spec"]["scaleTargetRef"]["name"]: o for o in objects("production", "ScaledObject")}
    assert set(scaled) == {"todo-agent-notification"}
    partitions = load_values("production")["kafka"]["partitions"]
    assert scaled["todo-agent-notification"]["spec"]["maxReplicaCount"] <= partitions
    for d in _app_deployments("production"):
        if _component(d) in {"api", "notification"}:
            assert "replicas" not in d["spec"], "the autoscaler owns the replica count"
    monitors = objects("production", "ServiceMonitor")
    assert {
        m["spec"]["selector"]["matchLabels"]["app.kubernetes.io/component"] for m in monitors
    } == set(COMPONENTS)
    assert not objects("default", "ServiceMonitor"), "optional: off by default"
    assert not objects("default", "HorizontalPodAutoscaler"), "optional: off by default"
    assert not objects("default", "ScaledObject"), "optional: off by default (needs KEDA)"


def test_production_egress_is_restricted() -> None:
    for np in objects("production", "NetworkPolicy"):
        assert "Egress" in np["spec"]["policyTypes"]


@pytest.mark.parametrize("which", WHICH)
def test_migration_hook_and_helm_test(which: str) -> None:
    (job,) = objects(which, "Job")
    hooks = set(job["metadata"]["annotations"]["helm.sh/hook"].split(","))
    assert "pre-upgrade" in hooks
    assert hooks & {"pre-install", "post-install"}
    if which != "local":  # local installs its own Postgres, so it migrates post-install
        assert "pre-install" in hooks

    tests = [
        p
        for p in objects(which, "Pod")
        if p["metadata"]["annotations"].get("helm.sh/hook") == "test"
    ]
    assert len(tests) == 1
    args = tests[0]["spec"]["containers"][0]["args"]
    services = {s["metadata"]["name"]: s for s in objects(which, "Service")}
    urls = [a for a in args if a.startswith("http://")]
    assert len(urls) == len(COMPONENTS)
    for url in urls:
        host, port = re.match(r"http://([^:/]+):(\d+)/health$", url).groups()
        assert host in services, url
        assert int(port) in {p["port"] for p in services[host]["spec"]["ports"]}


def test_local_runs_its_own_postgres_and_kafka() -> None:
    sets = {s["metadata"]["name"] for s in objects("local", "StatefulSet")}
    assert sets == {"todo-agent-postgres", "todo-agent-kafka"}
    (cm,) = objects("local", "ConfigMap")
    assert cm["data"]["KAFKA_BOOTSTRAP_SERVERS"] == "todo-agent-kafka:9092"
    assert not objects("default", "StatefulSet")
    (prod_cm,) = objects("production", "ConfigMap")
    assert "example.internal" in prod_cm["data"]["KAFKA_BOOTSTRAP_SERVERS"]
    prod_pubsub = next(
        o for o in objects("production", "Component") if o["spec"]["type"] == "pubsub.kafka"
    )
    meta = {m["name"]: m for m in prod_pubsub["spec"]["metadata"]}
    assert meta["authType"]["value"] == "password"
    assert "secretKeyRef" in meta["saslPassword"]


def test_component_commands_exist_in_the_cli() -> None:
    """The args the chart passes are real `todo-agent` subcommands."""
    import typer

    from runtime.cli import app

    commands = typer.main.get_command(app).commands
    for name in ("api", "relay", "migrate"):
        assert name in commands, name
    if "consumer" not in commands:
        pytest.skip("`todo-agent consumer` has not landed yet (consumers issue)")
    consumer = commands["consumer"]
    names = set(getattr(consumer, "commands", {}))
    if names:  # a group of subcommands; otherwise an argument validated at run time
        assert {"notification", "recurring", "audit"} <= names


def test_only_the_api_is_exposed() -> None:
    assert not objects("default", "Ingress"), "optional: off by default"
    (ingress,) = objects("production", "Ingress")
    (rule,) = ingress["spec"]["rules"]
    backend = rule["http"]["paths"][0]["backend"]["service"]
    assert backend == {"name": "todo-agent-api", "port": {"name": "http"}}
    assert ingress["spec"]["tls"][0]["hosts"] == [rule["host"]]
    for svc in objects("production", "Service"):
        assert svc["spec"]["type"] == "ClusterIP", svc["metadata"]["name"]


def test_audit_chain_is_verified_on_a_schedule_in_production() -> None:
    assert not objects("default", "CronJob"), "optional: off by default"
    (cron,) = objects("production", "CronJob")
    assert cron["metadata"]["name"] == "todo-agent-audit-verify"
    (c,) = cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"]
    assert c["args"] == ["audit", "verify"]
    assert cron["spec"]["jobTemplate"]["spec"]["backoffLimit"] == 0, "a failure must surface"
