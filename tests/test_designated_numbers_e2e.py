"""Issue 13's scenario, as a drafter runs it: ``s1sr release v13``, start v14 against v13, move
released clause 18.5k (``pd-edmi-capture``) further down 18.5 and declare it, then put a brand-new
clause where 18.5k was.

Before the rule of frozen numbers, ``s1sr check`` was clean, ``s1sr build`` succeeded, and
``s1sr check --built`` failed ("18.5l follows 18.5j: 18.5k is missing"); the new clause silently
took 18.5k, a number v13 designated for other text. Now the new clause is 18.5ja, 18.5k reads
[Not used] in every output, and the check and the read-back agree.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from generator.cli import main
from tests.support import CONTENT

SECTION = "sections/18-profile-data.yaml"
NEW = """      - id: pd-edmi-new
        text: >-
          An EDMI ESME rounds each Profile Data entry down to the nearest watt-hour.
"""


def _move_edmi_capture(root: Path, *, new_clause: bool) -> None:
    path = root / SECTION
    text = path.read_text(encoding="utf-8")
    start, end = text.index("      - id: pd-edmi-capture"), text.index("      - id: pd-edmi-export")
    block = text[start:end]
    text = text[:start] + text[end:]
    at = text.index("      - id: pd-ioc-current-period")
    text = text[:at] + block + text[at:]
    if new_clause:
        at = text.index("      - id: pd-edmi-export")
        text = text[:at] + NEW + text[at:]
    path.write_text(text, encoding="utf-8")


def _changes(root: Path, *, declared: bool) -> None:
    body = 'against: v13\nauthor: S1SR Drafting Team\ndate: "2025-10-01"\n'
    if declared:
        body += ("renumber:\n  - clauses: [pd-edmi-capture]\n"
                 "    reason: Keep the EDMI clauses after the Aclara ones.\n")
    (root / "changes.yaml").write_text(body, encoding="utf-8")


@pytest.fixture(scope="module")
def v14(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example released as v13, then the v14 draft with 18.5k moved and a new clause in its place."""
    root = tmp_path_factory.mktemp("v14") / "content"
    shutil.copytree(CONTENT, root)
    shutil.rmtree(root / "letters")  # the example's letter explains v13, not this draft
    assert main(["release", "v13", "--content", str(root), "-q"]) == 0
    doc = root / "document.yaml"
    doc.write_text(doc.read_text(encoding="utf-8").replace('version: "13.0"', 'version: "14.0"'), encoding="utf-8")
    _changes(root, declared=True)
    _move_edmi_capture(root, new_clause=True)
    return root


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out


def test_the_snapshot_records_what_it_descends_from(v14: Path) -> None:
    snap = json.loads((v14 / "releases" / "v13.json").read_text(encoding="utf-8"))
    assert snap["against"] == "v12"
    left = {c["number"]: c for c in snap["clauses"] if c["id"].startswith("~")}
    assert set(left) == {"18.5t", "18.5u", "18.5v"} and all(c["not_used"] for c in left.values())
    assert left["18.5t"]["vacated_by"] == "pd-secure-gsme"


def test_check_build_and_read_back_agree(v14: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(capsys, "check", "--content", str(v14))
    assert code == 0, out
    assert "18.5k → 18.5na (declared" in out and "18.5k reads [Not used]" in out
    build = tmp_path / "build"
    code, out = _run(capsys, "build", "--content", str(v14), "--out", str(build), "--no-site", "-q")
    assert code == 0, out
    code, out = _run(capsys, "check", "--content", str(v14), "--built", str(build), "--format", "json")
    findings = json.loads(out)["findings"]
    assert code == 0 and not [f for f in findings if f["severity"] == "error"], findings

    export = json.loads((build / "S1SR-v14.0.json").read_bytes())
    numbers = [(c["number"], c["id"], c["not_used"]) for c in export["documents"][0]["clauses"]
               if re.fullmatch(r"18\.5[j-n][a-z]?", c["number"])]
    assert numbers == [("18.5j", "pd-itron-depth", False), ("18.5ja", "pd-edmi-new", False),
                       ("18.5k", "~18.5k", True), ("18.5l", "pd-edmi-export", False),
                       ("18.5m", "pd-aclara-outage", False), ("18.5n", "pd-aclara-reactive", False),
                       ("18.5na", "pd-edmi-capture", False)]
    # The Word document, as its own reader sees it: 18.5ja, then 18.5k [Not used] at its place.
    with zipfile.ZipFile(build / "S1SR-v14.0.docx") as z:
        body = re.sub(r"<[^>]+>", "", z.read("word/document.xml").decode("utf-8"))
    assert re.search(r"\(ja\)\s*An EDMI ESME rounds each Profile Data entry.*?\(k\)\s*\[Not used\]\s*\(l\)", body)
    # The redline: 18.5k's text deleted, 18.5ja and 18.5k [Not used] inserted; its Changes sheet says why.
    with zipfile.ZipFile(build / "S1SR-redline-v13-to-v14.0.docx") as z:
        redline = z.read("word/document.xml").decode("utf-8")
    assert "[Not used]" in redline and "An EDMI ESME rounds each Profile Data entry" in redline
    with zipfile.ZipFile(build / "DMVESM-redline-v13-to-v14.0.xlsx") as z:
        strings = z.read("xl/sharedStrings.xml").decode("utf-8") if "xl/sharedStrings.xml" in z.namelist() else \
            "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert "18.5k reads [Not used]: &apos;pd-edmi-capture&apos; left it" in strings or \
        "18.5k reads [Not used]: 'pd-edmi-capture' left it" in strings


def test_the_site_shows_the_number_left_unused(v14: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from generator.app import api
    from generator.writers.markdown import write_markdown

    project, _ = api.load(str(v14))
    assert project is not None
    pages = write_markdown(project, api.writer_options(project))
    page = next(text.decode("utf-8") for name, text in pages.items() if name.endswith("18-profile-data.md"))
    ja, k, na = (page.index(x) for x in ("18.5ja", "18.5k", "18.5na"))
    assert ja < k < na and re.match(r"18\.5k\".*?18&#46;5k</a> &#91;Not used&#93;</p>", page[k:k + 200])


def test_diff_lists_the_number_left_unused(v14: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _run(capsys, "diff", "v13", "draft", "--content", str(v14))
    assert code == 0
    assert "1 number left [Not used]" in out
    assert re.search(r"18\.5k +\[Not used\] \(left by pd-edmi-capture\) +vacated", out)
    assert "S1SR402" not in out  # 18.5k does not name other text


def test_undeclared_the_move_stops_the_check_with_what_to_write(v14: Path, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "content"
    shutil.copytree(v14, root)
    _changes(root, declared=False)
    code, out = _run(capsys, "check", "--content", str(root))
    assert code == 1
    assert "S1SR106 error: clause 'pd-edmi-capture' (18.5k in release v13) has moved out of the released order" \
        in out
    # the file, the key and the snippet to paste
    assert re.search(r"help: move it back to its place as 18\.5k, or declare the renumbering: add under "
                     r"'renumber:' in \S*content/changes\.yaml:\n", out)
    assert "          - clauses: [pd-edmi-capture]\n            reason: <why 18.5k becomes 18.5na>\n" in out


def test_naming_the_number_does_not_give_it_to_a_new_clause(v14: Path, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "content"
    shutil.copytree(v14, root)
    with (root / "changes.yaml").open("a", encoding="utf-8") as fh:
        fh.write('  - clauses: [pd-edmi-new]\n    reason: Reuse 18.5k.\n    takes_over: ["18.5k"]\n')
    code, out = _run(capsys, "check", "--content", str(root), "--format", "json")
    findings = json.loads(out)["findings"]
    # takes_over gives a number back to a clause that held it: the new clause is still 18.5ja.
    (stale,) = [f for f in findings if f["code"] == "S1SR111"]
    assert stale["message"] == "'takes_over: 18.5k' takes nothing over: no clause is numbered 18.5k in the draft"
    code, out = _run(capsys, "export", "--content", str(root))
    assert code == 0
    numbers = {c["id"]: c["number"] for c in json.loads(out)["documents"][0]["clauses"]}
    assert numbers["pd-edmi-new"] == "18.5ja" and numbers["~18.5k"] == "18.5k"
