"""Nothing is lost, nothing escapes: one table of cases per class of issue 12.

Every case runs ``s1sr`` (in process, as ``cli.main``) in a throwaway copy of the example
    for name in ("content", "docs", "site-docs"):  # the example keeps no templates/: the package's are used

The classes: 1. output folders the tool owns, 2. one safe way from data to a file name,
3. reading stays inside, 4. never a traceback, 5. text that lies. Each bullet of the issue's
"does not hold" list is a case (its id says which).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator import cli
from generator.app import outputs
from tests.conftest import REPO
from tests.hardening import fixtures as F

Prepare = Callable[[Path, Path], None]  # (the project folder parent/proj, the example's built outputs)


@dataclass(frozen=True)
class Case:
    id: str
    argv: tuple[str, ...]
    exit: int
    expect: str  # a regex that one line of stdout + stderr must match
    prepare: tuple[Prepare, ...] = ()
    changes: tuple[str, ...] = ()  # paths under parent/ (prefixes) the command is meant to change
    hook: str = ""  # a fault injected for the run (see _hook)
    after: Callable[[Path], None] | None = None  # more checks on the project afterwards
    max_line: int = 0  # every output line at most this long


# -- building blocks for the cases ----------------------------------------------------------------
def edit(rel: str, old: str, new: str) -> Prepare:
    def run(proj: Path, example: Path) -> None:
        F.replace_in(proj / rel, old, new)
    return run


def append(rel: str, text: str) -> Prepare:
    def run(proj: Path, example: Path) -> None:
        with open(proj / rel, "a", encoding="utf-8") as fh:
            fh.write(text)
    return run


def write(rel: str, data: str | bytes) -> Prepare:
    def run(proj: Path, example: Path) -> None:
        (proj / rel).parent.mkdir(parents=True, exist_ok=True)
        (proj / rel).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return run


def link(rel: str, target: str) -> Prepare:
    """``rel`` becomes a symbolic link to ``target`` (``{parent}`` is the project's parent)."""
    def run(proj: Path, example: Path) -> None:
        path = proj / rel
        if path.exists() or path.is_symlink():
            path.unlink()
        path.parent.mkdir(parents=True, exist_ok=True)  # e.g. templates/letter/, to override one file
        os.symlink(target.format(parent=proj.parent), path)
    return run


def outside(name: str, source: str) -> Prepare:
    """A copy of the project's ``source`` in the parent folder, outside the project."""
    def run(proj: Path, example: Path) -> None:
        shutil.copy(proj / source, proj.parent / name)
    return run


def fifo(rel: str) -> Prepare:
    def run(proj: Path, example: Path) -> None:
        path = proj / rel
        if path.exists():
            path.unlink()
        path.parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(path)
    return run


def s1sr(*argv: str) -> Prepare:
    """Run a command first (e.g. an earlier build whose outputs must survive)."""
    def run(proj: Path, example: Path) -> None:
        assert cli.main(list(argv)) == 0
    return run


def git_with_absolute_link(proj: Path, example: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.email=t@example.org", "-c", "user.name=t", *args], cwd=proj, check=True,
                       capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "example")
    (proj / "content/sections/01-introduction.yaml").unlink()
    os.symlink("/etc/hostname", proj / "content/sections/01-introduction.yaml")
    git("add", "-A")
    git("commit", "-qm", "a section that is a link out of the tree")
    shutil.copy(REPO / "content/sections/01-introduction.yaml", proj / "content/sections/01-introduction.yaml.tmp")
    os.replace(proj / "content/sections/01-introduction.yaml.tmp", proj / "content/sections/01-introduction.yaml")


def copy_example(name: str, dest: str) -> Prepare:
    def run(proj: Path, example: Path) -> None:
        (proj / dest).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(next(example.glob(name)), proj / dest)
    return run


def about_version(rel: str, version: str) -> Prepare:
    """The workbook's About sheet says ``version``."""
    def run(proj: Path, example: Path) -> None:
        def fill(wb: object) -> None:
            ws = wb["About"]  # type: ignore[index]
            for row in ws.iter_rows():
                if str(row[0].value).lower() == "version":
                    row[1].value = version
        (proj / rel).write_bytes(F.edit_workbook((proj / rel).read_bytes(), fill))
    return run


def word(rel: str, numbering: str) -> Prepare:
    def run(proj: Path, example: Path) -> None:
        (proj / rel).parent.mkdir(parents=True, exist_ok=True)
        (proj / rel).write_bytes(F.docx_package(numbering=numbering))
    return run


def workbook_with_far_merge(rel: str) -> Prepare:
    """A stray value far below the matrix, merged up to the matrix (a format dragged down)."""
    def fill(ws: object) -> None:
        ws.cell(row=20_000, column=3, value="18.5p")  # type: ignore[attr-defined]
        ws.merge_cells("C6:C20000")  # type: ignore[attr-defined]

    def run(proj: Path, example: Path) -> None:
        (proj / rel).write_bytes(F.xlsx_package(fill=fill))
    return run


def nest_clauses(depth: int) -> Prepare:
    """Section 01 gains a chain of ``depth`` clauses, each the only child of the one before."""
    def run(proj: Path, example: Path) -> None:
        lines = ["id: deep-section", "heading: Deep", "children:"]
        indent = "  "
        for i in range(depth):
            lines += [f"{indent}- id: deep-{i}", f"{indent}  text: level {i}", f"{indent}  children:"]
            indent += "    "
        lines.append(f"{indent}- id: deep-end")
        (proj / "content/sections/01-introduction.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return run


def deep_json(rel: str, depth: int) -> Prepare:
    def run(proj: Path, example: Path) -> None:
        (proj / rel).write_text('{"format": "s1sr-release/1", "x": ' + "[" * depth + "]" * depth + "}\n")
    return run


def snapshot_field(rel: str, change: Callable[[dict[str, object]], object]) -> Prepare:
    def run(proj: Path, example: Path) -> None:
        F.edit_json(proj / rel, change)
    return run


def _set_doc(key: str, value: object) -> Callable[[dict[str, object]], object]:
    def change(data: dict[str, object]) -> None:
        data["document"][key] = value  # type: ignore[index]
    return change


def _set_start(value: object) -> Callable[[dict[str, object]], object]:
    def change(data: dict[str, object]) -> None:
        data["document"]["numbering"][1]["start"] = value  # type: ignore[index]
    return change


# Word numbering parts, each broken in one way (the rest as the good fixture).
_GOOD_NUMBERING = F.numbering_xml()
_LVLTEXT = F.numbering_xml(level1_text="%1.%²")
_START = _GOOD_NUMBERING.replace('<w:start w:val="1"/>', '<w:start w:val="99999999999"/>', 1)
_OVERRIDE = _GOOD_NUMBERING.replace('<w:abstractNumId w:val="0"/></w:num>',
                                    '<w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="1">'
                                    '<w:startOverride w:val="2147483647"/></w:lvlOverride></w:num>')
_ILVL = _GOOD_NUMBERING.replace("</w:abstractNum>", F.w_lvl(12, "decimal", "%1") + "</w:abstractNum>")

SEC = "content/sections/01-introduction.yaml"
DOC = "content/document.yaml"
DEV = "content/devices.yaml"
LTR = "content/letters/2025-04-recommendation.yaml"
BUILD = ("build", "--no-site", "-q")
CHECK = ("check", "-q")


def _built(proj: Path) -> None:
    assert (proj / "build" / outputs.MARKER).is_file()
    assert (proj / "build" / "S1SR-v13.0.docx").is_file()


# -- 1. output folders the tool owns -----------------------------------------------------------------
OUTPUTS = [
    Case("out-dot-deleted-the-repository", ("build", "--out", "."), 2, r"--out \. is the project folder"),
    Case("out-content", ("build", "--out", "content"), 2, r"--out content is the content folder"),
    Case("out-parent", ("build", "--out", ".."), 2, r"--out \.\. holds the content folder"),
    Case("out-inside-content", ("build", "--out", "content/sections"), 2, r"is inside the content folder"),
    Case("out-templates", ("build", "--out", "templates"), 2, r"--out templates is the templates folder"),
    Case("out-inside-templates", ("build", "--out", "templates/letter"), 2, r"inside the templates folder"),
    Case("site-content", ("build", "--site", "content"), 2, r"--site content is the content folder"),
    Case("force-never-the-source", ("build", "--out", "content", "--force"), 2, r"is the content folder"),
    Case("force-never-root", ("build", "--out", "/", "--force"), 2, r"--out / is the root folder"),
    Case("force-never-home", ("build", "--out", os.path.expanduser("~"), "--force"), 2, r"is your home folder"),
    Case("force-never-a-repository", ("build", "--out", ".", "--force", "--content", "content"), 2,
         r"is the project folder"),
    Case("foreign-folder-refused", ("build", "--out", "docs", "--no-site"), 2,
         r"--out docs is not empty and was not written by s1sr \(it holds .*\.md"),
    Case("out-is-a-file", ("build", "--out", "mkdocs.yml", "--no-site"), 2, r"--out mkdocs\.yml is a file"),
    Case("out-inside-site-was-lost", ("build", "--out", "site/build", "--site", "site"), 0, r"wrote site/build/S1SR-v13\.0",
         changes=("proj/site",), after=lambda p: ((p / "site/build/S1SR-v13.0.docx").is_file() and
         (p / "site/index.html").is_file()) or pytest.fail("nested outputs missing")),
    Case("site-inside-out-crashed", ("build", "--out", "build", "--site", "build/site"), 0,
         r"wrote build/site", changes=("proj/build",),
         after=lambda p: ((p / "build/site/index.html").is_file() and (p / "build/S1SR-v13.0.docx").is_file())
         or pytest.fail("nested outputs missing")),
    Case("rebuild-own-folder", BUILD, 0, r"^$|wrote", prepare=(s1sr(*BUILD),), changes=(), after=_built),
    Case("mount-point-filled-in-place", ("build", "--no-site"), 0, r"wrote build/S1SR-v13\.0\.docx",
         prepare=(s1sr(*BUILD), write("build/stale.txt", "from an earlier build\n")),
         changes=("proj/build",), hook="ebusy",
         after=lambda p: _built(p) or (not (p / "build/stale.txt").exists() or pytest.fail("stale file kept"))),
    Case("other-device-filled-in-place", ("build", "--no-site"), 0, r"wrote build/S1SR-v13\.0\.docx",
         prepare=(s1sr(*BUILD), write("build/stale.txt", "from an earlier build\n")), changes=("proj/build",),
         hook="exdev", after=_built),
    Case("second-build-waits-then-refuses", ("build", "--no-site"), 2,
         r"another s1sr command is still writing .*build", prepare=(s1sr(*BUILD),), hook="locked"),
    Case("failed-build-keeps-previous", ("build",), 2, r"the site could not be built",
         prepare=(s1sr("build", "-q"), write("mkdocs.yml", "site_name: [unclosed\n"))),
    Case("import-never-into-a-source", ("import", "--docx", "x.docx", "--to", "content", "--force"), 2,
         r"--to content holds a clause source"),
    Case("init-never-inside-a-source", ("init", "content/new"), 2, r"content/new is inside a clause source"),
    Case("init-force-never-root", ("init", "/", "--force"), 2, r"/ is the root folder"),
    Case("schema-never-into-a-source", ("schema", "--out", "content", "--force"), 2,
         r"--out content holds a clause source"),
    Case("schema-writes-its-own-folder", ("schema", "--out", "schema"), 0, r"wrote schema/section\.schema\.json",
         changes=("proj/schema",)),
    Case("export-never-into-the-source", ("export", "--out", "content/model.json"), 2,
         r"lies in the content or templates folder"),
    Case("export-never-over-a-foreign-file", ("export", "--out", "mkdocs.yml"), 2,
         r"--out mkdocs\.yml exists and is not an s1sr export"),
    Case("export-to-a-file", ("export", "--out", "model.json"), 0, r"wrote model\.json", changes=("proj/model.json",)),
    Case("release-never-overwrites", ("release", "v12"), 2, r"release v12 already exists"),
]

# -- 2. one safe way from data to a file name ------------------------------------------------------
NAMES = [
    Case("short-title-climbs", CHECK, 1, r"content/document\.yaml:\d+:\d+: S1SR020 error: 'short_title: \.\./x'",
         prepare=(edit(DOC, "short_title: S1SR", "short_title: ../x"),)),
    Case("short-title-climbs-build-writes-nothing", BUILD, 1, r"S1SR020 error: 'short_title: \.\./x'",
         prepare=(edit(DOC, "short_title: S1SR", "short_title: ../x"),)),
    Case("version-absolute", CHECK, 1, r"content/document\.yaml:\d+:\d+: S1SR020 error: 'version: /tmp/v13'",
         prepare=(edit(DOC, 'version: "13.0"', 'version: "/tmp/v13"'),)),
    Case("version-windows-device", CHECK, 1, r"S1SR020 error: 'version: CON' .*device name on Windows",
         prepare=(edit(DOC, 'version: "13.0"', 'version: "CON"'),)),
    Case("version-backslash", CHECK, 1, r"S1SR020 error: .*path separator",
         prepare=(edit(DOC, 'version: "13.0"', 'version: "..\\\\..\\\\v13"'),)),
    Case("release-name-climbs", ("release", "../x"), 2, r"'\.\./x' cannot name a release: .*separator"),
    Case("release-name-reserved", ("release", "NUL"), 2, r"'NUL' cannot name a release: .*device name"),
    Case("build-release-climbs", ("build", "--release", "../v12", "--no-site"), 2,
         r"'\.\./v12' is not a release name"),
    Case("diff-release-climbs", ("diff", "v12", "../x"), 2, r"'\.\./x' is not a release name"),
    Case("import-release-climbs", ("import", "--docx", "x.docx", "--to", "new", "--release", "../x"), 2,
         r"--release '\.\./x' cannot name a file"),
    Case("import-version-from-workbook", ("import", "--docx", "in/S1SR.docx", "--xlsx", "in/DMVESM.xlsx", "--to", "new"),
         1, r"in/DMVESM\.xlsx: About: XLSX131 error: the document's version '\.\./\.\./v12'",
         prepare=(copy_example("S1SR-v13.0.docx", "in/S1SR.docx"), copy_example("DMVESM-v13.0.xlsx", "in/DMVESM.xlsx"),
                  about_version("in/DMVESM.xlsx", "../../v12"))),
    Case("letter-named-like-a-device", CHECK, 1, r"S1SR020 error: the letter .*CON\.yaml cannot name its outputs",
         prepare=(lambda p, e: shutil.copy(p / LTR, p / "content/letters/CON.yaml"),)),
    Case("snapshot-named-like-a-device", CHECK, 1, r"S1SR020 error: release snapshot .*AUX\.json",
         prepare=(lambda p, e: shutil.copy(p / "content/releases/v11.json", p / "content/releases/AUX.json"),)),
    Case("snapshot-version-climbs", ("build", "--release", "v12", "--no-site"), 2,
         r"v12\.json cannot be read: its document version '\.\./\.\./x' cannot name a file",
         prepare=(snapshot_field("content/releases/v12.json", _set_doc("version", "../../x")),)),
]

# -- 3. reading stays inside ---------------------------------------------------------------------
RESPONSE = "content/consultations/2025-02-s1sr-v13/responses/large-supplier-a.yaml"
READING = [
    Case("section-absolute-path", CHECK, 2, r"content/document\.yaml:\d+:5: S1SR021 error: '/etc/hostname' is an "
         r"absolute path", prepare=(edit(DOC, "- sections/01-introduction.yaml", "- /etc/hostname"),)),
    Case("section-climbs-out", CHECK, 2, r"content/document\.yaml:\d+:5: S1SR021 error: '\.\./\.\./outside\.yaml' "
         r"climbs outside", prepare=(outside("outside.yaml", SEC),
                                    edit(DOC, "- sections/01-introduction.yaml", "- ../../outside.yaml"))),
    Case("section-links-out", CHECK, 2, r"content/document\.yaml:\d+:5: S1SR021 error: 'sections/01-introduction\.yaml'"
         r" is \(or passes through\) a link that leads outside", prepare=(outside("outside.yaml", SEC),
                                                                           link(SEC, "{parent}/outside.yaml"))),
    Case("section-link-inside-is-fine", ("check",), 0, r"0 error\(s\)",
         prepare=(lambda p, e: os.replace(p / SEC, p / "content/intro.yaml"), link(SEC, "../intro.yaml"))),
    Case("section-is-a-fifo", CHECK, 2, r"content/document\.yaml:\d+:5: S1SR022 error: .* is a named pipe",
         prepare=(fifo(SEC),)),
    Case("section-is-a-folder", CHECK, 2, r"content/document\.yaml:\d+:5: S1SR022 error: 'sections' is a folder",
         prepare=(edit(DOC, "- sections/01-introduction.yaml", "- sections"),)),
    Case("section-is-a-device", CHECK, 2, r"S1SR021 error: .* leads outside the content folder \(to /dev/zero\)",
         prepare=(link(SEC, "/dev/zero"),)),
    Case("document-yaml-is-a-fifo", CHECK, 2, r"S1SR022 error: .*document\.yaml.* is a named pipe",
         prepare=(fifo(DOC),)),
    Case("devices-link-out", CHECK, 2, r"S1SR021 error: 'devices\.yaml' is \(or passes through\) a link",
         prepare=(outside("devices.yaml", DEV), link(DEV, "{parent}/devices.yaml"))),
    Case("srv-list-absolute", CHECK, 2, r"content/document\.yaml:\d+:\d+: S1SR021 error: '/etc/passwd' is an absolute",
         prepare=(edit(DOC, "sections:", "srvs: /etc/passwd\nsections:"),)),
    Case("letter-is-a-fifo", CHECK, 2, r"content/letters/x\.yaml: S1SR022 error: 'x\.yaml' is a named pipe",
         prepare=(fifo("content/letters/x.yaml"),)),
    Case("response-links-out", CHECK, 2, r"S1SR021 error: 'consultations/2025-02-s1sr-v13/responses/"
         r"large-supplier-a\.yaml' is \(or passes through\) a link that leads outside",
         prepare=(outside("response.yaml", RESPONSE), link(RESPONSE, "{parent}/response.yaml"))),
    Case("response-is-a-fifo", CHECK, 2, r"S1SR022 error: .*large-supplier-a\.yaml.* is a named pipe",
         prepare=(fifo(RESPONSE),)),
    Case("release-is-a-fifo", CHECK, 2, r"content/releases/v99\.json: S1SR022 error", prepare=(fifo("content/releases/v99.json"),)),
    Case("letter-template-links-out", BUILD, 1, r"templates/letter/letter\.md\.j2: LTR130 error: .* link that leads "
         r"outside the templates folder", prepare=(link("templates/letter/letter.md.j2", "/etc/hostname"),)),
    Case("letter-template-is-a-fifo", BUILD, 1, r"LTR130 error: letter template .*document\.xml\.j2 is not an "
         r"ordinary file", prepare=(fifo("templates/letter/docx/document.xml.j2"),)),
    Case("git-revision-absolute-link", ("diff", "git:HEAD", "draft"), 2,
         r"git:HEAD: revision 'HEAD' holds a link that leads outside its own files \(content/sections/"
         r"01-introduction\.yaml → /etc/hostname\)", prepare=(git_with_absolute_link,)),
    Case("check-docx-is-a-fifo", ("check", "--docx", "in.docx"), 2, r"--docx in\.docx is not an ordinary file",
         prepare=(fifo("in.docx"),)),
    Case("import-xlsx-is-a-fifo", ("import", "--docx", "in/S1SR.docx", "--xlsx", "in.xlsx", "--to", "new"), 2,
         r"--xlsx in\.xlsx is not an ordinary file", prepare=(copy_example("S1SR-v13.0.docx", "in/S1SR.docx"),
                                                               fifo("in.xlsx"))),
]

# -- 4. never a traceback -------------------------------------------------------------------------
TRACEBACKS = [
    Case("full-disk", BUILD, 2, r"s1sr: error: .*build\.stage-.*: No space left on device; free some disk space",
         hook="enospc"),
    Case("read-only-folder", BUILD, 2, r"s1sr: error: .*: Read-only file system; the file system is read-only",
         hook="erofs"),
    Case("permission-denied", BUILD, 2, r"s1sr: error: .*: Permission denied; check the permissions", hook="eacces"),
    Case("exists", BUILD, 2, r"build cannot be replaced: File exists; the previous outputs are left",
         prepare=(s1sr(*BUILD),), hook="eexist"),
    Case("out-below-a-file", ("build", "--out", "mkdocs.yml/x", "--no-site"), 2,
         r"s1sr: error: --out mkdocs\.yml/x: .*proj/mkdocs\.yml is a file, not a folder"),
    Case("clauses-nested-500-deep", CHECK, 2, r"content/sections/01-introduction\.yaml:\d+:\d+: S1SR001 error: "
         r"YAML syntax error: exceeded maximum nesting depth", prepare=(nest_clauses(500),)),
    Case("clauses-nested-100-deep", CHECK, 2, r"content/sections/01-introduction\.yaml:\d+:\d+: S1SR023 error: "
         r"values are nested more than 64 levels", prepare=(nest_clauses(100),)),
    Case("clauses-nested-20-deep", CHECK, 2, r"content/sections/01-introduction\.yaml:\d+:\d+: S1SR023 error: clauses "
         r"are nested more than 12 levels", prepare=(nest_clauses(20),)),
    Case("release-json-nested-deep", CHECK, 2, r"content/releases/v99\.json:1:1: S1SR014 error: .*nested 5001 levels "
         r"deep at line 1; a snapshot is at most 32 deep", prepare=(deep_json("content/releases/v99.json", 5000),)),
    Case("numbering-start-superscript", CHECK, 1, r"content/document\.yaml:\d+:\d+: S1SR024 error: 'start' in "
         r"numbering level 1 must be a whole number written with the digits 0-9, not '²'",
         prepare=(edit(DOC, "    insert: upper-alpha    # 18A\n", '    insert: upper-alpha\n    start: "²"\n'),)),
    Case("numbering-start-huge", CHECK, 1, r"content/document\.yaml:\d+:\d+: S1SR024 error: 'start' in numbering "
         r"level 1 is 99999999999; Word's lists start at most at 32767",
         prepare=(edit(DOC, "    insert: upper-alpha    # 18A\n", "    insert: upper-alpha\n    start: 99999999999\n"),)),
    Case("snapshot-start-huge", ("build", "--release", "v12", "--no-site"), 2,
         r"v12\.json cannot be read: .*numbering start 99999999999 is not a whole number from 0 to 32767",
         prepare=(snapshot_field("content/releases/v12.json", _set_start(99999999999)),)),
    Case("word-lvltext-superscript", ("check", "--docx", "in.docx"), 1,
         r"in\.docx: DOCX230 error: in\.docx: level 2 of list 0 has the number text '%1\.%²'",
         prepare=(word("in.docx", _LVLTEXT),)),
    Case("word-start-huge", ("check", "--docx", "in.docx"), 1,
         r"in\.docx: DOCX230 error: in\.docx: level 1 of list 0 starts at 99999999999; Word accepts 0 to 32767",
         prepare=(word("in.docx", _START),)),
    Case("word-start-override-huge", ("check", "--docx", "in.docx"), 1,
         r"DOCX230 error: .*restarts level 2 at 2147483647", prepare=(word("in.docx", _OVERRIDE),)),
    Case("word-list-level-12", ("check", "--docx", "in.docx"), 1,
         r"DOCX230 error: .*defines level w:ilvl=\"12\"; Word's lists have levels 0 to 8", prepare=(word("in.docx", _ILVL),)),
    Case("workbook-rows-beyond-used-range", ("check", "--docx", "in.docx", "--xlsx", "in.xlsx"), 0,
         r"in\.xlsx: DMVESM!C6: XLSX130 warning: .*merged cells C6:C20000 of sheet DMVESM reach far beyond the rows "
         r"in use; only their first 2000 cells are read",
         prepare=(word("in.docx", _GOOD_NUMBERING), workbook_with_far_merge("in.xlsx"))),
    Case("date-with-arabic-indic-digits", CHECK, 1, r"content/changes\.yaml:\d+:\d+: S1SR\d+ error: 'date' in "
         r"changes\.yaml must be a date written YYYY-MM-DD", prepare=(edit("content/changes.yaml", 'date: "2025-04-30"',
                                                                         'date: "٢٠٢٥-04-30"'),)),
    Case("verify-dot-slash", ("verify", "./v12"), 2, r"'\./v12' is not a release name"),
    Case("init-below-a-file", ("init", "mkdocs.yml/sub"), 2, r"mkdocs\.yml/sub: .*mkdocs\.yml is a file, not a folder"),
    Case("schema-out-a-file", ("schema", "--out", "mkdocs.yml"), 2, r"--out mkdocs\.yml is a file, not a folder"),
    Case("one-finding-prints-at-most-500", CHECK, 1, r"S1SR\d+ error: clause id 'x{100,}.*… \[\d+ more characters\]",
         prepare=(edit(SEC, "id: ", "id: " + "x" * 5000 + ";", ),), max_line=1100),
    Case("internal-error", CHECK, 2, r"s1sr: error: internal error: ZeroDivisionError: boom\. This is a bug in s1sr .*"
         r"report it .*--verbose", hook="internal"),
]

# -- 5. text that lies ------------------------------------------------------------------------------
TEXT = [
    Case("id-with-trailing-newline", CHECK, 1, r"content/sections/01-introduction\.yaml:\d+:\d+: S1SR025 error: 'id' "
         r"of .*'intro-purpose\\x0a' holds the invisible character U\+000A",
         prepare=(edit(SEC, "id: intro-purpose", 'id: "intro-purpose\\n"'),)),
    Case("device-id-cyrillic", CHECK, 1, r"content/devices\.yaml:12:9: S1SR026 error: 'id' of device 2 "
         r"'secure-liberty1о0' mixes scripts: 'о' \(U\+043E CYRILLIC SMALL LETTER O, Cyrillic\)",
         prepare=(edit(DEV, "id: secure-liberty110", "id: secure-liberty1о0"),)),
    Case("device-id-zero-width", CHECK, 1, r"content/devices\.yaml:12:9: S1SR025 error: .*ZERO WIDTH SPACE",
         prepare=(edit(DEV, "id: secure-liberty110", 'id: "secure-liberty110\\u200b"'),)),
    Case("group-name-bidi", CHECK, 0, r"content/devices\.yaml:\d+:\d+: S1SR027 warning: 'name' of group .* "
         r"RIGHT-TO-LEFT OVERRIDE", prepare=(edit(DEV, "name: Secure ESME", 'name: "Secure \\u202eEMSE\\u202c"'),)),
    Case("clause-text-bidi-reads-not", CHECK, 0, r"content/sections/01-introduction\.yaml:\d+:\d+: S1SR027 warning: "
         r"'text' of clause 'intro-precedence' holds the invisible character U\+202E RIGHT-TO-LEFT OVERRIDE",
         prepare=(edit(SEC, "DCC shall correct", "DCC shall \u202eton\u202c correct"),)),
    Case("clause-text-look-alike", CHECK, 0, r"S1SR028 warning: 'text' of clause .*the word 'shаll' .* mixes "
         r"scripts: 'а' \(U\+0430 CYRILLIC SMALL LETTER A", prepare=(edit(SEC, "DCC shall correct", "DCC shаll correct"),)),
    Case("srv-number-zero-width", CHECK, 1, r"S1SR025 error: an entry of 'srvs' in applies_to .*ZERO WIDTH",
         prepare=(edit("content/sections/20-configuration.yaml", 'srvs: ["4.8.1"]', 'srvs: ["4.8.1\\u200b"]'),)),
    Case("escape-in-a-key-never-reaches-the-terminal", CHECK, 1, r"S1SR007 error: unknown field '\\x1b\[2K\\x0d"
         r"content/x\.yaml:1:1: S1SR000 error: forged'", prepare=(append(DOC, '"\\e[2K\\rcontent/x.yaml:1:1: '
                                                                          'S1SR000 error: forged": 1\n'),)),
    Case("escape-in-a-key-never-forges-an-annotation", ("check", "--format", "github"), 1,
         r"^::error file=content/document\.yaml,.*unknown field '\\x1b\[2K\\x0d::warning forged'",
         prepare=(append(DOC, '"\\e[2K\\r::warning forged": 1\n'),)),
    Case("site-url-javascript", CHECK, 1, r"content/document\.yaml:\d+:\d+: S1SR029 error: site_url "
         r"'javascript:alert\(1\)' cannot become a link", prepare=(edit(DOC, "title:", 'site_url: "javascript:alert(1)"\n'
                                                                     "title:"),)),
    Case("site-url-tab-hidden-scheme", CHECK, 1, r"S1SR029 error: site_url 'java\\x09script:x'",
         prepare=(edit(DOC, "title:", 'site_url: "java\\tscript:x"\ntitle:'),)),
    Case("snapshot-site-url-javascript", ("build", "--release", "v12", "--no-site"), 2,
         r"v12\.json cannot be read: its document site_url 'javascript:alert\(1\)' cannot become a link",
         prepare=(snapshot_field("content/releases/v12.json", _set_doc("site_url", "javascript:alert(1)")),)),
    Case("site-url-https-is-fine", ("check",), 0, r"0 error\(s\)",
         prepare=(edit(DOC, "title:", 'site_url: "https://example.org/s1sr/"\ntitle:'),)),
]

CLASSES = {"outputs": OUTPUTS, "names": NAMES, "reading": READING, "tracebacks": TRACEBACKS, "text": TEXT}


# -- the runner ---------------------------------------------------------------------------------------
@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """parent/proj: a copy of the example project; parent/neighbour.txt: someone else's file."""
    parent = tmp_path / "parent"
    proj = parent / "proj"
    proj.mkdir(parents=True)
    for name in ("content", "docs", "site-docs"):  # the example keeps no templates/: the package's are used
        shutil.copytree(REPO / name, proj / name)
    shutil.copy(REPO / "mkdocs.yml", proj / "mkdocs.yml")
    (parent / "neighbour.txt").write_text("not s1sr's\n")
    monkeypatch.chdir(proj)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return proj


@pytest.fixture(scope="module")
def example_outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's S1SR .docx and DMVESM .xlsx, built once outside every case's tree."""
    out = tmp_path_factory.mktemp("example") / "build"
    assert cli.main(["build", "--content", str(REPO / "content"), "--out", str(out), "--no-site", "-q"]) == 0
    return out


def _snapshot(top: Path) -> dict[str, str]:
    """Every entry under ``top``: a file's SHA-256, a link's target, a folder, a pipe or device."""
    out: dict[str, str] = {}
    for folder, dirs, files in os.walk(top):
        for name in dirs + files:
            path = os.path.join(folder, name)
            st = os.lstat(path)
            if stat.S_ISLNK(st.st_mode):
                value = "link:" + os.readlink(path)
            elif stat.S_ISDIR(st.st_mode):
                value = "folder"
            elif stat.S_ISREG(st.st_mode):
                with open(path, "rb") as fh:
                    value = hashlib.sha256(fh.read()).hexdigest()
            else:
                value = f"special:{stat.S_IFMT(st.st_mode):o}"
            out[os.path.relpath(path, top)] = value
    return out


@contextlib.contextmanager
def _alarm(seconds: int) -> Iterator[None]:
    def ring(signum: int, frame: object) -> None:
        raise TimeoutError(f"the command did not finish within {seconds} s: it hangs")

    old = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _hook(name: str, proj: Path, monkeypatch: pytest.MonkeyPatch, stack: contextlib.ExitStack) -> None:
    def fail(err: int) -> Callable[..., None]:
        def raise_(*args: object, **kw: object) -> None:
            raise OSError(err, os.strerror(err), str(args[-1]) if args and isinstance(args[-1], str) else None)
        return raise_

    if name in ("ebusy", "exdev", "eexist"):
        code = {"ebusy": errno.EBUSY, "exdev": errno.EXDEV, "eexist": errno.EEXIST}[name]
        monkeypatch.setattr(outputs, "_swap_dirs", fail(code))  # a mount point cannot be renamed over
    elif name == "enospc":
        monkeypatch.setattr(outputs.os, "fsync", fail(errno.ENOSPC))
    elif name in ("erofs", "eacces"):
        code = errno.EROFS if name == "erofs" else errno.EACCES
        real = outputs.tempfile.mkdtemp
        monkeypatch.setattr(outputs.tempfile, "mkdtemp", lambda *a, **kw: fail(code)(kw.get("dir", "")) or real())
    elif name == "locked":
        monkeypatch.setattr(outputs, "LOCK_WAIT", 0.5)
        fd = os.open(proj / ".build.s1sr-lock", os.O_RDWR | os.O_CREAT, 0o644)
        stack.callback(os.close, fd)
        fcntl.flock(fd, fcntl.LOCK_EX)
    elif name == "internal":
        from generator.app import api

        def boom(*args: object, **kw: object) -> None:
            raise ZeroDivisionError("boom")

        monkeypatch.setattr(api, "check", boom)
    else:  # pragma: no cover
        raise AssertionError(name)


@pytest.mark.parametrize("case", [pytest.param(c, id=f"{k}:{c.id}") for k, cases in CLASSES.items() for c in cases])
def test_case(case: Case, project: Path, example_outputs: Path, capsys: pytest.CaptureFixture[str],
              monkeypatch: pytest.MonkeyPatch) -> None:
    for prepare in case.prepare:
        prepare(project, example_outputs)
    capsys.readouterr()
    parent = project.parent
    with contextlib.ExitStack() as stack:
        if case.hook:
            _hook(case.hook, project, monkeypatch, stack)
        before = _snapshot(parent)
        with _alarm(120):
            try:
                status = cli.main(list(case.argv))
            except SystemExit as exc:
                status = int(exc.code or 0)
        monkeypatch.undo()
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert status == case.exit, text[-3000:]
    assert "Traceback" not in text
    assert any(re.search(case.expect, line) for line in text.splitlines() or [""]), text[-3000:]
    assert "\x1b" not in text, "a control character reached the terminal"
    if case.max_line:
        assert max(len(line) for line in text.splitlines()) <= case.max_line
    after = _snapshot(parent)
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    stray = [p for p in changed if not any(p == c or p.startswith(c + os.sep) for c in case.changes)]
    assert not stray, f"changed outside the intended outputs: {stray[:10]}"
    if case.changes and case.exit == 0:
        assert changed, "the intended outputs were not written"
    if case.after:
        case.after(project)


def test_every_class_has_cases() -> None:
    counts = {k: len(v) for k, v in CLASSES.items()}
    assert all(n >= 10 for n in counts.values()), counts
    ids = [c.id for cases in CLASSES.values() for c in cases]
    assert len(ids) == len(set(ids))


def test_internal_error_shows_the_traceback_only_with_verbose(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    with contextlib.ExitStack() as stack:
        _hook("internal", project, monkeypatch, stack)
        with pytest.raises(SystemExit) as exc:
            cli.main(["check", "--verbose"])
    err = capsys.readouterr().err
    assert exc.value.code == 2
    assert "Traceback" in err and "ZeroDivisionError: boom" in err and "internal error" in err.splitlines()[-1]


def test_two_builds_at_once_both_finish_and_leave_one_whole_folder(project: Path) -> None:
    """Two processes build into one folder at once: the second waits for the lock; neither deletes
    the other's staging folder; the folder ends whole and nothing else is left behind."""
    before = _snapshot(project.parent)
    cmd = [sys.executable, "-m", "generator", "build", "--no-site", "-q"]
    procs = [subprocess.Popen(cmd, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    results = [p.communicate(timeout=300) for p in procs]
    for p, (_out, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err.decode()
        assert b"Traceback" not in err
    ref = project.parent / "ref"
    assert cli.main(["build", "--no-site", "-q", "--out", str(ref)]) == 0
    assert F.digest(project / "build") == F.digest(ref)
    after = _snapshot(project.parent)
    changed = {p.split(os.sep)[1] for p in set(after) ^ set(before) if p.startswith("proj" + os.sep)}
    assert changed == {"build"}, changed


def test_every_writer_names_files_through_the_one_safe_function(project: Path) -> None:
    """Each registered writer, given data whose names would climb out (a version, a short title,
    a letter id of '../x'), refuses (UnsafeName) instead of naming a file with it; on the
    example every name it gives is a safe relative path."""
    from dataclasses import replace

    from generator.app import api
    from generator.model.names import UnsafeName, safe_relpath
    from generator.passes.diff import diff_projects
    from generator.writers import WRITERS, get_writer
    from generator.writers.markdown import write_markdown

    project_ = api.load_clean("content").project
    base = api.release_project(project_, "v12")
    changes = diff_projects(base, project_, from_label="v12", to_label="draft")[0]
    letters, _ = api.letters(project_)
    opts = replace(api.writer_options(project_), baseline=base, changes=changes, letters=letters, against="v12")
    for name in WRITERS:
        for path in get_writer(name)(project_, opts):
            safe_relpath(path)
    for path in write_markdown(project_, opts):
        safe_relpath(path)
    for field_, bad in (("version", "../x"), ("version", "13\t"), ("short_title", "..\\x"), ("id", "/etc/x")):
        fields = {"short_title": ""} if field_ == "id" else {}
        hostile = replace(project_, document=replace(project_.document, **{**fields, field_: bad}))
        for name in ("json", "docx", "xlsx", "redline-docx", "redline-xlsx"):
            if name in ("xlsx", "redline-xlsx") and field_ != "version":
                continue  # the workbooks are named DMVESM-v<version>
            with pytest.raises(UnsafeName):
                get_writer(name)(hostile, opts)
    hostile_letters = tuple(replace(x, id="../x") for x in letters)
    with pytest.raises(UnsafeName):
        get_writer("letter")(project_, replace(opts, letters=hostile_letters))
    # ... and every command that names files refuses such names before any writer runs (the table above).
    named = {c.argv[0] for c in NAMES + OUTPUTS}
    assert {"build", "release", "import", "export", "schema", "init", "verify", "diff"} <= named | {
        c.argv[0] for c in TRACEBACKS}


@contextlib.contextmanager
def _tmpfs(path: Path, size: str, *, read_only: bool = False) -> Iterator[Path]:
    """A real tmpfs mounted at ``path`` (root only; CI runs as root)."""
    path.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True)
    if done.returncode != 0:
        if os.environ.get("CI") == "true":
            pytest.fail(f"cannot mount a tmpfs: {done.stderr.decode()}")
        pytest.skip("mounting a tmpfs needs root")
    try:
        yield path
    finally:
        subprocess.run(["umount", str(path)], check=True)


def test_real_mount_point_full_disk_and_read_only_folder(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The faults the hooks above simulate, made real: a mount point is filled in place, a full
    disk and a read-only file system are one line each, and the earlier outputs stay."""
    mnt = project.parent / "volume"
    with _tmpfs(mnt, "20m"):
        assert cli.main(["build", "--out", str(mnt), "--no-site", "-q"]) == 0  # an empty mount point
        assert (mnt / "S1SR-v13.0.docx").is_file() and (mnt / outputs.MARKER).is_file()
        (mnt / "stale.txt").write_text("from an earlier build\n")
        assert cli.main(["build", "--out", str(mnt), "--no-site", "-q"]) == 0
        assert not (mnt / "stale.txt").exists() and (mnt / "S1SR-v13.0.docx").is_file()
        before = _snapshot(mnt)
        subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
        with pytest.raises(SystemExit) as exc:
            cli.main(["build", "--out", str(mnt), "--no-site", "-q"])
        assert exc.value.code == 2
        assert _snapshot(mnt) == before
    err = capsys.readouterr().err
    assert "Read-only file system; the previous outputs are left as they were" in err and "Traceback" not in err
    small = project.parent / "small"
    with _tmpfs(small, "300k"):
        with pytest.raises(SystemExit) as exc:
            cli.main(["build", "--out", str(small / "build"), "--no-site", "-q"])
        assert exc.value.code == 2
        assert os.listdir(small) == []  # the staging folder is gone, nothing half-written
    err = capsys.readouterr().err
    assert re.search(r"s1sr: error: .*small/\.build\.stage-.*: No space left on device; free some disk space", err)
