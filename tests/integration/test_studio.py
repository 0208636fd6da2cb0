"""LangGraph Studio's server (`langgraph dev`) loads the orchestrator and every skill graph."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from runtime.embedded import free_port

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = {"orchestrator", "task_skill", "reminder_skill", "recurring_skill", "audit_skill"}


def test_langgraph_dev_loads_every_graph(tmp_path: Path) -> None:
    config = json.loads((ROOT / "langgraph.json").read_text())
    assert set(config["graphs"]) == EXPECTED
    port = free_port()
    cli = Path(sys.executable).with_name("langgraph")
    env = {**os.environ, "LANGSMITH_TRACING": "false", "LANGGRAPH_CLI_NO_ANALYTICS": "1"}
    proc = subprocess.Popen(
        [str(cli), "dev", "--no-browser", "--no-reload", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        found: set[str] = set()
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/assistants/search",
                    data=b"{}",
                    headers={"Content-Type": "application/json"},
                )
                with urllib.request.urlopen(request, timeout=2) as r:
                    found = {a["graph_id"] for a in json.load(r)}
                break
            except OSError:
                time.sleep(0.5)
        output = "" if proc.poll() is None else proc.stdout.read().decode(errors="replace")
        assert found == EXPECTED, output[-3000:]
    finally:
        proc.terminate()
        proc.wait(20)
