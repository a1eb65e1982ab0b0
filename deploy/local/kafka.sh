#!/usr/bin/env bash
# Single-node Apache Kafka (KRaft) from the official jars on Maven Central, for machines without Docker.
#
#   deploy/local/kafka.sh fetch     download the jars (deploy/local/pom.xml) into $KAFKA_HOME/libs
#   deploy/local/kafka.sh start     fetch if needed, format storage on first start, start, wait until ready
#   deploy/local/kafka.sh stop      SIGTERM the broker's own PID (then SIGKILL after a bounded wait)
#   deploy/local/kafka.sh status    print running/stopped (exit 0 when running, 3 when stopped)
#   deploy/local/kafka.sh reset     stop and delete the data folder (next start formats anew)
#   deploy/local/kafka.sh kill9     SIGKILL the broker (fault tests only)
#   deploy/local/kafka.sh pause|resume  SIGSTOP / SIGCONT the broker (fault tests only)
#
# Environment: KAFKA_PORT (9092), KAFKA_HOME (default <repo>/.kafka, git-ignored; <repo>/.kafka-<port> for another
# KAFKA_PORT, so a second broker never shares the first one's folder, pid file or data), KAFKA_CONTROLLER_PORT (9093;
# KAFKA_PORT+1 for another KAFKA_PORT), KAFKA_HEAP (512m), KAFKA_READY_TIMEOUT seconds (90).
# `KAFKA_PORT=9192 deploy/local/kafka.sh status|stop` acts on the broker that `KAFKA_PORT=9192 ... start` started.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
PORT="${KAFKA_PORT:-9092}"
if [ "$PORT" = 9092 ]; then
  K="${KAFKA_HOME:-$repo/.kafka}"
  CPORT="${KAFKA_CONTROLLER_PORT:-9093}"
else
  K="${KAFKA_HOME:-$repo/.kafka-$PORT}"
  CPORT="${KAFKA_CONTROLLER_PORT:-$((PORT + 1))}"
fi
HEAP="${KAFKA_HEAP:-512m}"
READY_TIMEOUT="${KAFKA_READY_TIMEOUT:-90}"
PIDFILE="$K/broker.pid"
LOG4J="-Dlog4j2.configurationFile=$K/log4j2.properties"

log() { printf '[kafka] %s\n' "$*" >&2; }

need() {
  command -v "$1" >/dev/null 2>&1 || { log "missing '$1' on PATH: $2"; exit 1; }
}

fetch() {
  if [ -f "$K/libs/.complete" ]; then return 0; fi
  need java "install a Java 17+ runtime"
  need mvn "install Apache Maven (it downloads the Kafka jars from Maven Central)"
  mkdir -p "$K/libs"
  log "downloading Apache Kafka jars from Maven Central (first run only)..."
  mvn -B -q -f "$here/pom.xml" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$K/libs"
  local n
  n=$(find "$K/libs" -maxdepth 1 -name 'kafka_2.13-*.jar' | wc -l)
  [ "$n" -ge 1 ] || { log "kafka_2.13 jar not found after download"; exit 1; }
  touch "$K/libs/.complete"
  log "jars ready: $(find "$K/libs" -name '*.jar' | wc -l) files"
}

write_config() {
  mkdir -p "$K/data" "$K/logs"
  cat >"$K/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CPORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CPORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$K/data
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=3
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.partitions=3
auto.create.topics.enable=false
delete.topic.enable=true
num.network.threads=2
num.io.threads=4
log.segment.bytes=268435456
log.retention.hours=168
EOF
  cat >"$K/log4j2.properties" <<'EOF'
status = warn
appender.out.type = Console
appender.out.name = OUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = warn
rootLogger.appenderRef.out.ref = OUT
logger.srv.name = kafka.server
logger.srv.level = info
EOF
}

pid_alive() {
  [ -f "$PIDFILE" ] || return 1
  local pid
  pid=$(cat "$PIDFILE")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

ready() {
  # The broker answers metadata requests once the PLAINTEXT listener is bound and KRaft has a leader;
  # the "Kafka Server started" line is logged exactly then.
  port_open "$PORT" && grep -q "Kafka Server started" "$K/broker.log" 2>/dev/null
}

start() {
  if pid_alive; then log "already running (pid $(cat "$PIDFILE")) on 127.0.0.1:$PORT"; return 0; fi
  if port_open "$PORT"; then log "port $PORT is taken by another process; set KAFKA_PORT"; exit 1; fi
  fetch
  write_config
  local cp="$K/libs/*"
  if [ ! -f "$K/data/meta.properties" ]; then
    local cid
    cid=$(java $LOG4J -cp "$cp" kafka.tools.StorageTool random-uuid)
    java $LOG4J -cp "$cp" kafka.tools.StorageTool format -t "$cid" -c "$K/server.properties" >"$K/format.log" 2>&1 \
      || { cat "$K/format.log" >&2; exit 1; }
    log "formatted KRaft storage (cluster $cid)"
  fi
  : >"$K/broker.log"
  # setsid: the broker gets its own session, so it survives the shell that started it and never
  # receives signals meant for a test runner's process group.
  setsid nohup java -Xms"$HEAP" -Xmx"$HEAP" -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 \
    -Djava.awt.headless=true $LOG4J -Dkafka.logs.dir="$K/logs" \
    -cp "$cp" kafka.Kafka "$K/server.properties" >>"$K/broker.log" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  local t=0
  until ready; do
    if ! pid_alive; then log "broker exited during start-up; last log lines:"; tail -n 40 "$K/broker.log" >&2; rm -f "$PIDFILE"; exit 1; fi
    t=$((t + 1))
    if [ "$t" -gt $((READY_TIMEOUT * 2)) ]; then log "not ready after ${READY_TIMEOUT}s"; tail -n 40 "$K/broker.log" >&2; stop; exit 1; fi
    sleep 0.5
  done
  log "ready on 127.0.0.1:$PORT (pid $(cat "$PIDFILE"), Kafka $(ls "$K"/libs/kafka_2.13-*.jar | sed -E 's/.*kafka_2.13-(.*)\.jar/\1/'))"
}

stop() {
  if ! pid_alive; then rm -f "$PIDFILE"; log "not running"; return 0; fi
  local pid
  pid=$(cat "$PIDFILE")
  kill -CONT "$pid" 2>/dev/null || true
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then log "controlled shutdown timed out; SIGKILL $pid"; kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$PIDFILE"
  log "stopped (pid $pid)"
}

status() {
  if pid_alive && ready; then echo "running pid=$(cat "$PIDFILE") bootstrap=127.0.0.1:$PORT"; return 0; fi
  if pid_alive; then echo "starting pid=$(cat "$PIDFILE")"; return 0; fi
  echo "stopped"; return 3
}

signal() {
  pid_alive || { log "not running"; exit 1; }
  kill "-$1" "$(cat "$PIDFILE")"
}

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) status ;;
  reset) stop; rm -rf "$K/data"; log "data removed" ;;
  kill9) signal KILL; rm -f "$PIDFILE" ;;
  pause) signal STOP ;;
  resume) signal CONT ;;
  *) echo "usage: $0 {fetch|start|stop|restart|status|reset|kill9|pause|resume}" >&2; exit 2 ;;
esac
