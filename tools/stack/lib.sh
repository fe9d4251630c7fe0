# shellcheck shell=bash
# Shared by tools/stack/start, stop and status: paths, ports and the
# start/stop-by-process-id helpers. Every value may be overridden from the
# environment.

STACK_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STACK_DIR=${UOS_BILLING_STACK_DIR:-$STACK_REPO/work/stack}
STACK_ETC=$STACK_DIR/etc
STACK_LOG=$STACK_DIR/log
STACK_RUN=$STACK_DIR/run
STACK_DATA=$STACK_DIR/data

STACK_VENV=${UOS_BILLING_STACK_VENV:-$HOME/.cache/uos-billing/stack-venv}
KEYSTONE_VENV=${UOS_BILLING_KEYSTONE_VENV:-$HOME/.cache/uos-billing/keystone-venv}
GNOCCHI_VENV=${UOS_BILLING_GNOCCHI_VENV:-$HOME/.cache/uos-billing/gnocchi-venv}

HOST=127.0.0.1
KEYSTONE_PORT=${UOS_BILLING_STACK_KEYSTONE_PORT:-5000}
GNOCCHI_PORT=${UOS_BILLING_STACK_GNOCCHI_PORT:-8041}
CLOUDKITTY_PORT=${UOS_BILLING_STACK_CLOUDKITTY_PORT:-8889}
INFLUXDB_PORT=${UOS_BILLING_STACK_INFLUXDB_PORT:-8086}
INFLUXDB_RPC_PORT=${UOS_BILLING_STACK_INFLUXDB_RPC_PORT:-8088}
KEYSTONE_URL=http://$HOST:$KEYSTONE_PORT/v3
GNOCCHI_URL=http://$HOST:$GNOCCHI_PORT
CLOUDKITTY_URL=http://$HOST:$CLOUDKITTY_PORT
INFLUXDB_URL=http://$HOST:$INFLUXDB_PORT

# The servers the stack uses but does not start (see README and bindep).
MARIADB_URL=${UOS_BILLING_STACK_MARIADB_URL:-mysql+pymysql://root@127.0.0.1:3306}
POSTGRESQL_URL=${UOS_BILLING_STACK_POSTGRESQL_URL:-postgresql+psycopg2://postgres@127.0.0.1:5432}
REDIS_URL=${UOS_BILLING_STACK_REDIS_URL:-redis://127.0.0.1:6379}
TRANSPORT_URL=${UOS_BILLING_STACK_TRANSPORT_URL:-rabbit://guest:guest@127.0.0.1:5672/}

# The services, in start order (stop goes the other way).
STACK_SERVICES=(keystone influxdb gnocchi-api gnocchi-metricd
    cloudkitty-api cloudkitty-processor-1 cloudkitty-processor-2
    ceilometer-agent-notification ceilometer-polling)

# The stack's passwords: loopback only, throw-away.
ADMIN_PASSWORD=${UOS_BILLING_STACK_ADMIN_PASSWORD:-admin-secret}
SERVICE_PASSWORD=${UOS_BILLING_STACK_SERVICE_PASSWORD:-service-secret}
MEMBER_PASSWORD=${UOS_BILLING_STACK_MEMBER_PASSWORD:-member-secret}

pidfile() { echo "$STACK_RUN/$1.pid"; }
logfile() { echo "$STACK_LOG/$1.log"; }

# The process id of a running service, or nothing.
service_pid() {
    local pid
    pid=$(cat "$(pidfile "$1")" 2>/dev/null) || return 1
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
    echo "$pid"
}

# fail SERVICE MESSAGE: name the service, show the end of its log, exit 1.
fail() {
    local log
    log=$(logfile "$1")
    echo "stack: $1: $2" >&2
    if [ -f "$log" ]; then
        echo "stack: last lines of $log:" >&2
        tail -n 30 "$log" | sed 's/^/    /' >&2
    fi
    exit 1
}

# spawn SERVICE COMMAND...: run it in a session (process group) of its
# own, output appended to its log, its process id in its pid file.
spawn() {
    local name=$1
    shift
    mkdir -p "$STACK_LOG" "$STACK_RUN"
    echo "=== $(date -u +%FT%TZ) start: $*" >>"$(logfile "$name")"
    setsid "$@" </dev/null >>"$(logfile "$name")" 2>&1 &
    echo $! >"$(pidfile "$name")"
}

# wait_until SERVICE SECONDS COMMAND...: until COMMAND succeeds, failing
# with the log's end when the service dies or the time runs out.
wait_until() {
    local name=$1 timeout=$2 deadline
    shift 2
    deadline=$(( $(date +%s) + timeout ))
    until "$@" >/dev/null 2>&1; do
        service_pid "$name" >/dev/null || fail "$name" "exited while starting"
        [ "$(date +%s)" -lt "$deadline" ] ||
            fail "$name" "not ready within $timeout s ($*)"
        sleep 0.3
    done
}

# The polling agent (compute namespace, libvirt's test driver): started by
# tools/stack/start, and again by tools/stack/restart, which is how a new
# node file (domains.xml) reaches the test driver, whose domains live in
# the agent's process.
spawn_polling_agent() {
    spawn ceilometer-polling "$STACK_VENV/bin/ceilometer-polling" \
        --polling-namespaces compute \
        --config-file "$STACK_ETC/ceilometer/ceilometer.conf"
}

http_ok() { curl -sf -o /dev/null --max-time 2 "$1"; }

# stop_service SERVICE: SIGTERM to its process group (SIGINT to
# gnocchi-api, a uwsgi without --die-on-term that reloads on SIGTERM),
# SIGKILL after 15 s.
stop_service() {
    local name=$1 pid i sig=TERM
    [ "$name" = gnocchi-api ] && sig=INT
    if ! pid=$(service_pid "$name"); then
        rm -f "$(pidfile "$name")"
        return 0
    fi
    kill "-$sig" -- "-$pid" 2>/dev/null || kill "-$sig" "$pid" 2>/dev/null || true
    for i in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.3
    done
    if kill -0 "$pid" 2>/dev/null; then
        echo "stack: $name ($pid) ignored SIG$sig: SIGKILL" >&2
    fi
    # Workers left behind in the group, by the leader's process id.
    kill -KILL -- "-$pid" 2>/dev/null || true
    rm -f "$(pidfile "$name")"
    echo "stack: $name stopped ($pid, after ${i}x0.3 s)"
}
