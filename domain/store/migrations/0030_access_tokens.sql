-- Credentials other than the password: personal access tokens, and the OAuth 2.1 authorization
-- server's clients, one-time codes and refresh tokens. Secrets are kept only as SHA-256 digests
-- (they are long random strings, so a fast hash is enough), never in the clear.
CREATE TABLE app.personal_access_tokens (
    id           uuid PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES app.users (id) ON DELETE CASCADE,
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    token_hash   bytea NOT NULL UNIQUE,
    scopes       text[] NOT NULL CHECK (cardinality(scopes) > 0),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
-- A name picks out one live token; a revoked token's name may be used again.
CREATE UNIQUE INDEX personal_access_tokens_live_name
    ON app.personal_access_tokens (user_id, name) WHERE revoked_at IS NULL;

-- Dynamically registered clients (RFC 7591): their metadata as the library validated it.
CREATE TABLE app.oauth_clients (
    client_id  text PRIMARY KEY,
    metadata   jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE app.oauth_codes (
    code_hash      bytea PRIMARY KEY,
    client_id      text NOT NULL REFERENCES app.oauth_clients (client_id) ON DELETE CASCADE,
    user_id        uuid NOT NULL REFERENCES app.users (id) ON DELETE CASCADE,
    scopes         text[] NOT NULL,
    code_challenge text NOT NULL,
    redirect_uri   text NOT NULL,
    redirect_uri_explicit boolean NOT NULL,
    resource       text,
    expires_at     timestamptz NOT NULL
);

-- Rotated on every use. A used token is kept (used_at) until it expires: presenting it again
-- means it leaked, and ends the whole grant (OAuth 2.1 refresh token reuse detection).
CREATE TABLE app.oauth_refresh_tokens (
    token_hash bytea PRIMARY KEY,
    client_id  text NOT NULL REFERENCES app.oauth_clients (client_id) ON DELETE CASCADE,
    user_id    uuid NOT NULL REFERENCES app.users (id) ON DELETE CASCADE,
    scopes     text[] NOT NULL,
    resource   text,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX oauth_refresh_tokens_grant ON app.oauth_refresh_tokens (user_id, client_id);
