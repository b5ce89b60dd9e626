-- A project's budget and outcome totals and its municipality names move from project_total into
-- the project's own row. The project list (and the API's list of 100 projects) read them for
-- every row, and looking each up in project_total by key was half of the list statement's
-- database time (docs/PERFORMANCE.md, issue 17). The triggers that keep them are the same,
-- and each refresh already locked the project row before it wrote, so keeping the figures in
-- that row blocks no one who was not blocked before (docs/DESIGN.md). The version is not
-- touched: an outcome entry does not make someone's open project form stale. No trigger on
-- project fires for these columns (those on project are for board, status and plan only).

ALTER TABLE project
    ADD COLUMN budget_total numeric(14, 2),
    ADD COLUMN outcome_total numeric(14, 2),
    ADD COLUMN municipality_names text NOT NULL DEFAULT '';

COMMENT ON COLUMN project.budget_total IS
    'Sum of the budget lines; NULL without lines. Kept by refresh_project_total.';
COMMENT ON COLUMN project.outcome_total IS
    'Sum of the outcome entries, leaving out excluded sub-entities; NULL without entries. Kept by refresh_project_total.';
COMMENT ON COLUMN project.municipality_names IS
    'The municipalities it concerns, by name in Swedish order, comma separated. Kept by refresh_project_municipalities.';

UPDATE project p
SET budget_total = t.budget, outcome_total = t.outcome,
    municipality_names = coalesce(t.municipalities, '')
FROM project_total t
WHERE t.project_id = p.id;

-- The row is locked first and the refresh stops when it is gone, as before (a project deleted
-- with its rows in one statement fires these for rows whose project is already deleted). The
-- update is skipped when nothing changed, so a refresh that changes no figure makes no new row
-- version.
CREATE OR REPLACE FUNCTION refresh_project_total(target uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM project WHERE id = target FOR UPDATE;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    UPDATE project p SET budget_total = s.budget, outcome_total = s.outcome
    FROM (SELECT (SELECT sum(l.budget) FROM budget_line l WHERE l.project_id = target) AS budget,
                 (SELECT sum(e.amount) FROM outcome_entry e
                    JOIN budget_line l ON l.id = e.budget_line_id
                    LEFT JOIN sub_entity s ON s.id = l.sub_entity_id
                   WHERE l.project_id = target AND NOT coalesce(s.excluded, false)) AS outcome) s
    WHERE p.id = target
      AND (p.budget_total, p.outcome_total) IS DISTINCT FROM (s.budget, s.outcome);
END;
$$;

CREATE OR REPLACE FUNCTION refresh_project_municipalities(target uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM project WHERE id = target FOR UPDATE;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    UPDATE project p SET municipality_names = s.names
    FROM (SELECT coalesce(string_agg(m.name, ', ' ORDER BY m.name COLLATE sv), '') AS names
          FROM project_municipality pm JOIN municipality m ON m.id = pm.municipality_id
          WHERE pm.project_id = target) s
    WHERE p.id = target AND p.municipality_names IS DISTINCT FROM s.names;
END;
$$;

-- As in 20261207000020, with the project's outcome read from its row.
CREATE OR REPLACE VIEW fund_grant_figures AS
    SELECT a.id AS application_id, a.fund_id, a.amount_granted,
           (EXISTS (SELECT 1 FROM fund_follow_up u WHERE u.application_id = a.id)
            OR EXISTS (SELECT 1 FROM benefit_measurement bm
                         JOIN benefit b ON b.id = bm.benefit_id
                         JOIN benefit_calculation c ON c.id = b.calculation_id
                        WHERE c.application_id = a.id
                           OR (a.project_id IS NOT NULL AND c.project_id = a.project_id)))
             AS followed_up,
           coalesce((SELECT p.outcome_total FROM project p WHERE p.id = a.project_id),
                    (SELECT u.spent FROM fund_follow_up u
                      WHERE u.application_id = a.id AND u.spent IS NOT NULL
                      ORDER BY u.followed_on DESC, u.recorded_at DESC LIMIT 1),
                    0) AS spent,
           coalesce((SELECT sum(CASE y.kind WHEN 'financial' THEN y.value
                                            ELSE y.value * y.hourly_cost END)
                       FROM (SELECT DISTINCT ON (b.id, extract(year FROM bm.measured_on))
                                    b.kind, bm.value, c.hourly_cost
                               FROM benefit_measurement bm
                               JOIN benefit b ON b.id = bm.benefit_id
                               JOIN benefit_calculation c ON c.id = b.calculation_id
                              WHERE b.kind <> 'qualitative' AND NOT b.removed
                                AND (c.application_id = a.id
                                     OR (a.project_id IS NOT NULL AND c.project_id = a.project_id))
                              ORDER BY b.id, extract(year FROM bm.measured_on),
                                       bm.measured_on DESC, bm.recorded_at DESC) AS y), 0)
             AS realised
    FROM fund_application a
    WHERE a.status = 'granted';

DROP TABLE project_total;
