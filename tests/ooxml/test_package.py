from __future__ import annotations

import io
import zipfile
from typing import Any

from generator.ooxml.package import ZIP_EPOCH, normalise_zip, zip_time


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as z:
        for name, data in entries:
            z.writestr(zipfile.ZipInfo(name, date_time=(2033, 5, 6, 7, 8, 10)), data)
    return buf.getvalue()


def test_normalise_orders_entries_and_fixes_metadata() -> None:
    src = _zip([("word/document.xml", b"d"), ("_rels/.rels", b"r"), ("[Content_Types].xml", b"c"),
                ("docProps/core.xml", b"p")])
    out = normalise_zip(src, (2025, 4, 30, 0, 0, 0))
    with zipfile.ZipFile(io.BytesIO(out)) as z:
        infos = z.infolist()
        assert [i.filename for i in infos] == ["[Content_Types].xml", "_rels/.rels", "docProps/core.xml",
                                               "word/document.xml"]
        assert {i.date_time for i in infos} == {(2025, 4, 30, 0, 0, 0)}
        assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}
        assert {i.external_attr >> 16 for i in infos} == {0o100644}
        assert z.read("word/document.xml") == b"d"


def test_normalise_is_independent_of_input_order_and_times() -> None:
    a = _zip([("b", b"2"), ("a", b"1")])
    b = _zip([("a", b"1"), ("b", b"2")])
    assert normalise_zip(a) == normalise_zip(b)


def test_zip_time() -> None:
    assert zip_time("2025-04-30") == (2025, 4, 30, 0, 0, 0)
    assert zip_time("1970-01-01") == ZIP_EPOCH
    assert zip_time("not a date") == ZIP_EPOCH


def test_package_parts_are_the_parts_python_docx_saves() -> None:
    # save_streamed takes the parts without python-docx's zip; the oracle is that zip itself.
    import docx

    from generator.ooxml import custom
    from generator.ooxml.package import package_parts, save_bytes
    from generator.writers.docx import template_path
    from generator.writers.options import WriterOptions

    doc = docx.Document(template_path(WriterOptions()))
    custom.set_custom_properties(doc, {"s1sr-test": "x"})  # a part the template does not have
    doc.add_paragraph("text")
    with zipfile.ZipFile(io.BytesIO(save_bytes(doc))) as z:
        saved = {name: z.read(name) for name in z.namelist()}
    assert package_parts(doc) == saved
    assert "docProps/custom.xml" in saved and "word/styles.xml" in saved


def test_save_streamed_is_normalise_of_the_saved_package() -> None:
    import docx

    from generator.ooxml import text
    from generator.ooxml.package import block_holder, save_bytes, save_streamed
    from generator.writers.docx import template_path
    from generator.writers.options import WriterOptions

    def fresh() -> tuple[Any, Any]:
        doc = docx.Document(template_path(WriterOptions()))
        return doc, text.empty_body(doc.element.body)

    doc, sect_pr = fresh()
    holder = block_holder()
    para = text.paragraph(holder, "")
    text.run(para, "streamed")
    streamed = save_streamed(doc, list(holder), sect_pr, zip_time("2025-04-30"))
    doc2, sect_pr2 = fresh()
    doc2.element.body.append(para)
    doc2.element.body.append(sect_pr2)
    whole = normalise_zip(save_bytes(doc2), zip_time("2025-04-30"))
    with zipfile.ZipFile(io.BytesIO(streamed)) as a, zipfile.ZipFile(io.BytesIO(whole)) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            if name != "word/document.xml":
                assert a.read(name) == b.read(name), name
        assert b"streamed" in a.read("word/document.xml")
