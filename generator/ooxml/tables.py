"""Table column widths: how a fixed-layout ``w:tbl`` shares the text width among its columns
(the table itself is written by :mod:`generator.ooxml.markup`)."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["apportion", "fit_widths", "split_width"]


def split_width(total: int, columns: int) -> list[int]:
    """``total`` twips in ``columns`` near-equal integer widths that add up exactly."""
    return apportion(total, [1] * columns)


def apportion(total: int, weights: Sequence[int]) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainder; ties go left), so the
    integer parts add up to ``total`` exactly."""
    if not weights:
        return []
    weights = [max(0, x) for x in weights]
    if not any(weights):
        weights = [1] * len(weights)
    whole = sum(weights)
    shares = [divmod(total * w_, whole) for w_ in weights]
    out = [q for q, _ in shares]
    order = sorted(range(len(shares)), key=lambda i: (-shares[i][1], i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def fit_widths(total: int, columns: Sequence[Sequence[str]], *, char: int = 140, padding: int = 216) -> list[int]:
    """Column widths (twips, adding up to ``total``) for cells holding ``columns`` of text.

    Each column first gets room for its longest word, so no word is split across lines
    when that is possible; what is left goes to the columns whose text would still wrap,
    in proportion to how much more they need. ``char`` is an average character width and
    ``padding`` the cell's left plus right margin.
    """
    least = [padding + char * max((len(word) for cell in col for word in cell.split()), default=1)
             for col in columns]
    most = [max(padding + char * max((len(cell) for cell in col), default=1), low)
            for col, low in zip(columns, least, strict=True)]
    if sum(most) <= total:
        return apportion(total, most)
    if sum(least) >= total:
        return apportion(total, least)
    extra = apportion(total - sum(least), [m - low for m, low in zip(most, least, strict=True)])
    return [low + e for low, e in zip(least, extra, strict=True)]
