"""`python -m runtime` is the `todo-agent` command."""

from runtime.cli import app

app()
