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
    ChangelogEntry, Competency, Credential, CredentialRequirement, Domain, FormFile, FrameworkFile,
    GlossaryEntry, Indicator, LevelFile, PacketFile, PageFile, RatingScale, Stage, Track, Training,
)
from .validate import ValidatedContent


class Level(LevelFile):
    """A level after inheritance, with its Markdown body."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    body: str = ""
    source: str = ""  # content file, relative to the project
    body_line: int = 1

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
    sources: dict = field(default_factory=dict, compare=False)  # (kind, id) → content file

    @property
    def id(self) -> str:
        """The framework's id (written into its PDFs): `id` in framework.yaml, else made from the title."""
        return self.meta.id or markdown.slugify(self.meta.title) or "framework"

    # lookups ------------------------------------------------------------

    @cached_property
    def _index(self) -> dict:
        return {
            "level": {x.id: x for x in self.levels},
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
        for lvl in self.levels:
            in_track.setdefault(lvl.track, []).append(lvl)
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
        """The level this one builds on: the one it inherits from, else the previous rank in its track."""
        if level.inherits:
            return self.level(level.inherits)
        lower = [x for x in self.levels_in_track(level.track) if x.rank < level.rank]
        return lower[-1] if lower else None

    def expectations(self, level: Level, domains: list[str] | None = None) -> list[Expectation]:
        """The competencies expected at a level with their stage, in domain order."""
        order = self._groups["competency"]
        out = [Expectation(self.competency(cid), self.stage(level.competencies[cid]))
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
        return [f for f in self.forms if applies_to(f.levels, f.tracks, level)]

    def packets_for(self, level: Level) -> list[PacketFile]:
        return [p for p in self.packets if applies_to(p.levels, [], level)
                and all(applies_to(self.form(f).levels, self.form(f).tracks, level) for f in p.forms)]


def applies_to(levels, tracks: list[str], level: Level) -> bool:
    if levels == "all":
        return not tracks or level.track in tracks
    return level.id in levels


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
        sources=sources,
    )


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

    Expectations and responsibilities accumulate; requirements carry over unless
    restated; identity, paths, eligibility and evidence belong to the level alone.
    """
    given = child.model_fields_set
    out: dict = {}
    out["competencies"] = {**parent.competencies, **child.competencies}
    out["responsibilities"] = _merge_lists(parent.responsibilities, child.responsibilities)
    out["scope_notes"] = _merge_lists(parent.scope_notes, child.scope_notes)
    child_kpis = {k.id for k in child.kpis}
    out["kpis"] = [k.model_dump() for k in parent.kpis if k.id not in child_kpis] + [k.model_dump() for k in child.kpis]
    req_given = child.requirements.model_fields_set if "requirements" in given else set()
    req = child.requirements.model_dump()
    parent_req = parent.requirements.model_dump()
    restated = {c for r in child.requirements.credentials for c in r.one_of}
    req["credentials"] = [r for r in parent_req["credentials"] if not restated & set(r["one_of"])] + req["credentials"]
    for key in ("experience", "education", "other"):
        if key not in req_given:
            req[key] = parent_req[key]
    out["requirements"] = req
    if "reports_to" not in given:
        out["reports_to"] = list(parent.reports_to)
    return out


def _merge_lists(first: list[str], second: list[str]) -> list[str]:
    return list(dict.fromkeys([*first, *second]))
