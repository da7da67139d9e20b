#!/usr/bin/env bash
# Java yjs port vs yjs 13.6.33 on Node, on the automerge-paper trace, in one run:
#   1. npm ci in benchmarks/js (yjs pinned in package-lock.json)
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
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

QUICK=false
if [[ "${1:-}" == "--quick" ]]; then QUICK=true; shift; fi
if [[ $# -gt 0 ]]; then echo "usage: $0 [--quick]" >&2; exit 2; fi

TRACE="${QUIRE_TRACE:-$ROOT/../shared/data/editing-traces/automerge-paper.json.gz}"
DATA="$ROOT/benchmarks/target/updates-trace"
RESULTS="$ROOT/benchmarks/results"
DATE="$(date -u +%Y-%m-%d)"
NAME="updates-$DATE"
if $QUICK; then NAME="$NAME-quick"; fi
mkdir -p "$DATA" "$RESULTS"

log() { printf '\n=== %s (%s, load %s)\n' "$*" "$(date -u +%H:%M:%S)" "$(cut -d' ' -f1-3 /proc/loadavg)" >&2; }

MACHINE="$DATA/machine.txt"
{
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); command: \`benchmarks/run-updates.sh$($QUICK && echo ' --quick')\`"
  echo "- machine: $(nproc) CPUs (nproc), $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1), $(free -g | awk '/^Mem:/{print $2}') GB RAM, $(uname -sr)"
  echo "- java: $(java -version 2>&1 | head -2 | tr '\n' ' ' | sed 's/ *$//')"
  echo "- node: $(node -v), yjs $(node -p "require('$ROOT/benchmarks/js/package.json').dependencies.yjs")"
  echo "- Java code measured: git $(git rev-parse --short HEAD 2>/dev/null || echo '?')$( [[ -n "$(git status --porcelain -- yjs 2>/dev/null)" ]] && echo ' + uncommitted changes in yjs/' )"
  echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$MACHINE"
cat "$MACHINE" >&2

log "npm ci (benchmarks/js)"
(cd benchmarks/js && npm ci --no-audit --no-fund --loglevel=error)

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
