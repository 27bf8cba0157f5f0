"""Word automatic numbering, computed the way Word and LibreOffice display it.

A paragraph is numbered when its own ``w:numPr``, or that of its paragraph style (following
``w:basedOn``), names a ``w:num``. The ``w:num`` points at a ``w:abstractNum`` (possibly through a
numbering style, ``w:numStyleLink``) whose ``w:lvl`` elements give, per level, the ``w:start``
value, the ``w:numFmt`` counter style, the ``w:lvlText`` template (``%1`` … ``%9`` stand for the
counters of levels 1 … 9), ``w:lvlRestart`` and ``w:isLgl``. A ``w:num`` may override levels
(``w:lvlOverride`` with a whole ``w:lvl`` and/or ``w:startOverride``).

Counters belong to the abstract numbering, so two ``w:num`` over the same ``w:abstractNum``
continue one list; a ``w:startOverride`` restarts it the first time its ``w:num`` is used.
Both behaviours are what LibreOffice prints (tested against it in
``tests/readers/test_docx_numbering.py``).

Word and LibreOffice 7.4 disagree on two features: LibreOffice ignores ``w:isLgl`` (Word shows
every level's counter in decimal) and ``w:lvlRestart`` (Word restarts a level only after the
level it names, or never for 0). :class:`Numbering` computes both and reports the difference, so
a document whose numbers depend on the program that opens it can be flagged.

This module knows XML elements (lxml, already parsed), not clauses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from generator.model import counters

if TYPE_CHECKING:
    from lxml.etree import _Element

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_VAL = W + "val"
MAX_LEVELS = 9

# The w:numFmt values format_counter prints as Word does; any other is printed in decimal.
RENDERED_FORMATS = frozenset({"decimal", "lowerLetter", "upperLetter", "lowerRoman", "upperRoman", "decimalZero",
                              "none", "bullet"})


_STYLE_OF_FORMAT = {"lowerLetter": "lower-alpha", "upperLetter": "upper-alpha", "lowerRoman": "lower-roman",
                    "upperRoman": "upper-roman"}


def format_counter(n: int, fmt: str) -> str:
    """``n`` in a ``w:numFmt`` style as Word prints it (unknown styles print decimal)."""
    if fmt == "none":
        return ""
    style = _STYLE_OF_FORMAT.get(fmt)
    if style and n >= 1 and (n < 4000 or "alpha" in style):
        return counters.render(n, style)
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


@dataclass(frozen=True, slots=True)
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    restart: int | None = None  # w:lvlRestart: None = default (after any higher level), 0 = never
    legal: bool = False  # w:isLgl
    style: str = ""  # w:pStyle linked to this level


MAX_START = 32767  # the largest list start value Word accepts (w:start, w:startOverride)
_ASCII_INT = re.compile(r"-?[0-9]{1,12}")


def _int(el: _Element | None, default: int | None = None) -> int | None:
    if el is None:
        return default
    return _int_attr(el.get(_VAL)) if _int_attr(el.get(_VAL)) is not None else default


def _level(el: _Element) -> Level:
    fmt_el = el.find(W + "numFmt")
    text_el = el.find(W + "lvlText")
    restart_el = el.find(W + "lvlRestart")
    legal_el = el.find(W + "isLgl")
    style_el = el.find(W + "pStyle")
    return Level(
        start=_int(el.find(W + "start"), 1) or 0,
        fmt=fmt_el.get(_VAL, "decimal") if fmt_el is not None else "decimal",
        text=text_el.get(_VAL, "") if text_el is not None else "",
        restart=_int(restart_el) if restart_el is not None else None,
        legal=legal_el is not None and legal_el.get(_VAL, "1") not in ("0", "false", "off"),
        style=style_el.get(_VAL, "") if style_el is not None else "",
    )


@dataclass(frozen=True, slots=True)
class Label:
    """A computed list label."""

    text: str  # as Word prints it
    level: int  # 0-based w:ilvl
    list_id: str  # the abstract numbering the counters belong to
    num_id: str
    libreoffice: str  # as LibreOffice 7.4 prints it (differs only for isLgl / lvlRestart)
    bullet: bool = False


@dataclass(slots=True)
class _Counters:
    values: list[int | None] = field(default_factory=lambda: [None] * MAX_LEVELS)


@dataclass(frozen=True, slots=True)
class _StyleInfo:
    num_id: str | None
    ilvl: int | None
    based_on: str
    outline: int | None = None  # w:outlineLvl + 1


class Numbering:
    """The numbering definitions of one document plus the counters as paragraphs go by."""

    def __init__(self, numbering: _Element | None, styles: _Element | None) -> None:
        self.problems: list[str] = []
        # Levels in use whose numbers may not be what Word shows (a w:numFmt read as decimal).
        self.warnings: list[str] = []
        # Values Word does not accept (a start beyond 32767, a level beyond 8, %² in w:lvlText), read
        # as Word's nearest: each becomes a DOCX230 finding.
        self.out_of_range: list[str] = []
        self._warned: set[tuple[str, int]] = set()
        self._abstract: dict[str, dict[int, Level]] = {}
        self._abstract_link: dict[str, str] = {}  # abstractNumId → numStyleLink style id
        self._num_abstract: dict[str, str] = {}
        self._num_overrides: dict[str, dict[int, Level]] = {}
        self._num_start: dict[str, dict[int, int]] = {}
        self._styles: dict[str, _StyleInfo] = {}
        self._style_names: dict[str, str] = {}
        self._default_style = ""
        self._used_nums: set[str] = set()
        self._word: dict[str, _Counters] = {}
        self._lo: dict[str, _Counters] = {}
        self._resolved: dict[str, tuple[str, dict[int, Level]] | None] = {}
        self._para_cache: dict[tuple[str | None, int | None, str], tuple[str, int] | None] = {}
        if styles is not None:
            self._read_styles(styles)
        if numbering is not None:
            self._read_numbering(numbering)

    # -- definitions ------------------------------------------------------------------
    def _read_styles(self, root: _Element) -> None:
        for st in root.iter(W + "style"):
            if st.get(W + "type", "paragraph") != "paragraph":
                continue
            sid = st.get(W + "styleId", "")
            name_el = st.find(W + "name")
            self._style_names[sid] = name_el.get(_VAL, sid) if name_el is not None else sid
            if st.get(W + "default") in ("1", "true", "on"):
                self._default_style = sid
            based = st.find(W + "basedOn")
            num_pr = st.find(f"{W}pPr/{W}numPr")
            num_id = ilvl = None
            if num_pr is not None:
                nid = num_pr.find(W + "numId")
                num_id = nid.get(_VAL) if nid is not None else None
                ilvl = _int(num_pr.find(W + "ilvl"))
            ol = _int(st.find(f"{W}pPr/{W}outlineLvl"))
            self._styles[sid] = _StyleInfo(num_id=num_id, ilvl=ilvl,
                                           based_on=based.get(_VAL, "") if based is not None else "",
                                           outline=ol + 1 if ol is not None and 0 <= ol < 9 else None)

    def _read_numbering(self, root: _Element) -> None:
        for an in root.iter(W + "abstractNum"):
            aid = an.get(W + "abstractNumId", "")
            levels: dict[int, Level] = {}
            for lv in an.iter(W + "lvl"):
                ilvl = _int_attr(lv.get(W + "ilvl"))
                if ilvl is not None and 0 <= ilvl < MAX_LEVELS:
                    levels[ilvl] = self._bounded(_level(lv), f"level {ilvl + 1} of list {aid[:20]}")
                else:
                    self.out_of_range.append(f"list {aid[:20]} defines level w:ilvl=\"{str(lv.get(W + 'ilvl'))[:20]}\"; "
                                             "Word's lists have levels 0 to 8 only (it is ignored)")
            self._abstract[aid] = levels
            link = an.find(W + "numStyleLink")
            if link is not None and link.get(_VAL):
                self._abstract_link[aid] = link.get(_VAL, "")
        for num in root.iter(W + "num"):
            nid = num.get(W + "numId", "")
            ref = num.find(W + "abstractNumId")
            if ref is None:
                continue
            self._num_abstract[nid] = ref.get(_VAL, "")
            overrides: dict[int, Level] = {}
            starts: dict[int, int] = {}
            for ov in num.iter(W + "lvlOverride"):
                ilvl = _int_attr(ov.get(W + "ilvl"))
                if ilvl is None or not 0 <= ilvl < MAX_LEVELS:
                    continue
                found = ov.find(W + "lvl")
                if found is not None:
                    lv = found
                    overrides[ilvl] = self._bounded(_level(lv), f"level {ilvl + 1} of numbering {nid[:20]}")
                so = _int(ov.find(W + "startOverride"))
                if so is not None:
                    if not 0 <= so <= MAX_START:
                        self.out_of_range.append(f"numbering {nid[:20]} restarts level {ilvl + 1} at {so}; Word "
                                                 f"accepts 0 to {MAX_START} (read as {MAX_START})")
                        so = min(max(so, 0), MAX_START)
                    starts[ilvl] = so
            self._num_overrides[nid] = overrides
            self._num_start[nid] = starts

    def style_name(self, style_id: str) -> str:
        return self._style_names.get(style_id, style_id)

    def outline_level(self, style_id: str) -> int | None:
        """The heading level (1-9) a style itself declares through ``w:outlineLvl``."""
        st = self._styles.get(style_id)
        return st.outline if st else None

    def style_chain(self, style_id: str) -> list[str]:
        """The style and the styles it is based on, nearest first (cycles cut)."""
        out: list[str] = []
        sid = style_id or self._default_style
        while sid and sid not in out and sid in self._styles:
            out.append(sid)
            sid = self._styles[sid].based_on
        return out

    def _levels(self, num_id: str) -> tuple[str, dict[int, Level]] | None:
        """(list id, level definitions) of a ``w:num``, overrides applied."""
        if num_id in self._resolved:
            return self._resolved[num_id]
        out: tuple[str, dict[int, Level]] | None = None
        aid = self._num_abstract.get(num_id)
        seen: set[str] = set()
        # A numbering style link: the abstract numbering is the one its style's w:num uses.
        while aid is not None and aid in self._abstract_link and aid not in seen:
            seen.add(aid)
            style = self._styles.get(self._abstract_link[aid])
            target = self._num_abstract.get(style.num_id or "") if style else None
            if target is None:
                break
            aid = target
        if aid is None:
            self.problems.append(f"numbering instance {num_id} is not defined in numbering.xml")
        elif aid not in self._abstract:
            self.problems.append(f"numbering instance {num_id} uses abstract numbering {aid}, which is not defined")
        else:
            levels = dict(self._abstract[aid])
            levels.update(self._num_overrides.get(num_id, {}))
            out = (aid, levels)
        self._resolved[num_id] = out
        return out

    # -- paragraphs -------------------------------------------------------------------
    def _bounded(self, lv: Level, where: str) -> Level:
        """``lv`` with what Word would not accept reported and brought within Word's limits."""
        if not 0 <= lv.start <= MAX_START:
            self.out_of_range.append(f"{where} starts at {lv.start}; Word accepts 0 to {MAX_START} (read as "
                                     f"{min(max(lv.start, 0), MAX_START)})")
            lv = replace(lv, start=min(max(lv.start, 0), MAX_START))
        bad = re.findall(r"%([^1-9%])", lv.text)
        if bad:
            self.out_of_range.append(f"{where} has the number text '{lv.text[:40]}': '%' is followed by "
                                     f"'{bad[0]}', not a level digit 1-9 (printed as written)")
        return lv

    def paragraph_numbering(self, num_id: str | None, ilvl: int | None, style_id: str) -> tuple[str, int] | None:
        """The (numId, ilvl) a paragraph ends up with: its own, else its style's; None if none."""
        key = (num_id, ilvl, style_id)
        if key in self._para_cache:
            return self._para_cache[key]
        found = self._paragraph_numbering(num_id, ilvl, style_id)
        self._para_cache[key] = found
        return found

    def _paragraph_numbering(self, num_id: str | None, ilvl: int | None, style_id: str) -> tuple[str, int] | None:
        chain = self.style_chain(style_id)
        if num_id is None:
            for sid in chain:
                if self._styles[sid].num_id is not None:
                    num_id = self._styles[sid].num_id
                    break
        if ilvl is None:
            for sid in chain:
                if self._styles[sid].ilvl is not None:
                    ilvl = self._styles[sid].ilvl
                    break
        if num_id is None or num_id in ("", "0"):
            return None
        lvl = ilvl if ilvl is not None and 0 <= ilvl < MAX_LEVELS else 0
        return num_id, lvl

    def next_label(self, num_id: str, ilvl: int) -> Label | None:
        """Advance the counters for a paragraph at (``num_id``, ``ilvl``) and return its label."""
        found = self._levels(num_id)
        if found is None:
            return None
        aid, levels = found
        word = self._word.setdefault(aid, _Counters())
        lo = self._lo.setdefault(aid, _Counters())
        overrides = self._num_start.get(num_id, {})
        starts = {k: lv.start for k, lv in levels.items()} | overrides
        if num_id not in self._used_nums:
            # A w:startOverride restarts the list the first time its w:num is used.
            self._used_nums.add(num_id)
            for k in overrides:
                word.values[k] = lo.values[k] = None
        _advance(word, levels, starts, ilvl, word_rules=True)
        _advance(lo, levels, starts, ilvl, word_rules=False)
        lv = levels.get(ilvl, Level())
        if lv.fmt == "bullet":
            return Label(text=lv.text, level=ilvl, list_id=aid, num_id=num_id, libreoffice=lv.text, bullet=True)
        self._check_formats(aid, ilvl, levels)
        text = _render(lv.text, word.values, levels, starts, legal=lv.legal)
        lo_text = _render(lv.text, lo.values, levels, starts, legal=False)
        return Label(text=text, level=ilvl, list_id=aid, num_id=num_id, libreoffice=lo_text)

    def _check_formats(self, aid: str, ilvl: int, levels: dict[int, Level]) -> None:
        used = {ilvl} | {int(d) - 1 for d in re.findall(r"%([1-9])", levels[ilvl].text if ilvl in levels else "")}
        for k in sorted(used):
            fmt = levels[k].fmt if k in levels else "decimal"
            if fmt not in RENDERED_FORMATS and (aid, k) not in self._warned:
                self._warned.add((aid, k))
                self.warnings.append(f"level {k + 1} of list {aid} has the number format '{fmt[:40]}', which is read "
                                     "as decimal; Word may show other numbers")


def _int_attr(v: str | None) -> int | None:
    """An ASCII whole number (``int()`` would also take '²' or Arabic-Indic digits); None otherwise."""
    if v is None or not _ASCII_INT.fullmatch(v.strip()):
        return None
    return int(v)


def _advance(c: _Counters, levels: dict[int, Level], starts: dict[int, int], ilvl: int, *, word_rules: bool) -> None:
    vals = c.values
    # A level shown before its parent levels were used counts them as used (at their start).
    for k in range(ilvl):
        if vals[k] is None:
            vals[k] = starts.get(k, 1)
    cur = vals[ilvl]
    vals[ilvl] = starts.get(ilvl, 1) if cur is None else cur + 1
    for k in range(ilvl + 1, MAX_LEVELS):
        restart = levels[k].restart if (word_rules and k in levels) else None
        if restart is None or (restart != 0 and ilvl < restart):
            vals[k] = None


def _render(template: str, vals: list[int | None], levels: dict[int, Level], starts: dict[int, int],
            *, legal: bool) -> str:
    out: list[str] = []
    i = 0
    n = len(template)
    while i < n:
        ch = template[i]
        if ch == "%" and i + 1 < n and template[i + 1] in "123456789":
            k = int(template[i + 1]) - 1
            v = vals[k]
            if v is None:
                v = starts.get(k, 1)
            fmt = levels[k].fmt if k in levels else "decimal"
            out.append(format_counter(v, "decimal" if legal and fmt != "none" else fmt))
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)
