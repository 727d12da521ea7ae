#!/usr/bin/env bash
# Starts a Celery worker and the web server; stopping the server (Ctrl+C) stops both.
set -euo pipefail
cd "$(dirname "$0")/.."

HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
mkdir -p var/celery/queue var/celery/processed var/log

# One process runs the jobs and, with --beat, the schedule (e.g. re-queueing stalled videos).
.venv/bin/celery -A lms worker --beat --schedule=var/celery/beat-schedule --loglevel=INFO \
  --concurrency=1 --queues=celery,transcode --hostname="leerstroom@%h" >var/log/worker.log 2>&1 &
worker=$!
# The RTMP ingest (nginx, calling this server back on loopback) and the live encoders.
RTMP_PORT=${LIVE_RTMP_PORT:-1935}
LIVE_CALLBACK_URL="http://127.0.0.1:${PORT}" .venv/bin/python manage.py live_ingest \
  --port="$RTMP_PORT" >var/log/ingest.log 2>&1 &
ingest=$!
.venv/bin/python manage.py live_encoders >var/log/live-encoders.log 2>&1 &
encoders=$!
trap 'kill "$worker" "$ingest" "$encoders" 2>/dev/null || true; wait 2>/dev/null || true' EXIT INT TERM

.venv/bin/python manage.py seed_demo
cat <<BANNER

  Leerstroom runs at http://${HOST}:${PORT}/
  Editors: http://${HOST}:${PORT}/admin/   ·   Worker log: var/log/worker.log
  Live webinars: publish to rtmp://localhost:${RTMP_PORT}/live with a session's stream key
  Passkeys need a host name: use http://localhost:${PORT}/ to try them.

BANNER
.venv/bin/python manage.py runserver "${HOST}:${PORT}"
