"""Bad input in the clause source: located, plain-language, every problem in one run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def findings(capsys: pytest.CaptureFixture[str], root: Path) -> tuple[int, list[dict]]:
    code = main(["check", "--content", str(root), "--format", "json"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, json.loads(out)["findings"]


def test_mini_is_clean(capsys: pytest.CaptureFixture[str], mini: Path) -> None:
    code, found = findings(capsys, mini)
    assert (code, found) == (0, [])


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


SECTION = "sections/01-general.yaml"


@pytest.mark.parametrize(("file", "old", "new", "code", "exit", "line"), [
    # malformed YAML
    (SECTION, "  - id: annex\n", "  - id: annex\n   bad: [\n", "S1SR001", 2, 10),
    # a tab used for indentation
    (SECTION, "    heading: Annex", "\theading: Annex", "S1SR001", 2, 10),
    # duplicate key
    (SECTION, "    heading: Annex\n", "    heading: Annex\n    heading: Again\n", "S1SR002", 2, 11),
    # an anchor and alias
    (SECTION, "  - id: annex\n", "  - id: &x annex\n    tags: [*x]\n", "S1SR010", 2, 9),
    # a float-looking id stays text, with a warning
    (SECTION, "id: annex-a", "id: 18.10", "S1SR004", 0, 13),
    # a boolean-looking id
    (SECTION, "id: annex-a", "id: no", "S1SR004", 0, 13),
    # a missing required field
    (SECTION, "  - id: scope\n", "  - heading: nothing\n", "S1SR005", 1, 4),
    # a wrong type
    (SECTION, "    children:\n", "    children: nope\n    tags:\n", "S1SR006", 1, 12),
    # an unknown (misspelt) field
    (SECTION, "    heading: Annex", "    heding: Annex", "S1SR007", 1, 10),
    # an unknown cross-reference
    (SECTION, "[[annex]]", "[[anex]]", "S1SR201", 1, 5),
    # an unknown SRV
    (SECTION, '"6.12"', '"6.99"', "S1SR202", 1, 7),
    # an unknown Device Model
    (SECTION, "devices: [secure-esme]", "devices: [secure-esm]", "S1SR203", 1, 7),
    # a duplicate clause id
    (SECTION, "id: annex-a", "id: scope", "S1SR301", 1, 13),
    # an empty clause
    (SECTION, "        text: first item for SRV 4.8.1\n", "", "S1SR302", 1, 13),
    # a bad enumeration value
    ("devices.yaml", "type: ESME, cohort: FOC}\n  - {id: lg", "type: ESMW, cohort: FOC}\n  - {id: lg",
     "S1SR011", 1, 2),
    # a group cycle
    ("devices.yaml", "members: [secure-esme, lg-esme]", "members: [secure-esme, all-esme]", "S1SR208", 1, 5),
    # a scheme with a missing level
    ("document.yaml", '  - {name: sub-clause, style: lower-alpha, ref: "{parent}{n}", label: "({n})", '
     'insert: lower-alpha}\n  - {name: item, style: lower-roman, ref: "{parent}({n})", label: "({n})", '
     'insert: lower-alpha}\n', "", "S1SR101", 2, 13),
    # a section file that does not exist
    ("document.yaml", "sections/01-general.yaml", "sections/01-genral.yaml", "S1SR008", 2, 13),
    # a plain-text number that does not exist
    (SECTION, "first item", "as in clause 1.9, first item", "S1SR204", 1, 13),
])
def test_bad_source(capsys: pytest.CaptureFixture[str], mini: Path, file: str, old: str, new: str, code: str,
                    exit: int, line: int) -> None:
    edit(mini / file, old, new)
    status, found = findings(capsys, mini)
    hit = [f for f in found if f["code"] == code]
    assert hit, found
    assert status == exit
    assert hit[0]["location"]["line"] == line
    # A scheme too short for the tree is reported at the clause that does not fit.
    where = SECTION if code == "S1SR101" else file
    assert hit[0]["location"]["file"].endswith(where)
    assert hit[0]["message"]


def test_not_utf8_is_located(capsys: pytest.CaptureFixture[str], mini: Path) -> None:
    path = mini / SECTION
    path.write_bytes(path.read_bytes().replace(b"General", b"G\xe9n\xe9ral"))
    status, found = findings(capsys, mini)
    assert status == 2
    assert found[0]["code"] == "S1SR003"
    assert found[0]["location"]["line"] == 2


def test_bom_is_accepted_with_a_note(capsys: pytest.CaptureFixture[str], mini: Path) -> None:
    path = mini / SECTION
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    status, found = findings(capsys, mini)
    assert status == 0
    assert [f["code"] for f in found] == ["S1SR013"]


def test_every_problem_in_one_run(capsys: pytest.CaptureFixture[str], mini: Path) -> None:
    edit(mini / SECTION, "[[annex]]", "[[anex]]")
    edit(mini / SECTION, '"6.12"', '"6.99"')
    edit(mini / "devices.yaml", "type: ESME, cohort: FOC}\n  - {id: lg", "type: ESMW, cohort: FOC}\n  - {id: lg")
    status, found = findings(capsys, mini)
    assert status == 1
    assert {"S1SR201", "S1SR202", "S1SR011"} <= {f["code"] for f in found}


def test_text_output_names_file_line_and_hint(capsys: pytest.CaptureFixture[str], mini: Path) -> None:
    edit(mini / SECTION, "[[annex]]", "[[anex]]")
    status, out, _ = run(capsys, "check", "--content", str(mini))
    assert status == 1
    first = out.splitlines()[0]
    assert first.endswith("S1SR201 error: clause 'scope' refers to [[anex]], which is not a clause id")
    assert "01-general.yaml:5:" in first
    assert "help: did you mean 'annex'?" in out


def test_missing_folder_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["check", "--content", str(tmp_path / "nowhere")])
    assert exc.value.code == 2
    assert "is not a folder" in capsys.readouterr().err


def test_without_an_srv_list_the_package_duis_list_is_read(mini: Path) -> None:
    from generator.readers.yaml_source import DEFAULT_SRVS, read_source

    assert not (mini / "srvs.csv").exists()
    project, diags = read_source(str(mini))
    assert project is not None and not diags
    duis = Path(DEFAULT_SRVS).read_text(encoding="utf-8").splitlines()[1:]
    assert [s.number for s in project.srvs] == [line.split(",")[0] for line in duis if line]
    assert "4.8.1" in {s.number for s in project.srvs}


def test_an_srv_list_of_its_own_replaces_the_package_list(mini: Path) -> None:
    from generator.readers.yaml_source import read_source

    (mini / "srvs.csv").write_text("srv,name\n4.8.1,Read Active Import Profile Data\n", encoding="utf-8")
    project, _ = read_source(str(mini))
    assert project is not None
    assert [(s.number, s.name) for s in project.srvs] == [("4.8.1", "Read Active Import Profile Data")]
