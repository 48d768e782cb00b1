"""ladderbuild's benchmark: builds, rebuilds, MkDocs side by side, and personalised packets at scale.

Run it with `bench/run` (see bench/README.md). Every measurement is a fresh
`python -m ladderbuild …` (or `python -m mkdocs build`) process, timed from
outside: wall time, CPU time of the process and its children, and peak
memory of the whole process tree (sampled every 20 ms, so PDF workers
count). Ratios are computed from numbers measured in this one run; absolute
times are for people and depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

import mkdocs_export  # noqa: E402
import synth  # noqa: E402

NOOP_ROUNDS = 5  # no-op rebuilds measured per case (the median is reported): see Bench.builds

@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and everything it waited for
    peak_mb: float  # peak resident memory of the process tree, MiB
    output: str


def measure(args: list[str], cwd: Path | None = None, env: dict | None = None) -> Run:
    """Run a command to completion; its wall time, CPU time and peak tree memory. Fails loudly."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = psutil.Popen(args, cwd=cwd, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE,
                        stderr=subprocess.STDOUT, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            try:
                tree = [proc] + proc.children(recursive=True)
                total = 0
                for p in tree:
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:
                        pass
                peak = max(peak, total)
            except psutil.Error:
                pass
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = proc.communicate()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(map(str, args))}\n{output}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(wall, cpu, peak / 2**20, output)


class Bench:
    def __init__(self, work: Path, python: str) -> None:
        self.work = work
        self.python = python
        self.rows: list[list[str]] = []
        self.checks: list[tuple[str, float, str, bool]] = []  # (what, measured ratio, target, met)
        self.env = {"PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}

    def ladderbuild(self, *args: str, cache: Path, cwd: Path | None = None) -> Run:
        return measure([self.python, "-m", "ladderbuild", *args], cwd=cwd,
                       env={**self.env, "LADDERBUILD_CACHE_DIR": str(cache)})

    def row(self, case: str, what: str, run: Run, units: int, unit: str, note: str = "", pool: bool = False) -> None:
        """One table row. With `pool`, PDF workers ran under the fork server, whose CPU time the parent
        cannot collect, so the CPU column is left out rather than shown too low."""
        per = f"{run.wall / units * 1000:.1f} ms/{unit}" if units else ""
        self.rows.append([case, what, f"{run.wall:.2f}", "—" if pool else f"{run.cpu:.2f}", f"{run.peak_mb:.0f}",
                          f"{units} {_plural(unit)}" if units else "", per, note])
        print(f"  {case:<22} {what:<44} {run.wall:8.2f} s  {run.peak_mb:6.0f} MiB  {note}", flush=True)

    def check(self, what: str, ratio: float, target: str, met: bool) -> None:
        self.checks.append((what, ratio, target, met))

    # ------------------------------------------------------------------ project copies

    def fresh(self, source: Path, name: str) -> Path:
        """A copy of a project's content in a new folder (so no cache or output is shared)."""
        target = self.work / _slug(name)
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(source / "content", target / "content")
        if source != REPO and (source / "templates").is_dir():  # the repository's templates/ is the theme
            shutil.copytree(source / "templates", target / "templates")
        return target

    # ------------------------------------------------------------------ builds

    def builds(self, case: str, source: Path, *, pdf: bool) -> dict[str, Run]:
        """Cold HTML only; with `pdf`, cold PDF only and both. Then a no-op rebuild and a rebuild after
        editing one competency, of the last cold build (both when `pdf`, else HTML only).

        Without PDFs every build takes seconds, and one slow run on a shared machine would move a
        ratio by a third: those rows are medians of three (the cold build in three fresh copies, the
        edit made, undone and made again, each a one-competency change). A no-op rebuild takes a
        fifth of a second, where the machine's hiccups weigh most and a run costs nothing: it is
        always the median of five."""
        runs: dict[str, Run] = {}
        rounds = 1 if pdf else 3
        modes = [("html", ["--no-pdf"])] + ([("pdf", ["--no-html"]), ("both", [])] if pdf else [])
        for mode, flags in modes:
            colds = []
            for _ in range(rounds):
                project = self.fresh(source, f"{case}-{mode}")
                # -v with PDFs: the build says how many PDF pages it laid out and wrote
                colds.append(self.ladderbuild("build", str(project), "-o", str(project / "output"), *flags,
                                              "-q" if mode == "html" else "-v", cache=project / "cache"))
            run = _median(colds)
            runs[mode] = run
            pages, pdfs = _count_output(project / "output")
            label = {"html": "cold build, HTML only", "pdf": "cold build, PDF only", "both": "cold build, HTML + PDF"}
            note = f"{pages} pages, {pdfs} PDFs"
            laid = _pdf_pages(run.output) if mode == "pdf" else None
            if laid is not None:
                laid_out, again, written = laid
                note += f"; PDF pages: {laid_out:,} laid out, {written:,} written"
                # issue 19: each distinct page laid out once (packets add their covers only)
                self.check(f"{case}: PDF pages laid out per cold build / distinct pages", laid_out / (laid_out - again),
                           "= 1", again == 0)
            self.row(case, label[mode], run, pages if mode == "html" else pdfs if mode == "pdf" else pages + pdfs,
                     "page" if mode == "html" else "PDF" if mode == "pdf" else "file", note, pool=mode != "html")
        last, flags = modes[-1]
        project = self.work / _slug(f"{case}-{last}")
        cold = runs[last]

        def rebuild() -> Run:
            return self.ladderbuild("build", str(project), "-o", str(project / "output"), *flags, "-q",
                                    cache=project / "cache")

        noop = _median([rebuild() for _ in range(NOOP_ROUNDS)])
        self.row(case, f"no-op rebuild ({'HTML + PDF' if pdf else 'HTML only'})", noop, 0, "",
                 f"{noop.wall / cold.wall:.1%} of cold", pool=pdf)
        edited = synth.competency_to_edit(project)
        original = edited.read_text(encoding="utf-8")
        edits = []
        for n in range(rounds):
            if n % 2 == 0:
                synth.edit_one_competency(project)
            else:  # undo the edit, which again changes one competency
                edited.write_text(original, encoding="utf-8")
            edits.append(rebuild())
        edit = _median(edits)
        self.row(case, "rebuild after editing 1 competency", edit, 0, "",
                 f"{edit.wall / cold.wall:.1%} of cold ({edited.name})", pool=pdf)
        self.check(f"{case}: no-op rebuild / cold build", noop.wall / cold.wall, "< 5%", noop.wall / cold.wall < 0.05)
        self.check(f"{case}: one-competency rebuild / cold build", edit.wall / cold.wall, "< 20%",
                   edit.wall / cold.wall < 0.20)
        runs["noop"], runs["edit"] = noop, edit
        return runs

    def mkdocs(self, case: str, source: Path, rounds: int = 3) -> tuple[Run, int, Run, int]:
        """The same content as Markdown pages built by `mkdocs build`, against ladderbuild's HTML stage.

        The two are built alternately, `rounds` times each (a cold `build --no-pdf` into a fresh folder
        with an empty cache, then `mkdocs build`), and the medians compared: on a machine shared with
        other work, two builds minutes apart can see very different loads."""
        sys.path.insert(0, str(REPO / "src"))
        from ladderbuild.project import load_project

        framework = load_project(source).framework
        target = self.work / _slug(f"{case}-mkdocs")
        mkdocs_export.export(framework, target)
        md_pages = mkdocs_export.page_count(target)
        ours_runs, theirs_runs = [], []
        for n in range(rounds):
            out = self.work / _slug(f"{case}-html-{n}")
            shutil.rmtree(out, ignore_errors=True)
            ours_runs.append(self.ladderbuild("build", str(source), "-o", str(out / "output"), "--no-pdf", "-q",
                                              cache=out / "cache"))
            shutil.rmtree(target / "site", ignore_errors=True)
            theirs_runs.append(measure([self.python, "-m", "mkdocs", "build", "-q", "-d", str(target / "site")],
                                       cwd=target))
        pages = _count_output(out / "output")[0]
        built = sum(1 for _ in (target / "site").rglob("*.html"))
        ours, theirs = _median(ours_runs), _median(theirs_runs)
        self.row(case, f"ladderbuild HTML only, median of {rounds}", ours, pages, "page",
                 "alternating with MkDocs")
        self.row(case, f"MkDocs build of the same content, median of {rounds}", theirs, built, "page",
                 f"{md_pages} Markdown pages")
        ratio = (theirs.wall / built) / (ours.wall / pages)
        cpu_ratio = (theirs.cpu / built) / (ours.cpu / pages)
        self.check(f"{case}: MkDocs wall time per page / ladderbuild HTML wall time per page", ratio, "≥ 5",
                   ratio >= 5)
        self.check(f"{case}: the same in CPU time", cpu_ratio, "≥ 5", cpu_ratio >= 5)
        print(f"  {case}: per page ladderbuild {ours.wall / pages * 1000:.1f} ms, MkDocs "
              f"{theirs.wall / built * 1000:.1f} ms → ladderbuild is {ratio:.2f}× as fast "
              f"(CPU time: {cpu_ratio:.2f}×)", flush=True)
        return ours, pages, theirs, built

    def added_pages(self, small: tuple[Run, int, Run, int], large: tuple[Run, int, Run, int]) -> None:
        """What each page added from the smaller synthetic site to the larger one costs, in both tools:
        per-page cost with the fixed costs (start-up, imports, configuration) taken out."""
        ours = (large[0].wall - small[0].wall) / (large[1] - small[1])
        theirs = (large[2].wall - small[2].wall) / (large[3] - small[3])
        ratio = theirs / ours
        self.check(f"synthetic, {small[1]} → {large[1]} pages: MkDocs wall time per added page / ladderbuild's",
                   ratio, "≥ 5", ratio >= 5)
        print(f"  per added page: ladderbuild {ours * 1000:.1f} ms, MkDocs {theirs * 1000:.1f} ms → {ratio:.2f}×",
              flush=True)

    # ------------------------------------------------------------------ scaling

    def scaling(self, sizes: list[int]) -> None:
        """Cold HTML builds of synthetic frameworks of growing size (10 tracks × 10 levels, `sizes`
        competencies): the cost per competency should stay flat. Each step's growth exponent is
        log(time ratio) / log(size ratio): 1 is linear, 2 quadratic (a build of 10,000 competencies
        once took 89 s against 23 s for 5,000, an exponent of 1.95). CPU time counts the page workers
        too, so it is steadier than wall time on a busy machine; both are shown."""
        runs = []
        for size in sizes:
            project = synth.generate(self.work / f"scaling-{size}", 10, 10, size)
            run = self.ladderbuild("build", str(project), "-o", str(project / "output"), "--no-pdf", "-q",
                                   cache=project / "cache")
            pages = _count_output(project / "output")[0]
            self.row(f"scaling {size:,}", "cold build, HTML only", run, size, "competency", f"{pages} pages")
            runs.append((size, run))
            shutil.rmtree(project, ignore_errors=True)
        (small, first), (large, last) = runs[0], runs[-1]
        for label, a, b in (("wall", first.wall, last.wall), ("CPU", first.cpu, last.cpu)):
            exponent = math.log(b / a) / math.log(large / small)
            self.check(f"scaling {small:,} → {large:,} competencies: growth exponent of {label} time", exponent,
                       "≤ 1.2 (1 = linear)", exponent <= 1.2)
            print(f"  {label} time per competency: {a / small * 1000:.1f} ms at {small:,}, "
                  f"{b / large * 1000:.1f} ms at {large:,} → exponent {exponent:.2f}", flush=True)

    # ------------------------------------------------------------------ personalised packets

    def packets(self, source: Path, sizes: list[int], packet: str, levels: int | None) -> None:
        """Personalised packets. The blank layouts (one per level) are laid out once and kept in the build
        cache; so the rows are: that layout alone (one employee per level, cold cache), each roster size
        with the layouts cached (what memory flatness is judged on: the same work per row at every
        size), and the largest roster from a cold cache (what the time target is judged on)."""
        project = self.fresh(source, "packets")
        sys.path.insert(0, str(REPO / "src"))
        from ladderbuild.project import load_project

        fw = load_project(project).framework
        level_ids = [lvl.id for lvl in fw.levels if packet in {p.id for p in fw.packets_for(lvl)}][:levels]
        what = f"({len(level_ids)} levels)"

        def run_packets(rows: int, cache: Path, label: str) -> Run:
            roster = write_roster(self.work / f"roster-{rows}.csv", rows, level_ids)
            out = self.work / f"packets-{rows}"
            if out.exists():
                shutil.rmtree(out)
            run = self.ladderbuild("packets", str(project), "--roster", str(roster), "--packet", packet,
                                   "-o", str(out), "-q", cache=cache)
            written = sum(1 for _ in (out / packet).glob("*.pdf"))
            assert written == rows, f"{written} packets written for {rows} rows"
            rate = rows / run.wall
            self.row("packets", label, run, rows, "packet", f"{rate:.1f} packets/s" if rate < 10 else
                     f"{rate:.0f} packets/s", pool=True)
            return run

        warm_cache = project / "cache-warm"
        run_packets(len(level_ids), warm_cache, f"layouts only: 1 row per level {what}, cold cache")
        warm = {size: run_packets(size, warm_cache, f"{size:,} roster rows {what}, layouts cached") for size in sizes}
        growth = warm[sizes[-1]].peak_mb / warm[sizes[0]].peak_mb
        self.check(f"packets: peak memory at {sizes[-1]:,} rows / at {sizes[0]:,} rows (layouts cached)", growth,
                   "≈ 1 (flat; < 1.25)", growth < 1.25)
        cold = run_packets(sizes[-1], project / "cache-cold", f"{sizes[-1]:,} roster rows {what}, cold cache")
        if sizes[-1] >= 10_000:
            self.check("packets: 10,000 packets from a cold cache, time / 5 minutes", cold.wall / 300, "< 1",
                       cold.wall < 300)


    def scores(self, source: Path, sizes: list[int], packet: str = "annual-review") -> None:
        """`ladderbuild scores` over filled packets. One MA II packet is made, filled as a viewer saves it
        (every rating, comment, goal and signature) and copied with a new employee in each copy (an
        incremental update of the employee's fields and id, as `packets` writes them), 1,000 to a folder.
        Each size is read and scored on all cores into a fresh folder: time, and peak memory of the process
        tree, which must stay flat in the number of files."""
        sys.path.insert(0, str(REPO / "src"))
        from pypdf import PdfReader, PdfWriter

        from ladderbuild.forms import identity
        from ladderbuild.forms.acroform import FilledTemplate

        project = self.fresh(source, "scores")
        roster = self.work / "scores-roster.csv"
        roster.write_text("employee_id,name,level,manager,department,period\n"
                          "E000000,Employee 0,ma-2,Manager 0,Clinic 0,FY2026\n", encoding="utf-8")
        made = self.work / "scores-blank"
        self.ladderbuild("packets", str(project), "--roster", str(roster), "--packet", packet, "-o", str(made), "-q",
                         cache=project / "cache")
        blank = made / packet / "E000000.pdf"
        fields = {name: fld for name, fld in (PdfReader(blank).get_fields() or {}).items() if fld.get("/FT")}
        values = {}
        for name, fld in fields.items():
            parts = name.split(".")
            if fld["/FT"] == "/Btn" and "rating" in parts:
                values[name] = "/3"
            elif fld["/FT"] == "/Tx" and ("comment" in parts or parts[-1] == "text" or "signature" in parts):
                values[name] = "2026-12-01" if parts[-1] == "date" else "Example"
        writer = PdfWriter(blank, incremental=True)
        for page in writer.pages:
            writer.update_page_form_field_values(page, values, auto_regenerate=False)
        filled = self.work / "scores-filled.pdf"
        with open(filled, "wb") as handle:
            writer.write(handle)
        template = FilledTemplate(filled.read_bytes())
        for size in sizes:
            folder = self.work / f"scores-in-{size}"
            if folder.exists():
                shutil.rmtree(folder)
            for n in range(1, size + 1):
                sub = folder / f"batch-{n // 1000:03d}"
                sub.mkdir(parents=True, exist_ok=True)
                ident = f"E{n:06d}"
                (sub / f"{ident}.pdf").write_bytes(template.fill(
                    {"employee.name": f"Employee {n}", "employee.id": ident, "evaluator.name": f"Manager {n % 97}",
                     "employee.department": f"Clinic {n % 41}"}, info={identity.EMPLOYEE: ident}))
        runs = {}
        for size in sizes:
            out = self.work / f"scores-out-{size}"
            if out.exists():
                shutil.rmtree(out)
            run = self.ladderbuild("scores", str(self.work / f"scores-in-{size}"), "-C", str(project), "-o", str(out),
                                   "-q", cache=project / "cache")
            read = sum(1 for _ in open(out / "scores.csv", encoding="utf-8-sig")) - 1
            assert read == 3 * size, f"{read} forms scored for {size} packets"
            runs[size] = run
            self.row("scores", f"{size:,} filled MA II packets read and scored", run, size, "packet",
                     f"{size / run.wall:.0f} packets/s")
        largest, smallest = sizes[-1], sizes[0]
        self.check(f"scores: {largest:,} filled packets, time / 2 minutes", runs[largest].wall / 120, "< 1",
                   runs[largest].wall < 120)
        growth = runs[largest].peak_mb / runs[smallest].peak_mb
        self.check(f"scores: peak memory at {largest:,} packets / at {smallest:,}", growth, "≈ 1 (flat; < 1.25)",
                   growth < 1.25)


def _plural(unit: str) -> str:
    return unit[:-1] + "ies" if unit.endswith("y") else unit + "s"


def _median(runs: list[Run]) -> Run:
    """The run with the median wall time (its CPU and memory figures with it)."""
    return sorted(runs, key=lambda r: r.wall)[len(runs) // 2]


def _slug(name: str) -> str:
    return "".join(c if c.isascii() and c.isalnum() else "-" for c in name.lower())


def write_roster(path: Path, rows: int, level_ids: list[str]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["employee_id", "name", "level", "manager", "department", "hire_date", "period"])
        for n in range(1, rows + 1):
            out.writerow([f"E{n:06d}", f"Employee {n} Example-Surname", level_ids[n % len(level_ids)],
                          f"Manager {n % 97}", f"Clinic {n % 41}", f"20{10 + n % 15}-0{1 + n % 9}-1{n % 9}",
                          "FY2026 annual review"])
    return path


def _count_output(root: Path) -> tuple[int, int]:
    if not root.is_dir():
        return 0, 0
    return (sum(1 for _ in root.rglob("*.html")), sum(1 for _ in root.rglob("*.pdf")))


def table(rows: list[list[str]]) -> str:
    head = ["case", "measurement", "wall s", "CPU s", "peak MiB", "units", "wall per unit", "note"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a short run (~3 min): small cases, no PDF builds")
    parser.add_argument("--no-pdf-builds", action="store_true",
                        help="skip the MA framework's four builds with PDFs (the longest part of a run)")
    parser.add_argument("--size", default="10x10x100", help="large synthetic case, TRACKSxLEVELSxCOMPETENCIES")
    parser.add_argument("--scale-size", default="10x10x400",
                        help="a larger synthetic case compared with MkDocs only (how the ratio moves with size); "
                             "'none' skips it")
    parser.add_argument("--scaling", default=None,
                        help="competency counts for the scaling rows, comma-separated (default 1000,2500,5000,10000; "
                             "--quick: 250,1000); 'none' skips them")
    parser.add_argument("--work", type=Path, default=None, help="keep the projects and outputs in this folder")
    parser.add_argument("--python", default=sys.executable, help="the interpreter that runs ladderbuild and mkdocs")
    parser.add_argument("--only", choices=["scores", "scaling"], default=None,
                        help="run one group of rows: `scores` (filled packets read and scored) or `scaling` (build "
                             "time against the number of competencies)")
    args = parser.parse_args()

    work = args.work or Path(tempfile.mkdtemp(prefix="ladderbuild-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    bench = Bench(work, args.python)
    print(f"ladderbuild benchmark in {work} ({os.cpu_count()} cores, load {os.getloadavg()[0]:.1f})", flush=True)
    scaling = args.scaling or ("250,1000" if args.quick else "1000,2500,5000,10000")
    if args.only == "scores":
        bench.scores(REPO, [100, 1000] if args.quick else [1000, 10_000])
        report(bench, work, args)
        return
    if args.only == "scaling":
        bench.scaling([int(n) for n in scaling.split(",")])
        report(bench, work, args)
        return
    tracks, levels, comps = (int(n) for n in ("3x4x30" if args.quick else args.size).split("x"))
    synthetic = synth.generate(work / "synthetic-source", tracks, levels, comps)
    synthetic_case = f"synthetic {tracks}×{levels}×{comps}"

    # The shipped MA framework: every row (PDFs too, unless --quick or --no-pdf-builds).
    bench.builds("MA content", REPO, pdf=not (args.quick or args.no_pdf_builds))
    bench.mkdocs("MA content", REPO)
    # The large synthetic framework: the HTML stage, and MkDocs on the same content.
    bench.builds(synthetic_case, synthetic, pdf=False)
    small = bench.mkdocs(synthetic_case, synthetic)
    # A larger one, against MkDocs only: per-page costs that grow with the site show here, and the
    # two sizes give the cost of each added page with the fixed costs taken out.
    if not args.quick and args.scale_size != "none":
        tracks, levels, comps = (int(n) for n in args.scale_size.split("x"))
        larger = synth.generate(work / "synthetic-larger-source", tracks, levels, comps)
        bench.added_pages(small, bench.mkdocs(f"synthetic {tracks}×{levels}×{comps}", larger))
    # Personalised packets from the MA framework's annual review packet.
    if args.quick:
        bench.packets(REPO, [100, 1000], "annual-review", levels=2)
    else:
        bench.packets(REPO, [100, 1000, 10_000], "annual-review", levels=None)
    # Build time against framework size: near-linear up to the 10,000-competency limit.
    if scaling != "none":
        bench.scaling([int(n) for n in scaling.split(",")])

    # Filled packets read back and scored.
    bench.scores(REPO, [100, 1000] if args.quick else [1000, 10_000])
    report(bench, work, args)


def _pdf_pages(output: str) -> tuple[int, int, int] | None:
    """(laid out, of those laid out twice, written) from a verbose build's "PDF pages:" line."""
    found = re.search(r"PDF pages: (\d+) laid out(?: \((\d+) of them twice\))?, (\d+) written", output)
    return (int(found.group(1)), int(found.group(2) or 0), int(found.group(3))) if found else None


def report(bench: Bench, work: Path, args) -> None:
    print()
    print(table(bench.rows))
    print()
    print("| ratio | measured | target | met |\n|---|---|---|---|")
    for what, ratio, target, met in bench.checks:
        shown = f"{ratio:.1%}" if "%" in target else f"{ratio:.2f}×" if target.startswith("≥") else f"{ratio:.2f}"
        print(f"| {what} | {shown} | {target} | {'yes' if met else '**no**'} |")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
