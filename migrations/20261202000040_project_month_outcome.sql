-- Investment outcome per project and month, for the period follow-up, kept by triggers in the
-- same transaction as the change to outcome_entry (or a budget line moved to another project),
-- as project_total keeps the project list's figures. Each month also keeps the year's outcome up
-- to and including it, so a report reads the period's outcome of a project from one row (its
-- period's last month) and a year's outcome from one row per project (December) instead of
-- summing every outcome entry of the board's projects on each request.
--
-- A project has the twelve rows of every year it has outcome entries in, and none of a year it
-- has none in. The rows of a year are always recomputed from the exact entries (never adjusted
-- by differences). A project deleted takes its rows with it.
CREATE TABLE project_month_outcome (
    project_id   uuid NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    -- The first day of the month.
    month        date NOT NULL CHECK (extract(day FROM month) = 1),
    -- The outcome booked in the month, and in the year from January up to and including it.
    amount       numeric(14, 2) NOT NULL,
    year_to_date numeric(14, 2) NOT NULL,
    PRIMARY KEY (project_id, month) INCLUDE (year_to_date)
);

-- The twelve rows of a project's year as its outcome entries stand now; none when it has no
-- entries in the year. Used by the refresh, the backfill below and the consistency tests.
CREATE FUNCTION project_year_outcome(target uuid, target_year integer)
RETURNS TABLE (project_id uuid, month date, amount numeric, year_to_date numeric)
LANGUAGE sql STABLE AS $$
    WITH booked AS (
        SELECT e.month, sum(e.amount) AS amount
        FROM budget_line l JOIN outcome_entry e ON e.budget_line_id = l.id
        WHERE l.project_id = target
          AND e.month >= make_date(target_year, 1, 1) AND e.month < make_date(target_year + 1, 1, 1)
        GROUP BY e.month)
    SELECT target, m.month::date, coalesce(b.amount, 0),
           sum(coalesce(b.amount, 0)) OVER (ORDER BY m.month)
    FROM generate_series(make_date(target_year, 1, 1), make_date(target_year, 12, 1),
                         interval '1 month') AS m (month)
    LEFT JOIN booked b ON b.month = m.month::date
    WHERE EXISTS (SELECT 1 FROM booked)
$$;

-- The project row is locked first, as refresh_project_total does, so that concurrent changes of
-- one project refresh one after the other, each reading what the previous one committed. A
-- project deleted together with its rows in one statement is not written again (migration
-- 20261201000040): its rows went with it.
CREATE FUNCTION refresh_project_month_outcome(target uuid, target_year integer)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM project WHERE id = target FOR UPDATE;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    INSERT INTO project_month_outcome AS k (project_id, month, amount, year_to_date)
    SELECT * FROM project_year_outcome(target, target_year)
    ON CONFLICT (project_id, month) DO UPDATE
        SET amount = excluded.amount, year_to_date = excluded.year_to_date
        WHERE (k.amount, k.year_to_date) IS DISTINCT FROM (excluded.amount, excluded.year_to_date);
    IF NOT FOUND THEN
        DELETE FROM project_month_outcome
        WHERE project_id = target
          AND month >= make_date(target_year, 1, 1) AND month < make_date(target_year + 1, 1, 1)
          AND NOT EXISTS (SELECT 1 FROM project_year_outcome(target, target_year));
    END IF;
END;
$$;

-- The old and the new (project, year) of an entry, refreshed in key order, so that two entries
-- moved between two projects in opposite directions at the same time cannot deadlock on the two
-- project rows. These triggers are named to fire before the *_total ones, which lock the same
-- project rows (old first): the locks are then already held, taken in key order.
CREATE FUNCTION outcome_entry_month_outcome() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    k record;
BEGIN
    FOR k IN
        SELECT DISTINCT l.project_id, extract(year FROM d.month)::integer AS year
        FROM (SELECT OLD.budget_line_id, OLD.month WHERE TG_OP <> 'INSERT'
              UNION ALL
              SELECT NEW.budget_line_id, NEW.month WHERE TG_OP <> 'DELETE')
             AS d (budget_line_id, month)
        JOIN budget_line l ON l.id = d.budget_line_id
        ORDER BY 1, 2
    LOOP
        PERFORM refresh_project_month_outcome(k.project_id, k.year);
    END LOOP;
    RETURN NULL;
END;
$$;
CREATE TRIGGER outcome_entry_month_outcome
    AFTER INSERT OR DELETE OR UPDATE OF amount, month, budget_line_id ON outcome_entry
    FOR EACH ROW EXECUTE FUNCTION outcome_entry_month_outcome();

-- A budget line moved to another project moves its outcome: the old project's years are
-- refreshed (every year it has rows for) and the new project's years of the line's entries, in
-- key order. A line deleted in one statement with its entries (whose own triggers no longer find
-- the line, nor so the project) refreshes its project's years the same way.
CREATE FUNCTION budget_line_month_outcome() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    k record;
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.project_id = NEW.project_id THEN
        RETURN NULL;
    END IF;
    FOR k IN
        SELECT OLD.project_id AS project_id, extract(year FROM o.month)::integer AS year
        FROM project_month_outcome o WHERE o.project_id = OLD.project_id
        UNION
        SELECT NEW.project_id, extract(year FROM e.month)::integer
        FROM outcome_entry e WHERE TG_OP = 'UPDATE' AND e.budget_line_id = NEW.id
        ORDER BY 1, 2
    LOOP
        PERFORM refresh_project_month_outcome(k.project_id, k.year);
    END LOOP;
    RETURN NULL;
END;
$$;
CREATE TRIGGER budget_line_month_outcome AFTER DELETE OR UPDATE OF project_id ON budget_line
    FOR EACH ROW EXECUTE FUNCTION budget_line_month_outcome();

INSERT INTO project_month_outcome (project_id, month, amount, year_to_date)
SELECT f.*
FROM (SELECT DISTINCT l.project_id, extract(year FROM e.month)::integer AS year
      FROM budget_line l JOIN outcome_entry e ON e.budget_line_id = l.id) AS y
CROSS JOIN LATERAL project_year_outcome(y.project_id, y.year) AS f;
