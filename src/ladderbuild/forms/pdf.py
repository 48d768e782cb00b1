"""HTML → PDF with WeasyPrint, in a pool of worker processes.

WeasyPrint is single-threaded and a process costs about a second to start and
import it, while a page costs milliseconds once fonts are loaded. So PDFs are
rendered by a pool of long-lived workers (one per core by default), each with
its own `FontConfiguration`; WeasyPrint is imported only inside them. The
parent renders the HTML (cheap) and sends it; a worker writes the PDF file
itself, so no large byte strings travel between processes.

WeasyPrint fetches nothing: its URL fetcher allows only `data:` URLs, so
content can make it neither reach the network nor read local files. Workers
ignore Ctrl-C (the build process handles it and stops them) and leave as soon
as the build process is gone, even when it was killed outright.
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
from ..workers import follow_build
from . import acroform

_font_config = None
_url_fetcher = None
ALLOWED_PROTOCOLS = ("data",)  # what a PDF may load: inline data only; never http(s):, file:, ftp:


@dataclass(frozen=True)
class Task:
    path: Path  # where to write the PDF
    html: str


def _init_worker() -> None:
    global _font_config, _url_fetcher
    import logging

    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    _font_config = FontConfiguration()
    _url_fetcher = URLFetcher(allowed_protocols=ALLOWED_PROTOCOLS, allow_redirects=False)


def _init_pool_worker(build_pid: int) -> None:
    follow_build(build_pid)
    _init_worker()


def render_pdf(html: str) -> bytes:
    """One document: WeasyPrint with real form fields, tagged (PDF/UA-1), then the fields tidied and
    drawn (see acroform)."""
    if _font_config is None:
        _init_worker()
    from weasyprint import HTML

    document = HTML(string=html, url_fetcher=_url_fetcher)
    specs = field_specs(document.etree_element)
    # custom_metadata: the <meta> tags that say what the form is go into the PDF (forms/identity.py).
    data = document.write_pdf(pdf_forms=True, pdf_variant="pdf/ua-1", font_config=_font_config, custom_metadata=True)
    return acroform.normalise(data, specs)


def field_specs(root) -> dict[str, acroform.FieldSpec]:
    """What the form's inputs say beyond what WeasyPrint writes into the PDF, by field name:
    `required`, `data-kind="signature"`, and a radio group's question in `data-group`."""
    specs: dict[str, acroform.FieldSpec] = {}
    for element in root.iter():
        name = element.get("name")
        if not name or str(element.tag).rpartition("}")[2] not in ("input", "textarea"):
            continue
        before = specs.get(name, acroform.FieldSpec())
        specs[name] = acroform.FieldSpec(
            required=before.required or element.get("required") is not None,
            signature=before.signature or element.get("data-kind") == "signature",
            tooltip=before.tooltip or element.get("data-group", ""))
    return specs


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
    with ProcessPoolExecutor(workers, mp_context=_context(), initializer=_init_pool_worker,
                             initargs=(os.getpid(),)) as pool:
        try:
            for path, (_task, key) in zip(pool.map(_run, [t for t, _ in todo]), todo):
                finished(path, key)
        except BaseException:
            _stop(pool)  # Ctrl-C or a failed PDF: stop now, not after every queued PDF is rendered
            raise
    return stats


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel what is queued and end the workers, so none writes another file after we return."""
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14+
    if terminate is not None:
        terminate()
        return
    processes = list((pool._processes or {}).values())  # before shutdown() forgets them
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(5)
