"""PDF forms and review packets: fillable, printable, one per (form, level) and (packet, level).

Pipeline: the resolved `Framework` → view models (view.py: every fact and
field name worked out in Python) → HTML through the theme's templates
(html.py, templates/forms/) → PDF with WeasyPrint in a process pool (pdf.py)
→ form fields tidied into a named hierarchy (acroform.py). Personalised
packets (personal.py, roster.py) fill the level's packet for each employee
of a roster.
"""

from __future__ import annotations

from pathlib import Path

from .. import urls
from ..resolve import Framework
from .html import form_html, packet_html
from .pdf import RenderStats, Task, render_all

__all__ = ["form_tasks", "render_all", "RenderStats"]


def form_tasks(framework: Framework, root: Path, *, templates: Path | None = None,
               paper: str | None = None, packets_only: set[tuple[str, str]] | None = None) -> list[Task]:
    """A render task for every (form, level) and (packet, level) the framework defines: levels with
    a specialism and roles (whose forms rate the role's own expectations) included.

    With `packets_only`, just those (packet id, level id) pairs.
    """
    paper = paper or framework.meta.paper
    tasks = []
    for level in (*framework.all_levels, *framework.role_levels):
        if packets_only is None:
            for form in framework.forms_for(level):
                tasks.append(Task(root / urls.form_pdf(form.id, level.id),
                                  form_html(framework, form, level, paper=paper, templates=templates)))
        for packet in framework.packets_for(level):
            if packets_only is None or (packet.id, level.id) in packets_only:
                tasks.append(Task(root / urls.packet_pdf(packet.id, level.id),
                                  packet_html(framework, packet, level, paper=paper, templates=templates)))
    return tasks
