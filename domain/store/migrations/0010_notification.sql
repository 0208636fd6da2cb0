-- The notification consumer's own state: which events it applied, each user's channels, and the
-- reminder schedule it fires from. Nothing outside the notification consumer writes here.

CREATE TABLE notification.applied_events (
    event_id   text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
);

-- No row means the defaults: e-mail and in-app.
CREATE TABLE notification.settings (
    user_id     uuid PRIMARY KEY,
    channels    text[] NOT NULL DEFAULT '{email,in_app}'
                CHECK (channels <@ ARRAY['email', 'webhook', 'in_app']::text[]),
    webhook_url text,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE notification.schedule (
    reminder_id    uuid PRIMARY KEY,
    user_id        uuid NOT NULL,
    task_id        uuid NOT NULL,
    title          text NOT NULL,
    due            timestamptz,
    fire_at        timestamptz NOT NULL,
    state          text NOT NULL DEFAULT 'pending'
                   CHECK (state IN ('pending', 'delivered', 'failed', 'cancelled')),
    -- A claim is a lease: a replica that dies mid-delivery lets it lapse and another retries.
    claimed_until  timestamptz,
    attempts       integer NOT NULL DEFAULT 0,
    correlation_id text,
    last_error     text,
    scheduled_at   timestamptz NOT NULL DEFAULT now(),
    finished_at    timestamptz
);
CREATE INDEX schedule_pending_fire_at ON notification.schedule (fire_at) WHERE state = 'pending';
CREATE INDEX schedule_task ON notification.schedule (task_id) WHERE state = 'pending';

-- Wakes the scheduler when a schedule changes; delivered once per transaction at commit.
CREATE FUNCTION notification.schedule_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('notification_schedule', '');
    RETURN NULL;
END $$;
CREATE TRIGGER schedule_notify AFTER INSERT OR UPDATE OF state, fire_at ON notification.schedule
    FOR EACH STATEMENT EXECUTE FUNCTION notification.schedule_notify();
