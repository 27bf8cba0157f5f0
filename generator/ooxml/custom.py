"""Custom document properties (``docProps/custom.xml``) and custom XML data parts
(``customXml/itemN.xml``): where a package carries facts for programs, not for readers.

Word and LibreOffice both keep these parts when they open and save a document, so a built
document can say which source it came from and carry that source with it. Names and values
are written in the order given (callers pass them sorted), so the bytes are reproducible.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

__all__ = ["CUSTOM_NS", "FMTID", "VT_NS", "add_custom_xml", "set_custom_properties"]

CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_DS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
# The format id every user-defined property carries (ECMA-376 Part 1, 22.3.2.2).
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


def _xml(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def set_custom_properties(doc: DocxDocument, values: Mapping[str, str]) -> None:
    """Give the package a ``docProps/custom.xml`` holding ``values`` as text properties
    (replacing any custom properties the template had)."""
    package = doc.part.package
    root = etree.Element(f"{{{CUSTOM_NS}}}Properties", nsmap={None: CUSTOM_NS, "vt": VT_NS})  # type: ignore[dict-item]  # lxml takes None for the default namespace
    for pid, (name, value) in enumerate(values.items(), start=2):  # pid 2 is the first user-defined id
        prop = etree.SubElement(root, f"{{{CUSTOM_NS}}}property", {"fmtid": FMTID, "pid": str(pid), "name": name})
        etree.SubElement(prop, f"{{{VT_NS}}}lpwstr").text = value
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.CUSTOM_PROPERTIES:
            del package.rels[rel_id]
    part = Part(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES, _xml(root), package)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)


def _free_number(doc: DocxDocument) -> int:
    taken = {str(p.partname) for p in doc.part.package.iter_parts()}
    number = 1
    while f"/customXml/item{number}.xml" in taken or f"/customXml/itemProps{number}.xml" in taken:
        number += 1
    return number


def _drop_items(doc: DocxDocument, namespace: str) -> None:
    """Forget custom XML parts in ``namespace`` that the template already carries (a built
    document used as a template), so the new one is the only one."""
    for rel_id, rel in list(doc.part.rels.items()):
        if rel.reltype != RT.CUSTOM_XML or rel.is_external:
            continue
        head = rel.target_part.blob[:400]
        if namespace.encode("utf-8") in head:
            del doc.part.rels[rel_id]


def add_custom_xml(doc: DocxDocument, namespace: str, local: str, text: str, item_id: str) -> None:
    """A custom XML data part ``customXml/itemN.xml`` (the first free N) whose root ``local``
    (in ``namespace``) holds ``text``, with the properties part Word expects (its ``itemID`` is
    ``item_id``, a GUID in braces), related from the main document part. A part of the same
    namespace from the template is dropped."""
    _drop_items(doc, namespace)
    number = _free_number(doc)
    item = etree.Element(f"{{{namespace}}}{local}", nsmap={None: namespace})  # type: ignore[dict-item]  # as above
    item.text = text
    props = etree.Element(f"{{{_DS_NS}}}datastoreItem", {f"{{{_DS_NS}}}itemID": item_id}, nsmap={"ds": _DS_NS})
    refs = etree.SubElement(props, f"{{{_DS_NS}}}schemaRefs")
    etree.SubElement(refs, f"{{{_DS_NS}}}schemaRef", {f"{{{_DS_NS}}}uri": namespace})
    package = doc.part.package
    item_part = Part(PackURI(f"/customXml/item{number}.xml"), "application/xml", _xml(item), package)
    props_part = Part(PackURI(f"/customXml/itemProps{number}.xml"), CT.OFC_CUSTOM_XML_PROPERTIES, _xml(props),
                      package)
    item_part.relate_to(props_part, RT.CUSTOM_XML_PROPS)
    doc.part.relate_to(item_part, RT.CUSTOM_XML)
