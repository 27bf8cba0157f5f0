"""How many kinds of malformed input the hardening corpus holds, by family (print with ``-s``).

The kinds are the case tables of the malformed-input tests, each case asserted there (exit
status, finding code, location, nothing written): the YAML source (``test_malformed_source``),
change letters and letter templates, consultations and release snapshots (``test_malformed_letters``), and
Word and Excel files given to the pair check (``test_malformed_office``).
"""

from __future__ import annotations

from collections import Counter

from tests.hardening import test_malformed_letters as letters
from tests.hardening import test_malformed_office as office
from tests.hardening import test_malformed_source as source

MINIMUM = 40
FAMILIES = ("YAML source", "letters", "consultations", "releases", ".docx", ".xlsx")


def kinds() -> dict[str, list[str]]:
    """Case names by family."""
    out: dict[str, list[str]] = {f: [] for f in FAMILIES}
    for c in source.CASES:  # the source corpus also holds a few release-snapshot kinds
        out["releases" if c.name.startswith("release-") else "YAML source"].append(c.name)
    out["letters"] += [c.name for c in letters.LETTER_CASES]
    out["consultations"] += [c.name for c in letters.CONSULTATION_CASES]
    out["releases"] += [c.name for c in letters.RELEASE_CASES]
    out[".docx"] += [c.name for c in office.DOCX_CASES]
    out[".xlsx"] += [c.name for c in office.XLSX_CASES]
    return out


def test_at_least_forty_distinct_kinds_across_every_family() -> None:
    by_family = kinds()
    names = [n for family in by_family.values() for n in family]
    repeated = [n for n, k in Counter(names).items() if k > 1]
    assert not repeated, f"a kind is counted twice: {repeated}"
    print("\nmalformed-input kinds:")
    for family in FAMILIES:
        print(f"  {family:<12} {len(by_family[family]):>3}")
    print(f"  {'overall':<12} {len(names):>3}")
    assert all(by_family[f] for f in FAMILIES), "every family has malformed inputs"
    assert len(set(names)) >= MINIMUM


def test_office_cases_name_their_family() -> None:
    for c in office.CASES:
        assert c.name.startswith(f"{c.family}-"), c.name
    for c in letters.CASES:
        assert c.name.startswith(c.family.rstrip("s") + "-"), c.name
