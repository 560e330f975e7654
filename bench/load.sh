#!/usr/bin/env bash
# Whole-server load test: starts the real jar on 127.0.0.1 (SQLite, then PostgreSQL), drives signed
# Twilio webhooks with multilingual bodies at fixed rates (open model), then /healthz as the ceiling.
# Usage: bash bench/load.sh [rates...]   (default: 250 500 1000 2000). Results: target/load-results.txt
set -euo pipefail
cd "$(dirname "$0")/.."
RATES=("${@:-250 500 1000 2000}")
[ $# -eq 0 ] && RATES=(250 500 1000 2000)
mvn -q -B package -DskipTests
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
CP="target/test-classes:target/classes:$(cat target/cp.txt)"
TOKEN=load-test-token-0123456789abcdef
PORT=18089
OUT=target/load-results.txt
: > "$OUT"
run_one() {
  local label=$1 dburl=$2
  local data; data=$(mktemp -d)
  WELCOMELINE_HTTP_PORT=$PORT WELCOMELINE_HOST=127.0.0.1 WELCOMELINE_DATA_DIR="$data" \
  WELCOMELINE_DATABASE_URL="$dburl" TWILIO_AUTH_TOKEN=$TOKEN WELCOMELINE_PUBLIC_URL=http://127.0.0.1:$PORT \
  WELCOMELINE_SMS_RATE_PER_MINUTE=100000 \
    java -Xmx512m -jar target/welcomeline.jar > "$data/server.log" 2>&1 &
  local pid=$!
  local t0; t0=$(date +%s%N)
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
    sleep 0.25
  done
  local ready_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  echo "$label ready_in_ms=$ready_ms rss_at_ready=$(awk '/VmRSS/{print int($2/1024)"MiB"}' /proc/$pid/status)" | tee -a "$OUT"
  java -cp "$CP" org.welcomeline.bench.LoadHarness "http://127.0.0.1:$PORT" "$pid" "$TOKEN" \
    "http://127.0.0.1:$PORT" "$label" "${RATES[@]}" 2>/dev/null | tee -a "$OUT"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$data"
}
run_one sqlite ""
if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  schema="wl_load_$(date +%s)"
  psql -h 127.0.0.1 -U postgres -d test -qc "CREATE SCHEMA $schema" >/dev/null
  run_one postgres "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=$schema"
  psql -h 127.0.0.1 -U postgres -d test -qc "DROP SCHEMA $schema CASCADE" >/dev/null
fi
echo "results in $OUT"
