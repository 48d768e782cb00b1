"""ladderbuild's benchmark: builds, rebuilds, MkDocs side by side, and personalised packets at scale.

Run it with `bench/run` (see bench/README.md). Every measurement is a fresh
`python -m ladderbuild …` (or `python -m mkdocs build`) process, timed from
outside: wall time, CPU time of the process and its children, and peak
memory of the whole process tree (the sum of its processes' PSS, sampled, so
PDF workers count once each). Ratios are computed from numbers measured in this
one run; absolute times are for people and depend on the machine and on what
else runs on it. With `--baseline REV`, every ladderbuild row is measured for
that commit too (a git worktree in the work folder), alternating with this
checkout, and a second table gives after/before ratios.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import re
import resource
import shutil
import signal
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
    peak_mb: float  # peak memory of the process tree (sum of PSS, see tree_memory), MiB
    output: str


def tree_memory(proc: psutil.Process) -> int:
    """The memory the process tree holds now, in bytes: the sum of its processes' proportional set size
    (PSS). A page shared by n processes counts 1/n in each, so the copy-on-write pages forked workers
    share with their parent count once, where summing resident sizes counted them once per worker. Pages
    shared with processes outside the tree (the interpreter's libraries, mapped by every Python on the
    machine) count only the tree's share: at most a few MiB under the truth."""
    total = 0
    for p in [proc] + proc.children(recursive=True):
        try:
            total += p.memory_full_info().pss
        except psutil.Error:  # gone between the listing and the read
            pass
    return total


SAMPLE_EVERY = 0.02  # seconds between memory samples, at least
SAMPLE_SHARE = 0.1  # at most this share of one core spent sampling (a PSS read walks the page tables)


def measure(args: list[str], cwd: Path | None = None, env: dict | None = None) -> Run:
    """Run a command to completion; its wall time, CPU time and peak tree memory. Fails loudly."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = psutil.Popen(args, cwd=cwd, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE,
                        stderr=subprocess.STDOUT, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        # Reading PSS costs ~1 ms per 100 MiB mapped: on a 2-core machine, sampling a 500 MiB tree every
        # 20 ms would take a quarter of a core from the build it measures. So the pause after each sample
        # grows with what the sample cost, keeping sampling under SAMPLE_SHARE of one core.
        nonlocal peak
        while not done.is_set():
            began = time.perf_counter()
            try:
                peak = max(peak, tree_memory(proc))
            except psutil.Error:
                pass
            cost = time.perf_counter() - began
            done.wait(max(SAMPLE_EVERY, cost * (1 - SAMPLE_SHARE) / SAMPLE_SHARE))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        output, _ = proc.communicate()
    except BaseException:  # Ctrl-C or SIGTERM (see main): the command goes too, not left running
        proc.kill()
        raise
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(map(str, args))}\n{output}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(wall, cpu, peak / 2**20, output)


@dataclass(frozen=True)
class Side:
    """One checkout whose ladderbuild is measured: this one, or the baseline's worktree. Each side builds
    its own content/ and templates/ with its own src/ (on PYTHONPATH) and generates its synthetic
    frameworks with its own bench/synth.py, so a side is measured on what that commit built."""

    key: str  # a folder-name-safe tag: "after" or "before"
    label: str  # for people: "this checkout" or "baseline 7763086"
    root: Path  # the repository: content/, templates/, src/, bench/
    python: str

    @property
    def env(self) -> dict[str, str]:
        return {"PYTHONPATH": os.pathsep.join([str(self.root / "src"), os.environ.get("PYTHONPATH", "")])
                .rstrip(os.pathsep)}

    def synthetic(self, target: Path, tracks: int, levels: int, competencies: int) -> Path:
        """The synthetic framework of this size, made by this side's generator (ours if it has none)."""
        if self.root == REPO or not (self.root / "bench" / "synth.py").is_file():
            return synth.generate(target, tracks, levels, competencies)
        subprocess.run([self.python, str(self.root / "bench" / "synth.py"), str(target), str(tracks), str(levels),
                        str(competencies)], check=True, stdout=subprocess.DEVNULL,
                       env={**os.environ, **self.env})
        return target


def baseline_worktree(rev: str, folder: Path, python: str) -> Side:
    """A detached git worktree of `rev` in `folder` (removed by `remove_worktree`), its modules compiled
    ahead so that its first measured run does not pay for writing .pyc files this checkout already has."""
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--verify", "--short", f"{rev}^{{commit}}"],
                            capture_output=True, text=True)
    if commit.returncode != 0:
        raise SystemExit(f"bench: --baseline {rev}: not a commit of this repository ({commit.stderr.strip()})")
    subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "--quiet", str(folder), commit.stdout.strip()],
                   check=True)
    side = Side("before", f"baseline {commit.stdout.strip()}", folder, python)
    check = subprocess.run([python, "-c", "import ladderbuild.cli"], env={**os.environ, **side.env},
                           capture_output=True, text=True)
    if check.returncode != 0:
        remove_worktree(folder)
        raise SystemExit(f"bench: the baseline's ladderbuild does not import with {python} (its dependencies "
                         f"may differ; pass --baseline-python):\n{check.stderr}")
    for root in (REPO, folder):
        subprocess.run([python, "-m", "compileall", "-q", str(root / "src")], check=True, stdout=subprocess.DEVNULL)
    return side


def remove_worktree(folder: Path) -> None:
    subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(folder)], capture_output=True)
    subprocess.run(["git", "-C", str(REPO), "worktree", "prune"], capture_output=True)


class Bench:
    def __init__(self, work: Path, python: str, baseline: Side | None = None, *, rounds: int = 3,
                 noop_rounds: int = NOOP_ROUNDS) -> None:
        self.work = work
        self.rounds, self.noop_rounds = rounds, noop_rounds  # medians of how many runs (see builds)
        self.python = python
        self.rows: list[list[str]] = []
        self.compared: list[list[str]] = []  # rows measured on both sides: after / before
        self.checks: list[tuple[str, float, str, bool, str]] = []  # (what, measured ratio, target, met, shown as)
        self.current = Side("after", "this checkout", REPO, python)
        self.baseline = baseline
        # Every ladderbuild measurement runs once per side, this checkout first, so the two alternate
        # and see the same load.
        self.sides = [self.current] + ([baseline] if baseline else [])

    def ladderbuild(self, *args: str, cache: Path, cwd: Path | None = None, side: Side | None = None) -> Run:
        side = side or self.current
        return measure([side.python, "-m", "ladderbuild", *args], cwd=cwd,
                       env={**side.env, "LADDERBUILD_CACHE_DIR": str(cache)})

    def row(self, case: str, what: str, run: Run, units: int, unit: str, note: str = "", pool: bool = False,
            before: tuple[Run, int] | None = None) -> None:
        """One table row. With `pool`, PDF workers ran under the fork server, whose CPU time the parent
        cannot collect, so the CPU column is left out rather than shown too low. `before` is the
        baseline's run of the same row and its units: it adds a row to the before/after table."""
        per = f"{run.wall / units * 1000:.1f} ms/{unit}" if units else ""
        self.rows.append([case, what, f"{run.wall:.2f}", "—" if pool else f"{run.cpu:.2f}", f"{run.peak_mb:.0f}",
                          f"{units} {_plural(unit)}" if units else "", per, note])
        print(f"  {case:<22} {what:<44} {run.wall:8.2f} s  {run.peak_mb:6.0f} MiB  {note}", flush=True)
        if before is None:
            return
        base, base_units = before
        per_unit = (f"{(run.wall / units) / (base.wall / base_units):.2f}"
                    if units and base_units and units != base_units else "")
        self.compared.append([case, what, f"{base.wall:.2f}", f"{run.wall:.2f}", f"{run.wall / base.wall:.2f}",
                              "—" if pool else f"{run.cpu / base.cpu:.2f}", f"{run.peak_mb / base.peak_mb:.2f}",
                              f"{base_units} → {units}" if units != base_units else (str(units) if units else ""),
                              per_unit])
        print(f"  {'':<22} {self.baseline.label:<44} {base.wall:8.2f} s  {base.peak_mb:6.0f} MiB  "
              f"after/before {run.wall / base.wall:.2f}", flush=True)

    def check(self, what: str, ratio: float, target: str, met: bool, unit: str | None = None) -> None:
        """A ratio against its target; shown as a percentage (`unit` "%"), a factor ("×") or a plain number,
        by default as the target is written."""
        if unit is None:
            unit = "%" if "%" in target else "×" if target.startswith(("≥", ">")) else ""
        self.checks.append((what, ratio, target, met, unit))

    # ------------------------------------------------------------------ project copies

    def fresh(self, source: Path, name: str, root: Path = REPO) -> Path:
        """A copy of a project's content in a new folder (so no cache or output is shared). `root` is the
        repository of the side that builds it: its templates/ is that side's theme, not the project's."""
        target = self.work / _slug(name)
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(source / "content", target / "content")
        if source != root and (source / "templates").is_dir():
            shutil.copytree(source / "templates", target / "templates")
        return target

    def sources(self, case: str, size: tuple[int, int, int] | None) -> list[Path]:
        """Each side's project for a case: its repository (the shipped framework), or the synthetic
        framework of `size` made by its generator."""
        if size is None:
            return [side.root for side in self.sides]
        name = "x".join(map(str, size))
        return [side.synthetic(self.work / f"synthetic-{name}-{side.key}", *size) for side in self.sides]

    # ------------------------------------------------------------------ builds

    def builds(self, case: str, sources: list[Path], *, pdf: bool) -> dict[str, Run]:
        """Cold HTML only; with `pdf`, cold PDF only and both. Then a no-op rebuild and a rebuild after
        editing one competency, of the last cold build (both when `pdf`, else HTML only). `sources` holds
        one project per side.

        Without PDFs every build takes seconds, and one slow run on a shared machine would move a
        ratio by a third: those rows are medians of three (the cold build in three fresh copies, the
        edit made, undone and made again, each a one-competency change). A no-op rebuild takes a
        fifth of a second, where the machine's hiccups weigh most and a run costs nothing: it is
        always the median of five."""
        runs: dict[str, Run] = {}
        rounds = 1 if pdf else self.rounds
        modes = [("html", ["--no-pdf"])] + ([("pdf", ["--no-html"]), ("both", [])] if pdf else [])
        label = {"html": "cold build, HTML only", "pdf": "cold build, PDF only", "both": "cold build, HTML + PDF"}
        projects = {}
        for mode, flags in modes:
            colds: dict[str, list[Run]] = {side.key: [] for side in self.sides}
            for _ in range(rounds):
                for side, source in zip(self.sides, sources):
                    project = projects[side.key] = self.fresh(source, f"{case}-{mode}-{side.key}", side.root)
                    # -v with PDFs: the build says how many PDF pages it laid out and wrote
                    colds[side.key].append(self.ladderbuild("build", str(project), "-o", str(project / "output"),
                                                            *flags, "-q" if mode == "html" else "-v",
                                                            cache=project / "cache", side=side))
            counted = {}
            for side in self.sides:
                pages, pdfs = _count_output(projects[side.key] / "output")
                counted[side.key] = (pages if mode == "html" else pdfs if mode == "pdf" else pages + pdfs,
                                     f"{pages} pages, {pdfs} PDFs")
            run = runs[mode] = _median(colds["after"])
            units, note = counted["after"]
            laid = _pdf_pages(run.output) if mode == "pdf" else None
            if laid is not None:
                laid_out, again, written = laid
                note += f"; PDF pages: {laid_out:,} laid out, {written:,} written"
                # issue 19: each distinct page laid out once (packets add their covers only)
                self.check(f"{case}: PDF pages laid out per cold build / distinct pages", laid_out / (laid_out - again),
                           "= 1", again == 0)
            self.row(case, label[mode], run, units, "page" if mode == "html" else "PDF" if mode == "pdf" else "file",
                     note, pool=mode != "html", before=self._before(colds, counted))
        last, flags = modes[-1]
        cold = runs[last]

        def rebuild(side: Side) -> Run:
            project = projects[side.key]
            return self.ladderbuild("build", str(project), "-o", str(project / "output"), *flags, "-q",
                                    cache=project / "cache", side=side)

        noops: dict[str, list[Run]] = {side.key: [] for side in self.sides}
        for _ in range(self.noop_rounds):
            for side in self.sides:
                noops[side.key].append(rebuild(side))
        noop = _median(noops["after"])
        self.row(case, f"no-op rebuild ({'HTML + PDF' if pdf else 'HTML only'})", noop, 0, "",
                 f"{noop.wall / cold.wall:.1%} of cold", pool=pdf, before=self._before(noops))
        edits: dict[str, list[Run]] = {side.key: [] for side in self.sides}
        originals = {side.key: synth.competency_to_edit(projects[side.key]) for side in self.sides}
        texts = {key: path.read_text(encoding="utf-8") for key, path in originals.items()}
        for n in range(rounds):
            for side in self.sides:
                if n % 2 == 0:
                    synth.edit_one_competency(projects[side.key])
                else:  # undo the edit, which again changes one competency
                    originals[side.key].write_text(texts[side.key], encoding="utf-8")
                edits[side.key].append(rebuild(side))
        edit = _median(edits["after"])
        self.row(case, "rebuild after editing 1 competency", edit, 0, "",
                 f"{edit.wall / cold.wall:.1%} of cold ({originals['after'].name})", pool=pdf,
                 before=self._before(edits))
        # Issue 19: a no-op HTML-only build of a small site is process start-up, printed without a target.
        self.check(f"{case}: no-op rebuild / cold build", noop.wall / cold.wall, "< 5%" if pdf else "(no target)",
                   noop.wall / cold.wall < 0.05 or not pdf, "%")
        if pdf:  # issue 19: the one-edit target applies to what publishing runs, HTML and PDF
            self.check(f"{case}: one-competency rebuild / cold build", edit.wall / cold.wall, "< 20%",
                       edit.wall / cold.wall < 0.20)
        runs["noop"], runs["edit"] = noop, edit
        return runs

    def _before(self, runs: dict[str, list[Run]], units: dict[str, tuple[int, str]] | None = None
                ) -> tuple[Run, int] | None:
        """The baseline's median run (and its units) for `row`, if there is a baseline."""
        if self.baseline is None:
            return None
        return _median(runs["before"]), (units["before"][0] if units else 0)

    def mkdocs(self, case: str, sources: list[Path], rounds: int = 3, noop: bool = False
               ) -> tuple[Run, int, Run, int]:
        """The same content as Markdown pages built by `mkdocs build`, against ladderbuild's HTML stage.

        The two are built alternately, `rounds` times each (a cold `build --no-pdf` into a fresh folder
        with an empty cache — of each side, with a baseline — then `mkdocs build`), and the medians
        compared: on a machine shared with other work, two builds minutes apart can see very different
        loads. The MkDocs twin is of this checkout's content.

        With `noop`, the last cold builds are then rebuilt with nothing changed (median of five): issue 19's
        no-op target (under 5 % of a cold HTML build) is judged at the larger synthetic size, where the
        build is more than process start-up."""
        sys.path.insert(0, str(REPO / "src"))
        from ladderbuild.project import load_project

        framework = load_project(sources[0]).framework
        target = self.work / _slug(f"{case}-mkdocs")
        mkdocs_export.export(framework, target)
        md_pages = mkdocs_export.page_count(target)
        ours_runs: dict[str, list[Run]] = {side.key: [] for side in self.sides}
        theirs_runs = []
        for n in range(rounds):
            for side, source in zip(self.sides, sources):
                out = self.work / _slug(f"{case}-html-{n}-{side.key}")
                shutil.rmtree(out, ignore_errors=True)
                ours_runs[side.key].append(self.ladderbuild("build", str(source), "-o", str(out / "output"),
                                                            "--no-pdf", "-q", cache=out / "cache", side=side))
            shutil.rmtree(target / "site", ignore_errors=True)
            theirs_runs.append(measure([self.python, "-m", "mkdocs", "build", "-q", "-d", str(target / "site")],
                                       cwd=target))
        counts = {side.key: _count_output(self.work / _slug(f"{case}-html-{rounds - 1}-{side.key}") / "output")[0]
                  for side in self.sides}
        pages = counts["after"]
        built = sum(1 for _ in (target / "site").rglob("*.html"))
        ours, theirs = _median(ours_runs["after"]), _median(theirs_runs)
        self.row(case, f"ladderbuild HTML only, median of {rounds}", ours, pages, "page",
                 "alternating with MkDocs",
                 before=self._before(ours_runs, {key: (n, "") for key, n in counts.items()}))
        self.row(case, f"MkDocs build of the same content, median of {rounds}", theirs, built, "page",
                 f"{md_pages} Markdown pages")
        ratio = (theirs.wall / built) / (ours.wall / pages)
        cpu_ratio = (theirs.cpu / built) / (ours.cpu / pages)
        if case == "MA content":  # issue 19: ahead of MkDocs at the MA size
            self.check(f"{case}: MkDocs wall time per page / ladderbuild HTML wall time per page", ratio, "> 1",
                       ratio > 1)
            self.check(f"{case}: the same in CPU time", cpu_ratio, "(no target)", True, "×")
        print(f"  {case}: per page ladderbuild {ours.wall / pages * 1000:.1f} ms, MkDocs "
              f"{theirs.wall / built * 1000:.1f} ms → ladderbuild is {ratio:.2f}× as fast "
              f"(CPU time: {cpu_ratio:.2f}×)", flush=True)
        if noop:
            noops: dict[str, list[Run]] = {side.key: [] for side in self.sides}
            for _ in range(self.noop_rounds):
                for side, source in zip(self.sides, sources):
                    out = self.work / _slug(f"{case}-html-{rounds - 1}-{side.key}")
                    noops[side.key].append(self.ladderbuild("build", str(source), "-o", str(out / "output"),
                                                            "--no-pdf", "-q", cache=out / "cache", side=side))
            rebuilt = _median(noops["after"])
            self.row(case, "no-op rebuild (HTML only)", rebuilt, 0, "",
                     f"{rebuilt.wall / ours.wall:.1%} of the cold build above", before=self._before(noops))
            self.check(f"{case}: no-op rebuild / cold build (HTML only)", rebuilt.wall / ours.wall, "< 5%",
                       rebuilt.wall / ours.wall < 0.05)
        return ours, pages, theirs, built

    def added_pages(self, small: tuple[Run, int, Run, int], large: tuple[Run, int, Run, int]) -> None:
        """What each page added from the smaller synthetic site to the larger one costs, in both tools:
        per-page cost with the fixed costs (start-up, imports, configuration) taken out."""
        ours = (large[0].wall - small[0].wall) / (large[1] - small[1])
        theirs = (large[2].wall - small[2].wall) / (large[3] - small[3])
        ratio = theirs / ours
        self.check(f"synthetic, {small[1]} → {large[1]} pages: MkDocs wall time per added page / ladderbuild's",
                   ratio, "≥ 3", ratio >= 3)
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
            measured = {}
            for side in self.sides:
                project = side.synthetic(self.work / f"scaling-{size}-{side.key}", 10, 10, size)
                measured[side.key] = [self.ladderbuild("build", str(project), "-o", str(project / "output"),
                                                       "--no-pdf", "-q", cache=project / "cache", side=side)]
                if side is self.current:
                    pages = _count_output(project / "output")[0]
                shutil.rmtree(project, ignore_errors=True)
            run = measured["after"][0]
            self.row(f"scaling {size:,}", "cold build, HTML only", run, size, "competency", f"{pages} pages",
                     before=self._before(measured, {"before": (size, "")}))
            runs.append((size, run))
        (small, first), (large, last) = runs[0], runs[-1]
        for label, a, b in (("wall", first.wall, last.wall), ("CPU", first.cpu, last.cpu)):
            exponent = math.log(b / a) / math.log(large / small)
            self.check(f"scaling {small:,} → {large:,} competencies: growth exponent of {label} time", exponent,
                       "≤ 1.2 (1 = linear)", exponent <= 1.2)
            print(f"  {label} time per competency: {a / small * 1000:.1f} ms at {small:,}, "
                  f"{b / large * 1000:.1f} ms at {large:,} → exponent {exponent:.2f}", flush=True)

    # ------------------------------------------------------------------ personalised packets

    def packets(self, sizes: list[int], packet: str, levels: int | None) -> None:
        """Personalised packets. The blank layouts (one per level) are laid out once and kept in the build
        cache; so the rows are: that layout alone (one employee per level, cold cache), each roster size
        with the layouts cached (what memory flatness is judged on: the same work per row at every
        size), and the largest roster from a cold cache (what the time target is judged on)."""
        projects = {side.key: self.fresh(side.root, f"packets-{side.key}", side.root) for side in self.sides}
        sys.path.insert(0, str(REPO / "src"))
        from ladderbuild.project import load_project

        fw = load_project(projects["after"]).framework
        level_ids = [lvl.id for lvl in fw.levels if packet in {p.id for p in fw.packets_for(lvl)}][:levels]
        what = f"({len(level_ids)} levels)"

        def run_packets(rows: int, cache: str, label: str) -> Run:
            roster = write_roster(self.work / f"roster-{rows}.csv", rows, level_ids)
            measured = {}
            for side in self.sides:
                out = self.work / f"packets-{rows}-{side.key}"
                if out.exists():
                    shutil.rmtree(out)
                project = projects[side.key]
                measured[side.key] = [self.ladderbuild("packets", str(project), "--roster", str(roster), "--packet",
                                                       packet, "-o", str(out), "-q", cache=project / cache,
                                                       side=side)]
                written = sum(1 for _ in (out / packet).glob("*.pdf"))
                assert written == rows, f"{side.label}: {written} packets written for {rows} rows"
            run = measured["after"][0]
            rate = rows / run.wall
            self.row("packets", label, run, rows, "packet", f"{rate:.1f} packets/s" if rate < 10 else
                     f"{rate:.0f} packets/s", pool=True, before=self._before(measured, {"before": (rows, "")}))
            return run

        run_packets(len(level_ids), "cache-warm", f"layouts only: 1 row per level {what}, cold cache")
        warm = {size: run_packets(size, "cache-warm", f"{size:,} roster rows {what}, layouts cached") for size in sizes}
        growth = warm[sizes[-1]].peak_mb / warm[sizes[0]].peak_mb
        self.check(f"packets: peak memory at {sizes[-1]:,} rows / at {sizes[0]:,} rows (layouts cached)", growth,
                   "≈ 1 (flat; < 1.25)", growth < 1.25)
        cold = run_packets(sizes[-1], "cache-cold", f"{sizes[-1]:,} roster rows {what}, cold cache")
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


def compared_table(rows: list[list[str]]) -> str:
    head = ["case", "measurement", "before s", "after s", "after/before wall", "after/before CPU",
            "after/before peak", "units", "after/before wall per unit"]
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
    parser.add_argument("--only", choices=["html", "scores", "scaling"], default=None,
                        help="run one group of rows: `html` (the HTML builds, rebuilds and MkDocs, no PDFs: ~5 min), "
                             "`scores` (filled packets read and scored) or `scaling` (build time against the number "
                             "of competencies)")
    parser.add_argument("--baseline", metavar="REV", default=None,
                        help="also measure this earlier commit (a git worktree in the work folder, its src/ on "
                             "PYTHONPATH), alternating with this checkout row by row, and print after/before ratios")
    parser.add_argument("--baseline-python", default=None,
                        help="the interpreter for the baseline (default: --python; give another venv's if the "
                             "baseline's dependencies differ)")
    args = parser.parse_args()

    work = args.work or Path(tempfile.mkdtemp(prefix="ladderbuild-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    # SIGTERM unwinds like Ctrl-C, so the baseline's worktree is removed and the running command killed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    worktree = work / "baseline-worktree"
    baseline = (baseline_worktree(args.baseline, worktree, args.baseline_python or args.python)
                if args.baseline else None)
    try:
        bench = Bench(work, args.python, baseline)
        print(f"ladderbuild benchmark in {work} ({os.cpu_count()} cores, load {os.getloadavg()[0]:.1f})"
              + (f", against {baseline.label}" if baseline else ""), flush=True)
        run_rows(bench, args)
        report(bench, work, args)
    finally:
        if baseline:
            remove_worktree(worktree)
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


def run_rows(bench: Bench, args) -> None:
    scaling = args.scaling or ("250,1000" if args.quick else "1000,2500,5000,10000")
    if args.only == "scores":
        bench.scores(REPO, [100, 1000] if args.quick else [1000, 10_000])
        return
    if args.only == "scaling":
        bench.scaling([int(n) for n in scaling.split(",")])
        return
    size = tuple(int(n) for n in ("3x4x30" if args.quick else args.size).split("x"))
    synthetic = bench.sources("synthetic", size)
    synthetic_case = "synthetic {}×{}×{}".format(*size)

    # The shipped MA framework: every row (PDFs too, unless --quick, --no-pdf-builds or --only html).
    bench.builds("MA content", bench.sources("MA content", None),
                 pdf=not (args.quick or args.no_pdf_builds or args.only == "html"))
    bench.mkdocs("MA content", bench.sources("MA content", None))
    # The large synthetic framework: the HTML stage, and MkDocs on the same content.
    bench.builds(synthetic_case, synthetic, pdf=False)
    small = bench.mkdocs(synthetic_case, synthetic)
    # A larger one, against MkDocs (and its no-op rebuild): per-page costs that grow with the site show
    # here, and the two sizes give the cost of each added page with the fixed costs taken out.
    if not args.quick and args.scale_size != "none":
        size = tuple(int(n) for n in args.scale_size.split("x"))
        larger = bench.sources("synthetic", size)
        bench.added_pages(small, bench.mkdocs("synthetic {}×{}×{}".format(*size), larger, noop=True))
    if args.only == "html":
        return
    # Personalised packets from the MA framework's annual review packet.
    if args.quick:
        bench.packets([100, 1000], "annual-review", levels=2)
    else:
        bench.packets([100, 1000, 10_000], "annual-review", levels=None)
    # Build time against framework size: near-linear up to the 10,000-competency limit.
    if scaling != "none":
        bench.scaling([int(n) for n in scaling.split(",")])
    # Filled packets read back and scored (this checkout only: `scores` is newer than most baselines).
    bench.scores(REPO, [100, 1000] if args.quick else [1000, 10_000])


def _pdf_pages(output: str) -> tuple[int, int, int] | None:
    """(laid out, of those laid out twice, written) from a verbose build's "PDF pages:" line."""
    found = re.search(r"PDF pages: (\d+) laid out(?: \((\d+) of them twice\))?, (\d+) written", output)
    return (int(found.group(1)), int(found.group(2) or 0), int(found.group(3))) if found else None


def report(bench: Bench, work: Path, args) -> None:
    print()
    print(table(bench.rows))
    print()
    print("| ratio | measured | target | met |\n|---|---|---|---|")
    for what, ratio, target, met, unit in bench.checks:
        shown = f"{ratio:.1%}" if unit == "%" else f"{ratio:.2f}{unit}"
        print(f"| {what} | {shown} | {target} | {'—' if target == '(no target)' else 'yes' if met else '**no**'} |")
    if bench.compared:
        print()
        print(f"Before ({bench.baseline.label}) and after (this checkout), measured alternately in this run; "
              "a ratio under 1 means this checkout takes less:")
        print()
        print(compared_table(bench.compared))


if __name__ == "__main__":
    main()
