-- 460 benchmark items on the open round 2026-Q4, ranked after its 35 ranked demo items, so its
-- board has 500 items. Every tenth depends on the one before; every seventh is shared; the
-- strategy groups' submitted reviews get a note on every fifth.
INSERT INTO portfolio_item (id, title, plan, unit, kind, complexity, effort_hours, investment,
                            running_cost, score_citizen, score_efficiency, score_necessity,
                            score_strategy, status)
SELECT md5('bench-item-' || n)::uuid,
       'Benchmarkobjekt ' || lpad(n::text, 3, '0'),
       (ARRAY['digitalisation', 'business_systems', 'service_catalogue', 'infrastructure'])[1 + n % 4],
       'Förvaltning ' || n % 11,
       (ARRAY['new_need', 'change', 'maintenance', 'new_need', 'change', 'maintenance', 'new_need', 'change', 'maintenance', 'mandatory'])[1 + n % 10],
       (ARRAY['low', 'medium', 'high'])[1 + n % 3],
       20 + (n * 37) % 400,
       ((n * 7919) % 900 * 1000)::numeric(14, 2),
       ((n * 104729) % 120 * 1000)::numeric(14, 2),
       n % 6, (n * 3) % 6, (n * 5) % 6, (n * 7) % 6,
       'in_round'
FROM generate_series(1, 460) AS n;

INSERT INTO portfolio_item_municipality (item_id, municipality_id)
SELECT md5('bench-item-' || n)::uuid, m.id
FROM generate_series(1, 460) AS n
JOIN municipality m ON m.name = (CASE WHEN n % 7 = 0 THEN m.name WHEN n % 2 = 0 THEN 'Ludvika' ELSE 'Smedjebacken' END)
WHERE m.name IN ('Ludvika', 'Smedjebacken');

INSERT INTO portfolio_item_dependency (item_id, depends_on_id)
SELECT md5('bench-item-' || n)::uuid, md5('bench-item-' || (n - 1))::uuid
FROM generate_series(2, 460) AS n WHERE n % 10 = 0;

INSERT INTO round_item (round_id, item_id, rank)
SELECT r.id, md5('bench-item-' || n)::uuid, 35 + n
FROM generate_series(1, 460) AS n, round r WHERE r.quarter = '2026-Q4';

INSERT INTO review_note (round_id, municipality_id, item_id, comment, recommended_rank, must_have)
SELECT r.id, m.id, md5('bench-item-' || n)::uuid, 'Synpunkt från strategigruppen på objekt ' || n,
       CASE WHEN n % 25 = 0 THEN n / 25 END, n % 50 = 0
FROM generate_series(1, 460) AS n, round r, municipality m
WHERE r.quarter = '2026-Q4' AND m.name IN ('Ludvika', 'Smedjebacken') AND n % 5 = 0;
