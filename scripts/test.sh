#!/usr/bin/env bash
# Every test: lint, then pytest (unit, property, end-to-end with real LibreOffice and Chromium).
# Installs LibreOffice and Chromium from Debian when missing and we are root.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v soffice >/dev/null || need+=(libreoffice-writer-nogui libreoffice-calc-nogui)
command -v chromium >/dev/null || need+=(chromium)
command -v git >/dev/null || need+=(git)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" fonts-dejavu-core >/dev/null
  else
    echo "test: missing ${need[*]}; end-to-end tests will be skipped" >&2
  fi
fi
bash scripts/setup.sh test
.venv/bin/ruff check generator tests bench tools
.venv/bin/python -m pytest -m "not slow" "$@"
