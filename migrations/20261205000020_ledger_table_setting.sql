-- How a municipality's ledger tables (CSV and Excel exports) are read, remembered from the
-- last import: which column holds what, by header name, and the CSV file's separator and
-- encoding ('auto': detected).
CREATE TABLE ledger_table_setting (
    municipality_id uuid PRIMARY KEY REFERENCES municipality (id),
    date_column     text NOT NULL CHECK (length(date_column) BETWEEN 1 AND 100),
    account_column  text NOT NULL CHECK (length(account_column) BETWEEN 1 AND 100),
    project_column  text NOT NULL CHECK (length(project_column) <= 100),
    activity_column text NOT NULL CHECK (length(activity_column) <= 100),
    amount_column   text NOT NULL CHECK (length(amount_column) BETWEEN 1 AND 100),
    text_column     text NOT NULL CHECK (length(text_column) <= 100),
    voucher_column  text NOT NULL CHECK (length(voucher_column) <= 100),
    separator       text NOT NULL CHECK (separator IN ('auto', 'semicolon', 'comma', 'tab')),
    encoding        text NOT NULL CHECK (encoding IN ('auto', 'utf8', 'windows1252')),
    updated_by      uuid REFERENCES app_user (id),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
