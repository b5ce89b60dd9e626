-- The project list filtered by municipality (kommun=…) and a strategy group's list (only its own
-- municipality's projects) ask "which projects serve this municipality": with the project id in
-- the index, that is answered from the index alone, for the page and for its count.
CREATE INDEX project_municipality_municipality_project_idx
    ON project_municipality (municipality_id, project_id);
DROP INDEX project_municipality_municipality_idx;
