-- The session table, until now created by the session store crate at start-up; the application
-- keeps its sessions itself (auth::sessions), so the table is part of the schema like any other.
CREATE SCHEMA IF NOT EXISTS tower_sessions;
CREATE TABLE IF NOT EXISTS tower_sessions.session (
    id text PRIMARY KEY NOT NULL,
    data bytea NOT NULL,
    expiry_date timestamptz NOT NULL
);
