"""Passes: Project → (Project, [Diagnostic]). No I/O, no third-party libraries."""
