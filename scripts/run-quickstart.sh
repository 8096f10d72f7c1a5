#!/usr/bin/env bash
# Runs the quickstart: Redis (started here unless one already answers), a receiver and the gateway.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-6379}"
run_dir=".tmp/run"
mkdir -p "$run_dir"
pids=()

cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

# The quickstart manifests name these ports, so they must be free: 8080 ingest, 9090 management, 9000 receiver.
for needed in 8080 9090 9000; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$needed") 2>/dev/null; then
    echo "Port $needed on 127.0.0.1 is already in use; make run needs 8080 (ingest), 9090 (management) and 9000 (receiver)." >&2
    echo "Stop the process listening there (see: ss -ltnp 'sport = :$needed') and run make run again." >&2
    exit 1
  fi
done

if redis-cli -p "$port" ping >/dev/null 2>&1; then
  echo "Using the Redis server already answering on 127.0.0.1:$port"
else
  echo "Starting redis-server on 127.0.0.1:$port (data in $run_dir, append-only file on)"
  redis-server --port "$port" --bind 127.0.0.1 --dir "$run_dir" --appendonly yes --save "" >"$run_dir/redis.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 50); do
    redis-cli -p "$port" ping >/dev/null 2>&1 && break
    sleep 0.1
  done
fi

secret=$(sed -n 's/^  secret: \(whsec_.*\)$/\1/p' examples/quickstart/secrets.yaml)
./bin/fasthook receive --port 9000 --secret "$secret" &
pids+=($!)

./bin/fasthook gateway --manifests examples/quickstart --redis "redis://127.0.0.1:$port" --urls http://127.0.0.1:8080 &
pids+=($!)

ready=0
for _ in $(seq 1 300); do
  if curl -fsS http://127.0.0.1:9090/readyz >/dev/null 2>&1 && (exec 3<>/dev/tcp/127.0.0.1/9000) 2>/dev/null; then
    ready=1
    break
  fi
  sleep 0.1
done

if (( ready == 0 )); then
  echo "The gateway or the receiver did not start within 30 seconds; see the messages above." >&2
  exit 1
fi

cat <<'TEXT'

FastHook is running.
  ingest URL:  http://127.0.0.1:8080/e/default/github
  metrics:     http://127.0.0.1:9090/metrics
  admin API:   http://127.0.0.1:9090/api/v1/connections

Send a request signed the way GitHub signs (secret "quickstart-github-secret"):

  ./bin/fasthook send --url http://127.0.0.1:8080/e/default/github --provider github \
    --secret quickstart-github-secret --header "X-GitHub-Event: pull_request" --data '{"action":"opened","number":1}'

The receiver prints the delivery below. Then try: ./bin/fasthook events --connection default/github-to-receiver
Press Ctrl+C to stop.

TEXT
wait -n "${pids[@]}"
