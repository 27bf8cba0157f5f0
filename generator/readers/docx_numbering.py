"""Word automatic numbering, computed the way Microsoft Word displays it.

A paragraph is numbered when its own ``w:numPr``, or that of its paragraph style (following
``w:basedOn``), names a ``w:num``. The ``w:num`` points at a ``w:abstractNum``, possibly through
a list style (an ``w:abstractNum`` with ``w:numStyleLink`` names a numbering style, whose
``w:num`` leads to the ``w:abstractNum`` that defines the levels with ``w:styleLink``). Each
``w:lvl`` gives the ``w:start`` value, the ``w:numFmt`` counter style, the ``w:lvlText``
template (``%1`` … ``%9`` stand for the counters of levels 1 … 9), ``w:lvlRestart`` and
``w:isLgl``. A ``w:num`` may override levels (``w:lvlOverride`` with a whole ``w:lvl`` and/or
``w:startOverride``).

Word is the oracle. Where ECMA-376 leaves room or Word departs from it, Microsoft's
implementer notes (MS-OI29500) say what Word does, and this module follows them:

* a level restarts when the level ``w:lvlRestart`` names *or any higher level* is used; without
  ``w:lvlRestart``, when any higher level is used; Word accepts values 0-7 only, and ignores
  ``w:lvlRestart`` inside a ``w:lvlOverride`` (the abstract definition's behaviour stays);
* a level without ``w:start`` counts from 0 (ECMA-376 §17.9.26);
* ``w:ilvl`` in a paragraph style's ``w:numPr`` is honoured;
* ``w:lvlText``: a ``%n`` naming a level below the current one makes Word ignore the whole text
  (no number is shown); Word allows at most nine ``%n`` and 31 characters once filled in;
* counters belong to the list (the abstract numbering, after list styles are followed), so the
  ``w:num`` instances of one ``w:abstractNum`` continue one another; a ``w:startOverride``
  restarts the list the first time its ``w:num`` is used;
* ``w:isLgl`` shows the levels in decimal, except levels that already are decimal with leading
  zeros (``decimalZero``: Word shows 1.01);
* a bullet level named in another level's text (``%3`` of a bullet level) shows nothing;
* Word 2010 custom formats (``mc:AlternateContent`` holding a w14 ``w:numFmt`` ``custom`` with
  ``w:format="01, 02, 03, ..."``) show the counter with leading zeros;
* ``ordinal`` (1st), ``cardinalText`` (One), ``ordinalText`` (First), in English.

Any other number format is shown in decimal, with a warning (the reader's DOCX207).

LibreOffice 7.4 differs from Word on two of these (it ignores ``w:isLgl`` and ``w:lvlRestart``);
:class:`Numbering` computes its labels too, so that a document whose numbers depend on the
program that opens it can be flagged.

This module knows XML elements (lxml, already parsed), not clauses.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from generator.model import counters

if TYPE_CHECKING:
    from lxml.etree import _Element

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
_VAL = W + "val"
MAX_LEVELS = 9
MAX_LEVEL_TEXT = 31  # characters Word allows in a filled-in w:lvlText (MS-OI29500 §17.9.11 b)
MAX_ESCAPES = 9  # %n sequences Word allows in a w:lvlText (MS-OI29500 §17.9.11 a)

# The w:numFmt values format_counter prints as Word does; any other is printed in decimal.
RENDERED_FORMATS = frozenset({"decimal", "lowerLetter", "upperLetter", "lowerRoman", "upperRoman", "decimalZero",
                              "none", "bullet", "ordinal", "cardinalText", "ordinalText"})


_STYLE_OF_FORMAT = {"lowerLetter": "lower-alpha", "upperLetter": "upper-alpha", "lowerRoman": "lower-roman",
                    "upperRoman": "upper-roman"}
_CUSTOM_ZEROS = re.compile(r"^\s*(0*1)\s*,\s*0*2\b")


# -- English number words (Word's ordinal, cardinalText and ordinalText in an English document) ---
_ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
         "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_SUFFIXES = {1: "st", 2: "nd", 3: "rd"}
_ORDINAL_WORDS = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
                  "nine": "ninth", "twelve": "twelfth"}


def _cardinal_words(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + (f"-{_ONES[n % 10]}" if n % 10 else "")
    if n < 1000:
        rest = n % 100
        return f"{_ONES[n // 100]} hundred" + (f" and {_cardinal_words(rest)}" if rest else "")
    if n < 1_000_000:
        rest = n % 1000
        joint = " and " if 0 < rest < 100 else " "
        return f"{_cardinal_words(n // 1000)} thousand" + (f"{joint}{_cardinal_words(rest)}" if rest else "")
    return str(n)


def _ordinal_words(n: int) -> str:
    words = _cardinal_words(n)
    if words.isdigit():
        return _ordinal_suffix(n)
    head, sep, last = words.rpartition("-") if "-" in words.rsplit(" ", 1)[-1] else words.rpartition(" ")
    if last in _ORDINAL_WORDS:
        last = _ORDINAL_WORDS[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return f"{head}{sep}{last}"


def _ordinal_suffix(n: int) -> str:
    if n % 100 in (11, 12, 13):
        return f"{n}th"
    return str(n) + _SUFFIXES.get(n % 10, "th")


def _first_cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def format_counter(n: int, fmt: str, custom: str = "") -> str:
    """``n`` in a ``w:numFmt`` style as Word prints it (unknown styles print decimal).

    ``custom`` is the ``w:format`` of a Word 2010 custom format (``"001, 002, 003, ..."``).
    """
    if fmt in ("none", "bullet"):
        return ""
    style = _STYLE_OF_FORMAT.get(fmt)
    if style and n >= 1 and (n < 4000 or "alpha" in style):
        return counters.render(n, style)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "custom":
        width = custom_width(custom)
        if width:
            return f"{n:0{width}d}"
    if fmt == "ordinal" and n >= 0:
        return _ordinal_suffix(n)
    if fmt == "cardinalText" and 0 <= n < 1_000_000:
        return _first_cap(_cardinal_words(n))
    if fmt == "ordinalText" and 1 <= n < 1_000_000:
        return _first_cap(_ordinal_words(n))
    return str(n)


def custom_width(custom: str) -> int:
    """The width of a zero-padded custom format (``"001, 002, 003, ..."`` → 3), or 0."""
    m = _CUSTOM_ZEROS.match(custom)
    return len(m.group(1)) if m else 0


def _renders(fmt: str, custom: str) -> bool:
    return fmt in RENDERED_FORMATS or (fmt == "custom" and custom_width(custom) > 0)


@dataclass(frozen=True, slots=True)
class Level:
    start: int = 0  # Word counts from 0 when a level has no w:start
    fmt: str = "decimal"
    text: str | None = ""  # w:lvlText; None when Word ignores it (a %n naming a lower level)
    restart: int | None = None  # w:lvlRestart: None = default (after any higher level), 0 = never
    legal: bool = False  # w:isLgl
    style: str = ""  # w:pStyle linked to this level
    custom: str = ""  # w:format of a Word 2010 custom number format
    raw_text: str = ""  # the w:lvlText as written, for messages


MAX_START = 32767  # the largest list start value Word accepts (w:start, w:startOverride)
_ASCII_INT = re.compile(r"-?[0-9]{1,12}")


def _int(el: _Element | None, default: int | None = None) -> int | None:
    if el is None:
        return default
    value = _int_attr(el.get(_VAL))
    return default if value is None else value


def _num_fmt(el: _Element) -> tuple[str, str]:
    """(w:numFmt, custom w:format) of a level, looking into mc:AlternateContent as Word 2010 does."""
    fmt_el = el.find(W + "numFmt")
    if fmt_el is not None:
        return fmt_el.get(_VAL, "decimal"), fmt_el.get(W + "format", "")
    for alt in el.iter(_MC + "AlternateContent"):
        for choice in alt.iter(_MC + "Choice"):
            found = choice.find(W + "numFmt")
            needs = choice.get("Requires", "").split()
            if found is not None and all(choice.nsmap.get(p) == _W14 for p in needs):
                return found.get(_VAL, "decimal"), found.get(W + "format", "")
        fallback = alt.find(_MC + "Fallback")
        found = fallback.find(W + "numFmt") if fallback is not None else None
        if found is not None:
            return found.get(_VAL, "decimal"), found.get(W + "format", "")
    return "decimal", ""


def _level(el: _Element, ilvl: int, *, override: bool = False, base: Level | None = None) -> Level:
    fmt, custom = _num_fmt(el)
    text_el = el.find(W + "lvlText")
    restart_el = el.find(W + "lvlRestart")
    legal_el = el.find(W + "isLgl")
    style_el = el.find(W + "pStyle")
    raw = text_el.get(_VAL) if text_el is not None else None
    text: str | None = raw if raw is not None else ""
    if raw is not None and any(int(d) - 1 > ilvl for d in re.findall(r"%([1-9])", raw)):
        text = None  # MS-OI29500 §17.9.11 c: a %n above the current level voids the whole text
    restart = _int(restart_el) if restart_el is not None else None
    if restart is not None and not 0 <= restart <= 7:
        restart = None  # MS-OI29500 §17.9.10 a: Word allows 0-7 only
    if override:
        restart = base.restart if base is not None else None  # §17.9.10 b: ignored in an override
    return Level(
        start=_int(el.find(W + "start"), 0) or 0,
        fmt=fmt, custom=custom, text=text, raw_text=raw or "",
        restart=restart,
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
        # Levels in use whose w:lvlText is outside what Word accepts (MS-OI29500 §17.9.11).
        self.limits: list[str] = []
        # Values Word does not accept (a start beyond 32767, a level beyond 8, %² in w:lvlText), read
        # as Word's nearest: each becomes a DOCX230 finding.
        self.out_of_range: list[str] = []
        self._warned: set[tuple[str, int]] = set()
        self._abstract: dict[str, dict[int, Level]] = {}
        self._abstract_link: dict[str, str] = {}  # abstractNumId → numStyleLink style id
        self._num_abstract: dict[str, str] = {}
        self._num_overrides: dict[str, dict[int, _Element]] = {}
        self._num_start: dict[str, dict[int, int]] = {}
        self._styles: dict[str, _StyleInfo] = {}
        self._num_styles: dict[str, _StyleInfo] = {}  # numbering (list) styles
        self._style_names: dict[str, str] = {}
        self._default_style = ""
        self._used_nums: set[str] = set()
        self._word: dict[str, _Counters] = {}
        self._lo: dict[str, _Counters] = {}
        self._resolved: dict[str, tuple[str, dict[int, Level]] | None] = {}
        self._starts: dict[str, dict[int, int]] = {}  # numId → start value per level, overrides applied
        self._lo_differs: dict[str, bool] = {}  # list → whether LibreOffice may count it otherwise
        self._checked: set[tuple[str, int]] = set()  # (numId, ilvl) whose formats and text were checked
        self._para_cache: dict[tuple[str | None, int | None, str], tuple[str, int] | None] = {}
        if styles is not None:
            self._read_styles(styles)
        if numbering is not None:
            self._read_numbering(numbering)

    def fork(self) -> Numbering:
        """The same definitions with a copy of the counters as they stand, to count another view
        of the document (the original one, before its tracked changes) from here on."""
        other = copy.copy(self)
        other._used_nums = set(self._used_nums)
        other._word = {k: _Counters(list(c.values)) for k, c in self._word.items()}
        other._lo = {k: _Counters(list(c.values)) for k, c in self._lo.items()}
        other.problems = []
        other.warnings = []
        other.limits = []
        other._warned = set(self._warned)
        other._lo_differs = dict(self._lo_differs)
        other._checked = set(self._checked)
        return other

    # -- definitions ------------------------------------------------------------------
    def _read_styles(self, root: _Element) -> None:
        for st in root.iter(W + "style"):
            kind = st.get(W + "type", "paragraph")
            if kind not in ("paragraph", "numbering"):
                continue
            sid = st.get(W + "styleId", "")
            based = st.find(W + "basedOn")
            num_pr = st.find(f"{W}pPr/{W}numPr")
            num_id = ilvl = None
            if num_pr is not None:
                nid = num_pr.find(W + "numId")
                num_id = nid.get(_VAL) if nid is not None else None
                ilvl = _int(num_pr.find(W + "ilvl"))
            info = _StyleInfo(num_id=num_id, ilvl=ilvl, based_on=based.get(_VAL, "") if based is not None else "")
            if kind == "numbering":
                self._num_styles[sid] = info
                continue
            name_el = st.find(W + "name")
            self._style_names[sid] = name_el.get(_VAL, sid) if name_el is not None else sid
            if st.get(W + "default") in ("1", "true", "on"):
                self._default_style = sid
            ol = _int(st.find(f"{W}pPr/{W}outlineLvl"))
            self._styles[sid] = _StyleInfo(num_id=num_id, ilvl=ilvl, based_on=info.based_on,
                                           outline=ol + 1 if ol is not None and 0 <= ol < 9 else None)

    def _read_numbering(self, root: _Element) -> None:
        for an in root.iter(W + "abstractNum"):
            aid = an.get(W + "abstractNumId", "")
            levels: dict[int, Level] = {}
            for lv in an.iter(W + "lvl"):
                ilvl = _int_attr(lv.get(W + "ilvl"))
                if ilvl is not None and 0 <= ilvl < MAX_LEVELS:
                    levels[ilvl] = self._bounded(_level(lv, ilvl), f"level {ilvl + 1} of list {aid[:20]}")
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
            overrides: dict[int, _Element] = {}
            starts: dict[int, int] = {}
            for ov in num.iter(W + "lvlOverride"):
                ilvl = _int_attr(ov.get(W + "ilvl"))
                if ilvl is None or not 0 <= ilvl < MAX_LEVELS:
                    continue
                found = ov.find(W + "lvl")
                if found is not None:
                    # Reported now; read (with the abstract level it overrides) when first used.
                    self._bounded(_level(found, ilvl, override=True), f"level {ilvl + 1} of numbering {nid[:20]}")
                    overrides[ilvl] = found
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

    def _list_style_num(self, style_id: str) -> str | None:
        """The w:num a numbering (list) style applies, following its w:basedOn."""
        seen: set[str] = set()
        sid = style_id
        while sid and sid not in seen and sid in self._num_styles:
            seen.add(sid)
            st = self._num_styles[sid]
            if st.num_id:
                return st.num_id
            sid = st.based_on
        return None

    def _levels(self, num_id: str) -> tuple[str, dict[int, Level]] | None:
        """(list id, level definitions) of a ``w:num``, list styles followed and overrides applied."""
        if num_id in self._resolved:
            return self._resolved[num_id]
        out: tuple[str, dict[int, Level]] | None = None
        aid = self._num_abstract.get(num_id)
        seen: set[str] = set()
        broken = False
        # A list style: the abstract numbering is the one its numbering style's w:num uses
        # (the one that defines the levels, with w:styleLink).
        while aid is not None and aid in self._abstract_link and aid not in seen:
            seen.add(aid)
            link = self._abstract_link[aid]
            if link not in self._num_styles and link not in self._styles:
                self.problems.append(f"numbering instance {num_id} uses the list style '{link[:60]}', which is not "
                                     "defined in styles.xml")
                broken = True
                break
            target_num = self._list_style_num(link) or (self._styles[link].num_id if link in self._styles else None)
            target = self._num_abstract.get(target_num or "")
            if target is None:
                self.problems.append(f"the list style '{link[:60]}' names no numbering that numbering.xml defines")
                broken = True
                break
            aid = target
        if broken:
            pass
        elif aid is None:
            self.problems.append(f"numbering instance {num_id} is not defined in numbering.xml")
        elif aid not in self._abstract:
            self.problems.append(f"numbering instance {num_id} uses abstract numbering {aid}, which is not defined")
        else:
            base = self._abstract[aid]
            levels = dict(base)
            for k, el in self._num_overrides.get(num_id, {}).items():
                levels[k] = _clamped(_level(el, k, override=True, base=base.get(k)))
            out = (aid, levels)
        self._resolved[num_id] = out
        return out

    # -- paragraphs -------------------------------------------------------------------
    def _bounded(self, lv: Level, where: str) -> Level:
        """``lv`` with what Word would not accept reported and brought within Word's limits."""
        if not 0 <= lv.start <= MAX_START:
            self.out_of_range.append(f"{where} starts at {lv.start}; Word accepts 0 to {MAX_START} (read as "
                                     f"{min(max(lv.start, 0), MAX_START)})")
        bad = re.findall(r"%([^1-9%])", lv.raw_text)
        if bad:
            self.out_of_range.append(f"{where} has the number text '{lv.raw_text[:40]}': '%' is followed by "
                                     f"'{bad[0]}', not a level digit 1-9 (printed as written)")
        return _clamped(lv)

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
        if ilvl is None and chain:
            # No level given anywhere: the level the list links to the paragraph's style.
            found = self._levels(num_id)
            if found is not None:
                for sid in chain:
                    ilvl = next((k for k, lv in sorted(found[1].items()) if lv.style == sid), None)
                    if ilvl is not None:
                        break
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
        starts = self._starts.get(num_id)
        if starts is None:
            starts = self._starts[num_id] = {k: lv.start for k, lv in levels.items()} | overrides
        # LibreOffice counts as Word unless a level restarts after a named level or is legal;
        # until such a level is first met, its counters are Word's.
        differs = self._lo_differs.get(aid, False)
        if not differs and any(lv.legal or lv.restart is not None for lv in levels.values()):
            differs = self._lo_differs[aid] = True
            lo.values = list(word.values)
        if num_id not in self._used_nums:
            # A w:startOverride restarts the list the first time its w:num is used.
            self._used_nums.add(num_id)
            for k in overrides:
                word.values[k] = lo.values[k] = None
        _advance(word, levels, starts, ilvl, word_rules=True)
        if differs:
            _advance(lo, levels, starts, ilvl, word_rules=False)
        lv = levels.get(ilvl, Level())
        if lv.fmt == "bullet":
            text = lv.text or ""
            return Label(text=text, level=ilvl, list_id=aid, num_id=num_id, libreoffice=text, bullet=True)
        first = (num_id, ilvl) not in self._checked
        if first:
            self._checked.add((num_id, ilvl))
            self._check_formats(aid, ilvl, levels)
        if lv.text is None:
            self._limit(aid, ilvl, f"level {ilvl + 1} of list {aid} has the number text '{lv.raw_text[:40]}', which "
                        "names a level below it; Word then shows no number (other programs may show one)")
            return Label(text="", level=ilvl, list_id=aid, num_id=num_id, libreoffice="")
        text = _render(lv.text, word.values, levels, starts, legal=lv.legal)
        lo_text = _render(lv.text, lo.values, levels, starts, legal=False) if differs else text
        if (first and len(re.findall(r"%[1-9]", lv.text)) > MAX_ESCAPES) or len(text) > MAX_LEVEL_TEXT:
            self._limit(aid, ilvl, f"level {ilvl + 1} of list {aid} has the number text '{lv.text[:40]}', longer "
                        f"than Word allows (at most {MAX_ESCAPES} level numbers and {MAX_LEVEL_TEXT} characters once "
                        f"filled in: '{text[:40]}'); Word may not show it")
        return Label(text=text, level=ilvl, list_id=aid, num_id=num_id, libreoffice=lo_text)

    def _limit(self, aid: str, ilvl: int, message: str) -> None:
        if (aid, -1 - ilvl) not in self._warned:
            self._warned.add((aid, -1 - ilvl))
            self.limits.append(message)

    def _check_formats(self, aid: str, ilvl: int, levels: dict[int, Level]) -> None:
        own = levels[ilvl].text if ilvl in levels else ""
        used = {ilvl} | {int(d) - 1 for d in re.findall(r"%([1-9])", own or "")}
        for k in sorted(used):
            lv = levels.get(k, Level())
            if not _renders(lv.fmt, lv.custom) and (aid, k) not in self._warned:
                self._warned.add((aid, k))
                what = f"'{lv.fmt[:40]}'" + (f" ('{lv.custom[:40]}')" if lv.custom else "")
                self.warnings.append(f"level {k + 1} of list {aid} has the number format {what}, which is read "
                                     "as decimal; Word may show other numbers")


def _clamped(lv: Level) -> Level:
    """``lv`` with its start value within what Word accepts."""
    return lv if 0 <= lv.start <= MAX_START else replace(lv, start=min(max(lv.start, 0), MAX_START))


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
            vals[k] = starts.get(k, 0)
    cur = vals[ilvl]
    vals[ilvl] = starts.get(ilvl, 0) if cur is None else cur + 1
    for k in range(ilvl + 1, MAX_LEVELS):
        # MS-OI29500 §17.9.10 c, d: restart when the named level or any higher one is used.
        restart = levels[k].restart if (word_rules and k in levels) else None
        if restart is None or (restart != 0 and ilvl < restart):
            vals[k] = None


# Formats that isLgl leaves as they are: they already show the counter in decimal digits.
_LEGAL_KEEPS = frozenset({"decimalZero", "custom", "none", "bullet"})


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
                v = starts.get(k, 0)
            lv = levels.get(k, Level())
            fmt = lv.fmt if not legal or lv.fmt in _LEGAL_KEEPS else "decimal"
            out.append(format_counter(v, fmt, lv.custom))
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)
