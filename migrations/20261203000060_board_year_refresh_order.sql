-- Two corrections to the kept board years of 20261203000050, found in review:
--
-- 1. A refresh resolved a project's board before it took the refresh lock. A transaction that
--    moved the project to another board and committed while the refresh waited for the lock
--    left the new board's year unrefreshed (a project-year deleted while its project moved).
--    Now the lock comes first, and the board is read under it.
-- 2. A board year refreshed once in a transaction was skipped for the rest of it. That holds
--    when every refresh runs at the commit, not when `SET CONSTRAINTS … IMMEDIATE` fires them
--    earlier and more changes follow. Now a refresh is skipped only when no statement has
--    changed the rows it sums since it ran: every statement that changes them counts itself in
--    a transaction-local setting (`portfolj.investment_changes`), and the row keeps the count
--    it was refreshed at.
--
-- The sums are plain numeric now, as wide as the rows they add up.
--
-- The refresh is correct under READ COMMITTED (each statement of the refresh sees what the
-- transactions before it committed), which is what the application uses. With `SET
-- CONSTRAINTS … IMMEDIATE` the refresh lock is taken before the transaction's later project
-- locks, and two such transactions can deadlock; the application never sets it.

ALTER TABLE board_year_investment
    ALTER COLUMN appropriation TYPE numeric,
    ALTER COLUMN outcome TYPE numeric,
    ADD COLUMN refreshed_at bigint NOT NULL DEFAULT 0;

-- The number of statements in this transaction that changed rows a board year sums.
CREATE FUNCTION investment_changes() RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT coalesce(nullif(current_setting('portfolj.investment_changes', true), ''), '0')::bigint
$$;

CREATE FUNCTION count_investment_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('portfolj.investment_changes', (investment_changes() + 1)::text, true);
    RETURN NULL;
END;
$$;
CREATE TRIGGER project_year_investment_change
    BEFORE INSERT OR UPDATE OR DELETE ON project_year
    FOR EACH STATEMENT EXECUTE FUNCTION count_investment_change();
CREATE TRIGGER carry_over_investment_change
    BEFORE INSERT OR UPDATE OR DELETE ON carry_over
    FOR EACH STATEMENT EXECUTE FUNCTION count_investment_change();
CREATE TRIGGER project_month_outcome_investment_change
    BEFORE INSERT OR UPDATE OR DELETE ON project_month_outcome
    FOR EACH STATEMENT EXECUTE FUNCTION count_investment_change();
CREATE TRIGGER project_investment_change
    BEFORE UPDATE OF board_id OR DELETE ON project
    FOR EACH STATEMENT EXECUTE FUNCTION count_investment_change();

CREATE FUNCTION lock_board_year_refresh() RETURNS void LANGUAGE sql AS $$
    SELECT pg_advisory_xact_lock(hashtext('board_year_investment'))
$$;

CREATE OR REPLACE FUNCTION refresh_board_year_investment(target_board uuid, target_year integer)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM lock_board_year_refresh();
    IF target_board IS NULL OR target_year IS NULL OR EXISTS (
        SELECT 1 FROM board_year_investment
        WHERE board_id = target_board AND year = target_year
          AND refreshed_in = txid_current() AND refreshed_at = investment_changes()
    ) THEN
        RETURN;
    END IF;
    INSERT INTO board_year_investment AS b
        (board_id, year, appropriation, outcome, granted, refreshed_in, refreshed_at)
    SELECT target_board, target_year, f.appropriation, f.outcome, f.granted, txid_current(),
           investment_changes()
    FROM board_year_investment_figures(target_board, target_year) AS f
    ON CONFLICT (board_id, year) DO UPDATE
        SET appropriation = excluded.appropriation, outcome = excluded.outcome,
            granted = excluded.granted, refreshed_in = excluded.refreshed_in,
            refreshed_at = excluded.refreshed_at;
END;
$$;

-- The year of a project's board, the board read under the refresh lock.
CREATE FUNCTION refresh_project_board_year(target_project uuid, target_year integer)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM lock_board_year_refresh();
    PERFORM refresh_board_year_investment(project_board(target_project), target_year);
END;
$$;

CREATE OR REPLACE FUNCTION project_row_board_year() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r jsonb;
BEGIN
    FOR r IN
        SELECT to_jsonb(OLD) WHERE TG_OP <> 'INSERT'
        UNION ALL
        SELECT to_jsonb(NEW) WHERE TG_OP <> 'DELETE'
    LOOP
        PERFORM refresh_project_board_year((r ->> 'project_id')::uuid,
                                           (r ->> TG_ARGV[0])::integer + TG_ARGV[1]::integer);
    END LOOP;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION project_month_outcome_board_year() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND extract(month FROM OLD.month) = 12 THEN
        PERFORM refresh_project_board_year(OLD.project_id, extract(year FROM OLD.month)::integer);
    END IF;
    IF TG_OP <> 'DELETE' AND extract(month FROM NEW.month) = 12 THEN
        PERFORM refresh_project_board_year(NEW.project_id, extract(year FROM NEW.month)::integer);
    END IF;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION project_board_year() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    k record;
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.board_id = NEW.board_id THEN
        RETURN NULL;
    END IF;
    PERFORM lock_board_year_refresh();
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
