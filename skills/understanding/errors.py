"""Errors a backend raises instead of guessing."""

from __future__ import annotations


class UnderstandingUnavailable(RuntimeError):
    """The backend could not produce an understanding (model server down, bad output, ...).

    The graph catches it to fall back to the rules backend or to tell the user to try again; it is
    never a reason to guess an intent.
    """

    def __init__(self, message: str, *, backend: str = "ollama", attempts: int = 0) -> None:
        super().__init__(message)
        self.backend = backend
        self.attempts = attempts
