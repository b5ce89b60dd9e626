-- Saving a ledger import (issue 14): the import becomes a batch that its outcome entries point
-- to, with their voucher; the vouchers a municipality has imported, so that an overlapping file
-- does not count them twice; and, per project, which budget line each account's outcome goes to.

-- The batch: the dates its rows span, who saved it and, if it was reversed, who and why.
ALTER TABLE ledger_import
    ADD COLUMN date_from   date,
    ADD COLUMN date_to     date,
    ADD COLUMN imported_by uuid REFERENCES app_user (id),
    ADD COLUMN imported_at timestamptz,
    ADD COLUMN undone_by   uuid REFERENCES app_user (id),
    ADD COLUMN undone_at   timestamptz,
    ADD COLUMN undo_reason text CHECK (length(undo_reason) BETWEEN 1 AND 2000);

-- The account names the file gives (#KONTO), for the mapping step. Gone with the import.
CREATE UNLOGGED TABLE ledger_import_account (
    import_id uuid NOT NULL REFERENCES ledger_import (id) ON DELETE CASCADE,
    account   text NOT NULL,
    name      text NOT NULL,
    PRIMARY KEY (import_id, account)
);

-- An imported entry points to its batch and its voucher ("SIE A 412"). Undoing a batch adds
-- reversing entries (source 'reversal') rather than deleting: the book is corrected by adding
-- (BFNAR 2013:2).
ALTER TABLE outcome_entry
    ADD COLUMN import_id uuid REFERENCES ledger_import (id),
    ADD COLUMN voucher   text CHECK (length(voucher) BETWEEN 1 AND 80),
    DROP CONSTRAINT outcome_entry_source_check,
    ADD CONSTRAINT outcome_entry_source_check CHECK (source IN ('manual', 'import', 'reversal')),
    ADD CONSTRAINT outcome_entry_batch_check CHECK ((source = 'manual') = (import_id IS NULL));
CREATE INDEX outcome_entry_import_idx ON outcome_entry (import_id) WHERE import_id IS NOT NULL;

-- Each voucher a municipality has imported, by year, series and number: a file that overlaps
-- an earlier one has these skipped. An undone batch gives its vouchers back.
CREATE TABLE ledger_voucher (
    municipality_id uuid NOT NULL REFERENCES municipality (id),
    year            integer NOT NULL,
    series          text NOT NULL,
    number          text NOT NULL,
    import_id       uuid NOT NULL REFERENCES ledger_import (id),
    PRIMARY KEY (municipality_id, year, series, number)
);
CREATE INDEX ledger_voucher_import_idx ON ledger_voucher (import_id);

-- Where a project's outcome on an account goes: one of its budget lines, or nowhere (NULL: the
-- account is explicitly left out, e.g. internal charges). Kept for the next import.
CREATE TABLE ledger_account_mapping (
    project_id     uuid NOT NULL REFERENCES project (id),
    account        text NOT NULL CHECK (length(account) BETWEEN 1 AND 40),
    budget_line_id uuid REFERENCES budget_line (id) ON DELETE CASCADE,
    version        integer NOT NULL DEFAULT 1,
    PRIMARY KEY (project_id, account)
);

-- What becomes of each staged row, by one rule that the preview and the save share:
-- 'earlier'   its voucher was imported before (by year, series and number): skipped;
-- 'balancing' no project object (supplier debts, VAT, bank): not project outcome;
-- 'unmatched' a project object that is no project of this municipality ('unknown'), is the
--             number of more than one ('ambiguous'), or whose final report is approved
--             ('closed'): listed with its sum, never saved;
-- 'unmapped'  the project's account has no budget line yet: stops the import until mapped;
-- 'excluded'  the account is explicitly left out for that project;
-- 'entry'     outcome on the mapped budget line.
CREATE VIEW ledger_import_row_class AS
SELECT r.import_id, r.line, r.series, r.number, r.voucher_date, r.account, r.cost_centre,
       r.project AS project_object, r.amount, r.row_date, r.text,
       p.id AS project_id, m.budget_line_id, v.import_id AS earlier_import,
       CASE
           WHEN v.import_id IS NOT NULL THEN 'earlier'
           WHEN r.project IS NULL THEN 'balancing'
           WHEN p.id IS NULL OR p.ambiguous OR p.closed THEN 'unmatched'
           WHEN m.project_id IS NULL THEN 'unmapped'
           WHEN m.budget_line_id IS NULL THEN 'excluded'
           ELSE 'entry'
       END AS class,
       CASE
           WHEN r.project IS NULL THEN NULL
           WHEN p.id IS NULL THEN 'unknown'
           WHEN p.ambiguous THEN 'ambiguous'
           WHEN p.closed THEN 'closed'
       END AS unmatched_reason
FROM ledger_import_row r
JOIN ledger_import i ON i.id = r.import_id
LEFT JOIN (
    SELECT b.municipality_id, p.project_number,
           (array_agg(p.id))[1] AS id,
           count(*) > 1 AS ambiguous,
           bool_or(p.status = 'final_report_approved') AS closed
    FROM project p JOIN board b ON b.id = p.board_id
    WHERE p.project_number IS NOT NULL
    GROUP BY b.municipality_id, p.project_number
) p ON p.municipality_id = i.municipality_id AND p.project_number = r.project
LEFT JOIN ledger_account_mapping m ON m.project_id = p.id AND m.account = r.account
LEFT JOIN ledger_voucher v
       ON v.municipality_id = i.municipality_id
      AND v.year = extract(year FROM r.voucher_date)::integer
      AND v.series = r.series AND v.number = r.number
      AND v.import_id <> r.import_id;

-- The preview's figures, computed from the classes after reading and after each change of the
-- mapping: per class, project object, account, line and month. Logged: after the save it is the
-- batch's report of what was left out.
CREATE TABLE ledger_import_group (
    import_id        uuid NOT NULL REFERENCES ledger_import (id) ON DELETE CASCADE,
    class            text NOT NULL,
    project_object   text,
    project_id       uuid,
    unmatched_reason text,
    account          text NOT NULL,
    budget_line_id   uuid,
    month            date NOT NULL,
    earlier_import   uuid,
    rows             bigint NOT NULL,
    vouchers         bigint NOT NULL,
    amount           numeric NOT NULL,
    first_line       bigint NOT NULL
);
CREATE INDEX ledger_import_group_import ON ledger_import_group (import_id, class);
