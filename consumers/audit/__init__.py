"""The audit consumer: every topic into an append-only, hash-chained log."""
