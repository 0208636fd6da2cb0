"""The Postgres task store: pool, migrations, users, tasks (with their outbox events)."""

from domain.store.errors import (
    AlreadyExists,
    InvalidChange,
    InvalidCursor,
    NotFound,
    StoreError,
    VersionConflict,
)
from domain.store.meta import Meta, reminder_schedule
from domain.store.migrations import migrate
from domain.store.outbox import Outbox
from domain.store.pool import create_pool
from domain.store.tasks import Page, TaskStore
from domain.store.users import UserStore

__all__ = [
    "AlreadyExists",
    "InvalidChange",
    "InvalidCursor",
    "Meta",
    "NotFound",
    "Outbox",
    "Page",
    "StoreError",
    "TaskStore",
    "UserStore",
    "VersionConflict",
    "create_pool",
    "migrate",
    "reminder_schedule",
]
