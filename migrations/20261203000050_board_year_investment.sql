-- A board's investment appropriation and outcome per year, for the implementation rate of the
-- period report ("genomförandegrad" per year). Summing them on every request read every
-- project-year, carry-over and December outcome row of the board's projects (about 2 400 rows
-- for a board of 300 projects over three years: 40 % of the report's database time). Now the
-- report reads one row per year.
--
-- Each row is recomputed from the exact rows (never adjusted by differences) when a change to a
-- project's year, a carry-over, a December outcome row or a project's board is committed: the
-- triggers below are deferred to the commit, so that
--   * a transaction that changes many projects of a board (a whole form, an import) refreshes
--     each of the board's years once, seeing all of its changes;
--   * the refresh takes no lock while the transaction still takes project locks. The refreshes
--     of all transactions run one at a time under one advisory lock, held only from the refresh
--     to the commit, and read what was committed before it: two transactions that change the
--     same board cannot both miss the other's change, and cannot deadlock.
CREATE TABLE board_year_investment (
    board_id      uuid NOT NULL REFERENCES board (id),
    year          integer NOT NULL,
    -- Own annual budgets plus extra granted, plus the carry-over decided into the year.
    appropriation numeric(16, 2) NOT NULL,
    -- The year's outcome (each project's December year-to-date).
    outcome       numeric(16, 2) NOT NULL,
    -- Whether any project had an appropriation row (own or carried) in the year: only such
    -- years are shown.
    granted       boolean NOT NULL,
    -- The transaction that last refreshed the row: a transaction refreshes each row once.
    refreshed_in  bigint NOT NULL,
    PRIMARY KEY (board_id, year)
);

-- The figures of a board's year as its projects' rows stand now. Used by the refresh, the
-- backfill below and the consistency tests.
CREATE FUNCTION board_year_investment_figures(target_board uuid, target_year integer)
RETURNS TABLE (appropriation numeric, outcome numeric, granted boolean)
LANGUAGE sql STABLE AS $$
    SELECT coalesce(own.amount, 0) + coalesce(carried.amount, 0),
           coalesce(spent.amount, 0),
           own.n > 0 OR carried.n > 0
    FROM (SELECT sum(y.annual_budget + y.extra_granted) AS amount, count(*) AS n
          FROM project p JOIN project_year y ON y.project_id = p.id
          WHERE p.board_id = target_board AND y.year = target_year) AS own,
         (SELECT sum(c.amount) AS amount, count(*) AS n
          FROM project p JOIN carry_over c ON c.project_id = p.id
          WHERE p.board_id = target_board AND c.decided AND c.from_year = target_year - 1) AS carried,
         (SELECT sum(k.year_to_date) AS amount
          FROM project p
          JOIN project_month_outcome k
            ON k.project_id = p.id AND k.month = make_date(target_year, 12, 1)
          WHERE p.board_id = target_board) AS spent
$$;

CREATE FUNCTION refresh_board_year_investment(target_board uuid, target_year integer)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    -- A project gone with its rows (its board then unknown) is refreshed by its own trigger.
    IF target_board IS NULL OR target_year IS NULL OR EXISTS (
        SELECT 1 FROM board_year_investment
        WHERE board_id = target_board AND year = target_year AND refreshed_in = txid_current()
    ) THEN
        RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('board_year_investment'));
    INSERT INTO board_year_investment AS b
        (board_id, year, appropriation, outcome, granted, refreshed_in)
    SELECT target_board, target_year, f.appropriation, f.outcome, f.granted, txid_current()
    FROM board_year_investment_figures(target_board, target_year) AS f
    ON CONFLICT (board_id, year) DO UPDATE
        SET appropriation = excluded.appropriation, outcome = excluded.outcome,
            granted = excluded.granted, refreshed_in = excluded.refreshed_in;
END;
$$;

-- The board of a project, or NULL when the project is gone.
CREATE FUNCTION project_board(target uuid) RETURNS uuid LANGUAGE sql STABLE AS $$
    SELECT board_id FROM project WHERE id = target
$$;

-- A row of project_year (year) or carry_over (from_year, counted in the year after): the
-- trigger's arguments name the year column and the years to add.
CREATE FUNCTION project_row_board_year() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r jsonb;
BEGIN
    FOR r IN
        SELECT to_jsonb(OLD) WHERE TG_OP <> 'INSERT'
        UNION ALL
        SELECT to_jsonb(NEW) WHERE TG_OP <> 'DELETE'
    LOOP
        PERFORM refresh_board_year_investment(project_board((r ->> 'project_id')::uuid),
                                              (r ->> TG_ARGV[0])::integer + TG_ARGV[1]::integer);
    END LOOP;
    RETURN NULL;
END;
$$;
CREATE CONSTRAINT TRIGGER project_year_board_year
    AFTER INSERT OR UPDATE OR DELETE ON project_year
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION project_row_board_year('year', 0);
CREATE CONSTRAINT TRIGGER carry_over_board_year
    AFTER INSERT OR UPDATE OR DELETE ON carry_over
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION project_row_board_year('from_year', 1);

-- Only December counts: it holds the year's outcome.
CREATE FUNCTION project_month_outcome_board_year() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND extract(month FROM OLD.month) = 12 THEN
        PERFORM refresh_board_year_investment(project_board(OLD.project_id),
                                              extract(year FROM OLD.month)::integer);
    END IF;
    IF TG_OP <> 'DELETE' AND extract(month FROM NEW.month) = 12 THEN
        PERFORM refresh_board_year_investment(project_board(NEW.project_id),
                                              extract(year FROM NEW.month)::integer);
    END IF;
    RETURN NULL;
END;
$$;
CREATE CONSTRAINT TRIGGER project_month_outcome_board_year
    AFTER INSERT OR UPDATE OR DELETE ON project_month_outcome
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION project_month_outcome_board_year();

-- A project moved to another board, or deleted: every year of the boards it left and joined.
CREATE FUNCTION project_board_year() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    k record;
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.board_id = NEW.board_id THEN
        RETURN NULL;
    END IF;
    FOR k IN
        SELECT b.board_id, b.year FROM board_year_investment b WHERE b.board_id = OLD.board_id
        UNION
        SELECT NEW.board_id, y.year FROM project_year y
        WHERE TG_OP = 'UPDATE' AND y.project_id = NEW.id
        UNION
        SELECT NEW.board_id, c.from_year + 1 FROM carry_over c
        WHERE TG_OP = 'UPDATE' AND c.project_id = NEW.id
        UNION
        SELECT NEW.board_id, extract(year FROM m.month)::integer FROM project_month_outcome m
        WHERE TG_OP = 'UPDATE' AND m.project_id = NEW.id AND extract(month FROM m.month) = 12
        ORDER BY 1, 2
    LOOP
        PERFORM refresh_board_year_investment(k.board_id, k.year);
    END LOOP;
    RETURN NULL;
END;
$$;
CREATE CONSTRAINT TRIGGER project_board_year
    AFTER UPDATE OF board_id OR DELETE ON project
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION project_board_year();

INSERT INTO board_year_investment (board_id, year, appropriation, outcome, granted, refreshed_in)
SELECT k.board_id, k.year, f.appropriation, f.outcome, f.granted, txid_current()
FROM (SELECT p.board_id, y.year FROM project p JOIN project_year y ON y.project_id = p.id
      UNION
      SELECT p.board_id, c.from_year + 1 FROM project p JOIN carry_over c ON c.project_id = p.id
      UNION
      SELECT p.board_id, extract(year FROM m.month)::integer
      FROM project p JOIN project_month_outcome m ON m.project_id = p.id
      WHERE extract(month FROM m.month) = 12) AS k
CROSS JOIN LATERAL board_year_investment_figures(k.board_id, k.year) AS f;
