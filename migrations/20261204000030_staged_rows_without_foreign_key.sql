-- The staged rows of an import without a foreign key to their import: the key's check ran once
-- per row, and made staging a million rows five times slower than the COPY itself
-- (docs/PERFORMANCE.md). The rows are written only by the staging of an import that exists, in
-- its transaction; an import deleted takes its staged rows with it by the trigger below, as the
-- key's ON DELETE CASCADE did.
ALTER TABLE ledger_import_row DROP CONSTRAINT ledger_import_row_import_id_fkey;

CREATE FUNCTION ledger_import_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM ledger_import_row r USING gone g WHERE r.import_id = g.id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER ledger_import_deleted AFTER DELETE ON ledger_import
    REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_import_deleted();
