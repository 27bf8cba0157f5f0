"""``python -m generator`` is the ``s1sr`` command."""

from generator.cli import entrypoint

if __name__ == "__main__":
    entrypoint()
