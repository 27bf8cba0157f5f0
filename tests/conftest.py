from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

MINI_DOCUMENT = """\
id: mini
title: Mini Requirements
short_title: MINI
status: draft
version: "1.0"
date: "2025-01-31"
numbering:
  - {name: section, style: decimal, ref: "{n}", insert: upper-alpha}
  - {name: clause, style: decimal, ref: "{parent}.{n}", insert: upper-alpha}
  - {name: sub-clause, style: lower-alpha, ref: "{parent}{n}", label: "({n})", insert: lower-alpha}
  - {name: item, style: lower-roman, ref: "{parent}({n})", label: "({n})", insert: lower-alpha}
sections:
  - sections/01-general.yaml
"""

MINI_SECTION = """\
id: general
heading: General
children:
  - id: scope
    text: This applies to every **Device Model** listed in [[annex]].
    applies_to:
      - srvs: ["4.8.1", "6.12"]
        devices: [secure-esme]
  - id: annex
    heading: Annex
    text: The following apply
    children:
      - id: annex-a
        text: first item for SRV 4.8.1
"""

MINI_DEVICES = """\
devices:
  - {id: secure-esme, manufacturer: Secure, model: Liberty 100, type: ESME, cohort: FOC}
  - {id: lg-esme, manufacturer: Landis+Gyr, model: E470, type: ESME, cohort: FOC}
groups:
  - {id: all-esme, name: All ESME, members: [secure-esme, lg-esme]}
"""


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A small valid content folder; tests break it on purpose."""
    root = tmp_path / "content"
    (root / "sections").mkdir(parents=True)
    (root / "document.yaml").write_text(MINI_DOCUMENT)
    (root / "sections" / "01-general.yaml").write_text(MINI_SECTION)
    (root / "devices.yaml").write_text(MINI_DEVICES)
    return root


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite the golden files under tests/golden/ from the writers' output; review the diff")


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))
