"""View models: the facts each handbook page shows, prepared in Python so templates only lay them out.

Every function here is pure: Framework (+ the already-rendered fragments) in,
plain data out. Markdown arrives pre-rendered (see fragments.py); plain text
stays plain and is escaped by the template.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from .. import urls
from ..model import (
    Alternative, Competency, Credential, CredentialRequirement, Domain, LevelPath, RatingScale, RoleFile,
    SpecialismFile, Stage, Track, Training,
)
from ..resolve import Expectation, Framework, Level, LevelChanges
from .fragments import Fragments, content_dir_of


# --------------------------------------------------------------------------- small shared facts


@dataclass(frozen=True)
class Download:
    title: str
    href: str | None  # None: the PDF is not part of this build, so there is nothing to link to
    audience: str = ""


@dataclass(frozen=True)
class CredentialNeed:
    requirement: CredentialRequirement
    credentials: tuple[Credential, ...]  # the credentials that satisfy it (any one of them)
    units: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (status, names of the units) where it differs


@dataclass(frozen=True)
class AlternativeNeed:
    """A requirement met by any one of several credentials or kinds of education."""

    alternative: Alternative
    credentials: tuple[Credential, ...]


@dataclass(frozen=True)
class ExpectationRow:
    competency: Competency
    stage: Stage
    rank: int  # 1-based position of the stage, for the visual scale
    anchor: Markup  # what the competency looks like at this stage (inline Markdown)
    change: str = ""  # "new" | "raised" | "lowered" | "" compared with the level below
    statement: Markup = Markup("")  # the level's own words for it
    shows_anchor: bool = True  # False when the statement replaces the anchor


@dataclass(frozen=True)
class DomainGroup:
    domain: Domain
    rows: tuple


@dataclass(frozen=True)
class PathOut:
    path: LevelPath
    target: Level
    compare: str  # URL of the comparison of the two levels


@dataclass(frozen=True)
class LevelView:
    level: Level
    track: Track
    summary: str
    body: Markup
    evidence_description: Markup
    expectations: tuple[DomainGroup, ...]
    credentials: tuple[CredentialNeed, ...]
    time_in_level: tuple[int, Level | None] | None  # (months, in which level)
    min_rating_label: str
    mandatory_training: tuple[Training, ...]
    changes: LevelChanges | None
    new_credentials: tuple[CredentialNeed, ...]
    paths_out: tuple[PathOut, ...]
    paths_in: tuple[tuple[Level, LevelPath], ...]
    forms: tuple[Download, ...]
    packets: tuple[Download, ...]
    previous: Level | None
    next: Level | None
    alternatives: tuple[AlternativeNeed, ...] = ()
    discipline_severity: str = ""  # label of the mildest action that counts, for the discipline gate
    specialism: SpecialismFile | None = None  # for a level with a specialism
    core: Level | None = None  # … its core level
    with_specialisms: tuple[Level, ...] = ()  # this level combined with each specialism
    roles: tuple[RoleFile, ...] = ()  # roles its holders may take on
    has_credentials: bool = True  # the framework lists credentials at all (else no Credentials row)


# The ids of the level page's own sections: headings in a level's description must not take them.
LEVEL_SECTION_IDS = frozenset({
    "whats-new", "about", "responsibilities", "expected-competencies", "requirements", "eligibility", "evidence",
    "indicators", "where-it-leads", "forms", "specialisms", "roles",
})


def stage_number(fw: Framework, stage_id: str) -> int:
    return fw.stage_rank(stage_id) + 1


def credential_needs(fw: Framework, requirements: tuple[CredentialRequirement, ...] | list) -> tuple[CredentialNeed, ...]:
    return tuple(CredentialNeed(r, tuple(fw.credential(c) for c in r.one_of), unit_statuses(fw, r))
                 for r in requirements)


def unit_statuses(fw: Framework, requirement: CredentialRequirement) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(status, unit names) for the units where a credential's status differs from its default."""
    names = {u.id: u.name for u in fw.meta.units}
    out = []
    for status in ("required", "preferred"):
        units = tuple(names.get(u, u) for u, st in requirement.by_unit.items() if st.value == status)
        if units:
            out.append((status, units))
    return tuple(out)


def group_by_domain(fw: Framework, competencies, row) -> tuple[DomainGroup, ...]:
    """Rows grouped under their domain, domains in the framework's order (competencies are already sorted)."""
    by_domain: dict[str, list] = {}
    for c in competencies:
        by_domain.setdefault(c.domain, []).append(c)
    return tuple(DomainGroup(domain, tuple(row(c) for c in by_domain[domain.id]))
                 for domain in fw.meta.domains if domain.id in by_domain)


def rating_label(scale: RatingScale, value: float | None) -> str:
    if value is None:
        return ""
    match = next((p for p in scale.points if p.value == value), None)
    return match.label if match else ""


def downloads(items, level: Level, pdf_path, pdfs: set[str]) -> tuple[Download, ...]:
    out = []
    for item in items:
        path = pdf_path(item.id, level.id)
        audience = getattr(item, "audience", None)
        out.append(Download(item.title, path if path in pdfs else None, audience.value if audience else ""))
    return tuple(out)


def compare_url(a: Level, b: Level) -> str:
    return f"{urls.COMPARE}?a={a.id}&b={b.id}"


# --------------------------------------------------------------------------- level page


def level_view(fw: Framework, level: Level, fragments: Fragments, pdfs: set[str]) -> LevelView:
    base = content_dir_of(level.source)
    changes = fw.changes_from_below(level)
    change_of: dict[str, str] = {}
    if changes is not None:
        change_of.update({e.competency.id: "new" for e in changes.new_competencies})
        change_of.update({c.competency.id: "raised" for c in changes.raised})
        change_of.update({c.competency.id: "lowered" for c in changes.lowered})
    expectations = {e.competency.id: e for e in fw.expectations(level)}

    def row(c: Competency) -> ExpectationRow:
        e: Expectation = expectations[c.id]
        comp_base = content_dir_of(fw.sources.get(("competency", c.id), "content/competencies/x.yaml"))
        return ExpectationRow(c, e.stage, stage_number(fw, e.stage.id),
                              fragments.inline(c.anchors.get(e.stage.id, ""), comp_base), change_of.get(c.id, ""),
                              fragments.inline(e.statement.text, base) if e.statement else Markup(""),
                              e.shows_anchor)

    core = fw.level(level.core) if level.core else None
    in_track = fw.levels_in_track(level.track)
    position = fw.position_in_track(core or level)
    below = fw.level_below(level)
    paths_out = tuple(PathOut(p, fw.level(p.to), compare_url(level, fw.level(p.to))) for p in level.paths)
    til = level.requirements.time_in_level
    ev = level.eligibility
    severity = ev.discipline.min_severity if ev and ev.discipline else None
    return LevelView(
        level=level,
        track=fw.track(level.track),
        summary=level.summary,
        body=fragments.block(level.body, base, LEVEL_SECTION_IDS),
        evidence_description=fragments.block(level.evidence.description, base) if level.evidence else Markup(""),
        expectations=group_by_domain(fw, [e.competency for e in expectations.values()], row),
        credentials=credential_needs(fw, level.requirements.credentials),
        time_in_level=(til.min_months, fw.level(til.level) if til.level else below) if til else None,
        min_rating_label=rating_label(fw.evaluation_scale, ev.min_last_rating if ev else None),
        mandatory_training=tuple(fw.training_item(t) for t in ev.mandatory_training) if ev else (),
        changes=changes,
        new_credentials=credential_needs(fw, changes.new_credentials) if changes else (),
        paths_out=paths_out,
        paths_in=tuple(fw.paths_into(level)),
        forms=downloads(fw.forms_for(level), level, urls.form_pdf, pdfs),
        packets=downloads(fw.packets_for(level), level, urls.packet_pdf, pdfs),
        previous=in_track[position - 1] if position > 0 else None,
        next=in_track[position + 1] if position + 1 < len(in_track) else None,
        alternatives=tuple(AlternativeNeed(a, tuple(fw.credential(c) for c in a.credentials))
                           for a in level.requirements.alternatives),
        discipline_severity=next((d.label for d in fw.meta.discipline_levels if d.id == severity), ""),
        specialism=fw.specialism(level.specialism) if level.specialism else None,
        core=core,
        with_specialisms=tuple(fw.variants_of(level)),
        roles=tuple(fw.roles_for(level)),
        has_credentials=bool(fw.credentials),
    )


# --------------------------------------------------------------------------- specialisms and roles


@dataclass(frozen=True)
class SpecialismView:
    specialism: SpecialismFile
    description: Markup
    levels: tuple[Level, ...]  # the core levels combined with it, as Levels (with the specialism)
    expectations: tuple[DomainGroup, ...]  # the competencies it adds or raises, with the stage it sets


def specialism_view(fw: Framework, spec: SpecialismFile, fragments: Fragments) -> SpecialismView:
    base = content_dir_of(fw.sources.get(("specialism", spec.id), "content/specialisms/x.yaml"))
    return SpecialismView(spec, fragments.block(spec.description, base),
                          tuple(v for v in fw.variants if v.specialism == spec.id),
                          expectation_groups(fw, spec.competencies, spec.statements, fragments, base))


def expectation_groups(fw: Framework, competencies: dict[str, str], statements: dict, fragments: Fragments,
                       base: str) -> tuple[DomainGroup, ...]:
    """Rows for a specialism's or role's own expectations (competency → stage, with their statements)."""

    def row(c: Competency) -> ExpectationRow:
        stage = fw.stage(competencies[c.id])
        statement = statements.get(c.id)
        return ExpectationRow(c, stage, stage_number(fw, stage.id), fragments.inline(c.anchors.get(stage.id, "")),
                              statement=fragments.inline(statement.text, base) if statement else Markup(""),
                              shows_anchor=not (statement and statement.replaces_anchor))

    return group_by_domain(fw, [c for c in fw.competencies if c.id in competencies], row)


@dataclass(frozen=True)
class RoleView:
    role: RoleFile
    description: Markup
    levels: tuple[Level, ...]  # levels whose holders may take it (all, when the role names none)
    expectations: tuple[DomainGroup, ...]
    credentials: tuple[CredentialNeed, ...]
    forms: tuple[Download, ...]


def role_view(fw: Framework, role: RoleFile, fragments: Fragments, pdfs: set[str]) -> RoleView:
    base = content_dir_of(fw.sources.get(("role", role.id), "content/roles/x.yaml"))
    as_level = next(lvl for lvl in fw.role_levels if lvl.role == role.id)
    return RoleView(role, fragments.block(role.description, base),
                    tuple(lvl for lvl in fw.levels if not role.levels or lvl.id in role.levels),
                    expectation_groups(fw, role.competencies, role.statements, fragments, base),
                    credential_needs(fw, role.requirements.credentials),
                    downloads(fw.forms_for(as_level), as_level, urls.form_pdf, pdfs))


# --------------------------------------------------------------------------- competency page


@dataclass(frozen=True)
class AnchorRow:
    stage: Stage
    text: Markup  # inline Markdown
    levels: tuple[Level, ...]  # the levels that expect exactly this stage


@dataclass(frozen=True)
class CompetencyView:
    competency: Competency
    domain: Domain
    description: Markup
    anchors: tuple[AnchorRow, ...]
    expected_by: tuple[tuple[Track, tuple[tuple[Level, Stage], ...]], ...]
    methods: tuple
    training: tuple[Training, ...]
    previous: Competency | None
    next: Competency | None


def competency_view(fw: Framework, competency: Competency, fragments: Fragments) -> CompetencyView:
    source = fw.sources.get(("competency", competency.id), "content/competencies/x.yaml")
    expecting = fw.levels_expecting(competency)
    by_track = tuple(
        (track, tuple((lvl, stage) for lvl, stage in expecting if lvl.track == track.id))
        for track in fw.tracks
    )
    in_domain = fw.competencies_in_domain(competency.domain)
    i = fw.position_in_domain(competency)
    return CompetencyView(
        competency=competency,
        domain=fw.domain(competency.domain),
        description=fragments.block(competency.description, content_dir_of(source)),
        anchors=tuple(AnchorRow(s, fragments.inline(competency.anchors.get(s.id, ""), content_dir_of(source)),
                                tuple(lvl for lvl, st in expecting if st.id == s.id))
                      for s in fw.meta.stages),
        expected_by=tuple((t, rows) for t, rows in by_track if rows),
        methods=tuple(fw.method(m) for m in competency.validation_methods),
        training=tuple(fw.training_item(t) for t in competency.training),
        previous=in_domain[i - 1] if i > 0 else None,
        next=in_domain[i + 1] if i + 1 < len(in_domain) else None,
    )


# --------------------------------------------------------------------------- matrix


@dataclass(frozen=True)
class MatrixCell:
    stage: Stage | None
    rank: int  # 0 when the level does not expect the competency


@dataclass(frozen=True)
class MatrixRow:
    competency: Competency
    cells: tuple[MatrixCell, ...]


def matrix_columns(fw: Framework) -> tuple[tuple[Track, tuple[Level, ...]], ...]:
    """Levels by track, each core level followed by its combinations with specialisms."""
    return tuple((t, tuple(lvl for lvl in fw.all_levels if lvl.track == t.id))
                 for t in fw.tracks if fw.levels_in_track(t.id))


def matrix_rows(fw: Framework) -> tuple[DomainGroup, ...]:
    levels = [lvl for _t, lvls in matrix_columns(fw) for lvl in lvls]

    def row(c: Competency) -> MatrixRow:
        cells = []
        for lvl in levels:
            stage_id = lvl.competencies.get(c.id)
            cells.append(MatrixCell(fw.stage(stage_id), stage_number(fw, stage_id)) if stage_id
                         else MatrixCell(None, 0))
        return MatrixRow(c, tuple(cells))

    return group_by_domain(fw, fw.competencies, row)


# --------------------------------------------------------------------------- catalogues


@dataclass(frozen=True)
class TrainingView:
    item: Training
    description: Markup
    competencies: tuple[Competency, ...]  # competencies it develops
    required_by: tuple[Level, ...]  # levels whose eligibility requires it


def training_views(fw: Framework, fragments: Fragments) -> tuple[TrainingView, ...]:
    base = content_dir_of(fw.sources.get(("training", fw.training[0].id), "content/training.yaml")) if fw.training else ""
    developing: dict[str, list[Competency]] = {}
    for c in fw.competencies:
        for t in dict.fromkeys(c.training):
            developing.setdefault(t, []).append(c)
    return tuple(TrainingView(
        t, fragments.block(t.description, base),
        tuple(developing.get(t.id, ())),
        tuple(lvl for lvl in fw.all_levels if lvl.eligibility and t.id in lvl.eligibility.mandatory_training),
    ) for t in fw.training)


@dataclass(frozen=True)
class CredentialView:
    credential: Credential
    description: Markup
    required_by: tuple[Level, ...]  # levels that require this very credential
    preferred_by: tuple[Level, ...]
    one_of_for: tuple[tuple[Level, tuple[Credential, ...]], ...] = ()  # (level, the other options) where it is one of several


def credential_views(fw: Framework, fragments: Fragments) -> tuple[CredentialView, ...]:
    def levels_with(cred: Credential, status: str) -> tuple[Level, ...]:
        return tuple(lvl for lvl in fw.all_levels if any(
            r.one_of == [cred.id] and r.status.value == status for r in lvl.requirements.credentials))

    def options(cred: Credential) -> tuple:
        out = []
        for lvl in fw.all_levels:
            for r in lvl.requirements.credentials:
                if cred.id in r.one_of and len(r.one_of) > 1:
                    out.append((lvl, tuple(fw.credential(c) for c in r.one_of if c != cred.id)))
            for a in lvl.requirements.alternatives:
                if cred.id in a.credentials:
                    out.append((lvl, tuple(fw.credential(c) for c in a.credentials if c != cred.id)))
        return tuple(out)

    return tuple(CredentialView(c, fragments.block(c.description), levels_with(c, "required"),
                                levels_with(c, "preferred"), options(c)) for c in fw.credentials)


# --------------------------------------------------------------------------- compare


def month_counts(fw: Framework) -> tuple[int, ...]:
    """Every number of months the comparison may print; the page words each one in its language's plural."""
    found = set()
    for lvl in fw.all_levels:
        req = lvl.requirements
        found.update(r.within_months_of_hire for r in req.credentials)
        found.add(req.experience.min_months if req.experience else None)
        found.add(req.time_in_level.min_months if req.time_in_level else None)
    return tuple(sorted(n for n in found if n is not None))


def year_counts(fw: Framework) -> tuple[float, ...]:
    """Every number of years of experience the comparison may print (experience written in years)."""
    return tuple(sorted({lvl.requirements.experience.min_years for lvl in fw.all_levels
                         if lvl.requirements.experience and lvl.requirements.experience.min_years is not None}))


def compare_data(fw: Framework) -> dict:
    """Everything compare.js needs, as JSON-ready primitives: content text only, no UI words."""
    stages = [{"id": s.id, "label": s.label} for s in fw.meta.stages]
    competencies = [{"id": c.id, "name": c.name, "domain": fw.domain(c.domain).name,
                     "url": urls.competency(c.id)} for c in fw.competencies]
    levels = {}
    for lvl in fw.all_levels:
        req = lvl.requirements
        til = req.time_in_level
        levels[lvl.id] = {
            "title": lvl.title,
            "url": urls.level(lvl.id),
            "track": fw.track(lvl.track).name,
            "grade": lvl.grade,
            "summary": lvl.summary,
            "stages": {cid: fw.stage_rank(sid) for cid, sid in sorted(lvl.competencies.items())},
            "responsibilities": list(lvl.responsibilities),
            "credentials": [
                {"names": [fw.credential(c).abbreviation or fw.credential(c).name for c in r.one_of],
                 "status": r.status.value, "within": r.within_months_of_hire}
                for r in req.credentials],
            "experience": req.experience.min_months if req.experience else None,
            "experience_years": req.experience.min_years if req.experience else None,
            "time_in_level": til.min_months if til else None,
            "education": list(req.education),
            "kpis": [{"name": k.name, "target": k.target} for k in lvl.kpis],
            "statements": {cid: st.text for cid, st in sorted(lvl.statements.items())},
        }
    return {
        "stages": stages,
        "competencies": competencies,
        "levels": levels,
        "order": [lvl.id for lvl in fw.all_levels],
    }


@dataclass(frozen=True)
class BandView:
    """An overall rating band as the evaluation page shows it: its range of scores and its merit row."""

    id: str
    label: str
    low: float
    high: float  # the highest score in the band, at the model's decimals
    description: Markup
    increases: tuple[float, ...] = ()


def band_views(fw: Framework, fragments: Fragments) -> tuple[BandView, ...]:
    """The evaluation model's bands, highest first (none when the model defines none)."""
    ev = fw.meta.evaluation
    if ev is None or not ev.bands:
        return ()
    step = 10 ** -ev.decimals
    top = max(p.value for p in fw.evaluation_scale.points)
    ordered = sorted(ev.bands, key=lambda b: -b.min)
    merit = fw.meta.merit.increases if fw.meta.merit else {}
    return tuple(BandView(b.id, b.label, b.min, round(top if i == 0 else ordered[i - 1].min - step, ev.decimals),
                          fragments.inline(b.description), tuple(merit.get(b.id, ())))
                 for i, b in enumerate(ordered))
