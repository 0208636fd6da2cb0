"""What the store can refuse. Each maps to one HTTP problem type in the API."""

from __future__ import annotations


class StoreError(Exception):
    """Base of the domain's refusals; `str(err)` is a sentence a person understands."""


class NotFound(StoreError):
    pass


class VersionConflict(StoreError):
    def __init__(self, message: str, current_version: int) -> None:
        super().__init__(message)
        self.current_version = current_version


class AlreadyExists(StoreError):
    pass


class InvalidCursor(StoreError):
    pass


class InvalidChange(StoreError):
    """A change that would leave the task inconsistent (e.g. an offset reminder without due)."""


class IdempotencyKeyReused(StoreError):
    """The idempotency key was first used for another request (another task or operation)."""


class IdempotencyKeyInFlight(StoreError):
    """The idempotency key's first request has not recorded its result."""
