-- The roles and database of Portfolj in a new PostgreSQL cluster (docs/OPERATIONS.md, README
-- "Install on a server"). compose.yaml mounts it into the postgres image's
-- /docker-entrypoint-initdb.d/, which runs it once, as the superuser, on an empty data volume;
-- by hand: `psql -v ON_ERROR_STOP=1 -U postgres -f deploy/postgres-init.sql` with the two
-- variables below in the environment.
--
-- Two roles, neither a superuser: the owner runs the migrations at every start and owns the
-- tables; the application runs as portfolj_app, which owns nothing and gets its grants from
-- the owner after each migration (SELECT and INSERT only on audit_log).
-- The passwords come from the environment (psql 15's \getenv), not from this file.
\getenv owner_password PORTFOLJ_OWNER_PASSWORD
\getenv app_password PORTFOLJ_APP_PASSWORD

-- One transaction: a password missing fails the file before anything is created, so that a
-- second try starts clean (an unset variable leaves `:'name'` as text, a syntax error).
BEGIN;
CREATE ROLE portfolj_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_password';
CREATE ROLE portfolj_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'app_password';
COMMIT;
CREATE DATABASE portfolj OWNER portfolj_owner ENCODING 'UTF8' TEMPLATE template0;
-- Only the two roles may connect to it.
REVOKE ALL ON DATABASE portfolj FROM PUBLIC;
GRANT CONNECT ON DATABASE portfolj TO portfolj_owner, portfolj_app;
