-- Final-report decision drafts (slutredovisning): one per project, every save a new version.
-- The generated parts (proposal, table, sentences in tkr, verdict) are not stored: they are
-- rendered from the project's data each time. A version keeps the free text and the figures
-- it was written against, so a later change of a figure can be shown.

CREATE TABLE final_report (
    project_id         uuid PRIMARY KEY REFERENCES project (id),
    status             text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'ready', 'decided')),
    -- The board meeting the draft is ready for (set when ready; kept when decided).
    meeting_date       date,
    -- The decision, recorded by the secretary: body, paragraph (§43) and its text.
    decision_body      text CHECK (length(decision_body) BETWEEN 1 AND 200),
    decision_paragraph text CHECK (length(decision_paragraph) BETWEEN 1 AND 20),
    decision_text      text CHECK (length(decision_text) BETWEEN 1 AND 20000),
    decided_by         uuid REFERENCES app_user (id),
    decided_at         timestamptz,
    -- The version the committee decided on; later versions are corrections, never overwrites.
    decided_version    integer,
    version            integer NOT NULL DEFAULT 1,
    created_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT final_report_ready_has_meeting CHECK (status = 'draft' OR meeting_date IS NOT NULL),
    CONSTRAINT final_report_decided_is_complete CHECK (status <> 'decided' OR (decision_body IS NOT NULL
        AND decision_paragraph IS NOT NULL AND decision_text IS NOT NULL AND decided_at IS NOT NULL))
);
CREATE INDEX final_report_meeting_idx ON final_report (meeting_date, status);

CREATE TABLE final_report_version (
    id         uuid PRIMARY KEY,
    project_id uuid NOT NULL REFERENCES final_report (project_id),
    number     integer NOT NULL,
    content    jsonb NOT NULL,
    -- The figures the text was written against: {"appropriation": "...", "budget": "...", ...}.
    figures    jsonb NOT NULL,
    created_by uuid REFERENCES app_user (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    -- Set for a correction made after the decision: why.
    correction_reason text CHECK (length(correction_reason) BETWEEN 1 AND 2000),
    CONSTRAINT final_report_version_number_unique UNIQUE (project_id, number)
);
