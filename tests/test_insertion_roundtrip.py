"""An inserted clause numbered by the numbering pass (after (a) comes (ab): (aa) is the 27th)
reads back from our own .docx without any numbering finding."""

from __future__ import annotations

from pathlib import Path

from generator.app.external import check_documents
from generator.passes.numbering import number_project
from generator.writers.docx import write_docx
from generator.writers.options import WriterOptions
from tests.factories import clause, numbers, project, release_of


def test_insertion_after_a_reads_back_clean(tmp_path: Path) -> None:
    base, _ = number_project(project(clause("s", clause("c", clause("a"), clause("b"), clause("cc")))))
    draft, diags = number_project(project(clause("s", clause("c", clause("a"), clause("new"), clause("b"),
                                                           clause("cc"))), releases=(release_of(base),)))
    assert not diags
    assert numbers(draft)["new"] == "1.1ab"
    files = write_docx(draft, WriterOptions(date="2025-01-01"))
    path = tmp_path / next(iter(files))
    path.write_bytes(next(iter(files.values())))
    found = check_documents(str(path))
    assert not [d for d in found if d.code.startswith("DOCX2")], [(d.code, d.message) for d in found]
