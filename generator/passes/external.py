"""The pre-designation check on a Word S1SR and a DMVESM workbook made anywhere.

Pure functions, no I/O: the readers give the paragraphs a reader sees (``WordDocument``) and the
citations of the matrix (``Workbook``); this pass

1. places every displayed number in the numbering scheme (``place_clauses``): ``18.5`` is read
   whole, ``(p)`` and ``(i)`` are read under the clause above them, the ambiguous ones (``(i)``
   after ``(h)``) decided by what would follow in sequence, by paragraph style and by the next
   number;
2. checks the numbering a reader sees (``check_numbering``): duplicates, gaps, numbers out of
   order, levels that continue instead of restarting, and the 18.5 pattern (a list's items
   numbered as siblings of the clause that introduces it);
3. checks the matrix against the text (``check_citations``): numbers the S1SR lacks, and cited
   clauses about other SRVs or Device Models;
4. compares with a baseline pair (``compare_baseline``): clauses whose text moved to another
   number (matched by text, tolerant to small edits, without comparing every pair), and every
   matrix cell that now points at other text than it did.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from generator.diagnostics import Diagnostic, Location, Rule
from generator.diagnostics.rules import external as R
from generator.model import DeviceGroup, DeviceModel, NumberingLevel, NumberingScheme, counters
from generator.model.document import S1SR_SCHEME
from generator.model.external import Citation, Paragraph, ReadClause, WordDocument, Workbook
from generator.passes.numbering import reference_pattern

__all__ = [
    "DEFAULT_SCHEME",
    "DeviceIndex",
    "check_citations",
    "check_numbering",
    "check_pair",
    "compare_baseline",
    "infer_scheme",
    "match_texts",
    "place_clauses",
]

Ordinal = tuple[int, int]

DEFAULT_SCHEME = S1SR_SCHEME

_NOT_USED = re.compile(r"(?i)^\[?\s*not\s+used\s*\]?\.?$")
_SRV = re.compile(r"\bSRVs?\s?(\d+(?:\.\d+){1,2})\b((?:\s*(?:,|and|or|&)\s*\d+(?:\.\d+){1,2}\b)*)")
_SRV_MORE = re.compile(r"\d+(?:\.\d+){1,2}")
_LEAD_IN = re.compile(r"(?i)(:\s*-?\s*$|\bthe following\b[^.;:\n]*$|\bas follows\b[^.;:\n]*$|\bfollowing\s*:?\s*$)")
_ITEM_END = re.compile(r"(?i)(;|;\s*(and|or)|,\s*(and|or))\s*$")
_WORD = re.compile(r"[a-z0-9]+(?:[.'&+][a-z0-9]+)*")


# -- device mentions ---------------------------------------------------------------------
# Names under which manufacturers also appear in the text (the SEC's own usage).
_ALIASES = {
    "landis+gyr": ("L&G", "Landis & Gyr", "Landis and Gyr", "Landis Gyr"),
    "honeywell": ("Elster", "Honeywell Elster", "Honeywell/Elster"),
    "elster": ("Honeywell",),
}
_TYPES = ("ESME", "GSME", "CHF", "PPMID", "IHD")
# Phrases that concern every Device Model.
_EVERY_DEVICE = ("SMETS1 Device", "SMETS1 Devices", "SMETS1 meter", "SMETS1 meters", "every Device", "all Devices",
                 "any Device", "each Device", "every Device Model", "all Device Models", "any Device Model")
_COHORTS = ("FOC", "IOC", "MOC")


def _manufacturer_names(m: str) -> set[str]:
    names = {m.strip()}
    for part in re.split(r"[/()]", m):
        if part.strip():
            names.add(part.strip())
    for n in list(names):
        names.update(_ALIASES.get(n.lower(), ()))
    return {n for n in names if len(n) >= 2}


def _model_names(model: str) -> set[str]:
    core = re.sub(r"\s*\([^)]*\)", "", model).strip()
    names = {core} if core else set()
    for tok in core.split():
        # a distinctive token: letters and digits together (AS302P, ACE9000, SGM1412)
        if len(tok) >= 4 and any(c.isdigit() for c in tok) and any(c.isalpha() for c in tok):
            names.add(tok)
    return names


def _norm_phrase(text: str) -> str:
    return " ".join(text.lower().split())


# No Device Model, manufacturer or group name is longer; the prefix trie below recurses once per
# character, so a workbook header of a thousand characters would otherwise exhaust the stack.
_MAX_PHRASE = 100


def _trie_regex(words: Iterable[str]) -> str:
    """One alternation, factored by common prefix, so the regex engine tries each phrase's
    characters once per position (a flat alternation tries every phrase at every position)."""
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:  # type: ignore[type-arg]
        end = "" in node
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if end else body

    return build(trie)


@dataclass
class DeviceIndex:
    """Finds the Device Models a text mentions: model names, manufacturer (+ cohort) + type,
    group names, cohort + type, a device type alone, and phrases meaning every Device.

    Phrases are matched as whole words, longest first, by one prefix-factored regex.
    """

    devices: tuple[DeviceModel, ...] = ()
    groups: tuple[DeviceGroup, ...] = ()
    _phrases: dict[str, set[str]] = field(default_factory=dict)
    _rx: re.Pattern[str] | None = None
    _makers: dict[str, set[str]] = field(default_factory=dict)  # device id → manufacturer keys
    _order: dict[str, int] = field(default_factory=dict)
    _labels: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        members = _expand(self.groups, {d.id for d in self.devices})
        maker_key: dict[str, str] = {}
        for d in self.devices:
            names = _manufacturer_names(d.manufacturer) if d.manufacturer else set()
            key = min((n.lower() for n in names), default="")
            for n in names:
                maker_key.setdefault(n.lower(), key)
        for k, d in enumerate(self.devices):
            self._order.setdefault(d.id, k)
            model = re.sub(r"\s*\([^)]*\)", "", d.model)
            self._labels.setdefault(d.id, " ".join(x for x in (d.manufacturer, model) if x) or d.id)
            ids = {d.id}
            makers = _manufacturer_names(d.manufacturer) if d.manufacturer else set()
            self._makers[d.id] = {maker_key.get(n.lower(), n.lower()) for n in makers}
            for n in _model_names(d.model):
                self._add(n, ids)
                for mk in makers:
                    self._add(f"{mk} {n}", ids)
            t = d.device_type.upper()
            for mk in makers:
                self._add(mk, ids)
                if t:
                    self._add(f"{mk} {t}", ids)
                    if d.cohort:
                        self._add(f"{mk} {d.cohort} {t}", ids)
            if t and d.cohort:
                self._add(f"{d.cohort} {t}", ids)
            if t:
                self._add(t, ids)  # "an ESME": every ESME (longer names win where they match)
        for g in self.groups:
            if g.name:
                self._add(g.name, set(members.get(g.id, ())))
        everyone = {d.id for d in self.devices}
        for phrase in _EVERY_DEVICE:
            self._add(phrase, everyone)

    def _add(self, phrase: str, ids: set[str]) -> None:
        key = _norm_phrase(phrase)
        if not 2 <= len(key) <= _MAX_PHRASE:
            return
        self._phrases.setdefault(key, set()).update(ids)

    def mentions(self, text: str) -> tuple[str, ...]:
        """Device Model ids the text names, in the order of the device list."""
        if not self._phrases or not text:
            return ()
        if self._rx is None:  # compiled on first use: an index made only to find() never needs it
            self._rx = re.compile(r"(?<![a-z0-9&+])" + _trie_regex(self._phrases) + r"(?![a-z0-9&+])")
        found: set[str] = set()
        phrases = self._phrases
        for m in self._rx.finditer(_norm_phrase(text)):
            found |= phrases[m.group()]
        if not found:
            return ()
        return tuple(sorted(found, key=lambda x: self._order.get(x, 0)))

    def label(self, device_id: str) -> str:
        return self._labels.get(device_id, device_id)

    def manufacturers(self, ids: Iterable[str]) -> set[str]:
        out: set[str] = set()
        for i in ids:
            out |= self._makers.get(i, set())
        return out

    def find(self, manufacturer: str, model: str, device_type: str) -> str:
        """The id of the Device Model a workbook column names, or ""."""
        want = _norm_name(model)
        for d in self.devices:
            if want and (_norm_name(d.model) == want or _norm_name(re.sub(r"\([^)]*\)", "", d.model)) == want):
                if not device_type or d.device_type.upper() == device_type.upper():
                    return d.id
        return ""


def _norm_name(s: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", s.lower()).split())


def _expand(groups: tuple[DeviceGroup, ...], devices: set[str]) -> dict[str, tuple[str, ...]]:
    by_id = {g.id: g for g in groups}
    out: dict[str, tuple[str, ...]] = {}

    def visit(gid: str, path: tuple[str, ...]) -> tuple[str, ...]:
        if gid in out:
            return out[gid]
        acc: dict[str, None] = {}
        for m in by_id[gid].members:
            if m in by_id and m not in path:
                acc.update(dict.fromkeys(visit(m, (*path, gid))))
            elif m in devices:
                acc[m] = None
        out[gid] = tuple(acc)
        return out[gid]

    for gid in by_id:
        visit(gid, (gid,))
    return out


def srv_mentions(text: str) -> tuple[str, ...]:
    if "SRV" not in text:
        return ()
    seen: dict[str, None] = {}
    for m in _SRV.finditer(text):
        seen[m.group(1)] = None
        for more in _SRV_MORE.finditer(m.group(2) or ""):
            seen[more.group(0)] = None
    return tuple(seen)


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


def infer_scheme(paragraphs: Sequence[Paragraph]) -> NumberingScheme:
    """The scheme a document's displayed numbers follow: decimal levels (18, 18.5) then the
    bracketed levels in the order they nest ((p), (i)); the S1SR scheme when nothing says otherwise."""
    depth = 0
    relative: list[str] = []  # counter styles of bracketed labels, in order of first appearance
    for p in paragraphs:
        lab = p.label.rstrip(".")
        if not lab:
            continue
        m = re.fullmatch(r"(\d+[A-Z]{0,2}(?:\.\d+[A-Z]{0,2})*)([a-z]+)?(?:\(([ivxlcdm]+)[a-z]?\))?", lab)
        if m:
            depth = max(depth, m.group(1).count(".") + 1)
            if m.group(2):
                _note(relative, "lower-alpha")
            if m.group(3):
                _note(relative, "lower-roman")
            continue
        m = re.fullmatch(r"\(([A-Za-z]+|\d+)\)", lab)
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
    inferred = NumberingScheme(levels=tuple(levels))
    # What the S1SR's own scheme begins with is the S1SR's scheme (items may simply not occur).
    if all((a.style, a.ref, a.label) == (b.style, b.ref, b.label)
           for a, b in zip(inferred.levels, DEFAULT_SCHEME.levels, strict=False)) \
            and len(inferred.levels) <= len(DEFAULT_SCHEME.levels):
        return DEFAULT_SCHEME
    return inferred


def _note(seq: list[str], style: str) -> None:
    if style not in seq:
        seq.append(style)


# -- placing the displayed numbers ---------------------------------------------------------------
@dataclass(slots=True)
class _Open:
    number: str
    level: int
    last_child: Ordinal | None = None  # ordinal of the last child seen under this clause


@dataclass(frozen=True, slots=True)
class _Candidate:
    level: int
    ordinal: Ordinal
    token: str
    parents: tuple[str, ...] = ()  # absolute readings: the full references of every ancestor
    absolute: bool = False


@dataclass(slots=True)
class _Rec:
    number: str
    label: str
    level: int
    ordinal: Ordinal
    parent: str
    heading: str
    text: str
    paragraph: int
    plain: tuple[str, ...]
    table_text: list[str] = field(default_factory=list)
    marks: list[tuple[int, int, str, str]] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)

    def add_body(self, p: Paragraph) -> None:
        """An unnumbered paragraph after the clause: more of its text."""
        prefix = " ".join(x for x in (p.label, p.run_in) if x)
        piece = f"{prefix} {p.text}" if prefix else p.text
        if not piece:
            return
        at = len(self.text) + 1 if self.text else 0
        shift = at + (len(prefix) + 1 if prefix else 0)
        self.text = f"{self.text}\n{piece}" if self.text else piece
        self.marks.extend((a + shift, b + shift, k, v) for a, b, k, v in p.marks)
        self.anchors.extend(p.bookmarks)


@dataclass
class Placed:
    """The clauses found in a document, in document order, with the scheme used."""

    file: str
    clauses: tuple[ReadClause, ...]
    scheme: NumberingScheme
    diags: list[Diagnostic] = field(default_factory=list)
    tables: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)  # number → its table's rows
    devices: DeviceIndex | None = None  # the index the mentions were found with
    _runs: list[ListRun] | None = None
    _leads: dict[str, ReadClause] | None = None

    def by_number(self) -> dict[str, ReadClause]:
        out: dict[str, ReadClause] = {}
        for c in self.clauses:
            out.setdefault(c.number, c)
        return out

    def list_runs(self) -> list[ListRun]:
        if self._runs is None:
            self._runs = list_runs(self.clauses)
        return self._runs

    def lead_of(self) -> dict[str, ReadClause]:
        """Number of a clause numbered as a sibling of the list it belongs to → the list's lead-in."""
        if self._leads is None:
            self._leads = {x.number: r.lead for r in self.list_runs() for x in r.items}
        return self._leads


def _candidates(label: str, scheme: NumberingScheme, m: _Matchers) -> list[_Candidate]:
    lab = label.strip()
    for level in range(len(scheme.levels), 0, -1):
        fm = m.full[level - 1].fullmatch(lab)
        if fm:
            ords = _ordinals(scheme, fm.groups())
            if ords is not None and len(ords) == level:
                parents: list[str] = []
                ref = ""
                for k, o in enumerate(ords, start=1):
                    lv = scheme.levels[k - 1]
                    ref = _ref(scheme, k, ref, counters.token(o[0], o[1], lv.style, lv.insert))
                    parents.append(ref)
                return [_Candidate(level=level, ordinal=ords[-1], token=fm.groups()[-1], parents=tuple(parents),
                                   absolute=True)]
    out: list[_Candidate] = []
    for level, rx in enumerate(m.label, start=1):
        if rx is None:
            continue
        lm = rx.fullmatch(lab)
        if not lm:
            continue
        lv = scheme.levels[level - 1]
        split = counters.split_token(lm.group(1), lv.style, lv.insert)
        if split is not None:
            out.append(_Candidate(level=level, ordinal=split, token=lm.group(1)))
    return out


def _fit(o: Ordinal, prev: Ordinal | None, start: int, lv: NumberingLevel | None = None) -> int:
    """How well ``o`` follows ``prev`` (None: first of its list): 3 next in sequence, 2 an inserted
    number, 1 a gap or a wrong start, 0 backwards. With the level, insertions follow the
    numbering pass's own rule (after ``a`` comes ``ab``)."""
    if prev is None:
        return 3 if o == (start, 0) else (2 if o[0] == start else 0)
    if o == (prev[0] + 1, 0):
        return 3
    nxt = counters.next_suffix(prev[0], prev[1], lv.style, lv.insert) if lv else prev[1] + 1
    if o[0] == prev[0] and o[1] in (prev[1] + 1, nxt):
        return 2
    return 1 if o > prev else 0


class _Placer:
    def __init__(self, doc: WordDocument, scheme: NumberingScheme) -> None:
        self.doc = doc
        self.scheme = scheme
        m = _matchers(scheme)
        self.paras = doc.paragraphs
        seen: dict[str, list[_Candidate]] = {}  # a label reads the same wherever it is
        self.cands: list[list[_Candidate]] = []
        for p in self.paras:
            if not p.label:
                self.cands.append([])
                continue
            if p.label not in seen:
                seen[p.label] = _candidates(p.label, scheme, m)
            self.cands.append(seen[p.label])
        self.style_levels: dict[str, Counter[int]] = {}
        self.stack: list[_Open] = []
        self.top_last: Ordinal | None = None
        self.recs: list[_Rec] = []
        self.tables: dict[str, list[list[str]]] = {}
        self.rows: dict[tuple[int, int], list[str]] = {}
        self.headings: dict[int, str] = {}  # unnumbered headings by outline level
        self.unplaced: list[Paragraph] = []

    def prev_sibling(self, level: int) -> Ordinal | None:
        if level == 1:
            return self.top_last
        return self.stack[level - 2].last_child if len(self.stack) >= level - 1 else None

    def score(self, c: _Candidate) -> int:
        if c.absolute:
            return 4
        if len(self.stack) < c.level - 1:
            return -1
        lv = self.scheme.levels[c.level - 1]
        return _fit(c.ordinal, self.prev_sibling(c.level), lv.start, lv)

    def continues(self, c: _Candidate, i: int) -> bool:
        """Whether the next numbered paragraph reads as the next sibling of ``c``."""
        for j in range(i + 1, min(i + 60, len(self.paras))):
            if self.paras[j].in_table or not self.cands[j]:
                continue
            return any(not n.absolute and n.level == c.level and _fit(n.ordinal, c.ordinal, 1) >= 2
                       for n in self.cands[j])
        return False

    def choose(self, i: int, p: Paragraph) -> _Candidate | None:
        options = [(self.score(c), c) for c in self.cands[i]]
        options = [(s, c) for s, c in options if s >= 0]
        if not options:
            return None
        best = max(s for s, _ in options)
        tied = [c for s, c in options if s == best]
        if len(tied) == 1:
            if p.style:
                self.style_levels.setdefault(p.style, Counter())[tied[0].level] += 1
            return tied[0]
        hint = self.style_levels.get(p.style) if p.style else None
        if hint:
            total = sum(hint.values())
            for c in tied:
                if hint[c.level] >= 2 and hint[c.level] >= 0.9 * total:
                    return c
        if p.style:
            # A level whose paragraphs have a style of their own, not this one, is not this paragraph's.
            other = [c for c in tied if self._own_style(c.level) not in ("", p.style)]
            if 0 < len(other) < len(tied):
                tied = [c for c in tied if c not in other]
        going = [c for c in tied if self.continues(c, i)]
        return min(going or tied, key=lambda c: c.level)

    def _own_style(self, level: int) -> str:
        """The style the paragraphs of ``level`` established (seen at least twice, nowhere else)."""
        for st, counts in self.style_levels.items():
            if counts[level] >= 2 and counts[level] == sum(counts.values()):
                return st
        return ""

    def table_cell(self, p: Paragraph) -> None:
        if not self.recs:
            return
        rec = self.recs[-1]
        key = (p.table, p.row)
        row = self.rows.get(key)
        if row is None:
            row = self.rows[key] = []
            self.tables.setdefault(rec.number, []).append(row)
        while len(row) < p.col:
            row.append("")
        text = f"{p.label} {p.text}".strip() if p.label else p.text
        row[p.col - 1] = f"{row[p.col - 1]}\n{text}".strip()
        rec.table_text.append(text)

    def run(self) -> list[_Rec]:
        for i, p in enumerate(self.paras):
            if p.in_table:
                self.table_cell(p)
                continue
            chosen = self.choose(i, p) if p.label else None
            if chosen is None:
                if p.label:
                    self.unplaced.append(p)
                if p.heading and not p.label:
                    self.headings = {k: v for k, v in self.headings.items() if k < p.heading}
                    self.headings[p.heading] = p.text
                elif self.recs:
                    self.recs[-1].add_body(p)
                continue
            self.place(chosen, p)
        return self.recs

    def place(self, c: _Candidate, p: Paragraph) -> None:
        level = c.level
        if c.absolute:
            parent = c.parents[-2] if level > 1 else ""
            number = c.parents[-1]
            # Rebuild the open levels above from the number itself when they are not the clauses above.
            for k in range(1, level):
                if len(self.stack) < k or self.stack[k - 1].number != c.parents[k - 1]:
                    del self.stack[k - 1:]
                    self.stack.append(_Open(number=c.parents[k - 1], level=k))
        else:
            parent = self.stack[level - 2].number if level > 1 else ""
            number = _ref(self.scheme, level, parent, c.token)
        del self.stack[level - 1:]
        if level == 1:
            self.top_last = c.ordinal
        else:
            self.stack[level - 2].last_child = c.ordinal
        self.stack.append(_Open(number=number, level=level))
        heading, text = (p.text, "") if p.heading else (p.run_in, p.text)
        self.recs.append(_Rec(number=number, label=p.label, level=level, ordinal=c.ordinal, parent=parent,
                              heading=heading, text=text, paragraph=p.index,
                              plain=tuple(v for _, v in sorted(self.headings.items())),
                              marks=list(p.marks) if text else [], anchors=list(p.bookmarks)))


def place_clauses(doc: WordDocument, scheme: NumberingScheme | None = None,
                  devices: DeviceIndex | None = None) -> Placed:
    """Every numbered paragraph as a clause: full reference, level, text, heading context, mentions."""
    scheme = scheme or infer_scheme(doc.paragraphs)
    placer = _Placer(doc, scheme)
    recs = placer.run()
    diags: list[Diagnostic] = []
    for p in placer.unplaced[:20]:
        diags.append(Diagnostic.make(
            R.UNPLACED_LABEL,
            f"paragraph {p.index} ('{_short(p.label + ' ' + p.text)}') starts with '{p.label}', which fits no level "
            f"of the numbering ({_scheme_summary(scheme)})",
            Location(file=doc.file), help="correct the number, or place the paragraph under the clause it belongs to"))
    if len(placer.unplaced) > 20:
        diags.append(Diagnostic.make(R.UNPLACED_LABEL, f"{len(placer.unplaced) - 20} more paragraphs start with a "
                                     "number that fits no level", Location(file=doc.file)))
    devices = devices or DeviceIndex()
    clauses = _finish(recs, devices)
    if not clauses:
        diags.append(Diagnostic.make(
            R.NO_CLAUSES, f"{doc.file}: no paragraph starts with a clause number ({_scheme_summary(scheme)}), so "
            "nothing can be checked", Location(file=doc.file), help="give the S1SR itself"))
    return Placed(file=doc.file, clauses=clauses, scheme=scheme, diags=diags, devices=devices,
                  tables={k: tuple(tuple(r) for r in v) for k, v in placer.tables.items()})


def _scheme_summary(scheme: NumberingScheme) -> str:
    out = []
    parent = ""
    for lv in scheme.levels:
        tok = counters.render(lv.start if lv.style == "decimal" else max(lv.start, 1), lv.style)
        parent = lv.ref.replace("{parent}", parent).replace("{n}", tok)
        out.append(lv.label.replace("{ref}", parent).replace("{n}", tok))
    return ", ".join(out)


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _finish(recs: list[_Rec], devices: DeviceIndex) -> tuple[ReadClause, ...]:
    out: list[ReadClause] = []
    by_number: dict[str, ReadClause] = {}
    plain_mentions: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for r in recs:
        text = r.text
        ctx: list[str] = list(r.plain)
        ctx_srvs: dict[str, None] = {}
        ctx_devs: dict[str, None] = {}
        for h in r.plain:
            if h not in plain_mentions:
                plain_mentions[h] = (srv_mentions(h), devices.mentions(h))
            ctx_srvs.update(dict.fromkeys(plain_mentions[h][0]))
            ctx_devs.update(dict.fromkeys(plain_mentions[h][1]))
        parent = by_number.get(r.parent)
        if parent is not None:
            # What is above the parent, then the parent itself (its mentions were found once, with it).
            ctx = [*ctx, *(x for x in parent.context if x not in ctx), *(x for x in (parent.heading, parent.text) if x)]
            for group in (parent.context_srvs, parent.srvs):
                ctx_srvs.update(dict.fromkeys(group))
            for group in (parent.context_devices, parent.devices):
                ctx_devs.update(dict.fromkeys(group))
        mention_text = " ".join((r.heading, text, *r.table_text))
        c = ReadClause(
            number=r.number, label=r.label, level=r.level, ordinal=r.ordinal, parent=r.parent, text=text,
            heading=r.heading, context=tuple(ctx), srvs=srv_mentions(mention_text),
            devices=devices.mentions(mention_text), paragraph=r.paragraph,
            not_used=bool(_NOT_USED.match(text)) and not r.heading,
            context_srvs=tuple(ctx_srvs), context_devices=tuple(ctx_devs),
            marks=tuple(r.marks), anchors=tuple(r.anchors),
        )
        out.append(c)
        by_number.setdefault(c.number, c)
    return tuple(out)


# -- the numbering a reader sees -------------------------------------------------------------
def _where(file: str, c: ReadClause) -> Location:
    return Location(file=file, clause_number=c.number)


def _token(scheme: NumberingScheme, level: int, o: Ordinal) -> str:
    lv = scheme.levels[level - 1]
    return counters.token(o[0], o[1], lv.style, lv.insert)


@dataclass(frozen=True, slots=True)
class ListRun:
    """A clause introducing a list, and the siblings after it that read as the list's items."""

    lead: ReadClause
    items: tuple[ReadClause, ...]
    later: tuple[ReadClause, ...]  # the siblings after the items, whose numbers moved


def _is_lead_in(c: ReadClause) -> bool:
    tail = c.text[-160:].rstrip()
    if not tail:
        return False
    if tail[-1] == ":" or tail.endswith(":-"):
        return True
    return "follow" in tail.lower() and bool(_LEAD_IN.search(tail))


def _item_like(c: ReadClause) -> bool:
    t = c.text.strip()
    return bool(t) and not c.heading and (bool(_ITEM_END.search(t)) or t[0].islower())


def list_runs(clauses: Sequence[ReadClause]) -> list[ListRun]:
    """The 18.5 pattern: a clause ends by introducing a list, has no children, and the siblings
    that follow read as list items (they start in lower case or end with ';', '; and', '; or')."""
    siblings: dict[tuple[str, int], list[int]] = {}
    for i, c in enumerate(clauses):
        siblings.setdefault((c.parent, c.level), []).append(i)
    out: list[ListRun] = []
    for i, c in enumerate(clauses):
        if not _is_lead_in(c) or i + 1 >= len(clauses):
            continue
        nxt = clauses[i + 1]
        if nxt.level != c.level or nxt.parent != c.parent:
            continue  # it has children (or the section ends): the list is where it should be
        sibs = siblings[(c.parent, c.level)]
        pos = sibs.index(i)
        items: list[ReadClause] = []
        for k in sibs[pos + 1:]:
            y = clauses[k]
            prev_joins = bool(items) and bool(re.search(r"(?i)\b(and|or)\s*$", items[-1].text.strip()))
            if _item_like(y) or (prev_joins and not y.heading):
                items.append(y)
                if prev_joins and not _item_like(y):
                    break
                if y.text.rstrip().endswith("."):
                    break
            else:
                break
        if items:
            later = tuple(clauses[k] for k in sibs[pos + 1 + len(items):])
            out.append(ListRun(lead=c, items=tuple(items), later=later))
    return out


def _span(numbers: Sequence[str]) -> str:
    if len(numbers) == 1:
        return numbers[0]
    if len(numbers) == 2:
        return f"{numbers[0]} and {numbers[1]}"
    if len(numbers) <= 4:
        return ", ".join(numbers[:-1]) + f" and {numbers[-1]}"
    return f"{numbers[0]} to {numbers[-1]}"


def check_numbering(placed: Placed) -> list[Diagnostic]:
    """Duplicates, gaps, numbers out of order, levels not restarted, and the 18.5 pattern."""
    scheme, file = placed.scheme, placed.file
    diags: list[Diagnostic] = []
    first: dict[str, ReadClause] = {}
    last: dict[int, ReadClause | None] = {}
    closed: dict[int, Ordinal] = {}
    for c in placed.clauses:
        lv = scheme.levels[c.level - 1]
        other = first.get(c.number)
        if other is not None:
            diags.append(Diagnostic.make(
                R.DUPLICATE, f"clause number {c.number} is shown twice (paragraphs {other.paragraph} and "
                f"{c.paragraph}): '{_short(other.full_text)}' and '{_short(c.full_text)}'", _where(file, c),
                related=[_where(file, other)], help="renumber one of them; an inserted clause takes an insertion "
                "number (18.5A, 18.5pa)"))
        else:
            first[c.number] = c
        prev = last.get(c.level)
        if prev is None:
            if c.level > 1 and c.ordinal[0] != lv.start:
                cousin = closed.get(c.level)
                expected = _ref(scheme, c.level, c.parent, _token(scheme, c.level, (lv.start, 0)))
                if cousin is not None and c.ordinal == (cousin[0] + 1, 0):
                    diags.append(Diagnostic.make(
                        R.NOT_RESTARTED, f"{c.number} is the first sub-clause of {c.parent} but continues the "
                        f"numbering of the previous clause's list; it should be {expected}", _where(file, c),
                        help="restart the numbering at this sub-clause (Word: Restart at 1), or type the numbers"))
                elif c.ordinal[0] > lv.start:
                    diags.append(Diagnostic.make(
                        R.GAP, f"{c.number} is the first sub-clause of {c.parent}; {expected} is missing",
                        _where(file, c), help="put the missing clause back as '[Not used]', or correct the number"))
        elif c.number != prev.number:
            fit = _fit(c.ordinal, prev.ordinal, lv.start, lv)
            if fit == 0:
                diags.append(Diagnostic.make(
                    R.OUT_OF_ORDER, f"{c.number} comes after {prev.number}, out of order", _where(file, c),
                    related=[_where(file, prev)], help="correct the number or move the clause"))
            elif fit == 1:
                if c.ordinal[0] == prev.ordinal[0]:
                    nxt = counters.next_suffix(prev.ordinal[0], prev.ordinal[1], lv.style, lv.insert)
                    missing = _ref(scheme, c.level, c.parent, _token(scheme, c.level, (prev.ordinal[0], nxt)))
                else:
                    missing = _ref(scheme, c.level, c.parent, _token(scheme, c.level, (prev.ordinal[0] + 1, 0)))
                diags.append(Diagnostic.make(
                    R.GAP, f"{c.number} follows {prev.number}: {missing} is missing", _where(file, c),
                    related=[_where(file, prev)],
                    help="a deleted clause stays as '[Not used]' so later numbers do not move; put it back or "
                    "correct the number"))
        last[c.level] = c
        for k in [k for k in last if k > c.level]:
            done = last.pop(k)
            if done is not None:
                closed[k] = done.ordinal
    for run in placed.list_runs():
        diags.append(_list_run_finding(run, scheme, file))
    return diags


def _list_run_finding(run: ListRun, scheme: NumberingScheme, file: str) -> Diagnostic:
    lead, items = run.lead, run.items
    level = lead.level + 1
    expected = ""
    if level <= len(scheme.levels):
        lv = scheme.levels[level - 1]
        exp = [_ref(scheme, level, lead.number, _token(scheme, level, (lv.start + k, 0))) for k in range(len(items))]
        expected = f"; as its items they would be {_span(exp)}"
    msg = (f"{lead.number} introduces a list ('…{_short(lead.text[-50:], 50)}'), but {_span([c.number for c in items])}, "
           f"which read as its items, are numbered as its siblings{expected}")
    if run.later:
        n = len(items)
        msg += (f"; every later clause from {run.later[0].number} on is numbered {n} place{'s' if n > 1 else ''} later "
                "than it would be, so references to them point at other text")
    return Diagnostic.make(R.LIST_AS_SIBLINGS, msg, _where(file, items[0]),
                           related=[_where(file, lead), *(_where(file, c) for c in items[1:])],
                           help=f"demote {_span([c.number for c in items])} one level, under {lead.number}, so the "
                           "clauses after them keep their numbers")


def check_paragraphs(doc: WordDocument) -> list[Diagnostic]:
    """What only the paragraphs show: numbers that depend on the program, two numbers in one paragraph."""
    diags: list[Diagnostic] = []
    seen_lists: set[str] = set()
    typed = re.compile(r"^\(?\d+(\.\d+)+[a-z]{0,3}(\([ivxlcdm]+\))?\)?\s|^\([a-z]{1,3}\)\s|^\([ivxlcdm]{1,6}\)\s")
    for p in doc.paragraphs:
        if p.libreoffice_label and p.list_id not in seen_lists:
            seen_lists.add(p.list_id)
            count = sum(1 for q in doc.paragraphs if q.list_id == p.list_id and q.libreoffice_label)
            diags.append(Diagnostic.make(
                R.VIEWER_DEPENDENT,
                f"paragraph {p.index} ('{_short(p.text, 40)}') shows {p.label} in Word but {p.libreoffice_label} in "
                f"LibreOffice" + (f", and so do {count - 1} more paragraphs of the same list" if count > 1 else ""),
                Location(file=doc.file, clause_number=p.label),
                help="type the clause numbers as text, or remove the legal-numbering and restart settings of the list"))
        if p.auto and typed.match(p.text + " "):
            diags.append(Diagnostic.make(
                R.TWO_NUMBERS, f"paragraph {p.index} shows the automatic number {p.label} and then the typed number "
                f"'{p.text.split()[0]}'", Location(file=doc.file, clause_number=p.label),
                help="remove one of the two numbers"))
    return diags


# -- the DMVESM against the S1SR --------------------------------------------------------------------
def _srv_covers(mentioned: str, srv: str) -> bool:
    return mentioned == srv or srv.startswith(mentioned + ".") or mentioned.startswith(srv + ".")


def check_citations(placed: Placed, workbook: Workbook, devices: DeviceIndex) -> list[Diagnostic]:
    """Numbers the S1SR lacks (EXT101); cited clauses about other SRVs or Device Models (EXT102/103)."""
    diags: list[Diagnostic] = []
    by_number = placed.by_number()
    numbers = list(by_number)
    lead_of = placed.lead_of()
    found: list[tuple[Rule, str, Citation, str, str, ReadClause]] = []
    topics: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {}

    def topic(c: ReadClause) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """(own SRVs, own Device Models, SRVs above it, Device Models above it) of a clause, once."""
        if c.number not in topics:
            same = placed.devices is devices
            own_srvs, own_devs = c.srvs, c.devices if same else devices.mentions(c.full_text)
            ctx_srvs, ctx_devs = c.context_srvs, c.context_devices if same else devices.mentions(" ".join(c.context))
            lead = lead_of.get(c.number)
            if lead is not None:
                own_srvs = own_srvs + lead.srvs
                own_devs = own_devs + (lead.devices if same else devices.mentions(lead.full_text))
            topics[c.number] = (own_srvs, tuple(dict.fromkeys(own_devs)), ctx_srvs, ctx_devs)
        return topics[c.number]

    for cite in workbook.citations:
        where = Location(file=workbook.file, sheet=cite.sheet, cell=cite.cell)
        who = f"{cite.sheet}!{cite.cell} (SRV {cite.srv}, {cite.device_label})"
        for n in cite.numbers:
            c = by_number.get(n)
            if c is None:
                diags.append(Diagnostic.make(
                    R.CITED_MISSING, f"{who} cites {n}, which the S1SR ({placed.file}) does not have", where,
                    help=_nearest(n, by_number, numbers)))
                continue
            own_srvs, own_devs, ctx_srvs, ctx_devs = topic(c)
            lead = lead_of.get(c.number)
            srv_ok = any(_srv_covers(m, cite.srv) for m in (*own_srvs, *ctx_srvs))
            dev_ok = bool(cite.device) and cite.device in (*own_devs, *ctx_devs)
            dev_other = bool(cite.device) and bool(own_devs) and not dev_ok
            if not dev_other and (srv_ok or dev_ok):
                continue
            about = _short(c.full_text, 70)
            via = f" (with {lead.number}, whose list it continues)" if lead is not None else ""
            if dev_other or own_srvs:
                if dev_other:
                    names = list(dict.fromkeys(devices.label(d) for d in own_devs))
                    what = ", ".join(names[:3]) + (" …" if len(names) > 3 else "")
                    instead = cite.device_label
                else:
                    what = "SRV " + ", ".join(dict.fromkeys(own_srvs))
                    instead = f"SRV {cite.srv} or {cite.device_label}"
                found.append((R.CITED_OFF_TOPIC, n, cite, f"concerns {what}{via}, not {instead}", about, c))
            else:
                found.append((R.CITED_UNRELATED, n, cite, f"mentions neither SRV {cite.srv} nor its Device Model, in "
                              "its text or above it", about, c))
    diags += _grouped(found, placed.file, workbook.file)
    return diags


def _nearest(n: str, by_number: dict[str, ReadClause], numbers: list[str]) -> str:
    """What the S1SR has near a missing number: the parent's sub-clauses, else the closest numbers."""
    for k in range(len(n) - 1, 0, -1):
        parent = by_number.get(n[:k])
        if parent is None:
            continue
        kids = [c.number for c in by_number.values() if c.parent == parent.number]
        if kids:
            has = f"{kids[0]} to {kids[-1]}" if len(kids) > 1 else f"only {kids[0]}"
            return f"{parent.number} has {has}; correct the reference or add the clause"
        break
    near = difflib.get_close_matches(n, numbers, n=1, cutoff=0.6)
    return f"did you mean {near[0]}?" if near else "correct the reference or add the clause"


def _cells(cites: Sequence[Citation]) -> str:
    names = [f"{c.sheet}!{c.cell}" for c in cites]
    return names[0] if len(names) == 1 else (", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3
                                                                     else ""))


def _grouped(found: list[tuple[Rule, str, Citation, str, str, ReadClause]], doc_file: str, book_file: str
             ) -> list[Diagnostic]:
    """One finding per cited clause, SRV and reason, naming every cell (a row of the matrix often
    cites one clause for many Device Models)."""
    groups: dict[tuple[str, str, str, str], list[tuple[Rule, str, Citation, str, str, ReadClause]]] = {}
    for f in found:
        rule, n, cite, why, _about, _c = f
        key = (rule.code, n, cite.srv, why if rule is R.CITED_UNRELATED or "SRV" in why.split(",")[0] else
               why + cite.device_label)
        groups.setdefault(key, []).append(f)
    out: list[Diagnostic] = []
    for items in groups.values():
        rule, n, cite, why, about, c = items[0]
        cites = [f[2] for f in items]
        if len(cites) == 1:
            who = f"{cite.sheet}!{cite.cell} (SRV {cite.srv}, {cite.device_label})"
        else:
            who = f"{_cells(cites)} (SRV {cite.srv}; {len(cites)} Device Models)"
        where = [Location(file=book_file, sheet=x.sheet, cell=x.cell) for x in cites]
        out.append(Diagnostic.make(
            rule, f"{who} cite{'s' if len(cites) == 1 else ''} {n}, which {why}: '{about}'", where[0],
            related=[*where[1:], _where(doc_file, c)],
            help="cite the clause that describes this Device Model's variation for this SRV, or correct the S1SR's "
            "numbering" if rule is R.CITED_OFF_TOPIC else
            "check the citation; if it is right, name the SRV or Device Model in the clause"))
    return out


# -- against a baseline --------------------------------------------------------------------------
def _norm_text(c: ReadClause) -> str:
    return " ".join(_WORD.findall(c.full_text.lower()))


def _shingles(words: list[str]) -> set[str]:
    if len(words) < 3:
        return {" ".join(words)} if words else set()
    return {" ".join(words[k:k + 3]) for k in range(len(words) - 2)}


def match_texts(old: Sequence[ReadClause], new: Sequence[ReadClause], *, threshold: float = 0.75
                ) -> dict[int, int]:
    """Old clause index → new clause index of the same text (tolerant to small edits).

    Exact normalised text first (in order, so repeated texts pair up in sequence, the same number
    preferred); then, for the rest, candidates that share rare word shingles, scored with
    difflib — never every pair.
    """
    result: dict[int, int] = {}
    taken: set[int] = set()
    exact: dict[str, list[int]] = {}
    new_norm = [_norm_text(c) for c in new]
    for j, t in enumerate(new_norm):
        if t and not new[j].not_used:
            exact.setdefault(t, []).append(j)
    rest: list[int] = []
    for i, c in enumerate(old):
        t = _norm_text(c)
        if not t or c.not_used:
            continue
        js = [j for j in exact.get(t, ()) if j not in taken]
        if not js:
            rest.append(i)
            continue
        same = [j for j in js if new[j].number == c.number]
        j = same[0] if same else js[0]
        result[i] = j
        taken.add(j)
    if not rest:
        return result
    free = [j for j in range(len(new)) if j not in taken and new_norm[j] and not new[j].not_used]
    index: dict[str, list[int]] = {}
    new_words: dict[int, list[str]] = {}
    for j in free:
        words = new_norm[j].split()
        new_words[j] = words
        for sh in _shingles(words):
            index.setdefault(sh, []).append(j)
    common = max(50, len(free) // 20)
    pairs: list[tuple[float, int, int]] = []
    for i in rest:
        words = _norm_text(old[i]).split()
        votes: Counter[int] = Counter()
        for sh in _shingles(words):
            hits = index.get(sh, ())
            if len(hits) <= common:
                votes.update(hits)
        for j, _ in votes.most_common(5):
            sm = difflib.SequenceMatcher(None, words, new_words[j], autojunk=False)
            if sm.real_quick_ratio() < threshold or sm.quick_ratio() < threshold:
                continue
            r = sm.ratio()
            if r >= threshold:
                pairs.append((r + (0.001 if new[j].number == old[i].number else 0.0), i, j))
    for _r, i, j in sorted(pairs, reverse=True):
        if i not in result and j not in taken:
            result[i] = j
            taken.add(j)
    return result


def _names_device(placed: Placed, c: ReadClause, device: str) -> bool:
    """The clause's own text (or the lead-in of the list it continues) names the Device Model."""
    if not device:
        return False
    lead = placed.lead_of().get(c.number)
    return device in c.devices or (lead is not None and device in lead.devices)


def compare_baseline(old: Placed, new: Placed, old_book: Workbook | None, new_book: Workbook | None
                     ) -> list[Diagnostic]:
    """Clauses whose text moved to another number (EXT201); matrix cells that now point at other
    text than they did in the baseline (EXT202), or at text that is gone (EXT203). A cell whose new
    text names its Device Model where the old text did not is a correction (EXT204, a note)."""
    diags: list[Diagnostic] = []
    matched = match_texts(old.clauses, new.clauses)
    moved_to: dict[str, ReadClause] = {}  # old number → the new clause holding its text
    for i, j in sorted(matched.items()):
        was_c, now_c = old.clauses[i], new.clauses[j]
        moved_to.setdefault(was_c.number, now_c)
        if was_c.number != now_c.number:
            diags.append(Diagnostic.make(
                R.TEXT_MOVED,
                f"the text of {was_c.number} in the baseline ('{_short(was_c.full_text)}') is now {now_c.number}",
                _where(new.file, now_c), related=[_where(old.file, was_c)],
                help=f"restore {was_c.number}, or declare the renumbering and update every DMVESM cell citing "
                f"{was_c.number}"))
    if old_book is None or new_book is None:
        return diags
    old_by = old.by_number()
    new_by = new.by_number()
    old_cells: dict[tuple[str, str], Citation] = {}
    for cite in old_book.citations:
        old_cells.setdefault(_cell_key(cite), cite)
    gone: set[str] = {old.clauses[i].number for i in range(len(old.clauses)) if i not in matched}
    for cite in new_book.citations:
        before = old_cells.get(_cell_key(cite))
        if before is None:
            continue
        where = Location(file=new_book.file, sheet=cite.sheet, cell=cite.cell)
        who = f"{cite.sheet}!{cite.cell} (SRV {cite.srv}, {cite.device_label})"
        for n in cite.numbers:
            if n not in before.numbers or n not in old_by:
                continue
            was = old_by[n]
            now = new_by.get(n)
            home = moved_to.get(n)
            if home is not None and home.number == n:
                continue
            if home is not None and now is not None and _names_device(new, now, cite.device) \
                    and not _names_device(old, was, cite.device):
                diags.append(Diagnostic.make(
                    R.CELL_CORRECTED,
                    f"{who} cites {n}, which now reads '{_short(now.full_text)}', about this Device Model; in the "
                    f"baseline {n} read '{_short(was.full_text)}' (now {home.number})", where,
                    related=[_where(new.file, now), _where(new.file, home)],
                    help="a correction: declare the renumbering in the change set so the letter lists it"))
            elif home is not None:
                reads = f"; {n} now reads '{_short(now.full_text)}'" if now is not None else f"; {n} no longer exists"
                diags.append(Diagnostic.make(
                    R.CELL_RETARGETED,
                    f"{who} cites {n}, which in the baseline read '{_short(was.full_text)}'; that text is now "
                    f"{home.number}{reads}", where,
                    related=[_where(new.file, home), *([_where(new.file, now)] if now is not None else [])],
                    help=f"cite {home.number} in {cite.sheet}!{cite.cell}, or restore the S1SR's numbering so the "
                    f"text is {n} again"))
            elif n in gone:
                diags.append(Diagnostic.make(
                    R.CITED_TEXT_GONE,
                    f"{who} cites {n}, whose baseline text ('{_short(was.full_text)}') is nowhere in the new S1SR"
                    + (f"; {n} now reads '{_short(now.full_text)}'" if now is not None else ""), where,
                    help="check that the clause now cited still describes the variation"))
    return diags


def _cell_key(c: Citation) -> tuple[str, str]:
    return (c.srv, c.device or _norm_name(c.device_label))


# -- everything ---------------------------------------------------------------------------------------
def check_pair(doc: WordDocument, book: Workbook | None, *, scheme: NumberingScheme | None = None,
               devices: DeviceIndex | None = None, baseline_doc: WordDocument | None = None,
               baseline_book: Workbook | None = None) -> list[Diagnostic]:
    """Every check on a read S1SR (and DMVESM, and baseline pair)."""
    devices = devices or DeviceIndex()
    if scheme is None:
        scheme = infer_scheme((*doc.paragraphs, *(baseline_doc.paragraphs if baseline_doc else ())))
    placed = place_clauses(doc, scheme, devices)
    diags = [*placed.diags, *check_paragraphs(doc), *check_numbering(placed)]
    if book is not None:
        diags += check_citations(placed, book, devices)
    if baseline_doc is not None:
        old = place_clauses(baseline_doc, scheme, devices)
        diags += compare_baseline(old, placed, baseline_book, book)
    return diags
