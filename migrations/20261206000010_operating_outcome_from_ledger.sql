-- Operating outcome from the ledger (issue 14): the rows of a ledger file go to a board's
-- activity by its keys (responsibility centre and/or account range), per voucher, so that an
-- overlapping file adds nothing twice and a batch can be undone, as the project outcome does.

-- A key of an activity: the ledger rows whose responsibility centre is `cost_centre` (any, when
-- NULL) and whose account's first digits lie in `account_from`–`account_to` (any, when NULL)
-- are the activity's operating outcome. The bounds have the same number of digits and are
-- compared with as many of the account's first digits: 4000–4999 takes 4010 and 40101 alike,
-- and no account shorter than its bounds (401).
-- The keys of one municipality never overlap (checked when a key is added, under the
-- municipality's import lock), so each row has at most one activity.
CREATE TABLE operating_key (
    id           uuid PRIMARY KEY,
    activity_id  uuid NOT NULL REFERENCES activity (id),
    cost_centre  text CHECK (cost_centre ~ '^[^[:space:]]{1,40}$'),
    account_from text CHECK (account_from ~ '^[0-9]{1,10}$'),
    account_to   text CHECK (account_to ~ '^[0-9]{1,10}$'),
    created_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT operating_key_says_something CHECK (cost_centre IS NOT NULL OR account_from IS NOT NULL),
    CONSTRAINT operating_key_range CHECK ((account_from IS NULL) = (account_to IS NULL)
        AND length(account_from) = length(account_to) AND account_from <= account_to)
);
CREATE INDEX operating_key_activity ON operating_key (activity_id);

-- An imported operating entry: an activity's revenue and costs of one month from one voucher
-- ("SIE A 412", identity "2026 A 412"), or its reversal when the batch was undone. No foreign
-- keys: their checks, once per row, took a third of the time of writing half a million entries.
-- A batch is never deleted once saved (ledger_import_kept), an activity with entries is never
-- deleted (the trigger below), and entries are only written by the save from an activity's keys.
--
-- Keyed by batch and a number from a sequence: a batch's entries are written together and land
-- at the end of one index, which also finds a batch's entries, and no id is computed per row.
CREATE TABLE operating_outcome_entry (
    import_id   uuid NOT NULL,
    id          bigint GENERATED ALWAYS AS IDENTITY,
    activity_id uuid NOT NULL,
    month       date NOT NULL CHECK (extract(day FROM month) = 1),
    revenue     numeric(14, 2) NOT NULL,
    costs       numeric(14, 2) NOT NULL,
    text        text NOT NULL CHECK (length(text) <= 500),
    source      text NOT NULL CHECK (source IN ('import', 'reversal')),
    voucher     text NOT NULL CHECK (length(voucher) BETWEEN 1 AND 120),
    voucher_key text CHECK (length(voucher_key) BETWEEN 1 AND 120),
    PRIMARY KEY (import_id, id)
);
CREATE INDEX operating_outcome_entry_voucher ON operating_outcome_entry (voucher_key, activity_id)
    WHERE voucher_key IS NOT NULL;
CREATE INDEX operating_outcome_entry_month ON operating_outcome_entry (activity_id, month);

CREATE FUNCTION activity_with_entries_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM operating_outcome_entry WHERE activity_id = OLD.id) THEN
        RAISE EXCEPTION 'activity % has imported outcome and is kept', OLD.id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN OLD;
END;
$$;
CREATE TRIGGER activity_with_entries_kept BEFORE DELETE ON activity
    FOR EACH ROW EXECUTE FUNCTION activity_with_entries_kept();

-- A month set by a batch is the sum of its entries and names the batch that last set it (the
-- demo's months, imported before batches, name none). A month typed by hand names none. When a
-- batch first replaces a month that did not come from batches (typed by hand, or the demo's),
-- the replaced figures are kept with it (`replaced_*`, and the batch that replaced them), and
-- come back when that batch is undone, or every batch with entries in the month is.
ALTER TABLE operating_outcome ADD COLUMN import_id uuid REFERENCES ledger_import (id),
    ADD COLUMN replaced_revenue numeric(14, 2),
    ADD COLUMN replaced_costs   numeric(14, 2),
    ADD COLUMN replaced_source  text CHECK (replaced_source IN ('manual', 'import')),
    ADD COLUMN replaced_by      uuid REFERENCES ledger_import (id),
    ADD CONSTRAINT operating_outcome_batch_check CHECK (source = 'import' OR import_id IS NULL),
    ADD CONSTRAINT operating_outcome_replaced_check CHECK (
        (replaced_source IS NULL) = (replaced_revenue IS NULL)
        AND (replaced_source IS NULL) = (replaced_costs IS NULL)
        AND (replaced_source IS NULL) = (replaced_by IS NULL)
        AND (replaced_source IS NULL OR import_id IS NOT NULL));

-- Each staged row of an import that a key of the municipality takes: its activity, month,
-- voucher and figures (revenue is a class-3 account's credit, costs every other account's
-- debit), and whether a decided period report of the activity's board covers its month, when it
-- is listed and never booked. The keys are matched once per distinct (responsibility centre,
-- account) of the file, not once per row.
CREATE FUNCTION ledger_import_operating_rows(target uuid)
RETURNS TABLE (line bigint, activity_id uuid, board_id uuid, month date, voucher_key text,
               voucher text, text text, revenue numeric, costs numeric, decided boolean)
LANGUAGE sql STABLE AS $$
    WITH import AS (
        SELECT municipality_id,
               CASE format WHEN 'sie4' THEN 'SIE' WHEN 'csv' THEN 'CSV' ELSE 'Excel' END AS prefix
        FROM ledger_import WHERE id = target
    ), pairs AS (
        SELECT DISTINCT cost_centre, account FROM ledger_import_row WHERE import_id = target
    ), matched AS (
        SELECT p.cost_centre, p.account, k.activity_id, a.board_id
        FROM pairs p
        JOIN operating_key k
          ON (k.cost_centre IS NULL OR k.cost_centre = p.cost_centre)
         AND (k.account_from IS NULL
              OR (length(p.account) >= length(k.account_from)
                  AND left(p.account, length(k.account_from))
                      BETWEEN k.account_from AND k.account_to))
        JOIN activity a ON a.id = k.activity_id
        JOIN board b ON b.id = a.board_id
        WHERE b.municipality_id = (SELECT municipality_id FROM import)
    ), decided AS (
        SELECT u.board_id, o.year, max(o.through_month) AS through_month
        FROM follow_up u JOIN follow_up_occasion o ON o.id = u.occasion_id
        WHERE u.status = 'decided'
        GROUP BY u.board_id, o.year
    )
    SELECT r.line, m.activity_id, m.board_id, date_trunc('month', r.row_date)::date,
           CASE WHEN r.number <> '' THEN concat_ws(' ', extract(year FROM r.voucher_date),
                                                   nullif(r.series, ''), r.number) END,
           concat_ws(' ', (SELECT prefix FROM import), nullif(r.series, ''), nullif(r.number, '')),
           r.text,
           CASE WHEN r.account LIKE '3%' THEN -r.amount ELSE 0 END,
           CASE WHEN r.account LIKE '3%' THEN 0 ELSE r.amount END,
           d.through_month IS NOT NULL
    FROM ledger_import_row r
    JOIN matched m ON m.account = r.account AND m.cost_centre IS NOT DISTINCT FROM r.cost_centre
    LEFT JOIN decided d ON d.board_id = m.board_id AND d.year = extract(year FROM r.row_date)
                       AND d.through_month >= extract(month FROM r.row_date)
    WHERE r.import_id = target
$$;

-- What an import changes in the operating outcome, per activity, month and voucher: what the
-- file has beside what entries of the same voucher already book. As for the project outcome
-- (ledger_import_changes), only the parts the file has are compared: a booked entry of a voucher
-- is reversed only when the file has that voucher's rows for the same board, and nothing is
-- booked or reversed in a month a decided period report covers.
CREATE FUNCTION ledger_import_operating_changes(target uuid)
RETURNS TABLE (activity_id uuid, month date, voucher_key text, voucher text, text text,
               revenue numeric, costs numeric, booked_revenue numeric, booked_costs numeric)
LANGUAGE sql STABLE AS $$
    WITH file AS (
        SELECT r.activity_id, r.board_id, r.month, r.voucher_key, r.voucher,
               left(min(r.text), 500) AS text, sum(r.revenue) AS revenue, sum(r.costs) AS costs
        FROM ledger_import_operating_rows(target) r
        WHERE NOT r.decided
        GROUP BY 1, 2, 3, 4, 5
    ), parts AS (
        SELECT DISTINCT voucher_key, board_id FROM file WHERE voucher_key IS NOT NULL
    ), booked AS (
        SELECT e.activity_id, e.month, e.voucher_key, min(e.voucher) AS voucher,
               sum(e.revenue) AS revenue, sum(e.costs) AS costs
        FROM operating_outcome_entry e
        JOIN activity a ON a.id = e.activity_id
        JOIN parts k ON k.voucher_key = e.voucher_key AND k.board_id = a.board_id
        WHERE NOT EXISTS (SELECT 1 FROM follow_up u
                          JOIN follow_up_occasion o ON o.id = u.occasion_id
                          WHERE u.board_id = a.board_id AND u.status = 'decided'
                            AND o.year = extract(year FROM e.month)
                            AND o.through_month >= extract(month FROM e.month))
        GROUP BY 1, 2, 3
    )
    SELECT coalesce(f.activity_id, b.activity_id), coalesce(f.month, b.month),
           coalesce(f.voucher_key, b.voucher_key), coalesce(f.voucher, b.voucher),
           coalesce(f.text, 'Raden finns inte längre i verifikationen'),
           coalesce(f.revenue, 0), coalesce(f.costs, 0),
           coalesce(b.revenue, 0), coalesce(b.costs, 0)
    FROM file f
    FULL JOIN booked b ON b.activity_id = f.activity_id AND b.month = f.month
                      AND b.voucher_key = f.voucher_key
$$;

-- A saved batch's report of its operating rows: per activity and month, and whether a decided
-- period report covered the month (those rows were listed and not booked).
CREATE TABLE ledger_import_operating_group (
    import_id   uuid NOT NULL REFERENCES ledger_import (id) ON DELETE CASCADE,
    activity_id uuid NOT NULL REFERENCES activity (id),
    month       date NOT NULL,
    decided     boolean NOT NULL,
    rows        bigint NOT NULL,
    revenue     numeric NOT NULL,
    costs       numeric NOT NULL
);
CREATE INDEX ledger_import_operating_group_import ON ledger_import_operating_group (import_id);
