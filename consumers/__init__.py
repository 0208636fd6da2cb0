"""Event consumers, each its own FastStream process: notification, recurring, audit."""
