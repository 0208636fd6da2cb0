-- A user's calendar feed: one secret URL per user. Only the secret's SHA-256 is kept, so the
-- database never holds a usable feed URL; replacing the row (rotation) revokes the old one.
CREATE TABLE app.calendar_feeds (
    user_id     uuid PRIMARY KEY REFERENCES app.users (id) ON DELETE CASCADE,
    secret_hash bytea NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now()
);
