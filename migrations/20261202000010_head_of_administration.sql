-- The head of administration (förvaltningschef) approves the action-plan measures of the boards
-- their administration serves, so the role is bound to boards like the secretary's.
ALTER TABLE user_role DROP CONSTRAINT user_role_role_check;
ALTER TABLE user_role ADD CONSTRAINT user_role_role_check CHECK (role IN ('admin', 'it_center',
    'controller', 'strategy_group', 'coordination_group', 'secretary', 'head_of_administration',
    'auditor'));
ALTER TABLE user_role DROP CONSTRAINT user_role_scope_check;
ALTER TABLE user_role ADD CONSTRAINT user_role_scope_check CHECK (
    (role = 'strategy_group' AND municipality_id IS NOT NULL AND board_id IS NULL)
    OR (role IN ('secretary', 'head_of_administration') AND board_id IS NOT NULL
        AND municipality_id IS NULL)
    OR (role NOT IN ('strategy_group', 'secretary', 'head_of_administration')
        AND municipality_id IS NULL AND board_id IS NULL)
);

-- Who approved a measure is kept with the approval; editing what was approved withdraws it.
-- A decided report is frozen: its figures as the board saw them, so later postings, forecasts
-- and corrections of the underlying data do not change what was decided.
ALTER TABLE follow_up ADD COLUMN decided_snapshot jsonb;
ALTER TABLE follow_up ADD CONSTRAINT follow_up_decided_has_snapshot
    CHECK (status <> 'decided' OR decided_snapshot IS NOT NULL);

-- Corrections of a decided report, each with its reason.
CREATE TABLE follow_up_correction (
    id           uuid PRIMARY KEY,
    follow_up_id uuid NOT NULL REFERENCES follow_up (id),
    reason       text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
    corrected_by uuid NOT NULL REFERENCES app_user (id),
    corrected_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX follow_up_correction_follow_up_idx ON follow_up_correction (follow_up_id);
