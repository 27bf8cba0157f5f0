"""Consultations (``content/consultations/<id>/``) → Consultation, every problem located.

A consultation folder holds ``consultation.yaml`` (the dates and the parts, each tied to the
amendments it proposes) and ``responses/*.yaml``, one file per respondent::

    organisation: Large Supplier A
    category: Large Supplier
    confidential: false
    answers:
      references: agree              # the short form: just the answer
      behaviours:
        response: no view
        text: |
          We have none of these Device Models.
        our_view: |
          Noted.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import replace

from generator.diagnostics import Diagnostic, Location
from generator.diagnostics.rules import consultation as C
from generator.model import Span
from generator.model.consultation import CATEGORIES, RESPONSES, Answer, Consultation, Part, Respondent
from generator.model.letter import Block
from generator.readers import yaml_nodes as Y
from generator.readers.files import inside
from generator.readers.letter import _LetterCtx

__all__ = ["CONSULTATION_FILE", "RESPONSES_FOLDER", "normalise_answer", "normalise_category", "organisation_key",
           "paragraphs", "read_consultation", "read_consultations", "read_response"]

CONSULTATION_FILE = "consultation.yaml"
RESPONSES_FOLDER = "responses"

CONSULTATION_KEYS = {"title", "reference", "opened", "closed", "summary", "next_steps", "parts"}
PART_KEYS = {"id", "title", "question", "proposes", "conclusion"}
RESPONSE_KEYS = {"organisation", "category", "confidential", "answers"}
ANSWER_KEYS = {"response", "text", "our_view"}

_SPACE = re.compile(r"[\s_-]+")


def normalise_answer(text: str) -> str | None:
    """``Agree`` → ``agree``, ``No-View`` → ``no view``; None when it is none of the three."""
    said = _SPACE.sub(" ", text.strip().lower())
    said = "no view" if said == "noview" else said
    return said if said in RESPONSES else None


def normalise_category(text: str) -> str | None:
    """The category ``text`` names (any case, spacing or plural), or None."""
    def singular(name: str) -> str:
        name = " ".join(name.replace("-", " ").split()).lower()
        return name[:-3] + "y" if name.endswith("ies") else name.removesuffix("s")

    said = singular(text)
    return next((c for c in CATEGORIES if singular(c) == said), None)


def organisation_key(name: str) -> str:
    """Two organisations are the same respondent when their names differ only in case and spacing."""
    return " ".join(name.split()).casefold()


def paragraphs(text: str) -> tuple[str, ...]:
    """A respondent's words as paragraphs (blank lines separate them; lines within one are joined)."""
    return tuple(" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip())


def _near(name: str, known: list[str]) -> str:
    near = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f"did you mean '{near[0]}'?" if near else f"known: {', '.join(known) or 'none'}"


def read_consultation(folder: str, display: str) -> tuple[Consultation | None, list[Diagnostic]]:
    """``folder/consultation.yaml`` and ``folder/responses/*.yaml``; ``display`` is the folder as shown."""
    ctx = _LetterCtx()
    # Reading stays inside the content folder (two up from here): a link out of it is refused.
    root = os.path.dirname(os.path.dirname(os.path.abspath(folder)))
    path = os.path.join(folder, CONSULTATION_FILE)
    shown = os.path.join(display, CONSULTATION_FILE)
    if inside(root, os.path.relpath(path, root), shown, ctx.diags) is None:
        return None, ctx.diags
    if not os.path.isfile(path):
        ctx.diags.append(Diagnostic.make(C.NO_CONSULTATION_FILE, f"the consultation folder {display} has no "
                                         f"{CONSULTATION_FILE}", Span(file=display)))
        return None, ctx.diags
    m = ctx.mapping(Y.load_file(path, shown, ctx.diags), shown)
    if m is None:
        return None, ctx.diags
    ctx.keys(m, CONSULTATION_KEYS, shown)
    parts: list[Part] = []
    seen: dict[str, Part] = {}
    for i, node in enumerate(ctx.seq(m, "parts", shown), start=1):
        what = f"part {i} of the consultation"
        pm = ctx.mapping(node, what)
        if pm is None:
            continue
        ctx.keys(pm, PART_KEYS, what)
        pid = ctx.text(pm, "id", what, ident=True)
        if not pid:
            ctx.add(C.BAD_FIELD, f"{what} has no 'id'", pm.span, help="add 'id:', the name answers use for it")
            pid = f"part-{i}"
        part = Part(id=pid, number=i, title=ctx.text(pm, "title", what) or "",
                    question=ctx.text(pm, "question", what),
                    proposes=ctx.selection(pm, what, "proposes", C.BAD_FIELD),
                    conclusion=ctx.markdown(pm, "conclusion", what), span=pm.span)
        if not part.title:
            ctx.add(C.BAD_FIELD, f"{what} ('{pid}') has no 'title'", pm.span, help="add 'title:'")
        if pid in seen:
            ctx.diags.append(Diagnostic.make(C.DUPLICATE_PART, f"two parts of the consultation have the id "
                                             f"'{pid}'", pm.items["id"].span, related=[Location.of(seen[pid].span)],
                                             help="give each part its own id"))
            continue
        seen[pid] = part
        parts.append(part)
    if not parts and "parts" not in m.items:
        ctx.add(C.BAD_FIELD, f"{shown} has no 'parts'", m.span, help="list the consultation's questions under "
                "'parts:', each with an id and a title")
    title = ctx.text(m, "title", shown)
    if not title:
        ctx.add(C.BAD_FIELD, f"{shown} has no 'title'", m.span, help="add 'title:'")
    consultation = Consultation(
        id=os.path.basename(os.path.normpath(folder)), title=title, reference=ctx.text(m, "reference", shown),
        opened=ctx.date(m, "opened", shown), closed=ctx.date(m, "closed", shown),
        summary=ctx.markdown(m, "summary", shown), next_steps=ctx.markdown(m, "next_steps", shown),
        parts=tuple(parts), span=m.span)
    respondents: list[Respondent] = []
    by_org: dict[str, Respondent] = {}
    answers_folder = os.path.join(folder, RESPONSES_FOLDER)
    names = sorted(os.listdir(answers_folder)) if os.path.isdir(answers_folder) else []
    for name in names:
        if not name.endswith((".yaml", ".yml")):
            continue
        if inside(root, os.path.relpath(os.path.join(answers_folder, name), root),
                  os.path.join(display, RESPONSES_FOLDER, name), ctx.diags) is None:
            continue
        respondent, more = read_response(os.path.join(answers_folder, name),
                                         os.path.join(display, RESPONSES_FOLDER, name), consultation)
        ctx.diags.extend(more)
        if respondent is None:
            continue
        key = organisation_key(respondent.organisation)
        if key and key in by_org:
            first = by_org[key]
            ctx.diags.append(Diagnostic.make(
                C.DUPLICATE_RESPONDENT, f"'{respondent.organisation}' has already responded (in {first.span.file})",
                respondent.span, related=[Location.of(first.span)],
                help="merge the two responses into one file, or correct the organisation's name"))
            continue
        by_org[key] = respondent
        respondents.append(respondent)
    return replace(consultation, respondents=tuple(respondents)), ctx.diags


def read_response(path: str, display: str, consultation: Consultation) -> tuple[Respondent | None, list[Diagnostic]]:
    """One respondent's file, its answers checked against the consultation's parts."""
    ctx = _LetterCtx()
    m = ctx.mapping(Y.load_file(path, display, ctx.diags), display)
    if m is None:
        return None, ctx.diags
    ctx.keys(m, RESPONSE_KEYS, display)
    organisation = ctx.text(m, "organisation", display)
    if not organisation:
        ctx.add(C.BAD_FIELD, f"the response {display} has no 'organisation'", m.span,
                help="add 'organisation:', the respondent's name (it is never printed when confidential)")
    raw_category = ctx.text(m, "category", display)
    category = normalise_category(raw_category) if raw_category else None
    if not raw_category:
        ctx.add(C.BAD_FIELD, f"the response {display} has no 'category'", m.span,
                help=f"add 'category:', one of {', '.join(CATEGORIES)}")
    elif category is None:
        ctx.add(C.BAD_CATEGORY, f"'{raw_category}' is not a kind of party", m.items["category"].span,
                help=_near(raw_category, list(CATEGORIES)))
    confidential = False
    if "confidential" in m.items:
        node = m.items["confidential"]
        if isinstance(node, Y.YScalar) and node.value.lower() in ("true", "false", "yes", "no"):
            confidential = node.value.lower() in ("true", "yes")
        else:
            ctx.add(C.BAD_FIELD, f"'confidential' in {display} must be true or false", node.span)
    answers: list[Answer] = []
    am = ctx.mapping(m.items.get("answers"), f"the answers of {display}")
    known = [p.id for p in consultation.parts]
    if am is not None:
        for pid, node in am.items.items():
            span = am.keys[pid]
            if pid not in known:
                ctx.add(C.UNKNOWN_PART, f"the consultation has no part '{pid}'", span, help=_near(pid, known))
                continue
            answer = _answer(ctx, pid, node, display)
            if answer is not None:
                answers.append(answer)
    order = {pid: i for i, pid in enumerate(known)}
    answers.sort(key=lambda a: order[a.part])
    return Respondent(id=os.path.splitext(os.path.basename(path))[0], organisation=organisation,
                      category=category or raw_category, confidential=confidential, answers=tuple(answers),
                      span=m.items["organisation"].span if "organisation" in m.items else m.span), ctx.diags


def _answer(ctx: _LetterCtx, pid: str, node: Y.YNode, display: str) -> Answer | None:
    what = f"the answer to '{pid}' in {display}"
    view: tuple[Block, ...] = ()
    if isinstance(node, Y.YScalar):
        raw, span, text = node.value, node.span, ""
    else:
        am = ctx.mapping(node, what)
        if am is None:
            return None
        ctx.keys(am, ANSWER_KEYS, what)
        raw = ctx.text(am, "response", what, required=True)
        span = am.items["response"].span if "response" in am.items else am.span
        text, view = ctx.text(am, "text", what), ctx.markdown(am, "our_view", what)
        if not raw:
            return None
    response = normalise_answer(raw)
    if response is None:
        ctx.add(C.BAD_ANSWER, f"'{raw}' is not an answer: write agree, disagree or no view", span,
                help="keep the respondent's own words under 'text:'")
        return None
    return Answer(part=pid, response=response, text=paragraphs(text), our_view=view, span=span)


def read_consultations(folder: str) -> tuple[tuple[Consultation, ...], list[Diagnostic]]:
    """Every consultation under ``folder`` (``content/consultations``), sorted by folder name."""
    if not os.path.isdir(folder):
        return (), []
    found: list[Consultation] = []
    diags: list[Diagnostic] = []
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if not os.path.isdir(path) or name.startswith("."):
            continue
        consultation, more = read_consultation(path, os.path.relpath(path))
        diags += more
        if consultation is not None:
            found.append(consultation)
    return tuple(found), diags
