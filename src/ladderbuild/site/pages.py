"""The handbook's pages: which pages exist, what each is given, and how one is rendered and written.

`plan()` lists every page as (path, template, context) from the Framework;
`render_site()` renders them (on all cores when the site is large enough),
resolves fragment links, links glossary terms, builds the search index from
what was rendered, in page order, and copies the theme's static files.
Nothing depends on time, on dict/set iteration order or on which process
rendered a page, so the same content gives byte-identical files.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from .. import hiring, urls
from ..diff import by_area
from ..history import VersionChanges
from ..resolve import Framework
from ..theme import make_environment, static_files
from ..workers import follow_build
from ..write import write_bytes, write_text
from ..versions import VersionLinks
from . import diagram, glossary, search, views
from .downloads import downloads_view, level_downloads
from .fragments import Fragments, content_dir_of, place, root_prefix
from .htmlscan import read_page

STATIC_PREFIX = "site/static"


@dataclass(frozen=True)
class PageSpec:
    path: str  # from the output root
    template: str  # under templates/site/
    section: str  # the primary-navigation entry it belongs to
    context: dict


def plan(fw: Framework, fragments: Fragments, pdfs: set[str],
         history: dict[str, VersionChanges] | None = None) -> list[PageSpec]:
    """Every page of the handbook, in a stable order."""
    ladder, months = views.ladder_data(fw), views.month_counts(fw)
    pages = [
        PageSpec(urls.HOME, "home.html", "home", {
            "summary": fragments.block(fw.meta.summary),
            "ladder": diagram.layout(fw),
        }),
        PageSpec(urls.COMPETENCIES, "competencies.html", "competencies", {
            "groups": views.group_by_domain(fw, fw.competencies, lambda c: c),
            "descriptions": {d.id: fragments.block(d.description) for d in fw.meta.domains},
        }),
        PageSpec(urls.MATRIX, "matrix.html", "matrix", {
            "columns": views.matrix_columns(fw),
            "groups": views.matrix_rows(fw),
            "print_parts": views.matrix_print_parts(fw),
        }),
        PageSpec(urls.COMPARE, "compare.html", "compare", {"data": json_block(ladder), "months": months,
                                                            "years": views.year_counts(fw)}),
        PageSpec(urls.PLACE, "place.html", "place", {
            "data": json_block(ladder), "groups": views.group_by_domain(fw, fw.competencies, lambda c: c)}),
        PageSpec(urls.TRAINING, "training.html", "training", {"items": views.training_views(fw, fragments)}),
        *([PageSpec(urls.FORMS, "forms.html", "forms", {"view": views.forms_view(fw, fragments, pdfs),
                                                         "pdfs_built": bool(pdfs)})]
          if fw.forms or fw.packets else []),
        PageSpec(urls.CREDENTIALS, "credentials.html", "credentials",
                 {"items": views.credential_views(fw, fragments)}),
        PageSpec(urls.GLOSSARY, "glossary.html", "glossary",
                 {"entries": tuple((g, fragments.block(g.definition)) for g in fw.glossary)}),
        PageSpec(urls.SEARCH, "search.html", "search", {}),
        PageSpec(urls.NOT_FOUND, "404.html", "", {}),
        PageSpec(urls.DOWNLOADS, "downloads.html", "downloads", {"view": downloads_view(fw, pdfs)}),
    ]
    if fw.meta.evaluation or fw.meta.merit:
        pages.append(PageSpec(urls.EVALUATION, "evaluation.html", "evaluation", {
            "formula": fragments.block(fw.meta.evaluation.formula) if fw.meta.evaluation else "",
            "bands": views.band_views(fw, fragments),
            "merit_description": fragments.block(fw.meta.merit.description) if fw.meta.merit else "",
        }))
    if fw.changelog:
        pages.append(PageSpec(urls.CHANGES, "changes.html", "changes", {
            "entries": tuple((c, urls.version_slug(c.version), fragments.block(c.summary)) for c in fw.changelog),
            "history": {version: (found.since, by_area(found.changes)) for version, found in (history or {}).items()},
        }))
    for lvl in fw.all_levels:
        pages.append(PageSpec(urls.level(lvl.id), "level.html", "home",
                              {"view": views.level_view(fw, lvl, fragments, pdfs),
                               "downloads": level_downloads(fw, lvl, pdfs)}))
    for spec in fw.specialisms:
        pages.append(PageSpec(urls.specialism(spec.id), "specialism.html", "home",
                              {"view": views.specialism_view(fw, spec, fragments)}))
    for role in fw.roles:
        pages.append(PageSpec(urls.role(role.id), "role.html", "home",
                              {"view": views.role_view(fw, role, fragments, pdfs)}))
    for lvl in fw.all_levels:
        for path in lvl.paths:
            pages.append(PageSpec(urls.next_step(lvl.id, path.to), "next-step.html", "home",
                                  {"view": views.next_step_view(fw, lvl, path, fragments, pdfs)}))
    pages += hiring_pages(fw, fragments, pdfs)
    for comp in fw.competencies:
        pages.append(PageSpec(urls.competency(comp.id), "competency.html", "competencies",
                              {"view": views.competency_view(fw, comp, fragments)}))
    for page in fw.pages:
        pages.append(PageSpec(urls.page(page.id), "page.html", f"page:{page.id}", {
            "page": page, "body": fragments.block(page.body, "pages"),
        }))
    return pages


def hiring_pages(fw: Framework, fragments: Fragments, pdfs: set[str]) -> list[PageSpec]:
    """Each level's job description, and its interview guide where it has questions."""
    pages = []
    for lvl in fw.all_levels:  # a level with a specialism is a job of its own
        base = content_dir_of(lvl.source)
        downloads = level_downloads(fw, lvl, pdfs)
        job = hiring.job_view(fw, lvl, fragments.block, lambda text, base=base: fragments.block(text, base))
        pages.append(PageSpec(urls.job(lvl.id), "job.html", "downloads", {"job": job, "downloads": downloads}))
        guide = hiring.interview_view(fw, lvl, fragments.block)
        if guide is not None:
            pages.append(PageSpec(urls.interview(lvl.id), "interview.html", "downloads",
                                  {"guide": guide, "downloads": downloads}))
    return pages


def json_block(data) -> Markup:
    """JSON safe to place inside <script type="application/json"> (no `</script>` can end it early)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def glossary_terms(fw: Framework, page: str) -> list[glossary.Term]:
    target = {g.id: urls.relative(urls.glossary_term(g.id), page) for g in fw.glossary}
    return [glossary.Term(spelling, target[g.id], g.term)
            for g in fw.glossary for spelling in (g.term, *g.aliases)]


def synonym_groups(fw: Framework) -> list[list[str]]:
    """The spellings search treats as one: the framework's `synonyms`, and each glossary term with its aliases."""
    return [[g.term, *g.aliases] for g in fw.glossary if g.aliases] + [list(group) for group in fw.meta.synonyms]


NOT_INDEXED = frozenset({urls.SEARCH, urls.NOT_FOUND, urls.MATRIX, urls.COMPARE})
PARALLEL_FROM = 40  # pages; below this, starting the workers costs more than it saves


@dataclass(frozen=True)
class RenderedSite:
    pages: list[str]  # the HTML pages written, relative to the output root
    processes: int  # how many processes rendered them (see page_workers)
    alongside: object = None  # what render_site's `alongside` returned


def render_site(framework: Framework, staging: Path, templates: Path | None = None,
                pdfs: set[str] | None = None, *, fragments: Fragments | None = None,
                history: dict[str, VersionChanges] | None = None, jobs: int | None = None,
                versions: VersionLinks | None = None, specs: list[PageSpec] | None = None,
                alongside: Callable[[], object] | None = None) -> RenderedSite:
    """Render the handbook into `staging`. `jobs`: processes rendering pages (default: all cores);
    `versions`: the other published versions, for the version banner and switcher; `specs`: the pages,
    if the caller has planned them already (with these `fragments`, `pdfs` and `history`); `alongside`:
    other files to write (not pages), done as one more task of the page workers (see _render_pages)."""
    pdfs = pdfs or set()
    fragments = fragments or Fragments()
    env = make_environment(templates, framework.meta.locale)
    env.globals["versions"] = versions
    if specs is None:
        specs = plan(framework, fragments, pdfs, history)
    workers = page_workers(jobs, len(specs))
    rendered, done_alongside = _render_pages(env, framework, specs, staging, workers, alongside)
    docs = [doc for page_docs in rendered for doc in page_docs]
    write_text(staging, urls.SEARCH_INDEX, search.index_script(search.build_index(docs, synonym_groups(framework))))
    for name, source in static_files(STATIC_PREFIX, templates).items():
        write_bytes(staging, urls.static(name), source.read_bytes())
    return RenderedSite([spec.path for spec in specs], workers, done_alongside)


def render_page(env, fw: Framework, spec: PageSpec, staging: Path) -> list[search.Document]:
    """Render, link and write one page; returns its search entries."""
    html, docs = finish_page(render_html(env, fw, spec), spec.path, glossary_terms(fw, spec.path))
    write_text(staging, spec.path, html)
    return [] if spec.path in NOT_INDEXED else search.prepare(docs)


def render_html(env, fw: Framework, spec: PageSpec) -> str:
    """A page as its template makes it, fragment links placed; glossary terms not linked yet."""

    def url(target: str) -> str:
        return urls.relative(target, spec.path)

    html = env.get_template(f"site/{spec.template}").render(
        fw=fw, urls=urls, url=url, root=root_prefix(spec.path), page_path=spec.path, section=spec.section,
        **spec.context)
    return place(html, spec.path)


def finish_page(html: str, page: str, terms: list[glossary.Term]) -> tuple[str, list[search.Document]]:
    """The page with its glossary terms linked, and its search documents, from one reading of it.
    The links wrap words in inline elements, so the search text is the same before and after linking."""
    text = read_page(html, page)
    return glossary.link_runs(html, text.runs, terms), text.documents


def page_workers(jobs: int | None, pages: int) -> int:
    """How many processes render the pages: `jobs` (default: all cores), but one for a small site
    (starting workers costs more than it saves), where fork is missing, or in a process that runs
    other threads (`serve`): a forked copy of a lock another thread holds is never released."""
    jobs = jobs or os.cpu_count() or 1
    if (pages < PARALLEL_FROM or threading.active_count() > 1
            or "fork" not in multiprocessing.get_all_start_methods()):
        return 1
    return max(1, min(jobs, pages))


_job: tuple | None = None  # (env, fw, specs, staging, alongside), inherited by the forked workers


def _render_nth(i: int) -> list[search.Document]:
    env, fw, specs, staging, _alongside = _job
    return render_page(env, fw, specs[i], staging)


def _do_alongside():
    return _job[4]()


def _render_pages(env, fw: Framework, specs: list[PageSpec], staging: Path, workers: int,
                  alongside: Callable[[], object] | None = None) -> tuple[list[list[search.Document]], object]:
    """Every page's search entries, in page order — the pages rendered by `workers` processes — and
    what `alongside()` returned.

    Pages are independent once planned, so forked workers (which inherit the framework, the views
    and the compiled templates without pickling them) each render some and send back only their
    search entries. The output is the same either way. `alongside` (the data files: ~0.5 s for the
    MA framework, 2 s for 100 levels) is the pool's first task, so that the first worker free does
    it while the others start on the pages, rather than this process doing it after them.
    """
    global _job
    if workers == 1:
        rendered = [render_page(env, fw, spec, staging) for spec in specs]
        return rendered, alongside() if alongside else None
    for template in sorted({spec.template for spec in specs}):
        env.get_template(f"site/{template}")  # compile here: a syntax error is reported as usual
    _job = (env, fw, specs, staging, alongside)
    try:
        with multiprocessing.get_context("fork").Pool(workers, initializer=follow_build,
                                                      initargs=(os.getpid(),)) as pool:
            done = pool.apply_async(_do_alongside) if alongside else None
            rendered = pool.map(_render_nth, range(len(specs)), chunksize=4)
            return rendered, done.get() if done else None
    finally:
        _job = None
