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
   matrix cell that now points at other text than it did;
5. puts root causes first (``causes``): the 18.5 pattern, or a run of clauses all shifted by one
   clause numbered in sequence or taken out, leads, and the findings it explains (each moved
   clause, each DMVESM cell citing a moved number) become its related locations.
"""

from __future__ import annotations

from generator.diagnostics import Diagnostic
from generator.model import NumberingScheme
from generator.model.external import WordDocument, Workbook
from generator.passes.external.baseline import compare_baseline, match_texts
from generator.passes.external.causes import lead_with_causes, list_run_causes, shift_causes
from generator.passes.external.citations import check_citations
from generator.passes.external.devices import DeviceIndex, srv_mentions
from generator.passes.external.numbering import check_numbering, check_paragraphs
from generator.passes.external.placement import ListRun, Placed, list_runs, place_clauses
from generator.passes.external.scheme import DEFAULT_SCHEME, infer_scheme
from generator.passes.external.states import compare_states
from generator.passes.external.views import check_views

__all__ = [
    "DEFAULT_SCHEME",
    "DeviceIndex",
    "ListRun",
    "Placed",
    "check_citations",
    "check_numbering",
    "check_pair",
    "check_paragraphs",
    "check_views",
    "compare_baseline",
    "compare_states",
    "infer_scheme",
    "list_runs",
    "match_texts",
    "place_clauses",
    "srv_mentions",
]


def check_pair(doc: WordDocument, book: Workbook | None, *, scheme: NumberingScheme | None = None,
               devices: DeviceIndex | None = None, baseline_doc: WordDocument | None = None,
               baseline_book: Workbook | None = None) -> list[Diagnostic]:
    """Every check on a read S1SR (and DMVESM, and baseline pair)."""
    devices = devices or DeviceIndex()
    if scheme is None:
        scheme = infer_scheme((*doc.paragraphs, *(baseline_doc.paragraphs if baseline_doc else ())))
    placed = place_clauses(doc, scheme, devices)
    diags = [*placed.diags, *check_paragraphs(doc), *check_views(doc), *check_numbering(placed)]
    files = {placed.file, *([book.file] if book is not None else [])}
    causes = list_run_causes(placed, diags, files)
    if book is not None:
        diags += check_citations(placed, book, devices)
    if baseline_doc is not None:
        old = place_clauses(baseline_doc, scheme, devices)
        matched = match_texts(old.clauses, placed.clauses)
        diags += compare_baseline(old, placed, baseline_book, book, matched)
        shifts = shift_causes(old, placed, matched, files)
        diags += [c.finding for c in shifts]
        causes += shifts
    if baseline_book is not None and book is not None:
        diags += compare_states(baseline_book, book)
    # The root cause first: what a numbering error explains is listed under it.
    return lead_with_causes(diags, causes)

