"""Broken change letters, letter templates and release snapshots in a copy of the example.

Each case breaks one file of a copy of ``content/`` (or a template the project overrides), runs
``s1sr check`` and asserts the exit status, the finding code and the file:line it points at;
then runs ``s1sr build`` over an earlier build and asserts it fails the same way and leaves
every byte of that build as it was. A template is not read by the check (it never imports
Jinja2), so template cases are asserted on the build alone.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from tests.hardening import fixtures as F

LETTER = "letters/2025-04-recommendation.yaml"
RELEASE = "releases/v12.json"
CONSULTATION = "consultations/2025-02-s1sr-v13"


@dataclass(frozen=True)
class LetterCase:
    name: str
    family: str  # "letters", "consultations" or "releases"
    breaks: Callable[[Path], None]  # given the project folder (content/ and templates/ in it)
    exit: int
    code: str
    file: str  # the file the finding names, relative to the project folder
    line_of: str = ""  # the finding's line is the first line of that file holding this text ...
    shift: int = 0  # ... plus this
    line: int = 0  # or this line
    build_only: bool = False  # a template: only the build reads it


def in_letter(old: str, new: str) -> Callable[[Path], None]:
    return lambda root: F.replace_in(root / "content" / LETTER, old, new)


def in_content(name: str, old: str, new: str) -> Callable[[Path], None]:
    return lambda root: F.replace_in(root / "content" / name, old, new)


def letter_bytes(change: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def go(root: Path) -> None:
        path = root / "content" / LETTER
        path.write_bytes(change(path.read_bytes()))
    return go


def snapshot(change: Callable[[dict[str, Any]], object]) -> Callable[[Path], None]:
    return lambda root: F.edit_json(root / "content" / RELEASE, change)


def snapshot_bytes(change: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def go(root: Path) -> None:
        path = root / "content" / RELEASE
        path.write_bytes(change(path.read_bytes()))
    return go


def in_template(name: str, old: str, new: str) -> Callable[[Path], None]:
    return lambda root: F.replace_in(F.override_template(root, f"letter/{name}"), old, new)


def clause(i: int, **values: object) -> Callable[[dict[str, Any]], None]:
    def go(data: dict[str, Any]) -> None:
        data["clauses"][i].update(values)
    return go


def _duplicate(data: dict[str, Any]) -> None:
    data["clauses"].append(dict(data["clauses"][5]))


def _cycle(data: dict[str, Any]) -> None:
    a, b = data["clauses"][1], data["clauses"][2]
    a["parent"], b["parent"] = b["id"], a["id"]


LF = "content/" + LETTER
RF = "content/" + RELEASE

LETTER_CASES = [
    LetterCase("letter-yaml-syntax", "letters", in_letter("delivery: By email only", "delivery: [By email only"),
               2, "S1SR001", LF, line_of="delivery:", shift=1),
    LetterCase("letter-duplicate-key", "letters",
               in_letter("delivery: By email only\n", "delivery: By email only\ndelivery: By post\n"),
               2, "S1SR002", LF, line_of="delivery: By post"),
    LetterCase("letter-not-utf8", "letters", letter_bytes(lambda b: b.replace(b"Rowena Castellan", b"R\xf6wena", 1)),
               2, "S1SR003", LF, line_of="  name: R"),
    LetterCase("letter-yaml-alias", "letters",
               in_letter("delivery: By email only", "delivery: &d By email only\nclosing: *d"),
               2, "S1SR010", LF, line_of="delivery: &d"),
    LetterCase("letter-not-a-mapping", "letters", letter_bytes(lambda _: b"- a letter\n- as a list\n"),
               1, "S1SR006", LF, line=1),
    LetterCase("letter-missing-date", "letters", in_letter('date: "2025-04-30"\n', ""), 1, "LTR101", LF,
               line_of="version: v13"),
    LetterCase("letter-missing-sender-organisation", "letters",
               in_letter("  organisation: Smart DCC Ltd\n  address:", "  address:"), 1, "LTR101", LF,
               line_of="sender:", shift=1),
    LetterCase("letter-unknown-field", "letters", in_letter("\nsubject: ", "\nsubjet: "), 1, "S1SR007", LF,
               line_of="subjet:"),
    LetterCase("letter-wrong-type", "letters", in_letter("\nappendices:\n", "\nappendices: none\nunused:\n"),
               1, "S1SR006", LF, line_of="appendices: none"),
    LetterCase("letter-bad-date", "letters", in_letter('date: "2025-04-30"', 'date: "30/04/2025"'), 1, "S1SR011",
               LF, line_of='date: "30/04/2025"'),
    LetterCase("letter-typed-consultation-count", "letters", in_letter("  id: 2025-02", "  responses: 9\n  id: 2025-02"),
               1, "LTR101", LF, line_of="responses: 9"),
    LetterCase("letter-count-not-a-number", "letters", in_letter("[six]{tag:apr-2025-device-behaviours} device",
                                                                 "[several]{tag:apr-2025-device-behaviours} device"),
               1, "LTR142", LF, line_of="  - it puts back"),  # a list's findings point at its first line
    LetterCase("letter-count-unknown-part", "letters", in_letter("[One]{opposed:lg-config}", "[One]{opposed:lg}"),
               1, "LTR143", LF, line_of="{opposed:lg}"),
    LetterCase("letter-count-unknown-kind", "letters", in_letter("[One]{opposed:lg-config}", "[One]{against:x}"),
               1, "LTR143", LF, line_of="{against:x}"),
    LetterCase("letter-unknown-consultation", "letters", in_letter("id: 2025-02-s1sr-v13", "id: 2025-02-s1sr-v31"),
               1, "LTR140", LF, line_of="id: 2025-02-s1sr-v31"),
    LetterCase("letter-unknown-version", "letters", in_letter("version: v13", "version: v15"), 1, "LTR144", LF,
               line_of="version: v15"),
    LetterCase("letter-bad-link", "letters", in_letter("(https://smartenergycodecompany.co.uk/)",
                                                       "(file:///C:/guide.pdf)"),
               1, "LTR146", LF, line_of="- id: gbcs"),  # a footnote's findings point at the footnote
    LetterCase("letter-signature-missing", "letters", in_letter("signature: signature.png", "signature: nope.png"),
               1, "LTR147", LF, line_of="signature: nope.png"),
    LetterCase("letter-signature-outside", "letters",
               in_letter("signature: signature.png", "signature: ../../templates/reference.docx"),
               1, "LTR147", LF, line_of="signature: ../../"),
    LetterCase("letter-signature-not-an-image", "letters",
               in_letter("signature: signature.png", "signature: ../document.yaml"),
               1, "LTR147", LF, line_of="signature: ../document.yaml"),
    LetterCase("letter-footnote-in-footnote", "letters", in_letter("Equivalent Steps. It is", "Equivalent Steps[^sec]. It is"),
               1, "LTR148", LF, line_of="- id: gbcs"),
    LetterCase("letter-selects-nothing", "letters", in_letter("tags: [apr-2025-lg-foc-config]", "{}"), 1, "LTR101",
               LF, line_of="          {}"),
    LetterCase("letter-unknown-clause", "letters", in_letter("- pd-other-gsme", "- pd-no-such-clause"), 2, "LTR102",
               LF, line_of="- pd-no-such-clause"),
    LetterCase("letter-unknown-tag", "letters", in_letter("tags: [apr-2025-lg-foc-config]", "tags: [no-such-tag]"),
               2, "LTR103", LF, line_of="tags: [no-such-tag]"),
    LetterCase("letter-unknown-srv", "letters", in_letter("tags: [apr-2025-lg-foc-config]", 'srvs: ["99.9"]'),
               2, "LTR103", LF, line_of='srvs: ["99.9"]'),
    LetterCase("letter-claims-unchanged-clause", "letters", in_letter("- pd-other-gsme", "- intro-purpose"),
               1, "LTR104", LF, line_of="- intro-purpose"),
    LetterCase("letter-unknown-release", "letters", in_letter("against: v12", "against: v99"), 2, "LTR109", LF,
               line_of="against: v99"),
    LetterCase("letter-unknown-footnote", "letters", in_letter("GBCS[^gbcs]", "GBCS[^nope]"), 1, "LTR106", LF,
               line_of="None of these behaviours"),  # a narrative finding points at its paragraph
    LetterCase("letter-unknown-clause-reference", "letters", in_letter("[[cfg-lg-hh-profile]]", "[[cfg-nope]]"),
               1, "LTR108", LF, line_of="**Half-hourly load profile.**"),
    LetterCase("letter-template-syntax", "letters",
               in_template("letter.md.j2", "{{", "{% for x in %}\n{{"), 2, "LTR110",
               "templates/letter/letter.md.j2", line_of="{% for x in %}", build_only=True),
    LetterCase("letter-template-unknown-field", "letters",
               in_template("letter.md.j2", "{{", "{{ letter.no_such_field }}\n{{"), 2, "LTR110",
               "templates/letter/letter.md.j2", line_of="no_such_field", build_only=True),
    LetterCase("letter-template-bad-xml", "letters", in_template("docx/footer.xml.j2", "</w:p>", "<w:p></w:p>"),
               2, "LTR110", "templates/letter/docx/footer.xml.j2", build_only=True),
]

CONSULTATION_CASES = [
    LetterCase("consultation-unknown-part", "consultations", in_content(CONSULTATION + "/responses/large-supplier-b.yaml",
                                                                  "  references: agree", "  referenses: agree"),
               1, "CNS102", "content/" + CONSULTATION + "/responses/large-supplier-b.yaml", line_of="referenses"),
    LetterCase("consultation-duplicate-respondent", "consultations",
               in_content(CONSULTATION + "/responses/large-supplier-c.yaml", "organisation: Large Supplier C",
                          "organisation: large  supplier a"),
               1, "CNS103", "content/" + CONSULTATION + "/responses/large-supplier-c.yaml", line_of="organisation:"),
    LetterCase("consultation-bad-answer", "consultations",
               in_content(CONSULTATION + "/responses/gas-network-a.yaml", "response: no view", "response: maybe"),
               1, "CNS104", "content/" + CONSULTATION + "/responses/gas-network-a.yaml", line_of="response: maybe"),
    LetterCase("consultation-bad-category", "consultations",
               in_content(CONSULTATION + "/responses/gas-network-a.yaml", "category: Gas Network Party",
                          "category: Gas Shipper"),
               1, "CNS105", "content/" + CONSULTATION + "/responses/gas-network-a.yaml", line_of="category:"),
    LetterCase("consultation-no-organisation", "consultations",
               in_content(CONSULTATION + "/responses/gas-network-a.yaml", "organisation: Gas Network Operator A\n", ""),
               1, "CNS101", "content/" + CONSULTATION + "/responses/gas-network-a.yaml", line=1),
    LetterCase("consultation-duplicate-part", "consultations",
               in_content(CONSULTATION + "/consultation.yaml", "  - id: lg-config",
                          "  - id: behaviours  # a second part with this id"),
               1, "CNS106", "content/" + CONSULTATION + "/consultation.yaml", line_of="a second part with this id"),
    LetterCase("consultation-unknown-proposal", "consultations",
               in_content(CONSULTATION + "/consultation.yaml", "tags: [apr-2025-lg-foc-config]", "tags: [apr-2025-lg]"),
               1, "CNS107", "content/" + CONSULTATION + "/consultation.yaml", line_of="tags: [apr-2025-lg]"),
    LetterCase("consultation-yaml-syntax", "consultations",
               in_content(CONSULTATION + "/consultation.yaml", "opened: \"2025-02-24\"", "opened: [2025"),
               2, "S1SR001", "content/" + CONSULTATION + "/consultation.yaml", line_of="opened: [2025", shift=1),

]

RELEASE_CASES = [
    LetterCase("release-truncated", "releases", snapshot_bytes(lambda b: b[: len(b) // 3]), 2, "S1SR014", RF, line=1),
    LetterCase("release-empty", "releases", snapshot_bytes(lambda _: b""), 2, "S1SR014", RF, line=1),
    LetterCase("release-not-utf8", "releases", snapshot_bytes(lambda b: b.replace(b"Introduction", b"Intr\xf6", 1)),
               2, "S1SR014", RF, line=1),
    LetterCase("release-format-version", "releases", snapshot(lambda d: d.update(format="s1sr-release/2")),
               2, "S1SR014", RF, line=1),
    LetterCase("release-clauses-not-a-list", "releases", snapshot(lambda d: d.update(clauses={"intro": 1})),
               2, "S1SR014", RF, line=1),
    LetterCase("release-orphan-parent", "releases", snapshot(clause(5, parent="no-such-parent")),
               2, "S1SR014", RF, line=1),
    LetterCase("release-duplicate-ids", "releases", snapshot(_duplicate), 2, "S1SR014", RF, line=1),
    LetterCase("release-parent-cycle", "releases", snapshot(_cycle), 2, "S1SR014", RF, line=1),
    LetterCase("release-over-size-limit", "releases",
               lambda root: F.sparse_file(root / "content" / RELEASE, 65 * 1024 * 1024), 2, "S1SR014", RF, line=1),
]

CASES = LETTER_CASES + CONSULTATION_CASES + RELEASE_CASES


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the example's content/, built once into build/."""
    root = tmp_path_factory.mktemp("project")
    content = F.copy_project(root)
    assert main(["build", "--content", str(content), "--out", str(root / "build"), "--no-site", "-q"]) == 0
    return root


def _line(path: Path, text: str) -> int:
    for i, raw in enumerate(path.read_bytes().decode("utf-8", "replace").splitlines(), start=1):
        if text in raw:
            return i
    raise AssertionError(f"{text!r} is not in {path}")


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        status = main(argv)
    except SystemExit as exc:
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


_TEXT_FINDING = re.compile(r"^(?P<file>[^\n]*?)(?::(?P<line>\d+)(?::\d+)?)?: (?P<code>[A-Z][A-Z0-9]*\d) ", re.MULTILINE)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_malformed_letter_or_release(case: LetterCase, project: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(project / "content", tmp_path / "content")
    out = tmp_path / "build"
    shutil.copytree(project / "build", out)
    before = F.digest(out)
    case.breaks(tmp_path)
    path = tmp_path / case.file
    line = case.line or (_line(path, case.line_of) + case.shift if case.line_of else 0)
    content = str(tmp_path / "content")

    status, text, err = _run(["check", "--content", content, "--format", "json"], capsys)
    assert "Traceback" not in text + err
    found = json.loads(text)["findings"]
    if case.build_only:
        assert status == 0, found  # the check never reads templates (it does not import Jinja2)
    else:
        hits = [f for f in found if f["code"] == case.code]
        assert hits, [(f["code"], f["message"]) for f in found]
        assert status == case.exit, [(f["code"], f["message"]) for f in found]
        located = {(Path(f["location"]["file"]).resolve(), f["location"].get("line", 0)) for f in hits}
        assert (path.resolve(), line) in located if line else path.resolve() in {p for p, _ in located}, located
        assert all(f["message"] and f["help"] for f in hits)

    status, text, err = _run(["build", "--content", content, "--out", str(out), "--no-site"], capsys)
    assert "Traceback" not in text + err
    assert status == case.exit, err
    found_text = [m.groupdict() for m in _TEXT_FINDING.finditer(err) if m.group("code") == case.code]
    assert found_text, err
    if case.build_only:
        where = {(Path(f["file"]).resolve(), int(f["line"] or 0)) for f in found_text}
        assert (path.resolve(), line) in where if line else path.resolve() in {p for p, _ in where}, where
    assert F.digest(out) == before, "a failed build changed the previous outputs"
    assert not any(p.name.startswith(".") for p in tmp_path.iterdir()), "a staging folder was left behind"
