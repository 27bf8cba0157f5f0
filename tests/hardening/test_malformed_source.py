"""A corpus of malformed inputs: each gives a located finding and an exit status, never a
traceback, and never writes or changes an output."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.cli import main

SECTION = "sections/01-general.yaml"


@dataclass(frozen=True)
class Case:
    name: str
    breaks: Callable[[Path], None]
    exit: int
    code: str
    file: str  # where the finding must point ("" = not checked)
    line: int = 0


def replace_in(rel: str, old: str, new: str) -> Callable[[Path], None]:
    def go(root: Path) -> None:
        p = root / rel
        text = p.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        p.write_text(text.replace(old, new, 1), encoding="utf-8")
    return go


def write(rel: str, data: bytes | str) -> Callable[[Path], None]:
    def go(root: Path) -> None:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data if isinstance(data, bytes) else data.encode())
    return go


def both(*fns: Callable[[Path], None]) -> Callable[[Path], None]:
    def go(root: Path) -> None:
        for f in fns:
            f(root)
    return go


BILLION_LAUGHS = (
    'id: general\nheading: &a "lol"\n'
    + "".join(f"x{i}: &a{i} [{', '.join(['*a' if i == 0 else f'*a{i - 1}'] * 9)}]\n" for i in range(9))
)
RELEASE_OK = {"format": "s1sr-release/1", "name": "v1", "date": "2024-01-01",
              "document": {"version": "1"}, "clauses": []}

CASES = [
    Case("yaml-syntax", replace_in(SECTION, "  - id: annex\n", "  - id: annex\n   bad: [\n"), 2, "S1SR001", SECTION, 10),
    Case("tab-indent", replace_in(SECTION, "    heading: Annex", "\theading: Annex"), 2, "S1SR001", SECTION, 10),
    Case("duplicate-key", replace_in(SECTION, "    heading: Annex\n", "    heading: Annex\n    heading: B\n"),
         2, "S1SR002", SECTION, 11),
    Case("float-id", replace_in(SECTION, "id: annex-a", "id: 18.10"), 0, "S1SR004", SECTION, 13),
    Case("boolean-id", replace_in(SECTION, "id: annex-a", "id: no"), 0, "S1SR004", SECTION, 13),
    Case("missing-id", replace_in(SECTION, "  - id: scope\n", "  - heading: x\n"), 1, "S1SR005", SECTION, 4),
    Case("wrong-type", replace_in(SECTION, "    children:\n", "    children: nope\n    tags:\n"),
         1, "S1SR006", SECTION, 12),
    Case("unknown-field", replace_in(SECTION, "    heading: Annex", "    heding: Annex"), 1, "S1SR007", SECTION, 10),
    Case("unknown-xref", replace_in(SECTION, "[[annex]]", "[[anex]]"), 1, "S1SR201", SECTION, 5),
    Case("unknown-srv", replace_in(SECTION, '"6.12"', '"6.99"'), 1, "S1SR202", SECTION, 7),
    Case("unknown-device", replace_in(SECTION, "[secure-esme]", "[secure-esm]"), 1, "S1SR203", SECTION, 7),
    Case("group-cycle", replace_in("devices.yaml", "[secure-esme, lg-esme]", "[secure-esme, all-esme]"),
         1, "S1SR208", "devices.yaml", 5),
    Case("scheme-missing-level", replace_in("document.yaml", '  - {name: sub-clause, style: lower-alpha, ref: '
                                            '"{parent}{n}", label: "({n})", insert: lower-alpha}\n  - {name: item, '
                                            'style: lower-roman, ref: "{parent}({n})", label: "({n})", '
                                            'insert: lower-alpha}\n', ""),
         2, "S1SR101", SECTION, 13),
    Case("scheme-no-n", replace_in("document.yaml", 'ref: "{parent}.{n}"', 'ref: "{parent}."'),
         2, "S1SR101", "document.yaml", 9),
    Case("scheme-bad-style", replace_in("document.yaml", "style: lower-roman", "style: roman"),
         2, "S1SR011", "document.yaml", 11),
    Case("not-utf8", lambda r: (r / SECTION).write_bytes((r / SECTION).read_bytes().replace(b"General", b"G\xe9n")),
         2, "S1SR003", SECTION, 2),
    Case("bom", lambda r: (r / SECTION).write_bytes(b"\xef\xbb\xbf" + (r / SECTION).read_bytes()),
         0, "S1SR013", SECTION, 1),
    Case("control-char", replace_in(SECTION, "text: first item for SRV 4.8.1", 'text: "first\\x07 item"'),
         1, "S1SR012", SECTION, 14),
    Case("raw-control-char", replace_in(SECTION, "first item", "first\x07item"), 2, "S1SR001", SECTION, 14),
    Case("nul-bytes", write(SECTION, b"id: x\x00\x00\n"), 2, "S1SR001", SECTION, 1),
    Case("huge-file", write(SECTION, b"id: general\n" + b"# padding\n" * 5_300_000), 2, "S1SR009", SECTION, 0),
    Case("billion-laughs", write(SECTION, BILLION_LAUGHS), 2, "S1SR010", SECTION, 0),
    Case("missing-section-file", replace_in("document.yaml", "01-general.yaml", "01-genral.yaml"),
         2, "S1SR008", "document.yaml", 13),
    Case("missing-devices-file", lambda r: (r / "devices.yaml").unlink(), 2, "S1SR008", "devices.yaml", 0),
    Case("empty-document", write("document.yaml", ""), 2, "S1SR005", "document.yaml", 1),
    Case("document-is-a-list", write("document.yaml", "- a\n- b\n"), 1, "S1SR006", "document.yaml", 1),
    Case("duplicate-clause-id", replace_in(SECTION, "id: annex-a", "id: scope"), 1, "S1SR301", SECTION, 13),
    Case("empty-clause", replace_in(SECTION, "        text: first item for SRV 4.8.1\n", ""),
         1, "S1SR302", SECTION, 13),
    Case("bad-date", replace_in("document.yaml", '"2025-01-31"', '"31/01/2025"'), 1, "S1SR011", "document.yaml", 6),
    Case("bad-cohort", replace_in("devices.yaml", "cohort: FOC}\n  - {id: lg", "cohort: XOC}\n  - {id: lg"),
         1, "S1SR011", "devices.yaml", 2),
    Case("srv-list-bad-header", write("srvs.csv", "number;title\n1.1;x\n"), 1, "S1SR005", "srvs.csv", 1),
    Case("cited-number-missing", replace_in(SECTION, "first item", "as in clause 1.9, first item"),
         1, "S1SR204", SECTION, 13),
    Case("too-deep", replace_in(SECTION, "        text: first item for SRV 4.8.1\n",
                                "        text: x\n        children:\n          - id: d4\n            text: y\n"
                                "            children:\n              - id: d5\n                text: z\n"),
         2, "S1SR101", SECTION, 19),
    Case("release-bad-json", write("releases/v1.json", "{\"format\": \"s1sr-release/1\",}"),
         2, "S1SR014", "releases/v1.json", 1),
    Case("release-wrong-format", write("releases/v1.json", json.dumps({"format": "other"})),
         2, "S1SR014", "releases/v1.json", 1),
    Case("release-missing-fields", write("releases/v1.json", json.dumps(RELEASE_OK | {"clauses": [{"id": "x"}]})),
         2, "S1SR014", "releases/v1.json", 1),
    Case("changes-unknown-release", both(write("releases/v1.json", json.dumps(RELEASE_OK)),
                                         write("changes.yaml", "against: v7\n")),
         2, "S1SR015", "changes.yaml", 1),
    Case("changes-bad-renumber", write("changes.yaml", "renumber:\n  - clauses: scope\n"),
         1, "S1SR005", "changes.yaml", 2),
    Case("alias-merge-key", replace_in(SECTION, "    heading: Annex\n", "    <<: {heading: Annex}\n"),
         2, "S1SR010", SECTION, 10),
    Case("not-used-with-text", replace_in(SECTION, "        text: first item", "        not_used: true\n"
                                          "        text: first item"), 0, "S1SR303", SECTION, 13),
]


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from tests.conftest import MINI_DEVICES, MINI_DOCUMENT, MINI_SECTION

    base = tmp_path_factory.mktemp("base")
    root = base / "content"
    (root / "sections").mkdir(parents=True)
    (root / "document.yaml").write_text(MINI_DOCUMENT)
    (root / SECTION).write_text(MINI_SECTION)
    (root / "devices.yaml").write_text(MINI_DEVICES)
    out = base / "build"
    assert main(["build", "--content", str(root), "--out", str(out)]) == 0
    return root, out


def test_kinds_are_distinct() -> None:
    # The count across families (source, letters, releases, .docx, .xlsx) is test_corpus_count.py's.
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_malformed_source(case: Case, built: tuple[Path, Path], tmp_path: Path,
                          capsys: pytest.CaptureFixture[str]) -> None:
    src, good_out = built
    root = tmp_path / "content"
    shutil.copytree(src, root)
    out = tmp_path / "build"
    shutil.copytree(good_out, out)
    before = _digest(out)
    capsys.readouterr()
    case.breaks(root)

    status = main(["check", "--content", str(root), "--format", "json"])
    text, err = capsys.readouterr()
    assert "Traceback" not in text + err
    found = json.loads(text)["findings"]
    hits = [f for f in found if f["code"] == case.code]
    assert hits, [(f["code"], f["message"]) for f in found]
    assert status == case.exit, found
    loc = hits[0]["location"]
    if case.file:
        assert loc["file"].endswith(case.file), loc
    if case.line:
        assert loc.get("line") == case.line, loc
    assert hits[0]["message"] and hits[0]["help"]

    if case.exit:
        try:
            code = main(["build", "--content", str(root), "--out", str(out)])
        except SystemExit as exc:
            code = int(exc.code or 0)
        _, err = capsys.readouterr()
        assert code == case.exit and "Traceback" not in err
        assert _digest(out) == before, "a failed build changed the previous outputs"
