-- The officials' text of a period report, one version per change of it (a save of the forecast
-- form or a correction after the decision), with the figures as the report showed them when the
-- text was written, so the report can mark a text whose figures changed afterwards.
CREATE TABLE follow_up_text_version (
    follow_up_id uuid NOT NULL REFERENCES follow_up (id),
    number       integer NOT NULL CHECK (number > 0),
    -- {"summary": "...", "operating": "...", "investment": "...", "comments": [["Vht 031 ...", "..."]]}
    texts        jsonb NOT NULL,
    -- [["Netto, periodens avvikelse", "4,1"], ...]: as shown, in mnkr.
    figures      jsonb NOT NULL CHECK (jsonb_typeof(figures) = 'array'),
    created_by   uuid REFERENCES app_user (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    -- Set for a correction after the decision: why.
    correction_reason text CHECK (length(correction_reason) BETWEEN 1 AND 2000),
    PRIMARY KEY (follow_up_id, number)
);
