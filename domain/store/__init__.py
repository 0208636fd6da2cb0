"""The Postgres task store: pool, migrations, users, tasks (with their outbox events)."""

from domain.store.errors import (
    AlreadyExists,
    InvalidChange,
    InvalidCursor,
    NotFound,
    StoreError,
    VersionConflict,
)
from domain.store.migrations import migrate
from domain.store.pool import create_pool
from domain.store.tasks import Meta, Page, TaskStore
from domain.store.users import UserStore

__all__ = [
    "AlreadyExists",
    "InvalidChange",
    "InvalidCursor",
    "Meta",
    "NotFound",
    "Page",
    "StoreError",
    "TaskStore",
    "UserStore",
    "VersionConflict",
    "create_pool",
    "migrate",
]
