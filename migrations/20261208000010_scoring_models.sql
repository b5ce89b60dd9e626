-- Prioritisation models (prioriteringsmodeller): the scoring model a round values its items
-- with. An administrator defines a model's criteria, scale and weights; three come built in
-- (docs/DESIGN.md, "Prioritisation models"). A round chooses its model, and a model a decided
-- round used never changes again, so the decision keeps the model it was made with.

CREATE TABLE scoring_model (
    id              uuid PRIMARY KEY,
    name            text COLLATE sv NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description     text NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
    -- 'value': the items rank by their weighted value; 'value_per_effort': by that value per
    -- hundred hours of IT-center's effort (WSJF: cost of delay divided by job size).
    ranking         text NOT NULL CHECK (ranking IN ('value', 'value_per_effort')),
    -- The highest score of the criteria the business scores in this model (the lowest is 0),
    -- and of a criterion read from the net present value.
    scale_max       smallint NOT NULL DEFAULT 5 CHECK (scale_max BETWEEN 1 AND 100),
    -- A criterion read from the net present value scores one step per this many kronor.
    kronor_per_step numeric(14, 2) NOT NULL DEFAULT 200000 CHECK (kronor_per_step >= 1),
    -- Which built-in model this is, if any: the default of the first round.
    preset          text UNIQUE CHECK (preset IN ('four_criteria', 'benefit_calculation', 'wsjf')),
    version         integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now()
);
-- Names differ in more than letter case: "nyttokalkyl" is the model "Nyttokalkyl".
CREATE UNIQUE INDEX scoring_model_name_unique ON scoring_model (lower(name));

-- A criterion of a model and where its score comes from: one of the four scores every item
-- carries (citizen, efficiency, necessity, strategy; 0–5), a score of the model's own
-- (`scored`, 0 to the model's scale, in portfolio_item_score), or a figure of the item's
-- benefit calculation (its net present value in steps, or the mean of its qualitative ratings).
CREATE TABLE scoring_criterion (
    id          uuid PRIMARY KEY,
    model_id    uuid NOT NULL REFERENCES scoring_model (id),
    position    smallint NOT NULL CHECK (position >= 0),
    name        text COLLATE sv NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    source      text NOT NULL CHECK (source IN ('citizen', 'efficiency', 'necessity', 'strategy',
                                                'scored', 'net_present_value', 'qualitative_rating')),
    weight      smallint NOT NULL CHECK (weight BETWEEN 0 AND 100),
    CONSTRAINT scoring_criterion_name_unique UNIQUE (model_id, name),
    CONSTRAINT scoring_criterion_position_unique UNIQUE (model_id, position) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX scoring_criterion_model_idx ON scoring_criterion (model_id, position);

-- An item's score on a criterion of a model's own. A criterion removed from a model takes its
-- scores with it; a decided round keeps its copy in round_item.snapshot.
CREATE TABLE portfolio_item_score (
    item_id      uuid NOT NULL REFERENCES portfolio_item (id),
    criterion_id uuid NOT NULL REFERENCES scoring_criterion (id) ON DELETE CASCADE,
    score        smallint NOT NULL CHECK (score BETWEEN 0 AND 100),
    PRIMARY KEY (item_id, criterion_id)
);
CREATE INDEX portfolio_item_score_criterion_idx ON portfolio_item_score (criterion_id);

-- The built-in models.
INSERT INTO scoring_model (id, name, description, ranking, scale_max, preset) VALUES
    ('0193a000-0000-7000-8000-000000000001', 'Nyttovärdering, fyra kriterier',
     'Verksamhetens poäng 0–5 på de fyra kriterierna, vägda. Samma modell som omgångarna har använt hittills.',
     'value', 5, 'four_criteria'),
    ('0193a000-0000-7000-8000-000000000002', 'Nyttokalkyl',
     'Nyttokalkylens nettonuvärde (ett steg per 200 000 kr, högst 5) och medelbetyget på de kvalitativa nyttorna (1–5), vägda 70/30. Ett objekt utan nyttokalkyl får 0.',
     'value', 5, 'benefit_calculation'),
    ('0193a000-0000-7000-8000-000000000003', 'WSJF, förseningskostnad per insats',
     'Förseningskostnaden är summan av tre poäng 0–20 (affärsvärde, tidskritikalitet, riskminskning och möjliggörande) och delas med IT-centers insats i hundratals timmar. Skalan 1, 2, 3, 5, 8, 13, 20 rekommenderas.',
     'value_per_effort', 20, 'wsjf');
INSERT INTO scoring_criterion (id, model_id, position, name, source, weight) VALUES
    ('0193a000-0000-7000-8000-000000000011', '0193a000-0000-7000-8000-000000000001', 0, 'Nytta för invånare', 'citizen', 25),
    ('0193a000-0000-7000-8000-000000000012', '0193a000-0000-7000-8000-000000000001', 1, 'Effektivitet och tidsbesparing', 'efficiency', 25),
    ('0193a000-0000-7000-8000-000000000013', '0193a000-0000-7000-8000-000000000001', 2, 'Lag- eller säkerhetskrav', 'necessity', 25),
    ('0193a000-0000-7000-8000-000000000014', '0193a000-0000-7000-8000-000000000001', 3, 'Strategisk koppling till fullmäktiges mål', 'strategy', 25),
    ('0193a000-0000-7000-8000-000000000021', '0193a000-0000-7000-8000-000000000002', 0, 'Nettonuvärde', 'net_present_value', 70),
    ('0193a000-0000-7000-8000-000000000022', '0193a000-0000-7000-8000-000000000002', 1, 'Kvalitativa nyttor', 'qualitative_rating', 30),
    ('0193a000-0000-7000-8000-000000000031', '0193a000-0000-7000-8000-000000000003', 0, 'Affärsvärde', 'scored', 1),
    ('0193a000-0000-7000-8000-000000000032', '0193a000-0000-7000-8000-000000000003', 1, 'Tidskritikalitet', 'scored', 1),
    ('0193a000-0000-7000-8000-000000000033', '0193a000-0000-7000-8000-000000000003', 2, 'Riskminskning och möjliggörande', 'scored', 1);

-- A round chooses its model. The rounds so far weighed the four criteria with their own
-- weights: those with the built-in weights take the built-in model, the others a model of the
-- four criteria with their weights.
ALTER TABLE round ADD COLUMN scoring_model_id uuid REFERENCES scoring_model (id);

INSERT INTO scoring_model (id, name, description, ranking, scale_max)
SELECT uuid_v7(),
       format('Fyra kriterier, vikter %s/%s/%s/%s', weight_citizen, weight_efficiency, weight_necessity, weight_strategy),
       'Nyttovärderingen med de vikter som omgångarna före prioriteringsmodellerna använde.',
       'value', 5
FROM (SELECT DISTINCT weight_citizen, weight_efficiency, weight_necessity, weight_strategy FROM round
      WHERE (weight_citizen, weight_efficiency, weight_necessity, weight_strategy) <> (25, 25, 25, 25)) w;
INSERT INTO scoring_criterion (id, model_id, position, name, source, weight)
SELECT uuid_v7(), m.id, c.position, c.name, c.source,
       (regexp_match(m.name, '(\d+)/(\d+)/(\d+)/(\d+)$'))[c.position + 1]::smallint
FROM scoring_model m
CROSS JOIN scoring_criterion c
WHERE m.preset IS NULL AND c.model_id = '0193a000-0000-7000-8000-000000000001';

-- Decided rounds cannot change (round_decided_is_immutable); this is the one change they get.
ALTER TABLE round DISABLE TRIGGER round_decided_is_immutable;
UPDATE round r SET scoring_model_id = coalesce(
    (SELECT m.id FROM scoring_model m
     WHERE m.name = format('Fyra kriterier, vikter %s/%s/%s/%s', r.weight_citizen, r.weight_efficiency, r.weight_necessity, r.weight_strategy)),
    '0193a000-0000-7000-8000-000000000001');
ALTER TABLE round ENABLE TRIGGER round_decided_is_immutable;
ALTER TABLE round
    ALTER COLUMN scoring_model_id SET NOT NULL,
    DROP CONSTRAINT round_weights_not_all_zero,
    DROP COLUMN weight_citizen,
    DROP COLUMN weight_efficiency,
    DROP COLUMN weight_necessity,
    DROP COLUMN weight_strategy;
CREATE INDEX round_scoring_model_idx ON round (scoring_model_id);

-- A model a decided round used keeps its criteria, scale and weights for good: the round's
-- protocol and valuation are read through it.
CREATE FUNCTION scoring_model_used_by_decided(model uuid) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM round WHERE scoring_model_id = model AND phase = 'decided')
$$;
CREATE FUNCTION scoring_model_refuse_frozen(model uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF scoring_model_used_by_decided(model) THEN
        RAISE EXCEPTION 'a scoring model a decided round used cannot change'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
END;
$$;
CREATE FUNCTION scoring_model_is_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM scoring_model_refuse_frozen(OLD.id);
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;
-- A criterion moved between models belongs to both: neither may be frozen.
CREATE FUNCTION scoring_criterion_is_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM scoring_model_refuse_frozen(OLD.model_id);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM scoring_model_refuse_frozen(NEW.model_id);
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;
CREATE TRIGGER scoring_model_frozen BEFORE UPDATE OR DELETE ON scoring_model
    FOR EACH ROW EXECUTE FUNCTION scoring_model_is_frozen();
CREATE TRIGGER scoring_criterion_frozen BEFORE INSERT OR UPDATE OR DELETE ON scoring_criterion
    FOR EACH ROW EXECUTE FUNCTION scoring_criterion_is_frozen();

-- The agenda reads the scores of the models' own criteria too: frozen with the decision (the
-- snapshot then also holds the scores read from the benefit calculation), live while open.
CREATE OR REPLACE VIEW round_agenda AS
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
       coalesce(ri.snapshot ->> 'municipalities', mun.names, 'Alla') AS municipalities,
       CASE WHEN ri.snapshot IS NOT NULL THEN coalesce(ri.snapshot -> 'scores', '{}')
            ELSE coalesce(own.scores, '{}') END AS scores
FROM round_item ri
JOIN portfolio_item i ON i.id = ri.item_id
LEFT JOIN (SELECT im.item_id, string_agg(m.name, ', ' ORDER BY m.name COLLATE sv) AS names
           FROM portfolio_item_municipality im JOIN municipality m ON m.id = im.municipality_id
           GROUP BY im.item_id) mun ON mun.item_id = ri.item_id
LEFT JOIN (SELECT s.item_id, jsonb_object_agg(s.criterion_id, s.score) AS scores
           FROM portfolio_item_score s GROUP BY s.item_id) own ON own.item_id = ri.item_id;
