"""One filled PDF → the evaluations in it: matched to the framework, checked for completeness, scored.

Everything is read through the view models (forms/view.py), never through
page layout: the view says which field holds which competency's rating,
which ratings need a comment, who signs. A PDF is matched by its metadata
(forms/identity.py):

- no ladderbuild metadata, or another framework's id → refused;
- a form, packet or level this framework no longer has → refused;
- the same fields as the current version (the fingerprint matches, or the
  fields found in the file are the ones expected) → scored, with a warning
  when the PDF was made from another version;
- different fields (a competency added or removed, another scale) → refused,
  with the differences.

Completeness, each problem located by file, form, page and item: a rating
left blank; a comment missing where the rating needs one; a signature or a
date missing; a goal rated with no goal written. (Two evaluations for one
employee in one cycle are found across files, by the store.)

What counts as signed: a signature field that holds a value — a digital
signature in a signature (/Sig) field, or text in a text signature field —
and a date beside it. With `dated_is_signed` (for forms signed in ink on
paper and typed in afterwards), a filled date counts as the signature.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import scoring
from ..forms import identity, view
from ..resolve import Framework, Level
from ..terminal import printable
from .read import FilledPdf

ERROR, WARNING = "error", "warning"
RATED_SOURCES = {"competency-ratings": "competencies", "values": "values", "goals-review": "goals", "kpis": "kpis"}
# Who filled a form in, by its audience: the first of these header fields that is filled.
RATER_KEYS = {
    "manager": ("evaluator", "manager", "reviewer"),
    "employee": ("employee",),
    "peer": ("peer",),
    "validator": ("validator",),
    "committee": ("manager", "evaluator"),
}


@dataclass(frozen=True)
class Problem:
    severity: str  # error (the file was not scored) | warning (scored, but look at it)
    code: str  # not-a-form, other-framework, fields-differ, older-version, missing-rating, missing-comment, …
    file: str
    message: str
    hint: str = ""
    form: str = ""  # the form's title
    page: int | None = None
    item: str = ""  # the competency, value, goal or signer concerned

    def format(self) -> str:
        """The problem as lines for a terminal: what came from the PDF (file name, values) escaped (terminal.py)."""
        where = self.file + (f", page {self.page}" if self.page else "")
        what = " — ".join(x for x in (self.form, self.item) if x)
        text = printable(f"{where}: {self.severity}: " + (f"{what}: " if what else "") + self.message)
        return text + (f"\n    hint: {printable(self.hint)}" if self.hint else "")


@dataclass(frozen=True)
class ItemRating:
    source: str  # competencies | values | goals | kpis
    id: str  # competency or value id, goal number, indicator id
    label: str
    group: str  # a competency's domain
    value: float | None  # None when N/A or blank
    not_applicable: bool = False
    weight: float = 1  # a competency's weight in its section's average

    def rated(self) -> scoring.Rated:
        return scoring.Rated(self.id, self.value, self.not_applicable, self.group, self.weight)


@dataclass
class Evaluation:
    """One form of a filled PDF, as read and scored."""

    file: str
    form_id: str
    form_title: str
    form_type: str
    audience: str
    packet_id: str
    version: str  # the framework version the PDF was made from
    level_id: str
    level_title: str
    expected: int  # the rating that means "at the level's expected stage"
    employee_key: str  # who it is about: the employee id, else the name
    employee_id: str
    employee_name: str
    department: str
    period: str
    rater: str
    items: list[ItemRating] = field(default_factory=list)
    score: scoring.Score | None = None  # for forms with a weighted-score section
    problems: list[Problem] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.problems


@dataclass
class FileResult:
    file: str
    evaluations: list[Evaluation] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # about the file as a whole

    @property
    def refused(self) -> bool:
        return any(p.severity == ERROR for p in self.problems)


class Refused(Exception):
    def __init__(self, code: str, message: str, hint: str = ""):
        super().__init__(message)
        self.code, self.message, self.hint = code, message, hint


# --------------------------------------------------------------------------- matching


@dataclass(frozen=True)
class Layout:
    """What the current framework says a PDF holds: its forms (views) and the fields scores reads."""

    kind: str  # form | packet
    id: str
    level: Level
    forms: tuple
    specs: tuple[identity.FieldSpec, ...]
    fingerprint: str


class Layouts:
    """The layouts of one framework, each worked out once: a cycle has few (form, level) pairs and many files."""

    def __init__(self, fw: Framework):
        self.fw = fw
        self._found: dict[tuple[str, str, str], Layout] = {}

    def get(self, kind: str, ident: str, level_id: str) -> Layout:
        key = (kind, ident, level_id)
        if key not in self._found:
            fw, level = self.fw, self.fw.level(level_id)
            if kind == "packet":
                forms = view.packet_views(fw, fw.packet(ident), level)
            else:
                forms = [view.form_view(fw, fw.form(ident), level)]
            specs = identity.read_back_fields(forms)
            self._found[key] = Layout(kind, ident, level, tuple(forms), tuple(specs), identity.fingerprint(specs))
        return self._found[key]


def match(fw: Framework, pdf: FilledPdf, layouts: Layouts | None = None
          ) -> tuple[Layout, list[tuple[str, str, str]]]:
    """The layout of `pdf` in the current framework and the warnings (code, message, hint) matching gave;
    raises Refused when the PDF cannot be scored with this framework."""
    meta = pdf.metadata
    if not pdf.values:
        raise Refused("no-fields", "the PDF has no form fields: it was flattened, printed to PDF or scanned, so its "
                      "answers are part of the page picture and cannot be read",
                      "collect the PDF as saved from the viewer it was filled in (File → Save), not printed or scanned")
    if identity.FRAMEWORK not in meta:
        raise Refused("not-a-form", "the PDF has no ladderbuild metadata, so it is not a form of this framework "
                      "(or was made by a ladderbuild without it)",
                      "hand out forms from `ladderbuild build` or `ladderbuild packets`, and score those")
    if meta[identity.FRAMEWORK] != fw.id:
        raise Refused("other-framework", f"the PDF is a form of another framework, `{meta[identity.FRAMEWORK]}`; "
                      f"this project is `{fw.id}` ({fw.meta.title})",
                      "score it with that framework's project: ladderbuild scores -C PROJECT …")
    version = meta.get(identity.VERSION, "?")
    kind, ident = ("packet", meta[identity.PACKET]) if identity.PACKET in meta else ("form", meta.get(identity.FORM, ""))
    known = {p.id for p in fw.packets} if kind == "packet" else {f.id for f in fw.forms}
    if ident not in known:
        raise Refused("fields-differ", f"the {kind} `{ident}` (version {version}) does not exist in version "
                      f"{fw.meta.version} of the framework", _older_hint(version))
    level_id = meta.get(identity.LEVEL, "")
    if level_id not in {lvl.id for lvl in fw.levels}:
        raise Refused("fields-differ", f"the level `{level_id}` (version {version}) does not exist in version "
                      f"{fw.meta.version} of the framework", _older_hint(version))
    found = (layouts or Layouts(fw)).get(kind, ident, level_id)
    warnings = []
    if meta.get(identity.FIELDS) != found.fingerprint:
        differences = field_differences(found.specs, pdf)
        if differences:
            shown = "; ".join(differences[:3]) + (f"; and {len(differences) - 3} more" if len(differences) > 3 else "")
            raise Refused("fields-differ", f"the PDF was made from version {version} and its fields differ from "
                          f"version {fw.meta.version}: {shown}", _older_hint(version))
    missing = [s.name for s in found.specs if s.name not in pdf.values]
    if missing:
        raise Refused("fields-differ", f"{len(missing)} field(s) the form should have are missing, e.g. `{missing[0]}`",
                      "the PDF was changed after ladderbuild made it; collect the form again")
    if version != fw.meta.version:
        warnings.append(("older-version", f"made from version {version} of the framework; its fields are the same "
                         f"as in version {fw.meta.version}, so it is scored with the current rules",
                         "check that the weights and bands of the current version are the ones to apply"))
    return found, warnings


def _older_hint(version: str) -> str:
    return (f"score it with the framework as it was at version {version} (a checkout of that version: "
            "ladderbuild scores -C THAT-CHECKOUT …), or have the form filled again on the current version")


def field_differences(specs, pdf: FilledPdf) -> list[str]:
    """How the fields of `pdf` differ from the fields `specs` expects, in words."""
    out = []
    expected = {s.name for s in specs}
    for spec in specs:
        if spec.name not in pdf.values:
            out.append(f"`{spec.name}` is not on the PDF")
        elif spec.role in ("rating", "choice"):
            offered = pdf.options_of(spec.name)
            if offered and set(offered) != set(spec.options):
                out.append(f"`{spec.name}` offers {', '.join(offered)} on the PDF but {', '.join(spec.options)} now")
    for name in pdf.values:
        if name not in expected and _looks_rated(name):
            out.append(f"`{name}` is on the PDF but no longer on the form")
    return out


def _looks_rated(name: str) -> bool:
    parts = name.split(".")
    return "rating" in parts or "kpi" in parts


# --------------------------------------------------------------------------- reading a form


def evaluate(fw: Framework, pdf: FilledPdf, *, layouts: Layouts | None = None,
             dated_is_signed: bool = False) -> FileResult:
    """Every evaluation in `pdf`, or the reason it cannot be scored."""
    result = FileResult(str(pdf.path))
    try:
        found, warnings = match(fw, pdf, layouts)
    except Refused as exc:
        result.problems.append(Problem(ERROR, exc.code, result.file, exc.message, exc.hint))
        return result
    for code, message, hint in warnings:
        result.problems.append(Problem(WARNING, code, result.file, message, hint))
    if pdf.repaired:
        result.problems.append(Problem(WARNING, "repaired", result.file, "the PDF was damaged; it was repaired to "
                                       "be read, so check its values", "ask for the form to be saved again"))
    values = pdf.values
    meta_employee = pdf.metadata.get(identity.EMPLOYEE, "")
    typed_id = values.get("employee.id", "").strip()
    if meta_employee and typed_id and typed_id != meta_employee:
        result.problems.append(Problem(
            WARNING, "employee-mismatch", result.file,
            f"the packet was made for employee `{meta_employee}` but its Employee ID field says `{typed_id}`",
            "the packet's own employee id is used; correct the field or the file if this is wrong"))
    version = pdf.metadata.get(identity.VERSION, fw.meta.version)
    for form in found.forms:
        result.evaluations.append(_evaluation(fw, found, form, pdf, version, meta_employee or typed_id,
                                              dated_is_signed))
    return result


def _value(values: dict[str, str], name: str) -> str:
    return values.get(name, "").strip()


def _evaluation(fw: Framework, found: Layout, form, pdf: FilledPdf, version: str, employee_id: str,
                dated_is_signed: bool) -> Evaluation:
    values = pdf.values
    name = _value(values, "employee.name")
    header = {f.key: f.name for s in form.sections if s.kind == "header" for f in s.data["fields"]}
    rater = next((v for key in RATER_KEYS.get(form.audience, ()) if (v := _value(values, header.get(key, "")))), "")
    evaluation = Evaluation(
        file=str(pdf.path), form_id=form.id, form_title=form.title, form_type=form.type, audience=form.audience,
        packet_id=found.id if found.kind == "packet" else "", version=version, level_id=found.level.id,
        level_title=found.level.title, expected=fw.evaluation_scale.expected_value,
        employee_key=employee_id or name.casefold(), employee_id=employee_id, employee_name=name,
        department=_value(values, "employee.department"), period=_value(values, "review.period"), rater=rater)

    def problem(code: str, message: str, field_name: str, item: str = "", hint: str = "") -> None:
        evaluation.problems.append(Problem(WARNING, code, evaluation.file, message, hint, form.title,
                                           pdf.page_of(field_name), item))

    scored = any(s.kind == "weighted-score" for s in form.sections)
    model = scoring.evaluation_model(fw, level=found.level) if fw.meta.evaluation else None  # the track's weights
    kpis_scored = scored and model is not None and any(s.source.value == "kpis" for s in model.sections)
    for section in form.sections:
        source = RATED_SOURCES.get(section.kind)
        if section.kind in ("competency-ratings", "values"):
            items = ([(i.id, i.name, g.id, i.rating, i.weight) for g in section.data["groups"] for i in g.items]
                     if section.kind == "competency-ratings" else
                     [(i.id, i.name, "", i.rating, 1) for i in section.data["items"]])
            for ident, label, group, rating, weight in items:
                evaluation.items.append(_rate(source, ident, label, group, rating, values, problem, weight))
        elif section.kind == "goals-review":
            rated_goals = 0
            for item in section.data["items"]:
                text = _value(values, item.goal_field)
                answer = _value(values, item.rating.field)
                label = f"Goal {item.number}"
                if not text and not answer:
                    continue  # fewer goals than rows: an unused row
                rated_goals += 1
                if not text:
                    problem("missing-goal", "the goal is rated but not written down", item.goal_field, label)
                evaluation.items.append(_rate(source, str(item.number), text[:80] or label, "", item.rating,
                                              values, problem))
            if not rated_goals and scored:
                first = section.data["items"][0]
                problem("missing-rating", "no goal is written down or rated", first.goal_field, "Goals")
        elif section.kind == "kpis":
            for item in section.data["items"]:
                answer = _value(values, item.met_field)
                if kpis_scored and not answer:
                    problem("missing-rating", "not marked met or not met", item.met_field, item.name)
                value = scoring.indicator_value(answer, fw.evaluation_scale)
                evaluation.items.append(ItemRating(source, item.id, item.name, "", value))
        elif section.kind == "signatures":
            for signer in section.data["signers"]:
                signed = bool(_value(values, signer.signature_field))
                dated = bool(_value(values, signer.date_field))
                if not signed and not (dated_is_signed and dated):
                    problem("missing-signature", "not signed", signer.signature_field, signer.role,
                            "sign in the signature box (a digital signature, or the typed name where the form has a "
                            "text box); with --dated-is-signed a date counts as the signature")
                if not dated:
                    problem("missing-date", "the signature is not dated", signer.date_field, signer.role)
    if scored and model is not None:
        rated: dict[str, list[scoring.Rated]] = {}
        for item in evaluation.items:
            if item.source != "kpis" or kpis_scored:
                rated.setdefault(item.source, []).append(item.rated())
        evaluation.score = scoring.score(model, fw.evaluation_scale, rated)
    return evaluation


def _rate(source: str, ident: str, label: str, group: str, rating, values, problem, weight: float = 1) -> ItemRating:
    answer = _value(values, rating.field)
    options = {o.value: o for o in rating.options}
    if not answer:
        problem("missing-rating", "not rated", rating.field, label)
        return ItemRating(source, ident, label, group, None, weight=weight)
    option = options.get(answer)
    if option is None:
        problem("invalid-rating", f"the rating `{answer}` is not on the scale", rating.field, label)
        return ItemRating(source, ident, label, group, None, weight=weight)
    if option.not_applicable:
        return ItemRating(source, ident, label, group, None, not_applicable=True, weight=weight)
    if option.comment_required and not _value(values, rating.comment_field):
        problem("missing-comment", f"a rating of {answer} ({option.label}) needs a comment", rating.comment_field,
                label)
    return ItemRating(source, ident, label, group, float(answer), weight=weight)
