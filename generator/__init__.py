"""s1sr: one clause source for the S1SR text, the DMVESM matrix, redlines and the change letter.

Importing the package is cheap: no writer, reader of Office files or mkdocs is loaded.
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__"]
