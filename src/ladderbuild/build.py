"""Build: the whole pipeline — load → validate → resolve → render → write.

PDF forms are rendered first so that the handbook links only to PDFs that
exist. Everything is written into a staging folder that replaces output/ only
when the whole build succeeded.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from . import fonts
from .diagnostics import ContentError
from .project import Project
from .write import staged_output


@dataclass
class BuildOptions:
    html: bool = True
    pdf: bool = True
    paper: str | None = None  # override the framework's paper size ("letter" / "a4")
    jobs: int | None = None  # PDF worker processes (default: all cores)
    strict: bool = False


@dataclass
class BuildReport:
    output: Path
    pages: list[str] = field(default_factory=list)  # HTML pages written, relative to output
    pdfs: list[str] = field(default_factory=list)  # PDFs written, relative to output
    files: int = 0
    seconds: float = 0.0
    warnings: int = 0


def build(project: Project, output: Path, options: BuildOptions | None = None) -> BuildReport:
    options = options or BuildOptions()
    if project.errors or (options.strict and project.warnings) or project.framework is None:
        raise ContentError(project.diagnostics)
    started = time.perf_counter()
    report = BuildReport(output=output.resolve(), warnings=len(project.warnings))
    with staged_output(output) as staging:
        if options.pdf:
            from .forms import render_forms

            try:
                report.pdfs = render_forms(project.framework, staging, templates=project.templates_dir,
                                           paper=options.paper, jobs=options.jobs)
            except fonts.MissingGlyphs as exc:
                raise ContentError(project.diagnostics + fonts.diagnostics(
                    exc.characters, project.content_dir, project.root, project.framework.meta.locale)) from None
        if options.html:
            from .site import render_site

            report.pages = render_site(project.framework, staging, templates=project.templates_dir,
                                       pdfs=set(report.pdfs))
        report.files = sum(1 for p in staging.rglob("*") if p.is_file())
    report.seconds = time.perf_counter() - started
    return report
