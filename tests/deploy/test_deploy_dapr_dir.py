"""dapr/ is what the chart renders for local use: one source, checked here."""

from __future__ import annotations

import jsonschema
from deploy_support import (
    APP_IDS,
    CRD_SCHEMAS,
    DAPR_DIR,
    DAPR_HEADER,
    expected_dapr_dir,
    load_schema,
    read_dapr_dir,
)

REGENERATE = "dapr/ is stale: run .venv/bin/python tests/deploy/deploy_support.py"


def test_dapr_dir_matches_the_chart() -> None:
    expected = expected_dapr_dir()
    actual = read_dapr_dir()
    assert sorted(actual) == sorted(expected), REGENERATE
    for name, doc in expected.items():
        assert actual[name] == doc, f"{name}: {REGENERATE}"


def test_dapr_dir_files_carry_the_generated_header() -> None:
    for path in DAPR_DIR.glob("*.yaml"):
        assert path.read_text().startswith(DAPR_HEADER), path.name


def test_dapr_dir_objects_are_valid_and_scoped() -> None:
    kinds = set()
    for name, doc in read_dapr_dir().items():
        schema = CRD_SCHEMAS[(doc["apiVersion"], doc["kind"])]
        jsonschema.validate(doc, load_schema(schema))
        kinds.add(doc["kind"])
        if doc["kind"] != "Configuration":
            assert doc["scopes"], name
            assert set(doc["scopes"]) <= APP_IDS, name
    assert kinds == {"Component", "Configuration", "Resiliency"}
    types = {d["spec"]["type"] for d in read_dapr_dir().values() if d["kind"] == "Component"}
    assert types == {"pubsub.kafka", "state.postgresql", "secretstores.kubernetes"}
