-- Sessions signed in up to this moment are ended at their next request: set when an
-- administrator resets the user's password or deactivates the account, so a stolen or
-- forgotten session does not outlive the credentials it was opened with.
ALTER TABLE app_user ADD COLUMN sessions_valid_after timestamptz NOT NULL DEFAULT 'epoch';
