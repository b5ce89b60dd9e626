-- Local accounts and the roles they hold. Accounts are deactivated, never deleted.
CREATE TABLE app_user (
    id             uuid PRIMARY KEY,
    -- Stored lower-cased so that uniqueness ignores case.
    email          text NOT NULL CONSTRAINT app_user_email_key UNIQUE
                   CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
    display_name   text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    title          text NOT NULL DEFAULT '' CHECK (length(title) <= 200),
    password_hash  text NOT NULL,
    active         boolean NOT NULL DEFAULT true,
    version        integer NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE user_role (
    id               uuid PRIMARY KEY,
    user_id          uuid NOT NULL REFERENCES app_user (id),
    role             text NOT NULL CHECK (role IN ('admin', 'it_center', 'controller',
                         'strategy_group', 'coordination_group', 'secretary', 'auditor')),
    -- A strategy-group member speaks for one municipality; a secretary serves given boards.
    municipality_id  uuid REFERENCES municipality (id),
    board_id         uuid REFERENCES board (id),
    CONSTRAINT user_role_scope_check CHECK (
        (role = 'strategy_group' AND municipality_id IS NOT NULL AND board_id IS NULL)
        OR (role = 'secretary' AND board_id IS NOT NULL AND municipality_id IS NULL)
        OR (role NOT IN ('strategy_group', 'secretary') AND municipality_id IS NULL AND board_id IS NULL)
    ),
    CONSTRAINT user_role_unique_key UNIQUE NULLS NOT DISTINCT (user_id, role, municipality_id, board_id)
);
CREATE INDEX user_role_user_idx ON user_role (user_id);
