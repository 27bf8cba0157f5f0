"""Small in-memory projects for unit and property tests."""

from __future__ import annotations

from generator.model import (
    Clause,
    DeviceModel,
    Document,
    NumberingScheme,
    Project,
    Release,
    ReleasedClause,
    Srv,
    walk,
)
from generator.model.document import S1SR_SCHEME


def clause(cid: str, *children: Clause, text: str = "", not_used: bool = False) -> Clause:
    return Clause(id=cid, raw_text=text or f"text of {cid}", children=tuple(children), not_used=not_used)


def project(*sections: Clause, releases: tuple[Release, ...] = (), scheme: NumberingScheme = S1SR_SCHEME) -> Project:
    return Project(
        root="content",
        document=Document(id="s1sr", title="T", short_title="S1SR", version="1.0", scheme=scheme,
                          sections=tuple(sections)),
        devices=(DeviceModel(id="d1", manufacturer="Secure", model="M", device_type="ESME", cohort="FOC"),),
        srvs=(Srv(number="4.8.1", name="Read Profile Data"),),
        releases=releases,
    )


def release_of(numbered: Project, name: str = "r1", *, date: str = "2024-01-01", against: str = "") -> Release:
    return Release(
        name=name, date=date, version="1", against=against,
        clauses=tuple(ReleasedClause(id=c.id, parent=c.parent, level=c.level, ordinal=c.ordinal, number=c.number,
                                     not_used=c.not_used, annex=c.annex, vacated_by=c.vacated_by)
                      for c in walk(numbered.document.sections)),
    )


def numbers(p: Project) -> dict[str, str]:
    return {c.id: c.number for c in walk(p.document.sections)}
