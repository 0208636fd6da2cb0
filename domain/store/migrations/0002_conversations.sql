-- Conversations (one LangGraph thread each) and their messages, listed per user.
CREATE TABLE app.conversations (
    id              uuid PRIMARY KEY,
    owner_id        uuid NOT NULL REFERENCES app.users (id) ON DELETE CASCADE,
    title           text NOT NULL DEFAULT '',
    awaiting_reply  boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversations_owner ON app.conversations (owner_id, updated_at DESC);

CREATE TABLE app.messages (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    conversation_id uuid NOT NULL REFERENCES app.conversations (id) ON DELETE CASCADE,
    role            text NOT NULL CHECK (role IN ('user', 'assistant')),
    content         text NOT NULL,
    data            jsonb NOT NULL DEFAULT '{}',
    created_at      timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX messages_conversation ON app.messages (conversation_id, id);
