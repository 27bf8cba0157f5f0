"""Orchestration: the commands (check, build, release, verify, diff, import, init, schema).

This layer alone puts readers, passes and writers together. It reads the source once per
command and hands the resolved Project down; the CLI and the MkDocs plugin sit on top of it.
Writers and readers of Office files are imported only inside the functions that use them, so
``s1sr check`` stays light.
"""
