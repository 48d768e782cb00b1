"""HTML → PDF with WeasyPrint, in a pool of worker processes.

WeasyPrint is single-threaded and a process costs about a second to start and
import it, while a page costs milliseconds once fonts are loaded. So PDFs are
rendered by a pool of long-lived workers (one per core by default), each with
its own `FontConfiguration`; WeasyPrint is imported only inside them. The
parent renders the HTML (cheap) and sends it; a worker writes the PDF file
itself, so no large byte strings travel between processes.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from .. import fonts
from . import acroform

_font_config = None


@dataclass(frozen=True)
class Task:
    path: Path  # where to write the PDF
    html: str


def _init_worker() -> None:
    global _font_config
    import logging

    from weasyprint.text.fonts import FontConfiguration

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    _font_config = FontConfiguration()


def render_pdf(html: str) -> bytes:
    """One document: WeasyPrint with real form fields, then the fields tidied (see acroform)."""
    if _font_config is None:
        _init_worker()
    from weasyprint import HTML

    data = HTML(string=html).write_pdf(pdf_forms=True, font_config=_font_config)
    return acroform.normalise(data)


def _run(task: Task) -> str:
    data = render_pdf(task.html)
    task.path.parent.mkdir(parents=True, exist_ok=True)
    tmp = task.path.with_name(task.path.name + ".part")
    tmp.write_bytes(data)
    os.replace(tmp, task.path)
    return str(task.path)


def _context():
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        # The fork server imports WeasyPrint once; each worker forked from it starts warm.
        ctx.set_forkserver_preload(["weasyprint", "ladderbuild.forms.pdf"])
        return ctx
    return multiprocessing.get_context("spawn")


def render_all(tasks: Iterable[Task], jobs: int | None = None,
               progress: Callable[[str], None] | None = None) -> list[str]:
    """Render every task; returns the paths written. `jobs` = worker processes (default: all cores)."""
    tasks = sorted(tasks, key=lambda t: -len(t.html))  # biggest first: the pool finishes together
    if not tasks:
        return []
    fonts.require_coverage(t.html for t in tasks)  # never print blanks where a font is missing
    workers = min(jobs or os.cpu_count() or 1, len(tasks))
    done = []
    if workers <= 1:
        for task in tasks:
            done.append(_run(task))
            if progress:
                progress(done[-1])
        return done
    with ProcessPoolExecutor(workers, mp_context=_context(), initializer=_init_worker) as pool:
        for path in pool.map(_run, tasks):
            done.append(path)
            if progress:
                progress(path)
    return done
