"""The section reader's fast way (straight from libyaml's nodes) against its full way: a file the
fast way reads gives the very clauses the full way gives, and the fast way gives up exactly
where the full way has something to report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.model import Clause
from generator.readers import yaml_nodes as Y
from generator.readers import yaml_source as S
from generator.readers.yaml_source import read_source

# Values the reader treats differently: nulls, numbers and booleans written plain, ids and SRV
# numbers, markup, non-ASCII, invisible, mixed-script and control characters.
_WORDS = ["", "~", "null", "yes", "no", "true", "Off", "1.5", "8.1", "8.1.1", ".5", "inf", "0x1f", "a b", "c-1",
          "hh-profile", "café", "Сafe", "a\u200bb", "bell\x07", "tab\there", "line\nnext", "[[c-1]] and [[#c-2]]",
          "**Term** and *emph* for SRV 8.1.1", "[[", "x" * 3, "R&D", "&a"]
_SCALARS = st.one_of(st.sampled_from(_WORDS), st.integers(-3, 20), st.floats(allow_nan=False, width=16),
                     st.booleans(), st.none(), st.text(max_size=6))
_IDS = st.one_of(st.from_regex(r"c-[a-z0-9]{1,3}", fullmatch=True), _SCALARS)
_LISTS = st.one_of(_SCALARS, st.lists(_SCALARS, max_size=3), st.lists(st.lists(_SCALARS, max_size=2), max_size=2),
                   st.dictionaries(st.sampled_from(["a", "srvs"]), _SCALARS, max_size=1))


def _mostly(clean: st.SearchStrategy[Any], wild: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``clean`` nearly always: most trees then have a clause or two that is off, or none."""
    return st.integers(0, 40).flatmap(lambda i: wild if i == 0 else clean)


_TEXTS = st.sampled_from(["a b", "R&D & more", "café", "[[c-1]] and [[#c-2]]", "**Term** and *emph* for SRV 8.1.1", "line\nnext",
                          "tab\there", "x"])


def _applies() -> st.SearchStrategy[Any]:
    wild = st.fixed_dictionaries({}, optional={
        "srvs": st.one_of(st.lists(st.sampled_from(["8.1", "8.1.1", "6.12", "x1"]), max_size=2), _LISTS),
        "devices": st.one_of(st.lists(st.sampled_from(["d-1", "grp", "on"]), max_size=2), _LISTS),
        "note": _SCALARS, "bogus": _SCALARS})
    clean = st.fixed_dictionaries({
        "srvs": st.one_of(st.lists(st.sampled_from(["8.1", "8.1.1", "6.12"]), min_size=1, max_size=2),
                          st.sampled_from(["8.1", "8.1.1"])),
        "devices": st.one_of(st.lists(st.sampled_from(["d-1", "grp"]), min_size=1, max_size=2), st.just("d-2"))},
        optional={"note": _TEXTS})
    return _mostly(st.lists(_mostly(clean, wild), max_size=2), st.one_of(st.lists(wild, max_size=2), _SCALARS))


def _table() -> st.SearchStrategy[Any]:
    wild = st.one_of(st.fixed_dictionaries({}, optional={
        "header": st.one_of(st.lists(st.sampled_from(["A", "B"]), max_size=2), _LISTS),
        "rows": st.one_of(st.lists(st.lists(_SCALARS, min_size=1, max_size=2), max_size=2), _LISTS),
        "x": _SCALARS}), _SCALARS)
    clean = st.fixed_dictionaries({"header": st.just(["A", "B"])}, optional={
        "rows": st.lists(st.lists(st.one_of(_TEXTS, st.integers(0, 9), st.none()), min_size=2, max_size=2),
                         max_size=3)})
    return _mostly(clean, wild)


def _clauses(depth: int) -> st.SearchStrategy[Any]:
    wild: dict[str, st.SearchStrategy[Any]] = {
        "heading": _SCALARS, "text": _SCALARS, "applies_to": _applies(), "not_used": _SCALARS,
        "tags": _LISTS, "table": _table(), "bogus": _SCALARS,
    }
    clean: dict[str, st.SearchStrategy[Any]] = {
        "heading": _TEXTS, "text": _TEXTS, "applies_to": _applies(), "not_used": st.sampled_from([True, False, "yes"]),
        "tags": st.one_of(st.lists(_TEXTS, max_size=2), _TEXTS), "table": _table(),
    }
    if depth:
        children = _clauses(depth - 1)
        wild["children"] = st.one_of(st.lists(children, max_size=3), _SCALARS)
        clean["children"] = st.lists(children, max_size=3)
    return _mostly(st.fixed_dictionaries({"id": st.from_regex(r"c-[a-z0-9]{1,3}", fullmatch=True)},
                                         optional=clean),
                   st.one_of(st.fixed_dictionaries({"id": _IDS}, optional=wild),
                             st.fixed_dictionaries({}, optional=wild), _SCALARS))


_TREES = _clauses(3)


def _both(text: str, annex: bool = False) -> tuple[Clause | None, Clause | None, list[Any]]:
    composed = Y.compose(text, "s.yaml", [])
    assert composed is not None
    fast = S._fast_section(composed, "s.yaml", annex=annex)
    ctx = S._Ctx()
    node = Y.convert(composed, "s.yaml", ctx.diags)
    full = S._read_clause(ctx, node, "the section") if node is not None else None
    return fast, S._in_annex(full) if annex and full else full, ctx.diags


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree=_TREES, deep=st.sampled_from([1, 12]), annex=st.booleans())
def test_the_fast_way_agrees_with_the_full_way(tree: Any, deep: int, annex: bool) -> None:
    text = yaml.safe_dump(tree, sort_keys=False, allow_unicode=True)
    with mock.patch.object(S, "MAX_CLAUSE_DEPTH", deep):  # 1: the depth limit is met too
        fast, full, diags = _both(text, annex)
    assert (fast is None) == bool(diags), diags
    if fast is not None:
        assert fast == full


def test_yaml_the_fast_way_never_reads_goes_the_full_way() -> None:
    """Duplicate, merge and non-text keys, aliases (also where prose holds an '&'): only the full
    way reports them."""
    for text in ("id: a\nid: b\n", "id: a\n<<: {text: t}\n", "id: a\n? [k]\n: v\n", "id: &x a\ntext: *x\n",
                 "id: a\ntext: R&D\nchildren:\n- &c {id: b}\n- *c\n", "id: a\ntags: &t [x]\nheading: *t\n"):
        fast, _full, diags = _both(text)
        assert fast is None and diags, text


def test_a_folder_reads_the_same_either_way(tmp_path: Path) -> None:
    """The whole example source, and one broken section in it, read with and without the fast way."""
    import shutil

    from tests.support import CONTENT

    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    with mock.patch.object(S, "_FAST", False):
        slow = read_source(str(root))
    assert read_source(str(root)) == slow
    section = next((root / "sections").glob("*.yaml"))
    section.write_text(section.read_text(encoding="utf-8").replace("text:", "txt:", 1), encoding="utf-8")
    with mock.patch.object(S, "_FAST", False):
        slow = read_source(str(root))
    assert slow[1] and read_source(str(root)) == slow


# -- section files read beside (a forked child in `s1sr check`) ---------------------------------
def _here(work: Callable[[], bytes]) -> Callable[[], bytes]:
    """The work done at once, in this process: what the reader does with a child's bytes."""
    result = work()
    return lambda: result


def _failing(work: Callable[[], bytes]) -> Callable[[], bytes]:
    raise AssertionError("not asked: nothing worth reading beside")


@pytest.mark.parametrize(("runner", "share"), [("here", 1.0), ("here", 0.5), ("fork", 1.0)])
def test_sections_read_beside_are_the_sections_read_here(tmp_path: Path, runner: str, share: float) -> None:
    """The later files read beside (one the fast way cannot read, one with a byte-order mark, one
    outside the folder, one missing), and a broken release snapshot read meanwhile: the same Project and the same findings in the same order as one process reading all."""
    import shutil

    from generator.app import forked
    from tests.support import CONTENT

    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    sections = sorted((root / "sections").glob("*.yaml"))
    broken = sections[-2]
    broken.write_text(broken.read_text(encoding="utf-8").replace("text:", "txt:", 1), encoding="utf-8")
    noted = sections[-1]  # read the fast way, with a note on the file: read again here for the note
    noted.write_bytes(b"\xef\xbb\xbf" + noted.read_bytes())
    (tmp_path / "outside.yaml").write_text("id: out\n", encoding="utf-8")
    (root / "releases" / "zz.json").write_text("{", encoding="utf-8")  # read while the child reads
    document = root / "document.yaml"
    document.write_text(document.read_text(encoding="utf-8").replace(
        "\nannexes:", "  - ../outside.yaml\n  - sections/none.yaml\n\nannexes:", 1), encoding="utf-8")
    here = read_source(str(root))
    assert len(here[1]) >= 5  # the broken file, the mark, the file outside, the missing file, the snapshot
    read: list[int] = []

    def counted(work: Callable[[], bytes]) -> Callable[[], bytes]:
        read.append(1)
        return (_here if runner == "here" else forked.in_child)(work)

    with mock.patch.object(S, "_BESIDE_BYTES", 0), mock.patch.object(S, "_BESIDE_SHARE", share):
        beside = read_source(str(root), beside=counted)
    assert read == [1]
    assert beside == here
    assert repr(beside) == repr(here)


def test_a_small_source_is_read_in_one_process() -> None:
    from tests.support import CONTENT

    assert read_source(str(CONTENT), beside=_failing) == read_source(str(CONTENT))


def test_the_share_read_beside_is_the_later_files_up_to_its_part_of_the_size(tmp_path: Path) -> None:
    for name, size in (("a", 500), ("b", 300), ("c", 200), ("d", 100)):
        (tmp_path / f"{name}.yaml").write_bytes(b"x" * size)
    names = [("sections", f"{n}.yaml") for n in "abcd"]
    with mock.patch.object(S, "_BESIDE_BYTES", 1000):
        assert S._beside_share(str(tmp_path), names) == 2  # c and d: 300 of 1,100 bytes, at most half
    with mock.patch.object(S, "_BESIDE_BYTES", 2000):
        assert S._beside_share(str(tmp_path), names) == 4  # too small to be worth a child


def test_the_child_is_waited_for_when_reading_here_fails(tmp_path: Path) -> None:
    """An error while this process reads its own files: the child is still waited for (a child
    left writing into a pipe nobody reads would never end in a long-lived process)."""
    import shutil

    from tests.support import CONTENT

    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    waited: list[int] = []

    def counted(work: Callable[[], bytes]) -> Callable[[], bytes]:
        result = work()
        return lambda: waited.append(1) or result  # type: ignore[func-returns-value]  # append, then the bytes

    compose_file = Y.compose_file

    def failing(path: str, display: str, diags: list[Any]) -> Y.Composed | None:
        if path.endswith("01-introduction.yaml"):  # the first file, read here
            raise MemoryError
        return compose_file(path, display, diags)

    with mock.patch.object(S, "_BESIDE_BYTES", 0), mock.patch.object(Y, "compose_file", failing), \
            pytest.raises(MemoryError):
        read_source(str(root), beside=counted)
    assert waited == [1]
