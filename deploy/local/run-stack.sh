#!/usr/bin/env bash
# Runs the whole system on a machine without Docker: the local Kafka broker (deploy/local/kafka.sh), the
# machine's Postgres and Redis, and the four services from source. Ctrl-C stops the services and the
# broker if this script started it. Logs: .run/<service>.log.
#   npm start                       # all services
#   SERVICES="intake-service statistics-service" npm start
#   STACK_PORT_BASE=4001 KAFKA_PORT=9192 npm start   # another stack beside the default one: ports 4001–4005, broker
#                                                    # on 9192 (controller KAFKA_PORT+1, jars and data in .kafka-9192/)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"

# The local broker's port: KAFKA_PORT, else the port of a loopback KAFKA_BROKERS, else 9092; KAFKA_BROKERS follows it.
if [ -z "${KAFKA_PORT:-}" ] && [[ "${KAFKA_BROKERS:-}" =~ ^(127\.0\.0\.1|localhost):([0-9]+)$ ]]; then KAFKA_PORT="${BASH_REMATCH[2]}"; fi
# (kafka.sh gives a broker on another port its own folder .kafka-<port> and controller port <port>+1)
export KAFKA_PORT="${KAFKA_PORT:-9092}"
export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:$KAFKA_PORT}"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/onestop}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
export JWT_SECRET="${JWT_SECRET:-dev-only-secret-change-me-0123456789}"
SERVICES="${SERVICES:-intake-service processing-service result-service statistics-service dashboard}"
base="${STACK_PORT_BASE:-3001}"
[[ "$base" =~ ^[0-9]+$ ]] && [ "$base" -ge 1024 ] && [ "$base" -le 65530 ] || { echo "[stack] STACK_PORT_BASE must be a port number (1024–65530), not '$base'" >&2; exit 1; }
declare -A PORT=([intake-service]=$base [processing-service]=$((base + 1)) [result-service]=$((base + 2)) [statistics-service]=$((base + 3)) [dashboard]=$((base + 4)))
export STATISTICS_URL="${STATISTICS_URL:-http://127.0.0.1:$((base + 3))}"
# a second stack keeps its logs apart, and its restart hint names its settings
logs=".run"
again=""
if [ "$base" != 3001 ]; then logs=".run-$base"; again="STACK_PORT_BASE=$base "; fi
if [ "$KAFKA_PORT" != 9092 ]; then again="${again}KAFKA_PORT=$KAFKA_PORT "; fi
# every setting the services got that is not the default goes into the hint: a restart must not land on the default
# database or Redis (another stack's)
if [ -n "${KAFKA_HOME:-}" ]; then again="${again}KAFKA_HOME=$KAFKA_HOME "; fi
if [ "$DATABASE_URL" != "postgres://postgres@127.0.0.1:5432/onestop" ]; then again="${again}DATABASE_URL=$DATABASE_URL "; fi
if [ "$REDIS_URL" != "redis://127.0.0.1:6379" ]; then again="${again}REDIS_URL=$REDIS_URL "; fi
if [ "$JWT_SECRET" != "dev-only-secret-change-me-0123456789" ]; then again="${again}JWT_SECRET=<the same> "; fi
declare -A READY=([dashboard]=/)

mkdir -p "$logs"
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
  HTTP_PORT="${PORT[$s]}" DASHBOARD_PORT="${PORT[$s]}" node -r ./tools/ts-register.cjs "apps/$s/src/main.ts" >>"$logs/$s.log" 2>&1 &
  pids+=($!)
  NAME[$!]="$s"
  echo "[stack] $s starting on http://127.0.0.1:${PORT[$s]} (pid $!, log $logs/$s.log)"
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
    echo "[stack] $s exited ($status; log $logs/$s.log)." >&2
    echo "[stack]   start it again in another terminal: ${again}SERVICES=$s npm start" >&2
  done
  if [ "${#left[@]}" -eq "${#pids[@]}" ]; then sleep 0.2; continue; fi # nothing ended yet: wait again
  pids=("${left[@]}")
  if [ "${#pids[@]}" -gt 0 ]; then echo "[stack] the others keep running." >&2; else echo "[stack] no service left; stopping." >&2; fi
done
