#!/usr/bin/env bash
# Local PostgreSQL + Redis for MitraSehat's full stack and tests (Debian, no systemd).
#
#   scripts/services.sh [start] [--with-browser]   install if missing, start or reuse, print URLs
#   scripts/services.sh status                     say what answers on the configured ports
#   scripts/services.sh stop                       stop only what this script started
#
# Environment:
#   PG_PORT (5432), REDIS_PORT (6379)  ports on 127.0.0.1; a server already answering is reused
#   PG_VERSION, PG_CLUSTER             Debian cluster to start (default: newest installed, "main")
#   PG_FAST (1)                        fsync/synchronous_commit/full_page_writes off (throwaway data)
#   SERVICES_TIMEOUT (30)              seconds to wait for each server to answer
#   SERVICES_STATE_DIR (.services)     pids, markers, Redis logs; `stop` reads it
#
# --with-browser also installs what the browser tests and `make messages` need:
# gettext (msgfmt), chromium and chromium-driver from Debian (never `playwright install`), and
# Pango + DejaVu fonts for the PDF reports (WeasyPrint).
#
# Two database roles (row-level security, docs/operations.md): mitrasehat owns the database and
# its tables and runs the migrations; mitrasehat_app is what the app connects as (owns nothing,
# no BYPASSRLS, so the tenant policies hold for it).
#
# stdout gets only the lines DATABASE_URL=… (the app role), DATABASE_OWNER_URL=… (the owner)
# and REDIS_URL=… (also written to $SERVICES_STATE_DIR/env); progress goes to stderr.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PG_PORT="${PG_PORT:-5432}"
REDIS_PORT="${REDIS_PORT:-6379}"
PG_CLUSTER="${PG_CLUSTER:-main}"
PG_FAST="${PG_FAST:-1}"
TIMEOUT="${SERVICES_TIMEOUT:-30}"
STATE_DIR="${SERVICES_STATE_DIR:-$ROOT/.services}"
DB_NAME=mitrasehat
DB_USER=mitrasehat
DB_PASSWORD=mitrasehat
APP_USER=mitrasehat_app
APP_PASSWORD=mitrasehat
PG_CONF_NAME=mitrasehat.conf

log() { printf 'services: %s\n' "$*" >&2; }
die() {
    printf 'services: ERROR: %s\n' "$*" >&2
    exit 1
}
is_root() { [ "$(id -u)" -eq 0 ]; }

# --- arguments ------------------------------------------------------------------------
ACTION=start
WITH_BROWSER=0
for arg in "$@"; do
    case "$arg" in
    start | stop | status) ACTION="$arg" ;;
    --with-browser | browser) WITH_BROWSER=1 ;;
    -h | --help)
        sed -n '2,24p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *) die "unknown argument '$arg' (expected start, stop, status, --with-browser)" ;;
    esac
done
case "$PG_PORT$REDIS_PORT" in *[!0-9]*) die "PG_PORT and REDIS_PORT must be numbers" ;; esac

mkdir -p "$STATE_DIR"
# One invocation at a time per checkout (make -j, two terminals). Every command that may
# leave a daemon behind runs with `9>&-`, or the daemon would hold this lock for good.
exec 9>"$STATE_DIR/lock"
if command -v flock >/dev/null 2>&1; then
    flock -w 120 9 || die "another scripts/services.sh holds $STATE_DIR/lock"
fi

# --- helpers --------------------------------------------------------------------------
pg_answers() { pg_isready -q -h 127.0.0.1 -p "$PG_PORT" -t 2 >/dev/null 2>&1; }
redis_answers() {
    [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" --no-auth-warning ping 2>/dev/null)" = "PONG" ]
}
pg_version() {
    if [ -n "${PG_VERSION:-}" ]; then
        echo "$PG_VERSION"
    else
        # newest server installed, e.g. 15 on Debian 12
        find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/postgres' 2>/dev/null |
            awk -F/ '{print $5}' | sort -n | tail -n1 || true
    fi
}
# pg_lsclusters -h prints "ver cluster port status owner datadir logfile" per cluster.
cluster_field() { # cluster_field VER CLUSTER FIELD_NUMBER
    pg_lsclusters -h 2>/dev/null | awk -v v="$1" -v c="$2" -v f="$3" '$1 == v && $2 == c {print $f}' || true
}
postmaster_pid() { # postmaster_pid VER CLUSTER
    local datadir
    datadir="$(cluster_field "$1" "$2" 6)"
    if [ -n "$datadir" ]; then head -n1 "$datadir/postmaster.pid" 2>/dev/null || true; fi
}
proc_is() { # proc_is PID NAME: the pid is alive and its command line contains NAME
    [ -n "$1" ] && kill -0 "$1" 2>/dev/null && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -q "$2"
}
wait_for() { # wait_for NAME CHECK_FUNCTION
    local name="$1" check="$2" waited=0
    until "$check"; do
        if [ "$waited" -ge "$TIMEOUT" ]; then
            return 1
        fi
        sleep 1
        waited=$((waited + 1))
    done
    log "$name answers (after ${waited}s)"
}

# --- packages -------------------------------------------------------------------------
APT_UPDATED=0
apt_install() {
    is_root || die "missing: $* — install them as root: apt-get install -y $*"
    export DEBIAN_FRONTEND=noninteractive
    local apt=(apt-get -y -q -o DPkg::Lock::Timeout=300
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
    if [ "$APT_UPDATED" -eq 0 ]; then
        log "apt-get update"
        "${apt[@]}" update >&2 9>&- || log "apt-get update failed; trying the install anyway"
        APT_UPDATED=1
    fi
    log "apt-get install $*"
    "${apt[@]}" install "$@" >&2 9>&- || die "apt-get install $* failed"
}

ensure_packages() {
    local missing=()
    { command -v pg_ctlcluster && [ -n "$(pg_version)" ]; } >/dev/null 2>&1 || missing+=(postgresql)
    { command -v psql && command -v pg_isready; } >/dev/null 2>&1 || missing+=(postgresql-client)
    command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
    command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
    if [ "$WITH_BROWSER" -eq 1 ]; then
        command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
        [ -x /usr/bin/chromium ] || missing+=(chromium)
        [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
        # WeasyPrint (PDF reports) needs Pango and a font with Indonesian glyphs.
        ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
        [ -d /usr/share/fonts/truetype/dejavu ] || missing+=(fonts-dejavu-core)
    fi
    if [ "${#missing[@]}" -gt 0 ]; then
        apt_install "${missing[@]}"
    fi
}

# --- PostgreSQL -----------------------------------------------------------------------
start_postgres() {
    if pg_answers; then
        log "PostgreSQL already answers on 127.0.0.1:$PG_PORT — reusing it"
        return
    fi
    is_root || die "no PostgreSQL answers on 127.0.0.1:$PG_PORT, and starting one needs root"

    local ver status port conf_dir logfile
    ver="$(pg_version)"
    [ -n "$ver" ] || die "no PostgreSQL server installed under /usr/lib/postgresql"
    if [ -z "$(cluster_field "$ver" "$PG_CLUSTER" 1)" ]; then
        log "creating cluster $ver/$PG_CLUSTER"
        pg_createcluster "$ver" "$PG_CLUSTER" >&2 9>&-
    fi
    status="$(cluster_field "$ver" "$PG_CLUSTER" 4)"
    port="$(cluster_field "$ver" "$PG_CLUSTER" 3)"
    logfile="/var/log/postgresql/postgresql-$ver-$PG_CLUSTER.log"
    if [[ "$status" == online* ]]; then
        if [ -f "$STATE_DIR/postgres.started" ]; then
            log "cluster $ver/$PG_CLUSTER (started by this script) runs on port $port; restarting it on $PG_PORT"
            pg_ctlcluster "$ver" "$PG_CLUSTER" stop >&2 9>&- || true
        else
            die "cluster $ver/$PG_CLUSTER already runs on port $port but 127.0.0.1:$PG_PORT does not answer; use PG_PORT=$port, or stop that cluster"
        fi
    fi

    conf_dir="/etc/postgresql/$ver/$PG_CLUSTER/conf.d"
    mkdir -p "$conf_dir"
    {
        echo "# Written by MitraSehat scripts/services.sh; removed by 'scripts/services.sh stop'."
        echo "listen_addresses = '127.0.0.1'"
        echo "port = $PG_PORT"
        if [ "$PG_FAST" = "1" ]; then
            echo "# Throwaway local/CI data: crash safety traded for speed."
            echo "fsync = off"
            echo "synchronous_commit = off"
            echo "full_page_writes = off"
        fi
    } >"$conf_dir/$PG_CONF_NAME"
    echo "$conf_dir/$PG_CONF_NAME" >"$STATE_DIR/postgres.conf-file"

    log "starting PostgreSQL cluster $ver/$PG_CLUSTER on 127.0.0.1:$PG_PORT"
    if ! pg_ctlcluster "$ver" "$PG_CLUSTER" start >&2 9>&-; then
        tail -n 20 "$logfile" >&2 2>/dev/null || true
        die "pg_ctlcluster $ver $PG_CLUSTER start failed (is port $PG_PORT taken by another program?)"
    fi
    # "VER CLUSTER POSTMASTER_PID": `stop` stops that cluster only while that postmaster runs.
    echo "$ver $PG_CLUSTER $(postmaster_pid "$ver" "$PG_CLUSTER")" >"$STATE_DIR/postgres.started"
    if ! wait_for PostgreSQL pg_answers; then
        tail -n 20 "$logfile" >&2 2>/dev/null || true
        die "PostgreSQL did not answer on 127.0.0.1:$PG_PORT within ${TIMEOUT}s"
    fi
}

tcp_login_works() { # tcp_login_works USER PASSWORD
    PGPASSWORD="$2" PGCONNECT_TIMEOUT=5 psql -X -q -w -h 127.0.0.1 -p "$PG_PORT" \
        -U "$1" -d "$DB_NAME" -tAc 'select 1' >/dev/null 2>&1
}

ensure_role_and_db() {
    if is_root && [ -S "/var/run/postgresql/.s.PGSQL.$PG_PORT" ]; then
        log "ensuring role $DB_USER (LOGIN CREATEDB) and database $DB_NAME"
        # Superuser over the unix socket (peer auth), from /tmp: postgres must be able to read the cwd.
        (cd /tmp && runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres) >&2 <<SQL
DO \$\$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '$DB_USER') THEN
        CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
    ELSE
        ALTER ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '$APP_USER') THEN
        CREATE ROLE $APP_USER LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD '$APP_PASSWORD';
    ELSE
        ALTER ROLE $APP_USER LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD '$APP_PASSWORD';
    END IF;
END
\$\$;
SELECT 'CREATE DATABASE $DB_NAME OWNER $DB_USER'
WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_database WHERE datname = '$DB_NAME')\gexec
SQL
    fi
    tcp_login_works "$DB_USER" "$DB_PASSWORD" ||
        die "cannot log in as $DB_USER to database $DB_NAME on 127.0.0.1:$PG_PORT; on a server not managed here, create ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD' and DATABASE $DB_NAME OWNER $DB_USER"
    tcp_login_works "$APP_USER" "$APP_PASSWORD" ||
        die "cannot log in as $APP_USER to database $DB_NAME on 127.0.0.1:$PG_PORT; on a server not managed here, create ROLE $APP_USER LOGIN NOBYPASSRLS PASSWORD '$APP_PASSWORD'"
}

# --- Redis ----------------------------------------------------------------------------
start_redis() {
    if redis_answers; then
        log "Redis already answers on 127.0.0.1:$REDIS_PORT — reusing it"
        return
    fi
    # One pid file per Redis this script starts; `stop` stops exactly those.
    local pidfile="$STATE_DIR/redis-$REDIS_PORT.pid" logfile="$STATE_DIR/redis-$REDIS_PORT.log"
    log "starting Redis on 127.0.0.1:$REDIS_PORT"
    rm -f "$pidfile"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
        --dir "$STATE_DIR" --pidfile "$pidfile" --logfile "$logfile" >&2 9>&- ||
        die "redis-server failed to start (see $logfile)"
    if ! wait_for Redis redis_answers; then
        tail -n 20 "$logfile" >&2 2>/dev/null || true
        die "Redis did not answer on 127.0.0.1:$REDIS_PORT within ${TIMEOUT}s"
    fi
}

# --- actions --------------------------------------------------------------------------
do_start() {
    ensure_packages
    start_postgres
    ensure_role_and_db
    start_redis
    local urls
    urls="$(printf 'DATABASE_URL=postgres://%s:%s@127.0.0.1:%s/%s\nDATABASE_OWNER_URL=postgres://%s:%s@127.0.0.1:%s/%s\nREDIS_URL=redis://127.0.0.1:%s/0' \
        "$APP_USER" "$APP_PASSWORD" "$PG_PORT" "$DB_NAME" "$DB_USER" "$DB_PASSWORD" "$PG_PORT" "$DB_NAME" "$REDIS_PORT")"
    echo "$urls" >"$STATE_DIR/env"
    log "ready; the same lines are in $STATE_DIR/env"
    echo "$urls"
}

do_stop() {
    local pidfile pid stopped=0 ver cluster started_pid conf pg_left_alone=0
    for pidfile in "$STATE_DIR"/redis-*.pid; do
        [ -f "$pidfile" ] || continue
        pid="$(cat "$pidfile" 2>/dev/null || true)"
        if proc_is "$pid" redis-server; then
            log "stopping Redis (pid $pid, $(basename "$pidfile" .pid))"
            kill "$pid"
            for _ in $(seq 1 50); do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.1
            done
            stopped=1
        fi
        rm -f "$pidfile"
    done
    [ "$stopped" -eq 1 ] || log "Redis: none running that this script started; nothing stopped"

    if [ -f "$STATE_DIR/postgres.started" ]; then
        read -r ver cluster started_pid <"$STATE_DIR/postgres.started" || true
        pid="$(postmaster_pid "$ver" "$cluster")"
        if [[ "$(cluster_field "$ver" "$cluster" 4)" != online* ]]; then
            log "PostgreSQL cluster $ver/$cluster is not running"
        elif [ -n "${started_pid:-}" ] && [ "$pid" != "$started_pid" ]; then
            log "PostgreSQL cluster $ver/$cluster was restarted by someone else (pid $pid); left alone"
            pg_left_alone=1
        else
            log "stopping PostgreSQL cluster $ver/$cluster (pid $pid)"
            pg_ctlcluster "$ver" "$cluster" stop >&2 9>&-
        fi
        rm -f "$STATE_DIR/postgres.started"
    else
        log "PostgreSQL: not started by this script; nothing stopped"
    fi
    if [ -f "$STATE_DIR/postgres.conf-file" ] && [ "$pg_left_alone" -eq 0 ]; then
        conf="$(cat "$STATE_DIR/postgres.conf-file")"
        case "$conf" in /etc/postgresql/*/conf.d/"$PG_CONF_NAME") rm -f "$conf" ;; esac
        rm -f "$STATE_DIR/postgres.conf-file"
    fi
    rm -f "$STATE_DIR/env"
}

do_status() {
    local rc=0
    if command -v pg_isready >/dev/null 2>&1 && pg_answers; then
        log "PostgreSQL answers on 127.0.0.1:$PG_PORT$([ -f "$STATE_DIR/postgres.started" ] && echo ' (started by this script)')"
    else
        log "PostgreSQL: nothing answers on 127.0.0.1:$PG_PORT"
        rc=1
    fi
    if command -v redis-cli >/dev/null 2>&1 && redis_answers; then
        log "Redis answers on 127.0.0.1:$REDIS_PORT$([ -f "$STATE_DIR/redis-$REDIS_PORT.pid" ] && echo ' (started by this script)')"
    else
        log "Redis: nothing answers on 127.0.0.1:$REDIS_PORT"
        rc=1
    fi
    return "$rc"
}

case "$ACTION" in
start) do_start ;;
stop) do_stop ;;
status) do_status ;;
esac
