"""The numbering scheme a Word S1SR follows, inferred from the numbers it shows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from generator.model import NumberingLevel, NumberingScheme, counters
from generator.model.document import S1SR_SCHEME, default_annex_levels
from generator.model.external import Paragraph
from generator.passes.numbering import reference_pattern

Ordinal = tuple[int, int]


DEFAULT_SCHEME = S1SR_SCHEME


# -- the numbering scheme ------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Matchers:
    full: list[re.Pattern[str]]  # per level: a full reference (18.5p)
    label: list[re.Pattern[str] | None]  # per level: a label relative to its parent ((p)), if not {ref}


def _matchers(scheme: NumberingScheme) -> _Matchers:
    full = [re.compile(rx.pattern + r"\.?") for rx in reference_pattern(scheme)]
    labels: list[re.Pattern[str] | None] = []
    for lv in scheme.levels:
        if "{ref}" in lv.label or "{parent}" in lv.label or "{n}" not in lv.label:
            labels.append(None)
            continue
        tok = f"({counters.pattern(lv.style, lv.insert)})"
        pieces = re.split(r"(\{n\})", lv.label)
        labels.append(re.compile("".join(tok if p == "{n}" else re.escape(p) for p in pieces) + r"\.?"))
    return _Matchers(full=full, label=labels)


def _ordinals(scheme: NumberingScheme, tokens: Sequence[str]) -> tuple[Ordinal, ...] | None:
    out: list[Ordinal] = []
    for lv, tok in zip(scheme.levels, tokens, strict=False):
        o = counters.split_token(tok, lv.style, lv.insert)
        if o is None:
            return None
        out.append(o)
    return tuple(out)


def _ref(scheme: NumberingScheme, level: int, parent: str, token: str) -> str:
    return scheme.levels[level - 1].ref.replace("{parent}", parent).replace("{n}", token)


_ROMAN_ONLY = re.compile(r"^(?=[ivxlcdm]{2,})m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")


# A displayed label: decimal levels with a letter and a roman level joined (18.5p(i)), or bracketed.
_DECIMAL_LABEL = re.compile(r"(\d+[A-Z]{0,2}(?:\.\d+[A-Z]{0,2})*)([a-z]+)?(?:\(([ivxlcdm]+)[a-z]?\))?")
_BRACKETED_LABEL = re.compile(r"\(([A-Za-z]+|\d+)\)")


def infer_scheme(paragraphs: Sequence[Paragraph]) -> NumberingScheme:
    """The scheme a document's displayed numbers follow: decimal levels (18, 18.5) then the
    bracketed levels in the order they nest ((p), (i)); the S1SR scheme when nothing says otherwise."""
    depth = 0
    relative: list[str] = []  # counter styles of bracketed labels, in order of first appearance
    # Each distinct label once, in order of first appearance (all that the loop depends on).
    for lab in dict.fromkeys(p.label.rstrip(".") for p in paragraphs):
        if not lab:
            continue
        m = _DECIMAL_LABEL.fullmatch(lab)
        if m:
            depth = max(depth, m.group(1).count(".") + 1)
            if m.group(2):
                _note(relative, "lower-alpha")
            if m.group(3):
                _note(relative, "lower-roman")
            continue
        m = _BRACKETED_LABEL.fullmatch(lab)
        if not m:
            continue
        tok = m.group(1)
        if tok.isdigit():
            _note(relative, "decimal")
        elif tok.isupper():
            _note(relative, "upper-roman" if _ROMAN_ONLY.match(tok.lower()) else "upper-alpha")
        elif _ROMAN_ONLY.match(tok):
            _note(relative, "lower-roman")
        elif tok != "i" and not (len(tok) > 1 and tok[-1] == "a" and _ROMAN_ONLY.match(tok[:-1] + "i")):
            _note(relative, "lower-alpha")
    if depth == 0 and not relative:
        return DEFAULT_SCHEME
    if "lower-alpha" in relative and "lower-roman" in relative:
        # Items nest under sub-clauses in the SEC's drafting: (p) then (i).
        relative.remove("lower-roman")
        relative.insert(relative.index("lower-alpha") + 1, "lower-roman")
    depth = max(depth, 1)
    levels: list[NumberingLevel] = []
    names = ("section", "clause", "paragraph", "sub-paragraph")
    for i in range(depth):
        levels.append(NumberingLevel(name=names[i] if i < len(names) else f"level-{i + 1}", style="decimal",
                                     ref="{n}" if i == 0 else "{parent}.{n}", insert="upper-alpha"))
    for k, style in enumerate(relative):
        # The SEC joins the first letter level to its parent (18.5p) and brackets the rest (18.5p(i)).
        ref = "{parent}{n}" if k == 0 and style == "lower-alpha" else "{parent}({n})"
        levels.append(NumberingLevel(name=("sub-clause", "item", "sub-item")[min(k, 2)] if k < 3 else f"level-{depth + k + 1}",
                                     style=style, ref=ref, label="({n})",
                                     insert="upper-alpha" if style == "decimal" else "lower-alpha"))
    inferred = NumberingScheme(levels=tuple(levels), annex=default_annex_levels(tuple(levels)))
    # What the S1SR's own scheme begins with is the S1SR's scheme (items may simply not occur).
    if all((a.style, a.ref, a.label) == (b.style, b.ref, b.label)
           for a, b in zip(inferred.levels, DEFAULT_SCHEME.levels, strict=False)) \
            and len(inferred.levels) <= len(DEFAULT_SCHEME.levels):
        return DEFAULT_SCHEME
    return inferred


def _note(seq: list[str], style: str) -> None:
    if style not in seq:
        seq.append(style)


def _scheme_summary(scheme: NumberingScheme) -> str:
    out = []
    parent = ""
    for lv in scheme.levels:
        tok = counters.render(lv.start if lv.style == "decimal" else max(lv.start, 1), lv.style)
        parent = lv.ref.replace("{parent}", parent).replace("{n}", tok)
        out.append(lv.label.replace("{ref}", parent).replace("{n}", tok))
    return ", ".join(out)

