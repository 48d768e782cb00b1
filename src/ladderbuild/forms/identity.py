"""What a form PDF says about itself: its metadata, and the fingerprint of the fields read back.

Every form and packet PDF carries, in its document information dictionary,
the framework's id and version, the form or packet id, the level and a
fingerprint of its fields; a personalised packet adds the employee's id.
`ladderbuild scores` matches a filled PDF to the framework by these keys
(WeasyPrint writes them from `<meta>` tags: forms/document.html).

The fingerprint covers the fields `scores` reads back — ratings with their
options, comments, goal texts, indicator results, the header's people and
period, signatures and dates — by name, role and options, never by layout.
So a PDF from an older version whose scored fields are unchanged (only wording,
anchors or page breaks differ) still matches, and one whose fields changed (a
competency added, a scale of 1–5 instead of 1–4) does not. The role of a
signature field is "signature" whether a text box or a /Sig field draws it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Iterable, Iterator

# Document information keys, as WeasyPrint writes a custom <meta> name: lowercase letters and digits only.
FRAMEWORK = "ladderbuildframework"
VERSION = "ladderbuildversion"
FORM = "ladderbuildform"
PACKET = "ladderbuildpacket"
LEVEL = "ladderbuildlevel"
FIELDS = "ladderbuildfields"
EMPLOYEE = "ladderbuildemployee"
KEYS = (FRAMEWORK, VERSION, FORM, PACKET, LEVEL, FIELDS, EMPLOYEE)


@dataclass(frozen=True)
class FieldSpec:
    """A field `scores` reads: its PDF name, its role and, for a choice, the options it offers."""

    name: str
    role: str  # rating | choice | text | signature
    options: tuple[str, ...] = ()

    def line(self) -> str:
        return f"{self.name}\t{self.role}\t{','.join(self.options)}"


def read_back_fields(forms) -> list[FieldSpec]:
    """The fields `scores` reads from these form views (forms/view.py), each once, in a stable order."""
    found: dict[str, FieldSpec] = {}
    for form in forms:
        for section in form.sections:
            for spec in _section_fields(section):
                found.setdefault(spec.name, spec)
    return sorted(found.values(), key=lambda s: s.name)


def _rating(rating) -> Iterator[FieldSpec]:
    yield FieldSpec(rating.field, "rating", tuple(o.value for o in rating.options))
    yield FieldSpec(rating.comment_field, "text")


def _section_fields(section) -> Iterator[FieldSpec]:
    data = section.data
    if section.kind == "header":
        for fld in data["fields"]:
            yield FieldSpec(fld.name, "text")
    elif section.kind == "competency-ratings":
        for group in data["groups"]:
            for item in group.items:
                yield from _rating(item.rating)
    elif section.kind == "values":
        for item in data["items"]:
            yield from _rating(item.rating)
    elif section.kind == "goals-review":
        for item in data["items"]:
            yield FieldSpec(item.goal_field, "text")
            yield from _rating(item.rating)
    elif section.kind == "kpis":
        for item in data["items"]:
            yield FieldSpec(item.result_field, "text")
            yield FieldSpec(item.met_field, "choice", ("met", "not-met"))
    elif section.kind == "decision":
        yield FieldSpec(data["field"], "choice", tuple(o.value for o in data["options"]))
    elif section.kind == "signatures":
        for signer in data["signers"]:
            yield FieldSpec(signer.name_field, "text")
            yield FieldSpec(signer.signature_field, "signature")
            yield FieldSpec(signer.date_field, "text")


def fingerprint(specs: Iterable[FieldSpec]) -> str:
    """A short, stable digest of the fields: the same fields give the same fingerprint, in any version."""
    text = "\n".join(sorted(spec.line() for spec in specs))
    return "f1-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def document_metadata(framework_id: str, version: str, level: str, fields: str, *, form: str = "",
                      packet: str = "", employee: str = "") -> dict[str, str]:
    """The document information entries of a form or packet PDF (empty values left out)."""
    values = {FRAMEWORK: framework_id, VERSION: version, FORM: form, PACKET: packet, LEVEL: level,
              FIELDS: fields, EMPLOYEE: employee}
    return {key: value for key, value in values.items() if value}
