"""`ladderbuild scores`: read every filled PDF under the paths given, score them, write the results.

Files are found one folder at a time and read in batches by a pool of
processes (forked, so each inherits the framework without pickling it);
each file's result goes into the store (store.py) as it arrives, so neither
the PDFs nor their results are held in memory. The result files (report,
CSV, JSON) are then written by the same workers side by side, each reading
the finished store; the report is streamed as its template makes it. They
are written into a staging folder beside the output folder, which takes its
place only when everything is written: a failed or interrupted run leaves
nothing half-made.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import multiprocessing.pool
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .. import outputdir
from ..resolve import Framework
from ..theme import make_environment, static_files
from ..workers import follow_build
from ..write import staged_output, write_bytes, write_chunks
from . import charts, report
from .evaluate import ERROR, FileResult, Layouts, Problem, evaluate
from .read import ReadError, iter_pdfs, read_pdf
from .store import Store

FORMATS = ("html", "csv", "json")
BATCH = 256  # files handed to the pool at a time: the queue never holds the whole folder
REPORT = "report.html"


@dataclass(frozen=True)
class ScoreOptions:
    formats: frozenset[str] = frozenset(FORMATS)
    max_bytes: int = 64_000_000
    jobs: int | None = None
    dated_is_signed: bool = False
    templates: Path | None = None


@dataclass
class RunResult:
    output: Path
    counts: dict[str, int] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)


class OutputRefused(Exception):
    """An output folder `scores` will not write into."""


def parse_formats(text: str) -> frozenset[str]:
    chosen = {f.strip().lower() for f in text.split(",") if f.strip()}
    unknown = chosen - set(FORMATS)
    if unknown or not chosen:
        raise OutputRefused(f"unknown format(s) {', '.join(sorted(unknown)) or '(none)'}: choose from "
                            + ", ".join(FORMATS))
    return frozenset(chosen)


def check_output(output: Path, project: Path, inputs: Iterable[Path], *, force: bool,
                 content: Path | None = None) -> outputdir.OutputTarget:
    """The output folder, if `scores` may write it; raises OutputRefused (the results' own rules) or
    outputdir.OutputRefused (the rules of every folder ladderbuild replaces) with the reason otherwise.

    It holds employee data, so never the handbook's output/ (which is published) or anything in it;
    it is replaced whole, so never a folder holding the PDFs being read, nor any folder the shared
    guard protects (the project, its content, the home folder, system folders …: outputdir.py); and
    never a folder that already holds files, even results of an earlier run, unless --force.
    """
    given, output, project = output, output.resolve(), project.resolve()
    handbook = project / "output"
    if output == handbook or handbook in output.parents:
        raise OutputRefused(f"{output} is inside the handbook's output folder, which is published; the results "
                            "hold employee data (choose another folder with -o)")
    for source in inputs:
        source = Path(source).resolve()
        if source == output or output in source.parents:
            raise OutputRefused(f"{output} holds the PDFs being read ({source}); write the results elsewhere "
                                "with -o, since the folder is replaced whole")
    target = outputdir.check(given, kind=outputdir.SCORES, project=project, content=content, force=True)
    if output.is_dir() and any(output.iterdir()) and not force:
        raise OutputRefused(f"{output} already holds files; use --force to replace them, or -o for a new folder")
    return target


def roster_positions(fw: Framework, roster_path: Path) -> tuple[list[tuple[str, float]], list]:
    """Each employee's position in the pay range (the roster's `range_position`), and the roster's problems."""
    from ..forms.roster import Roster, RosterError, RosterProblem

    positions, problems = [], []
    try:
        for item in Roster(roster_path, fw).read():
            if isinstance(item, RosterProblem):
                problems.append(item)
            elif item.range_position is not None:
                positions.append((item.employee_id, item.range_position))
    except RosterError as exc:
        problems += exc.problems
    except OSError as exc:
        problems.append(RosterProblem(1, None, f"cannot read the roster: {exc.strerror or exc}"))
    return positions, problems


def score_file(fw: Framework, path: Path, options: ScoreOptions, layouts: Layouts | None = None) -> FileResult:
    """One file's result; never raises for a bad file."""
    try:
        pdf = read_pdf(path, options.max_bytes)
    except ReadError as exc:
        return FileResult(str(path), problems=[Problem(ERROR, "unreadable", str(path), exc.message, exc.hint)])
    try:
        return evaluate(fw, pdf, layouts=layouts, dated_is_signed=options.dated_is_signed)
    except Exception as exc:  # noqa: BLE001 — a hostile file must cost its own result, never the run
        return FileResult(str(path), problems=[Problem(
            ERROR, "unreadable", str(path), f"the PDF could not be read ({type(exc).__name__}: {exc})",
            "ask for the form to be saved again from the viewer it was filled in")])
    finally:
        pdf.close()


# What the forked workers inherit: the framework, the options, and the layouts worked out so far.
_job: tuple[Framework, ScoreOptions, Layouts] | None = None


def _score_nth(path: Path) -> FileResult:
    fw, options, layouts = _job
    return score_file(fw, path, options, layouts)


def _write_nth(name: str, store_path: Path, folder: Path) -> list[Path]:
    fw, options, _layouts = _job
    store = Store(store_path, create=False)
    try:
        return _writers(fw, options)[name](store, folder)
    finally:
        store.close()


@contextlib.contextmanager
def _pool(fw: Framework, options: ScoreOptions) -> Iterator[multiprocessing.pool.Pool | None]:
    """The worker processes for one run (forked, so each inherits the framework without pickling it), or
    None to work in this process: one job, or no fork on this system."""
    global _job
    jobs = options.jobs or os.cpu_count() or 1
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield None
        return
    _job = (fw, options, Layouts(fw))
    try:
        with multiprocessing.get_context("fork").Pool(jobs, initializer=follow_build,
                                                      initargs=(os.getpid(),)) as pool:
            yield pool
    finally:
        _job = None


def _results(pool, fw: Framework, paths: Iterable[Path], options: ScoreOptions) -> Iterator[FileResult]:
    if pool is None:
        layouts = Layouts(fw)
        for path in paths:
            yield score_file(fw, path, options, layouts)
        return
    # A batch at a time, so the pool's queue never holds the whole folder; the next batch is handed over
    # before this one's results are taken, so the workers never wait for the slowest file of a batch.
    paths = iter(paths)
    running = None
    while batch := list(itertools.islice(paths, BATCH)):
        queued = pool.imap(_score_nth, batch, chunksize=8)
        if running is not None:
            yield from running
        running = queued
    if running is not None:
        yield from running


def _writers(fw: Framework, options: ScoreOptions) -> dict[str, Callable[[Store, Path], list[Path]]]:
    """Each result file (or group of files) the options ask for → how to write it from a finished store."""
    writers = {}
    for fmt, tables in report.TABLES.items():
        if fmt in options.formats:
            for table in tables:
                writers[table.__name__] = lambda store, folder, table=table: [table(store, fw, folder)]
    if "html" in options.formats:
        writers["report"] = lambda store, folder: write_report(fw, store, folder, options.templates,
                                                               options.dated_is_signed)
    return writers


def run_scores(fw: Framework, paths: list[Path], output: outputdir.OutputTarget | Path, options: ScoreOptions, *,
               positions: Iterable[tuple[str, float]] = (),
               on_result: Callable[[FileResult], None] | None = None) -> RunResult:
    """Score every PDF under `paths` and write the results into `output` (replacing it): the target
    `check_output` allowed, or a folder checked as outputdir.check would."""
    if not isinstance(output, outputdir.OutputTarget):
        output = outputdir.check(output, kind=outputdir.SCORES)
    result = RunResult(output.path)
    with staged_output(output, mode=0o700) as staging, _pool(fw, options) as pool:
        store = Store(staging / ".scores.sqlite")
        try:
            def unreadable(path: Path, message: str) -> None:
                found = FileResult(str(path), problems=[Problem(ERROR, "unreadable", str(path), message)])
                store.add(found)
                if on_result:
                    on_result(found)

            for found in _results(pool, fw, iter_pdfs(paths, unreadable), options):
                store.add(found)
                if on_result:
                    on_result(found)
            store.add_positions(positions)
            store.finish()
            result.counts = store.counts()
            # The result files only read the finished store, so the workers write them side by side.
            writers = _writers(fw, options)
            if pool is None:
                written = [writer(store, staging) for writer in writers.values()]
            else:
                written = pool.starmap(_write_nth, [(name, store.path, staging) for name in writers], chunksize=1)
            result.written = [path for paths_written in written for path in paths_written]
        finally:
            store.close()
    os.chmod(result.output, 0o700)  # employee data: for its owner only, like the files in it
    result.written = [result.output / p.relative_to(staging) for p in result.written]
    return result


def write_report(fw: Framework, store: Store, folder: Path, templates: Path | None,
                 dated_is_signed: bool = False) -> list[Path]:
    """report.html and the stylesheets it links (the handbook's, and the report's own)."""
    view = report.build_view(fw, store)
    view.rules["dated_is_signed"] = dated_is_signed
    env = make_environment(templates, fw.meta.locale)
    html = env.get_template("scores/report.html").generate(
        fw=fw, view=view, charts={
            "overall": charts.single(view.overall.counts, [b.label for b in view.bands]),
            "rater": charts.bars(view.by_rater), "department": charts.bars(view.by_department),
            "level": charts.bars(view.by_level)})
    written = [write_chunks(folder, REPORT, html)]  # streamed: the incomplete forms alone can be megabytes
    for prefix in ("site/static", "scores/static"):
        for name, source in static_files(prefix, templates).items():
            if name.endswith(".css"):
                written.append(write_bytes(folder, f"static/{name}", source.read_bytes()))
    return written
