-- The append-only audit log: who changed what, when, from where, old and new value.
CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT clock_timestamp(),
    -- Null for events without a signed-in person (a failed sign-in, the command line).
    actor_id    uuid REFERENCES app_user (id),
    actor_label text NOT NULL,
    action      text NOT NULL,
    entity      text NOT NULL,
    entity_id   text,
    field       text,
    old_value   text,
    new_value   text,
    -- Where the change came from: client address and request id, or "cli".
    source      text NOT NULL,
    request_id  text
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id, at);
CREATE INDEX audit_log_at_idx ON audit_log (at);

-- Enforced in the database, for every role including the table's owner: rows are only ever
-- added. Triggers fire for UPDATE, DELETE and TRUNCATE alike; a privilege revoke alone would not
-- bind the owner, which is the role the application connects as.
CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_log_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;
