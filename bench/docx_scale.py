"""How fast the S1SR Word writer is, against a bare-lxml floor and python-docx's add_paragraph.

    .venv/bin/python -m bench.docx_scale                # example content, 1,500 and 15,000 clauses
    .venv/bin/python -m bench.docx_scale --sizes 1500   # other sizes
    .venv/bin/python -m bench.docx_scale --no-baseline  # skip the slow python-docx baseline

:func:`synthetic_project` builds a numbered Project in memory (Clause objects, no YAML): four
levels as in the S1SR, defined terms, emphasis, SRV mentions, cross-references to earlier
clauses, a table in one clause of fifty and a "[Not used]" clause in one of two hundred.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from collections.abc import Callable, Sequence

import docx
from lxml import etree

from generator.model import (
    Clause,
    Document,
    Emph,
    Inline,
    Project,
    SrvRef,
    Table,
    Term,
    Text,
    Xref,
    walk,
)
from generator.model.document import S1SR_SCHEME
from generator.passes.numbering import number_project
from generator.writers.docx import write_docx
from generator.writers.options import WriterOptions

SCHEME = S1SR_SCHEME
# Per section: 12 clauses, each with 3 sub-clauses, one in two of those with 2 items → ~60 clauses.
CLAUSES, SUBS, ITEMS = 12, 3, 2


def _text(i: int, earlier: str) -> tuple[Inline, ...]:
    out: list[Inline] = [Text(text="Where a Service Request for "), SrvRef(srv="4.8.1", text="SRV 4.8.1"),
                         Text(text=" is sent to a "), Term(text="SMETS1 Device"),
                         Text(text=f" of cohort {('FOC', 'IOC', 'MOC')[i % 3]}, the S1SP "),
                         Emph(text="shall"), Text(text=" respond as this clause describes")]
    if earlier and i % 10 == 0:
        out += [Text(text=" and as "), Xref(target=earlier), Text(text=" sets out")]
    out.append(Text(text="."))
    return tuple(out)


def _clause(cid: str, i: int, earlier: str, children: tuple[Clause, ...] = ()) -> Clause:
    table = None
    if i % 50 == 25:
        table = Table(header=("Device Model", "Setting", "Value"),
                      rows=tuple((f"Model {k}", "Capture Period", f"{15 * (k + 1)} minutes") for k in range(4)))
    return Clause(id=cid, text=_text(i, earlier), table=table, children=children, not_used=i % 200 == 199)


def _section(s: int, start: int, budget: int) -> tuple[Clause, int]:
    """Section ``s`` holding at most ``budget`` clauses (itself included); returns it and the count."""
    count, clauses = 1, []
    earlier = f"s{s}"
    for c in range(CLAUSES):
        if count >= budget:
            break
        subs = []
        count += 1
        for a in range(SUBS):
            if count >= budget:
                break
            count += 1
            items = []
            for k in range(ITEMS if a % 2 == 0 else 0):
                if count >= budget:
                    break
                count += 1
                items.append(_clause(f"s{s}-c{c}-{a}-{k}", start + count, earlier))
            subs.append(_clause(f"s{s}-c{c}-{a}", start + count, earlier, tuple(items)))
        clauses.append(_clause(f"s{s}-c{c}", start + count, earlier, tuple(subs)))
        earlier = f"s{s}-c{c}"
    return Clause(id=f"s{s}", heading=f"Section {s} requirements", children=tuple(clauses)), count


def synthetic_project(n: int) -> Project:
    """A numbered Project of exactly ``n`` clauses (``n`` ≥ 1)."""
    sections: list[Clause] = []
    total = 0
    while total < n:
        section, count = _section(len(sections) + 1, total, n - total)
        sections.append(section)
        total += count
    doc = Document(id="s1sr", title="SMETS1 Supporting Requirements", short_title="S1SR",
                   appendix="SEC Appendix AM", version="99.0", date="2025-04-30", scheme=SCHEME,
                   sections=tuple(sections))
    numbered, _ = number_project(Project(root="synthetic", document=doc))
    return numbered


# -- baselines --------------------------------------------------------------------------
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def lxml_floor(project: Project) -> bytes:
    """The least any lxml writer must do: one styled paragraph per clause, label, tab, runs."""
    body = etree.Element(W + "body", nsmap={"w": W[1:-1]})
    for c in walk(project.document.sections):
        p = etree.SubElement(body, W + "p")
        etree.SubElement(etree.SubElement(p, W + "pPr"), W + "pStyle", {W + "val": f"L{c.level}"})
        r = etree.SubElement(p, W + "r")
        etree.SubElement(r, W + "t").text = c.label
        etree.SubElement(r, W + "tab")
        for node in c.text:
            etree.SubElement(etree.SubElement(p, W + "r"), W + "t").text = getattr(node, "text", "")
    return bytes(etree.tostring(body))


def python_docx_baseline(project: Project) -> bytes:
    """The same paragraphs through python-docx's add_paragraph/add_run, saved."""
    doc = docx.Document()
    for c in walk(project.document.sections):
        p = doc.add_paragraph(style="List Paragraph")
        p.add_run(c.label + "\t")
        for node in c.text:
            p.add_run(getattr(node, "text", ""))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _time(fn: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def _example() -> tuple[Project, WriterOptions] | None:
    from generator.app import api

    project, _ = api.load("content") if os.path.isdir("content") else (None, [])
    if project is None:
        return None
    return project, WriterOptions(date=api.source_date(project))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time the S1SR .docx writer.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1500, 15000])
    parser.add_argument("--no-baseline", action="store_true", help="skip python-docx add_paragraph")
    args = parser.parse_args(argv)
    opts = WriterOptions(date="2025-04-30")
    example = _example()
    if example:
        project, eopts = example
        n = sum(1 for _ in walk(project.document.sections))
        data = write_docx(project, eopts)
        size = sum(len(v) for v in data.values())
        print(f"example ({n} clauses): write_docx {_time(lambda: write_docx(project, eopts)):.3f} s, {size} bytes")
    for n in args.sizes:
        print(_measure(synthetic_project(n), opts, baseline=not args.no_baseline))
    return 0


def _measure(project: Project, opts: WriterOptions, *, baseline: bool) -> str:
    n = sum(1 for _ in walk(project.document.sections))
    size = sum(len(v) for v in write_docx(project, opts).values())
    line = (f"{n} clauses: write_docx {_time(lambda: write_docx(project, opts)):.3f} s ({size} bytes), "
            f"lxml floor {_time(lambda: lxml_floor(project)):.3f} s")
    if baseline:
        line += f", python-docx add_paragraph {_time(lambda: python_docx_baseline(project), 1):.2f} s"
    return line


if __name__ == "__main__":
    sys.exit(main())
