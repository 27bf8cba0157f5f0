"""Exceptions the CLI turns into messages. Bad *content* is a Diagnostic, not one of these."""

from __future__ import annotations


class S1SRError(Exception):
    """Base: a failure the user can act on; ``str()`` is the sentence to print."""

    exit_code = 2


class UsageError(S1SRError):
    """The command line asks for something that cannot be done (unknown release, bad path)."""


class SourceError(S1SRError):
    """The source has errors, so the command refused to write anything."""

    exit_code = 1


class WriteError(S1SRError):
    """An output could not be written; earlier outputs are untouched."""
