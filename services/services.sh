#!/usr/bin/env bash
# Brings up, checks and stops the real services Quire's integration tests need:
#   Kafka 4.4.0 (single-node KRaft broker from the Maven Central jars) on 127.0.0.1:9092,
#   PostgreSQL on 127.0.0.1:5432 (database quire_test, role quire/quire),
#   Redis on 127.0.0.1:6379.
# Whatever already answers on those ports is reused, never restarted. `down` stops only what this script
# started (pid and marker files under $QUIRE_SERVICES_DIR, default /tmp/quire-services).
#
# Usage: services/services.sh up|down|status|env|kafka-libs
#   up      start what is missing, wait until ready, ensure the test role and database (idempotent)
#   down    stop what `up` started; leaves data (Kafka log dirs) in place for a fast next start
#   status  one line per service: up/down and who started it; exit 0 only when all three are up
#   env     print the export lines the tests read (eval "$(services/services.sh env)")
#   kafka-libs  only copy the Kafka broker's jars from Maven into services/kafka/libs (`quire dev` runs them)
# Environment: QUIRE_SERVICES_DIR (state, logs, Kafka data; default /tmp/quire-services),
#   QUIRE_KAFKA_READY_TIMEOUT_S (default 60), JAVA_HOME (else the java on PATH).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SERVICES_DIR="${QUIRE_SERVICES_DIR:-/tmp/quire-services}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

KAFKA_HOST=127.0.0.1
KAFKA_PORT=9092
KAFKA_HOME="$SCRIPT_DIR/kafka"
KAFKA_LIBS="$KAFKA_HOME/libs"
KAFKA_DATA="$SERVICES_DIR/kafka"
KAFKA_PID="$KAFKA_DATA/kafka.pid"
KAFKA_OUT="$KAFKA_DATA/kafka.out"
KAFKA_LOG="$KAFKA_DATA/logs/server.log"
KAFKA_READY_TIMEOUT_S="${QUIRE_KAFKA_READY_TIMEOUT_S:-60}"
KAFKA_STOP_TIMEOUT_S=30

PG_HOST=127.0.0.1
PG_PORT=5432
PG_CLUSTER=main # Debian cluster name started when nothing answers on PG_PORT
PG_DB=quire_test
PG_USER=quire
PG_PASSWORD=quire
PG_MARKER="$SERVICES_DIR/postgres.started"
PG_READY_TIMEOUT_S=30

REDIS_HOST=127.0.0.1
REDIS_PORT=6379
REDIS_DIR="$SERVICES_DIR/redis"
REDIS_PID="$REDIS_DIR/redis.pid"
REDIS_READY_TIMEOUT_S=10

say() { printf '%s\n' "$*"; }
die() { printf 'services.sh: %s\n' "$*" >&2; exit 1; }

# True when something accepts TCP connections on 127.0.0.1:$1 (bash /dev/tcp, bounded by `timeout`).
port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# True when $2 is a live process whose command line contains $1 (guards against recycled pids).
pid_is() {
  local pattern="$1" pid="$2" cmdline
  [[ "$pid" =~ ^[0-9]+$ ]] && cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" && [[ "$cmdline" == *"$pattern"* ]]
}

read_pid() { [[ -s "$1" ]] && tr -dc '0-9' <"$1" || true; }

# Runs "$@" with every file descriptor above 2 closed, so a process left running holds no pipe or lock of
# the caller's (a background server that keeps the caller's pipe open makes `... | tee` hang). The loop has
# no redirection on purpose: bash would close the copy of fd 2 it saves for it and leave stderr on
# /dev/null. When CLEAN_PID_FILE is set, the command's own pid is written there first (exec keeps it).
CLEAN_EXEC='[[ -n "${CLEAN_PID_FILE:-}" ]] && echo $$ >"$CLEAN_PID_FILE"
for fd in /proc/$$/fd/*; do fd=${fd##*/}; ((fd > 2)) && eval "exec $fd>&-"; done
exec "$@"'
clean_exec() { bash -c "$CLEAN_EXEC" _ "$@"; }

# Waits up to $2 seconds for process $1 to exit after SIGTERM, then sends SIGKILL.
stop_pid() {
  local pid="$1" timeout_s="$2" i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < timeout_s * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  say "  pid $pid still alive after ${timeout_s}s, sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
}

apt_install() {
  local pkg="$1"
  [[ "$(id -u)" == 0 ]] || die "$pkg is not installed and this is not root: install it (apt-get install $pkg) and rerun"
  say "  installing $pkg with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q "$pkg" </dev/null >"$SERVICES_DIR/apt-$pkg.log" 2>&1; then
    apt-get update -q </dev/null >>"$SERVICES_DIR/apt-$pkg.log" 2>&1 || true
    apt-get install -y -q "$pkg" </dev/null >>"$SERVICES_DIR/apt-$pkg.log" 2>&1 ||
      { tail -n 20 "$SERVICES_DIR/apt-$pkg.log" >&2; die "apt-get install $pkg failed (log: $SERVICES_DIR/apt-$pkg.log)"; }
  fi
}

# ---------------------------------------------------------------------------------------------- Kafka

kafka_ours() { pid_is kafka.Kafka "$(read_pid "$KAFKA_PID")"; }

kafka_libs() {
  [[ -f "$KAFKA_LIBS/.complete" ]] && return 0
  say "  copying the Kafka jars from Maven into $KAFKA_LIBS"
  command -v mvn >/dev/null || die "mvn not found: it is needed once to fetch the Kafka jars"
  rm -rf "$KAFKA_LIBS"
  mkdir -p "$SERVICES_DIR"
  mvn -B -q -ntp -Dstyle.color=never -f "$KAFKA_HOME/pom.xml" dependency:copy-dependencies \
    </dev/null >"$SERVICES_DIR/kafka-libs.log" 2>&1 ||
    { tail -n 30 "$SERVICES_DIR/kafka-libs.log" >&2; die "mvn dependency:copy-dependencies failed for $KAFKA_HOME/pom.xml"; }
  touch "$KAFKA_LIBS/.complete"
}

# A KRaft cluster id as kafka.tools.StorageTool random-uuid prints it (16 random bytes, URL-safe base64
# without padding, not starting with '-'), without paying for a JVM start.
kafka_cluster_id() {
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    [[ "$id" != -* ]] && { printf '%s' "$id"; return 0; }
  done
}

kafka_fail() {
  printf 'services.sh: %s\n' "$1" >&2
  for f in "$KAFKA_OUT" "$KAFKA_LOG"; do
    [[ -s "$f" ]] && { printf -- '--- tail of %s\n' "$f" >&2; tail -n 40 "$f" >&2; }
  done
  exit 1
}

# Waits for "Kafka Server started" in the part of server.log written after byte $1, or for the port.
kafka_wait() {
  local log_offset="$1" pid deadline=$((SECONDS + KAFKA_READY_TIMEOUT_S))
  pid="$(read_pid "$KAFKA_PID")"
  while ((SECONDS < deadline)); do
    # (process substitution, not a pipe: with pipefail, grep -q quitting early would fail the pipeline)
    if [[ -f "$KAFKA_LOG" ]] && grep -q 'Kafka Server started' < <(tail -c +"$((log_offset + 1))" "$KAFKA_LOG"); then
      return 0
    fi
    port_open "$KAFKA_PORT" && return 0
    pid_is kafka.Kafka "$pid" || kafka_fail "the Kafka broker (pid $pid) exited during startup"
    sleep 0.2
  done
  stop_pid "$pid" "$KAFKA_STOP_TIMEOUT_S"
  rm -f "$KAFKA_PID"
  kafka_fail "the Kafka broker was not ready after ${KAFKA_READY_TIMEOUT_S}s (stopped it)"
}

kafka_up() {
  if port_open "$KAFKA_PORT"; then
    if kafka_ours; then say "kafka: up (started by services.sh, pid $(read_pid "$KAFKA_PID"))"
    else say "kafka: reusing the broker already listening on $KAFKA_HOST:$KAFKA_PORT"; fi
    return 0
  fi
  mkdir -p "$KAFKA_DATA/logs"
  local log_offset=0 t0=$SECONDS
  if kafka_ours; then # started by an earlier `up` that is still coming up
    say "kafka: waiting for the broker started earlier (pid $(read_pid "$KAFKA_PID"))"
    kafka_wait 0
    say "kafka: up on $KAFKA_HOST:$KAFKA_PORT"
    return 0
  fi
  rm -f "$KAFKA_PID"
  kafka_libs
  local cp="$KAFKA_LIBS/*"
  local log_opts=(-Dlog4j2.configurationFile="$KAFKA_HOME/log4j2.properties" -Dkafka.logs.dir="$KAFKA_DATA/logs")
  sed "s|@DATA@|$KAFKA_DATA|g" "$KAFKA_HOME/server.properties.template" >"$KAFKA_DATA/server.properties"
  if [[ ! -f "$KAFKA_DATA/kraft-logs/meta.properties" ]]; then
    say "  formatting $KAFKA_DATA/kraft-logs (KRaft, standalone)"
    "$JAVA" "${log_opts[@]}" -cp "$cp" kafka.tools.StorageTool format --standalone -t "$(kafka_cluster_id)" \
      -c "$KAFKA_DATA/server.properties" </dev/null >"$KAFKA_DATA/format.log" 2>&1 ||
      { tail -n 20 "$KAFKA_DATA/format.log" >&2; kafka_fail "StorageTool format failed (log: $KAFKA_DATA/format.log)"; }
  fi
  [[ -f "$KAFKA_LOG" ]] && log_offset="$(stat -c %s "$KAFKA_LOG")"
  # Own session, stdin from /dev/null, stdout/stderr to a file: the caller's pipes are never held open.
  # The pid file names the broker itself (see CLEAN_EXEC).
  CLEAN_PID_FILE="$KAFKA_PID" setsid nohup bash -c "$CLEAN_EXEC" _ \
    "$JAVA" -Xms256m -Xmx512m -XX:+UseG1GC -Djava.awt.headless=true "${log_opts[@]}" \
    -cp "$cp" kafka.Kafka "$KAFKA_DATA/server.properties" </dev/null >"$KAFKA_OUT" 2>&1 &
  local i
  for ((i = 0; i < 50; i++)); do [[ -s "$KAFKA_PID" ]] && break; sleep 0.02; done
  kafka_wait "$log_offset"
  say "kafka: up on $KAFKA_HOST:$KAFKA_PORT (started by services.sh, pid $(read_pid "$KAFKA_PID"), $((SECONDS - t0))s, data $KAFKA_DATA)"
}

kafka_down() {
  if kafka_ours; then
    local pid; pid="$(read_pid "$KAFKA_PID")"
    say "kafka: stopping pid $pid"
    stop_pid "$pid" "$KAFKA_STOP_TIMEOUT_S"
    rm -f "$KAFKA_PID"
  elif port_open "$KAFKA_PORT"; then
    say "kafka: not started by services.sh, left running"
  else
    rm -f "$KAFKA_PID"
    say "kafka: not running"
  fi
}

kafka_status() {
  if port_open "$KAFKA_PORT"; then
    if kafka_ours; then say "kafka: up $KAFKA_HOST:$KAFKA_PORT (started by services.sh, pid $(read_pid "$KAFKA_PID"))"
    else say "kafka: up $KAFKA_HOST:$KAFKA_PORT (external)"; fi
  else
    say "kafka: down"; return 1
  fi
}

# ------------------------------------------------------------------------------------------ PostgreSQL

pg_ready() {
  if command -v pg_isready >/dev/null; then pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 2
  else port_open "$PG_PORT"; fi
}

# Version of the newest Debian cluster named $PG_CLUSTER, creating that cluster when there is none.
pg_cluster_version() {
  local ver
  ver="$(pg_lsclusters -h 2>/dev/null | awk -v c="$PG_CLUSTER" '$2 == c { print $1 }' | sort -V | tail -n 1)"
  if [[ -z "$ver" ]]; then
    ver="$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1)"
    [[ -n "$ver" ]] || die "no PostgreSQL server binaries under /usr/lib/postgresql"
    say "  creating cluster $ver/$PG_CLUSTER" >&2
    pg_createcluster --port "$PG_PORT" "$ver" "$PG_CLUSTER" </dev/null >>"$SERVICES_DIR/postgres-start.log" 2>&1 ||
      die "pg_createcluster $ver $PG_CLUSTER failed (log: $SERVICES_DIR/postgres-start.log)"
  fi
  printf '%s' "$ver"
}

pg_start() {
  command -v pg_lsclusters >/dev/null || apt_install postgresql
  pg_ready && return 0 # the package's post-install may have started it
  local ver i
  ver="$(pg_cluster_version)"
  say "  starting PostgreSQL cluster $ver/$PG_CLUSTER"
  clean_exec pg_ctlcluster --skip-systemctl-redirect "$ver" "$PG_CLUSTER" start </dev/null >>"$SERVICES_DIR/postgres-start.log" 2>&1 || true
  for ((i = 0; i < PG_READY_TIMEOUT_S * 10; i++)); do
    if pg_ready; then printf '%s %s\n' "$ver" "$PG_CLUSTER" >"$PG_MARKER"; return 0; fi
    sleep 0.1
  done
  tail -n 20 "$SERVICES_DIR/postgres-start.log" >&2 || true
  tail -n 20 "/var/log/postgresql/postgresql-$ver-$PG_CLUSTER.log" >&2 2>/dev/null || true
  die "PostgreSQL cluster $ver/$PG_CLUSTER did not answer on $PG_HOST:$PG_PORT within ${PG_READY_TIMEOUT_S}s"
}

pg_login_ok() {
  PGPASSWORD="$PG_PASSWORD" PGCONNECT_TIMEOUT=5 psql -X -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" \
    -tAc 'select 1' </dev/null >/dev/null 2>&1
}

# Runs the SQL on stdin as a superuser: peer auth as the postgres OS user, else TCP as postgres, else as $USER.
pg_admin() {
  local sql; sql="$(cat)"
  local psql_args=(-X -q -v ON_ERROR_STOP=1 -v u="$PG_USER" -v p="$PG_PASSWORD" -v d="$PG_DB")
  if [[ "$(id -u)" == 0 ]] && command -v runuser >/dev/null &&
    (cd / && runuser -u postgres -- psql "${psql_args[@]}" -p "$PG_PORT" -d postgres <<<"$sql") 2>/dev/null; then return 0; fi
  PGCONNECT_TIMEOUT=5 psql "${psql_args[@]}" -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres <<<"$sql" 2>/dev/null && return 0
  PGCONNECT_TIMEOUT=5 psql "${psql_args[@]}" -h "$PG_HOST" -p "$PG_PORT" -d postgres <<<"$sql"
}

pg_ensure_database() {
  pg_login_ok && return 0
  say "  creating role $PG_USER and database $PG_DB"
  pg_admin <<'SQL' || die "could not create role $PG_USER / database $PG_DB as a PostgreSQL superuser"
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'u', :'p')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'u') \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', :'u', :'p') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'d', :'u')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'d') \gexec
SQL
  pg_login_ok || die "role $PG_USER still cannot log in to $PG_DB on $PG_HOST:$PG_PORT with its password (check pg_hba.conf)"
}

pg_up() {
  local t0=$SECONDS how
  if pg_ready; then
    if [[ -f "$PG_MARKER" ]]; then how="started by services.sh"; else how="reusing the running server"; fi
  else
    pg_start
    how="started by services.sh, $((SECONDS - t0))s"
  fi
  pg_ensure_database
  say "postgres: up ($how) jdbc:postgresql://$PG_HOST:$PG_PORT/$PG_DB user=$PG_USER password=$PG_PASSWORD"
}

pg_down() {
  if [[ -f "$PG_MARKER" ]]; then
    local ver cluster; read -r ver cluster <"$PG_MARKER"
    say "postgres: stopping cluster $ver/$cluster"
    pg_ctlcluster --skip-systemctl-redirect "$ver" "$cluster" stop -m fast </dev/null >/dev/null 2>&1 || true
    rm -f "$PG_MARKER"
  elif pg_ready; then
    say "postgres: not started by services.sh, left running"
  else
    say "postgres: not running"
  fi
}

pg_status() {
  if pg_ready; then
    local how=external; [[ -f "$PG_MARKER" ]] && how="started by services.sh"
    local db="database $PG_DB ok"; pg_login_ok || db="database $PG_DB NOT reachable as $PG_USER (run up)"
    say "postgres: up $PG_HOST:$PG_PORT ($how; $db)"
  else
    say "postgres: down"; return 1
  fi
}

# ---------------------------------------------------------------------------------------------- Redis

# Prints the first reply line to PING (+PONG, or -NOAUTH... on a password-protected server).
redis_reply() {
  timeout 2 bash -c "exec 3<>/dev/tcp/$REDIS_HOST/$REDIS_PORT && printf 'PING\r\n' >&3 && IFS= read -r line <&3 && printf '%s' \"\${line%\$'\r'}\"" 2>/dev/null || true
}
redis_ready() { local r; r="$(redis_reply)"; [[ "$r" == "+PONG" || "$r" == -NOAUTH* ]]; }
redis_ours() { pid_is redis-server "$(read_pid "$REDIS_PID")"; }

redis_up() {
  local r; r="$(redis_reply)"
  if [[ "$r" == "+PONG" || "$r" == -NOAUTH* ]]; then
    local note=""; [[ "$r" == -NOAUTH* ]] && note=" (WARNING: it requires a password; tests expect redis://$REDIS_HOST:$REDIS_PORT without one)"
    if redis_ours; then say "redis: up (started by services.sh, pid $(read_pid "$REDIS_PID"))$note"
    else say "redis: reusing the server already answering on $REDIS_HOST:$REDIS_PORT$note"; fi
    return 0
  fi
  command -v redis-server >/dev/null || apt_install redis-server
  mkdir -p "$REDIS_DIR"
  rm -f "$REDIS_PID"
  clean_exec redis-server --daemonize yes --bind "$REDIS_HOST" --port "$REDIS_PORT" --save "" --appendonly no \
    --dir "$REDIS_DIR" --logfile "$REDIS_DIR/redis.log" --pidfile "$REDIS_PID" </dev/null >/dev/null 2>&1 ||
    { tail -n 20 "$REDIS_DIR/redis.log" >&2 2>/dev/null; die "redis-server failed to start"; }
  local i
  for ((i = 0; i < REDIS_READY_TIMEOUT_S * 20; i++)); do
    if redis_ready; then say "redis: up on $REDIS_HOST:$REDIS_PORT (started by services.sh, pid $(read_pid "$REDIS_PID"))"; return 0; fi
    sleep 0.05
  done
  tail -n 20 "$REDIS_DIR/redis.log" >&2 2>/dev/null || true
  die "redis-server did not answer PING on $REDIS_HOST:$REDIS_PORT within ${REDIS_READY_TIMEOUT_S}s"
}

redis_down() {
  if redis_ours; then
    local pid; pid="$(read_pid "$REDIS_PID")"
    say "redis: stopping pid $pid"
    stop_pid "$pid" 10
    rm -f "$REDIS_PID"
  elif redis_ready; then
    say "redis: not started by services.sh, left running"
  else
    say "redis: not running"
  fi
}

redis_status() {
  if redis_ready; then
    if redis_ours; then say "redis: up $REDIS_HOST:$REDIS_PORT (started by services.sh, pid $(read_pid "$REDIS_PID"))"
    else say "redis: up $REDIS_HOST:$REDIS_PORT (external)"; fi
  else
    say "redis: down"; return 1
  fi
}

# ----------------------------------------------------------------------------------------------- main

print_env() {
  cat <<EOF
export QUIRE_KAFKA_BOOTSTRAP=$KAFKA_HOST:$KAFKA_PORT
export QUIRE_DATABASE_URL=jdbc:postgresql://$PG_HOST:$PG_PORT/$PG_DB
export QUIRE_DATABASE_USER=$PG_USER
export QUIRE_DATABASE_PASSWORD=$PG_PASSWORD
export QUIRE_REDIS_URL=redis://$REDIS_HOST:$REDIS_PORT
EOF
}

# One `up` or `down` at a time (two test runs starting together must not start two brokers).
# Every process this script leaves running is started through clean_exec/CLEAN_EXEC, so it does not hold the lock.
with_lock() {
  mkdir -p "$SERVICES_DIR"
  exec 9>"$SERVICES_DIR/.lock"
  flock -w 300 9 || die "another services.sh up/down holds $SERVICES_DIR/.lock"
}

main() {
  case "${1:-}" in
    up)
      with_lock
      local t0=$SECONDS
      kafka_libs # also when a running broker is reused: tests and quire dev start private brokers from these jars
      pg_up
      redis_up
      kafka_up
      say "all services up in $((SECONDS - t0))s (state in $SERVICES_DIR; 'services/services.sh env' prints the variables)"
      ;;
    down)
      with_lock
      kafka_down
      redis_down
      pg_down
      ;;
    status)
      local rc=0
      kafka_status || rc=1
      pg_status || rc=1
      redis_status || rc=1
      return "$rc"
      ;;
    env) print_env ;;
    kafka-libs)
      with_lock
      kafka_libs
      say "kafka jars: $KAFKA_LIBS"
      ;;
    *)
      sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" >&2
      return 2
      ;;
  esac
}

main "$@"
