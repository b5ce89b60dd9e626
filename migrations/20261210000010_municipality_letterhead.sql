-- A municipality's Word reference template ("brevmall"): its Word exports take styles, paper,
-- margins, theme fonts and page-header logo from it. One per municipality; replacing it keeps
-- the old one only in the audit log's name and checksum.
CREATE TABLE municipality_letterhead (
    municipality_id uuid PRIMARY KEY REFERENCES municipality (id) ON DELETE CASCADE,
    file_name       text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
    content         bytea NOT NULL CHECK (octet_length(content) BETWEEN 1 AND 5242880),
    sha256          text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    uploaded_by     uuid NOT NULL REFERENCES app_user (id),
    uploaded_at     timestamptz NOT NULL DEFAULT now()
);
