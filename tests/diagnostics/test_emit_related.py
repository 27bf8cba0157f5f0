"""A root cause with its symptoms as related locations: every format keeps each symptom's place and
its message (the note), so folding findings under their cause loses nothing."""

from __future__ import annotations

import json

from generator.diagnostics import Diagnostic, Location
from generator.diagnostics.emit import emitter
from generator.diagnostics.rules import external as X
from generator.diagnostics.rules import source as S

CELL = Location(file="DMVESM.xlsx", sheet="DMVESM", cell="L29", clause_number="18.5q",
                note="EXT202 error: DMVESM!L29 cites 18.5q, whose text is now 18.5t")
CAUSE = Diagnostic.make(X.LIST_AS_SIBLINGS, "18.5p introduces a list. It explains 1 DMVESM cell citing a moved number",
                        Location(file="S1SR.docx", clause_number="18.5q"),
                        related=[Location(file="S1SR.docx", clause_number="18.5p"), CELL])


def test_text_prints_each_related_location_with_its_note() -> None:
    out = emitter("text")([CAUSE])
    assert "  see: S1SR.docx: clause 18.5p\n" in out
    assert "  see: DMVESM.xlsx: DMVESM!L29: EXT202 error: DMVESM!L29 cites 18.5q, whose text is now 18.5t\n" in out


def test_json_keeps_the_note_and_the_cited_number() -> None:
    (finding,) = json.loads(emitter("json")([CAUSE]))["findings"]
    assert finding["related"][1] == {"file": "DMVESM.xlsx", "clause_number": "18.5q", "sheet": "DMVESM",
                                     "cell": "L29", "note": CELL.note}


def test_sarif_gives_each_related_location_its_message() -> None:
    (result,) = json.loads(emitter("sarif")([CAUSE]))["runs"][0]["results"]
    first, cell = result["relatedLocations"]
    assert "message" not in first and first["id"] == 1
    assert cell["message"] == {"text": CELL.note} and cell["id"] == 2
    assert cell["logicalLocations"][0]["name"] == "DMVESM!L29"


def test_a_multi_line_hint_keeps_its_snippet_indented() -> None:
    d = Diagnostic.make(S.UNDECLARED_RENUMBER, "clause 'x' was 18.5k", Location(file="s.yaml", line=3, col=5),
                        help="declare it under 'renumber:' in content/changes.yaml:\n  - clauses: [x]\n    reason: why")
    out = emitter("text")([d])
    assert "  help: declare it under 'renumber:' in content/changes.yaml:\n          - clauses: [x]\n" \
           "            reason: why\n" in out
