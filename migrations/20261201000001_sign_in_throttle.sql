-- Sign-in throttling per pair of account and client address, with increasing delays instead of
-- a hard lock. Keyed on the pair, so neither a busy proxy address nor someone guessing at the
-- admin account can lock anyone else out. Replaces the per-account and per-address counts.
DROP TABLE sign_in_failure;

CREATE TABLE sign_in_throttle (
    email            text NOT NULL,
    ip               text NOT NULL,
    -- Attempts since the last successful sign-in, counted before the password is checked.
    failures         integer NOT NULL,
    -- No attempt of this pair is checked before this moment.
    next_attempt_at  timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (email, ip)
);
CREATE INDEX sign_in_throttle_updated_idx ON sign_in_throttle (updated_at);
