-- Investment projects, the municipalities they serve, the council goals they serve, and the
-- record of their status changes.

-- Swedish sort order (Å, Ä, Ö after Z) on any server: ICU's sv-SE where the server has ICU,
-- byte order otherwise. Names and other listed text use it explicitly.
DO $$
BEGIN
    CREATE COLLATION sv (provider = icu, locale = 'sv-SE');
EXCEPTION WHEN others THEN
    CREATE COLLATION sv FROM "C";
END;
$$;

-- The council's goals and strategy directions, per municipality; projects link to them.
CREATE TABLE council_goal (
    id              uuid PRIMARY KEY,
    municipality_id uuid NOT NULL REFERENCES municipality (id),
    title           text COLLATE sv NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    active          boolean NOT NULL DEFAULT true,
    version         integer NOT NULL DEFAULT 1,
    CONSTRAINT council_goal_title_unique UNIQUE (municipality_id, title)
);

CREATE TABLE project (
    id                 uuid PRIMARY KEY,
    name               text COLLATE sv NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    case_number        text NOT NULL CHECK (case_number ~ '^[[:upper:]]{1,6} [0-9]{4}-[0-9]{1,6}$'),
    project_number     text CHECK (length(project_number) BETWEEN 1 AND 40),
    board_id           uuid NOT NULL REFERENCES board (id),
    project_manager    text CHECK (length(project_manager) BETWEEN 1 AND 200),
    plan               text NOT NULL CHECK (plan IN ('digitalisation', 'business_systems', 'service_catalogue', 'infrastructure')),
    status             text NOT NULL CHECK (status IN ('idea', 'pre_study', 'decided', 'in_progress', 'completed', 'final_report_approved', 'cancelled')),
    description        text NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
    planned_start      date,
    planned_end        date,
    actual_start       date,
    actual_end         date,
    -- The decided investment appropriation (investeringsanslag) and the decision behind it.
    appropriation      numeric(14, 2),
    decision_body      text CHECK (length(decision_body) BETWEEN 1 AND 200),
    decision_date      date,
    decision_paragraph text CHECK (length(decision_paragraph) BETWEEN 1 AND 20),
    version            integer NOT NULL DEFAULT 1,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT project_case_number_unique UNIQUE (board_id, case_number),
    CONSTRAINT project_planned_dates CHECK (planned_end IS NULL OR planned_start IS NULL OR planned_end >= planned_start),
    CONSTRAINT project_actual_dates CHECK (actual_end IS NULL OR actual_start IS NULL OR actual_end >= actual_start)
);
CREATE INDEX project_board_idx ON project (board_id);
-- The list's default order (name, then id) read straight from the index.
CREATE INDEX project_name_id_idx ON project (name, id);

-- The municipalities a project serves and each one's share of the cost (fördelningsnyckel).
CREATE TABLE project_municipality (
    project_id         uuid NOT NULL REFERENCES project (id),
    municipality_id    uuid NOT NULL REFERENCES municipality (id),
    allocation_percent numeric(5, 2) NOT NULL CHECK (allocation_percent > 0 AND allocation_percent <= 100),
    PRIMARY KEY (project_id, municipality_id)
);
CREATE INDEX project_municipality_municipality_idx ON project_municipality (municipality_id);

CREATE TABLE project_council_goal (
    project_id      uuid NOT NULL REFERENCES project (id),
    council_goal_id uuid NOT NULL REFERENCES council_goal (id),
    PRIMARY KEY (project_id, council_goal_id)
);
CREATE INDEX project_council_goal_goal_idx ON project_council_goal (council_goal_id);

CREATE TABLE project_status_change (
    id          uuid PRIMARY KEY,
    project_id  uuid NOT NULL REFERENCES project (id),
    from_status text,
    to_status   text NOT NULL,
    changed_on  date NOT NULL,
    changed_by  uuid REFERENCES app_user (id),
    changed_at  timestamptz NOT NULL DEFAULT now(),
    comment     text NOT NULL DEFAULT '' CHECK (length(comment) <= 2000)
);
CREATE INDEX project_status_change_project_idx ON project_status_change (project_id, changed_at);

-- Changes of a project's goals, lines and figures are found in the audit log by project.
ALTER TABLE audit_log ADD COLUMN project_id uuid;
CREATE INDEX audit_log_project_idx ON audit_log (project_id, id) WHERE project_id IS NOT NULL;
