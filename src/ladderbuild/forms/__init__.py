"""PDF forms and review packets: fillable, printable, one per (form, level) and (packet, level).

Pipeline: the resolved `Framework` → view models (view.py: every fact and
field name worked out in Python) → HTML through the theme's templates
(html.py, templates/forms/) → PDF with WeasyPrint in a process pool (pdf.py)
→ form fields tidied into a named hierarchy (acroform.py). A packet is
assembled from the PDFs of its forms and a cover of its own (assemble.py),
so each distinct page is laid out once. Personalised packets (personal.py,
roster.py) fill the level's packet for each employee of a roster.
"""

from __future__ import annotations

from pathlib import Path

from .. import urls
from ..resolve import Framework
from ..model import FormType
from .html import form_html, packet_cover_html, page_footer
from .pdf import PacketTask, RenderStats, Task, page_marker, render_all
from .view import is_promotion_packet, packet_prefixes

__all__ = ["form_tasks", "render_all", "RenderStats"]


def form_tasks(framework: Framework, root: Path, *, templates: Path | None = None,
               paper: str | None = None, packets_only: set[tuple[str, str]] | None = None
               ) -> list[Task | PacketTask]:
    """A render task for every (form, level) and (packet, level) the framework defines: levels with
    a specialism and roles (whose forms rate the role's own expectations) included. A packet is
    assembled from its forms' PDFs (forms/assemble.py): a form alone and in a packet is one layout.

    With `packets_only`, just those (packet id, level id) pairs.
    """
    paper = paper or framework.meta.paper
    footer = page_footer(framework.meta.locale)
    tasks: list[Task | PacketTask] = []
    for level in (*framework.all_levels, *framework.role_levels):
        htmls: dict[tuple[str, bool], str] = {}  # the level's forms, each made once: (form id, promotion) → HTML

        def html_of(form_id: str, promotion: bool = False) -> str:
            form = framework.form(form_id)
            promotion = promotion and form.type is not FormType.PROMOTION_READINESS  # for the target anyway
            if (form_id, promotion) not in htmls:
                htmls[form_id, promotion] = form_html(framework, form, level, paper=paper, templates=templates,
                                                      promotion=promotion)
            return htmls[form_id, promotion]

        if packets_only is None:
            for form in framework.forms_for(level):
                tasks.append(Task(root / urls.form_pdf(form.id, level.id), html_of(form.id)))
        for packet in framework.packets_for(level):
            if packets_only is None or (packet.id, level.id) in packets_only:
                bindings = tuple(packet_prefixes(packet))
                promotion = is_promotion_packet(framework, packet)
                cover = packet_cover_html(framework, packet, level, paper=paper, templates=templates,
                                          contents_pages=tuple(page_marker(i) for i in range(len(bindings))))
                tasks.append(PacketTask(root / urls.packet_pdf(packet.id, level.id), cover,
                                        tuple(html_of(form_id, promotion) for form_id, _ in bindings), bindings,
                                        footer))
    return tasks
