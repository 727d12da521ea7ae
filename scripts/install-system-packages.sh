#!/usr/bin/env bash
# Installs the Debian packages Leerstroom needs when they are missing. Usage: $0 run|test
set -euo pipefail

profile=${1:-run}
missing=()

need_command() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }
need_package() { dpkg -s "$1" >/dev/null 2>&1 || missing+=("$1"); }

need_command ffmpeg ffmpeg
need_command ffprobe ffmpeg
need_command msgfmt gettext
# The RTMP ingest for live webinars (decision 17): nginx with Debian's RTMP module.
need_package nginx
need_package libnginx-mod-rtmp
need_package fonts-dejavu-core
# WeasyPrint renders certificates, so the site needs these too, not just the tests.
for package in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0; do
  need_package "$package"
done
if [ "$profile" = "test" ]; then
  need_command chromium chromium
  need_command pdftoppm poppler-utils
fi

[ ${#missing[@]} -eq 0 ] && exit 0
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)

if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi

echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
