"""Offline gate, who may reach and read what: PUBLIC_URL follows the ingress host, the ingress
routes only the API's public paths, each component gets only the secrets it uses, migrations
have a credential of their own, reminder webhooks may leave the cluster from the notification
consumer alone, and the notification consumer scales on its consumer group's lag (KEDA)."""

from __future__ import annotations

import copy
import ipaddress
from typing import Any

import jsonschema
import pytest
from deploy_support import containers, load_schema, load_values, objects, parse, render_raw

from consumers.common.settings import ConsumerSettings

COMPONENTS = ("api", "relay", "notification", "recurring", "audit")
# The routes the API serves only to the cluster (probes, Prometheus).
INTERNAL = ("/metrics", "/health", "/ready")


def _by_component(docs: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {
        d["metadata"]["labels"]["app.kubernetes.io/component"]: d for d in docs if d["kind"] == kind
    }


def _secret_env(obj: dict[str, Any]) -> dict[str, str]:
    """env name -> Secret name, of every container of a workload."""
    return {
        e["name"]: e["valueFrom"]["secretKeyRef"]["name"]
        for c in containers(obj)
        for e in c.get("env", [])
        if "secretKeyRef" in e.get("valueFrom", {})
    }


def _render(values: dict[str, Any]) -> list[dict[str, Any]]:
    return [doc for _, doc in parse(render_raw(values))]


def test_public_url_follows_the_ingress_host() -> None:
    (cm,) = objects("production", "ConfigMap")
    assert cm["data"]["PUBLIC_URL"] == "https://todo.example.com"
    values = copy.deepcopy(load_values("production"))
    values["ingress"]["tlsSecret"] = ""
    (cm,) = [d for d in _render(values) if d["kind"] == "ConfigMap"]
    assert cm["data"]["PUBLIC_URL"] == "http://todo.example.com"
    values["config"]["publicUrl"] = "https://todo.example.org/api"
    (cm,) = [d for d in _render(values) if d["kind"] == "ConfigMap"]
    assert cm["data"]["PUBLIC_URL"] == "https://todo.example.org/api"
    (cm,) = objects("default", "ConfigMap")
    assert "PUBLIC_URL" not in cm["data"]  # no ingress and no publicUrl: nothing to say


def test_the_ingress_routes_only_the_public_api() -> None:
    (ingress,) = objects("production", "Ingress")
    (rule,) = ingress["spec"]["rules"]
    paths = {p["path"]: p["pathType"] for p in rule["http"]["paths"]}
    # The API, the OAuth metadata and endpoints, and the web app's page (exactly /) and files.
    assert paths == {"/v1": "Prefix", "/mcp": "Prefix", "/.well-known": "Prefix",
                     "/authorize": "Prefix", "/token": "Prefix", "/register": "Prefix",
                     "/revoke": "Prefix", "/oauth": "Prefix",
                     "/": "Exact", "/web": "Prefix"}  # fmt: skip
    assert {p["backend"]["service"]["name"] for p in rule["http"]["paths"]} == {"todo-agent-api"}

    def exposed(routes: dict[str, str]) -> set[str]:
        return {
            route
            for path, kind in routes.items()
            for route in (*INTERNAL, "/docs", "/openapi.json")
            if (route == path if kind == "Exact" else route.startswith(path))
        }

    assert exposed(paths) == set()
    values = copy.deepcopy(load_values("production"))
    values["ingress"]["exposeDocs"] = True
    (ingress,) = [d for d in _render(values) if d["kind"] == "Ingress"]
    routed = {p["path"]: p["pathType"] for p in ingress["spec"]["rules"][0]["http"]["paths"]}
    assert {"/docs", "/static/docs", "/openapi.json"} <= set(routed)
    assert exposed(routed) == {"/docs", "/openapi.json"}


# The secrets (by env name) each component needs; anything else it gets is too much.
NEEDS = {
    "api": {"DATABASE_URL", "JWT_SECRET", "JWT_SECRET_PREVIOUS"},
    "relay": {"DATABASE_URL", "DAPR_API_TOKEN"},
    "notification": {"DATABASE_URL", "SMTP_USERNAME", "SMTP_PASSWORD", "DAPR_API_TOKEN"},
    "recurring": {"DATABASE_URL", "DAPR_API_TOKEN"},
    "audit": {"DATABASE_URL", "DAPR_API_TOKEN"},
}


@pytest.mark.parametrize("which", ["default", "production"])
def test_each_component_gets_only_the_secrets_it_uses(which: str) -> None:
    deployments = _by_component(objects(which), "Deployment")
    for name in COMPONENTS:
        got = set(_secret_env(deployments[name]))
        assert got <= NEEDS[name], f"{name} also gets {got - NEEDS[name]}"
        assert "DATABASE_URL" in got
    assert "JWT_SECRET" in _secret_env(deployments["api"])
    if which == "production":
        assert "SMTP_PASSWORD" in _secret_env(deployments["notification"])


def test_production_gives_each_component_and_the_migrations_their_own_database_role() -> None:
    docs = objects("production")
    deployments = _by_component(docs, "Deployment")
    db = {name: _secret_env(deployments[name])["DATABASE_URL"] for name in COMPONENTS}
    assert len(set(db.values())) == len(COMPONENTS), db
    (job,) = [d for d in docs if d["kind"] == "Job"]
    migrate = _secret_env(job)["DATABASE_URL"]
    assert migrate == "todo-agent-db-migrate"
    assert migrate not in db.values(), "only the migration Job may change the schema"
    (cron,) = [d for d in docs if d["kind"] == "CronJob"]
    assert _secret_env(cron)["DATABASE_URL"] == db["audit"]
    (store,) = [
        d for d in docs if d["kind"] == "Component" and d["spec"]["type"] == "state.postgresql"
    ]
    conn = next(m for m in store["spec"]["metadata"] if m["name"] == "connectionString")
    assert conn["secretKeyRef"]["name"] == db["api"]  # the state store is the API's
    # Without its own credentials a component falls back to secrets.database.
    deployments = _by_component(objects("default"), "Deployment")
    assert {_secret_env(d)["DATABASE_URL"] for d in deployments.values()} == {"todo-agent-database"}


@pytest.mark.parametrize("which", ["default", "production"])
def test_dapr_reads_only_the_secrets_its_components_reference(which: str) -> None:
    docs = objects(which)
    (role,) = [d for d in docs if d["kind"] == "Role"]
    readable = set(role["rules"][0]["resourceNames"])
    assert readable, "an empty resourceNames would grant every Secret"
    values = load_values(which) or {}
    jwt = (values.get("secrets") or {}).get("jwt", {}).get("existingSecret", "todo-agent-jwt")
    smtp = (values.get("secrets") or {}).get("smtp", {}).get("existingSecret", "")
    assert jwt not in readable
    assert not smtp or smtp not in readable
    (config,) = [d for d in docs if d["kind"] == "Configuration"]
    assert set(config["spec"]["secrets"]["scopes"][0]["allowedSecrets"]) == readable


def test_only_the_notification_consumer_may_call_webhooks_outside() -> None:
    policies = _by_component(objects("production"), "NetworkPolicy")

    def public_blocks(np: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            rule
            for rule in np["spec"].get("egress", [])
            for peer in rule.get("to", [])
            if peer.get("ipBlock", {}).get("cidr") == "0.0.0.0/0"
        ]

    for name, np in policies.items():
        ports = {p["port"] for rule in public_blocks(np) for p in rule.get("ports", [])}
        if name == "notification":
            assert {443, 587} <= ports
        else:
            assert ports == set(), f"{name} may reach the internet on {ports}"
    webhook = next(
        r
        for r in public_blocks(policies["notification"])
        if {p["port"] for p in r["ports"]} == {443}
    )
    closed = [ipaddress.ip_network(c) for c in webhook["to"][0]["ipBlock"]["except"]]
    for private in ("10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "127.0.0.1"):
        assert any(ipaddress.ip_address(private) in net for net in closed), private
    # Off by default: a fresh install lets nothing leave.
    values = copy.deepcopy(load_values("production"))
    values["networkPolicy"]["egress"]["webhooks"]["enabled"] = False
    notification = _by_component(_render(values), "NetworkPolicy")["notification"]
    assert all(
        {p["port"] for p in r.get("ports", [])} != {443} for r in public_blocks(notification)
    )


def test_notification_scales_on_consumer_lag_with_keda() -> None:
    docs = objects("production")
    (scaled,) = [d for d in docs if d["kind"] == "ScaledObject"]
    assert scaled["spec"]["scaleTargetRef"]["name"] == "todo-agent-notification"
    (trigger,) = scaled["spec"]["triggers"]
    assert trigger["type"] == "kafka"
    meta = trigger["metadata"]
    assert meta["topic"] == "reminders"
    # The group the consumer really joins.
    assert meta["consumerGroup"] == ConsumerSettings().group_id("notification")
    (cm,) = [d for d in docs if d["kind"] == "ConfigMap"]
    assert meta["bootstrapServers"] == cm["data"]["KAFKA_BOOTSTRAP_SERVERS"]
    assert (meta["sasl"], meta["tls"]) == ("scram_sha512", "enable")
    (auth,) = [d for d in docs if d["kind"] == "TriggerAuthentication"]
    assert trigger["authenticationRef"]["name"] == auth["metadata"]["name"]
    refs = {r["parameter"]: r["name"] for r in auth["spec"]["secretTargetRef"]}
    assert refs == {"username": "todo-agent-kafka", "password": "todo-agent-kafka"}


def test_keda_schemas_catch_what_the_api_server_would_refuse_or_prune() -> None:
    (scaled,) = objects("production", "ScaledObject")
    schema = load_schema("keda-scaledobject.json")
    jsonschema.validate(scaled, schema)
    typo = copy.deepcopy(scaled)
    typo["spec"]["maxReplicas"] = 12  # the HPA's word, not KEDA's
    with pytest.raises(jsonschema.ValidationError, match="maxReplicas"):
        jsonschema.validate(typo, schema)
    number = copy.deepcopy(scaled)
    number["spec"]["triggers"][0]["metadata"]["lagThreshold"] = 50  # metadata is strings
    with pytest.raises(jsonschema.ValidationError, match="50"):
        jsonschema.validate(number, schema)
    unknown = copy.deepcopy(scaled)
    unknown["spec"]["triggers"][0]["metadata"]["consumergroup"] = "x"
    with pytest.raises(jsonschema.ValidationError, match="consumergroup"):
        jsonschema.validate(unknown, schema)
    (auth,) = objects("production", "TriggerAuthentication")
    auth["spec"]["secretTargetRefs"] = auth["spec"].pop("secretTargetRef")
    with pytest.raises(jsonschema.ValidationError, match="secretTargetRefs"):
        jsonschema.validate(auth, load_schema("keda-triggerauthentication.json"))
