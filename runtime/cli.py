"""The `todo-agent` command: one entry point for every process of the system."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Coroutine
from enum import StrEnum
from typing import Annotated, Any

import asyncpg
import typer

from core.logging import setup_logging
from core.settings import get_settings

app = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)
audit_app = typer.Typer(no_args_is_help=True, help="The audit trail.")
dlq_app = typer.Typer(no_args_is_help=True, help="Dead-letter topics.")
app.add_typer(audit_app, name="audit")
app.add_typer(dlq_app, name="dlq")


@app.callback()
def _check_settings() -> None:
    """Read the configuration once before any command: a bad value (PORT=abc) is one clear
    sentence per variable and exit code 2, not a traceback."""
    from pydantic import ValidationError

    try:
        get_settings()
    except ValidationError as exc:
        for error in exc.errors():
            name = "_".join(str(p) for p in error["loc"]).upper() or "settings"
            typer.echo(f"todo-agent: {name}={error.get('input')!r}: {error['msg']}", err=True)
        raise typer.Exit(2) from None


def _logging(component: str) -> None:
    settings = get_settings()
    setup_logging(component, level=settings.log_level, as_json=settings.log_json)


@app.command()
def up(
    port: Annotated[int | None, typer.Option(help="API port (default: PORT or 8000)")] = None,
    host: Annotated[
        str | None, typer.Option(help="API bind address (default: HOST or 127.0.0.1)")
    ] = None,
) -> None:
    """Start everything (embedded Postgres and broker unless configured); Ctrl-C stops all."""
    from runtime.supervisor import run_all

    settings = get_settings()
    raise typer.Exit(run_all(host=host or settings.host, port=port or settings.port))


@app.command()
def mail(
    last: Annotated[int, typer.Option(help="show the newest N messages (0: all)")] = 10,
) -> None:
    """Show the e-mail `up` kept in its local mail sink (used while SMTP_HOST is unset)."""
    from runtime.mail_sink import maildir_path, read_mail

    settings = get_settings()
    mails = list(read_mail(settings.data_dir))
    if not mails:
        typer.echo(f"no mail in {maildir_path(settings.data_dir)}")
        return
    for m in mails[-last:] if last > 0 else mails:
        typer.echo(f"{m.received:%Y-%m-%d %H:%M:%S} UTC  to {m.to}\n  {m.subject}")
        typer.echo("".join(f"  | {line}\n" for line in m.body.splitlines()), nl=False)


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
def chat(
    url: Annotated[
        str | None, typer.Option(help="the API (default: a running `up`'s, else PUBLIC_URL)")
    ] = None,
    email: Annotated[str | None, typer.Option(help="log in as (asked when needed)")] = None,
    new: Annotated[bool, typer.Option("--new", help="start a new conversation")] = False,
    register: Annotated[
        bool,
        typer.Option("--register", help="create the account first (this machine's time zone)"),
    ] = False,
) -> None:
    """Chat with the assistant in this terminal (log in once; the conversation is kept).

    The password is asked for, or read from TODO_AGENT_PASSWORD; lines piped to stdin are sent
    one by one, each reply printed on its own."""
    from runtime.chat_cli import run
    from runtime.endpoints import api_url

    settings = get_settings()
    raise typer.Exit(
        run(
            url or api_url(settings),
            settings.data_dir,
            email=email,
            password=os.environ.get("TODO_AGENT_PASSWORD"),
            new=new,
            register=register,
        )
    )


def _run_fast(main: Coroutine[Any, Any, None]) -> None:
    """Run on uvloop, as uvicorn runs the API (uvicorn[standard] installs it): the relay is all
    I/O (asyncpg, aiokafka), which uvloop's loop does with less CPU than asyncio's own."""
    try:
        import uvloop
    except ImportError:  # a platform without it: the standard loop does the same, slower
        asyncio.run(main)
    else:
        uvloop.run(main)


@app.command()
def relay() -> None:
    """Publish the outbox to the broker (or the Dapr sidecar)."""
    from runtime.relay_service import serve

    _logging("relay")
    _run_fast(serve(get_settings()))


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
