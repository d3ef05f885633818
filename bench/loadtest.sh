#!/usr/bin/env bash
# 50 people across the three journeys for 5 minutes against gunicorn on loopback.
# Run through `make loadtest` (the county database must exist: `make county`).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${LOADTEST_PORT:-8001}
mkdir -p bench/results
.venv/bin/python -m bench run_benchmarks --prepare-only
DEBUG=false .venv/bin/gunicorn config.wsgi:application --bind "127.0.0.1:${PORT}" --preload \
  --workers "${GUNICORN_WORKERS:-4}" --log-level warning &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  curl -fsS "http://127.0.0.1:${PORT}/health/" >/dev/null 2>&1 && break
  sleep 0.2
done
.venv/bin/locust -f bench/locustfile.py --headless --users "${USERS:-50}" --spawn-rate 5 \
  --run-time "${DURATION:-5m}" --host "http://127.0.0.1:${PORT}" \
  --csv bench/results/load --only-summary --stop-timeout 10
