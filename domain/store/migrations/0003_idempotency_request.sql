-- What each idempotency key was first used for ("create", "complete <task id>", ...), so a key
-- replays only that request and reusing it for another one is refused. Keys stored before this
-- migration have none and keep replaying as they did.
ALTER TABLE app.idempotency_keys ADD COLUMN request text;
