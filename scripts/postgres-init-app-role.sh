#!/usr/bin/env bash
# docker-compose: the postgres image runs this once, when it creates the database. The app
# connects as mitrasehat_app (owns nothing, no BYPASSRLS) so that row-level security holds for
# it; migrations run as the owner (docs/operations.md, "Database roles").
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v app_password="${APP_DB_PASSWORD:-mitrasehat}" <<'SQL'
CREATE ROLE mitrasehat_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD :'app_password';
SQL
