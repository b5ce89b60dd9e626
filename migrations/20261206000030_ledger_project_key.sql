-- A project object is matched to its project number exactly, or else without its leading zeros
-- when both are digits only: an Excel sheet stores the project number 0005 as the number 5, and
-- a ledger may write 5 where Portfolj has 0005. Two numbers of one municipality that differ only
-- by leading zeros ("05" and "005") make a row without an exact match ambiguous, listed as such,
-- never guessed. (Not STRICT: a strict function is not inlined, and its call per row tripled
-- the join's time; NULL gives NULL anyway.)
CREATE FUNCTION ledger_project_key(number text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN number ~ '^[0-9]+$' THEN ltrim(number, '0') ELSE number END
$$;

-- The projects of each municipality by number (`exact`) and by number without leading zeros:
-- the first of each, whether there are more than one, and whether one has an approved final
-- report.
CREATE VIEW ledger_project_number AS
SELECT b.municipality_id, keyed.exact, keyed.project_key,
       (array_agg(p.id ORDER BY p.id))[1] AS id,
       (array_agg(p.board_id ORDER BY p.id))[1] AS board_id,
       count(*) > 1 AS ambiguous,
       bool_or(p.status = 'final_report_approved') AS closed
FROM project p
JOIN board b ON b.id = p.board_id
CROSS JOIN LATERAL (VALUES (true, p.project_number),
                           (false, ledger_project_key(p.project_number))) AS keyed (exact, project_key)
WHERE p.project_number IS NOT NULL
GROUP BY b.municipality_id, keyed.exact, keyed.project_key;

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
LEFT JOIN ledger_project_number x
       ON x.municipality_id = i.municipality_id AND x.exact AND x.project_key = r.project
LEFT JOIN ledger_project_number k
       ON x.municipality_id IS NULL AND k.municipality_id = i.municipality_id AND NOT k.exact
      AND k.project_key = ledger_project_key(r.project)
CROSS JOIN LATERAL (
    SELECT coalesce(x.id, k.id) AS id, coalesce(x.board_id, k.board_id) AS board_id,
           coalesce(x.ambiguous, k.ambiguous) AS ambiguous, coalesce(x.closed, k.closed) AS closed
) p
LEFT JOIN (
    SELECT u.board_id, o.year, max(o.through_month) AS through_month
    FROM follow_up u JOIN follow_up_occasion o ON o.id = u.occasion_id
    WHERE u.status = 'decided'
    GROUP BY u.board_id, o.year
) d ON d.board_id = p.board_id AND d.year = extract(year FROM r.row_date)
   AND d.through_month >= extract(month FROM r.row_date)
LEFT JOIN ledger_account_mapping m ON m.project_id = p.id AND m.account = r.account;
