-- Final-report decision drafts (slutredovisning): one per project, every save a new version.
-- The generated parts (proposal, table, sentences in tkr, verdict) are not stored: they are
-- rendered from the project's data each time. A version keeps the free text and the figures
-- it was written against, so a later change of a figure can be shown.

CREATE TABLE final_report (
    project_id uuid PRIMARY KEY REFERENCES project (id),
    status     text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'ready', 'decided')),
    version    integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE final_report_version (
    id         uuid PRIMARY KEY,
    project_id uuid NOT NULL REFERENCES final_report (project_id),
    number     integer NOT NULL,
    content    jsonb NOT NULL,
    -- The figures the text was written against: {"appropriation": "...", "budget": "...", ...}.
    figures    jsonb NOT NULL,
    created_by uuid REFERENCES app_user (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT final_report_version_number_unique UNIQUE (project_id, number)
);
