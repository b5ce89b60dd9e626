-- Single sign-on through the municipality's OpenID provider. An account that signs in that way
-- is known by the provider's issuer and subject, never by its e-mail address alone (an address
-- can pass to someone else). Such an account has no password of its own: an empty hash matches
-- none.
ALTER TABLE app_user
    ADD COLUMN sso_issuer  text CHECK (length(sso_issuer) BETWEEN 1 AND 500),
    ADD COLUMN sso_subject text CHECK (length(sso_subject) BETWEEN 1 AND 255),
    ADD CONSTRAINT app_user_sso_key UNIQUE (sso_issuer, sso_subject),
    ADD CONSTRAINT app_user_sso_pair CHECK ((sso_issuer IS NULL) = (sso_subject IS NULL));

-- The administrator's table from the provider's groups to Portfolj's roles: a user signing in
-- gets every role a group of theirs maps to, bound as the row says, and nothing else.
CREATE TABLE sso_group_role (
    id               uuid PRIMARY KEY,
    group_name       text NOT NULL CHECK (length(group_name) BETWEEN 1 AND 200
                                          AND group_name = btrim(group_name)),
    role             text NOT NULL,
    municipality_id  uuid REFERENCES municipality (id),
    board_id         uuid REFERENCES board (id),
    created_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT sso_group_role_role_check CHECK (role IN ('admin', 'it_center', 'controller',
        'strategy_group', 'coordination_group', 'secretary', 'head_of_administration', 'auditor')),
    CONSTRAINT sso_group_role_scope_check CHECK (
        (role = 'strategy_group' AND municipality_id IS NOT NULL AND board_id IS NULL)
        OR (role IN ('secretary', 'head_of_administration') AND board_id IS NOT NULL
            AND municipality_id IS NULL)
        OR (role NOT IN ('strategy_group', 'secretary', 'head_of_administration')
            AND municipality_id IS NULL AND board_id IS NULL)
    ),
    CONSTRAINT sso_group_role_key UNIQUE NULLS NOT DISTINCT (group_name, role, municipality_id, board_id)
);
CREATE INDEX sso_group_role_group_idx ON sso_group_role (group_name);
