-- 1 000 benchmark projects, each with 5 effect goals, 8 budget lines and 24 outcome entries
-- (3 per line). Ids are derived from the project's number, so the load scripts can address
-- project n as md5('bench-' || n)::uuid.
INSERT INTO project (id, name, case_number, project_number, board_id, project_manager, plan,
                     status, planned_start, planned_end, appropriation, decision_body)
SELECT md5('bench-' || n)::uuid,
       'Benchmarkprojekt ' || lpad(n::text, 4, '0'),
       'BENCH ' || (2020 + n % 7) || '-' || n,
       lpad(n::text, 4, '0'),
       b.id,
       'Projektledare ' || n % 37,
       (ARRAY['digitalisation', 'business_systems', 'service_catalogue', 'infrastructure'])[1 + n % 4],
       (ARRAY['idea', 'pre_study', 'decided', 'in_progress', 'completed'])[1 + n % 5],
       make_date(2020 + n % 7, 1 + n % 12, 1),
       make_date(2021 + n % 7, 1 + n % 12, 1),
       (100000 + n * 1000)::numeric(14, 2),
       'Kommunstyrelsen'
FROM generate_series(1, 1000) AS n
CROSS JOIN LATERAL (SELECT id FROM board ORDER BY id OFFSET n % 5 LIMIT 1) AS b;

INSERT INTO project_municipality (project_id, municipality_id, allocation_percent)
SELECT md5('bench-' || n)::uuid, m.id, 100
FROM generate_series(1, 1000) AS n
CROSS JOIN LATERAL (SELECT id FROM municipality ORDER BY id OFFSET n % 3 LIMIT 1) AS m;

INSERT INTO effect_goal (id, project_id, position, goal, indicator, baseline, target_value, unit,
                         target_date, assessment, assessment_comment)
SELECT gen_random_uuid(), md5('bench-' || n)::uuid, g,
       'Effektmål ' || g || ' för projekt ' || n, 'fler än 80 % av cheferna gör något.',
       CASE WHEN g % 2 = 0 THEN 20 END, 80, '%', make_date(2024, 1 + g, 1),
       (ARRAY['achieved', 'partly_achieved', 'not_achieved', 'not_yet_assessable', NULL])[g],
       'Kommentar till bedömningen.'
FROM generate_series(1, 1000) AS n, generate_series(1, 5) AS g;

INSERT INTO budget_line (id, project_id, position, category, budget)
SELECT md5('bench-line-' || n || '-' || l)::uuid, md5('bench-' || n)::uuid, l,
       'Budgetpost ' || l, (50000 * l)::numeric(14, 2)
FROM generate_series(1, 1000) AS n, generate_series(1, 8) AS l;

INSERT INTO outcome_entry (id, budget_line_id, month, amount, text, source)
SELECT gen_random_uuid(), md5('bench-line-' || n || '-' || l)::uuid, make_date(2023, e * 3, 1),
       (10000 * l + e * 17)::numeric(14, 2), 'Bokfört utfall', 'manual'
FROM generate_series(1, 1000) AS n, generate_series(1, 8) AS l, generate_series(1, 3) AS e;

-- What autovacuum does in steady state: statistics and the visibility map (index-only scans).
VACUUM ANALYZE;
