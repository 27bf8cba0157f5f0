"""Synthetic S1SR-shaped content folders, seeded and reproducible, at a scale factor.

At scale 1: about 1,500 clauses in 25 sections, four levels deep, 40 Device Models in named
groups, every SRV of the DUIS list (``generator/data/srvs.csv``), 600 DMVESM cells, tables and
cross-references in the proportions of the real S1SR. Every count scales with the factor
except the SRVs: the DUIS list is a fixed fact, so at 10× the matrix grows through the Device
Models (400 × 129 instead of 40 × 129) and keeps its density.

:func:`generate` writes the base source, freezes it as release ``r1`` through the package API,
then applies a realistic change (2% of clauses amended, 1% added, 0.5% marked [Not used], one
declared renumbering that demotes list items numbered as sub-clauses, whose numbers then read
[Not used]) and writes the draft's ``changes.yaml``, so the draft checks clean against the release.

The same seed and scale give the same bytes.
"""

from __future__ import annotations

import csv
import os
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
SRVS_CSV = REPO / "generator" / "data" / "srvs.csv"  # the DUIS list the package ships

# Counts at scale 1.
SECTIONS = 25
CLAUSES = 1500
DEVICES = 40
CELLS = 600
TABLE_SHARE = 0.02
XREF_SHARE = 0.10
AMEND_SHARE = 0.02
ADD_SHARE = 0.01
NOT_USED_SHARE = 0.005

RELEASE = "r1"
BASE_DATE = "2024-06-28"
DRAFT_DATE = "2025-03-31"

NUMBERING = [
    {"name": "section", "style": "decimal", "ref": "{n}", "insert": "upper-alpha"},
    {"name": "clause", "style": "decimal", "ref": "{parent}.{n}", "insert": "upper-alpha"},
    {"name": "sub-clause", "style": "lower-alpha", "ref": "{parent}{n}", "label": "({n})", "insert": "lower-alpha"},
    {"name": "item", "style": "lower-roman", "ref": "{parent}({n})", "label": "({n})", "insert": "lower-alpha"},
]

# -- words -----------------------------------------------------------------------------------
TOPICS = (
    "Introduction", "Definitions", "General Obligations", "Device Models", "Equivalent Steps",
    "Tariffs", "Prepayment", "Supply Control", "Profile Data", "Alerts", "Firmware", "Security Credentials",
    "Time Synchronisation", "Device Logs", "Meter Readings", "Load Limiting", "Auxiliary Load Control",
    "Commissioning", "Decommissioning", "Communications Hubs", "In-Home Displays", "Gas Meters",
    "Error Handling", "Configuration", "Service Responses",
)
ACTORS = (
    "the S1SP", "the DCC", "each Supplier Party", "the Responsible Supplier", "the Network Party",
    "the SMETS1 Service Provider", "the Registration Data Provider",
)
VERBS = (
    "shall send", "shall validate", "shall record", "shall reject", "shall translate", "shall hold",
    "shall retain", "shall apply", "shall return", "shall not send", "may re-send", "shall log",
)
OBJECTS = (
    "the Equivalent Steps", "the Service Response", "the Alert", "the Device Log", "the Tariff",
    "the Profile Data Log", "the Supply Status", "the Billing Data Log", "the Event Log",
    "the Prepayment Meter Balance", "the Load Limit Period", "the Randomised Offset",
    "the Security Log", "the Device Security Credentials", "the Daily Read Log",
)
CONDITIONS = (
    "where the Device does not acknowledge the command within the time-out",
    "before any Equivalent Step is sent to the Device",
    "at the next scheduled communication with the Device",
    "unless the Service Request is future dated",
    "only after the Device has confirmed the previous step",
    "in the order in which the Service Requests were received",
    "within the period that the Service Request specifies",
    "whenever the Device reports a change of state",
    "where the Device Model supports it",
    "without waiting for a reply from the Communications Hub",
)
TERMS = (
    "Device Model", "SMETS1 Device", "Equivalent Steps", "Service Request", "Alert", "Command",
    "Communications Hub", "Device Log", "Non-GBCS Alert", "Responsible Supplier",
)
VARIATIONS = (
    "send the Equivalent Steps at the first wake-up of the Device after the execution time",
    "return the values held in the Device without converting their units",
    "set the Randomised Offset to zero before it sends the Command",
    "read the register twice and return the later value",
    "split the request into one Equivalent Step per tariff block",
    "report a partial success when the Device applies only the first element",
    "send a Non-GBCS Alert in place of the Alert that DUIS describes",
    "hold the new value until the next billing period begins",
    "decline the request with a reason code, because the Device cannot perform it",
    "apply the change to both elements of a twin element meter",
)
ITEM_PHRASES = (
    "the half-hourly import profile", "the daily export register", "the tariff switching table",
    "the load limit threshold", "the supply arming state", "the debt recovery rate",
    "the emergency credit limit", "the power threshold settings", "the billing calendar",
    "the maximum demand register",
)
MANUFACTURERS = (
    ("Secure", "secure", "MOC"), ("Landis+Gyr", "lg", "FOC"), ("Honeywell", "honeywell", "FOC"),
    ("Itron", "itron", "FOC"), ("EDMI", "edmi", "IOC"), ("Aclara", "aclara", "IOC"),
    ("Flonidan", "flonidan", "IOC"), ("Elster", "elster", "IOC"),
)
DEVICE_TYPES = ("ESME", "ESME", "ESME", "GSME", "GSME", "CHF", "PPMID", "IHD")


# -- the tree -------------------------------------------------------------------------------
@dataclass
class Node:
    id: str
    level: int
    heading: str = ""
    text: str = ""
    table: dict[str, Any] | None = None
    applies: list[dict[str, list[str]]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    not_used: bool = False
    children: list[Node] = field(default_factory=list)
    list_intro: bool = False

    def walk(self) -> list[Node]:
        out: list[Node] = []
        stack = [self]
        while stack:
            n = stack.pop()
            out.append(n)
            stack.extend(reversed(n.children))
        return out

    def data(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id}
        if self.not_used:
            out["not_used"] = True
            return out
        if self.heading:
            out["heading"] = self.heading
        if self.text:
            out["text"] = self.text
        if self.table:
            out["table"] = self.table
        if self.applies:
            out["applies_to"] = self.applies
        if self.tags:
            out["tags"] = self.tags
        if self.children:
            out["children"] = [c.data() for c in self.children]
        return out


@dataclass(frozen=True)
class Device:
    id: str
    manufacturer: str
    model: str
    type: str
    cohort: str


@dataclass
class Summary:
    """What was generated: the counts the issue specifies, measured on the result."""

    root: str
    seed: int
    scale: float
    sections: int = 0
    clauses: int = 0
    depth: int = 0
    devices: int = 0
    groups: int = 0
    srvs: int = 0
    cells: int = 0
    tables: int = 0
    xrefs: int = 0
    applies: int = 0
    amended: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    not_used: tuple[str, ...] = ()
    renumbered: tuple[str, ...] = ()
    release: str = RELEASE
    paragraphs: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def read_srvs(path: Path = SRVS_CSV) -> list[tuple[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return [(row["srv"].strip(), row["name"].strip()) for row in csv.DictReader(fh)]


class _Gen:
    def __init__(self, seed: int, scale: float) -> None:
        self.rng = random.Random(seed)
        self.scale = scale
        self.srvs = read_srvs()
        self.srv_name = dict(self.srvs)
        self.sections: list[Node] = []
        self.devices: list[Device] = []
        self.groups: list[dict[str, Any]] = []
        self.renumber_parent: Node | None = None

    def n(self, base: int, minimum: int = 1) -> int:
        return max(minimum, round(base * self.scale))

    # -- words --------------------------------------------------------------------------
    def sentence(self) -> str:
        r = self.rng
        actor = r.choice(ACTORS)
        obj = r.choice(OBJECTS)
        if r.random() < 0.3:
            obj = f"{obj} for each **{r.choice(TERMS)}**"
        s = f"{actor} {r.choice(VERBS)} {obj} {r.choice(CONDITIONS)}"
        if r.random() < 0.15:
            s += f", and *{r.choice(('must not', 'need not', 'shall'))}* notify the Supplier Party"
        return s[0].upper() + s[1:] + "."

    def paragraph(self, k: int) -> str:
        return " ".join(self.sentence() for _ in range(k))

    # -- devices --------------------------------------------------------------------------
    def make_devices(self) -> None:
        r = self.rng
        count = self.n(DEVICES, 4)
        seen: dict[tuple[str, str, str], int] = {}
        for i in range(count):
            name, slug, cohort = MANUFACTURERS[i % len(MANUFACTURERS)] if i < len(MANUFACTURERS) else r.choice(
                MANUFACTURERS)
            dtype = DEVICE_TYPES[i % len(DEVICE_TYPES)] if i < len(DEVICE_TYPES) else r.choice(DEVICE_TYPES)
            k = seen.get((slug, dtype, cohort), 0) + 1
            seen[(slug, dtype, cohort)] = k
            model = f"{dtype[0]}{r.randint(100, 999)} series {k}"
            self.devices.append(Device(id=f"{slug}-{dtype.lower()}-{cohort.lower()}-{k:02d}", manufacturer=name,
                                       model=model, type=dtype, cohort=cohort))
        by_family: dict[tuple[str, str, str], list[Device]] = {}
        for d in self.devices:
            by_family.setdefault((d.manufacturer, d.type, d.cohort), []).append(d)
        for (mfr, dtype, cohort), members in sorted(by_family.items()):
            if len(members) < 2:
                continue
            slug = members[0].id.rsplit("-", 1)[0]
            name = f"{mfr} {cohort} {dtype}"
            if len(members) <= 4:
                self.groups.append({"id": f"{slug}-all", "name": name, "members": [m.id for m in members]})
                continue
            # A large family: batches of up to four models, and the family as a group of batches.
            batches = []
            for b, start in enumerate(range(0, len(members), 4), start=1):
                batches.append(f"{slug}-batch{b}")
                self.groups.append({"id": batches[-1], "name": f"{name} (batch {b})",
                                    "members": [m.id for m in members[start:start + 4]]})
            self.groups.append({"id": f"{slug}-all", "name": name, "members": batches})

    # -- the clause tree ---------------------------------------------------------------
    def make_tree(self) -> None:
        r = self.rng
        n_sections = self.n(SECTIONS, 2)
        budget_total = max(n_sections, self.n(CLAUSES, 20)) - n_sections
        weights = [r.uniform(0.6, 1.4) for _ in range(n_sections)]
        total_w = sum(weights)
        budgets = [int(budget_total * w / total_w) for w in weights]
        for i in range(budget_total - sum(budgets)):
            budgets[i % n_sections] += 1
        renumber_at = n_sections // 2
        for i in range(n_sections):
            topic = TOPICS[i % len(TOPICS)]
            slug = topic.lower().replace(" ", "-").replace("/", "")
            sec = Node(id=f"s{i + 1:03d}-{slug}", level=1,
                       heading=topic if i < len(TOPICS) else f"{topic} (part {i // len(TOPICS) + 1})")
            budget = budgets[i]
            k2 = 0
            if i == renumber_at and budget >= 12:
                k2 += 1
                sec.children.append(self._renumber_block(f"{sec.id}-c{k2}"))
                budget -= 12
            while budget > 0:
                k2 += 1
                c2 = Node(id=f"{sec.id}-c{k2}", level=2)
                if r.random() < 0.4:
                    c2.heading = r.choice(TOPICS) + " " + r.choice(("arrangements", "requirements", "exceptions",
                                                                      "procedures", "variations"))
                sec.children.append(c2)
                budget -= 1
                if budget > 0 and r.random() < 0.55:
                    n3 = r.randint(8, 20) if r.random() < 0.08 else r.randint(2, 6)
                    for k3 in range(1, n3 + 1):
                        if budget <= 0:
                            break
                        c3 = Node(id=f"{c2.id}-{k3}", level=3)
                        c2.children.append(c3)
                        budget -= 1
                        if budget > 0 and r.random() < 0.22:
                            for k4 in range(1, min(budget, r.randint(2, 4)) + 1):
                                if budget <= 0:
                                    break
                                c3.children.append(Node(id=f"{c3.id}-{k4}", level=4))
                                budget -= 1
            self.sections.append(sec)

    def _renumber_block(self, cid: str) -> Node:
        """A clause whose sub-item list was numbered as sub-clauses (the 18.5p error)."""
        c2 = Node(id=cid, level=2, heading="Configuration of half-hourly profiles")
        for k in range(1, 4):
            c2.children.append(Node(id=f"{cid}-{k}", level=3))
        intro = Node(id=f"{cid}-4", level=3, list_intro=True,
                     text="The S1SP shall configure each Device so that it records the following:")
        c2.children.append(intro)
        for k in range(5, 8):  # list items, numbered in error as sub-clauses
            item = Node(id=f"{cid}-{k}", level=3)
            item.text = self.rng.choice(ITEM_PHRASES) + (";" if k < 7 else ".")
            c2.children.append(item)
        for k in range(8, 12):
            c2.children.append(Node(id=f"{cid}-{k}", level=3))
        self.renumber_parent = c2
        return c2

    def all_nodes(self) -> list[Node]:
        return [n for s in self.sections for n in s.walk()]

    # -- text, tables, references, the matrix ------------------------------------------------
    def fill(self) -> None:
        r = self.rng
        nodes = self.all_nodes()
        for node in nodes:
            if node.text:
                continue
            if node.level == 1:
                if r.random() < 0.3:
                    node.text = self.paragraph(1)
                continue
            if node.children:
                node.list_intro = r.random() < 0.5
                node.text = self.sentence()[:-1] + (", as follows:" if node.list_intro else ".")
            elif node.level == 4:
                node.text = f"{r.choice(ITEM_PHRASES)}, {r.choice(CONDITIONS)};"
            else:
                node.text = self.paragraph(r.randint(1, 3))
        clauses = [n for n in nodes if n.level > 1 and not n.list_intro]
        for node in r.sample(clauses, round(len(nodes) * TABLE_SHARE)):
            node.table = self.table()
        ids = [n.id for n in nodes if n.level > 1]
        for node in r.sample(clauses, min(len(clauses), round(len(nodes) * XREF_SHARE))):
            target = r.choice(ids)
            if target != node.id:
                node.text = node.text[:-1] + f", {r.choice(('in accordance with', 'as set out in', 'subject to'))}" \
                    f" [[{target}]]" + node.text[-1]
        self.assign_matrix(clauses)

    def table(self) -> dict[str, Any]:
        r = self.rng
        header = ["Parameter", "Value", "Notes"] if r.random() < 0.6 else ["Situation", "Response code",
                                                                             "Notes", "Applies from"]
        rows = []
        for k in range(r.randint(3, 8)):
            row = [r.choice(ITEM_PHRASES).capitalize(), r.choice(("Enabled", "Disabled", "E52", "E70", "I99",
                                                                  "Thirty minutes", "Zero", "As configured")),
                   r.choice(CONDITIONS).capitalize()]
            if len(header) == 4:
                row.append(r.choice(("Installation", "First wake-up", "Next billing period")))
            rows.append(row)
            if k > 8:
                break
        return {"header": header, "rows": rows}

    def assign_matrix(self, clauses: list[Node]) -> None:
        """Cover exactly the target number of SRV × Device Model cells with applies_to entries."""
        r = self.rng
        target = self.n(CELLS, 10)
        srv_numbers = [s for s, _ in self.srvs]
        pools = {t: sorted(r.sample(srv_numbers, int(len(srv_numbers) * 0.6))) for t in sorted(set(DEVICE_TYPES))}
        groups = {g["id"]: g for g in self.groups}
        expanded = _expand(self.groups)
        by_id = {d.id: d for d in self.devices}
        # Device-specific clauses live in the variation sections (the second half of the document).
        half = len(self.sections) // 3
        variation = [n for n in clauses if n.level >= 3 and not n.children
                     and int(n.id[1:4]) > half and n not in (self.renumber_parent.children
                                                             if self.renumber_parent else [])]
        if not variation:
            variation = [n for n in clauses if not n.children]
        cells: set[tuple[str, str]] = set()
        while len(cells) < target:
            left = target - len(cells)
            if left > 12 and self.groups and r.random() < 0.25:
                g = groups[r.choice(sorted(groups))]
                members = expanded[g["id"]]
                dtype = by_id[members[0]].type
                srvs = r.sample(pools[dtype], r.randint(1, 2))
                new = {(s, m) for s in srvs for m in members}
                devs = [g["id"]]
                who = g["name"]
            else:
                d = r.choice(self.devices)
                k = 1 if left < 4 else r.randint(1, 3)
                srvs = r.sample(pools[d.type], k)
                new = {(s, d.id) for s in srvs}
                devs = [d.id]
                who = f"{d.manufacturer} {d.model}"
            if not new - cells:
                continue
            cells |= new
            node = r.choice(variation)
            node.applies.append({"srvs": sorted(srvs, key=_srv_key), "devices": devs})
            srv_text = " and ".join(f"SRV {s}" for s in sorted(srvs, key=_srv_key))
            line = f"For {who}, on receipt of {srv_text} the S1SP shall {r.choice(VARIATIONS)}."
            node.text = line if not node.applies[:-1] else node.text + " " + line

    # -- the change between r1 and the draft -------------------------------------------------
    def change(self) -> dict[str, Any]:
        r = self.rng
        nodes = self.all_nodes()
        total = len(nodes)
        block = self.renumber_parent
        frozen_out: set[str] = set()
        if block is not None:
            frozen_out = {n.id for n in block.walk()}
        targets = {t for n in nodes for t in _xrefs(n.text)}
        parent_of = {c.id: p for p in nodes for c in p.children}
        leaves = [n for n in nodes if n.level > 1 and not n.children and n.id not in frozen_out
                  and n.id not in targets]
        not_used = r.sample(leaves, min(len(leaves), max(1, round(total * NOT_USED_SHARE))))
        for n in not_used:
            n.not_used = True
            n.heading = n.text = ""
            n.table = None
            n.applies = []
            n.tags = []
        gone = {n.id for n in not_used}
        candidates = [n for n in nodes if n.level > 1 and n.id not in gone and n.id not in frozen_out and n.text]
        amended = r.sample(candidates, min(len(candidates), max(1, round(total * AMEND_SHARE))))
        srv_numbers = [s for s, _ in self.srvs]
        for n in amended:
            roll = r.random()
            if roll < 0.4:
                n.text = n.text + " " + self.sentence()
            elif roll < 0.8:
                n.text = _substitute(n.text, r)
            else:
                n.text = self.sentence()[:-1] + " " + n.text[0].lower() + n.text[1:]
            if n.applies and r.random() < 0.3:
                entry = n.applies[0]
                extra = r.choice([s for s in srv_numbers if s not in entry["srvs"]])
                entry["srvs"] = sorted([*entry["srvs"], extra], key=_srv_key)
                n.text += f" The same applies to SRV {extra}."
        anchors = [n for n in nodes if n.level > 1 and n.id not in gone and n.id not in frozen_out]
        added: list[str] = []
        for k, anchor in enumerate(r.sample(anchors, min(len(anchors), max(1, round(total * ADD_SHARE)))), start=1):
            new = Node(id=f"{anchor.id}-new{k}", level=anchor.level, text=self.paragraph(r.randint(1, 2)),
                       tags=["draft-addition"])
            if r.random() < 0.3 and anchor.level < 4 and not anchor.children:
                # A first sub-item under a released leaf.
                new.level = anchor.level + 1
                anchor.children.append(new)
                if anchor.text.endswith("."):
                    anchor.text = anchor.text[:-1] + ", as follows:"
                    if anchor not in amended:
                        amended.append(anchor)
            else:
                siblings = parent_of[anchor.id].children
                siblings.insert(siblings.index(anchor) + 1, new)
            added.append(new.id)
        declared: list[str] = []
        if block is not None:
            kids = block.children
            intro = kids[3]
            intro.children = kids[4:7]
            for item in intro.children:
                item.level = 4
            block.children = kids[:4] + kids[7:]
            # Only the items move: the sub-clause numbers they leave read [Not used], and the
            # sub-clauses after them keep theirs (a designated number is never given to other text).
            declared = [n.id for n in intro.children]
        return {
            "amended": tuple(n.id for n in amended),
            "added": tuple(added),
            "not_used": tuple(n.id for n in not_used),
            "renumbered": tuple(declared),
            "renumber_parent": block.id if block else "",
        }


def _expand(groups: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Group id → Device Model ids (batches nest one level)."""
    direct = {g["id"]: g["members"] for g in groups}
    return {gid: [d for m in members for d in direct.get(m, [m])] for gid, members in direct.items()}


def _srv_key(s: str) -> tuple[int, ...]:
    return tuple(int(p) for p in s.split("."))


def _xrefs(text: str) -> list[str]:
    out = []
    rest = text
    while "[[" in rest:
        rest = rest.split("[[", 1)[1]
        target, _, rest = rest.partition("]]")
        out.append(target)
    return out


_SWAPS = (("shall send", "shall promptly send"), ("the Device", "the relevant Device"), ("record", "record and retain"),
          ("within the period", "within the whole period"), ("Alert", "Alert or Event"), ("reject", "refuse"))


def _substitute(text: str, r: random.Random) -> str:
    options = [(a, b) for a, b in _SWAPS if a in text and "[[" not in a]
    if not options:
        return text + " " + r.choice(("This applies to every firmware version.",
                                      "The S1SP shall keep a record of each such case."))
    a, b = r.choice(options)
    return text.replace(a, b, 1)


# -- writing ------------------------------------------------------------------------------------
def _dump(data: Any) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text: str = yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100,
                          default_flow_style=False)
    return text


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _document(files: list[str], *, version: str, status: str, date: str) -> dict[str, Any]:
    return {
        "id": "s1sr-synth",
        "title": "SMETS1 Supporting Requirements (synthetic)",
        "short_title": "S1SR",
        "appendix": "SEC Appendix AM",
        "status": status,
        "version": version,
        "date": date,
        "numbering": NUMBERING,
        "sections": files,
    }


def _write_source(root: Path, gen: _Gen, *, version: str, status: str, date: str) -> None:
    files = []
    for i, sec in enumerate(gen.sections, start=1):
        name = f"sections/{i:03d}-{sec.id.split('-', 1)[1]}.yaml"
        files.append(name)
        _write(root / name, _dump(sec.data()))
    header = "# Synthetic S1SR-shaped content written by bench/synth.py; regenerate, do not edit.\n"
    _write(root / "document.yaml", header + _dump(_document(files, version=version, status=status, date=date)))


def generate(root: str | os.PathLike[str], *, scale: float = 1.0, seed: int = 1, release: bool = True) -> Summary:
    """Write a content folder at ``root`` (replacing it) and return what it holds.

    With ``release`` (the default) the base is released as ``r1`` through
    ``generator.app.api.release`` and the draft carries the change; without it only the base is
    written (no release, no changes.yaml), which is fast and enough to count shapes.
    """
    out = Path(root)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    gen = _Gen(seed, scale)
    gen.make_devices()
    gen.make_tree()
    gen.fill()

    devices = {"devices": [{"id": d.id, "manufacturer": d.manufacturer, "model": d.model, "type": d.type,
                            "cohort": d.cohort} for d in gen.devices], "groups": gen.groups}
    _write(out / "devices.yaml", "# Synthetic Device Models (bench/synth.py).\n" + _dump(devices))
    _write_source(out, gen, version="1.0", status="designated", date=BASE_DATE)
    summary = _summarise(out, gen, seed, scale)
    if not release:
        return summary

    from generator.app import api

    api.release(str(out), RELEASE)
    changed = gen.change()
    _write_source(out, gen, version="2.0", status="draft", date=DRAFT_DATE)
    changes: dict[str, Any] = {
        "against": RELEASE,
        "author": "Synthetic Drafting Team",
        "date": DRAFT_DATE,
        "summary": "Synthetic change: amendments, additions, clauses marked [Not used] and one restored list.",
    }
    if changed["renumbered"]:
        changes["renumber"] = [{
            "clauses": list(changed["renumbered"]),
            "reason": f"Number the items of '{changed['renumber_parent']}' as items, not as sub-clauses.",
        }]
    _write(out / "changes.yaml", _dump(changes))
    _write(out / "letters" / "recommendation.yaml", _dump(_letter(changed)))
    summary = _summarise(out, gen, seed, scale)
    summary.amended = changed["amended"]
    summary.added = changed["added"]
    summary.not_used = changed["not_used"]
    summary.renumbered = changed["renumbered"]
    return summary


def _letter(changed: dict[str, Any]) -> dict[str, Any]:
    """A recommendation letter whose appendices explain every change of the draft."""
    person = {"name": "Alex Reader", "role": "Deputy Director, Smart Metering",
              "organisation": "Department for Energy Security and Net Zero"}
    parts: list[dict[str, Any]] = []
    if changed["renumbered"]:
        parts.append({"heading": "Restoring the item numbering",
                      "narrative": "Three conditions that the last version numbered as sub-clauses are items "
                                   "again, and the later sub-clauses take back their earlier references.",
                      "amendments": {"clauses": list(changed["renumbered"])}})
    other: list[dict[str, Any]] = [
        {"heading": "New clauses", "narrative": "Behaviours found since the last version.",
         "amendments": {"tags": ["draft-addition"]}},
        {"heading": "Amended clauses", "narrative": "Clarifications of existing requirements.",
         "amendments": {"clauses": list(changed["amended"])}},
        {"heading": "Clauses no longer used", "narrative": "Requirements that no longer apply.",
         "amendments": {"clauses": list(changed["not_used"])}},
    ]
    return {
        "version": "v2",  # the release the draft (version 2.0) will be designated as
        "against": RELEASE,
        "date": DRAFT_DATE,
        "reference": "SYN/S1SR/REC/1",
        "sender": {"organisation": "Synthetic DCC Ltd", "address": ["Regulatory Design", "1 Example Square"]},
        "addressee": person,
        "delivery": "By email only",
        "salutation": "Dear Alex",
        "subject": "Recommendation to designate version 2.0 of the synthetic S1SR",
        "summary": "We recommend that version 2.0 of the synthetic S1SR is designated.\n\n"
                   "Appendix A and Appendix B explain each amendment.",
        "closing": "Yours sincerely",
        "signatory": {"name": "Sam Drafter", "role": "Head of Regulatory Design",
                      "organisation": "Synthetic DCC Ltd"},
        "appendices": ([{"id": "A", "title": "Corrections to numbering", "parts": parts}] if parts else [])
        + [{"id": "B" if parts else "A", "title": "Amendments, additions and deletions", "parts": other}],
    }


def _summarise(root: Path, gen: _Gen, seed: int, scale: float) -> Summary:
    nodes = gen.all_nodes()
    groups = _expand(gen.groups)
    cells: set[tuple[str, str]] = set()
    for n in nodes:
        for a in n.applies:
            for s in a["srvs"]:
                for d in a["devices"]:
                    for m in groups.get(d, [d]):
                        cells.add((s, m))
    return Summary(
        root=str(root), seed=seed, scale=scale,
        sections=len(gen.sections), clauses=len(nodes), depth=max(n.level for n in nodes),
        devices=len(gen.devices), groups=len(gen.groups), srvs=len(gen.srvs), cells=len(cells),
        tables=sum(1 for n in nodes if n.table), xrefs=sum(len(_xrefs(n.text)) for n in nodes),
        applies=sum(len(n.applies) for n in nodes),
        paragraphs=len(nodes) + sum(len(n.table["rows"]) + 1 for n in nodes if n.table),
    )


def main(argv: list[str] | None = None) -> int:
    import argparse

    p = argparse.ArgumentParser(prog="python -m bench.synth", description="Write a synthetic S1SR content folder.")
    p.add_argument("out", help="the content folder to write (replaced)")
    p.add_argument("--scale", type=float, default=1.0, help="1 ≈ 1,500 clauses; 10 ≈ 15,000 (default 1)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--no-release", action="store_true", help="write the base only (no release, no change)")
    args = p.parse_args(argv)
    s = generate(args.out, scale=args.scale, seed=args.seed, release=not args.no_release)
    print(f"{s.root}: {s.clauses} clauses in {s.sections} sections ({s.depth} levels), {s.devices} Device Models "
          f"({s.groups} groups), {s.srvs} SRVs, {s.cells} matrix cells, {s.tables} tables, {s.xrefs} "
          f"cross-references; change: {len(s.amended)} amended, {len(s.added)} added, {len(s.not_used)} "
          f"[Not used], {len(s.renumbered)} renumbered (declared)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
