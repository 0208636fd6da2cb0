-- The append-only audit trail: each entry carries the hash of the one before it, so a changed,
-- removed or inserted entry breaks the chain (`todo-agent audit verify`).

CREATE TABLE audit.log (
    seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The event id is the idempotency key: a redelivered event is not appended twice.
    event_id    text NOT NULL UNIQUE,
    topic       text NOT NULL,
    type        text NOT NULL,
    user_id     text NOT NULL,
    task_id     uuid,
    occurred_at timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL,
    -- The exact canonical JSON that was hashed; the columns above are copies for filtering.
    entry       text NOT NULL,
    prev_hash   text NOT NULL,
    hash        text NOT NULL UNIQUE
);
CREATE INDEX log_user_seq ON audit.log (user_id, seq);
CREATE INDEX log_user_task ON audit.log (user_id, task_id, seq);

CREATE FUNCTION audit.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit.log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER log_append_only BEFORE UPDATE OR DELETE ON audit.log
    FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER log_no_truncate BEFORE TRUNCATE ON audit.log
    FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();
