-- The audit log's filters for auditors (issue 16): each filter reads newest first through an
-- index of its own, so a filtered page of a million-entry log reads only its page.
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, id);
CREATE INDEX audit_log_entity_kind_idx ON audit_log (entity, id);
-- Sign-ins are hidden unless asked for: the changes alone, newest first.
CREATE INDEX audit_log_changes_idx ON audit_log (id) WHERE entity <> 'session';
-- The entries of one subject (a portfolio item, a user …) newest first. It replaces the index
-- by time, since ids follow time and nothing orders a subject's entries by time alone.
CREATE INDEX audit_log_subject_idx ON audit_log (entity, entity_id, id);
DROP INDEX audit_log_entity_idx;
