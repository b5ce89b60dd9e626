-- The figures kept from outcome entries (a project's total in project_total, its months in
-- project_month_outcome) are refreshed once per statement instead of once per row: a ledger
-- import writes hundreds of thousands of entries in a few statements, and refreshing a project's
-- year for each of them would cost more than the import itself. Each statement refreshes every
-- (project, year) its rows touched, old and new, once, in key order (project, then year), so
-- that two statements that touch the same projects take their locks in the same order.
--
-- Same rules as the row triggers they replace (20261125000002, 20261202000040): the refreshes
-- recompute from the exact rows; an entry whose line is gone (deleted with it in one statement)
-- is refreshed by the line's own trigger. An update refreshes only when the amount, the month or
-- the line changed (a statement trigger cannot list columns).

DROP TRIGGER outcome_entry_total ON outcome_entry;
DROP TRIGGER outcome_entry_month_outcome ON outcome_entry;
DROP FUNCTION outcome_entry_total();
DROP FUNCTION outcome_entry_month_outcome();

-- Refreshes the months of each (project, year) and then each project's total, in key order.
CREATE FUNCTION refresh_outcome_kept(projects uuid[], years integer[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    k record;
    previous uuid;
BEGIN
    FOR k IN
        SELECT DISTINCT p AS project_id, y AS year
        FROM unnest(projects, years) AS c (p, y)
        WHERE p IS NOT NULL
        ORDER BY 1, 2
    LOOP
        IF previous IS DISTINCT FROM k.project_id AND previous IS NOT NULL THEN
            PERFORM refresh_project_total(previous);
        END IF;
        PERFORM refresh_project_month_outcome(k.project_id, k.year);
        previous := k.project_id;
    END LOOP;
    IF previous IS NOT NULL THEN
        PERFORM refresh_project_total(previous);
    END IF;
END;
$$;

-- Entries inserted, or deleted: the statement's rows are `entries` either way.
CREATE FUNCTION outcome_entries_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM refresh_outcome_kept(array_agg(l.project_id),
                                 array_agg(extract(year FROM e.month)::integer))
    FROM entries e JOIN budget_line l ON l.id = e.budget_line_id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER outcome_entries_inserted AFTER INSERT ON outcome_entry
    REFERENCING NEW TABLE AS entries
    FOR EACH STATEMENT EXECUTE FUNCTION outcome_entries_written();
CREATE TRIGGER outcome_entries_deleted AFTER DELETE ON outcome_entry
    REFERENCING OLD TABLE AS entries
    FOR EACH STATEMENT EXECUTE FUNCTION outcome_entries_written();

CREATE FUNCTION outcome_entries_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM refresh_outcome_kept(array_agg(l.project_id), array_agg(c.year))
    FROM (SELECT o.budget_line_id, extract(year FROM o.month)::integer AS year
          FROM old_entries o JOIN new_entries n USING (id)
          WHERE (o.amount, o.month, o.budget_line_id) IS DISTINCT FROM
                (n.amount, n.month, n.budget_line_id)
          UNION ALL
          SELECT n.budget_line_id, extract(year FROM n.month)::integer
          FROM old_entries o JOIN new_entries n USING (id)
          WHERE (o.amount, o.month, o.budget_line_id) IS DISTINCT FROM
                (n.amount, n.month, n.budget_line_id)) AS c
    JOIN budget_line l ON l.id = c.budget_line_id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER outcome_entries_updated AFTER UPDATE ON outcome_entry
    REFERENCING OLD TABLE AS old_entries NEW TABLE AS new_entries
    FOR EACH STATEMENT EXECUTE FUNCTION outcome_entries_updated();
