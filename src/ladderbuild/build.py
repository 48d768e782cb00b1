"""Build: the whole pipeline — load → validate → resolve → render → write.

PDF forms are rendered first so that the handbook links only to PDFs that
exist. Everything is written into a staging folder that replaces output/ only
when the whole build succeeded. The build cache (cache.py) skips a build that
has nothing to do — `unchanged_build` decides that from file hashes before
anything is loaded — and lays out again only the PDFs whose document changed;
HTML pages are always rendered afresh when anything changed, because every
page carries navigation, glossary links and search entries drawn from the
whole framework (and costs milliseconds).
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from . import urls
from .cache import BuildCache, project_fingerprint
from .diagnostics import ContentError, Diagnostic
from .history import sources_moved, version_history, version_sources
from .layout import find_content_dir, templates_dir
from .write import staged_output

if TYPE_CHECKING:  # project.py imports the whole pipeline; a build with nothing to do needs none of it
    from .project import Project


@dataclass
class BuildOptions:
    html: bool = True
    pdf: bool = True
    paper: str | None = None  # override the framework's paper size ("letter" / "a4")
    jobs: int | None = None  # worker processes for PDFs and pages (default: all cores)
    strict: bool = False
    cache: bool = True  # reuse unchanged PDFs and skip a build with nothing to do (see cache.py)
    # Link every form's PDF even when `pdf` is off, so that pages look as they will when published
    # (`serve` does, and answers those links with a note on how to get the PDFs).
    link_unbuilt_pdfs: bool = False

    def fingerprint_options(self) -> dict:
        """The options that change what a build writes (not how fast it goes)."""
        return {"html": self.html, "pdf": self.pdf, "paper": self.paper, "strict": self.strict,
                "link_unbuilt_pdfs": self.link_unbuilt_pdfs,
                "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH", "")}


@dataclass
class BuildReport:
    output: Path
    pages: list[str] = field(default_factory=list)  # HTML pages written, relative to output
    pdfs: list[str] = field(default_factory=list)  # PDFs written, relative to output
    pdfs_rendered: list[str] = field(default_factory=list)  # of those, laid out in this build
    pdfs_reused: list[str] = field(default_factory=list)  # of those, copied unchanged from the cache
    files: int = 0
    seconds: float = 0.0
    warnings: int = 0
    page_processes: int = 1  # processes that rendered the HTML pages
    up_to_date: bool = False  # nothing changed since the last build: nothing was rendered or written


def unchanged_build(directory: Path, output: Path | None = None,
                    options: BuildOptions | None = None) -> tuple[BuildReport, list[Diagnostic]] | None:
    """The report and warnings of the last build into `output` (default: the project's output/) when
    nothing it read has changed and output/ is as it left it; else None.

    Decided from file hashes and git refs alone, before any YAML is parsed, so a build with nothing to
    do costs about as much as hashing the project's files.
    """
    options = options or BuildOptions()
    if not options.cache:
        return None
    root, content_dir = find_content_dir(Path(directory))
    output = (output or root / "output").resolve()
    cache = BuildCache.for_project(root)
    if not cache.is_up_to_date(output, _inputs_fingerprint(root, content_dir, options)):
        return None
    last = cache.recall(output)
    if sources_moved(root, last.get("history", {})):
        return None
    return _up_to_date_report(output, last), [Diagnostic.from_json(d) for d in last.get("warnings", [])]


def _inputs_fingerprint(root: Path, content_dir: Path, options: BuildOptions) -> str:
    return project_fingerprint([content_dir, templates_dir(root)], options.fingerprint_options(), fonts=options.pdf)


def _up_to_date_report(output: Path, last: dict) -> BuildReport:
    pages, pdfs = last.get("pages", []), last.get("pdfs_written", [])
    return BuildReport(output=output, pages=pages, pdfs=pdfs, pdfs_reused=list(pdfs), files=len(last.get("output", {})),
                       warnings=len(last.get("warnings", [])), up_to_date=True)


def build(project: Project, output: Path, options: BuildOptions | None = None,
          progress: Callable[[str, int, int], None] | None = None) -> BuildReport:
    """Build `project` into `output`. `progress(step, done, total)` is told about PDFs as they are written."""
    options = options or BuildOptions()
    if project.errors or (options.strict and project.warnings) or project.framework is None:
        raise ContentError(project.diagnostics)
    started = time.perf_counter()
    output = output.resolve()
    report = BuildReport(output=output, warnings=len(project.warnings))
    cache = BuildCache.for_project(project.root) if options.cache else None
    fw = project.framework
    fingerprint = ""
    # The "What changed" page reads earlier versions from git: their commits are inputs too.
    sources = version_sources(project.root, fw) if options.html and fw.changelog else {}
    if cache is not None:
        fingerprint = _inputs_fingerprint(project.root, project.content_dir, options)
        last = cache.recall(output) if cache.is_up_to_date(output, fingerprint) else None
        if last is not None and last.get("history", {}) == sources:
            report = _up_to_date_report(output, last)
            report.seconds = time.perf_counter() - started
            return report
        cache.forget(output)  # the swap below changes output/: the old record no longer describes it
    pdf_keys: set[str] = set()
    with staged_output(output) as staging:
        if options.pdf:
            from . import fonts
            from .forms import form_tasks, render_all

            tasks = form_tasks(project.framework, staging, templates=project.templates_dir, paper=options.paper)
            done = 0

            def tick(_path: str) -> None:
                nonlocal done
                done += 1
                if progress:
                    progress("PDFs", done, len(tasks))

            try:
                stats = render_all(tasks, jobs=options.jobs, cache=cache, progress=tick)
            except fonts.MissingGlyphs as exc:
                raise ContentError(project.diagnostics + fonts.diagnostics(
                    exc.characters, project.content_dir, project.root, fw.meta.locale)) from None
            relative = lambda paths: sorted(Path(p).relative_to(staging).as_posix() for p in paths)  # noqa: E731
            report.pdfs_rendered, report.pdfs_reused = relative(stats.rendered), relative(stats.reused)
            report.pdfs = sorted(report.pdfs_rendered + report.pdfs_reused)
            pdf_keys = stats.keys
        if options.html:
            from .site import render_site
            from .site.fragments import Fragments

            history = version_history(project.root, fw, sources) if fw.changelog else {}
            fragments = Fragments()
            linked = planned_pdfs(fw) if options.link_unbuilt_pdfs and not options.pdf else set(report.pdfs)
            site = render_site(fw, staging, templates=project.templates_dir, pdfs=linked,
                               history=history, fragments=fragments, jobs=options.jobs)
            report.pages, report.page_processes = site.pages, site.processes
            copy_assets(project.content_dir, staging, fragments.assets)
        report.files = sum(1 for p in staging.rglob("*") if p.is_file())
    if cache is not None:
        cache.remember(output, fingerprint, {"pages": report.pages, "pdfs_written": report.pdfs,
                                             "pdfs": sorted(pdf_keys), "history": sources,
                                             "warnings": [d.to_json() for d in project.warnings]})
        cache.prune_pdfs(cache.pdfs_in_use())
    report.seconds = time.perf_counter() - started
    return report


def planned_pdfs(fw) -> set[str]:
    """The path of every form and packet PDF the framework defines, whether built or not."""
    return ({urls.form_pdf(f.id, lvl.id) for lvl in fw.levels for f in fw.forms_for(lvl)}
            | {urls.packet_pdf(p.id, lvl.id) for lvl in fw.levels for p in fw.packets_for(lvl)})


def copy_assets(content_dir: Path, staging: Path, linked: set[str]) -> list[str]:
    """Copy the images and attachments the content links to (from content/**/assets/) into the handbook,
    at the same relative path. Only what is linked: a file dropped in assets/ (a roster, say) is never
    published by accident. Hidden files and anything resolving outside content/ stay behind too."""
    root = content_dir.resolve()
    copied = []
    for relative in sorted(linked):
        path = content_dir / relative
        if (not urls.is_asset(relative) or any(part.startswith(".") for part in relative.split("/"))
                or not path.is_file() or root not in path.resolve().parents):
            continue
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        copied.append(relative)
    return copied
