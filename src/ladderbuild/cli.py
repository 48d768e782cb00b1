"""The `ladderbuild` command line: thin commands over the pipeline."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
import jinja2

from . import __version__
from .diagnostics import Diagnostic, Severity
from .project import load_project


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ladderbuild")
def main() -> None:
    """Build a career framework (YAML + Markdown) into an HTML handbook and PDF forms."""


def _count(n: int, word: str) -> str:
    plural = word[:-1] + "ies" if word.endswith("y") else word + "s"
    return f"{n} {word if n == 1 else plural}"


def report(diagnostics: list[Diagnostic], *, quiet: bool = False) -> None:
    """Print diagnostics for a person: errors and warnings, file:line:col first."""
    for diag in diagnostics:
        colour = "red" if diag.severity is Severity.ERROR else "yellow"
        head, _, rest = diag.format().partition(": ")
        click.echo(click.style(head, bold=True) + ": " + click.style(rest.split("\n")[0], fg=colour), err=True)
        if diag.hint:
            click.echo(f"    hint: {diag.hint}", err=True)


@main.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json prints a list of diagnostics for tools and CI.")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
def check(directory: Path, strict: bool, fmt: str, quiet: bool) -> None:
    """Validate the framework in DIRECTORY (a project or its content/ folder)."""
    project = load_project(directory)
    failed = bool(project.errors) or (strict and bool(project.warnings))
    if fmt == "json":
        click.echo(json.dumps([d.to_json() for d in project.diagnostics], indent=2, ensure_ascii=False))
    else:
        report(project.diagnostics)
        if not quiet or failed:
            fw = project.framework
            summary = (f"{len(project.errors)} error(s), {len(project.warnings)} warning(s)")
            if fw is not None:
                summary = (f"{fw.meta.title} {fw.meta.version}: {_count(len(fw.levels), 'level')} in "
                           f"{_count(len(fw.tracks), 'track')}, {_count(len(fw.competencies), 'competency')}, "
                           f"{_count(len(fw.forms), 'form')}, {_count(len(fw.packets), 'packet')} — " + summary)
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
@click.option("-j", "--jobs", type=click.IntRange(1), default=None, help="PDF worker processes (default: all cores).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
def build(directory: Path, output: Path | None, no_pdf: bool, no_html: bool, paper: str | None,
          jobs: int | None, strict: bool, quiet: bool) -> None:
    """Validate, then build the handbook and PDFs of DIRECTORY into output/."""
    from .build import BuildOptions, build as run_build
    from .diagnostics import ContentError

    project = load_project(directory)
    report(project.diagnostics)
    output = output or project.root / "output"
    try:
        result = run_build(project, output, BuildOptions(html=not no_html, pdf=not no_pdf, paper=paper,
                                                         jobs=jobs, strict=strict))
    except ContentError:
        click.echo(f"Build stopped: {len(project.errors)} error(s), {len(project.warnings)} warning(s). "
                   f"{output} was left as it was.", err=True)
        sys.exit(1)
    except jinja2.TemplateError as exc:
        where = f"{exc.filename}:{exc.lineno}: " if getattr(exc, "filename", None) else ""
        click.echo(f"{where}error [template] {exc.message or exc}", err=True)
        click.echo("    hint: fix the template (a project's own templates/ override the default theme); "
                   f"{output} was left as it was.", err=True)
        sys.exit(1)
    if not quiet:
        fw = project.framework
        click.echo(f"Built {fw.meta.title} {fw.meta.version} into {result.output}")
        click.echo(f"  {len(result.pages)} HTML pages, {len(result.pdfs)} PDFs, {result.files} files in all")
        click.echo(f"  {result.warnings} warning(s), {result.seconds:.1f} s")


@main.command()
@click.argument("old")
@click.argument("new", default=".")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True)
def diff(old: str, new: str, fmt: str) -> None:
    """What changed in the framework from OLD to NEW (folders or git revisions; NEW defaults to this project)."""
    from .diff import diff_frameworks, format_json, format_markdown, format_text, materialise, temporary_workdir

    with temporary_workdir() as work:
        frameworks = []
        for label, source in (("old", old), ("new", new)):
            try:
                folder = materialise(source, Path("."), Path(work) / label)
            except ValueError as exc:
                click.echo(f"error: {exc}", err=True)
                sys.exit(2)
            project = load_project(folder)
            if project.framework is None:
                report(project.errors)
                click.echo(f"error: the {label} version ({source}) has content errors; fix them first", err=True)
                sys.exit(1)
            frameworks.append(project.framework)
    changes = diff_frameworks(*frameworks)
    click.echo({"text": format_text, "markdown": format_markdown, "json": format_json}[fmt](changes), nl=False)


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", default="Career Framework", show_default=True, help="The framework's title.")
def init(directory: Path, title: str) -> None:
    """Create a new framework project in DIRECTORY: a small, complete example to edit."""
    from .scaffold import ScaffoldError, init_project

    try:
        written = init_project(directory, title)
    except ScaffoldError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"Created {len(written)} files in {directory}. Next: `ladderbuild check {directory}`, "
               f"then `ladderbuild build {directory}`.")


@main.command()
@click.argument("kind", type=click.Choice(["level", "competency", "page"]))
@click.argument("ident", metavar="ID")
@click.option("--title", default=None, help="Title or name (default: from the id).")
@click.option("-C", "--project", "directory", default=".", type=click.Path(file_okay=False, path_type=Path),
              help="The project folder (default: the current folder).")
def new(kind: str, ident: str, title: str | None, directory: Path) -> None:
    """Add a commented skeleton LEVEL, COMPETENCY or PAGE with the given ID to the project."""
    from .scaffold import ScaffoldError, new_item

    try:
        path = new_item(load_project(directory), kind, ident, title)
    except ScaffoldError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"Wrote {path}. Fill it in, then run `ladderbuild check`.")


@main.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("-p", "--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port on 127.0.0.1 (0 picks a free one).")
@click.option("--pdf", is_flag=True, help="Also rebuild the PDF forms on every change (slower).")
def serve(directory: Path, port: int, pdf: bool) -> None:
    """Preview the handbook on 127.0.0.1 and rebuild it, reloading the browser, whenever a file changes."""
    from .serve import DevServer

    DevServer(directory, port=port, pdf=pdf, log=lambda m: click.echo(m, err=True)).serve_forever()


@main.command()
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=Path("schema"),
              show_default=True, help="Folder to write the <kind>.schema.json files into.")
def schema(output: Path) -> None:
    """Write a JSON Schema for each kind of content file, for editor autocomplete (see docs/content-format.md)."""
    from .schema import write_schemas

    written = write_schemas(output)
    click.echo(f"Wrote {len(written)} schema files into {output}: " + ", ".join(p.name for p in written))


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
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
def packets(directory: Path, roster_path: Path, packet_id: str | None, output: Path | None, skip_invalid: bool,
            period: str | None, paper: str | None, jobs: int | None, quiet: bool) -> None:
    """Write a personalised review packet for each employee of a roster, their details filled in.

    Roster rows are checked first; if any row is wrong nothing is written (unless --skip-invalid).
    Files go to OUTPUT/<packet>/<employee_id>.pdf. They hold personal data: keep them out of the handbook.
    """
    import difflib

    from .forms.personal import iter_employees, personal_packets, scan_roster
    from .forms.roster import RosterError

    project = load_project(directory)
    report(project.diagnostics)
    fw = project.framework
    if fw is None:
        click.echo(f"Stopped: the framework has {len(project.errors)} error(s); fix them first.", err=True)
        sys.exit(1)
    if packet_id is not None and packet_id not in {p.id for p in fw.packets}:
        close = difflib.get_close_matches(packet_id, [p.id for p in fw.packets], n=1)
        hint = f"did you mean `{close[0]}`?" if close else "packets: " + (", ".join(p.id for p in fw.packets) or "none")
        click.echo(f"error: there is no packet `{packet_id}` ({hint})", err=True)
        sys.exit(2)
    output = (output or project.root / "packets-out").resolve()
    handbook = (project.root / "output").resolve()
    if output == handbook or handbook in output.parents:
        click.echo(f"error: {output} is inside the handbook's output folder; personalised packets hold "
                   "personal data and must stay out of it (choose another folder with -o)", err=True)
        sys.exit(2)
    if not roster_path.is_file():
        click.echo(f"error: no roster file at {roster_path}", err=True)
        sys.exit(2)
    try:
        scan = scan_roster(fw, roster_path, packet_id)  # first pass: check every row, keep no rows
    except RosterError as exc:
        for problem in exc.problems:
            click.echo(problem.format(roster_path), err=True)
        click.echo("Nothing written: the roster cannot be read.", err=True)
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
    show_bar = not quiet and sys.stderr.isatty()
    written = 0
    with click.progressbar(length=scan.valid, label="Writing packets", file=sys.stderr,
                           show_pos=True) if show_bar else _NoBar() as bar:
        try:  # second pass: the valid rows again, streamed into their packets
            for _path in personal_packets(fw, iter_employees(fw, roster_path, packet_id), output,
                                          packet=packet_id, period=period, layouts=scan.layouts,
                                          templates=project.templates_dir, paper=paper, jobs=jobs,
                                          progress=lambda _e: bar.update(1)):
                written += 1
        except RosterError as exc:
            for problem in exc.problems:
                click.echo(problem.format(roster_path), err=True)
            click.echo(f"Stopped after {written} packet(s).", err=True)
            sys.exit(1)
    if not quiet:
        click.echo(f"Wrote {written} packet(s) for {scan.valid} employee(s) into {output}")
        if problems:
            click.echo(f"Skipped {len({p.row for p in problems})} row(s) with problems (--skip-invalid).")


class _NoBar:
    """Stands in for click.progressbar when stderr is not a terminal."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    def update(self, n: int) -> None:
        return None


if __name__ == "__main__":  # pragma: no cover
    main()
