#!/usr/bin/env bash
# Extracts the translatable strings of the project into locale/nl (Dutch) for translation.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python manage.py makemessages -l nl --no-location --no-obsolete \
  --ignore=.venv --ignore=.tools --ignore=frontend/node_modules --ignore=tests --ignore=bench --ignore=scripts
