"""Which releases count, and who owns a designated number (model.designation)."""

from __future__ import annotations

from generator.model import Release, ReleasedClause
from generator.model.designation import designations, is_tombstone, lineage, tombstone_id


def rel(name: str, date: str, *clauses: tuple[str, str], against: str = "") -> Release:
    return Release(name=name, date=date, version="1", against=against, clauses=tuple(
        ReleasedClause(id=cid, parent="", level=1, ordinal=(k, 0), number=n) for k, (cid, n) in enumerate(clauses, 1)))


def test_the_baseline_and_the_releases_it_descends_from_count() -> None:
    v1 = rel("v1", "2023-01-01")
    v2 = rel("v2", "2024-01-01", against="v1")
    branch = rel("v2-alt", "2024-02-01", against="v1")  # another draft designated from v1
    v3 = rel("v3", "2024-03-01", against="v2")
    releases = (v1, v2, branch, v3)
    assert [r.name for r in lineage(releases, v3)] == ["v3", "v2", "v1"]
    assert [r.name for r in lineage(releases, branch)] == ["v2-alt", "v1"]
    assert lineage(releases, None) == ()


def test_a_release_that_records_no_parent_descends_from_every_earlier_one() -> None:
    v11, v12 = rel("v11", "2023-11-02"), rel("v12", "2024-11-07")  # reconstructed or imported snapshots
    v13 = rel("v13", "2025-05-01", against="v12")
    assert [r.name for r in lineage((v11, v12, v13), v13)] == ["v13", "v12", "v11"]
    assert [r.name for r in lineage((v11, v12, v13), v12)] == ["v12", "v11"]


def test_the_most_recent_designation_owns_a_number() -> None:
    v11 = rel("v11", "2023-11-02", ("gsme", "1"), ("old", "2"))
    v12 = rel("v12", "2024-11-07", ("item", "1"), ("gsme", "3"))
    owners = designations(lineage((v11, v12), v12))
    assert (owners["1"].clause_id, owners["1"].release) == ("item", "v12")
    assert (owners["2"].clause_id, owners["2"].release) == ("old", "v11")  # only v11 designated it
    assert owners["3"].owner == "gsme"


def test_a_tombstone_is_owned_for_the_clause_that_left_it() -> None:
    left = Release(name="v2", date="2024-01-01", version="2", clauses=(
        ReleasedClause(id=tombstone_id("18.5k"), parent="", level=1, ordinal=(11, 0), number="18.5k", not_used=True,
                       vacated_by="pd-edmi-capture"),))
    d = designations((left,))["18.5k"]
    assert is_tombstone(d.clause_id) and d.owner == "pd-edmi-capture"
    assert not is_tombstone("pd-edmi-capture")
