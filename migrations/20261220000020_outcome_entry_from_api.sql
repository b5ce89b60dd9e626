-- An outcome entry booked through the JSON API is marked as such: like a manual entry it
-- belongs to no ledger import, but the line's entry list and the audit trail tell them apart.
ALTER TABLE outcome_entry
    DROP CONSTRAINT outcome_entry_source_check,
    DROP CONSTRAINT outcome_entry_batch_check,
    ADD CONSTRAINT outcome_entry_source_check CHECK (source IN ('manual', 'import', 'reversal', 'api')),
    ADD CONSTRAINT outcome_entry_batch_check CHECK ((source IN ('manual', 'api')) = (import_id IS NULL));
