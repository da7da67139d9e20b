#!/usr/bin/env bash
# Quire's WebSocket front against Hocuspocus 4.x (issue 5), in one run, with the same client code on both:
#   1. services/services.sh up (Kafka, PostgreSQL, Redis; reused when running), build cli/target/quire.jar
#   2. start two Quire fronts sharing one Kafka topic (QUIRE_AUTH=none, schema quire_bench, a fresh topic
#      quire.bench.<time>, Redis for awareness), one plain Hocuspocus server, and two Hocuspocus servers joined by
#      @hocuspocus/extension-redis (benchmarks/js/hocuspocus-server.mjs, versions pinned in package-lock.json)
#   3. edit-to-peer latency (benchmarks/js/bench-latency.mjs latency): 200 and 1,000 edits/s, 1 and 8 receivers,
#      one instance and across two instances; per configuration the systems run back to back, their order
#      alternating: Quire as the client negotiates it (permessage-deflate, offered by ws as by browsers), Quire with
#      the client not offering permessage-deflate, Hocuspocus (which does not accept it by default), and on one
#      instance Hocuspocus told to accept it (hocuspocus-deflate), so that compression is compared like for like
#   4. start a persister and wait until it has stored the latency runs' records (as in a deployment, a document
#      load then reads the newest snapshot and only what the persister has not stored yet; during the latency runs
#      it would take CPU 0 from the fronts, so it runs only from here)
#   5. idle capacity and heap per connection (bench-latency.mjs capacity) of one Quire front and one Hocuspocus
#   6. write benchmarks/results/latency-<date>[-quick].json and .md (report-latency.mjs)
# Every process it starts is stopped on exit, the topic deleted and the schema dropped.
#
# Usage: benchmarks/run-latency.sh [--quick]      (--quick: 3 s per configuration, small capacity steps)
#   QUIRE_BENCH_PIN=1: the servers (both systems' fronts, Kafka, Redis) run on CPU 0 and the load client on CPU 1
#     (taskset), so that the client's timers do not compete with the server measured; the report is named -pinned.
#     As root it also turns autogroup scheduling off for the run and restores it on exit (see below).
#   QUIRE_BENCH_JFR=1: front A and the Kafka broker record Java Flight Recordings (profile settings) into
#     benchmarks/target/latency (the broker's from the warm-up to the end of the latency runs).
# Needs Java 17+, Maven, Node 18+, npm, jcmd, curl, psql. Takes about 15 minutes (--quick: about 5).
set -euo pipefail
source "$(dirname "$0")/bench-common.sh"
bench_init latency latency "$@"
PIN="${QUIRE_BENCH_PIN:-0}"
SERVER_CPU=() CLIENT_CPU=() JAVA_OPTS_PIN=()
if [[ $PIN == 1 ]]; then
  SERVER_CPU=(taskset -c 0) CLIENT_CPU=(taskset -c 1)
  NAME="$NAME-pinned"
  # on one CPU the JVM would pick the Serial collector; keep G1, as on the unpinned runs and a multi-core server
  JAVA_OPTS_PIN=(-XX:+UseG1GC)
  echo "- pinned: servers (fronts, Kafka, Redis) on CPU 0, the load client on CPU 1 (taskset); Quire fronts with -XX:+UseG1GC" >> "$MACHINE"
fi

if $QUICK; then
  SECONDS_EACH=3; WARMUP=1; JIT_WARMUP=3; COUNTS=200,1000; HOLD=2
else
  SECONDS_EACH=10; WARMUP=2; JIT_WARMUP=8; COUNTS=1000,5000,10000,18000; HOLD=5
fi
STAMP="$(date -u +%Y%m%d%H%M%S)"
JS="$ROOT/benchmarks/js"
rm -f "$DATA"/*.json "$DATA"/*.log

log "services"
services/services.sh up >&2
eval "$(services/services.sh env)"
if [[ $PIN == 1 ]]; then
  for pid in $(pgrep -f kafka.Kafka) $(pgrep -x redis-server); do taskset -a -p -c 0 "$pid" >/dev/null; done
fi

log "build cli/target/quire.jar"
mvn -B -ntp -q -DskipTests -Dnode.skip=true package -pl cli -am >&2
JAR="$ROOT/cli/target/quire.jar"

PIDS=()
AUTOGROUP=/proc/sys/kernel/sched_autogroup_enabled RESTORE_AUTOGROUP=0
cleanup() {
  local p
  if [[ $RESTORE_AUTOGROUP == 1 ]]; then echo 1 > "$AUTOGROUP" || true; fi
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  java -cp "$JAR" benchmarks/tools/DeleteTopic.java "$QUIRE_KAFKA_BOOTSTRAP" "$QUIRE_KAFKA_TOPIC" >/dev/null 2>&1 || true
  PGPASSWORD="$QUIRE_DATABASE_PASSWORD" psql -q -h 127.0.0.1 -U "$QUIRE_DATABASE_USER" -d "${QUIRE_DATABASE_URL##*/}" \
    -c "DROP SCHEMA IF EXISTS $QUIRE_DATABASE_SCHEMA CASCADE" >/dev/null 2>&1 || true
}
trap cleanup EXIT
# Autogroup scheduling (kernel.sched_autogroup_enabled, on by default) shares a CPU fairly between sessions, not
# threads: the servers this script starts form one group, while Redis and the Kafka broker, started elsewhere, are
# groups of their own. On one CPU that let a burst of the fronts' threads (the JIT compiler among them) keep Redis and
# the broker waiting while runnable for up to 235 ms (perf sched timehist), which is where the cross-front tails of
# runs 4-15 came from. With it off, every server thread on CPU 0 is scheduled alike; restored on exit.
if [[ $PIN == 1 && -r $AUTOGROUP && $(cat "$AUTOGROUP") == 1 ]]; then
  if [[ -w $AUTOGROUP ]] && echo 0 > "$AUTOGROUP" 2>/dev/null; then
    RESTORE_AUTOGROUP=1
    echo "- autogroup scheduling off for the run (kernel.sched_autogroup_enabled=0, restored at exit)" >> "$MACHINE"
  else
    echo "warning: autogroup scheduling is on and cannot be turned off (not root): Redis and Kafka may wait behind the servers' groups" >&2
    echo "- autogroup scheduling ON (could not turn it off): cross-instance tails include scheduling waits" >> "$MACHINE"
  fi
fi

export QUIRE_AUTH=none QUIRE_SERVER_HOST=127.0.0.1 QUIRE_DATABASE_SCHEMA=quire_bench QUIRE_KAFKA_TOPIC="quire.bench.$STAMP"
export QUIRE_MAX_MESSAGES_PER_SECOND=0 # the default 500 frames/s per socket closes a 1,000 edits/s writer with 4429
export QUIRE_IDLE_TIMEOUT=600s         # the capacity sockets stay silent (no awareness renewals) while held
ulimit -n "$(ulimit -Hn)"
echo "- open files per process (ulimit -n): $(ulimit -n); Kafka topic $QUIRE_KAFKA_TOPIC, schema $QUIRE_DATABASE_SCHEMA" >> "$MACHINE"
echo "- Hocuspocus: @hocuspocus/server $(node -p "require('$JS/node_modules/@hocuspocus/server/package.json').version"), extension-redis $(node -p "require('$JS/node_modules/@hocuspocus/extension-redis/package.json').version"); client: @hocuspocus/provider $(node -p "require('$JS/node_modules/@hocuspocus/provider/package.json').version"), ws $(node -p "require('$JS/node_modules/ws/package.json').version")" >> "$MACHINE"

QA=18080 QB=18081 HP=18090 HPA=18091 HPB=18092 HPD=18093 HP_STATS=18190
start_quire() { # port
  local jfr=()
  if [[ ${QUIRE_BENCH_JFR:-0} == 1 && $1 == "$QA" ]]; then
    jfr=("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=$DATA/quire-$1.jfr")
  fi
  # per front, to line pauses and compilations up with the tails (each run's JSON has its wall-clock measuredFrom):
  # GC and safepoint pauses (benchmarks/target/latency/quire-<port>-gc.log) and JIT compilations (-jit.log)
  QUIRE_SERVER_PORT="$1" "${SERVER_CPU[@]}" java "${JAVA_OPTS_PIN[@]}" "${jfr[@]}" "-Xlog:gc,safepoint:file=$DATA/quire-$1-gc.log:time,uptime" \
    "-Xlog:jit+compilation=debug:file=$DATA/quire-$1-jit.log:time,uptime" -jar "$JAR" server > "$DATA/quire-$1.log" 2>&1 &
  PIDS+=($!)
  wait_ready "$1" "quire front on port $1" "$DATA/quire-$1.log"
}
wait_ready() { # port, what, log
  local i
  for i in $(seq 120); do
    if curl -sf "http://127.0.0.1:$1/health/ready" >/dev/null; then return; fi
    sleep 0.5
  done
  echo "$2 did not become ready (log: $3)" >&2
  exit 1
}
start_persister() {
  QUIRE_PERSISTER_HTTP_PORT=18095 "${SERVER_CPU[@]}" java "${JAVA_OPTS_PIN[@]}" -jar "$JAR" persister > "$DATA/persister.log" 2>&1 &
  PIDS+=($!)
  wait_ready 18095 "quire persister" "$DATA/persister.log"
  local i metrics
  for i in $(seq 300); do # caught up (the lag is NaN until measured)
    metrics="$(curl -sf http://127.0.0.1:18095/metrics || true)"
    if grep -q '^quire_persister_lag 0' <<< "$metrics"; then
      return
    fi
    sleep 2
  done
  echo "quire persister did not catch up within 600 s (log: $DATA/persister.log)" >&2
  exit 1
}
start_hocuspocus() { # port, extra arguments
  local port="$1" i
  shift
  "${SERVER_CPU[@]}" node --expose-gc "$JS/hocuspocus-server.mjs" --port "$port" "$@" > "$DATA/hocuspocus-$port.log" 2>&1 &
  PIDS+=($!)
  for i in $(seq 60); do
    if grep -q "^listening" "$DATA/hocuspocus-$port.log"; then return; fi
    sleep 0.5
  done
  echo "hocuspocus on port $port did not start (log: $DATA/hocuspocus-$port.log)" >&2
  exit 1
}

log "start 2 Quire fronts, 1 Hocuspocus, 2 Hocuspocus joined by Redis, 1 Hocuspocus accepting permessage-deflate"
start_quire $QA # creates the topic
QUIRE_A_PID="${PIDS[-1]}"
start_quire $QB
start_hocuspocus $HP --stats-port $HP_STATS
HP_PID="${PIDS[-1]}"
start_hocuspocus $HPA --redis 127.0.0.1:6379 --prefix "bench-$STAMP"
start_hocuspocus $HPB --redis 127.0.0.1:6379 --prefix "bench-$STAMP"
start_hocuspocus $HPD --deflate

# latency <system> <one|two> <rate> <receivers> <seconds> <warmup> <output>
latency() {
  local system="$1" topo="$2" rate="$3" n="$4" secs="$5" warm="$6" out="$7" writer receiver extra=()
  case "$system" in
    quire | quire-nodeflate) writer=$QA; receiver=$QA; [[ $topo == two ]] && receiver=$QB
      extra=(--metrics "http://127.0.0.1:$QA/metrics")
      [[ $system == quire-nodeflate ]] && extra+=(--deflate off) ;;
    hocuspocus) writer=$HP; receiver=$HP; [[ $topo == two ]] && writer=$HPA && receiver=$HPB ;;
    hocuspocus-deflate) writer=$HPD; receiver=$HPD ;;
  esac
  "${CLIENT_CPU[@]}" node "$JS/bench-latency.mjs" latency --label "$system/$topo/$rate/$n" --doc "lat-$system-$topo-$rate-$n-$STAMP-$RANDOM" \
    --writer "ws://127.0.0.1:$writer" --receiver "ws://127.0.0.1:$receiver" --rate "$rate" --receivers "$n" \
    --seconds "$secs" --warmup "$warm" "${extra[@]}" > "$out"
}

BROKER_PID=""
if [[ ${QUIRE_BENCH_JFR:-0} == 1 ]]; then
  BROKER_PID="$(pgrep -f kafka.Kafka | head -1)"
  jcmd "$BROKER_PID" JFR.start name=quire-bench settings=profile >/dev/null
fi
log "JIT and connection warm-up (${JIT_WARMUP} s per system and topology at 1,000 edits/s, 8 receivers, not reported)"
for system in quire-nodeflate hocuspocus; do
  for topo in one two; do
    latency $system $topo 1000 8 "$JIT_WARMUP" 1 "$DATA/warmup-$system-$topo.json"
  done
done

i=0
for rate in 200 1000; do
  for n in 1 8; do
    for topo in one two; do
      if (( i % 2 == 0 )); then order=(quire hocuspocus quire-nodeflate); else order=(hocuspocus quire-nodeflate quire); fi
      if [[ $topo == one ]]; then order+=(hocuspocus-deflate); fi
      for system in "${order[@]}"; do
        log "latency: $system, $topo instance(s), $rate edits/s, $n receiver(s)"
        latency "$system" "$topo" "$rate" "$n" "$SECONDS_EACH" "$WARMUP" "$DATA/latency-$system-$topo-$rate-$n.json"
      done
      i=$((i + 1))
    done
  done
done

if [[ -n $BROKER_PID ]]; then
  jcmd "$BROKER_PID" JFR.dump name=quire-bench filename="$DATA/kafka-broker.jfr" >/dev/null
  jcmd "$BROKER_PID" JFR.stop name=quire-bench >/dev/null
fi
log "start a persister and wait until it has stored the topic"
start_persister
log "capacity: Quire front (client offers permessage-deflate; at most 10,000: native zlib memory per socket)"
"${CLIENT_CPU[@]}" node --max-old-space-size=4096 "$JS/bench-latency.mjs" capacity --label quire --url "ws://127.0.0.1:$QA" \
  --counts "${COUNTS%,18000}" --hold "$HOLD" --jcmd "$QUIRE_A_PID" > "$DATA/capacity-quire.json"
log "capacity: Hocuspocus"
"${CLIENT_CPU[@]}" node --max-old-space-size=4096 "$JS/bench-latency.mjs" capacity --label hocuspocus --url "ws://127.0.0.1:$HP" \
  --counts "$COUNTS" --hold "$HOLD" --stats-url "http://127.0.0.1:$HP_STATS/heap" --pid "$HP_PID" > "$DATA/capacity-hocuspocus.json"
log "capacity: Quire front (client does not offer permessage-deflate)"
"${CLIENT_CPU[@]}" node --max-old-space-size=4096 "$JS/bench-latency.mjs" capacity --label quire-nodeflate --url "ws://127.0.0.1:$QA" \
  --counts "$COUNTS" --hold "$HOLD" --jcmd "$QUIRE_A_PID" --deflate off > "$DATA/capacity-quire-nodeflate.json"

echo "- load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$MACHINE"
node "$JS/report-latency.mjs" "$DATA" "$MACHINE" "$RESULTS/$NAME.json" > "$RESULTS/$NAME.md"
log "report: benchmarks/results/$NAME.md"
cat "$RESULTS/$NAME.md"
