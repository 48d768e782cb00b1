"""The handbook's pages: which pages exist, what each is given, and how one is rendered and written.

`plan()` lists every page as (path, template, context) from the Framework;
`render_site()` renders them in a fixed order, resolves fragment links,
links glossary terms, builds the search index from what was rendered, and
copies the theme's static files. Nothing depends on time or on dict/set
iteration order, so the same content gives byte-identical files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from .. import urls
from ..diff import by_area
from ..history import VersionChanges
from ..resolve import Framework
from ..theme import make_environment, static_files
from ..write import write_bytes, write_text
from . import diagram, glossary, search, views
from .fragments import Fragments, place

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
        }),
        PageSpec(urls.COMPARE, "compare.html", "compare", {"data": json_block(views.compare_data(fw)),
                                                            "months": views.month_counts(fw)}),
        PageSpec(urls.TRAINING, "training.html", "training", {"items": views.training_views(fw, fragments)}),
        PageSpec(urls.CREDENTIALS, "credentials.html", "credentials",
                 {"items": views.credential_views(fw, fragments)}),
        PageSpec(urls.GLOSSARY, "glossary.html", "glossary",
                 {"entries": tuple((g, fragments.block(g.definition)) for g in fw.glossary)}),
        PageSpec(urls.SEARCH, "search.html", "search", {}),
        PageSpec(urls.NOT_FOUND, "404.html", "", {}),
    ]
    if fw.changelog:
        pages.append(PageSpec(urls.CHANGES, "changes.html", "changes", {
            "entries": tuple((c, urls.version_slug(c.version), fragments.block(c.summary)) for c in fw.changelog),
            "history": {version: (found.since, by_area(found.changes)) for version, found in (history or {}).items()},
        }))
    for lvl in fw.levels:
        pages.append(PageSpec(urls.level(lvl.id), "level.html", "home",
                              {"view": views.level_view(fw, lvl, fragments, pdfs)}))
    for comp in fw.competencies:
        pages.append(PageSpec(urls.competency(comp.id), "competency.html", "competencies",
                              {"view": views.competency_view(fw, comp, fragments)}))
    for page in fw.pages:
        pages.append(PageSpec(urls.page(page.id), "page.html", f"page:{page.id}", {
            "page": page, "body": fragments.block(page.body, "pages"),
        }))
    return pages


def json_block(data) -> Markup:
    """JSON safe to place inside <script type="application/json"> (no `</script>` can end it early)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def glossary_terms(fw: Framework, page: str) -> list[glossary.Term]:
    target = {g.id: urls.relative(urls.glossary_term(g.id), page) for g in fw.glossary}
    return [glossary.Term(spelling, target[g.id], g.term)
            for g in fw.glossary for spelling in (g.term, *g.aliases)]


def render_site(framework: Framework, staging: Path, templates: Path | None = None,
                pdfs: set[str] | None = None, *, fragments: Fragments | None = None,
                history: dict[str, VersionChanges] | None = None) -> list[str]:
    """Render the handbook into `staging`; returns the HTML pages written, relative to it."""
    pdfs = pdfs or set()
    fragments = fragments or Fragments()
    env = make_environment(templates, framework.meta.locale)
    fw = framework
    written: list[str] = []
    docs: list[search.Document] = []
    for spec in plan(fw, fragments, pdfs, history):

        def url(target: str, _page: str = spec.path) -> str:
            return urls.relative(target, _page)

        html = env.get_template(f"site/{spec.template}").render(
            fw=fw, urls=urls, url=url, page_path=spec.path, section=spec.section, **spec.context)
        html = place(html, spec.path)
        html = glossary.link_terms(html, glossary_terms(fw, spec.path))
        write_text(staging, spec.path, html)
        written.append(spec.path)
        if spec.path not in (urls.SEARCH, urls.NOT_FOUND, urls.MATRIX, urls.COMPARE):
            docs.extend(search.documents(spec.path, html))
    write_text(staging, urls.SEARCH_INDEX, search.index_script(search.build_index(docs)))
    for name, source in static_files(STATIC_PREFIX, templates).items():
        write_bytes(staging, urls.static(name), source.read_bytes())
    return written
