"""Plumbing every consumer shares: settings, decoding, retries with a dead-letter topic,
idempotency records, publishing with confirmation, and the process runtime."""
