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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .. import fonts
from ..cache import BuildCache, pdf_key
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


@dataclass
class RenderStats:
    rendered: list[str] = field(default_factory=list)  # laid out by WeasyPrint in this run
    reused: list[str] = field(default_factory=list)  # copied from the build cache
    keys: set[str] = field(default_factory=set)  # cache keys of every task, for pruning

    @property
    def paths(self) -> list[str]:
        return self.rendered + self.reused


def render_all(tasks: Iterable[Task], jobs: int | None = None,
               progress: Callable[[str], None] | None = None, cache: BuildCache | None = None) -> RenderStats:
    """Render every task, taking from `cache` what it already holds; `jobs` = worker processes
    (default: all cores). `progress` is called with each path as it is written."""
    stats = RenderStats()
    todo: list[tuple[Task, str | None]] = []
    for task in tasks:
        key = pdf_key(task.html) if cache is not None else None
        if key is not None:
            stats.keys.add(key)
            if cache.fetch_pdf(key, Path(task.path)):
                stats.reused.append(str(task.path))
                if progress:
                    progress(str(task.path))
                continue
        todo.append((task, key))
    todo.sort(key=lambda item: -len(item[0].html))  # biggest first: the pool finishes together
    fonts.require_coverage(t.html for t, _ in todo)  # never print blanks where a font is missing

    def finished(path: str, key: str | None) -> None:
        if cache is not None and key is not None:
            cache.store_pdf(key, Path(path))
        stats.rendered.append(path)
        if progress:
            progress(path)

    workers = min(jobs or os.cpu_count() or 1, len(todo))
    if workers <= 1:
        for task, key in todo:
            finished(_run(task), key)
        return stats
    with ProcessPoolExecutor(workers, mp_context=_context(), initializer=_init_worker) as pool:
        for path, (_task, key) in zip(pool.map(_run, [t for t, _ in todo]), todo):
            finished(path, key)
    return stats
