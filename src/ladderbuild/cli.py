"""The `ladderbuild` command line: thin commands over the pipeline."""

from __future__ import annotations

import functools
import json
import os
import stat
import sys
import time
from pathlib import Path

import click

from . import __version__, interrupt
from .diagnostics import Diagnostic, Severity
from .terminal import json_printable, printable


class _Commands(click.Group):
    """Ctrl-C ends any command with a short message and exit code 130, SIGTERM with 143 (interrupt.py);
    never with a traceback, and both the same clean way."""

    def invoke(self, ctx: click.Context):
        try:
            with interrupt.sigterm_unwinds():
                return super().invoke(ctx)
        except KeyboardInterrupt as stop:
            click.echo(f"\n{interrupt.describe(stop)}.", err=True)
            ctx.exit(interrupt.exit_code(stop))


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ladderbuild")
def main() -> None:
    """Build a career framework (YAML + Markdown) into an HTML handbook and PDF forms."""


QUIET, NORMAL, VERBOSE = -1, 0, 1


def verbosity(func):
    """`-q` (problems only) and `-v` (more detail) on every command, passed on as `verbosity`.

    Put it right above the function, below the click decorators.
    """
    @click.option("-v", "--verbose", is_flag=True, help="Say more: each file written, timings.")
    @click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
    @functools.wraps(func)
    def wrapper(*args, quiet: bool, verbose: bool, **kwargs):
        if quiet and verbose:
            raise click.UsageError("-q and -v contradict each other; use one of them")
        return func(*args, verbosity=QUIET if quiet else VERBOSE if verbose else NORMAL, **kwargs)

    return wrapper


def _count(n: int, word: str) -> str:
    plural = (word[:-1] + "ies" if word.endswith("y") else word + "es" if word.endswith(("s", "sh", "ch", "x"))
              else word + "s")
    return f"{n} {word if n == 1 else plural}"


def load_project(directory: Path):
    """The pipeline's front half, imported when a command needs it: `build` with nothing to do never does."""
    from .project import load_project as load

    return load(directory)


FORCE_HELP = ("Replace the output folder even though it holds files ladderbuild did not write (never the "
              "project, content, home or a system folder).")
REFUSED = 2  # the exit code when a command will not write where it was told to


def refused(exc) -> None:
    """Say why the output folder was refused (an outputdir.OutputRefused) and stop: nothing was touched."""
    click.echo(f"error: {printable(exc.message)}", err=True)
    click.echo(f"    hint: {printable(exc.hint)}", err=True)
    click.echo("Nothing was written.", err=True)
    sys.exit(REFUSED)


def stopped(stop: KeyboardInterrupt, output: Path) -> None:
    """Say that Ctrl-C or SIGTERM stopped the command before anything was written, and exit (130 / 143)."""
    click.echo(f"\n{interrupt.describe(stop)}: nothing was written; {printable(output)} was left as it was.", err=True)
    sys.exit(interrupt.exit_code(stop))


def cannot_write(exc: OSError, what: str, output: Path) -> None:
    """Say that writing failed (a full disk, no permission) and stop: the staging folder is gone."""
    where = f" {exc.filename}" if exc.filename else ""
    click.echo(printable(f"error: cannot write {what}{where}: {exc.strerror or exc}"), err=True)
    click.echo(printable(f"    hint: check that you may write to {output.parent} and that there is space left; "
                         f"{output} was left as it was."), err=True)
    sys.exit(1)


def checked_project(directory: Path):
    """The project, its diagnostics printed; a framework with errors stops the command (exit code 1)."""
    project = load_project(directory)
    report(project.diagnostics)
    if project.framework is None:
        click.echo(f"Stopped: the framework has {len(project.errors)} error(s); fix them first.", err=True)
        sys.exit(1)
    return project


def report(diagnostics: list[Diagnostic]) -> None:
    """Print diagnostics for a person: errors and warnings, file:line:col first."""
    for diag in diagnostics:
        colour = "red" if diag.severity is Severity.ERROR else "yellow"
        first, _, hint = diag.format().partition("\n")  # format() escapes what came from the content
        click.echo(click.style(diag.where, bold=True) + ": " + click.style(first[len(diag.where) + 2:], fg=colour),
                   err=True)
        if hint:
            click.echo(hint, err=True)


@main.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json prints a list of diagnostics for tools and CI.")
@verbosity
def check(directory: Path, strict: bool, fmt: str, verbosity: int) -> None:
    """Validate the framework in DIRECTORY (a project or its content/ folder)."""
    started = time.perf_counter()
    project = load_project(directory)
    quiet = verbosity == QUIET
    failed = bool(project.errors) or (strict and bool(project.warnings))
    if fmt == "json":
        click.echo(json_printable(json.dumps([d.to_json() for d in project.diagnostics], indent=2, ensure_ascii=False)))
    else:
        report(project.diagnostics)
        if not quiet or failed:
            fw = project.framework
            summary = (f"{len(project.errors)} error(s), {len(project.warnings)} warning(s)")
            if fw is not None:
                extra = "".join(f", {_count(n, what)}" for n, what in ((len(fw.specialisms), "specialism"),
                                                                         (len(fw.roles), "role")) if n)
                summary = (f"{printable(fw.meta.title)} {printable(fw.meta.version)}: {_count(len(fw.levels), 'level')} in "
                           f"{_count(len(fw.tracks), 'track')}{extra}, {_count(len(fw.competencies), 'competency')}, "
                           f"{_count(len(fw.forms), 'form')}, {_count(len(fw.packets), 'packet')} — " + summary)
            if verbosity == VERBOSE:
                files = sum(1 for p in project.content_dir.rglob("*") if p.is_file())
                click.echo(f"Checked {_count(files, 'file')} under {printable(project.content_dir)} in "
                           f"{time.perf_counter() - started:.2f} s")
            click.echo(summary, err=failed)
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: output/ in the project).")
@click.option("--no-pdf", is_flag=True, help="Build the HTML handbook only.")
@click.option("--no-html", is_flag=True, help="Build the PDF forms and packets only.")
@click.option("--paper", type=click.Choice(["letter", "a4"]), default=None,
              help="Paper size for PDFs (default: the framework's `paper`, else letter).")
@click.option("-j", "--jobs", type=click.IntRange(1), default=None, help="Worker processes for PDFs and pages (default: all cores).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--no-cache", is_flag=True,
              help="Render everything afresh, ignoring the build cache (.ladderbuild-cache/).")
@click.option("--versions", "versions", default="all", show_default=True, callback=lambda _c, _p, v: _versions(v),
              help="Past versions (git tags named in the changelog) to publish under v/<version>/: all, none, "
                   "or a number (the newest N).")
@click.option("--force", is_flag=True, help=FORCE_HELP)
@verbosity
def build(directory: Path, output: Path | None, no_pdf: bool, no_html: bool, paper: str | None,
          jobs: int | None, strict: bool, no_cache: bool, versions: str, force: bool, verbosity: int) -> None:
    """Validate, then build the handbook and PDFs of DIRECTORY into output/.

    Only what changed since the last build is laid out again; a build with
    nothing to do leaves output/ untouched. The output folder is replaced whole,
    so it must be new, empty or one ladderbuild built (see --force).
    """
    from .build import BuildOptions, build as run_build, output_target, unchanged_build
    from .diagnostics import ContentError
    from .layout import find_content_dir
    from .outputdir import OutputRefused

    started = time.perf_counter()
    options = BuildOptions(html=not no_html, pdf=not no_pdf, paper=paper, jobs=jobs, strict=strict,
                           cache=not no_cache, versions=versions, force=force)
    root, content_dir = find_content_dir(directory)
    output = output or root / "output"
    try:
        output_target(root, content_dir, output, options)
    except OutputRefused as exc:
        refused(exc)
    unchanged = unchanged_build(directory, output, options)
    if unchanged is not None:
        result, warnings = unchanged
        report(warnings)
        _report_versions(result, verbosity)
        if verbosity != QUIET:
            _say_up_to_date(result.output, time.perf_counter() - started)
        return
    import jinja2

    project = load_project(directory)
    report(project.diagnostics)
    try:
        with Progress(verbosity) as progress:
            result = run_build(project, output, options, progress=progress.update)
    except ContentError as exc:
        report([d for d in exc.diagnostics if d not in project.diagnostics])  # found while building (fonts)
        errors = sum(d.severity is Severity.ERROR for d in exc.diagnostics)
        click.echo(f"Build stopped: {errors} error(s), {len(exc.diagnostics) - errors} warning(s). "
                   f"{printable(output)} was left as it was.", err=True)
        sys.exit(1)
    except OutputRefused as exc:  # the folder changed since it was checked above
        refused(exc)
    except jinja2.TemplateError as exc:
        where = f"{exc.filename}:{exc.lineno}: " if getattr(exc, "filename", None) else ""
        click.echo(printable(f"{where}error [template] {exc.message or exc}"), err=True)
        click.echo("    hint: fix the template (a project's own templates/ override the default theme); "
                   f"{printable(output)} was left as it was.", err=True)
        sys.exit(1)
    except KeyboardInterrupt as stop:
        stopped(stop, output)
    except OSError as exc:
        cannot_write(exc, "the output", output)
    report(result.found)
    _report_versions(result, verbosity)
    if verbosity == QUIET:
        return
    fw = project.framework
    if result.up_to_date:
        _say_up_to_date(result.output, result.seconds)
        return
    if verbosity == VERBOSE:
        if result.pages:
            click.echo(f"  {len(result.pages)} HTML pages rendered by {_count(result.page_processes, 'process')}")
        for path in result.pdfs_rendered:
            click.echo(f"  rendered {path}")
        for path in result.pdfs_reused:
            click.echo(f"  unchanged {path}")
        if result.pdf_pages_written:
            again = f" ({result.pdf_pages_laid_out_again} of them twice)" if result.pdf_pages_laid_out_again else ""
            click.echo(f"  PDF pages: {result.pdf_pages_laid_out} laid out{again}, {result.pdf_pages_written} written")
    click.echo(printable(f"Built {fw.meta.title} {fw.meta.version} into {result.output}"))
    reused = f" ({len(result.pdfs_reused)} unchanged, from the cache)" if result.pdfs_reused else ""
    click.echo(f"  {len(result.pages)} HTML pages, {len(result.pdfs)} PDFs{reused}, {result.files} files in all")
    if result.versions:
        click.echo(f"  past versions under v/: {', '.join(result.versions)}")
    click.echo(f"  {result.warnings} warning(s), {result.seconds:.1f} s")


def _versions(value: str) -> str:
    """`--versions`: all, none, or how many of the newest past versions."""
    value = value.strip().lower()
    if value in ("all", "none") or (value.isdigit() and int(value) >= 0):
        return "none" if value == "0" else value
    raise click.BadParameter(f"`{value}` is not all, none or a number of versions")


def _report_versions(result, verbosity: int) -> None:
    """A released version that was not published is said every time, never dropped in silence."""
    for version, why in result.versions_skipped:
        click.echo(click.style(f"warning: version {version} was not published under v/: {why}", fg="yellow"), err=True)
        if verbosity != QUIET:
            click.echo("    hint: fix that version's content in a new commit and move its tag, or leave it out "
                       "with --versions", err=True)


def _say_up_to_date(output: Path, seconds: float) -> None:
    click.echo(f"Nothing changed since the last build: {printable(output)} is up to date "
               f"({seconds:.1f} s; --no-cache to render everything again)")


@main.command()
@click.argument("old")
@click.argument("new", default=".")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True)
@verbosity
def diff(old: str, new: str, fmt: str, verbosity: int) -> None:
    """What changed in the framework from OLD to NEW (folders or git revisions; NEW defaults to this project)."""
    from .diff import diff_frameworks, format_json, format_markdown, format_text, materialise, temporary_workdir

    with temporary_workdir() as work:
        frameworks = []
        # A git revision is looked up in the repository of NEW when NEW is a folder (else of the current one).
        repo = Path(new) if Path(new).is_dir() else Path(".")
        for label, source in (("old", old), ("new", new)):
            try:
                folder = materialise(source, repo, Path(work) / label)
            except ValueError as exc:
                click.echo(f"error: {printable(exc)}", err=True)
                sys.exit(2)
            project = load_project(folder)
            if project.framework is None:
                report(project.errors)
                click.echo(f"error: the {label} version ({printable(source)}) has content errors; fix them first",
                           err=True)
                sys.exit(1)
            frameworks.append(project.framework)
    changes = diff_frameworks(*frameworks)
    summary = printable(f"{_count(len(changes), 'change')} from {frameworks[0].meta.version} ({old}) "
                        f"to {frameworks[1].meta.version} ({new})")
    if verbosity == QUIET:
        click.echo(summary)
        return
    click.echo({"text": format_text, "markdown": format_markdown, "json": format_json}[fmt](changes), nl=False)
    if fmt == "text" and changes:  # Markdown and JSON are for files and tools: no extra line in them
        click.echo(summary)


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", default="Career Framework", show_default=True, help="The framework's title.")
@verbosity
def init(directory: Path, title: str, verbosity: int) -> None:
    """Create a new framework project in DIRECTORY: a small, complete example to edit."""
    from . import outputdir
    from .scaffold import ScaffoldError, init_project

    try:  # only adds files, into a new or empty folder (init_project) that is none of the protected ones
        outputdir.check(directory, kind="init", replace=False)
        written = init_project(directory, title)
    except outputdir.OutputRefused as exc:
        refused(exc)
    except ScaffoldError as exc:
        click.echo(f"error: {printable(exc)}", err=True)
        sys.exit(1)
    if verbosity == VERBOSE:
        for path in written:
            click.echo(f"  created {printable(path)}")
    if verbosity != QUIET:
        click.echo(printable(f"Created {len(written)} files in {directory}. Next: `ladderbuild check {directory}`, "
                             f"then `ladderbuild build {directory}`."))


@main.command()
@click.argument("kind", type=click.Choice(["level", "competency", "page"]))
@click.argument("ident", metavar="ID")
@click.option("--title", default=None, help="Title or name (default: from the id).")
@click.option("-C", "--project", "directory", default=".", type=click.Path(file_okay=False, path_type=Path),
              help="The project folder (default: the current folder).")
@verbosity
def new(kind: str, ident: str, title: str | None, directory: Path, verbosity: int) -> None:
    """Add a commented skeleton LEVEL, COMPETENCY or PAGE with the given ID to the project."""
    from .scaffold import ScaffoldError, new_item

    try:
        path = new_item(load_project(directory), kind, ident, title)
    except ScaffoldError as exc:
        click.echo(f"error: {printable(exc)}", err=True)
        sys.exit(1)
    if verbosity == VERBOSE:
        click.echo(path.read_text(encoding="utf-8"))
    if verbosity != QUIET:
        click.echo(f"Wrote {printable(path)}. Fill it in, then run `ladderbuild check`.")


@main.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("-p", "--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port on 127.0.0.1 (0 picks a free one).")
@click.option("--pdf", is_flag=True, help="Also rebuild the PDF forms on every change (slower).")
@verbosity
def serve(directory: Path, port: int, pdf: bool, verbosity: int) -> None:
    """Preview the handbook on 127.0.0.1 and rebuild it, reloading the browser, whenever a file changes.

    -q prints only the address and problems; -v also logs every request.
    """
    from .serve import DevServer

    DevServer(directory, port=port, pdf=pdf, log=lambda m: click.echo(m, err=True),
              verbosity=verbosity).serve_forever()


@main.command()
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("schema"),
              show_default=True, help="Folder to write the <kind>.schema.json files into.")
@verbosity
def schema(output: Path, verbosity: int) -> None:
    """Write a JSON Schema for each kind of content file, for editor autocomplete (see docs/content-format.md)."""
    from . import outputdir
    from .layout import find_content_dir
    from .schema import NotOurs, write_schemas

    root, content_dir = find_content_dir(Path.cwd())
    try:  # only adds its own files: a folder that holds others is fine, a protected one is not
        outputdir.check(output, kind="schema", project=root if content_dir.is_dir() else None,
                        content=content_dir if content_dir.is_dir() else None, replace=False)
        written = write_schemas(output)
    except outputdir.OutputRefused as exc:
        refused(exc)
    except NotOurs as exc:
        click.echo(printable(f"error: {', '.join(str(p) for p in exc.paths)} already exist(s) and ladderbuild did "
                             "not write them"), err=True)
        click.echo("    hint: choose another folder with -o, or move those files away", err=True)
        click.echo("Nothing was written.", err=True)
        sys.exit(REFUSED)
    if verbosity == VERBOSE:
        for path in written:
            click.echo(f"  wrote {printable(path)}")
    if verbosity != QUIET:
        click.echo(f"Wrote {len(written)} schema files into {printable(output)}: " + ", ".join(p.name for p in written))


@main.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--roster", "roster_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="CSV with columns employee_id, name, level, manager (department, hire_date, period optional).")
@click.option("--packet", "packet_id", default=None,
              help="Packet to make (default: every packet that applies to each employee's level).")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the packets (default: packets-out/ in the project). Never inside output/.")
@click.option("--skip-invalid", is_flag=True, help="Write packets for the valid rows and report the others.")
@click.option("--period", default=None, help="Review period to print on every packet (overrides the roster's).")
@click.option("--paper", type=click.Choice(["letter", "a4"]), default=None,
              help="Paper size (default: the framework's `paper`, else letter).")
@click.option("-j", "--jobs", type=click.IntRange(1), default=None, help="PDF worker processes (default: all cores).")
@click.option("--force", is_flag=True, help=FORCE_HELP)
@verbosity
def packets(directory: Path, roster_path: Path, packet_id: str | None, output: Path | None, skip_invalid: bool,
            period: str | None, paper: str | None, jobs: int | None, force: bool, verbosity: int) -> None:
    """Write a personalised review packet for each employee of a roster, their details filled in.

    Roster rows are checked first; if any row is wrong nothing is written (unless --skip-invalid).
    Files go to OUTPUT/<packet>/<employee_id>.pdf, listed in OUTPUT/manifest.csv (employee_id, name, level,
    manager, packet, file) for a mail merge. They hold personal data: keep them out of the handbook.
    OUTPUT is replaced whole, so it must be new, empty or one `ladderbuild packets` wrote (see --force).
    """
    import difflib

    from . import outputdir
    from .cache import BuildCache
    from .forms.manifest import holds_a_manifest, write_manifest
    from .forms.personal import iter_employees, personal_packets, scan_roster
    from .forms.roster import RosterError
    from .layout import find_content_dir
    from .write import staged_output

    root, content_dir = find_content_dir(directory)
    output = (output or root / "packets-out").resolve()
    handbook = (root / "output").resolve()
    if output == handbook or handbook in output.parents:
        click.echo(f"error: {printable(output)} is inside the handbook's output folder; personalised packets hold "
                   "personal data and must stay out of it (choose another folder with -o)", err=True)
        click.echo("Nothing was written.", err=True)
        sys.exit(REFUSED)
    try:  # packets written before the marker existed are known by their manifest: they count as --force
        target = outputdir.check(output, kind=outputdir.PACKETS, project=root, content=content_dir,
                                 force=force or holds_a_manifest(output))
    except outputdir.OutputRefused as exc:
        refused(exc)
    project = checked_project(directory)
    fw = project.framework
    if packet_id is not None and packet_id not in {p.id for p in fw.packets}:
        close = difflib.get_close_matches(packet_id, [p.id for p in fw.packets], n=1)
        hint = f"did you mean `{close[0]}`?" if close else "packets: " + (", ".join(p.id for p in fw.packets) or "none")
        click.echo(printable(f"error: there is no packet `{packet_id}` ({hint})"), err=True)
        sys.exit(2)
    if not roster_path.is_file():
        click.echo(f"error: no roster file at {printable(roster_path)}", err=True)
        sys.exit(2)
    try:
        scan = scan_roster(fw, roster_path, packet_id)  # first pass: check every row, keep no rows
    except RosterError as exc:
        for problem in exc.problems:
            click.echo(problem.format(roster_path), err=True)
        click.echo("Nothing written: the roster cannot be read.", err=True)
        sys.exit(1)
    except OSError as exc:
        click.echo(printable(f"error: cannot read the roster {roster_path}: {exc.strerror or exc}"), err=True)
        click.echo("    hint: check that the file exists and that you have permission to read it", err=True)
        sys.exit(1)
    problems = scan.problems
    for problem in problems:
        click.echo(problem.format(roster_path), err=True)
    if problems and not skip_invalid:
        bad_rows = len({p.row for p in problems})
        click.echo(f"Nothing written: {bad_rows} row(s) of the roster have problems "
                   "(fix them, or use --skip-invalid to write the other rows).", err=True)
        sys.exit(1)
    if not scan.valid:
        click.echo("Nothing written: the roster has no valid rows.", err=True)
        sys.exit(1)
    from . import fonts

    files = 0

    def write(employees, staging: Path):  # second pass: the valid rows again, streamed into their packets
        nonlocal files
        for path in personal_packets(fw, employees, staging, packet=packet_id, period=period, layouts=scan.layouts,
                                     templates=project.templates_dir, paper=paper, jobs=jobs, progress=tick,
                                     cache=BuildCache.for_project(project.root, output)):
            if not isinstance(path, Path):  # a packet this employee does not get: said in the manifest
                yield path
                continue
            files += 1
            if verbosity == VERBOSE:
                click.echo(f"  wrote {printable(output / path.relative_to(staging))}")
            yield path

    done = 0
    with Progress(verbosity) as progress:

        def tick(_employee) -> None:
            nonlocal done
            done += 1
            progress.update("Writing packets", done, scan.valid)

        # Personal data: every folder and file this writes is for its owner only (0700 / 0600); a folder
        # that was there before keeps its permissions. All of it is written into a staging folder that
        # replaces OUTPUT only when every packet and the manifest are written.
        mode = stat.S_IMODE(output.stat().st_mode) if output.is_dir() else 0o700
        private = os.umask(0o077)
        try:
            with staged_output(target, mode=mode) as staging:
                manifest = write_manifest(iter_employees(fw, roster_path, packet_id, scan.digest),
                                          lambda employees: write(employees, staging), staging)
        except RosterError as exc:
            for problem in exc.problems:
                click.echo(problem.format(roster_path), err=True)
            click.echo(f"Stopped after {done} employee(s); nothing was written, {printable(output)} was left as it was.",
                       err=True)
            sys.exit(1)
        except fonts.MissingGlyphs as exc:
            report(fonts.diagnostics(exc.characters, project.content_dir, project.root, fw.meta.locale))
            click.echo("Nothing written: no installed font can print the packets' text.", err=True)
            sys.exit(1)
        except OSError as exc:
            cannot_write(exc, "the packets", output)
        finally:
            os.umask(private)
    if verbosity != QUIET:
        click.echo(f"Wrote {files} packet(s) for {scan.valid} employee(s) into {printable(output)}")
        click.echo(f"  {manifest.name} lists who gets which file (for a mail merge)")
        if problems:
            click.echo(f"Skipped {len({p.row for p in problems})} row(s) with problems (--skip-invalid).")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-C", "--project", "directory", default=".", type=click.Path(file_okay=False, path_type=Path),
              help="The framework's project folder (default: the current folder).")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the report, CSV and JSON (default: scores-out/ in the project). Never inside output/.")
@click.option("--format", "formats", default="html,csv,json", show_default=True,
              help="What to write, comma-separated: html (the calibration report), csv, json.")
@click.option("--roster", "roster_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The roster CSV; its range_position column (percent of the pay range) sets each merit increase.")
@click.option("--dated-is-signed", is_flag=True,
              help="Count a filled date as the signature (forms signed in ink and typed in afterwards).")
@click.option("--max-size", type=click.FloatRange(min=0.001), default=64.0, show_default=True,
              help="Refuse files larger than this many MB without opening them.")
@click.option("--force", is_flag=True, help="Replace the output folder if it already holds files.")
@click.option("-j", "--jobs", type=click.IntRange(1), default=None, help="Reader processes (default: all cores).")
@verbosity
def scores(paths: tuple[Path, ...], directory: Path, output: Path | None, formats: str, roster_path: Path | None,
           dated_is_signed: bool, max_size: float, force: bool, jobs: int | None, verbosity: int) -> None:
    """Read filled forms and packets (PATHS: files, or folders read recursively): completeness, scores by the
    evaluation model, and a calibration report with CSV and JSON for an HRIS.

    Every PDF is matched to the framework by the metadata ladderbuild wrote into it. Files that cannot be
    scored are reported one by one and the others are still scored; the exit code is 1 when any file was
    refused. The results hold employee data: keep them out of the handbook.
    """
    from . import outputdir
    from .scores.run import OutputRefused, ScoreOptions, check_output, parse_formats, roster_positions, run_scores

    project = checked_project(directory)
    fw = project.framework
    try:
        chosen = parse_formats(formats)
        target = check_output(output or project.root / "scores-out", project.root, paths, force=force,
                              content=project.content_dir)
    except OutputRefused as exc:
        click.echo(f"error: {printable(exc)}", err=True)
        sys.exit(REFUSED)
    except outputdir.OutputRefused as exc:
        refused(exc)
    output = target.path
    positions = []
    if roster_path is not None:
        positions, problems = roster_positions(fw, roster_path)
        for problem in problems:
            click.echo(problem.format(roster_path), err=True)
    options = ScoreOptions(formats=chosen, max_bytes=int(max_size * 1_000_000), jobs=jobs,
                           dated_is_signed=dated_is_signed, templates=project.templates_dir)

    def heard(found) -> None:
        for problem in found.problems:  # a file refused or warned about as a whole
            if problem.severity == "error" or verbosity != QUIET:
                click.echo(problem.format(), err=True)
        if verbosity == VERBOSE:
            for evaluation in found.evaluations:
                for problem in evaluation.problems:
                    click.echo(problem.format(), err=True)

    private = os.umask(0o077)  # employee data: files and folders for their owner only
    try:
        result = run_scores(fw, list(paths), target, options, positions=positions, on_result=heard)
    except KeyboardInterrupt as stop:
        stopped(stop, output)
    except OSError as exc:
        cannot_write(exc, "the results", output)
    finally:
        os.umask(private)
    counts = result.counts
    if verbosity != QUIET:
        for path in result.written if verbosity == VERBOSE else []:
            click.echo(f"  wrote {printable(path)}")
        click.echo(printable(f"Wrote the results into {result.output}" + (
            f" (open {result.output / 'report.html'})" if "html" in chosen else "")))
    click.echo(f"{_count(counts['files'], 'file')} read: {counts['files'] - counts['refused']} scored, "
               f"{counts['refused']} refused; {_count(counts['evaluations'], 'form')}, "
               f"{counts['scored']} with an overall score, {counts['incomplete']} incomplete; "
               f"{_count(counts['errors'], 'error')}, {_count(counts['warnings'], 'warning')}",
               err=bool(counts["refused"]))
    sys.exit(1 if counts["refused"] else 0)


class Progress:
    """A progress bar on stderr for long steps — only on a terminal and not with -q, so CI logs and
    pipes stay clean. `update(step, done, total)` may be called for several steps in turn."""

    def __init__(self, verbosity: int, stream=None):
        self.stream = stream or sys.stderr
        self.enabled = verbosity != QUIET and self.stream.isatty()
        self._bar = None
        self._step = None

    def __enter__(self) -> "Progress":
        return self

    def update(self, step: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if step != self._step:
            self._close()
            self._step = step
            self._bar = click.progressbar(length=total, label=step, file=self.stream, show_pos=True)
            self._bar.__enter__()
        self._bar.update(done - self._bar.pos)

    def _close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None

    def __exit__(self, *exc) -> None:
        self._close()


if __name__ == "__main__":  # pragma: no cover
    main()
