#!/usr/bin/env bash
# Java yjs port vs yjs 13.6.33 on Node, on the automerge-paper trace, in one run:
#   1. npm ci in benchmarks/js if the yjs pinned in package-lock.json is not installed yet
#   2. record the trace as 259,778 per-edit v1 updates with yjs (record-trace.mjs)
#   3. time yjs on them (bench-updates.mjs): one-call merges of the first 16k/32k, chunked merge,
#      encodeStateVectorFromUpdate, diffUpdate at half the clock
#   4. build benchmarks/target/benchmarks.jar (Maven) and check every Java output is byte-equal to yjs's
#   5. run the JMH benchmarks UpdateMergeBenchmark and UpdateStateVectorDiffBenchmark on the same updates
#   6. print a markdown table and write it to benchmarks/results/updates-<date>.md
#
# Usage: benchmarks/run-updates.sh [--quick]      (--quick: tiny prefixes and iterations, to test the script)
# Needs Java 17+, Maven, Node 18+ and npm. Takes 5-11 minutes on 2 cores, depending on load.
set -euo pipefail
source "$(dirname "$0")/bench-common.sh"
bench_init updates updates-trace "$@"

log "record $(basename "$TRACE") with yjs"
node benchmarks/js/record-trace.mjs "$TRACE" "$DATA" >&2

log "yjs benchmark (bench-updates.mjs)"
if $QUICK; then NODE_ARGS=(--quick --runs 2); else NODE_ARGS=(); fi
node --expose-gc benchmarks/js/bench-updates.mjs "$DATA" "${NODE_ARGS[@]}" > "$DATA/node-results.stdout.json"

log "build benchmarks.jar"
mvn -B -ntp -q -DskipTests -Dnode.skip=true package -pl benchmarks -am
JAR="$ROOT/benchmarks/target/benchmarks.jar"

log "check Java outputs against yjs's (size + sha256)"
java -Xmx3g -cp "$JAR" dev.quire.benchmarks.CheckOutputs "$DATA" > "$DATA/java-check.json"

log "JMH"
if $QUICK; then JMH_ARGS=(-p prefix=1000,4000 -wi 1 -i 1 -w 1 -r 1); else JMH_ARGS=(); fi
JMH_JSON="$DATA/jmh.json"
rm -f "$JMH_JSON"
java -jar "$JAR" 'dev\.quire\.benchmarks\.Update(Merge|StateVectorDiff)Benchmark' \
  -p dataDir="$DATA" -foe true "${JMH_ARGS[@]}" -rf json -rff "$JMH_JSON" 2>&1 | tee "$DATA/jmh.log" >&2

echo "- load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$MACHINE"
cp "$DATA/node-results.json" "$RESULTS/$NAME-node.json"
cp "$DATA/java-check.json" "$RESULTS/$NAME-java-check.json"
cp "$JMH_JSON" "$RESULTS/$NAME-jmh.json"
node benchmarks/js/report-updates.mjs "$DATA/node-results.json" "$DATA/java-check.json" "$JMH_JSON" "$MACHINE" > "$RESULTS/$NAME.md"
log "report: benchmarks/results/$NAME.md"
cat "$RESULTS/$NAME.md"
