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
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from . import outputdir, urls
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
    force: bool = False  # replace a non-empty output folder ladderbuild did not make (see outputdir.py)
    versions: str = "all"  # past versions to publish under v/: "all", "none" or a number (the newest N)
    # Link every form's PDF even when `pdf` is off, so that pages look as they will when published
    # (`serve` does, and answers those links with a note on how to get the PDFs).
    link_unbuilt_pdfs: bool = False

    def fingerprint_options(self) -> dict:
        """The options that change what a build writes (not how fast it goes)."""
        return {"html": self.html, "pdf": self.pdf, "paper": self.paper, "strict": self.strict,
                "versions": self.versions, "link_unbuilt_pdfs": self.link_unbuilt_pdfs,
                "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH", "")}


@dataclass
class BuildReport:
    output: Path
    pages: list[str] = field(default_factory=list)  # HTML pages written, relative to output
    pdfs: list[str] = field(default_factory=list)  # PDFs written, relative to output
    pdfs_rendered: list[str] = field(default_factory=list)  # of those, laid out in this build
    pdfs_reused: list[str] = field(default_factory=list)  # of those, copied unchanged from the cache
    # PDF pages WeasyPrint laid out in this build (a form's pages once, however many packets bind it), of those
    # laid out a second time (a packet cover longer than its first layout assumed), and pages of the PDFs made
    pdf_pages_laid_out: int = 0
    pdf_pages_laid_out_again: int = 0
    pdf_pages_written: int = 0
    data: list[str] = field(default_factory=list)  # the JSON API and the worksheets, relative to output
    versions: list[str] = field(default_factory=list)  # past versions published under v/, newest first
    versions_skipped: list[list[str]] = field(default_factory=list)  # [version, why] of those not published
    version_keys: list[str] = field(default_factory=list)  # their build-cache entries
    files: int = 0
    seconds: float = 0.0
    warnings: int = 0
    page_processes: int = 1  # processes that rendered the HTML pages
    found: list[Diagnostic] = field(default_factory=list)  # warnings found while building (a version skipped)
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
    cache = BuildCache.for_project(root, output)
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
                       warnings=len(last.get("warnings", [])), up_to_date=True, versions=last.get("versions", []),
                       versions_skipped=last.get("versions_skipped", []))


def output_target(root: Path, content_dir: Path, output: Path, options: BuildOptions) -> outputdir.OutputTarget:
    """The output folder, if it may be replaced (outputdir.check); raises OutputRefused.

    A folder an earlier ladderbuild built, before builds left a marker, is known by the build cache's
    record of it: that counts as --force, which never overrides a protected folder."""
    force = options.force or bool(BuildCache.for_project(root).recall(output))
    return outputdir.check(output, kind=outputdir.HANDBOOK, project=root, content=content_dir, force=force)


def build(project: Project, output: Path, options: BuildOptions | None = None,
          progress: Callable[[str, int, int], None] | None = None) -> BuildReport:
    """Build `project` into `output`. `progress(step, done, total)` is told about PDFs as they are written.

    Raises OutputRefused, before anything is written, when `output` may not be replaced."""
    options = options or BuildOptions()
    target = output_target(project.root, project.content_dir, output, options)
    if project.errors or (options.strict and project.warnings) or project.framework is None:
        raise ContentError(project.diagnostics)
    started = time.perf_counter()
    output = target.path
    report = BuildReport(output=output, warnings=len(project.warnings))
    cache = BuildCache.for_project(project.root, output) if options.cache else None
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
    with staged_output(target) as staging, tempfile.TemporaryDirectory(prefix="ladderbuild-versions-") as work:
        if options.pdf:
            stats = render_pdfs(project, staging, options, cache, progress)
            relative = lambda paths: sorted(Path(p).relative_to(staging).as_posix() for p in paths)  # noqa: E731
            report.pdfs_rendered, report.pdfs_reused = relative(stats.rendered), relative(stats.reused)
            report.pdfs = sorted(report.pdfs_rendered + report.pdfs_reused)
            report.pdf_pages_laid_out, report.pdf_pages_written = stats.pages_laid_out, stats.pages_written
            report.pdf_pages_laid_out_again = stats.pages_laid_out_again
            pdf_keys = set(stats.keys)
        if options.html:
            from .site.fragments import Fragments
            from .site.pages import plan
            from .versions import publish_versions

            projects, unsafe = (load_versions(project.root, sources, Path(work), report.found) if sources
                                else ({}, set()))
            history = version_history(project.root, fw, sources, loaded={
                v: p.framework if p else None for v, p in projects.items()}, warnings=report.found) if fw.changelog else {}
            report.warnings += len(report.found)
            fragments = Fragments()
            linked = planned_pdfs(fw) if options.link_unbuilt_pdfs and not options.pdf else set(report.pdfs)
            # Planned once: the past versions' banners need the page list, and the pages are rendered from
            # the same plan.
            specs = plan(fw, fragments, linked, history)
            pages = [spec.path for spec in specs]
            # An unsafe version was warned about once (unsafe-version), which says it is not published.
            published = publish_versions(project, fw, sources, projects, options, pages, staging, cache,
                                         warned=unsafe)
            report.versions, report.versions_skipped = published.published, published.skipped
            report.version_keys = published.cache_keys
            pdf_keys |= published.pdf_keys
            site = render_handbook(project, fw, staging, options, linked, history, published.links, fragments,
                                   specs=specs)
            report.pages, report.page_processes, report.data = site
        report.files = sum(1 for p in staging.rglob("*") if p.is_file())
    if cache is not None:
        cache.remember(output, fingerprint, {"pages": report.pages, "pdfs_written": report.pdfs,
                                             "pdfs": sorted(pdf_keys), "history": sources,
                                             "versions": report.versions, "version_keys": sorted(report.version_keys),
                                             "versions_skipped": report.versions_skipped,
                                             "warnings": [d.to_json() for d in project.warnings + report.found]})
        cache.prune_pdfs(cache.pdfs_in_use())
        cache.prune_versions(cache.in_use("version_keys"))
    report.seconds = time.perf_counter() - started
    return report


def render_pdfs(project: Project, root: Path, options: BuildOptions, cache: BuildCache | None,
                progress: Callable[[str, int, int], None] | None = None, *, templates: Path | None = None):
    """Every PDF of `project` (forms, packets, job descriptions, interview guides) into `root`;
    `templates`: the theme overrides (default: the project's)."""
    from . import fonts, hiring
    from .forms import form_tasks, render_all

    fw = project.framework
    templates = templates or project.templates_dir
    tasks = form_tasks(fw, root, templates=templates, paper=options.paper)
    tasks += hiring.pdf_tasks(fw, root, templates=templates, paper=options.paper)
    done = 0

    def tick(_path: str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress("PDFs", done, len(tasks))

    try:
        return render_all(tasks, jobs=options.jobs, cache=cache, progress=tick)
    except fonts.MissingGlyphs as exc:
        raise ContentError(project.diagnostics + fonts.diagnostics(
            exc.characters, project.content_dir, project.root, fw.meta.locale)) from None


def render_handbook(project: Project, fw, root: Path, options: BuildOptions, pdfs: set[str], history: dict,
                    links=None, fragments=None, *, templates: Path | None = None,
                    specs=None) -> tuple[list[str], int, list[str]]:
    """The handbook's pages, its content's assets and its data files into `root`:
    (pages, processes that rendered them, data files). `specs`: the pages as `site.pages.plan` made them
    with these `fragments`, `pdfs` and `history`, if the caller has planned them already."""
    from .site import render_site
    from .site.fragments import Fragments

    fragments = fragments or Fragments()
    site = render_site(fw, root, templates=templates or project.templates_dir, pdfs=pdfs, history=history,
                       fragments=fragments, jobs=options.jobs, versions=links, specs=specs,
                       alongside=lambda: write_data(fw, root, pdfs, options.paper))
    copy_assets(project.content_dir, root, fragments.assets)
    return site.pages, site.processes, site.alongside


def load_versions(root: Path, sources: dict[str, list[str | None]], work: Path,
                  warnings: list[Diagnostic]) -> tuple[dict, set[str]]:
    """Each earlier version whose content git holds → its Project (None when git cannot give it, or not
    safely); and the versions that cannot be read safely, each with a warning appended to `warnings`."""
    from .diff import UnsafeVersion
    from .history import project_at, unsafe_version

    loaded: dict[str, Project | None] = {}
    unsafe: set[str] = set()
    for version, (_declared, commit) in sources.items():
        if commit:
            try:
                loaded[version] = project_at(root, commit, work)
            except UnsafeVersion as exc:
                loaded[version] = None
                unsafe.add(version)
                warnings.append(unsafe_version(root, version, commit, exc.reason))
    return loaded, unsafe


def write_data(fw, staging: Path, pdfs: set[str], paper: str | None) -> list[str]:
    """The handbook's data files: the JSON API and the worksheets (XLSX and CSV) of every level."""
    from .api import write_api
    from .worksheets import write_worksheets

    return sorted(write_api(fw, staging, pdfs) + write_worksheets(fw, staging, paper))


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
