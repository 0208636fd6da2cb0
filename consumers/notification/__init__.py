"""The notification consumer: keeps the reminder schedule and fires each reminder on time."""
