-- The period report's diarienummer (Dnr), shown in the exported documents' page header. Set on
-- the controller's forecast-and-text form; the same shape as a project's case number.
ALTER TABLE follow_up
    ADD COLUMN diary_number text
        CHECK (diary_number ~ '^[[:upper:]]{1,6} [0-9]{4}-[0-9]{1,6}$');
