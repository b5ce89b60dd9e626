-- A project object is matched to a project number without its leading zeros when both are
-- digits only: an Excel sheet stores the project number 0005 as the number 5, and a ledger may
-- write 5 where Portfolj has 0005. Two numbers of one municipality that differ only by leading
-- zeros ("05" and "005") are ambiguous, and their rows are listed as such, never guessed.
CREATE FUNCTION ledger_project_key(number text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN number ~ '^[0-9]+$' THEN ltrim(number, '0') ELSE number END
$$;

CREATE OR REPLACE VIEW ledger_import_row_class AS
SELECT r.import_id, r.line, r.series, r.number, r.voucher_date, r.account, r.cost_centre,
       r.project AS project_object, r.amount, r.row_date, r.text,
       p.id AS project_id, m.budget_line_id,
       CASE
           WHEN r.project IS NULL THEN 'balancing'
           WHEN p.id IS NULL OR p.ambiguous OR p.closed OR d.through_month IS NOT NULL
               THEN 'unmatched'
           WHEN m.project_id IS NULL THEN 'unmapped'
           WHEN m.budget_line_id IS NULL THEN 'excluded'
           ELSE 'entry'
       END AS class,
       CASE
           WHEN r.project IS NULL THEN NULL
           WHEN p.id IS NULL THEN 'unknown'
           WHEN p.ambiguous THEN 'ambiguous'
           WHEN p.closed THEN 'closed'
           WHEN d.through_month IS NOT NULL THEN 'decided'
       END AS unmatched_reason
FROM ledger_import_row r
JOIN ledger_import i ON i.id = r.import_id
LEFT JOIN (
    SELECT b.municipality_id, ledger_project_key(p.project_number) AS project_key,
           (array_agg(p.id))[1] AS id,
           (array_agg(p.board_id))[1] AS board_id,
           count(*) > 1 AS ambiguous,
           bool_or(p.status = 'final_report_approved') AS closed
    FROM project p JOIN board b ON b.id = p.board_id
    WHERE p.project_number IS NOT NULL
    GROUP BY b.municipality_id, ledger_project_key(p.project_number)
) p ON p.municipality_id = i.municipality_id AND p.project_key = ledger_project_key(r.project)
LEFT JOIN (
    SELECT u.board_id, o.year, max(o.through_month) AS through_month
    FROM follow_up u JOIN follow_up_occasion o ON o.id = u.occasion_id
    WHERE u.status = 'decided'
    GROUP BY u.board_id, o.year
) d ON d.board_id = p.board_id AND d.year = extract(year FROM r.row_date)
   AND d.through_month >= extract(month FROM r.row_date)
LEFT JOIN ledger_account_mapping m ON m.project_id = p.id AND m.account = r.account;
