-- The follow-up benchmark's data: 30 boards that report, each with 3 activities and 36 months of
-- operating budget and outcome (2024–2026), and one of them, "Benchmarknämnden", with 12
-- activities and 300 investment projects, each with an appropriation per year, a budget line and
-- 36 months of outcome, and the board's report at occasion 2 of 2026 with every forecast entered.
-- The report is addressed as occasion md5('bench-occasion')::uuid, board md5('bench-board')::uuid.
INSERT INTO board (id, name, municipality_id)
SELECT CASE WHEN n = 1 THEN md5('bench-board')::uuid ELSE md5('bench-board-' || n)::uuid END,
       CASE WHEN n = 1 THEN 'Benchmarknämnden' ELSE 'Nämnd ' || n END,
       (SELECT id FROM municipality ORDER BY name LIMIT 1)
FROM generate_series(1, 27) AS n;

INSERT INTO follow_up_occasion (id, year, number, through_month, deadline)
VALUES (md5('bench-occasion')::uuid, 2026, 2, 8, '2026-09-18')
ON CONFLICT (year, number) DO NOTHING;

-- Three activities per board, twelve for the benchmark board.
INSERT INTO activity (id, board_id, code, name)
SELECT gen_random_uuid(), b.id, lpad(a::text, 3, '0'), 'Verksamhet ' || a
FROM board b
CROSS JOIN generate_series(1, 12) AS a
WHERE a <= 3 OR b.id = md5('bench-board')::uuid
ON CONFLICT DO NOTHING;

INSERT INTO operating_budget (activity_id, month, revenue, costs)
SELECT a.id, make_date(2024 + m / 12, 1 + m % 12, 1), 100000 + m, 400000 + m
FROM activity a CROSS JOIN generate_series(0, 35) AS m
ON CONFLICT DO NOTHING;

INSERT INTO operating_outcome (activity_id, month, revenue, costs, source)
SELECT a.id, make_date(2024 + m / 12, 1 + m % 12, 1), 95000 + m, 410000 + m, 'import'
FROM activity a CROSS JOIN generate_series(0, 31) AS m
ON CONFLICT DO NOTHING;

INSERT INTO project (id, name, case_number, project_number, board_id, plan, status)
SELECT md5('bench-fu-' || n)::uuid, 'Investering ' || lpad(n::text, 3, '0'), 'BN 2024-' || n,
       'B' || lpad(n::text, 4, '0'), md5('bench-board')::uuid, 'infrastructure', 'in_progress'
FROM generate_series(1, 300) AS n;

INSERT INTO project_year (project_id, year, annual_budget, extra_granted)
SELECT md5('bench-fu-' || n)::uuid, y, 500000 + n * 100, CASE WHEN n % 10 = 0 THEN 50000 ELSE 0 END
FROM generate_series(1, 300) AS n CROSS JOIN generate_series(2024, 2026) AS y;

INSERT INTO carry_over (project_id, from_year, amount, decided)
SELECT md5('bench-fu-' || n)::uuid, y, 10000 + n, true
FROM generate_series(1, 300) AS n CROSS JOIN generate_series(2024, 2025) AS y;

INSERT INTO budget_line (id, project_id, position, category, budget)
SELECT md5('bench-fu-line-' || n)::uuid, md5('bench-fu-' || n)::uuid, 1, 'Införande', 1500000
FROM generate_series(1, 300) AS n;

INSERT INTO outcome_entry (id, budget_line_id, month, amount, source)
SELECT gen_random_uuid(), md5('bench-fu-line-' || n)::uuid, make_date(2024 + m / 12, 1 + m % 12, 1),
       10000 + n + m, 'manual'
FROM generate_series(1, 300) AS n CROSS JOIN generate_series(0, 35) AS m;

INSERT INTO follow_up (id, board_id, occasion_id, reporting_unit, attachments_dated)
VALUES (md5('bench-follow-up')::uuid, md5('bench-board')::uuid,
        (SELECT id FROM follow_up_occasion WHERE year = 2026 AND number = 2), 'Benchmarkförvaltningen',
        '2026-09-10');

INSERT INTO activity_forecast (follow_up_id, activity_id, revenue, costs, comment)
SELECT md5('bench-follow-up')::uuid, a.id, 1200000, 4900000, 'Kommentar till verksamhet ' || a.code
FROM activity a WHERE a.board_id = md5('bench-board')::uuid;

INSERT INTO project_forecast (follow_up_id, project_id, forecast, comment)
SELECT md5('bench-follow-up')::uuid, md5('bench-fu-' || n)::uuid, 450000 + n,
       CASE WHEN n % 20 = 0 THEN 'Försenad leverans.' ELSE '' END
FROM generate_series(1, 300) AS n;

INSERT INTO member_key (board_id, year, municipality_id, percent)
SELECT md5('bench-board')::uuid, 2026, id, 100.0 / count(*) OVER ()
FROM municipality;

INSERT INTO action_measure (id, follow_up_id, group_number, number, activity, description,
                            effect_period, effect_forecast, in_forecast, approved_at)
SELECT gen_random_uuid(), md5('bench-follow-up')::uuid, 1 + n % 4, 1 + n / 4, 'Verksamhet 1',
       'Åtgärd ' || n, 10000 * n, 50000 * n, n % 2 = 0, CASE WHEN n % 3 = 0 THEN now() END
FROM generate_series(0, 11) AS n;

VACUUM ANALYZE;
