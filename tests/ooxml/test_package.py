from __future__ import annotations

import io
import zipfile

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
