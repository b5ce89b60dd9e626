-- The kept outcome of one month for every project, found by the month: the period report reads
-- the period's last month of the board's projects and the December of each year of the
-- implementation rate. Without it PostgreSQL read every kept row of every board's projects (a
-- sequential scan and a hash join) or 36 rows per project to keep the Decembers; with it, an
-- index-only scan of the month's rows. The rows stay kept by the triggers of migration
-- 20261202000040; this adds no kept figure.
CREATE INDEX project_month_outcome_by_month ON project_month_outcome (month, project_id)
    INCLUDE (year_to_date);
