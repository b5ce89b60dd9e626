-- A benefit calculation on every benchmark item (460 of the board's 500): one stakeholder, a
-- financial benefit and two rated qualitative ones each, so a round valued with the built-in
-- "Nyttokalkyl" model reads 460 calculations for its board.
INSERT INTO benefit_calculation (id, item_id, first_year, horizon, discount_rate, benefit_start,
                                 hourly_cost, investment, running_per_year, internal_hours)
SELECT md5('bench-calc-' || n)::uuid, md5('bench-item-' || n)::uuid, 2027, 5, 0.035, 2, 500,
       ((n * 7919) % 900 * 1000)::numeric(14, 2), ((n * 104729) % 120 * 1000)::numeric(14, 2),
       (n * 13) % 300
FROM generate_series(1, 460) AS n;

INSERT INTO benefit_stakeholder (id, calculation_id, name)
SELECT md5('bench-stakeholder-' || n)::uuid, md5('bench-calc-' || n)::uuid, 'Förvaltning ' || n % 11
FROM generate_series(1, 460) AS n;

INSERT INTO benefit (id, calculation_id, stakeholder_id, description, kind, amount, rating, rating_reason)
SELECT md5('bench-benefit-' || n || '-' || k)::uuid, md5('bench-calc-' || n)::uuid,
       md5('bench-stakeholder-' || n)::uuid, 'Nytta ' || k,
       CASE k WHEN 1 THEN 'financial' ELSE 'qualitative' END,
       CASE k WHEN 1 THEN ((n * 31) % 400 * 1000)::numeric(14, 2) END,
       CASE k WHEN 1 THEN NULL ELSE 1 + (n * k) % 5 END,
       CASE k WHEN 1 THEN '' ELSE 'Bedömning' END
FROM generate_series(1, 460) AS n, generate_series(1, 3) AS k;
