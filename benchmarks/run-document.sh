#!/usr/bin/env bash
# Java yjs document model (dev.quire.yjs.model.YDoc) vs yjs 13.6.33 on Node, on the automerge-paper trace (issue 3):
#   1. npm ci in benchmarks/js if yjs 13.6.33 (pinned in package-lock.json) is not installed yet
#   2. time yjs (bench-document.mjs): the trace as local edits (one transaction per txn, clientID 1, gc on),
#      encodeStateAsUpdate v1/v2, applying the v1/v2 state to a fresh doc; retained heap; writes the encoded states
#   3. build benchmarks/target/benchmarks.jar (Maven)
#   4. JMH DocumentBenchmark (1 fork); its setup fails unless the Java text and v1/v2 bytes equal yjs's
#   5. DocumentHeap: retained heap of the Java document (MemoryMXBean after System.gc()) and smallest -Xmx;
#      min-heap-document.mjs: smallest --max-old-space-size with which yjs does the same
#   6. print a markdown table and write it to benchmarks/results/document-<date>.md (+ the raw JSON next to it)
#
# Usage: benchmarks/run-document.sh [--quick]   (--quick: few runs/iterations and no smallest-heap bisections, to test the script)
# Needs Java 17+, Maven, Node 18+ and npm. Takes about 6-8 minutes on 2 cores.
set -euo pipefail
source "$(dirname "$0")/bench-common.sh"
bench_init document document-bench "$@"

log "yjs benchmark (bench-document.mjs)"
if $QUICK; then NODE_ARGS=(--runs 2 --warmup 1); else NODE_ARGS=(--runs 7 --warmup 3); fi
node --expose-gc benchmarks/js/bench-document.mjs "$TRACE" "$DATA" "${NODE_ARGS[@]}" > "$DATA/node-document.stdout.json"

log "build benchmarks.jar"
mvn -B -ntp -q -DskipTests -Dnode.skip=true package -pl benchmarks -am
JAR="$ROOT/benchmarks/target/benchmarks.jar"

log "JMH DocumentBenchmark"
if $QUICK; then JMH_ARGS=(-wi 1 -i 2 -w 1 -r 1); else JMH_ARGS=(); fi
JMH_JSON="$DATA/jmh.json"
rm -f "$JMH_JSON"
java -jar "$JAR" 'dev\.quire\.benchmarks\.DocumentBenchmark' \
  -p trace="$TRACE" -p dataDir="$DATA" -foe true "${JMH_ARGS[@]}" -rf json -rff "$JMH_JSON" 2>&1 | tee "$DATA/jmh.log" >&2
grep -m1 '^\[check\]' "$DATA/jmh.log" > "$DATA/check.txt" || { echo "JMH setup check did not pass (see $DATA/jmh.log)" >&2; exit 1; }

log "heap (DocumentHeap)"
if $QUICK; then HEAP_ARGS=(--no-bisect); else HEAP_ARGS=(); fi
java -Xmx1g -cp "$JAR" dev.quire.benchmarks.DocumentHeap "$TRACE" "${HEAP_ARGS[@]}" > "$DATA/heap.json"
rm -f "$DATA/node-min-heap.json"
if ! $QUICK; then
  log "smallest V8 heap for yjs (min-heap-document.mjs)"
  node benchmarks/js/min-heap-document.mjs "$TRACE" "$DATA" "$DATA/node-state-v1.bin" > "$DATA/node-min-heap.json"
fi

echo "- load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$MACHINE"
cp "$DATA/node-document.json" "$RESULTS/$NAME-node.json"
cp "$JMH_JSON" "$RESULTS/$NAME-jmh.json"
cp "$DATA/heap.json" "$RESULTS/$NAME-heap.json"
if [[ -s "$DATA/node-min-heap.json" ]]; then cp "$DATA/node-min-heap.json" "$RESULTS/$NAME-node-min-heap.json"; fi
node benchmarks/js/report-document.mjs "$DATA/node-document.json" "$JMH_JSON" "$DATA/heap.json" "$DATA/check.txt" "$MACHINE" "$DATA/node-min-heap.json" > "$RESULTS/$NAME.md"
log "report: benchmarks/results/$NAME.md"
cat "$RESULTS/$NAME.md"
