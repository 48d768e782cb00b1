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
    Alternative, Audience, Competency, Credential, CredentialRequirement, Domain, Eligibility, FormFile, FormType,
    LevelPath, PacketFile, RatingScale, RoleFile, SpecialismFile, Stage, Track, Training,
)
from ..listmatch import text_groups
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
    next_step: str  # URL of the page on what the move asks


@dataclass(frozen=True)
class ChangeGroup:
    """One line of "What is new at this level": a kind of change, how many, and the items behind it.

    kind: raised (to `stage`), new-competencies, lowered, new-responsibilities, changed-responsibilities,
    new-credentials, changed-credentials, new-education, experience, new-kpis, new-targets.
    """

    kind: str
    items: tuple
    stage: Stage | None = None

    @property
    def count(self) -> int:
        return len(self.items)


def change_groups(fw: Framework, changes: LevelChanges | None) -> tuple[ChangeGroup, ...]:
    """What a level changes from the level below, grouped so that the box stays short: one line a
    kind of change ("27 competencies raised to Competent"), its items a click away."""
    if changes is None:
        return ()
    groups = []
    for stage in fw.meta.stages:
        raised = tuple(c for c in changes.raised if c.after.id == stage.id)
        if raised:
            groups.append(ChangeGroup("raised", raised, stage))
    for kind, items in (
        ("new-competencies", changes.new_competencies),
        ("lowered", changes.lowered),
        ("new-responsibilities", changes.new_responsibilities),
        ("changed-responsibilities", changes.changed_responsibilities),
        ("new-credentials", credential_needs(fw, changes.new_credentials)),
        ("changed-credentials", tuple(
            (credential_needs(fw, [p.before])[0], credential_needs(fw, [p.after])[0])
            for p in changes.changed_credentials)),
        ("new-education", changes.new_education),
        ("experience", (changes.experience,) if changes.experience else ()),
        ("new-kpis", changes.new_kpis),
        ("new-targets", changes.new_targets),
    ):
        if items:
            groups.append(ChangeGroup(kind, tuple(items)))
    return tuple(groups)


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
    gates: Gates | None
    changes: LevelChanges | None
    whats_new: tuple[ChangeGroup, ...]
    paths_out: tuple[PathOut, ...]
    paths_in: tuple[tuple[Level, LevelPath], ...]
    forms: tuple[Download, ...]
    packets: tuple[Download, ...]
    previous: Level | None
    next: Level | None
    alternatives: tuple[AlternativeNeed, ...] = ()
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


@dataclass(frozen=True)
class Gates:
    """A level's eligibility gates, with what the page shows beside them."""

    eligibility: Eligibility
    min_rating_label: str  # the rating scale's label for the minimum rating
    mandatory_training: tuple[Training, ...]
    discipline_severity: str = ""  # label of the mildest action that counts, for the discipline gate

    @property
    def count(self) -> int:
        """How many gates: each value that is set, each item of a list."""
        values = [getattr(self.eligibility, name) for name in type(self.eligibility).model_fields]
        return sum(len(v) if isinstance(v, (list, tuple)) else 1 for v in values if v not in (None, "", [], {}))


def gates_of(fw: Framework, level: Level) -> Gates | None:
    ev = level.eligibility
    if ev is None:
        return None
    severity = ev.discipline.min_severity if ev.discipline else None
    return Gates(ev, rating_label(fw.evaluation_scale, ev.min_last_rating),
                 tuple(fw.training_item(t) for t in ev.mandatory_training),
                 next((d.label for d in fw.meta.discipline_levels if d.id == severity), ""))


def time_in_level(fw: Framework, level: Level) -> tuple[int, Level | None] | None:
    """(months, the level they are spent in) — by default the level below."""
    til = level.requirements.time_in_level
    if til is None:
        return None
    return til.min_months, fw.level(til.level) if til.level else fw.level_below(level)


def downloads(items, level: Level, pdf_path, pdfs: set[str]) -> tuple[Download, ...]:
    out = []
    for item in items:
        path = pdf_path(item.id, level.id)
        audience = getattr(item, "audience", None)
        out.append(Download(item.title, path if path in pdfs else None, audience.value if audience else ""))
    return tuple(out)


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
    paths_out = tuple(PathOut(p, fw.level(p.to), urls.comparison(level.id, p.to), urls.next_step(level.id, p.to))
                      for p in level.paths)
    return LevelView(
        level=level,
        track=fw.track(level.track),
        summary=level.summary,
        body=fragments.block(level.body, base, LEVEL_SECTION_IDS),
        evidence_description=fragments.block(level.evidence.description, base) if level.evidence else Markup(""),
        expectations=group_by_domain(fw, [e.competency for e in expectations.values()], row),
        credentials=credential_needs(fw, level.requirements.credentials),
        time_in_level=time_in_level(fw, level),
        gates=gates_of(fw, level),
        changes=changes,
        whats_new=change_groups(fw, changes),
        paths_out=paths_out,
        paths_in=tuple(fw.paths_into(level)),
        forms=downloads(fw.forms_for(level), level, urls.form_pdf, pdfs),
        packets=downloads(fw.packets_for(level), level, urls.packet_pdf, pdfs),
        previous=in_track[position - 1] if position > 0 else None,
        next=in_track[position + 1] if position + 1 < len(in_track) else None,
        alternatives=tuple(AlternativeNeed(a, tuple(fw.credential(c) for c in a.credentials))
                           for a in level.requirements.alternatives),
        specialism=fw.specialism(level.specialism) if level.specialism else None,
        core=core,
        with_specialisms=tuple(fw.variants_of(level)),
        roles=tuple(fw.roles_for(level)),
        has_credentials=bool(fw.credentials),
    )


# --------------------------------------------------------------------------- next step


@dataclass(frozen=True)
class GrowthRow:
    """A competency a move asks more of: the stage now and then, what each looks like, training that helps."""

    competency: Competency
    before: Stage | None  # None: not expected before
    after: Stage
    before_anchor: str
    after_anchor: str
    training: tuple[Training, ...]


@dataclass(frozen=True)
class NextStepView:
    source: Level
    target: Level
    path: LevelPath
    changes: LevelChanges
    growth: tuple[DomainGroup, ...]  # GrowthRow per competency raised or new, by domain
    no_longer: tuple[Competency, ...]  # expected at the source level, not at the target
    new_credentials: tuple[CredentialNeed, ...]
    changed_credentials: tuple[tuple[CredentialNeed, CredentialNeed], ...]
    time_in_level: tuple[int, Level | None] | None
    gates: Gates | None
    evidence_description: Markup
    forms: tuple[Download, ...]  # the target level's forms and packets
    packets: tuple[Download, ...]
    compare: str
    other_paths: tuple[PathOut, ...]  # the other moves from the same level

    @property
    def growth_count(self) -> int:
        return sum(len(g.rows) for g in self.growth)


def next_step_view(fw: Framework, source: Level, path: LevelPath, fragments: Fragments,
                   pdfs: set[str]) -> NextStepView:
    """What moving from `source` along `path` asks: the competencies to grow (with the anchors of
    both stages and the training for each), and the requirements, gates, evidence and indicators."""
    target = fw.level(path.to)
    changes = fw.changes_between(source, target)
    grown = {c.competency.id: (c.before, c.after) for c in changes.raised}
    grown.update({e.competency.id: (None, e.stage) for e in changes.new_competencies})

    def row(c: Competency) -> GrowthRow:
        before, after = grown[c.id]
        return GrowthRow(c, before, after, c.anchors.get(before.id, "") if before else "", c.anchors.get(after.id, ""),
                         tuple(fw.training_item(t) for t in c.training))

    return NextStepView(
        source=source,
        target=target,
        path=path,
        changes=changes,
        growth=group_by_domain(fw, [c for c in fw.competencies if c.id in grown], row),
        no_longer=tuple(c for c in fw.competencies if c.id in source.competencies and c.id not in target.competencies),
        new_credentials=credential_needs(fw, changes.new_credentials),
        changed_credentials=tuple((credential_needs(fw, [p.before])[0], credential_needs(fw, [p.after])[0])
                                  for p in changes.changed_credentials),
        time_in_level=time_in_level(fw, target),
        gates=gates_of(fw, target),
        evidence_description=(fragments.block(target.evidence.description, content_dir_of(target.source))
                              if target.evidence else Markup("")),
        forms=downloads(fw.forms_for(target), target, urls.form_pdf, pdfs),
        packets=downloads(fw.packets_for(target), target, urls.packet_pdf, pdfs),
        compare=urls.comparison(source.id, target.id),
        other_paths=tuple(PathOut(p, fw.level(p.to), urls.comparison(source.id, p.to), urls.next_step(source.id, p.to))
                          for p in source.paths if p is not path),
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


PRINT_COLUMNS = 7  # levels per printed table of the matrix (landscape), beside the competency column


@dataclass(frozen=True)
class MatrixPart:
    """A part of the matrix's columns, printed as a table of its own with the competency column repeated."""

    start: int  # index of its first level among all the matrix's levels
    columns: tuple[tuple[Track, tuple[Level, ...]], ...]

    @property
    def end(self) -> int:
        return self.start + sum(len(levels) for _t, levels in self.columns)


def matrix_print_parts(fw: Framework, per_part: int = PRINT_COLUMNS) -> tuple[MatrixPart, ...]:
    """The matrix's levels cut into parts that fit a landscape page: whole tracks together where they
    fit, a track longer than a part cut where it must."""
    parts: list[list[tuple[Track, tuple[Level, ...]]]] = [[]]
    for track, levels in matrix_columns(fw):
        while levels:
            room = per_part - sum(len(lv) for _t, lv in parts[-1])
            if len(levels) > room and parts[-1] and len(levels) <= per_part:
                parts.append([])  # the track fits a part of its own: do not cut it
                continue
            take = levels[:room] if room else ()
            if not take:
                parts.append([])
                continue
            parts[-1].append((track, take))
            levels = levels[len(take):]
    out, start = [], 0
    for columns in parts:
        if columns:
            part = MatrixPart(start, tuple(columns))
            out.append(part)
            start = part.end
    return tuple(out)


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


def ladder_data(fw: Framework) -> dict:
    """Everything compare.js and place.js need, as JSON-ready primitives: content text only, no UI
    words; URLs from the output root.

    List items (responsibilities, credentials, education, indicators) carry identity `keys`: two
    levels' items that share a key are one item, changed (listmatch: an indicator's id, the
    credentials a requirement accepts, a sentence and its rewordings), so the scripts pair them
    without knowing how.
    """
    text_key = {kind: text_groups([getattr_path(lvl, path) for lvl in fw.all_levels])
                for kind, path in TEXT_LISTS.items()}
    levels = {}
    for lvl in fw.all_levels:
        req = lvl.requirements
        til = req.time_in_level
        levels[lvl.id] = {
            "title": lvl.title,
            "label": lvl.label,
            "url": urls.level(lvl.id),
            "track": fw.track(lvl.track).name,
            "grade": lvl.grade,
            "summary": lvl.summary,
            "stages": {cid: fw.stage_rank(sid) for cid, sid in sorted(lvl.competencies.items())},
            **{kind: [{"keys": [f"{kind}:{text_key[kind][t]}"], "text": t} for t in getattr_path(lvl, path)]
               for kind, path in TEXT_LISTS.items()},
            "credentials": [
                {"keys": [f"credential:{c}" for c in r.one_of],
                 "names": [fw.credential(c).abbreviation or fw.credential(c).name for c in r.one_of],
                 "status": r.status.value, "within": r.within_months_of_hire, "notes": r.notes}
                for r in req.credentials],
            "experience": req.experience.min_months if req.experience else None,
            "experience_years": req.experience.min_years if req.experience else None,
            "time_in_level": til.min_months if til else None,
            "kpis": [{"keys": [f"kpi:{k.id}"], "name": k.name, "target": k.target, "period": k.period}
                     for k in lvl.kpis],
            "paths": [{"to": p.to, "kind": p.kind.value, "url": urls.next_step(lvl.id, p.to)} for p in lvl.paths],
            "statements": {cid: st.text for cid, st in sorted(lvl.statements.items())},
        }
    return {
        "stages": [{"id": s.id, "label": s.label} for s in fw.meta.stages],
        "competencies": [{"id": c.id, "name": c.name, "domain": fw.domain(c.domain).name, "url": urls.competency(c.id),
                          "anchors": [c.anchors.get(s.id, "") for s in fw.meta.stages], "training": list(c.training)}
                         for c in fw.competencies],
        "training": {t.id: {"title": t.title, "url": urls.training_item(t.id)} for t in fw.training},
        "levels": levels,
        "order": [lvl.id for lvl in fw.all_levels],
    }


# The lists of plain sentences two levels may share, reworded or not: their name in ladder_data and
# where a level keeps them.
TEXT_LISTS = {"responsibilities": ("responsibilities",), "education": ("requirements", "education"),
              "other": ("requirements", "other")}


def getattr_path(obj, path: tuple[str, ...]):
    for name in path:
        obj = getattr(obj, name)
    return obj


# --------------------------------------------------------------------------- forms page


# When in the review cycle each type of form is used; a type not listed here (an improvement plan,
# started when performance calls for it) is "any time".
MOMENT_OF_TYPE = {
    FormType.NINETY_DAY_REVIEW: "start",
    FormType.COMPETENCY_VALIDATION: "year",
    FormType.SELF_ASSESSMENT: "annual",
    FormType.PEER_FEEDBACK: "annual",
    FormType.FEEDBACK_SUMMARY: "annual",
    FormType.ANNUAL_EVALUATION: "annual",
    FormType.DEVELOPMENT_PLAN: "annual",
    FormType.PROMOTION_READINESS: "promotion",
}
MOMENTS = ("start", "year", "annual", "promotion", "any")


@dataclass(frozen=True)
class TrackPdfs:
    """The PDFs of one form or packet for the levels of one track."""

    track: Track
    pdfs: tuple[tuple[Level, str | None], ...]  # (level, PDF path, or None when the build has no PDFs)


@dataclass(frozen=True)
class FormEntry:
    form: FormFile
    instructions: Markup
    tracks: tuple[TrackPdfs, ...]
    packets: tuple[PacketFile, ...]  # the packets that bind it


@dataclass(frozen=True)
class PacketEntry:
    packet: PacketFile
    instructions: Markup
    forms: tuple[FormFile, ...]  # in the order they are bound
    tracks: tuple[TrackPdfs, ...]


@dataclass(frozen=True)
class Moment:
    """A moment of the review cycle (start, year, annual, promotion, any) and what is used then."""

    key: str
    forms: tuple[FormEntry, ...]
    packets: tuple[PacketEntry, ...]


@dataclass(frozen=True)
class FormsView:
    moments: tuple[Moment, ...]
    packets: tuple[PacketEntry, ...]
    # who fills what: (audience, the forms they fill, in review-cycle order)
    by_audience: tuple[tuple[Audience, tuple[FormFile, ...]], ...]


def pdfs_by_track(fw: Framework, levels: list[Level], pdf_path, item_id: str, pdfs: set[str]) -> tuple[TrackPdfs, ...]:
    out = []
    for track in fw.tracks:
        in_track = tuple((lvl, pdf_path(item_id, lvl.id) if pdf_path(item_id, lvl.id) in pdfs else None)
                         for lvl in levels if lvl.track == track.id)
        if in_track:
            out.append(TrackPdfs(track, in_track))
    return tuple(out)


def forms_view(fw: Framework, fragments: Fragments, pdfs: set[str]) -> FormsView:
    """Every form and packet: by when in the review cycle it is used and by who fills it, each with
    its PDF for every level it is made for."""

    def instructions(kind: str, item) -> Markup:
        return fragments.block(item.instructions, content_dir_of(fw.sources.get((kind, item.id), f"content/{kind}s/x")))

    def moment(form: FormFile) -> str:
        return MOMENT_OF_TYPE.get(form.type, "any")

    types = list(FormType)
    forms = sorted(fw.forms, key=lambda f: (MOMENTS.index(moment(f)), _packet_position(fw, f.id),
                                            types.index(f.type), f.id))
    packets = tuple(PacketEntry(
        p, instructions("packet", p), tuple(fw.form(f) for f in p.forms),
        pdfs_by_track(fw, [lvl for lvl in fw.levels if p in fw.packets_for(lvl)], urls.packet_pdf, p.id, pdfs),
    ) for p in fw.packets)
    entries = {f.id: FormEntry(
        f, instructions("form", f),
        pdfs_by_track(fw, [lvl for lvl in fw.levels if f in fw.forms_for(lvl)], urls.form_pdf, f.id, pdfs),
        tuple(p for p in fw.packets if f.id in p.forms),
    ) for f in forms}
    moments = []
    for key in MOMENTS:
        here = tuple(entries[f.id] for f in forms if moment(f) == key)
        # a packet belongs to the moment of the form it starts with
        bound = tuple(p for p in packets if p.forms and moment(p.forms[0]) == key)
        if here or bound:
            moments.append(Moment(key, here, bound))
    by_audience = tuple((a, tuple(f for f in forms if f.audience is a)) for a in Audience
                        if any(f.audience is a for f in forms))
    return FormsView(tuple(moments), packets, by_audience)


def _packet_position(fw: Framework, form_id: str) -> int:
    """Where a form comes in the first packet that binds it (forms in no packet after the others)."""
    return next((p.forms.index(form_id) for p in fw.packets if form_id in p.forms), 99)
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
