#!/usr/bin/env bash
# Set up a real NetBox 4.7 for hvdesign's NetBox import test (tests/netbox), cached:
# every step is skipped when it is already done, so a second run takes seconds.
#
#   tools/netbox/setup.sh          # then: .venv/bin/python -m pytest -m netbox tests/netbox
#
# What it does (RECIPES.md, "A real NetBox on these machines"):
#   1. PostgreSQL and Redis from Debian's packages, started without systemd;
#   2. a Python 3.12 venv (pyenv's 3.12, or python3.12 on PATH) with NetBox from PyPI;
#   3. NETBOX_ROOT/conf/configuration.py (database name from $HVDESIGN_NETBOX_DB);
#   4. a database role and a template database migrated ONCE; each test run clones it
#      (CREATE DATABASE x TEMPLATE hvdesign_netbox_tmpl, a few seconds).
#
# Environment: HVDESIGN_NETBOX_CACHE (default ~/.cache/hvdesign-netbox),
# HVDESIGN_NETBOX_SPEC (default "netbox>=4.7,<4.8"). Writes $CACHE/ready when done: the
# tests run only when that file exists.
set -euo pipefail

CACHE="${HVDESIGN_NETBOX_CACHE:-$HOME/.cache/hvdesign-netbox}"
SPEC="${HVDESIGN_NETBOX_SPEC:-netbox>=4.7,<4.8}"
ROLE=hvdesign_netbox
PASSWORD=hvdesign-netbox-local-only  # a local test database on 127.0.0.1, no secret
TEMPLATE=hvdesign_netbox_tmpl
VENV="$CACHE/venv"
ROOT="$CACHE/root"
START=$SECONDS

say() { printf '[netbox setup %4ss] %s\n' "$((SECONDS - START))" "$*"; }
as_postgres() { runuser -u postgres -- "$@"; }
sql() { as_postgres psql -q -v ON_ERROR_STOP=1 -tAc "$1"; }

mkdir -p "$CACHE" "$ROOT/conf" "$ROOT/media" "$ROOT/reports" "$ROOT/scripts"

# 1. PostgreSQL and Redis -----------------------------------------------------------
if ! command -v pg_ctlcluster >/dev/null || ! command -v redis-server >/dev/null; then
    say "installing postgresql and redis-server (Debian)"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql redis-server
fi
read -r PG_VERSION PG_CLUSTER PG_PORT PG_STATUS _ < <(pg_lsclusters -h | head -n 1)
if [ "$PG_STATUS" != online ]; then
    say "starting PostgreSQL $PG_VERSION/$PG_CLUSTER"
    pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start
fi
if redis-cli ping >/dev/null 2>&1; then
    # A Redis already running (started elsewhere) must not refuse writes because it
    # cannot save its snapshot (MISCONF): this cache needs none.
    redis-cli config set stop-writes-on-bgsave-error no >/dev/null 2>&1 || true
else
    say "starting Redis"
    # No snapshots, working directory in the cache: a test cache needs no persistence,
    # and Redis must not depend on the directory it was started from (a CI clone goes).
    redis-server --daemonize yes --bind 127.0.0.1 --save "" --appendonly no \
        --dir "$CACHE" >/dev/null
    for _ in $(seq 50); do redis-cli ping >/dev/null 2>&1 && break; sleep 0.1; done
fi

# 2. Python 3.12 and NetBox -----------------------------------------------------------
if [ ! -f "$VENV/.installed" ]; then  # written after pip succeeded
    PY312=""
    if command -v pyenv >/dev/null; then
        v=$(pyenv versions --bare | grep -E '^3\.1[2-9]' | sort -V | head -n 1 || true)
        [ -n "$v" ] && PY312="$(pyenv root)/versions/$v/bin/python3"
    fi
    [ -z "$PY312" ] && PY312=$(command -v python3.12 || command -v python3.13 || true)
    if [ -z "$PY312" ]; then
        echo "netbox setup: NetBox 4.7 needs Python 3.12 or later; none found" >&2
        exit 1
    fi
    say "creating $VENV with $PY312 and installing $SPEC"
    "$PY312" -m venv "$VENV"
    "$VENV/bin/pip" install -q --upgrade pip
    "$VENV/bin/pip" install -q "$SPEC"
    touch "$VENV/.installed"
fi
NETBOX_VERSION=$("$VENV/bin/netbox" version)

# 3. Configuration -------------------------------------------------------------------
if [ ! -f "$ROOT/conf/configuration.py" ]; then
    say "writing $ROOT/conf/configuration.py"
    KEY=$("$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(60))')
    cat > "$ROOT/conf/configuration.py" <<CONF
# NetBox configuration for hvdesign's import test (tools/netbox/setup.sh): a local
# instance on 127.0.0.1; the database is chosen per run through HVDESIGN_NETBOX_DB.
import os

ALLOWED_HOSTS = ["*"]
DATABASE = {
    "NAME": os.environ.get("HVDESIGN_NETBOX_DB", "$TEMPLATE"),
    "USER": "$ROLE",
    "PASSWORD": "$PASSWORD",
    "HOST": "127.0.0.1",
    "PORT": "$PG_PORT",
    "CONN_MAX_AGE": 0,
}
REDIS = {
    "tasks": {"HOST": "127.0.0.1", "PORT": 6379, "DATABASE": 0, "SSL": False},
    "caching": {"HOST": "127.0.0.1", "PORT": 6379, "DATABASE": 1, "SSL": False},
}
SECRET_KEY = "$KEY"
CONF
fi

# 4. The template database, migrated once --------------------------------------------
export NETBOX_ROOT="$ROOT" HVDESIGN_NETBOX_DB="$TEMPLATE"
MARK="$CACHE/migrated-$NETBOX_VERSION"
if [ -z "$(sql "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" ]; then
    say "creating role $ROLE"
    sql "CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD'"
fi
HAVE_TEMPLATE=$(sql "SELECT 1 FROM pg_database WHERE datname = '$TEMPLATE' AND datistemplate")
if [ ! -f "$MARK" ] || [ -z "$HAVE_TEMPLATE" ]; then  # a new NetBox, or the database gone
    rm -f "$CACHE/ready" "$CACHE"/migrated-*
    if [ -n "$(sql "SELECT 1 FROM pg_database WHERE datname = '$TEMPLATE'")" ]; then
        sql "ALTER DATABASE $TEMPLATE IS_TEMPLATE false"
        sql "DROP DATABASE $TEMPLATE"
    fi
    sql "CREATE DATABASE $TEMPLATE OWNER $ROLE"
    say "migrating $TEMPLATE (NetBox $NETBOX_VERSION; minutes)"
    "$VENV/bin/netbox" migrate --no-input >"$CACHE/migrate.log" 2>&1 \
        || { tail -n 30 "$CACHE/migrate.log" >&2; exit 1; }
    sql "ALTER DATABASE $TEMPLATE IS_TEMPLATE true"
    touch "$MARK"
fi

printf 'netbox=%s\nvenv=%s\nroot=%s\ntemplate=%s\n' \
    "$NETBOX_VERSION" "$VENV" "$ROOT" "$TEMPLATE" >"$CACHE/ready"
say "ready: NetBox $NETBOX_VERSION ($CACHE/ready)"
