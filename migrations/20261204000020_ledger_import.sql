-- Outcome from the ledger (issue 14): a file is read into staged rows, previewed, then saved
-- as outcome entries in one transaction, or dropped.

-- Which dimensions of a municipality's ledger hold its projects and its cost centres. SIE 4B
-- 8.17 reserves 6 for projects and 1 for cost centres; a ledger may use others.
CREATE TABLE ledger_setting (
    municipality_id       uuid PRIMARY KEY REFERENCES municipality (id),
    project_dimension     integer NOT NULL DEFAULT 6 CHECK (project_dimension BETWEEN 1 AND 99999),
    cost_centre_dimension integer NOT NULL DEFAULT 1
        CHECK (cost_centre_dimension BETWEEN 1 AND 99999),
    version               integer NOT NULL DEFAULT 1
);

-- A ledger file on its way in: read into staged rows ('reading', then 'read' or 'failed'),
-- saved ('imported'), and perhaps reversed ('undone').
CREATE TABLE ledger_import (
    id              uuid PRIMARY KEY,
    municipality_id uuid NOT NULL REFERENCES municipality (id),
    file_name       text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
    sha256          text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    format          text NOT NULL CHECK (format IN ('sie4', 'csv', 'xlsx')),
    status          text NOT NULL CHECK (status IN ('reading', 'read', 'failed', 'imported', 'undone')),
    -- What the file says of itself (SIE #PROGRAM, #FNAMN).
    program         text NOT NULL DEFAULT '',
    company         text NOT NULL DEFAULT '',
    -- Progress and result of the reading.
    lines_read      bigint NOT NULL DEFAULT 0,
    rows_staged     bigint NOT NULL DEFAULT 0,
    -- Each line that could not be read: [{"line", "text", "message"}], at most 101.
    line_errors     jsonb NOT NULL DEFAULT '[]',
    -- Each label read past: [{"label", "first_line", "count"}].
    skipped         jsonb NOT NULL DEFAULT '[]',
    created_by      uuid NOT NULL REFERENCES app_user (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    version         integer NOT NULL DEFAULT 1
);
-- The same file is imported once per municipality (again only after it was undone).
CREATE UNIQUE INDEX ledger_import_file_once ON ledger_import (municipality_id, sha256)
    WHERE status = 'imported';

-- The transaction rows of a file being imported, as read, until the import is saved or
-- dropped. Unlogged: after a crash they are gone, and the file is read again.
CREATE UNLOGGED TABLE ledger_import_row (
    import_id    uuid NOT NULL REFERENCES ledger_import (id) ON DELETE CASCADE,
    line         bigint NOT NULL,
    series       text NOT NULL,
    number       text NOT NULL,
    voucher_date date NOT NULL,
    account      text NOT NULL,
    cost_centre  text,
    project      text,
    amount       numeric(14, 2) NOT NULL,
    -- The row's own date, or its voucher's (SIE 4B 11 #TRANS, point 2).
    row_date     date NOT NULL,
    text         text NOT NULL
);
CREATE INDEX ledger_import_row_import ON ledger_import_row (import_id);
