#!/usr/bin/env bash
# Validates docker-compose.yml without a Docker engine (none runs on the project's machines): Debian's
# docker-compose (installed here with --no-install-recommends when missing) parses and resolves the file, then:
# every long-running service has a health check, and every QUIRE_* variable the file sets is a documented setting
# of README.md. Run by ./test.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v docker-compose >/dev/null; then
  echo "check-compose: installing Debian's docker-compose (--no-install-recommends)"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends docker-compose; } >/tmp/quire-apt-compose.log 2>&1 ||
    { tail -n 20 /tmp/quire-apt-compose.log >&2; echo "check-compose: cannot install docker-compose" >&2; exit 1; }
fi

resolved="$(docker-compose -f docker-compose.yml config)"

fail=0
for service in $(docker-compose -f docker-compose.yml config --services); do
  case "$service" in certs|migrations) continue ;; esac # one-shot services
  block="$(awk -v s="  $service:" '$0 == s {on=1; next} on && /^  [a-z]/ {on=0} on' <<<"$resolved")"
  if ! grep -q '^    healthcheck:' <<<"$block"; then
    echo "check-compose: service $service has no healthcheck" >&2
    fail=1
  fi
done

for var in $(grep -o 'QUIRE_[A-Z0-9][A-Z0-9_]*' docker-compose.yml | sort -u); do
  if ! grep -q "\`$var\`" README.md; then
    echo "check-compose: $var is set in docker-compose.yml but not documented in README.md's configuration table" >&2
    fail=1
  fi
done

[[ $fail == 0 ]] || exit 1
echo "check-compose: docker-compose.yml resolves ($(docker-compose -f docker-compose.yml config --services | wc -l) services), health checks and settings OK"
