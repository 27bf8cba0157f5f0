#!/usr/bin/env bash
# Every test: lint, then pytest (unit, property, end-to-end with real LibreOffice and Chromium),
# then the slow fuzzing and scale tests in a separate, time-bounded step.
#   bash scripts/test.sh            everything
#   bash scripts/test.sh --quick    skip the slow step (extra arguments go to the first pytest)
# Installs LibreOffice (with python3-uno) and Chromium from Debian when missing and we are root.
# In CI (CI=true) an end-to-end test whose tool is missing fails instead of skipping.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
if [ "${1:-}" = "--quick" ]; then quick=1; shift; fi
need=()
command -v soffice >/dev/null || need+=(libreoffice-writer-nogui libreoffice-calc-nogui)
command -v chromium >/dev/null || need+=(chromium)
command -v git >/dev/null || need+=(git)
# LibreOffice's UNO bridge for the system python3: s1sr build --pdf drives LibreOffice through it, and
# the redline test drives Accept/Reject All with it.
command -v pdftotext >/dev/null || need+=(poppler-utils)   # the PDF tests read LibreOffice's PDFs back
/usr/bin/python3 -c "import uno" 2>/dev/null || need+=(python3-uno)   # s1sr build --pdf drives LibreOffice through UNO
# Arial's metric twin, so LibreOffice lays pages out (and numbers the contents) as Word does
fc-list 2>/dev/null | grep -qi "Liberation Sans" || need+=(fonts-liberation)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" fonts-dejavu-core >/dev/null
  else
    echo "test: missing ${need[*]}; end-to-end tests that need them will be skipped" >&2
  fi
fi
bash scripts/setup.sh test
.venv/bin/ruff check generator tests bench tools
.venv/bin/mypy
.venv/bin/python -m pytest -m "not slow" "$@"
[ "$quick" = 1 ] && exit 0
# Set-up for the slow step: wheels for the pre-commit hook's own virtualenv, fetched now so
# that the test itself installs with no network (PIP_NO_INDEX).
.venv/bin/python -m pip download -q -d .wheelhouse . setuptools wheel
export S1SR_WHEELHOUSE="$PWD/.wheelhouse"
rc=0
timeout 2400 .venv/bin/python -m pytest -m slow -q || rc=$?
# 5 = no slow tests collected
[ "$rc" = 0 ] || [ "$rc" = 5 ]
