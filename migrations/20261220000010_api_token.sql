-- Personal API tokens: a user creates one to call /api/v1 as themselves. Only the token's
-- SHA-256 is stored (the token is 256 random bits, so a fast hash suffices); the token itself is
-- shown once. A token acts with its user's roles of the moment, never more; a read token may
-- only read. Expired and revoked tokens are kept for the audit trail.
CREATE TABLE api_token (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES app_user (id),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    token_hash  bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    -- The token's first characters, shown in the list so a user can tell their tokens apart.
    prefix      text NOT NULL CHECK (length(prefix) BETWEEN 4 AND 16),
    can_write   boolean NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL CHECK (expires_at > created_at),
    revoked_at  timestamptz,
    revoked_by  uuid REFERENCES app_user (id),
    CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);

CREATE INDEX api_token_user ON api_token (user_id, created_at);
