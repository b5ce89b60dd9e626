-- Municipalities served and the boards that own projects and take decisions.
CREATE TABLE municipality (
    id          uuid PRIMARY KEY,
    name        text NOT NULL CONSTRAINT municipality_name_key UNIQUE
                CHECK (length(name) BETWEEN 1 AND 100),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE board (
    id               uuid PRIMARY KEY,
    name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- The municipality the board belongs to; a joint board has its host municipality here.
    municipality_id  uuid NOT NULL REFERENCES municipality (id),
    created_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT board_name_per_municipality_key UNIQUE (municipality_id, name)
);
