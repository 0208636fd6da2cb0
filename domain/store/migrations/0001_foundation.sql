-- Users, tasks and the transactional outbox. Consumers own the `notification` and `audit` schemas.
CREATE SCHEMA IF NOT EXISTS app;
CREATE SCHEMA IF NOT EXISTS notification;
CREATE SCHEMA IF NOT EXISTS audit;

CREATE TABLE app.users (
    id            uuid PRIMARY KEY,
    email         text NOT NULL,
    password_hash text NOT NULL,
    timezone      text NOT NULL DEFAULT 'UTC',
    locale        text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'ur')),
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON app.users (lower(email));

CREATE TABLE app.tasks (
    id           uuid PRIMARY KEY,
    owner_id     uuid NOT NULL REFERENCES app.users (id) ON DELETE CASCADE,
    title        text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    notes        text,
    status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
    priority     smallint NOT NULL DEFAULT 4 CHECK (priority BETWEEN 1 AND 4),
    tags         text[] NOT NULL DEFAULT '{}',
    due          timestamptz,
    all_day      boolean NOT NULL DEFAULT false,
    reminders    jsonb NOT NULL DEFAULT '[]',
    rrule        text,
    series_id    uuid,
    occurrence   integer NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    completed_at timestamptz,
    version      integer NOT NULL DEFAULT 1
);
-- Keyset pagination walks (created_at, id) newest first within one owner.
CREATE INDEX tasks_owner_created ON app.tasks (owner_id, created_at DESC, id DESC);
CREATE INDEX tasks_owner_due ON app.tasks (owner_id, due) WHERE status = 'open';
CREATE INDEX tasks_tags ON app.tasks USING gin (tags);

-- A replayed tool call (graph resume, client retry) finds its first result here.
CREATE TABLE app.idempotency_keys (
    owner_id   uuid NOT NULL REFERENCES app.users (id) ON DELETE CASCADE,
    key        text NOT NULL,
    result     jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (owner_id, key)
);

CREATE TABLE app.outbox (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic        text NOT NULL,
    key          text NOT NULL,
    event        jsonb NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    published_at timestamptz
);
CREATE INDEX outbox_unpublished ON app.outbox (id) WHERE published_at IS NULL;

-- NOTIFY is delivered at commit and collapsed per transaction: one wake-up per change.
CREATE FUNCTION app.outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('outbox', '');
    RETURN NULL;
END $$;
CREATE TRIGGER outbox_notify AFTER INSERT ON app.outbox
    FOR EACH STATEMENT EXECUTE FUNCTION app.outbox_notify();
