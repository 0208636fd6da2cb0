-- A WebSocket client that reconnects to another API replica (or after a restart) resumes from
-- the outbox: one user's task-updates, in order.
CREATE INDEX outbox_task_updates ON app.outbox (key, id) WHERE topic = 'task-updates';
