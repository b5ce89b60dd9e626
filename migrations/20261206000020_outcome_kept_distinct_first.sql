-- The statement trigger that refreshes the kept outcome figures gathered one (project, year) per
-- written entry into arrays and made them distinct afterwards: for half a million imported
-- entries, a second of sorting. It now gathers the distinct pairs first.
CREATE OR REPLACE FUNCTION outcome_entries_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM refresh_outcome_kept(array_agg(c.project_id), array_agg(c.year))
    FROM (SELECT DISTINCT l.project_id, extract(year FROM e.month)::integer AS year
          FROM (SELECT DISTINCT budget_line_id, month FROM entries) e
          JOIN budget_line l ON l.id = e.budget_line_id) AS c;
    RETURN NULL;
END;
$$;
