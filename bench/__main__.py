"""``python -m bench``: the one-command benchmark (see bench/README.md)."""

from bench.run import main

raise SystemExit(main())
