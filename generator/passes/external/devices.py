"""Device Models and SRVs as the text names them: an index of every way a Device Model is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from generator.model import DeviceGroup, DeviceModel, expand_groups

_SRV = re.compile(r"\bSRVs?\s?(\d+(?:\.\d+){1,2})\b((?:\s*(?:,|and|or|&)\s*\d+(?:\.\d+){1,2}\b)*)")


_SRV_MORE = re.compile(r"\d+(?:\.\d+){1,2}")


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
        alts: list[str] = []
        for ch, child in sorted(node.items()):
            if not ch:
                continue
            # A chain of single children is one literal: the same pattern as a call per
            # character, made in a fraction of the time (re.escape works character by character).
            chain = [ch]
            while len(child) == 1 and "" not in child:
                ((nxt, child),) = child.items()
                chain.append(nxt)
            alts.append(re.escape("".join(chain)) + build(child))
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
    # The ids of a set of phrases found: clauses name the same few ("an ESME": hundreds of ids), so
    # the union and the sort in the device list's order are made once per set.
    _ids_of: dict[frozenset[str], tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        members = expand_groups(self.groups, {d.id for d in self.devices})
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
        phrases = self._phrases
        hits = frozenset(self._rx.findall(_norm_phrase(text)))  # (no capturing group: the whole matches)
        if not hits:
            return ()
        ids = self._ids_of.get(hits)
        if ids is None:
            found: set[str] = set().union(*(phrases[h] for h in hits))
            ids = self._ids_of[hits] = tuple(sorted(found, key=self._order.__getitem__))  # all in the list
        return ids

    def label(self, device_id: str) -> str:
        return self._labels.get(device_id, device_id)

    def manufacturers(self, ids: Iterable[str]) -> set[str]:
        out: set[str] = set()
        for i in ids:
            out |= self._makers.get(i, set())
        return out

    def find(self, manufacturer: str, model: str, device_type: str) -> str:
        """The id of the Device Model a workbook column names, or "" when none or several fit: its
        model (alone, or after its manufacturer), of its type, and of its manufacturer (or one of
        its other names) when the column names one."""
        want = _norm_name(model)
        maker = f" {_norm_name(manufacturer)} "
        if not want:
            return ""
        found: list[str] = []
        for d in self.devices:
            if device_type and d.device_type.upper() != device_type.upper():
                continue
            makers = {_norm_name(n) for n in _manufacturer_names(d.manufacturer)} if d.manufacturer else set()
            if maker.strip() and not any(f" {m} " in maker for m in makers):
                continue
            models = {_norm_name(d.model), _norm_name(re.sub(r"\([^)]*\)", "", d.model))}
            if want in models or any(f"{m} {x}" == want for m in makers for x in models):
                found.append(d.id)
        return found[0] if len(found) == 1 else ""  # two Device Models fit: not a guess


def _norm_name(s: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", s.lower()).split())


def srv_mentions(text: str) -> tuple[str, ...]:
    if "SRV" not in text:
        return ()
    seen: dict[str, None] = {}
    for m in _SRV.finditer(text):
        seen[m.group(1)] = None
        for more in _SRV_MORE.finditer(m.group(2) or ""):
            seen[more.group(0)] = None
    return tuple(seen)

