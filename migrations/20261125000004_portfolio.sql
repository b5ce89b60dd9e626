-- The digitalisation portfolio (seed 002): items in four plans, the quarterly prioritisation
-- rounds with the strategy groups' reviews and the coordination group's ranking and decisions,
-- and the orders that the latest decided round allows.

-- A need, order or initiative in one of the four plans.
CREATE TABLE portfolio_item (
    id                uuid PRIMARY KEY,
    -- A short number people say aloud in the meeting ("objekt 14"), shown as P-014.
    number            integer GENERATED ALWAYS AS IDENTITY UNIQUE,
    title             text COLLATE sv NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description       text NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
    plan              text NOT NULL CHECK (plan IN ('digitalisation', 'business_systems', 'service_catalogue', 'infrastructure')),
    unit              text NOT NULL DEFAULT '' CHECK (length(unit) <= 200),
    contact           text NOT NULL DEFAULT '' CHECK (length(contact) <= 200),
    kind              text NOT NULL CHECK (kind IN ('new_need', 'change', 'maintenance', 'mandatory')),
    complexity        text NOT NULL CHECK (complexity IN ('low', 'medium', 'high')),
    complexity_reason text NOT NULL DEFAULT '' CHECK (length(complexity_reason) <= 4000),
    -- IT-center's estimate of its own effort.
    effort_hours      integer NOT NULL CHECK (effort_hours BETWEEN 0 AND 1000000),
    investment        numeric(14, 2) NOT NULL CHECK (investment >= 0),
    running_cost      numeric(14, 2) NOT NULL CHECK (running_cost >= 0),
    -- The business's benefit valuation (nyttovärdering): 0–5 on each named criterion. The
    -- weights are the round's, so the same scores may weigh differently next quarter.
    score_citizen     smallint NOT NULL DEFAULT 0 CHECK (score_citizen BETWEEN 0 AND 5),
    score_efficiency  smallint NOT NULL DEFAULT 0 CHECK (score_efficiency BETWEEN 0 AND 5),
    score_necessity   smallint NOT NULL DEFAULT 0 CHECK (score_necessity BETWEEN 0 AND 5),
    score_strategy    smallint NOT NULL DEFAULT 0 CHECK (score_strategy BETWEEN 0 AND 5),
    benefit_note      text NOT NULL DEFAULT '' CHECK (length(benefit_note) <= 4000),
    project_id        uuid REFERENCES project (id),
    earliest_start    date,
    status            text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'in_round', 'prioritised', 'postponed', 'rejected', 'ordered', 'delivered')),
    version           integer NOT NULL DEFAULT 1,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX portfolio_item_plan_idx ON portfolio_item (plan, title);
CREATE INDEX portfolio_item_project_idx ON portfolio_item (project_id) WHERE project_id IS NOT NULL;

-- The municipalities that asked for an item; two rows make it a shared item.
CREATE TABLE portfolio_item_municipality (
    item_id         uuid NOT NULL REFERENCES portfolio_item (id),
    municipality_id uuid NOT NULL REFERENCES municipality (id),
    PRIMARY KEY (item_id, municipality_id)
);
CREATE INDEX portfolio_item_municipality_municipality_idx ON portfolio_item_municipality (municipality_id);

CREATE TABLE portfolio_item_council_goal (
    item_id         uuid NOT NULL REFERENCES portfolio_item (id),
    council_goal_id uuid NOT NULL REFERENCES council_goal (id),
    PRIMARY KEY (item_id, council_goal_id)
);

-- An item that cannot be done before another one.
CREATE TABLE portfolio_item_dependency (
    item_id       uuid NOT NULL REFERENCES portfolio_item (id),
    depends_on_id uuid NOT NULL REFERENCES portfolio_item (id),
    PRIMARY KEY (item_id, depends_on_id),
    CONSTRAINT portfolio_item_dependency_not_self CHECK (item_id <> depends_on_id)
);
CREATE INDEX portfolio_item_dependency_on_idx ON portfolio_item_dependency (depends_on_id);

-- A quarterly prioritisation round (prioriteringsomgång).
CREATE TABLE round (
    id                 uuid PRIMARY KEY,
    quarter            text NOT NULL UNIQUE CHECK (quarter ~ '^[0-9]{4}-Q[1-4]$'),
    phase              text NOT NULL DEFAULT 'compiling' CHECK (phase IN ('compiling', 'review', 'meeting', 'decided')),
    review_deadline    date,
    meeting_date       date,
    hours_capacity     integer NOT NULL CHECK (hours_capacity >= 0),
    budget             numeric(14, 2) NOT NULL CHECK (budget >= 0),
    -- Weights of the benefit criteria (see portfolio_item.score_*), set by the administrator.
    weight_citizen     smallint NOT NULL DEFAULT 25 CHECK (weight_citizen BETWEEN 0 AND 100),
    weight_efficiency  smallint NOT NULL DEFAULT 25 CHECK (weight_efficiency BETWEEN 0 AND 100),
    weight_necessity   smallint NOT NULL DEFAULT 25 CHECK (weight_necessity BETWEEN 0 AND 100),
    weight_strategy    smallint NOT NULL DEFAULT 25 CHECK (weight_strategy BETWEEN 0 AND 100),
    decided_at         timestamptz,
    decided_by         uuid REFERENCES app_user (id),
    decided_by_label   text,
    -- Settings and phase moves.
    version            integer NOT NULL DEFAULT 1,
    -- The ranking, versioned on its own so that two members ranking at once notice each other.
    ranking_version    integer NOT NULL DEFAULT 1,
    created_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT round_weights_not_all_zero CHECK (weight_citizen + weight_efficiency + weight_necessity + weight_strategy > 0),
    CONSTRAINT round_decided_has_meeting CHECK (phase <> 'decided' OR (decided_at IS NOT NULL AND meeting_date IS NOT NULL))
);
-- At most one round is open at a time: the portfolio has one agenda.
CREATE UNIQUE INDEX round_one_open_idx ON round ((true)) WHERE phase <> 'decided';

-- The frame of one plan within a round; both limits optional.
CREATE TABLE round_plan_frame (
    round_id       uuid NOT NULL REFERENCES round (id),
    plan           text NOT NULL CHECK (plan IN ('digitalisation', 'business_systems', 'service_catalogue', 'infrastructure')),
    hours_capacity integer CHECK (hours_capacity >= 0),
    budget         numeric(14, 2) CHECK (budget >= 0),
    PRIMARY KEY (round_id, plan)
);

-- An item on a round's agenda: its place in the ranking, and after the meeting its decision.
-- The figures are copied when the round is decided, so its protocol never changes afterwards.
CREATE TABLE round_item (
    round_id        uuid NOT NULL REFERENCES round (id),
    item_id         uuid NOT NULL REFERENCES portfolio_item (id),
    rank            integer CHECK (rank >= 1),
    decision        text CHECK (decision IN ('prioritised', 'postponed', 'rejected')),
    decision_quarter text CHECK (decision_quarter ~ '^[0-9]{4}-Q[1-4]$'),
    decision_reason text NOT NULL DEFAULT '' CHECK (length(decision_reason) <= 2000),
    snapshot        jsonb,
    PRIMARY KEY (round_id, item_id),
    CONSTRAINT round_item_rank_unique UNIQUE (round_id, rank) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX round_item_item_idx ON round_item (item_id);

-- A strategy group's review of a round: a draft until submitted.
CREATE TABLE review (
    round_id        uuid NOT NULL REFERENCES round (id),
    municipality_id uuid NOT NULL REFERENCES municipality (id),
    submitted_at    timestamptz,
    submitted_by    uuid REFERENCES app_user (id),
    version         integer NOT NULL DEFAULT 1,
    PRIMARY KEY (round_id, municipality_id)
);

-- A strategy group's view of one item: a comment, its place among the group's top items and
-- whether the municipality cannot do without it.
CREATE TABLE review_note (
    round_id         uuid NOT NULL,
    municipality_id  uuid NOT NULL,
    item_id          uuid NOT NULL REFERENCES portfolio_item (id),
    comment          text NOT NULL DEFAULT '' CHECK (length(comment) <= 4000),
    recommended_rank integer CHECK (recommended_rank BETWEEN 1 AND 1000),
    must_have        boolean NOT NULL DEFAULT false,
    PRIMARY KEY (round_id, municipality_id, item_id),
    FOREIGN KEY (round_id, municipality_id) REFERENCES review (round_id, municipality_id),
    FOREIGN KEY (round_id, item_id) REFERENCES round_item (round_id, item_id)
);

-- An order (beställning) of an item. It is registered only when the latest decided round has
-- prioritised the item; until then it waits, and the start page of IT-center lists it.
CREATE TABLE portfolio_order (
    id            uuid PRIMARY KEY,
    item_id       uuid NOT NULL REFERENCES portfolio_item (id),
    reference     text NOT NULL CHECK (length(reference) BETWEEN 1 AND 100),
    note          text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    requested_by  uuid REFERENCES app_user (id),
    requested_at  timestamptz NOT NULL DEFAULT now(),
    -- Set when the order passes the gate: the round that allowed it.
    round_id      uuid REFERENCES round (id),
    registered_at timestamptz,
    CONSTRAINT portfolio_order_registered_with_round CHECK ((round_id IS NULL) = (registered_at IS NULL))
);
CREATE INDEX portfolio_order_item_idx ON portfolio_order (item_id);
CREATE INDEX portfolio_order_waiting_idx ON portfolio_order (requested_at) WHERE registered_at IS NULL;

-- Whether an item concerns one of the given municipalities: requested by one of them, or by no
-- one in particular (then it concerns every member). Strategy groups see these items.
CREATE FUNCTION portfolio_item_concerns(item uuid, municipalities uuid[]) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT NOT EXISTS (SELECT 1 FROM portfolio_item_municipality im WHERE im.item_id = item)
        OR EXISTS (SELECT 1 FROM portfolio_item_municipality im
                   WHERE im.item_id = item AND im.municipality_id = ANY(municipalities))
$$;

-- A round's agenda with each item's figures: as they were when the round was decided (the
-- snapshot), or as they are now while it is open. Every page and export of a round reads this.
CREATE VIEW round_agenda AS
SELECT ri.round_id, ri.item_id, ri.rank, ri.decision, ri.decision_quarter, ri.decision_reason,
       i.number,
       coalesce(ri.snapshot ->> 'title', i.title) AS title,
       coalesce(ri.snapshot ->> 'plan', i.plan) AS plan,
       coalesce(ri.snapshot ->> 'kind', i.kind) AS kind,
       coalesce((ri.snapshot ->> 'effort_hours')::integer, i.effort_hours) AS effort_hours,
       coalesce((ri.snapshot ->> 'investment')::numeric(14, 2), i.investment) AS investment,
       coalesce((ri.snapshot ->> 'running_cost')::numeric(14, 2), i.running_cost) AS running_cost,
       coalesce((ri.snapshot ->> 'score_citizen')::smallint, i.score_citizen) AS score_citizen,
       coalesce((ri.snapshot ->> 'score_efficiency')::smallint, i.score_efficiency) AS score_efficiency,
       coalesce((ri.snapshot ->> 'score_necessity')::smallint, i.score_necessity) AS score_necessity,
       coalesce((ri.snapshot ->> 'score_strategy')::smallint, i.score_strategy) AS score_strategy,
       coalesce(ri.snapshot ->> 'municipalities', mun.names, 'Alla') AS municipalities
FROM round_item ri
JOIN portfolio_item i ON i.id = ri.item_id
-- Grouped once and joined, rather than looked up row by row: a board of 500 items reads it
-- in one pass.
LEFT JOIN (SELECT im.item_id, string_agg(m.name, ', ' ORDER BY m.name COLLATE sv) AS names
           FROM portfolio_item_municipality im JOIN municipality m ON m.id = im.municipality_id
           GROUP BY im.item_id) mun ON mun.item_id = ri.item_id;

-- A decided round is the authority on what may be ordered: neither the round nor its agenda
-- changes afterwards, whoever asks.
CREATE FUNCTION round_decided_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.phase = 'decided' THEN
        RAISE EXCEPTION 'round % is decided and cannot change', OLD.quarter
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;
CREATE FUNCTION round_item_decided_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- The snapshot is written by the decision itself, so a row that has one is decided.
    IF OLD.snapshot IS NOT NULL THEN
        RAISE EXCEPTION 'the decisions of a decided round cannot change'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;
CREATE TRIGGER round_decided_is_immutable BEFORE UPDATE OR DELETE ON round
    FOR EACH ROW EXECUTE FUNCTION round_decided_is_immutable();
CREATE TRIGGER round_item_decided_is_immutable BEFORE UPDATE OR DELETE ON round_item
    FOR EACH ROW EXECUTE FUNCTION round_item_decided_is_immutable();

-- Nor does anything belonging to a decided round: no item added to its agenda, no frame, review
-- or note changed afterwards.
CREATE FUNCTION round_part_is_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    -- A row moved between rounds belongs to both: neither may be decided.
    owners uuid[] := CASE TG_OP
        WHEN 'DELETE' THEN ARRAY[OLD.round_id]
        WHEN 'INSERT' THEN ARRAY[NEW.round_id]
        ELSE ARRAY[OLD.round_id, NEW.round_id] END;
BEGIN
    IF EXISTS (SELECT 1 FROM round WHERE id = ANY(owners) AND phase = 'decided') THEN
        RAISE EXCEPTION 'a decided round''s % cannot change', TG_TABLE_NAME
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;
CREATE TRIGGER round_item_added_to_decided BEFORE INSERT ON round_item
    FOR EACH ROW EXECUTE FUNCTION round_part_is_immutable();
CREATE TRIGGER round_plan_frame_of_decided BEFORE INSERT OR UPDATE OR DELETE ON round_plan_frame
    FOR EACH ROW EXECUTE FUNCTION round_part_is_immutable();
CREATE TRIGGER review_of_decided BEFORE INSERT OR UPDATE OR DELETE ON review
    FOR EACH ROW EXECUTE FUNCTION round_part_is_immutable();
CREATE TRIGGER review_note_of_decided BEFORE INSERT OR UPDATE OR DELETE ON review_note
    FOR EACH ROW EXECUTE FUNCTION round_part_is_immutable();
