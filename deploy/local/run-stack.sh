#!/usr/bin/env bash
# Runs the whole system on a machine without Docker: the local Kafka broker (deploy/local/kafka.sh), the
# machine's Postgres and Redis, and the four services from source. Ctrl-C stops the services and the
# broker if this script started it. Logs: .run/<service>.log.
#   npm start                       # all services
#   SERVICES="intake-service statistics-service" npm start
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"

export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:9092}"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/onestop}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
export JWT_SECRET="${JWT_SECRET:-dev-only-secret-change-me-0123456789}"
SERVICES="${SERVICES:-intake-service processing-service result-service statistics-service dashboard}"
declare -A PORT=([intake-service]=3001 [processing-service]=3002 [result-service]=3003 [statistics-service]=3004 [dashboard]=3005)
declare -A READY=([dashboard]=/)

mkdir -p .run
started_kafka=0
stopping=0
pids=()
cleanup() {
  stopping=1
  trap - INT TERM EXIT
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ "$started_kafka" = 1 ]; then bash "$here/kafka.sh" stop; fi
  echo "[stack] stopped"
}
trap cleanup INT TERM EXIT

command -v psql >/dev/null && pg_isready -h 127.0.0.1 -p 5432 >/dev/null 2>&1 || { echo "[stack] Postgres is not reachable on 127.0.0.1:5432" >&2; exit 1; }
(exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null || { echo "[stack] Redis is not reachable on 127.0.0.1:6379" >&2; exit 1; }
db="${DATABASE_URL##*/}"
psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='${db}'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE \"${db}\"" >/dev/null

if ! bash "$here/kafka.sh" status >/dev/null 2>&1; then
  bash "$here/kafka.sh" start
  started_kafka=1
fi

declare -A NAME=()
for s in $SERVICES; do
  [ -f "apps/$s/src/main.ts" ] || { echo "[stack] skipping $s (not present)"; continue; }
  HTTP_PORT="${PORT[$s]}" DASHBOARD_PORT="${PORT[$s]}" node -r ./tools/ts-register.cjs "apps/$s/src/main.ts" >".run/$s.log" 2>&1 &
  pids+=($!)
  NAME[$!]="$s"
  echo "[stack] $s starting on http://127.0.0.1:${PORT[$s]} (pid $!, log .run/$s.log)"
done

for s in $SERVICES; do
  [ -f "apps/$s/src/main.ts" ] || continue
  for _ in $(seq 120); do
    curl -fsS "http://127.0.0.1:${PORT[$s]}${READY[$s]:-/health/live}" >/dev/null 2>&1 && { echo "[stack] $s ready: http://127.0.0.1:${PORT[$s]}${READY[$s]:-/docs}"; break; }
    sleep 0.5
  done
done
echo "[stack] running; Ctrl-C to stop"
# A service that exits (stopped on purpose, e.g. for a statistics rebuild, or crashed) does not take the others
# down: the stack keeps running and says how to start that service again; it ends when none is left or on Ctrl-C.
while [ "${#pids[@]}" -gt 0 ] && [ "$stopping" = 0 ]; do
  done_pid=""
  code=0
  wait -n -p done_pid "${pids[@]}" 2>/dev/null || code=$?
  # Ctrl-C reaches the services too: one may end (130) before the trap runs; the trap then stops the rest
  if [ "$stopping" = 1 ] || [ "$code" = 130 ]; then break; fi
  # Several services may end at once (one `kill` of many pids): bash reaps them together, so look at every pid,
  # not only the one `wait` named, and report each that is gone with its restart hint.
  left=()
  for p in "${pids[@]}"; do
    if kill -0 "$p" 2>/dev/null; then left+=("$p"); continue; fi
    s="${NAME[$p]:-?}"
    if [ "$p" = "${done_pid:-}" ]; then status="status $code"; else status="ended with the others"; fi
    echo "[stack] $s exited ($status; log .run/$s.log)." >&2
    echo "[stack]   start it again in another terminal: SERVICES=$s npm start" >&2
  done
  if [ "${#left[@]}" -eq "${#pids[@]}" ]; then sleep 0.2; continue; fi # nothing ended yet: wait again
  pids=("${left[@]}")
  if [ "${#pids[@]}" -gt 0 ]; then echo "[stack] the others keep running." >&2; else echo "[stack] no service left; stopping." >&2; fi
done
