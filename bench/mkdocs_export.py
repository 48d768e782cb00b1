"""The same framework as a plain MkDocs site: one Markdown page per handbook page, with the same text.

The handbook's pages each have a Markdown twin: the home page (summary and
the ladders), the competency list by domain, the level × competency matrix,
the training, credential and glossary catalogues, the change log, one page
per level (summary, responsibilities, requirements, the expected stage and
anchor of every competency by domain, changes from the level below, paths,
KPIs, evidence, body), one per competency (description, anchors by stage
with the levels expecting each, evidence, critical steps, methods,
training), one per content page, the Downloads page, a job description per level, an
interview guide per level with questions, the forms page (each form's instructions and the levels
it is made for), one page per path between levels (the competencies to grow with the anchors of
both stages, the new responsibilities), and one per specialism and role (what it adds, the levels
it goes with). A level combined with a specialism is a level of its own, as in the handbook. The search page, 404 page and search index MkDocs makes
itself; the interactive level comparison and self-placement have no twin.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from ladderbuild.hiring import has_interview, interview_view, job_terms
from ladderbuild.resolve import Framework

_CATALOGUE_LINK = re.compile(r"\]\(\.\./(training|credentials|glossary)\.yaml")


def _cell(text: str) -> str:
    """Text that fits in one Markdown table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _body(text: str) -> str:
    return _CATALOGUE_LINK.sub(lambda m: f"](../{m.group(1)}.md", text or "")


def _bullets(items) -> list[str]:
    return [f"- {_cell(item)}" for item in items] + [""]


def home(fw: Framework) -> str:
    out = [f"# {fw.meta.title}", "", fw.meta.summary, ""]
    for track in fw.tracks:
        out += [f"## {track.name}", "", (track.description or "").strip(), ""]
        out += [f"{lvl.rank}. [{lvl.title}](levels/{lvl.id}.md) — {_cell(lvl.summary)}"
                for lvl in fw.levels_in_track(track.id)] + [""]
    return "\n".join(out)


def competencies(fw: Framework) -> str:
    out = ["# Competencies", ""]
    for domain in fw.meta.domains:
        comps = [c for c in fw.competencies if c.domain == domain.id]
        if comps:
            out += [f"## {domain.name}", "", (domain.description or "").strip(), ""]
            out += [f"- [{c.name}](competencies/{c.id}.md): {_cell(c.description)}" for c in comps] + [""]
    return "\n".join(out)


def matrix(fw: Framework) -> str:
    levels = list(fw.levels)
    out = ["# Competency matrix", "", "| Competency | " + " | ".join(lvl.short_title or lvl.title for lvl in levels) + " |",
           "|---" * (len(levels) + 1) + "|"]
    for comp in fw.competencies:
        cells = [fw.stage(lvl.competencies[comp.id]).label if comp.id in lvl.competencies else "" for lvl in levels]
        out.append(f"| [{comp.name}](competencies/{comp.id}.md) | " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def level(fw: Framework, lvl) -> str:
    out = [f"# {lvl.title}", "", f"*{fw.track(lvl.track).name}, rank {lvl.rank}*", "", lvl.summary or "", ""]
    if lvl.responsibilities:
        out += ["## Responsibilities", ""] + _bullets(lvl.responsibilities)
    if lvl.scope_notes:
        out += ["## Scope", ""] + _bullets(lvl.scope_notes)
    req = lvl.requirements
    if req.credentials:
        out += ["## Credentials", ""] + _bullets(
            " or ".join(fw.credential(c).name for c in r.one_of) + f" ({r.status.value})" for r in req.credentials)
    if req.time_in_level:
        out += [f"Time in level: at least {req.time_in_level.min_months} months.", ""]
    out += ["## Competencies", ""]
    expected = fw.expectations(lvl)
    for domain in fw.meta.domains:
        rows = [e for e in expected if e.competency.domain == domain.id]
        if rows:
            out += [f"### {domain.name}", "", "| Competency | Stage | What it looks like |", "|---|---|---|"]
            out += [f"| [{e.competency.name}](../competencies/{e.competency.id}.md) | {e.stage.label} | "
                    f"{_cell(e.competency.anchors.get(e.stage.id, ''))} |" for e in rows] + [""]
    changes = fw.changes_from_below(lvl)
    if changes is not None and not changes.empty:
        out += [f"## What changes from {changes.below.title}", ""]
        out += _bullets([f"New: {e.competency.name} ({e.stage.label})" for e in changes.new_competencies]
                        + [f"Raised: {c.competency.name} ({c.before.label} → {c.after.label})" for c in changes.raised]
                        + list(changes.new_responsibilities))
    if lvl.kpis:
        out += ["## Key indicators", "", "| Indicator | Target |", "|---|---|"]
        out += [f"| {_cell(k.name)} | {_cell(k.target)} |" for k in lvl.kpis] + [""]
    if lvl.evidence:
        out += ["## Evidence", "", _body(lvl.evidence.description), ""]
        out += _bullets(f"{i.description} (×{i.count})" for i in lvl.evidence.items)
    if lvl.paths:
        out += ["## Where it leads", ""] + _bullets(
            f"[{fw.level(p.to).title}]({p.to}.md)" for p in lvl.paths)
    return "\n".join(out + [_body(lvl.body)])


def competency(fw: Framework, comp) -> str:
    out = [f"# {comp.name}", "", f"*{fw.domain(comp.domain).name}*", "", _body(comp.description), "",
           "## Stages", "", "| Stage | What it looks like | Expected at |", "|---|---|---|"]
    expecting = fw.levels_expecting(comp)
    for stage in fw.meta.stages:
        at = ", ".join(f"[{lvl.title}](../levels/{lvl.id}.md)" for lvl, st in expecting if st.id == stage.id)
        out.append(f"| {stage.label} | {_cell(comp.anchors.get(stage.id, ''))} | {at} |")
    out.append("")
    if comp.evidence_examples:
        out += ["## Evidence", ""] + _bullets(comp.evidence_examples)
    if comp.critical_steps:
        out += ["## Critical steps", ""] + _bullets(comp.critical_steps)
    if comp.validation_methods:
        out += ["## Validation", ""] + _bullets(fw.method(m).label for m in comp.validation_methods)
    if comp.training:
        out += ["## Training", ""] + _bullets(fw.training_item(t).title for t in comp.training)
    return "\n".join(out)


def job(fw: Framework, lvl) -> str:
    """The job description page: the level as a recruiter posts it (hiring.job_view's facts)."""
    terms = job_terms(fw, lvl)
    out = [f"# Job description: {lvl.title}", "", _body(terms.summary or lvl.summary), ""]
    out += ["## Responsibilities", ""] + _bullets(lvl.responsibilities)
    out += ["## Requirements", ""] + _bullets(
        " or ".join(fw.credential(c).name for c in r.one_of) for r in lvl.requirements.credentials)
    out += ["## Competencies", ""] + _bullets(f"{e.competency.name}: {e.stage.label}" for e in fw.expectations(lvl))
    if terms.working_conditions or terms.physical_demands:
        out += ["## Working conditions", ""] + _bullets([*terms.working_conditions, *terms.physical_demands])
    return "\n".join(out + [_body(terms.statement)])


def interview(fw: Framework, lvl) -> str:
    guide = interview_view(fw, lvl, lambda text: text)
    out = [f"# Interview guide: {lvl.title}", ""]
    for comp in guide.competencies:
        out += [f"## {comp.name}", ""]
        for q in comp.questions:
            out += [f"{q.number}. **{q.question}**", "", f"A strong answer at {q.answer_stage.label} shows: "
                    f"{q.strong_answer}", ""] + _bullets(q.follow_ups)
    return "\n".join(out)


def downloads(fw: Framework) -> str:
    out = ["# Downloads", "", "| Level | Job description | Interview guide | Worksheet |", "|---|---|---|---|"]
    out += [f"| {lvl.title} | [Page](jobs/{lvl.id}.md) | "
            + (f"[Page](interviews/{lvl.id}.md)" if has_interview(fw, lvl) else "") + " | XLSX · CSV |"
            for lvl in fw.levels]
    return "\n".join(out) + "\n"


def forms(fw: Framework) -> str:
    out = ["# Forms and packets", ""]
    for item in (*fw.forms, *fw.packets):
        levels = [lvl for lvl in fw.levels if item in (*fw.forms_for(lvl), *fw.packets_for(lvl))]
        out += [f"## {item.title}", "", _body(item.instructions), ""]
        out += _bullets(f"{lvl.title}: `{item.id}--{lvl.id}.pdf`" for lvl in levels)
    return "\n".join(out)


def next_step(fw: Framework, source, path) -> str:
    target = fw.level(path.to)
    changes = fw.changes_between(source, target)
    out = [f"# From {source.title} to {target.title}", "", f"*{path.kind.value}*", ""] + _bullets(path.criteria)
    out += ["## Competencies to grow", "", f"| Competency | At {source.title} | At {target.title} |", "|---|---|---|"]
    for c in changes.raised:
        out.append(f"| [{c.competency.name}](../../competencies/{c.competency.id}.md) | {c.before.label}: "
                   f"{_cell(c.competency.anchors.get(c.before.id, ''))} | {c.after.label}: "
                   f"{_cell(c.competency.anchors.get(c.after.id, ''))} |")
    for e in changes.new_competencies:
        out.append(f"| [{e.competency.name}](../../competencies/{e.competency.id}.md) | | {e.stage.label}: "
                   f"{_cell(e.competency.anchors.get(e.stage.id, ''))} |")
    out += ["", "## New responsibilities", ""] + _bullets(changes.new_responsibilities)
    return "\n".join(out)


def layered(fw: Framework, title: str, item, levels) -> str:
    """A specialism's or role's page: summary, description, the levels it goes with, what it adds."""
    out = [f"# {title}", "", item.summary, "", _body(item.description), ""]
    if levels:
        out += ["## Levels", ""] + _bullets(f"[{lvl.title}](../levels/{lvl.id}.md)" for lvl in levels)
    if item.competencies:
        out += ["## Competencies", "", "| Competency | Stage | What it looks like |", "|---|---|---|"]
        out += [f"| [{fw.competency(cid).name}](../competencies/{cid}.md) | {fw.stage(stage).label} | "
                f"{_cell(fw.competency(cid).anchors.get(stage, ''))} |" for cid, stage in item.competencies.items()]
        out.append("")
    for heading, items in (("Responsibilities", item.responsibilities), ("How it is given", item.criteria)):
        if items:
            out += [f"## {heading}", ""] + _bullets(items)
    if item.kpis:
        out += ["## Key indicators", "", "| Indicator | Target |", "|---|---|"]
        out += [f"| {_cell(k.name)} | {_cell(k.target)} |" for k in item.kpis] + [""]
    return "\n".join(out)


def catalogue(title: str, entries) -> str:
    out = [f"# {title}", ""]
    for heading, text in entries:
        out += [f"## {heading}", "", _body(text or ""), ""]
    return "\n".join(out)


def evaluation(fw: Framework) -> str:
    """The handbook's evaluation page: the weights, the rating bands and the merit guide, as tables."""
    out = ["# How evaluations are scored", ""]
    ev = fw.meta.evaluation
    if ev:
        out += [f"## {ev.label}", "", "| Section | Weight |", "|---|---|"]
        out += [f"| {_cell(s.label)} | {s.weight:g}% |" for s in ev.sections]
        out += ["", _body(ev.formula), ""]
        if ev.bands:
            out += ["## Overall rating", "", "| Overall rating | From |", "|---|---|"]
            out += [f"| {_cell(b.label)} | {b.min:g} |" for b in sorted(ev.bands, key=lambda b: -b.min)]
    if fw.meta.merit:
        merit = fw.meta.merit
        out += ["", f"## {merit.label}", "", "| Overall rating | " + " | ".join(_cell(p.label) for p in merit.positions)
                + " |", "|---|" + "---|" * len(merit.positions)]
        out += [f"| {band} | " + " | ".join(f"{v:g}%" for v in row) + " |" for band, row in merit.increases.items()]
    return "\n".join(out)


def export(fw: Framework, target: Path) -> Path:
    """Write `target/mkdocs.yml` and `target/docs/`; returns the number of pages written."""
    target = Path(target)
    docs = target / "docs"
    if docs.exists():
        shutil.rmtree(docs)
    pages = {
        "index.md": home(fw),
        "competencies.md": competencies(fw),
        "matrix.md": matrix(fw),
        "training.md": catalogue("Training", ((t.title, t.description) for t in fw.training)),
        "credentials.md": catalogue("Credentials", ((c.name, c.description) for c in fw.credentials)),
        "glossary.md": catalogue("Glossary", ((g.term, g.definition) for g in fw.glossary)),
        "changes.md": catalogue("What changed", ((c.version, c.summary) for c in fw.changelog)),
        "downloads.md": downloads(fw),
        "forms.md": forms(fw),
    }
    # A level with a specialism is a level of its own (page, job, interview guide, next steps), as in the
    # handbook.
    pages.update({f"jobs/{lvl.id}.md": job(fw, lvl) for lvl in fw.all_levels})
    pages.update({f"interviews/{lvl.id}.md": interview(fw, lvl) for lvl in fw.all_levels if has_interview(fw, lvl)})
    if fw.meta.evaluation or fw.meta.merit:
        pages["evaluation.md"] = evaluation(fw)
    pages.update({f"levels/{lvl.id}.md": level(fw, lvl) for lvl in fw.all_levels})
    pages.update({f"specialisms/{spec.id}.md": layered(fw, spec.name, spec,
                                                       [v for v in fw.variants if v.specialism == spec.id])
                  for spec in fw.specialisms})
    pages.update({f"roles/{role.id}.md": layered(fw, role.title, role, [fw.level(i) for i in role.levels])
                  for role in fw.roles})
    pages.update({f"competencies/{c.id}.md": competency(fw, c) for c in fw.competencies})
    pages.update({f"pages/{p.id}.md": f"# {p.title}\n\n{_body(p.body)}" for p in fw.pages})
    pages.update({f"next/{lvl.id}/{p.to}.md": next_step(fw, lvl, p) for lvl in fw.all_levels for p in lvl.paths})
    for path, text in pages.items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text(text, encoding="utf-8")
    # Directory URLs off: like the handbook, the site works straight from disk.
    (target / "mkdocs.yml").write_text(f"site_name: {fw.meta.title!r}\nuse_directory_urls: false\n"
                                       "theme:\n  name: mkdocs\nplugins:\n  - search\n", encoding="utf-8")
    return target


def page_count(target: Path) -> int:
    return sum(1 for _ in (Path(target) / "docs").rglob("*.md"))
