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

-- An imported entry points to its batch and its voucher ("SIE A 412"), and carries the
-- voucher's identity (year, series and number: "2026 A 412"), by which a later file with the
-- same voucher books only what changed. Undoing a batch adds reversing entries (source
-- 'reversal') rather than deleting: the book is corrected by adding (BFNAR 2013:2). Who booked
-- an imported entry is its batch's (imported_by, undone_by): recorded_by stays empty.
--
-- No foreign key to the batch: its check, once per row, made saving half a million entries
-- several times slower. A batch is never deleted once saved (the trigger below), and entries
-- are only written with the batch they belong to.
ALTER TABLE outcome_entry
    ADD COLUMN import_id   uuid,
    ADD COLUMN voucher     text CHECK (length(voucher) BETWEEN 1 AND 120),
    ADD COLUMN voucher_key text CHECK (length(voucher_key) BETWEEN 1 AND 120),
    DROP CONSTRAINT outcome_entry_source_check,
    ADD CONSTRAINT outcome_entry_source_check CHECK (source IN ('manual', 'import', 'reversal')),
    ADD CONSTRAINT outcome_entry_batch_check CHECK ((source = 'manual') = (import_id IS NULL));
CREATE INDEX outcome_entry_import_idx ON outcome_entry (import_id) WHERE import_id IS NOT NULL;

CREATE FUNCTION ledger_import_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a saved ledger import is kept: % cannot be deleted', OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$;
CREATE TRIGGER ledger_import_kept BEFORE DELETE ON ledger_import
    FOR EACH ROW WHEN (OLD.status IN ('imported', 'undone'))
    EXECUTE FUNCTION ledger_import_kept();
CREATE INDEX outcome_entry_voucher_idx ON outcome_entry (voucher_key, budget_line_id)
    WHERE voucher_key IS NOT NULL;

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
-- 'balancing' no project object (supplier debts, VAT, bank): not project outcome;
-- 'unmatched' a project object that is no project of this municipality ('unknown'), is the
--             number of more than one ('ambiguous'), whose final report is approved
--             ('closed'), or a month of a decided period report of the project's board
--             ('decided'): listed with its sum, never saved;
-- 'unmapped'  the project's account has no budget line yet: stops the import until mapped;
-- 'excluded'  the account is explicitly left out for that project;
-- 'entry'     outcome on the mapped budget line.
CREATE VIEW ledger_import_row_class AS
SELECT r.import_id, r.line, r.series, r.number, r.voucher_date, r.account, r.cost_centre,
       r.project AS project_object, r.amount, r.row_date, r.text,
       p.id AS project_id, m.budget_line_id,
       CASE
           WHEN r.project IS NULL THEN 'balancing'
           WHEN p.id IS NULL OR p.ambiguous OR p.closed OR d.through_month IS NOT NULL
               THEN 'unmatched'
           WHEN m.project_id IS NULL THEN 'unmapped'
           WHEN m.budget_line_id IS NULL THEN 'excluded'
           ELSE 'entry'
       END AS class,
       CASE
           WHEN r.project IS NULL THEN NULL
           WHEN p.id IS NULL THEN 'unknown'
           WHEN p.ambiguous THEN 'ambiguous'
           WHEN p.closed THEN 'closed'
           WHEN d.through_month IS NOT NULL THEN 'decided'
       END AS unmatched_reason
FROM ledger_import_row r
JOIN ledger_import i ON i.id = r.import_id
LEFT JOIN (
    SELECT b.municipality_id, p.project_number,
           (array_agg(p.id))[1] AS id,
           (array_agg(p.board_id))[1] AS board_id,
           count(*) > 1 AS ambiguous,
           bool_or(p.status = 'final_report_approved') AS closed
    FROM project p JOIN board b ON b.id = p.board_id
    WHERE p.project_number IS NOT NULL
    GROUP BY b.municipality_id, p.project_number
) p ON p.municipality_id = i.municipality_id AND p.project_number = r.project
LEFT JOIN (
    SELECT u.board_id, o.year, max(o.through_month) AS through_month
    FROM follow_up u JOIN follow_up_occasion o ON o.id = u.occasion_id
    WHERE u.status = 'decided'
    GROUP BY u.board_id, o.year
) d ON d.board_id = p.board_id AND d.year = extract(year FROM r.row_date)
   AND d.through_month >= extract(month FROM r.row_date)
LEFT JOIN ledger_account_mapping m ON m.project_id = p.id AND m.account = r.account;

-- A time-ordered UUID (version 7, RFC 9562) for rows written by SQL, as the application writes
-- its own: half a million entries inserted in one statement then land at the end of the
-- primary key's index instead of all over it. (PostgreSQL 18 has uuidv7(); 15 does not.)
CREATE FUNCTION uuid_v7() RETURNS uuid LANGUAGE sql VOLATILE AS $$
    SELECT encode(
        set_bit(set_bit(
            overlay(uuid_send(gen_random_uuid())
                    PLACING substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint)
                                      FROM 3)
                    FROM 1 FOR 6),
            52, 1), 53, 1),
        'hex')::uuid
$$;

-- What an import changes, per budget line, month and voucher: the project outcome the file
-- has ('in_file'), beside what entries of the same voucher on that line and month already
-- book ('booked', 0 for a voucher not seen before). Saving books the difference, so a file
-- that overlaps an earlier one adds nothing for the vouchers it repeats, a voucher changed in
-- the ledger since is corrected by its change, and a row of a project's part of a voucher that
-- has gone (or moved to another of the project's lines) is reversed.
--
-- Only the parts the file has are compared: a booked line of a voucher is reversed only when
-- the file has that voucher's rows for the same project as outcome. So a report filtered to one
-- project, rows now in a decided month or of a closed project, and an account excluded since
-- leave what was booked as it is; and nothing is ever booked in a decided month or on a project
-- whose final report is approved. Vouchers without a number cannot be recognised and always
-- book in full.
CREATE FUNCTION ledger_import_changes(target uuid)
RETURNS TABLE (budget_line_id uuid, month date, voucher_key text, voucher text, text text,
               in_file numeric, booked numeric)
LANGUAGE sql STABLE AS $$
    WITH import AS (
        SELECT municipality_id,
               CASE format WHEN 'sie4' THEN 'SIE' WHEN 'csv' THEN 'CSV' ELSE 'Excel' END AS prefix
        FROM ledger_import WHERE id = target
    ), file AS (
        SELECT c.project_id, c.budget_line_id, date_trunc('month', c.row_date)::date AS month,
               CASE WHEN c.number <> '' THEN concat_ws(' ', extract(year FROM c.voucher_date),
                                                        nullif(c.series, ''), c.number) END AS voucher_key,
               concat_ws(' ', (SELECT prefix FROM import), nullif(c.series, ''),
                         nullif(c.number, '')) AS voucher,
               left(min(c.text), 500) AS text, sum(c.amount) AS amount
        FROM ledger_import_row_class c
        WHERE c.import_id = target AND c.class = 'entry'
        GROUP BY 1, 2, 3, 4, 5
    ), parts AS (
        SELECT DISTINCT voucher_key, project_id FROM file WHERE voucher_key IS NOT NULL
    ), booked AS (
        SELECT e.budget_line_id, e.month, e.voucher_key, min(e.voucher) AS voucher,
               sum(e.amount) AS amount
        FROM outcome_entry e
        JOIN budget_line l ON l.id = e.budget_line_id
        JOIN parts k ON k.voucher_key = e.voucher_key AND k.project_id = l.project_id
        JOIN project p ON p.id = l.project_id
        WHERE p.status <> 'final_report_approved'
          AND NOT EXISTS (SELECT 1 FROM follow_up u
                          JOIN follow_up_occasion o ON o.id = u.occasion_id
                          WHERE u.board_id = p.board_id AND u.status = 'decided'
                            AND o.year = extract(year FROM e.month)
                            AND o.through_month >= extract(month FROM e.month))
        GROUP BY 1, 2, 3
    )
    SELECT coalesce(f.budget_line_id, b.budget_line_id), coalesce(f.month, b.month),
           coalesce(f.voucher_key, b.voucher_key), coalesce(f.voucher, b.voucher),
           coalesce(f.text, 'Raden finns inte längre i verifikationen'),
           coalesce(f.amount, 0), coalesce(b.amount, 0)
    FROM file f
    FULL JOIN booked b ON b.budget_line_id = f.budget_line_id AND b.month = f.month
                      AND b.voucher_key = f.voucher_key
$$;

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
    rows             bigint NOT NULL,
    amount           numeric NOT NULL,
    first_line       bigint NOT NULL
);
CREATE INDEX ledger_import_group_import ON ledger_import_group (import_id, class);

-- The groups of an import as its staged rows give them now: what the preview of an open
-- import shows (read when the page is shown, so the reading itself is only the staging), and
-- what the save writes into ledger_import_group as the batch's report.
CREATE FUNCTION ledger_import_groups(target uuid) RETURNS SETOF ledger_import_group
LANGUAGE sql STABLE AS $$
    SELECT import_id, class, project_object, project_id, unmatched_reason, account,
           budget_line_id, date_trunc('month', row_date)::date, count(*), sum(amount), min(line)
    FROM ledger_import_row_class WHERE import_id = target
    GROUP BY import_id, class, project_object, project_id, unmatched_reason, account,
             budget_line_id, date_trunc('month', row_date)
$$;
