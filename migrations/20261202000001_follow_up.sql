-- The period follow-up (uppföljningstillfälle, seed 002): each board reports its operating
-- figures per activity and its investments three times a year, with a full-year forecast,
-- comments on significant deviations and an action plan. Money is exact (numeric(14,2));
-- nothing rounded is stored.

-- An activity (verksamhet) of a board: "031 Digitalisering och innovation".
CREATE TABLE activity (
    id        uuid PRIMARY KEY,
    board_id  uuid NOT NULL REFERENCES board (id),
    code      text NOT NULL CHECK (code ~ '^[0-9A-Za-z.-]{1,12}$'),
    name      text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    active    boolean NOT NULL DEFAULT true,
    CONSTRAINT activity_code_per_board_key UNIQUE (board_id, code)
);

-- The operating budget of an activity per month: revenue and costs, both as positive amounts
-- (a credit is typed negative). The year's budget is the sum of its months.
CREATE TABLE operating_budget (
    activity_id uuid NOT NULL REFERENCES activity (id),
    month       date NOT NULL CHECK (extract(day FROM month) = 1),
    revenue     numeric(14, 2) NOT NULL DEFAULT 0,
    costs       numeric(14, 2) NOT NULL DEFAULT 0,
    PRIMARY KEY (activity_id, month)
);

-- The operating outcome of an activity per month, typed by hand or imported from the ledger:
-- one path for both, and the source says which.
CREATE TABLE operating_outcome (
    activity_id uuid NOT NULL REFERENCES activity (id),
    month       date NOT NULL CHECK (extract(day FROM month) = 1),
    revenue     numeric(14, 2) NOT NULL DEFAULT 0,
    costs       numeric(14, 2) NOT NULL DEFAULT 0,
    source      text NOT NULL CHECK (source IN ('manual', 'import')),
    recorded_by uuid REFERENCES app_user (id),
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (activity_id, month)
);

-- The occasions of a year, the same for every board: "Tillfälle 2, januari–augusti".
CREATE TABLE follow_up_occasion (
    id            uuid PRIMARY KEY,
    year          integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    number        integer NOT NULL CHECK (number BETWEEN 1 AND 12),
    -- The last month of the period, which always starts in January.
    through_month integer NOT NULL CHECK (through_month BETWEEN 1 AND 12),
    deadline      date NOT NULL,
    CONSTRAINT follow_up_occasion_number_key UNIQUE (year, number),
    CONSTRAINT follow_up_occasion_period_key UNIQUE (year, through_month)
);

-- One board's report at one occasion. A board without a row has not started.
CREATE TABLE follow_up (
    id                 uuid PRIMARY KEY,
    board_id           uuid NOT NULL REFERENCES board (id),
    occasion_id        uuid NOT NULL REFERENCES follow_up_occasion (id),
    status             text NOT NULL DEFAULT 'in_progress'
                       CHECK (status IN ('in_progress', 'submitted', 'decided')),
    -- Who the forecast sentence names: "IT-center (innan resultatjustering)".
    reporting_unit     text NOT NULL DEFAULT '' CHECK (length(reporting_unit) <= 200),
    -- The officials' own text around the generated sentences.
    summary_text       text NOT NULL DEFAULT '' CHECK (length(summary_text) <= 20000),
    operating_text     text NOT NULL DEFAULT '' CHECK (length(operating_text) <= 20000),
    investment_text    text NOT NULL DEFAULT '' CHECK (length(investment_text) <= 20000),
    -- The date of bilaga 1 and 2 that the proposal cites.
    attachments_dated  date,
    decision_body      text CHECK (length(decision_body) BETWEEN 1 AND 200),
    decision_paragraph text CHECK (length(decision_paragraph) BETWEEN 1 AND 20),
    decided_on         date,
    decided_by         uuid REFERENCES app_user (id),
    version            integer NOT NULL DEFAULT 1,
    CONSTRAINT follow_up_board_occasion_key UNIQUE (board_id, occasion_id),
    CONSTRAINT follow_up_decided_is_complete CHECK (status <> 'decided' OR (decision_body IS NOT NULL
        AND decision_paragraph IS NOT NULL AND decided_on IS NOT NULL))
);

-- The full-year forecast of an activity at an occasion, with the comment on its deviation.
CREATE TABLE activity_forecast (
    follow_up_id uuid NOT NULL REFERENCES follow_up (id),
    activity_id  uuid NOT NULL REFERENCES activity (id),
    revenue      numeric(14, 2) NOT NULL,
    costs        numeric(14, 2) NOT NULL,
    comment      text NOT NULL DEFAULT '' CHECK (length(comment) <= 5000),
    PRIMARY KEY (follow_up_id, activity_id)
);

-- A project's appropriation for one year: its own budget and what was granted in addition
-- during the year. What was carried over from the year before is in `carry_over`.
CREATE TABLE project_year (
    project_id    uuid NOT NULL REFERENCES project (id),
    year          integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    annual_budget numeric(14, 2) NOT NULL DEFAULT 0,
    extra_granted numeric(14, 2) NOT NULL DEFAULT 0,
    PRIMARY KEY (project_id, year)
);

-- Unspent appropriation carried from one year to the next, proposed at a year-end occasion and
-- counted once that occasion's report is decided.
CREATE TABLE carry_over (
    project_id   uuid NOT NULL REFERENCES project (id),
    from_year    integer NOT NULL CHECK (from_year BETWEEN 2000 AND 2100),
    amount       numeric(14, 2) NOT NULL CHECK (amount >= 0),
    follow_up_id uuid REFERENCES follow_up (id),
    decided      boolean NOT NULL DEFAULT false,
    PRIMARY KEY (project_id, from_year)
);

-- A project's full-year forecast at an occasion, with the comment on its deviation.
CREATE TABLE project_forecast (
    follow_up_id uuid NOT NULL REFERENCES follow_up (id),
    project_id   uuid NOT NULL REFERENCES project (id),
    forecast     numeric(14, 2) NOT NULL,
    comment      text NOT NULL DEFAULT '' CHECK (length(comment) <= 5000),
    PRIMARY KEY (follow_up_id, project_id)
);

-- The members' allocation key of a joint board for a year (medlemsbidragets fördelningsnyckel).
CREATE TABLE member_key (
    board_id        uuid NOT NULL REFERENCES board (id),
    year            integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    municipality_id uuid NOT NULL REFERENCES municipality (id),
    percent         numeric(5, 2) NOT NULL CHECK (percent > 0 AND percent <= 100),
    PRIMARY KEY (board_id, year, municipality_id)
);

-- A measure of the action plan (bilaga 2).
CREATE TABLE action_measure (
    id              uuid PRIMARY KEY,
    follow_up_id    uuid NOT NULL REFERENCES follow_up (id),
    group_number    integer NOT NULL CHECK (group_number BETWEEN 1 AND 4),
    number          integer NOT NULL CHECK (number BETWEEN 1 AND 99),
    activity        text NOT NULL CHECK (length(activity) BETWEEN 1 AND 200),
    description     text NOT NULL CHECK (length(description) BETWEEN 1 AND 2000),
    goal            text NOT NULL DEFAULT '' CHECK (length(goal) <= 500),
    decided_by      text CHECK (decided_by IN ('administration', 'board')),
    decided_on      date,
    stage           text CHECK (stage IN ('planned', 'started')),
    go_live         date,
    effect_period   numeric(14, 2) NOT NULL DEFAULT 0,
    effect_forecast numeric(14, 2) NOT NULL DEFAULT 0,
    in_forecast     boolean NOT NULL DEFAULT false,
    approved_by     uuid REFERENCES app_user (id),
    approved_at     timestamptz,
    version         integer NOT NULL DEFAULT 1,
    CONSTRAINT action_measure_place_key UNIQUE (follow_up_id, group_number, number)
);
