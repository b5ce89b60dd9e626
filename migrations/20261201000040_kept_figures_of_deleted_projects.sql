-- A project deleted together with its rows in one statement, as a cascade deletes them, fires
-- the triggers that keep its figures for rows whose project is already gone (and an outcome
-- entry's for a line that is gone: target is then NULL). Writing the project's project_total
-- row again would break that row's foreign key and refuse the whole delete, so both refreshes
-- stop when the project row is not there. Otherwise as in 20261125000002 and 20261201000021.

CREATE OR REPLACE FUNCTION refresh_project_total(target uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM project WHERE id = target FOR UPDATE;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    INSERT INTO project_total (project_id, budget, outcome)
    SELECT target,
           (SELECT sum(l.budget) FROM budget_line l WHERE l.project_id = target),
           (SELECT sum(e.amount) FROM outcome_entry e
              JOIN budget_line l ON l.id = e.budget_line_id
              LEFT JOIN sub_entity s ON s.id = l.sub_entity_id
             WHERE l.project_id = target AND NOT coalesce(s.excluded, false))
    ON CONFLICT (project_id) DO UPDATE SET budget = excluded.budget, outcome = excluded.outcome;
END;
$$;

CREATE OR REPLACE FUNCTION refresh_project_municipalities(target uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM project WHERE id = target FOR UPDATE;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    INSERT INTO project_total (project_id, municipalities)
    SELECT target, coalesce(string_agg(m.name, ', ' ORDER BY m.name COLLATE sv), '')
    FROM project_municipality pm JOIN municipality m ON m.id = pm.municipality_id
    WHERE pm.project_id = target
    ON CONFLICT (project_id) DO UPDATE SET municipalities = excluded.municipalities;
END;
$$;
