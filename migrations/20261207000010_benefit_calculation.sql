-- Benefit calculations (nyttokalkyler) of portfolio items and projects, their benefits as one
-- register with owners, status and measurements, and the versions a decision froze
-- (docs/DESIGN.md, "The benefit calculation").

-- The hourly cost a municipality values its staff's time at, with where the figure comes from:
-- the default of its new calculations.
ALTER TABLE municipality
    ADD COLUMN hourly_cost        numeric(10, 2) CHECK (hourly_cost >= 0),
    ADD COLUMN hourly_cost_source text NOT NULL DEFAULT '' CHECK (length(hourly_cost_source) <= 500),
    ADD COLUMN version            integer NOT NULL DEFAULT 1;

CREATE TABLE benefit_calculation (
    id                 uuid PRIMARY KEY,
    project_id         uuid UNIQUE REFERENCES project (id),
    item_id            uuid UNIQUE REFERENCES portfolio_item (id),
    -- The calendar year of the calculation's year 1, the year of the investment.
    first_year         integer NOT NULL CHECK (first_year BETWEEN 2000 AND 2100),
    horizon            integer NOT NULL CHECK (horizon BETWEEN 1 AND 30),
    -- The real discount rate as a fraction: 0.035 is 3,5 %.
    discount_rate      numeric(6, 4) NOT NULL CHECK (discount_rate BETWEEN 0 AND 0.2),
    -- The year (1 ..= horizon) the benefits and the running costs start.
    benefit_start      integer NOT NULL,
    hourly_cost        numeric(10, 2) NOT NULL CHECK (hourly_cost >= 0),
    hourly_cost_source text NOT NULL DEFAULT '' CHECK (length(hourly_cost_source) <= 500),
    investment         numeric(14, 2) NOT NULL DEFAULT 0 CHECK (investment >= 0),
    running_per_year   numeric(14, 2) NOT NULL DEFAULT 0 CHECK (running_per_year >= 0),
    internal_hours     numeric(12, 2) NOT NULL DEFAULT 0 CHECK (internal_hours >= 0),
    version            integer NOT NULL DEFAULT 1,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT benefit_calculation_one_subject CHECK ((project_id IS NULL) <> (item_id IS NULL)),
    CONSTRAINT benefit_calculation_start_in_horizon CHECK (benefit_start BETWEEN 1 AND horizon)
);

-- Who benefits: residents, a department, IT-center.
CREATE TABLE benefit_stakeholder (
    id             uuid PRIMARY KEY,
    calculation_id uuid NOT NULL REFERENCES benefit_calculation (id),
    name           text COLLATE sv NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    CONSTRAINT benefit_stakeholder_name_unique UNIQUE (calculation_id, name)
);

-- One benefit: a line of its calculation and an entry of the benefit register.
CREATE TABLE benefit (
    id             uuid PRIMARY KEY,
    calculation_id uuid NOT NULL REFERENCES benefit_calculation (id),
    stakeholder_id uuid NOT NULL REFERENCES benefit_stakeholder (id),
    description    text NOT NULL CHECK (length(description) BETWEEN 1 AND 500),
    kind           text NOT NULL CHECK (kind IN ('financial', 'redistributable', 'qualitative')),
    -- Kronor a year (financial) or hours a year (redistributable); none for a qualitative one.
    amount         numeric(14, 2) CHECK (amount >= 0),
    rating         smallint CHECK (rating BETWEEN 1 AND 5),
    rating_reason  text NOT NULL DEFAULT '' CHECK (length(rating_reason) <= 2000),
    -- The benefit owner (nyttoägare): a person, who follows the benefit up.
    owner_id       uuid REFERENCES app_user (id),
    -- How the benefit is measured, and its value before the change, in the benefit's unit.
    indicator      text NOT NULL DEFAULT '' CHECK (length(indicator) <= 2000),
    baseline       numeric(16, 2),
    status         text NOT NULL DEFAULT 'planned'
                   CHECK (status IN ('planned', 'being_realised', 'realised', 'partly_realised', 'not_realised')),
    status_reason  text NOT NULL DEFAULT '' CHECK (length(status_reason) <= 2000),
    removed        boolean NOT NULL DEFAULT false,
    version        integer NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT benefit_amount_by_kind CHECK ((kind = 'qualitative') = (amount IS NULL)),
    CONSTRAINT benefit_rating_by_kind CHECK ((kind = 'qualitative') = (rating IS NOT NULL)),
    CONSTRAINT benefit_not_realised_reason CHECK (status <> 'not_realised' OR length(btrim(status_reason)) > 0)
);
CREATE INDEX benefit_calculation_idx ON benefit (calculation_id);
CREATE INDEX benefit_owner_idx ON benefit (owner_id) WHERE owner_id IS NOT NULL;

-- What was realised, measured after go-live, in the benefit's unit: kronor, hours or a rating.
CREATE TABLE benefit_measurement (
    id          uuid PRIMARY KEY,
    benefit_id  uuid NOT NULL REFERENCES benefit (id),
    measured_on date NOT NULL,
    value       numeric(16, 2) NOT NULL,
    comment     text NOT NULL DEFAULT '' CHECK (length(comment) <= 4000),
    recorded_by uuid REFERENCES app_user (id),
    recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX benefit_measurement_benefit_idx ON benefit_measurement (benefit_id, measured_on);

-- The effect goals that evidence a benefit.
CREATE TABLE effect_goal_benefit (
    effect_goal_id uuid NOT NULL REFERENCES effect_goal (id) ON DELETE CASCADE,
    benefit_id     uuid NOT NULL REFERENCES benefit (id),
    PRIMARY KEY (effect_goal_id, benefit_id)
);
CREATE INDEX effect_goal_benefit_benefit_idx ON effect_goal_benefit (benefit_id);

-- A calculation as a decision took it: the item's prioritisation or the project's
-- appropriation. Never changed; the calculation itself stays editable as the working copy.
CREATE TABLE benefit_calculation_version (
    calculation_id uuid NOT NULL REFERENCES benefit_calculation (id),
    number         integer NOT NULL CHECK (number >= 1),
    decision       text NOT NULL CHECK (length(decision) BETWEEN 1 AND 500),
    frozen_at      timestamptz NOT NULL DEFAULT now(),
    frozen_by      text NOT NULL,
    -- The inputs as `benefits::snapshot::Snapshot` writes them.
    inputs         jsonb NOT NULL,
    PRIMARY KEY (calculation_id, number)
);

-- The municipalities a calculation's project or item serves: what the register filters and
-- scopes by. An item that names no municipality concerns them all.
CREATE VIEW benefit_calculation_municipality AS
    SELECT c.id AS calculation_id, pm.municipality_id
    FROM benefit_calculation c JOIN project_municipality pm ON pm.project_id = c.project_id
    UNION ALL
    SELECT c.id, im.municipality_id
    FROM benefit_calculation c JOIN portfolio_item_municipality im ON im.item_id = c.item_id;
