#!/usr/bin/env bash
# The main job on the example content: every document into build/, the S1SR site into site/ and
# the user guide into site-guide/,
# then the check of the source and of what was written (read back, not trusted).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/s1sr build --content content --out build
.venv/bin/s1sr check --content content --built build
