"""The JSON Schemas of the content files, shipped as package data (``generator/data/schema``).

Editors use them for completion and red squiggles while a drafter types; ``s1sr schema``
writes them out so that an editor setting can point at a file.
"""

from __future__ import annotations

import os
from importlib import resources

__all__ = ["SCHEMAS", "schema_bytes", "schema_paths", "write_schemas"]

# schema name → the content file it describes (for messages and docs).
SCHEMAS: dict[str, str] = {
    "document": "content/document.yaml",
    "section": "content/sections/*.yaml",
    "devices": "content/devices.yaml",
    "changes": "content/changes.yaml",
    "letter": "content/letters/*.yaml",
    "consultation": "content/consultations/*/consultation.yaml",
    "response": "content/consultations/*/responses/*.yaml",
}


def _dir() -> resources.abc.Traversable:
    return resources.files("generator").joinpath("data", "schema")


def schema_bytes(name: str) -> bytes:
    """The bytes of ``<name>.schema.json``."""
    if name not in SCHEMAS:
        raise KeyError(name)
    return _dir().joinpath(f"{name}.schema.json").read_bytes()


def schema_paths() -> list[str]:
    """Where the installed schemas are (an editor can point at these, until s1sr is upgraded)."""
    return [str(_dir().joinpath(f"{name}.schema.json")) for name in SCHEMAS]


def write_schemas(out: str, *, force: bool = False) -> list[str]:
    """Write every schema into ``out`` (created if needed); returns the paths written.

    ``out`` must be new, empty or hold only these schemas (``force`` accepts other files beside
    them, which are left as they are)."""
    from generator.app import outputs

    names = [f"{name}.schema.json" for name in SCHEMAS]
    outputs.claim(out, force=force, names=names)
    with outputs.locked([out]):
        os.makedirs(out, exist_ok=True)
        written = []
        for name, file in zip(SCHEMAS, names, strict=True):
            path = os.path.join(out, file)
            outputs.replace_file(path, schema_bytes(name))
            written.append(path)
    return written
