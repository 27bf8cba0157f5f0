"""The DMVESM (Annex A) as a page of the site: SRV × Device Model, each cell linking its clauses.

Each cell links its clauses, or says – (no variation) or N/A (the SRV does not apply to the Device
Model), as the workbook does. The table is written as HTML, not as a Markdown table: at ten times the example it has some
fifty thousand cells, which Python-Markdown would otherwise parse one by one. Nothing from the
source reaches it unescaped. A small script of the site (``s1sr.js``, no framework) filters it
by SRV and by Device Model as the reader types, and reads a filter from the address:
``dmvesm.html#d-<device id>`` shows one Device Model's column, ``#s-<srv>`` one SRV's row.
The page works without the script (the whole table), from files and offline.
"""

from __future__ import annotations

import html
import posixpath
from typing import TYPE_CHECKING
from urllib.parse import quote

from generator.writers.markdown import _front, _md, _srv_key

if TYPE_CHECKING:
    from generator.writers.markdown import _Site

__all__ = ["dmvesm_page", "page_url"]


def _dest(path: str, directory_urls: bool) -> str:
    """The URL path MkDocs gives the page at ``path`` (relative to the docs folder)."""
    stem = path.removesuffix(".md")
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def page_url(here: str, target: str, anchor: str = "", *, directory_urls: bool = False) -> str:
    """A relative URL from the page ``here`` to the page ``target`` (docs-folder paths), for links
    written as HTML, which MkDocs does not rewrite."""
    a, b = _dest(here, directory_urls), _dest(target, directory_urls)
    base = a.rstrip("/") if a.endswith("/") or not a else posixpath.dirname(a)
    rel = posixpath.relpath(b.rstrip("/") or ".", base or ".")
    if b.endswith("/") or not b:
        rel = "./" if rel == "." else rel + "/"
    url = quote(rel, safe="/._-")
    return url + ("#" + quote(anchor, safe="-._:~") if anchor else "")


def _a(value: str) -> str:
    return html.escape(value, quote=True)


def dmvesm_page(site: _Site) -> str:
    """The page ``dmvesm.md`` of one version's page set."""
    here = site.path("dmvesm.md")
    urls = site.links.directory_urls
    devices = list(site.project.devices)
    title = "DMVESM"
    cells = sum(1 for m in site.project.matrix if m.clauses)
    # The table needs the width: no table of contents beside it (it would be empty anyway).
    front = _front(title, search=False).replace("\n---\n", "\nhide:\n  - toc\n---\n", 1)
    annex = site.by_id.get(site.doc.matrix_annex) if site.doc.matrix_annex else None
    heading = f"{annex.label}: the DMVESM" if annex is not None and annex.label else "The DMVESM"
    lines = [
        front, f"# {_md(heading)} {{: #dmvesm }}", "",
        f"The Device Model Variations to Equivalent Steps Matrix of {_md(site.doc.short_title or site.doc.title)} "
        f"{_md(site.doc.version)}: for each SRV (a row) and each Device Model (a column), the clauses that describe "
        f"how that Device Model varies. {len(site.srvs)} SRVs have variations, {len(devices)} Device Models are "
        f"registered, {cells} cells cite clauses. Type in the boxes to filter; each clause number opens the clause. "
        "As in the workbook, – marks no variation and N/A an SRV that does not apply to the Device Model.",
        "",
    ]
    not_applicable = {(srv, d.id) for d in devices for srv in d.not_applicable}
    out = ['<div class="s1sr-dmvesm">',
           '<form class="s1sr-filter" role="search" hidden>'
           '<label>SRV <input type="search" name="srv" list="s1sr-srv-list" autocomplete="off" '
           'placeholder="4.8.1, 4.8 or Profile"></label> '
           '<label>Device Model <input type="search" name="device" list="s1sr-device-list" autocomplete="off" '
           'placeholder="Secure, FOC or ESME"></label> '
           '<label class="s1sr-hide"><input type="checkbox" name="hide" checked> only SRVs and Device Models with a '
           'variation</label> <output name="count" class="s1sr-count"></output></form>']
    out.append('<datalist id="s1sr-srv-list">' + "".join(
        f'<option value="{_a(s)}">{_a(site.srv_names.get(s, ""))}</option>' for s in site.srvs) + "</datalist>")
    out.append('<datalist id="s1sr-device-list">' + "".join(
        f'<option value="{_a(_name(d.manufacturer, d.model))}">{_a(" ".join(x for x in (d.device_type, d.cohort) if x))}'
        "</option>" for d in devices) + "</datalist>")
    head = ['<th scope="col" class="s1sr-corner">SRV</th>']
    for d in devices:
        name = _name(d.manufacturer, d.model)
        facts = " · ".join(x for x in (d.device_type, d.cohort) if x)
        text = " ".join((d.id, name, d.device_type, d.cohort)).lower()
        label = (f'<a href="{_a(page_url(here, site.device_pages[d.id], directory_urls=urls))}">{_a(name)}</a>'
                 if site.links.full else _a(name))
        head.append(f'<th scope="col" id="d-{_a(d.id)}" data-device="{_a(d.id.lower())}" data-text="{_a(text)}">'
                    f"{label}<small>{_a(facts)}</small></th>")
    out += ['<div class="s1sr-matrix-scroll"><table class="s1sr-matrix">', "<thead><tr>" + "".join(head) + "</tr></thead>",
            "<tbody>"]
    columns = [d.id for d in devices]
    # As in the workbook, an SRV that is only not applicable (no clause varies it) has its row of
    # N/A cells; it has no SRV page, and the filter's "only … with a variation" hides it.
    order = {s.number: i for i, s in enumerate(site.project.srvs)}
    only_na = {srv for srv, _ in not_applicable} - set(site.srvs)
    srv_rows = sorted([*site.srvs, *only_na], key=lambda s: (order.get(s, len(order)), _srv_key(s)))
    for srv in srv_rows:
        name = site.srv_names.get(srv, "")
        by_device = site.by_srv.get(srv, {})
        shown = (f'<a href="{_a(page_url(here, site.srv_pages[srv], directory_urls=urls))}">{_a(srv)}</a>'
                 if site.links.full and srv in site.srv_pages else _a(srv))
        row = [f'<tr id="s-{_a(srv)}" data-srv="{_a(srv.lower())}" data-text="{_a((srv + " " + name).lower())}">'
               f'<th scope="row">{shown} <span>{_a(name)}</span></th>']
        for did in columns:
            ids = by_device.get(did)
            if ids:
                row.append("<td>" + ", ".join(_clause(site, here, cid, urls) for cid in dict.fromkeys(ids)) + "</td>")
            else:
                row.append('<td class="s1sr-na">N/A</td>' if (srv, did) in not_applicable else
                           '<td class="s1sr-none">–</td>')
        row.append("</tr>")
        out.append("".join(row))
    out += ["</tbody></table></div>", "</div>", ""]
    # Cells citing a Device Model the registry does not hold (an imported matrix) are not lost.
    unknown = sorted({did for cells_ in site.by_srv.values() for did in cells_} - set(columns))
    if unknown:
        out += ["", "Cells for Device Models not in the registry: "
                + "; ".join(f"{_md(did)} (SRV {', '.join(_md(s) for s in site.srvs if did in site.by_srv[s])})"
                            for did in unknown), ""]
    return "\n".join(lines + out)


def _name(manufacturer: str, model: str) -> str:
    return f"{manufacturer} {model}".strip()


def _clause(site: _Site, here: str, cid: str, urls: bool) -> str:
    c = site.by_id.get(cid)
    if c is None:  # a release's matrix may cite a clause its text no longer has
        return f'<span class="s1sr-missing">{_a(cid)}</span>'
    href = page_url(here, site.page_of[cid], f"c-{cid}", directory_urls=urls)
    return f'<a href="{_a(href)}">{_a(c.number or c.id)}</a>'
