-- Failed sign-ins, counted per account and per client address to slow down guessing.
-- Rows older than a day are pruned; the audit log keeps the lasting record.
CREATE TABLE sign_in_failure (
    at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    email  text NOT NULL,
    ip     text NOT NULL
);
CREATE INDEX sign_in_failure_email_idx ON sign_in_failure (email, at);
CREATE INDEX sign_in_failure_ip_idx ON sign_in_failure (ip, at);
