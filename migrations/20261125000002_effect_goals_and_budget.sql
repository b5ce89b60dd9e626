-- Effect goals with their measurements, and budget lines with their outcome entries.

CREATE TABLE effect_goal (
    id                 uuid PRIMARY KEY,
    project_id         uuid NOT NULL REFERENCES project (id),
    position           integer NOT NULL,
    goal               text NOT NULL CHECK (length(goal) BETWEEN 1 AND 4000),
    -- "Vi vet att vi är på rätt väg när …"
    indicator          text NOT NULL DEFAULT '' CHECK (length(indicator) <= 4000),
    baseline           numeric(14, 4),
    target_value       numeric(14, 4),
    unit               text CHECK (length(unit) BETWEEN 1 AND 40),
    target_date        date,
    assessment         text CHECK (assessment IN ('achieved', 'partly_achieved', 'not_achieved', 'not_yet_assessable')),
    assessment_comment text NOT NULL DEFAULT '' CHECK (length(assessment_comment) <= 20000),
    version            integer NOT NULL DEFAULT 1,
    CONSTRAINT effect_goal_position_unique UNIQUE (project_id, position) DEFERRABLE INITIALLY DEFERRED
);

CREATE TABLE goal_measurement (
    id             uuid PRIMARY KEY,
    effect_goal_id uuid NOT NULL REFERENCES effect_goal (id),
    measured_on    date NOT NULL,
    value          numeric(14, 4) NOT NULL,
    comment        text NOT NULL DEFAULT '' CHECK (length(comment) <= 2000),
    recorded_by    uuid REFERENCES app_user (id),
    recorded_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX goal_measurement_goal_idx ON goal_measurement (effect_goal_id, measured_on);

-- A part of the organisation some budget lines belong to (e.g. a municipal company) that can be
-- left out of the totals compared with the outcome.
CREATE TABLE sub_entity (
    id         uuid PRIMARY KEY,
    project_id uuid NOT NULL REFERENCES project (id),
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    short_name text NOT NULL CHECK (length(short_name) BETWEEN 1 AND 30),
    excluded   boolean NOT NULL DEFAULT false,
    version    integer NOT NULL DEFAULT 1,
    CONSTRAINT sub_entity_name_unique UNIQUE (project_id, name)
);

CREATE TABLE budget_line (
    id            uuid PRIMARY KEY,
    project_id    uuid NOT NULL REFERENCES project (id),
    position      integer NOT NULL,
    category      text NOT NULL CHECK (length(category) BETWEEN 1 AND 200),
    sub_entity_id uuid REFERENCES sub_entity (id),
    budget        numeric(14, 2) NOT NULL,
    version       integer NOT NULL DEFAULT 1,
    CONSTRAINT budget_line_position_unique UNIQUE (project_id, position) DEFERRABLE INITIALLY DEFERRED
);
-- Covering: the list sums a project's budget from the index alone.
CREATE INDEX budget_line_project_idx ON budget_line (project_id, position) INCLUDE (id, budget);

CREATE TABLE outcome_entry (
    id             uuid PRIMARY KEY,
    budget_line_id uuid NOT NULL REFERENCES budget_line (id),
    -- The first day of the month the outcome is booked in; shown as YYYY-MM.
    month          date NOT NULL CHECK (extract(day FROM month) = 1),
    amount         numeric(14, 2) NOT NULL,
    text           text NOT NULL DEFAULT '' CHECK (length(text) <= 500),
    source         text NOT NULL CHECK (source IN ('manual', 'import')),
    recorded_by    uuid REFERENCES app_user (id),
    recorded_at    timestamptz NOT NULL DEFAULT now()
);
-- Covering: a line's outcome is summed from the index alone.
CREATE INDEX outcome_entry_line_idx ON outcome_entry (budget_line_id, month) INCLUDE (amount);

-- Each project's budget (all lines) and outcome totals, for the project list: kept by triggers, always
-- recomputed from the exact parts (never adjusted by differences), in the same transaction as
-- the change. NULL outcome means no outcome entries, shown blank rather than 0.
CREATE TABLE project_total (
    project_id uuid PRIMARY KEY REFERENCES project (id),
    budget     numeric(14, 2),
    outcome    numeric(14, 2)
);

-- The outcome total leaves out lines of an excluded sub-entity, as the project page's total row
-- does. The project row is locked first so that concurrent changes of one project refresh one
-- after the other, each summing what the previous one committed.
CREATE FUNCTION refresh_project_total(target uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM project WHERE id = target FOR UPDATE;
    INSERT INTO project_total (project_id, budget, outcome)
    SELECT target,
           (SELECT sum(l.budget) FROM budget_line l WHERE l.project_id = target),
           (SELECT sum(e.amount) FROM outcome_entry e
              JOIN budget_line l ON l.id = e.budget_line_id
              LEFT JOIN sub_entity s ON s.id = l.sub_entity_id
             WHERE l.project_id = target AND NOT coalesce(s.excluded, false))
    ON CONFLICT (project_id) DO UPDATE SET budget = excluded.budget, outcome = excluded.outcome;
END;
$$;

CREATE FUNCTION budget_line_total() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM refresh_project_total(OLD.project_id);
    END IF;
    IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.project_id <> OLD.project_id) THEN
        PERFORM refresh_project_total(NEW.project_id);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER budget_line_total AFTER INSERT OR DELETE OR UPDATE OF budget, project_id
    ON budget_line FOR EACH ROW EXECUTE FUNCTION budget_line_total();

CREATE FUNCTION outcome_entry_total() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM refresh_project_total((SELECT project_id FROM budget_line WHERE id = OLD.budget_line_id));
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM refresh_project_total((SELECT project_id FROM budget_line WHERE id = NEW.budget_line_id));
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER outcome_entry_total AFTER INSERT OR DELETE OR UPDATE OF amount, budget_line_id
    ON outcome_entry FOR EACH ROW EXECUTE FUNCTION outcome_entry_total();

CREATE FUNCTION sub_entity_total() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM refresh_project_total(NEW.project_id);
    RETURN NULL;
END;
$$;
CREATE TRIGGER sub_entity_total AFTER UPDATE OF excluded ON sub_entity
    FOR EACH ROW EXECUTE FUNCTION sub_entity_total();
