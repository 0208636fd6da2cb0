-- The recurring consumer's record of the task.completed events it has turned into next instances.
CREATE SCHEMA IF NOT EXISTS recurring;

CREATE TABLE recurring.applied_events (
    event_id     text PRIMARY KEY,
    next_task_id uuid,
    applied_at   timestamptz NOT NULL DEFAULT now()
);
