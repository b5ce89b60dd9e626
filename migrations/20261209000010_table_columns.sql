-- Which columns of a data table each user has chosen to hide, per table. Hidden rather than shown
-- is stored, so a column added to a table later is shown to everyone until they hide it.
CREATE TABLE user_table_columns (
    user_id    uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    table_key  text NOT NULL CHECK (table_key ~ '^[a-z_]{1,40}$'),
    hidden     text[] NOT NULL DEFAULT '{}',
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, table_key)
);
