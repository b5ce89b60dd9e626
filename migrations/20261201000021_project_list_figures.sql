-- What the project list reads per project and for its total, kept by triggers in the same
-- transaction as the change, as project_total already keeps budget and outcome: a list page
-- then neither counts every matching project nor gathers and sorts municipality names for
-- each of its rows.

-- The number of projects per board, status and plan. The list's total, when it is filtered by
-- nothing but these, is the sum of a few of these rows instead of a count of the projects.
CREATE TABLE project_count (
    board_id uuid NOT NULL REFERENCES board (id),
    status   text NOT NULL,
    plan     text NOT NULL,
    -- No CHECK (projects >= 0): INSERT … ON CONFLICT checks it on the proposed row, which for
    -- the key a project leaves is the change itself (-1), before it becomes an update.
    projects bigint NOT NULL,
    PRIMARY KEY (board_id, status, plan)
);

INSERT INTO project_count (board_id, status, plan, projects)
SELECT board_id, status, plan, count(*) FROM project GROUP BY board_id, status, plan;

-- One statement that takes the old key's row and the new key's row in key order, so that two
-- projects moved in opposite directions at the same time cannot deadlock on the two rows.
CREATE FUNCTION project_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO project_count AS c (board_id, status, plan, projects)
    SELECT board_id, status, plan, sum(change)
    FROM (SELECT OLD.board_id, OLD.status, OLD.plan, -1 WHERE TG_OP <> 'INSERT'
          UNION ALL
          SELECT NEW.board_id, NEW.status, NEW.plan, 1 WHERE TG_OP <> 'DELETE')
         AS d (board_id, status, plan, change)
    GROUP BY board_id, status, plan
    ORDER BY board_id, status, plan
    ON CONFLICT (board_id, status, plan) DO UPDATE SET projects = c.projects + excluded.projects;
    RETURN NULL;
END;
$$;
CREATE TRIGGER project_count_insert_delete AFTER INSERT OR DELETE ON project
    FOR EACH ROW EXECUTE FUNCTION project_count_change();
CREATE TRIGGER project_count_update AFTER UPDATE OF board_id, status, plan ON project
    FOR EACH ROW
    WHEN ((OLD.board_id, OLD.status, OLD.plan) IS DISTINCT FROM (NEW.board_id, NEW.status, NEW.plan))
    EXECUTE FUNCTION project_count_change();

CREATE FUNCTION project_count_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM project_count;
    RETURN NULL;
END;
$$;
CREATE TRIGGER project_count_truncate AFTER TRUNCATE ON project
    FOR EACH STATEMENT EXECUTE FUNCTION project_count_truncate();

-- The municipalities a project serves as the list shows them ("Ludvika, Smedjebacken"), kept
-- beside the project's budget and outcome so that a row of the list reads one kept row. The
-- column has the default collation, as the municipality names it is built from, so sorting the
-- list by it orders exactly as sorting by the names gathered on the fly did. A project_total
-- row made here before the project has budget lines has NULL budget and outcome, as a missing
-- row had.
ALTER TABLE project_total ADD COLUMN municipalities text;

-- The project row is locked first, as refresh_project_total does, so that a change of a
-- project's municipalities and a renamed municipality refresh one after the other, each
-- reading what the other committed.
CREATE FUNCTION refresh_project_municipalities(target uuid) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM project WHERE id = target FOR UPDATE;
    INSERT INTO project_total (project_id, municipalities)
    SELECT target, coalesce(string_agg(m.name, ', ' ORDER BY m.name COLLATE sv), '')
    FROM project_municipality pm JOIN municipality m ON m.id = pm.municipality_id
    WHERE pm.project_id = target
    ON CONFLICT (project_id) DO UPDATE SET municipalities = excluded.municipalities;
END;
$$;

INSERT INTO project_total (project_id, municipalities)
SELECT p.id,
       coalesce((SELECT string_agg(m.name, ', ' ORDER BY m.name COLLATE sv)
                 FROM project_municipality pm JOIN municipality m ON m.id = pm.municipality_id
                 WHERE pm.project_id = p.id), '')
FROM project p
ON CONFLICT (project_id) DO UPDATE SET municipalities = excluded.municipalities;

CREATE FUNCTION project_municipality_names() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM refresh_project_municipalities(OLD.project_id);
    END IF;
    IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.project_id <> OLD.project_id) THEN
        PERFORM refresh_project_municipalities(NEW.project_id);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER project_municipality_names
    AFTER INSERT OR DELETE OR UPDATE OF project_id, municipality_id ON project_municipality
    FOR EACH ROW EXECUTE FUNCTION project_municipality_names();

CREATE FUNCTION municipality_rename() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM refresh_project_municipalities(pm.project_id)
    FROM project_municipality pm WHERE pm.municipality_id = NEW.id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER municipality_rename AFTER UPDATE OF name ON municipality
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION municipality_rename();
