-- The digitalisation fund (digitaliseringspott, seed 004): a fund per municipality and year,
-- its strategic directions, the departments' applications with their decisions, and the
-- follow-up of each grant.

-- A strategic direction (inriktning) of a municipality's fund; kept across years.
CREATE TABLE fund_direction (
    id              uuid PRIMARY KEY,
    municipality_id uuid NOT NULL REFERENCES municipality (id),
    position        integer NOT NULL CHECK (position >= 1),
    name            text COLLATE sv NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
    CONSTRAINT fund_direction_name_unique UNIQUE (municipality_id, name),
    CONSTRAINT fund_direction_position_unique UNIQUE (municipality_id, position)
);

-- The council goals a direction serves.
CREATE TABLE fund_direction_council_goal (
    direction_id    uuid NOT NULL REFERENCES fund_direction (id),
    council_goal_id uuid NOT NULL REFERENCES council_goal (id),
    PRIMARY KEY (direction_id, council_goal_id)
);

CREATE TABLE fund (
    id              uuid PRIMARY KEY,
    municipality_id uuid NOT NULL REFERENCES municipality (id),
    year            integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    amount          numeric(14, 2) NOT NULL CHECK (amount >= 0),
    version         integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT fund_year_unique UNIQUE (municipality_id, year)
);

-- A department's application to the fund and the decision on it.
CREATE TABLE fund_application (
    id              uuid PRIMARY KEY,
    fund_id         uuid NOT NULL REFERENCES fund (id),
    direction_id    uuid NOT NULL REFERENCES fund_direction (id),
    title           text COLLATE sv NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    department      text NOT NULL CHECK (length(department) BETWEEN 1 AND 200),
    description     text NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
    amount_applied  numeric(14, 2) NOT NULL CHECK (amount_applied > 0),
    -- The project that carries the work: its outcome (typed or from the ledger) is the money spent.
    project_id      uuid REFERENCES project (id),
    status          text NOT NULL DEFAULT 'applied' CHECK (status IN ('applied', 'granted', 'refused')),
    amount_granted  numeric(14, 2) CHECK (amount_granted > 0),
    decision_reason text NOT NULL DEFAULT '' CHECK (length(decision_reason) <= 2000),
    decided_on      date,
    decided_by      text,
    version         integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT fund_application_granted CHECK ((status = 'granted') = (amount_granted IS NOT NULL)),
    CONSTRAINT fund_application_refused_reason CHECK (status <> 'refused' OR length(btrim(decision_reason)) > 0),
    CONSTRAINT fund_application_decided CHECK ((status = 'applied') = (decided_on IS NULL))
);
CREATE INDEX fund_application_fund_idx ON fund_application (fund_id);

CREATE TABLE fund_application_council_goal (
    application_id  uuid NOT NULL REFERENCES fund_application (id),
    council_goal_id uuid NOT NULL REFERENCES council_goal (id),
    PRIMARY KEY (application_id, council_goal_id)
);

-- A follow-up of a grant: when, the money spent so far, and what it has brought.
CREATE TABLE fund_follow_up (
    id             uuid PRIMARY KEY,
    application_id uuid NOT NULL REFERENCES fund_application (id),
    followed_on    date NOT NULL,
    spent          numeric(14, 2) CHECK (spent >= 0),
    comment        text NOT NULL CHECK (length(comment) BETWEEN 1 AND 4000),
    recorded_by    uuid REFERENCES app_user (id),
    recorded_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX fund_follow_up_application_idx ON fund_follow_up (application_id, followed_on);

-- An application has its own benefit calculation.
ALTER TABLE benefit_calculation
    ADD COLUMN application_id uuid UNIQUE REFERENCES fund_application (id),
    DROP CONSTRAINT benefit_calculation_one_subject,
    ADD CONSTRAINT benefit_calculation_one_subject CHECK (
        num_nonnulls(project_id, item_id, application_id) = 1);

CREATE OR REPLACE VIEW benefit_calculation_municipality AS
    SELECT c.id AS calculation_id, pm.municipality_id
    FROM benefit_calculation c JOIN project_municipality pm ON pm.project_id = c.project_id
    UNION ALL
    SELECT c.id, im.municipality_id
    FROM benefit_calculation c JOIN portfolio_item_municipality im ON im.item_id = c.item_id
    UNION ALL
    SELECT c.id, f.municipality_id
    FROM benefit_calculation c
    JOIN fund_application a ON a.id = c.application_id
    JOIN fund f ON f.id = a.fund_id;

-- Per granted application: whether it was followed up (a follow-up record or a measured
-- benefit of its own or its project's calculation), the money spent (its project's outcome,
-- typed or imported from the ledger, else its latest follow-up's figure) and the realised
-- benefit in kronor: per benefit and year its last reading (a benefit is measured as a yearly
-- rate), financial in kronor, hours × the calculation's hourly cost. What the fund overview and the auditors' checks read.
CREATE VIEW fund_grant_figures AS
    SELECT a.id AS application_id, a.fund_id, a.amount_granted,
           (EXISTS (SELECT 1 FROM fund_follow_up u WHERE u.application_id = a.id)
            OR EXISTS (SELECT 1 FROM benefit_measurement bm
                         JOIN benefit b ON b.id = bm.benefit_id
                         JOIN benefit_calculation c ON c.id = b.calculation_id
                        WHERE c.application_id = a.id
                           OR (a.project_id IS NOT NULL AND c.project_id = a.project_id)))
             AS followed_up,
           coalesce((SELECT t.outcome FROM project_total t WHERE t.project_id = a.project_id),
                    (SELECT u.spent FROM fund_follow_up u
                      WHERE u.application_id = a.id AND u.spent IS NOT NULL
                      ORDER BY u.followed_on DESC, u.recorded_at DESC LIMIT 1),
                    0) AS spent,
           coalesce((SELECT sum(CASE y.kind WHEN 'financial' THEN y.value
                                            ELSE y.value * y.hourly_cost END)
                       FROM (SELECT DISTINCT ON (b.id, extract(year FROM bm.measured_on))
                                    b.kind, bm.value, c.hourly_cost
                               FROM benefit_measurement bm
                               JOIN benefit b ON b.id = bm.benefit_id
                               JOIN benefit_calculation c ON c.id = b.calculation_id
                              WHERE b.kind <> 'qualitative' AND NOT b.removed
                                AND (c.application_id = a.id
                                     OR (a.project_id IS NOT NULL AND c.project_id = a.project_id))
                              ORDER BY b.id, extract(year FROM bm.measured_on),
                                       bm.measured_on DESC, bm.recorded_at DESC) AS y), 0)
             AS realised
    FROM fund_application a
    WHERE a.status = 'granted';
