-- A million audit entries over three years (2023–2025), as a busy installation writes them:
-- 60 % sign-ins, the rest changes of projects (filed under one of the benchmark projects) and
-- portfolio items, by the demo accounts in turn.
WITH u AS (SELECT array_agg(id ORDER BY email) AS ids,
                  array_agg(display_name || ' <' || email || '>' ORDER BY email) AS labels
           FROM app_user),
     p AS (SELECT array_agg(id ORDER BY case_number) AS ids FROM project)
INSERT INTO audit_log (at, actor_id, actor_label, action, entity, entity_id, field, old_value,
                       new_value, source, project_id)
SELECT timestamptz '2023-01-01 07:00+01' + (n * interval '94 seconds'),
       u.ids[1 + n % cardinality(u.ids)], u.labels[1 + n % cardinality(u.ids)],
       CASE WHEN n % 5 < 3 THEN 'sign_in'
            WHEN n % 5 = 3 THEN 'project_updated' ELSE 'portfolio_item_updated' END,
       CASE WHEN n % 5 < 3 THEN 'session'
            WHEN n % 5 = 3 THEN 'project' ELSE 'portfolio_item' END,
       CASE WHEN n % 5 = 3 THEN p.ids[1 + n % cardinality(p.ids)]::text
            WHEN n % 5 = 4 THEN md5('bench-audit-item-' || n % 40)::uuid::text END,
       CASE WHEN n % 5 < 3 THEN NULL ELSE 'name' END,
       CASE WHEN n % 5 < 3 THEN NULL ELSE 'före ' || n END,
       CASE WHEN n % 5 < 3 THEN NULL ELSE 'efter ' || n END,
       '10.0.' || n % 250 || '.' || n % 17,
       CASE WHEN n % 5 = 3 THEN p.ids[1 + n % cardinality(p.ids)] END
FROM generate_series(1, 1000000) AS n, u, p;
