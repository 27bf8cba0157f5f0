#!/usr/bin/env bash
# The benchmark in one command: set up (once), then measure offline.
#   bash bench/run.sh                          # 1× and 10×, every stage and baseline
#   bash bench/run.sh --scales 1 --runs 3      # arguments go to `python -m bench`
# Setup may use the network: .venv with the bench extra (pyinstrument), and StrictDoc, a
# baseline, in its own venv under bench/out (never in .venv). If StrictDoc cannot be installed
# the table says "not available" and everything else runs. The measurement itself is offline.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh bench
sd=bench/out/strictdoc-venv
if [ ! -x "$sd/bin/strictdoc" ] && [ -z "${BENCH_NO_STRICTDOC:-}" ]; then
  mkdir -p bench/out
  echo "bench: installing StrictDoc into $sd (a baseline; failure is fine) …" >&2
  if ! { "${PYTHON:-python3}" -m venv "$sd" && timeout 600 "$sd/bin/python" -m pip install -q strictdoc; } \
      >bench/out/strictdoc-install.log 2>&1; then
    echo "bench: StrictDoc did not install (see bench/out/strictdoc-install.log); its row will say why" >&2
    rm -rf "$sd"
  fi
fi
exec .venv/bin/python -m bench "$@"
