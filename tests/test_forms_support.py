"""Shared helpers for the forms tests (no tests here): build once, read PDFs back.

`built(name)` renders a project's forms and packets once per test session
(each xdist worker builds its own copy). "forms-all" is the minimal fixture
plus a form of every other type, so every kind of section is rendered.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

from pypdf import PdfReader

from ladderbuild.project import load_project

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
FIXTURES = TESTS / "fixtures"
MM = 72 / 25.4
MARGIN_X = 15 * MM  # left and right page margins in forms.css
LETTER = (612.0, 792.0)
A4 = (595.276, 841.89)

EXTRA_FORMS = {
    "validation.yaml": """\
id: validation
title: Competency validation checklist
type: competency-validation
audience: validator
sections:
  - kind: header
    fields: [employee, employee-id, level, validator, date]
  - kind: method-legend
  - kind: validation-checklist
  - kind: attestation
    text: I observed each critical step myself and the record is complete and true.
  - kind: signatures
    signers: [employee, validator]
""",
    "promotion.yaml": """\
id: promotion
title: Promotion readiness
type: promotion-readiness
audience: committee
levels: [assistant-2, lead]
sections:
  - kind: header
    fields: [employee, employee-id, level, target-level, manager, date]
  - kind: eligibility
  - kind: evidence
  - kind: competency-ratings
    title: Readiness at the target level
    show_next_stage: true
  - kind: decision
  - kind: signatures
    signers: [employee, manager, committee-chair]
""",
    "plan.yaml": """\
id: plan
title: Goals and development plan
type: development-plan
audience: employee
sections:
  - kind: header
    fields: [employee, level, manager, review-period]
  - kind: smart-goals
    count: 2
  - kind: narrative
    id: support
    title: Support needed
    prompt: Training, mentoring, time.
    lines: 3
  - kind: signatures
    signers: [employee, manager]
""",
    "ninety.yaml": """\
id: ninety
title: 90-day review
type: ninety-day-review
levels: [assistant-1]
sections:
  - kind: header
    fields: [employee, employee-id, level, hire-date, manager, date]
  - kind: competency-ratings
  - kind: kpis
  - kind: narrative
    id: summary
    title: Summary
  - kind: signatures
    signers: [employee, manager]
""",
    "peer.yaml": """\
id: peer
title: Peer feedback
type: peer-feedback
audience: peer
sections:
  - kind: header
    fields: [employee, peer, date]
  - kind: values
  - kind: narrative
    id: feedback
    title: What they do well
  - kind: signatures
    signers: [peer]
""",
}
EXTRA_PACKETS = {
    "promotion-review.yaml": """\
id: promotion-review
title: Promotion review packet
cycle: Promotion round
instructions: The committee reads the validation checklist before the readiness form.
forms: [validation, promotion]
levels: [assistant-2]
""",
}

_tmp = Path(tempfile.mkdtemp(prefix="ladderbuild-forms-tests-"))
atexit.register(shutil.rmtree, _tmp, True)


def project_dir(name: str) -> Path:
    """A project to build: "minimal", "forms-all" (minimal + every form type) or "content" (the shipped one)."""
    if name == "content":
        return REPO
    if name == "minimal":
        return FIXTURES / "minimal"
    if name == "forms-all":
        target = _tmp / "forms-all"
        if not target.exists():
            shutil.copytree(FIXTURES / "minimal", target)
            for file, text in EXTRA_FORMS.items():
                (target / "content" / "forms" / file).write_text(text, encoding="utf-8")
            for file, text in EXTRA_PACKETS.items():
                (target / "content" / "packets" / file).write_text(text, encoding="utf-8")
        return target
    raise KeyError(name)


@lru_cache(maxsize=None)
def built(name: str, paper: str | None = None) -> Path:
    """Build every form and packet of the project, as `ladderbuild build --no-html` does (once per
    session); returns the output folder."""
    from ladderbuild.build import BuildOptions, build

    project = load_project(project_dir(name))
    assert not project.errors, "\n".join(d.format() for d in project.errors)
    out = _tmp / f"out-{name}-{paper}"
    build(project, out, BuildOptions(html=False, paper=paper, jobs=2))
    return out


@lru_cache(maxsize=None)
def framework(name: str):
    return load_project(project_dir(name)).framework


def reader(path: Path) -> PdfReader:
    return PdfReader(str(path))


def field_kinds(pdf: PdfReader) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Terminal field name → (kind, states): kind is text, multiline, radio or checkbox."""
    out = {}
    for name, fld in (pdf.get_fields() or {}).items():
        ft = fld.get("/FT")
        if ft is None:
            continue  # a group node in the name hierarchy
        flags = int(fld.get("/Ff", 0))
        if ft == "/Tx":
            kind = "multiline" if flags & (1 << 12) else "text"
        elif ft == "/Btn":
            kind = "radio" if flags & (1 << 15) else "checkbox"
        else:
            kind = str(ft)
        states = tuple(sorted(s.lstrip("/") for s in fld.get("/_States_", []) if s != "/Off"))
        out[name] = (kind, states)
    return out


def widgets_by_field(pdf: PdfReader) -> dict[str, list[int]]:
    """Fully qualified field name → the page index of each of its widgets."""
    out: dict[str, list[int]] = {}
    for index, page in enumerate(pdf.pages):
        for ref in page.get("/Annots", []) or []:
            annot = ref.get_object()
            if annot.get("/Subtype") != "/Widget":
                continue
            out.setdefault(widget_name(annot), []).append(index)
    return out


def widget_name(annot) -> str:
    """A widget's fully qualified field name: its own /T and its parents', outermost first."""
    parts, node = [], annot
    while node is not None:
        if "/T" in node:
            parts.append(str(node["/T"]))
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    return ".".join(reversed(parts))


def outline_titles(pdf: PdfReader) -> list[tuple[int, str]]:
    """(depth, title) of every outline entry, in order."""
    found = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, str(item.title)))

    walk(pdf.outline, 1)
    return found


def outline_pages(pdf: PdfReader, items=None) -> list:
    """The outline as nested lists of (title, page index), each entry's children in a list after it."""
    found = []
    for item in pdf.outline if items is None else items:
        if isinstance(item, list):
            found.append(outline_pages(pdf, item))
        else:
            found.append((str(item.title), pdf.get_destination_page_number(item)))
    return found


def page_text(pdf: PdfReader, index: int) -> str:
    return " ".join(pdf.pages[index].extract_text().split())
