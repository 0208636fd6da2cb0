"""The Postgres task store: pool, migrations, users, tasks (with their outbox events)."""

from domain.store.access_tokens import (
    PAT_PREFIX,
    PersonalToken,
    PersonalTokenStore,
    TokenHolder,
)
from domain.store.conversations import Conversation, ConversationStore, Message
from domain.store.db import Connection, Db, atomic, connection, transaction
from domain.store.errors import (
    AlreadyExists,
    IdempotencyKeyInFlight,
    IdempotencyKeyReused,
    InvalidChange,
    InvalidCursor,
    NotFound,
    StoreError,
    VersionConflict,
)
from domain.store.meta import Meta, reminder_schedule
from domain.store.migrations import migrate
from domain.store.oauth import CodeGrant, OAuthStore, RefreshGrant
from domain.store.outbox import Outbox
from domain.store.pool import create_pool
from domain.store.tasks import Page, TaskStore
from domain.store.users import UserStore

__all__ = [
    "PAT_PREFIX",
    "AlreadyExists",
    "CodeGrant",
    "Connection",
    "Conversation",
    "ConversationStore",
    "Db",
    "IdempotencyKeyInFlight",
    "IdempotencyKeyReused",
    "InvalidChange",
    "InvalidCursor",
    "Message",
    "Meta",
    "NotFound",
    "OAuthStore",
    "Outbox",
    "Page",
    "PersonalToken",
    "PersonalTokenStore",
    "RefreshGrant",
    "StoreError",
    "TaskStore",
    "TokenHolder",
    "UserStore",
    "VersionConflict",
    "atomic",
    "connection",
    "create_pool",
    "migrate",
    "reminder_schedule",
    "transaction",
]
