"""Resolve: validated source models → one immutable `Framework`.

Inheritance is applied here (a level states only what changes from the level it
inherits), entries are put in their reading order, and the questions templates
and forms ask ("what is new at this level?", "which forms apply?") are answered
once, in Python, so templates never compute.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from pydantic import ConfigDict

from . import i18n, markdown
from .listmatch import ADDED, CHANGED, Pair, match_lists, similar_text
from .model import (
    ChangelogEntry, Competency, Credential, CredentialRequirement, Domain, EvaluationSection, FormFile,
    FrameworkFile, GlossaryEntry, Indicator, LevelFile, PacketFile, PageFile, RatingScale, RoleFile,
    SpecialismFile, Stage, Statement, Track, Training,
)
from .validate import ValidatedContent


class Level(LevelFile):
    """A level after inheritance, with its Markdown body.

    A level combined with a specialism is a Level too (`core` and `specialism` set), so that
    pages, the matrix, compare, forms and packets exist for the combination without copying the
    level in content. A role's expectations, for its forms, are a Level with `role` set.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    body: str = ""
    source: str = ""  # content file, relative to the project
    body_line: int = 1
    core: str = ""  # for a level with a specialism: the core level's id
    specialism: str = ""  # … and the specialism's id
    role: str = ""  # for a role's expectations: the role's id

    @property
    def label(self) -> str:
        return self.short_title or self.title


class Page(PageFile):
    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str
    body: str = ""
    source: str = ""
    body_line: int = 1


class Glossary(GlossaryEntry):
    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str


@dataclass(frozen=True)
class Expectation:
    competency: Competency
    stage: Stage
    statement: Statement | None = None  # the level's own words, when it has them

    @property
    def shows_anchor(self) -> bool:
        return not (self.statement and self.statement.replaces_anchor)


@dataclass(frozen=True)
class StageChange:
    competency: Competency
    before: Stage
    after: Stage


@dataclass(frozen=True)
class TargetChange:
    """An indicator both levels track, with another target here (targets are text: "≥ 95%")."""

    indicator: Indicator
    before: str


@dataclass(frozen=True)
class LevelChanges:
    """What a level adds to or changes from the level below it."""

    below: Level
    new_competencies: tuple[Expectation, ...] = ()
    raised: tuple[StageChange, ...] = ()
    lowered: tuple[StageChange, ...] = ()
    new_responsibilities: tuple[str, ...] = ()
    new_credentials: tuple[CredentialRequirement, ...] = ()
    new_kpis: tuple[Indicator, ...] = ()
    new_targets: tuple[TargetChange, ...] = ()
    # Items of both levels matched by identity (listmatch): a reworded responsibility, a credential
    # requirement that became required or gained a deadline, is one change, not a removal and an addition.
    changed_responsibilities: tuple[Pair[str], ...] = ()
    changed_credentials: tuple[Pair[CredentialRequirement], ...] = ()
    new_education: tuple[str, ...] = ()
    experience: tuple[int | None, int] | None = None  # (months below, months here) when more is asked here

    @property
    def empty(self) -> bool:
        return not (self.new_competencies or self.raised or self.lowered or self.new_responsibilities
                    or self.new_credentials or self.new_kpis or self.new_targets or self.changed_responsibilities
                    or self.changed_credentials or self.new_education or self.experience)


@dataclass(frozen=True)
class Framework:
    meta: FrameworkFile
    tracks: tuple[Track, ...]
    levels: tuple[Level, ...]  # ordered by track, then rank
    competencies: tuple[Competency, ...]  # ordered by domain, then name
    credentials: tuple[Credential, ...] = ()
    training: tuple[Training, ...] = ()
    glossary: tuple[Glossary, ...] = ()
    changelog: tuple[ChangelogEntry, ...] = ()  # newest first
    pages: tuple[Page, ...] = ()
    forms: tuple[FormFile, ...] = ()
    packets: tuple[PacketFile, ...] = ()
    specialisms: tuple[SpecialismFile, ...] = ()
    roles: tuple[RoleFile, ...] = ()
    variants: tuple[Level, ...] = ()  # each core level combined with each specialism that applies to it
    sources: dict = field(default_factory=dict, compare=False)  # (kind, id) → content file

    @property
    def id(self) -> str:
        """The framework's id (written into its PDFs): `id` in framework.yaml, else made from the title."""
        return self.meta.id or markdown.slugify(self.meta.title) or "framework"

    # lookups ------------------------------------------------------------

    @cached_property
    def _index(self) -> dict:
        return {
            "level": {x.id: x for x in (*self.levels, *self.variants)},
            "specialism": {x.id: x for x in self.specialisms},
            "role": {x.id: x for x in self.roles},
            "competency": {x.id: x for x in self.competencies},
            "track": {x.id: x for x in self.tracks},
            "credential": {x.id: x for x in self.credentials},
            "training": {x.id: x for x in self.training},
            "form": {x.id: x for x in self.forms},
            "packet": {x.id: x for x in self.packets},
            "page": {x.id: x for x in self.pages},
            "stage": {x.id: x for x in self.meta.stages},
            "scale": {x.id: x for x in self.meta.scales},
            "domain": {x.id: x for x in self.meta.domains},
            "method": {x.id: x for x in self.meta.validation_methods},
        }

    def level(self, id: str) -> Level:
        return self._index["level"][id]

    def specialism(self, id: str) -> SpecialismFile:
        return self._index["specialism"][id]

    def role(self, id: str) -> RoleFile:
        return self._index["role"][id]

    @cached_property
    def all_levels(self) -> tuple[Level, ...]:
        """The core levels, each followed by its combinations with specialisms."""
        out = []
        for level in self.levels:
            out.append(level)
            out.extend(v for v in self.variants if v.core == level.id)
        return tuple(out)

    def variants_of(self, level: Level) -> list[Level]:
        return [v for v in self.variants if v.core == level.id]

    def evaluation_sections(self, level: Level) -> list[EvaluationSection]:
        """The weighted sections that apply to a level (its track's own weights, else the default)."""
        ev = self.meta.evaluation
        return ev.sections_for(level.track) if ev else []

    def competency(self, id: str) -> Competency:
        return self._index["competency"][id]

    def track(self, id: str) -> Track:
        return self._index["track"][id]

    def credential(self, id: str) -> Credential:
        return self._index["credential"][id]

    def training_item(self, id: str) -> Training:
        return self._index["training"][id]

    def form(self, id: str) -> FormFile:
        return self._index["form"][id]

    def packet(self, id: str) -> PacketFile:
        return self._index["packet"][id]

    def stage(self, id: str) -> Stage:
        return self._index["stage"][id]

    def domain(self, id: str) -> Domain:
        return self._index["domain"][id]

    def method(self, id: str):
        return self._index["method"][id]

    def scale(self, id: str | None = None) -> RatingScale:
        """The named rating scale, or the framework's default (its first)."""
        return self._index["scale"][id] if id else self.meta.scales[0]

    @property
    def evaluation_scale(self) -> RatingScale:
        ev = self.meta.evaluation
        return self.scale(ev.scale if ev else None)

    @cached_property
    def _groups(self) -> dict:
        """Who belongs with whom, gathered once: every page asks, and asking the whole framework each
        time made a build grow with the square of its size (see docs/security.md, Bounded work)."""
        in_track: dict[str, list[Level]] = {}
        into: dict[str, list] = {}
        expecting: dict[str, list[Level]] = {}
        for lvl in self.levels:  # core levels: a level with a specialism stands where its core level does
            in_track.setdefault(lvl.track, []).append(lvl)
        for lvl in self.all_levels:
            for path in lvl.paths:
                into.setdefault(path.to, []).append((lvl, path))
            for comp_id in lvl.competencies:
                expecting.setdefault(comp_id, []).append(lvl)
        in_domain: dict[str, list[Competency]] = {}
        for comp in self.competencies:
            in_domain.setdefault(comp.domain, []).append(comp)
        return {
            "track": in_track, "into": into, "expecting": expecting, "domain": in_domain,
            "stage": {s.id: i for i, s in enumerate(self.meta.stages)},
            "competency": {c.id: i for i, c in enumerate(self.competencies)},
            "in_track": {lvl.id: i for levels in in_track.values() for i, lvl in enumerate(levels)},
            "in_domain": {c.id: i for comps in in_domain.values() for i, c in enumerate(comps)},
        }

    def stage_rank(self, stage_id: str) -> int:
        try:
            return self._groups["stage"][stage_id]
        except KeyError:
            raise ValueError(f"{stage_id!r} is not a stage") from None

    # questions about levels ---------------------------------------------

    def label(self, key: str, default: str, gettext=lambda text: text) -> str:
        """The framework's own word for a label (`vocabulary`), else ladderbuild's default, translated."""
        return getattr(self.meta.vocabulary, key) or gettext(default)

    def levels_in_track(self, track_id: str) -> list[Level]:
        return list(self._groups["track"].get(track_id, ()))

    def position_in_track(self, level: Level) -> int:
        """Where `level` stands in `levels_in_track(level.track)` (0 = lowest)."""
        return self._groups["in_track"][level.id]

    def competencies_in_domain(self, domain_id: str) -> list[Competency]:
        return list(self._groups["domain"].get(domain_id, ()))

    def position_in_domain(self, competency: Competency) -> int:
        """Where `competency` stands in `competencies_in_domain(competency.domain)`."""
        return self._groups["in_domain"][competency.id]

    def level_below(self, level: Level) -> Level | None:
        """The level this one builds on: the one it inherits from, else the previous rank in its track
        (for a level with a specialism: the core level)."""
        if level.core:
            return self.level(level.core)
        if level.inherits:
            return self.level(level.inherits)
        lower = [x for x in self.levels_in_track(level.track) if x.rank < level.rank]
        return lower[-1] if lower else None

    def expectations(self, level: Level, domains: list[str] | None = None) -> list[Expectation]:
        """The competencies expected at a level with their stage, in domain order."""
        order = self._groups["competency"]
        out = [Expectation(self.competency(cid), self.stage(level.competencies[cid]), level.statements.get(cid))
               for cid in sorted(level.competencies, key=lambda cid: order.get(cid, len(order)))
               if cid in order]
        if domains:
            out = [e for e in out if e.competency.domain in domains]
        return out

    def changes_from_below(self, level: Level) -> LevelChanges | None:
        below = self.level_below(level)
        return None if below is None else self.changes_between(below, level)

    def changes_between(self, below: Level, level: Level) -> LevelChanges:
        """What `level` asks beyond `below`: the level below it, or the level a path leads from."""
        new, raised, lowered = [], [], []
        for exp in self.expectations(level):
            before_id = below.competencies.get(exp.competency.id)
            if before_id is None:
                new.append(exp)
            elif self.stage_rank(exp.stage.id) > self.stage_rank(before_id):
                raised.append(StageChange(exp.competency, self.stage(before_id), exp.stage))
            elif self.stage_rank(exp.stage.id) < self.stage_rank(before_id):
                lowered.append(StageChange(exp.competency, self.stage(before_id), exp.stage))
        responsibilities = match_lists(below.responsibilities, level.responsibilities, similar=similar_text)
        credentials = match_lists(below.requirements.credentials, level.requirements.credentials,
                                  identity=lambda r: r.one_of)
        kpis = match_lists(below.kpis, level.kpis, identity=lambda k: [k.id])
        education = match_lists(below.requirements.education, level.requirements.education)
        months = [r.experience.min_months if r.experience else None for r in (below.requirements, level.requirements)]
        return LevelChanges(
            below=below,
            new_competencies=tuple(new),
            raised=tuple(raised),
            lowered=tuple(lowered),
            new_responsibilities=tuple(p.after for p in responsibilities if p.status == ADDED),
            new_credentials=tuple(p.after for p in credentials if p.status == ADDED),
            new_kpis=tuple(p.after for p in kpis if p.status == ADDED),
            new_targets=tuple(TargetChange(p.after, p.before.target) for p in kpis
                              if p.status == CHANGED and p.after.target != p.before.target),
            changed_responsibilities=tuple(p for p in responsibilities if p.status == CHANGED),
            changed_credentials=tuple(p for p in credentials if p.status == CHANGED),
            new_education=tuple(p.after for p in education if p.status == ADDED),
            experience=(months[0], months[1]) if months[1] is not None and months[1] > (months[0] or 0) else None,
        )

    def paths_into(self, level: Level) -> list[tuple[Level, object]]:
        return list(self._groups["into"].get(level.id, ()))

    def levels_expecting(self, competency: Competency) -> list[tuple[Level, Stage]]:
        return [(lvl, self.stage(lvl.competencies[competency.id]))
                for lvl in self._groups["expecting"].get(competency.id, ())]

    def forms_for(self, level: Level) -> list[FormFile]:
        if level.role:
            return [f for f in self.forms if level.role in f.roles]
        return [f for f in self.forms if for_levels(f) and applies_to(f.levels, f.tracks, level)]

    def packets_for(self, level: Level) -> list[PacketFile]:
        if level.role:
            return []
        return [p for p in self.packets if applies_to(p.levels, [], level)
                and all(for_levels(self.form(f)) and applies_to(self.form(f).levels, self.form(f).tracks, level)
                        for f in p.forms)]

    @cached_property
    def role_levels(self) -> tuple[Level, ...]:
        """Each role's own expectations as a Level, for the role's forms."""
        return tuple(role_level(r) for r in self.roles)

    def roles_for(self, level: Level) -> list[RoleFile]:
        core = level.core or level.id
        return [r for r in self.roles if not r.levels or core in r.levels]


def for_levels(form: FormFile) -> bool:
    """A form with `roles` is made for levels only when its `levels` are given as well."""
    return not form.roles or "levels" in form.model_fields_set


def applies_to(levels, tracks: list[str], level: Level) -> bool:
    """Whether a form's (or packet's) `levels`/`tracks` cover a level; a level with a specialism is
    covered where its core level is."""
    if levels == "all":
        return not tracks or level.track in tracks
    return level.id in levels or (level.core and level.core in levels)


# --------------------------------------------------------------------------- building the Framework


def resolve(content: ValidatedContent) -> Framework:
    """Build the Framework from content that validated without errors."""
    catalogue = i18n.translations_for(content.framework.model.locale)

    def gettext(text: str) -> str:
        return catalogue.gettext(text) if text else text  # gettext("") is the catalogue's header

    fw = localise_framework(content.framework.model, gettext)
    tracks = [e.model for e in content.of("tracks")]
    track_order = {t.id: i for i, t in enumerate(tracks)}
    domain_order = {d.id: i for i, d in enumerate(fw.domains)}
    level_entries = {e.model.id: e for e in content.of("level")}
    resolved: dict[str, Level] = {}

    def resolve_level(level_id: str) -> Level:
        if level_id in resolved:
            return resolved[level_id]
        entry = level_entries[level_id]
        spec: LevelFile = entry.model
        parent = resolve_level(spec.inherits) if spec.inherits else None
        data = spec.model_dump()
        if parent is not None:
            data.update(inherit(parent, spec))
        if spec.evidence and spec.evidence.points:
            data["evidence"]["points"]["categories"] = [
                shared_category(fw, c) for c in spec.evidence.points.categories]
        level = Level(**data, body=entry.doc.body, source=entry.doc.rel, body_line=entry.doc.body_line)
        resolved[level_id] = level
        return level

    levels = sorted((resolve_level(lid) for lid in level_entries),
                    key=lambda x: (track_order.get(x.track, 99), x.rank, x.id))
    # Names in the locale's alphabetical order; in Chinese, Japanese and Korean (no alphabet) the
    # author's order: `order` keys, then the order of the files and of the entries in them.
    by_name = i18n.alphabetical(fw.locale) or (lambda _name: 0)
    competencies = sorted((e.model for e in content.of("competency")),
                          key=lambda c: (domain_order.get(c.domain, 99), c.order, by_name(c.name)))
    pages = sorted(
        (Page(**e.model.model_dump(exclude={"id"}), id=e.model.id or e.doc.path.stem, body=e.doc.body,
              source=e.doc.rel, body_line=e.doc.body_line) for e in content.of("page")),
        key=lambda p: (p.order, by_name(p.title)))
    glossary = sorted(
        (Glossary(**e.model.model_dump(exclude={"id"}), id=e.model.id or markdown.slugify(e.model.term))
         for e in content.of("glossary")), key=lambda g: by_name(g.term))
    sources = {(kind, getattr(e.model, "id", None) or e.doc.path.stem): e.doc.rel
               for kind, entries in content.entries.items() for e in entries}
    specialisms = tuple(sorted((e.model for e in content.of("specialism")), key=lambda x: by_name(x.name)))
    stage_rank = {s.id: i for i, s in enumerate(fw.stages)}
    variants = tuple(with_specialism(lvl, spec, specialisms, stage_rank, sources.get(("specialism", spec.id), ""))
                     for lvl in levels for spec in specialisms if lvl.id in spec.levels)
    return Framework(
        meta=fw,
        tracks=tuple(tracks),
        levels=tuple(levels),
        competencies=tuple(competencies),
        credentials=tuple(e.model for e in content.of("credentials")),
        training=tuple(sorted((e.model for e in content.of("training")), key=lambda t: by_name(t.title))),
        glossary=tuple(glossary),
        changelog=tuple(sorted((e.model for e in content.of("changelog")), key=lambda c: c.date, reverse=True)),
        pages=tuple(pages),
        forms=tuple(sorted((localise_form(e.model, gettext) for e in content.of("form")), key=lambda f: f.id)),
        packets=tuple(sorted((e.model for e in content.of("packet")), key=lambda p: p.id)),
        specialisms=specialisms,
        roles=tuple(sorted((e.model for e in content.of("role")), key=lambda x: by_name(x.title))),
        variants=variants,
        sources=sources,
    )


def shared_category(fw: FrameworkFile, category) -> dict:
    """A level's points category, completed from the framework's category of the same id: the
    level's own keys (its cap, its minimum) win."""
    shared = next((c for c in fw.points_categories if c.id == category.id), None)
    if shared is None:
        return category.model_dump()
    return {**shared.model_dump(), **category.model_dump(include=category.model_fields_set)}


def with_specialism(level: Level, spec: SpecialismFile, specialisms, stage_rank: dict[str, int],
                    source: str) -> Level:
    """A core level with a specialism layered on: its competencies added or raised (never lowered),
    its lists added, its requirements joined to the level's; paths lead to the same specialism at
    the target level where the specialism applies there."""
    competencies = dict(level.competencies)
    for cid, stage in spec.competencies.items():
        if cid not in competencies or stage_rank.get(stage, 0) > stage_rank.get(competencies[cid], 0):
            competencies[cid] = stage
    req = level.requirements.model_dump()
    req["credentials"] += [r.model_dump() for r in spec.requirements.credentials]
    req["alternatives"] += [r.model_dump() for r in spec.requirements.alternatives]
    req["education"] = _merge_lists(req["education"], spec.requirements.education)
    req["other"] = _merge_lists(req["other"], spec.requirements.other)
    for key in ("experience", "time_in_level"):
        if getattr(spec.requirements, key) is not None:
            req[key] = getattr(spec.requirements, key).model_dump()
    spec_kpis = {k.id for k in spec.kpis}
    paths = [p.model_copy(update={"to": combined_id(p.to, spec.id)}) if p.to in spec.levels else p
             for p in level.paths]
    data = level.model_dump(exclude={"body", "source", "body_line", "core", "specialism", "role"})
    data.update(
        id=combined_id(level.id, spec.id),
        title=f"{level.title} · {spec.name}",
        short_title=f"{level.label} · {spec.short_name or spec.name}",
        inherits=level.id,
        summary=spec.summary,
        competencies=competencies,
        statements={**level.statements, **spec.statements},
        responsibilities=_merge_lists(level.responsibilities, spec.responsibilities),
        scope_notes=_merge_lists(level.scope_notes, spec.scope_notes),
        requirements=req,
        kpis=[k.model_dump() for k in level.kpis if k.id not in spec_kpis] + [k.model_dump() for k in spec.kpis],
        paths=[p.model_dump() for p in paths],
        reports_to=list(spec.reports_to or level.reports_to),
        pay_differential=spec.pay_differential or level.pay_differential,
        entry=False,
    )
    return Level(**data, body=spec.description, source=source, core=level.id, specialism=spec.id)


def combined_id(level_id: str, specialism_id: str) -> str:
    """The id (and page name) of a level with a specialism: `ma-2--cardiology`."""
    return f"{level_id}--{specialism_id}"


def role_level(role: RoleFile) -> Level:
    """A role's expectations as a Level, so that its forms are made like any level's."""
    return Level.model_construct(
        id=f"role-{role.id}", title=role.title, short_title="", track="", rank=1, grade="", entry=False,
        inherits=None, summary=role.summary, responsibilities=list(role.responsibilities), scope_notes=[],
        requirements=role.requirements, eligibility=None, evidence=None, competencies=dict(role.competencies),
        statements=dict(role.statements), remove=LevelFile.model_fields["remove"].default, kpis=list(role.kpis),
        paths=[], reports_to=[], pay_differential=role.pay_differential, body=role.description, source="",
        body_line=1, core="", specialism="", role=role.id)


def localise_framework(fw: FrameworkFile, gettext) -> FrameworkFile:
    """The framework with the defaults the author left out (N/A, the validation methods …) in its language.

    Text the author wrote is never touched: only fields not set in the file are translated.
    """
    update: dict = {}
    scales = [s.model_copy(update={"not_applicable": s.not_applicable.model_copy(
                  update={"label": gettext(s.not_applicable.label)})})
              if "label" not in s.not_applicable.model_fields_set else s for s in fw.scales]
    if scales != list(fw.scales):
        update["scales"] = scales
    if fw.evaluation and "label" not in fw.evaluation.model_fields_set:
        update["evaluation"] = fw.evaluation.model_copy(update={"label": gettext(fw.evaluation.label)})
    if "outcomes" not in fw.interviews.model_fields_set:
        update["interviews"] = fw.interviews.model_copy(
            update={"outcomes": [gettext(o) for o in fw.interviews.outcomes]})
    if fw.merit and "label" not in fw.merit.model_fields_set:
        update["merit"] = fw.merit.model_copy(update={"label": gettext(fw.merit.label)})
    if "validation_methods" not in fw.model_fields_set:
        update["validation_methods"] = [
            m.model_copy(update={"label": gettext(m.label), "description": gettext(m.description)})
            for m in fw.validation_methods]
    return fw.model_copy(update=update) if update else fw


def localise_form(form: FormFile, gettext) -> FormFile:
    """The form with default section texts (the decision's options) in the framework's language."""
    sections = [s.model_copy(update={"options": [gettext(o) for o in s.options]})
                if s.kind == "decision" and "options" not in s.model_fields_set else s for s in form.sections]
    return form.model_copy(update={"sections": sections}) if sections != list(form.sections) else form


def inherit(parent: Level, child: LevelFile) -> dict:
    """The fields a child level takes from its parent (documented in docs/content-format.md).

    Expectations, responsibilities, scope notes and indicators accumulate; requirements carry
    over unless restated; the child's `remove:` drops inherited items (to replace one, remove it
    and add the new wording). Identity, statements, paths, eligibility, evidence, `reports_to`
    and the pay differential belong to the level alone.
    """
    gone = child.remove
    given = child.model_fields_set
    out: dict = {}
    out["competencies"] = {**{c: s for c, s in parent.competencies.items() if c not in gone.competencies},
                           **child.competencies}
    out["responsibilities"] = _merge_lists(_without(parent.responsibilities, gone.responsibilities),
                                           child.responsibilities)
    out["scope_notes"] = _merge_lists(_without(parent.scope_notes, gone.scope_notes), child.scope_notes)
    child_kpis = {k.id for k in child.kpis} | set(gone.kpis)
    out["kpis"] = [k.model_dump() for k in parent.kpis if k.id not in child_kpis] + [k.model_dump() for k in child.kpis]
    req_given = child.requirements.model_fields_set if "requirements" in given else set()
    req = child.requirements.model_dump()
    parent_req = parent.requirements.model_dump()
    restated = {c for r in child.requirements.credentials for c in r.one_of} | set(gone.credentials)
    req["credentials"] = [r for r in parent_req["credentials"] if not restated & set(r["one_of"])] + req["credentials"]
    if "alternatives" not in req_given:
        req["alternatives"] = [a for a in parent_req["alternatives"] if not set(gone.credentials) & set(a["credentials"])]
    if "experience" not in req_given:
        req["experience"] = parent_req["experience"]
    for key, dropped in (("education", gone.education), ("other", gone.other)):
        if key not in req_given:
            req[key] = _without(parent_req[key], dropped)
    out["requirements"] = req
    return out


def _without(items: list[str], dropped: list[str]) -> list[str]:
    return [x for x in items if x not in dropped]


def _merge_lists(first: list[str], second: list[str]) -> list[str]:
    return list(dict.fromkeys([*first, *second]))
