"""The `todo-agent` command: one entry point for every process of the system."""

from __future__ import annotations

import asyncio
import os
from enum import StrEnum
from typing import Annotated

import asyncpg
import typer

from core.logging import setup_logging
from core.settings import get_settings

app = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)
audit_app = typer.Typer(no_args_is_help=True, help="The audit trail.")
dlq_app = typer.Typer(no_args_is_help=True, help="Dead-letter topics.")
app.add_typer(audit_app, name="audit")
app.add_typer(dlq_app, name="dlq")


def _logging(component: str) -> None:
    settings = get_settings()
    setup_logging(component, level=settings.log_level, as_json=settings.log_json)


@app.command()
def up(
    port: Annotated[int, typer.Option(help="API port")] = 8000,
    host: Annotated[str, typer.Option(help="API bind address")] = "127.0.0.1",
) -> None:
    """Start everything (embedded Postgres and broker unless configured); Ctrl-C stops all."""
    from runtime.supervisor import run_all

    raise typer.Exit(run_all(host=host, port=port))


@app.command()
def api(
    port: Annotated[int | None, typer.Option(help="default: PORT or 8000")] = None,
    host: Annotated[str | None, typer.Option(help="default: HOST or 127.0.0.1")] = None,
    workers: Annotated[int | None, typer.Option(help="default: WORKERS or 1")] = None,
) -> None:
    """Serve the HTTP API."""
    import uvicorn

    # The app (and each worker) reads its settings from the environment: an address given here
    # must reach it too, or PUBLIC_URL, which follows HOST and PORT, names another port.
    for name, value in (("HOST", host), ("PORT", port)):
        if value is not None:
            os.environ[name] = str(value)
    get_settings.cache_clear()
    settings = get_settings()
    _logging("api")
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers or settings.workers,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=10,
    )


@app.command()
def relay() -> None:
    """Publish the outbox to the broker (or the Dapr sidecar)."""
    from runtime.relay_service import serve

    _logging("relay")
    asyncio.run(serve(get_settings()))


@app.command()
def migrate() -> None:
    """Apply the database migrations and exit."""
    from runtime.endpoints import database_url

    _logging("migrate")
    with database_url(get_settings()) as url:
        applied = asyncio.run(_migrate(url))
    typer.echo(f"applied: {', '.join(applied) or 'nothing (up to date)'}")


async def _migrate(url: str) -> list[str]:
    import asyncpg

    from domain.store import migrate as run_migrations

    conn = await asyncpg.connect(url)
    try:
        return await run_migrations(conn)
    finally:
        await conn.close()


class ConsumerName(StrEnum):
    notification = "notification"
    recurring = "recurring"
    audit = "audit"


@app.command()
def consumer(name: Annotated[ConsumerName, typer.Argument(help="which consumer to run")]) -> None:
    """Run one event consumer (its own process, health and metrics on HTTP_PORT)."""
    from consumers.apps import APPS
    from consumers.common.runtime import ConsumerService

    _logging(name.value)
    service = ConsumerService(APPS[name.value](), get_settings())
    asyncio.run(service.run_until_signalled())


@audit_app.command("verify")
def audit_verify() -> None:
    """Check the audit log's hash chain; exits 1 where it is broken."""
    from consumers.audit.verify_cli import verify_database
    from runtime.endpoints import database_url

    with database_url(get_settings()) as url:
        try:
            result = asyncio.run(verify_database(url))
        except asyncpg.UndefinedTableError:
            typer.echo("no audit log in this database yet (`todo-agent migrate` creates it)")
            return
    for br in result.breaks:
        typer.echo(f"broken at entry {br.seq}: {br.reason}", err=True)
    if not result.ok:
        typer.echo(f"audit log BROKEN ({result.entries} entries checked)", err=True)
        raise typer.Exit(1)
    typer.echo(f"audit log intact: {result.entries} entries, head {result.head}")


@dlq_app.command("replay")
def dlq_replay(
    topic: Annotated[str, typer.Argument(help="e.g. task-events (or task-events.dlq)")],
) -> None:
    """Republish a dead-letter topic's messages to their original topic."""
    from consumers.common.dlq_replay import replay, source_topic
    from runtime.endpoints import NoEndpoint, kafka_bootstrap_servers

    try:
        bootstrap = kafka_bootstrap_servers(get_settings())
        target = source_topic(topic)
    except (NoEndpoint, ValueError) as exc:
        raise typer.BadParameter(str(exc)) from exc
    count = asyncio.run(replay(bootstrap, target))
    typer.echo(f"replayed {count} message(s) from {target}.dlq to {target}")


def main() -> None:  # pragma: no cover - console script shim
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    app()


@app.command()
def asyncapi(
    yaml: Annotated[bool, typer.Option("--yaml", help="YAML instead of JSON")] = False,
) -> None:
    """Print the AsyncAPI 3 document of the Kafka topics (CloudEvents and their payloads)."""
    import json

    from runtime.asyncapi import document

    doc = document(get_settings().kafka_bootstrap_servers or "localhost:9092")
    if yaml:
        import yaml as pyyaml

        typer.echo(pyyaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
    else:
        typer.echo(json.dumps(doc, indent=2, ensure_ascii=False))
