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
trap 'kill "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true' EXIT INT TERM

.venv/bin/python manage.py seed_demo
cat <<BANNER

  Leerstroom runs at http://${HOST}:${PORT}/
  Editors: http://${HOST}:${PORT}/admin/   ·   Worker log: var/log/worker.log
  Passkeys need a host name: use http://localhost:${PORT}/ to try them.

BANNER
.venv/bin/python manage.py runserver "${HOST}:${PORT}"
