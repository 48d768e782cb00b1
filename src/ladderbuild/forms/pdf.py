"""HTML → PDF with WeasyPrint, in a pool of worker processes; packets assembled from their forms' PDFs.

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

Each distinct page is laid out once. A packet (`PacketTask`) is not laid out
whole: the forms it binds are laid out alone — the very documents of the
forms' own PDFs, which the same HTML makes — and then, in a second round, a
worker lays out the packet's cover (knowing now the page each form starts on)
and assembles cover and forms into the packet (assemble.py).
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .. import fonts
from ..cache import BuildCache, packet_key, pdf_key
from ..workers import follow_build
from . import acroform

_font_config = None
_url_fetcher = None
ALLOWED_PROTOCOLS = ("data",)  # what a PDF may load: inline data only; never http(s):, file:, ftp:


@dataclass(frozen=True)
class Task:
    path: Path  # where to write the PDF
    html: str


@dataclass(frozen=True)
class PacketTask:
    """A packet, assembled from its cover and the forms it binds (assemble.py)."""

    path: Path  # where to write the PDF
    cover: str  # the cover's HTML, with page_marker(i) where its contents print the page form i starts on
    parts: tuple[str, ...]  # the HTML of each form it binds, laid out alone (html.packet_part_htmls)
    bindings: tuple[tuple[str, str], ...]  # (form id, field prefix) of each (view.packet_prefixes)
    footer: str  # the pages' footer in the framework's locale (html.page_footer)


def page_marker(index: int) -> str:
    """What a packet's cover HTML holds where its contents print the page the `index`-th form starts on: the
    number is known once the forms are laid out (and the cover's own length, see `_assemble`)."""
    return f"\x00ladderbuild-page-{index}\x00"


def _cover_html(cover: str, cover_pages: int, part_pages: list[int]) -> str:
    start = cover_pages + 1
    for index, pages in enumerate(part_pages):
        cover = cover.replace(page_marker(index), str(start))
        start += pages
    return cover


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
    return layout_pdf(html)[0]


def layout_pdf(html: str) -> tuple[bytes, int]:
    """`render_pdf`, and how many pages WeasyPrint laid out."""
    if _font_config is None:
        _init_worker()
    from weasyprint import HTML

    source = HTML(string=html, url_fetcher=_url_fetcher)
    specs = field_specs(source.etree_element)
    # custom_metadata: the <meta> tags that say what the form is go into the PDF (forms/identity.py).
    options = {"pdf_forms": True, "pdf_variant": "pdf/ua-1", "custom_metadata": True}
    document = source.render(font_config=_font_config, **options)
    return acroform.normalise(document.write_pdf(**options), specs), len(document.pages)


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


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _run(task: Task) -> tuple[str, int]:
    """Lay one document out into its file: (the file, pages laid out)."""
    data, pages = layout_pdf(task.html)
    _write(task.path, data)
    return str(task.path), pages


@dataclass(frozen=True)
class _Assembly:
    """What a worker needs to assemble a packet: its task, and the files its forms were laid out into."""

    task: PacketTask
    parts: tuple[str, ...]


def _assemble(job: _Assembly) -> tuple[str, int, int, int]:
    """Lay out a packet's cover and assemble the packet into its file: (the file, cover pages laid out, of
    those laid out again, pages written).

    The cover prints the page each form starts on, which depends on the cover's own length: it is laid
    out for a cover of one page, and again in the rare case it is longer (many forms, long instructions)."""
    from . import assemble

    parts = [Path(path).read_bytes() for path in job.parts]
    counts = [assemble.page_count(data) for data in parts]
    cover_pages, laid_out, again = 1, 0, 0
    for attempt in range(4):
        cover, pages = layout_pdf(_cover_html(job.task.cover, cover_pages, counts))
        laid_out += pages
        if attempt:
            again += pages
        if pages == cover_pages:
            break
        cover_pages = pages
    data = assemble.assemble(cover, [assemble.Part(d, form_id, prefix)
                                     for d, (form_id, prefix) in zip(parts, job.task.bindings)], job.task.footer)
    _write(job.task.path, data)
    return str(job.task.path), laid_out, again, pages + sum(counts)


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
    rendered: list[str] = field(default_factory=list)  # made in this run: laid out, or assembled (packets)
    reused: list[str] = field(default_factory=list)  # copied from the build cache
    keys: set[str] = field(default_factory=set)  # cache keys of every task and packet part, for pruning
    pages_laid_out: int = 0  # pages WeasyPrint laid out (forms, packets' parts and covers)
    pages_laid_out_again: int = 0  # of those, covers laid out a second time (see _assemble)
    pages_written: int = 0  # pages of the PDFs made in this run


@dataclass
class _Layout:
    """One distinct document to lay out, and where it goes: every task with its HTML, or a file of its own
    for a form only packets bind (a promotion packet's)."""

    html: str
    key: str | None
    paths: list[Path]


def render_all(tasks: Iterable[Task | PacketTask], jobs: int | None = None,
               progress: Callable[[str], None] | None = None, cache: BuildCache | None = None) -> RenderStats:
    """Render every task, taking from `cache` what it already holds; `jobs` = worker processes
    (default: all cores). `progress` is called with each task's path as it is written.

    Each distinct document is laid out once: a form and every packet that binds it share one layout."""
    stats = RenderStats()
    layouts: dict[str, _Layout] = {}  # by HTML
    packets: list[tuple[PacketTask, str | None]] = []

    def layout(html: str, path: Path | None) -> _Layout:
        if html not in layouts:
            layouts[html] = _Layout(html, pdf_key(html) if cache is not None else None, [])
        if path is not None:
            layouts[html].paths.append(path)
        return layouts[html]

    def done(path: str, key: str | None) -> None:
        if cache is not None and key is not None:
            cache.store_pdf(key, Path(path))
        stats.rendered.append(path)
        if progress:
            progress(path)

    tasks = list(tasks)
    for task in tasks:
        if isinstance(task, PacketTask):
            key = packet_key(task) if cache is not None else None
            if key is not None:
                stats.keys.add(key)
                # its forms' layouts stay cached too: an edit to one form lays out that form alone again
                stats.keys.update(pdf_key(html) for html in task.parts)
                if cache.fetch_pdf(key, task.path):
                    stats.reused.append(str(task.path))
                    if progress:
                        progress(str(task.path))
                    continue
            packets.append((task, key))
        else:
            layout(task.html, task.path)
    with tempfile.TemporaryDirectory(prefix="ladderbuild-parts-") as work:
        for task, _key in packets:
            for html in task.parts:
                found = layout(html, None)
                if not found.paths:  # a form only packets bind: laid out into a file of its own
                    found.paths.append(Path(work) / f"part-{len(layouts)}.pdf")
        todo: list[_Layout] = []
        for item in layouts.values():
            if item.key is not None:
                stats.keys.add(item.key)
                if cache.fetch_pdf(item.key, item.paths[0]):
                    for path in item.paths[1:]:
                        shutil.copyfile(item.paths[0], path)
                    for path in item.paths:
                        if not path.is_relative_to(work):
                            stats.reused.append(str(path))
                            if progress:
                                progress(str(path))
                    continue
            todo.append(item)
        todo.sort(key=lambda item: -len(item.html))  # biggest first: the pool finishes together
        # never print blanks where a font is missing
        fonts.require_coverage([item.html for item in todo] + [task.cover for task, _ in packets])

        def laid_out(item: _Layout, pages: int) -> None:
            stats.pages_laid_out += pages
            for path in item.paths[1:]:
                shutil.copyfile(item.paths[0], path)
            for path in item.paths:
                if not path.is_relative_to(work):
                    stats.pages_written += pages
                    done(str(path), item.key if path == item.paths[0] else None)
            if item.key is not None and item.paths[0].is_relative_to(work):
                cache.store_pdf(item.key, item.paths[0])

        def assembled(result: tuple[str, int, int, int], key: str | None) -> None:
            path, pages, again, written = result
            stats.pages_laid_out += pages
            stats.pages_laid_out_again += again
            stats.pages_written += written
            done(path, key)

        jobs_of = [_Assembly(task, tuple(str(layouts[html].paths[0]) for html in task.parts)) for task, _ in packets]
        workers = min(jobs or os.cpu_count() or 1, max(len(todo), len(packets)))
        if workers <= 1:
            for item in todo:
                laid_out(item, _run(Task(item.paths[0], item.html))[1])
            for job, (_task, key) in zip(jobs_of, packets):
                assembled(_assemble(job), key)
            return stats
        with ProcessPoolExecutor(workers, mp_context=_context(), initializer=_init_pool_worker,
                                 initargs=(os.getpid(),)) as pool:
            try:
                for (_path, pages), item in zip(pool.map(_run, [Task(i.paths[0], i.html) for i in todo]), todo):
                    laid_out(item, pages)
                for result, (_task, key) in zip(pool.map(_assemble, jobs_of), packets):
                    assembled(result, key)
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
