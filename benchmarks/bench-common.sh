# Set-up shared by the benchmark scripts; sourced, not run. Usage: bench_init <kind> <data-dir-name> "$@"
# Sets ROOT, QUICK, TRACE, DATA, RESULTS, NAME (<kind>-<date>[-quick]) and MACHINE (the machine/command lines of
# the report), defines log, and installs the packages pinned in benchmarks/js (npm ci) when one is not installed at its version.

log() { printf '\n=== %s (%s, load %s)\n' "$*" "$(date -u +%H:%M:%S)" "$(cut -d' ' -f1-3 /proc/loadavg)" >&2; }

bench_init() {
  local kind="$1" data_name="$2" script
  script="benchmarks/$(basename "$0")"
  shift 2
  ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  cd "$ROOT"

  QUICK=false
  if [[ "${1:-}" == "--quick" ]]; then QUICK=true; shift; fi
  if [[ $# -gt 0 ]]; then echo "usage: $script [--quick]" >&2; exit 2; fi

  TRACE="${QUIRE_TRACE:-$ROOT/../shared/data/editing-traces/automerge-paper.json.gz}"
  DATA="$ROOT/benchmarks/target/$data_name"
  RESULTS="$ROOT/benchmarks/results"
  NAME="$kind-$(date -u +%Y-%m-%d)"
  if $QUICK; then NAME="$NAME-quick"; fi
  mkdir -p "$DATA" "$RESULTS"

  MACHINE="$DATA/machine.txt"
  {
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); command: \`$script$($QUICK && echo ' --quick')\`; trace: $(basename "$TRACE")"
    echo "- machine: $(nproc) CPUs (nproc), $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1), $(free -g | awk '/^Mem:/{print $2}') GB RAM, $(uname -sr)"
    echo "- java: $(java -version 2>&1 | head -2 | tr '\n' ' ' | sed 's/ *$//')"
    echo "- node: $(node -v), yjs $(node -p "require('$ROOT/benchmarks/js/package.json').dependencies.yjs")"
    echo "- Java code measured: git $(git rev-parse --short HEAD 2>/dev/null || echo '?')$( [[ -n "$(git status --porcelain -- yjs 2>/dev/null)" ]] && echo ' + uncommitted changes in yjs/' )"
    echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  } > "$MACHINE"
  cat "$MACHINE" >&2

  # npm ci only when a pinned package of benchmarks/js is not installed at its version (the other benchmarks may be
  # using node_modules at the same time)
  if ! node -e "
    const deps = require('$ROOT/benchmarks/js/package.json').dependencies
    for (const [name, pin] of Object.entries(deps)) {
      let v = ''
      try { v = require('$ROOT/benchmarks/js/node_modules/' + name + '/package.json').version } catch (e) {}
      if (v !== pin) process.exit(1)
    }"; then
    log "npm ci (benchmarks/js)"
    (cd benchmarks/js && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
