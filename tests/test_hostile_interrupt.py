"""Nothing lost: a real `ladderbuild build` or `packets` killed or interrupted mid-way leaves its
output folder byte for byte as it was.

The command runs as its own process (in its own session, as a shell would start it) on the small
fixture with PDFs, which takes a few seconds. The test waits until the staging folder holds a PDF
— the command is then half done — and stops it: with SIGKILL (no chance to clean up), with SIGINT
sent to the whole process group (what Ctrl-C in a terminal does), or with SIGTERM, sent to the
process group (what `timeout` does) or to the process alone (`kill PID`, a service manager).
Ctrl-C and SIGTERM leave as cleanly as each other: no staging folder, no worker left, and nothing
from the standard library (a traceback, the resource tracker's "leaked semaphore" warning).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from ladderbuild.cli import main
from ladderbuild.write import remove_leftovers, staging_prefix

SRC = Path(__file__).resolve().parents[1] / "src"


def hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def staging_folders(project: Path) -> set[Path]:
    return set(project.glob(staging_prefix(project / "output") + "*"))


def living(session: int) -> list[str]:
    """Processes of a session that are still running (zombies are dead, only not yet reaped)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text.rsplit(")", 1)[1].split()  # after "pid (command)": state, ppid, pgrp, session …
        if int(fields[3]) == session and fields[0] != "Z":
            found.append(text.split(")")[0] + ")")
    return found


def start_build_and_wait_until_half_done(project: Path, log: Path, *, pages: bool = False) -> subprocess.Popen:
    """Start a build with PDFs and return once the first PDF is written; with `pages`, an HTML-only
    build (of a site big enough for its pages to be forked out) once the first page is written."""
    return start_and_wait_until_half_done(["build", str(project), "-j", "2"] + (["--no-pdf", "--no-cache"] if pages else []),
                                          project / "output", log, "*.html" if pages else "*.pdf")


def _as_from_a_terminal() -> None:
    """Ctrl-C as a command typed at a terminal gets it. A test suite run in the background of a shell
    without job control (`scripts/test &`) inherits SIGINT ignored, and so would the command: Python
    then leaves Ctrl-C ignored, as `nohup` and `&` mean it to."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_and_wait_until_half_done(arguments: list[str], output: Path, log: Path, written: str) -> subprocess.Popen:
    """Start `ladderbuild ARGUMENTS` and return once its staging folder for `output` holds a file
    matching `written`."""
    def staging() -> set[Path]:
        return set(output.parent.glob(staging_prefix(output) + "*"))

    before = staging()
    env = {**os.environ, "PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    with open(log, "wb") as out:  # a file, not a pipe: nothing waits on the pipe's other end
        proc = subprocess.Popen([sys.executable, "-m", "ladderbuild.cli", *arguments],
                                stdout=out, stderr=out, stdin=subprocess.DEVNULL, env=env, start_new_session=True,
                                preexec_fn=_as_from_a_terminal)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        new = staging() - before
        if any(next(folder.rglob(written), None) for folder in new):
            return proc
        assert proc.poll() is None, "the build ended before it could be interrupted:\n" + log.read_text()
        time.sleep(0.01)
    proc.kill()
    raise AssertionError("the build never got half way:\n" + log.read_text())


def wait_for_session_to_end(session: int) -> list[str]:
    deadline = time.monotonic() + 30
    while living(session) and time.monotonic() < deadline:
        time.sleep(0.05)
    return living(session)


def built_project(project_copy) -> tuple[Path, dict[str, str]]:
    project = project_copy()
    result = CliRunner().invoke(main, ["build", str(project), "--no-pdf", "-q"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return project, hashes(project / "output")


def test_a_killed_build_leaves_output_as_it_was_and_the_next_build_cleans_up(project_copy, tmp_path):
    project, before = built_project(project_copy)
    proc = start_build_and_wait_until_half_done(project, tmp_path / "build.log")
    os.kill(proc.pid, signal.SIGKILL)  # the build process only, as `kill -9 PID` or the OOM killer would
    assert proc.wait(30) == -signal.SIGKILL
    assert hashes(project / "output") == before
    assert staging_folders(project), "a killed build cannot clean up: its staging folder is left behind"
    # Its PDF workers and their fork server notice and leave too, instead of idling for ever.
    assert wait_for_session_to_end(proc.pid) == []

    result = CliRunner().invoke(main, ["build", str(project), "--no-pdf", "-q"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert staging_folders(project) == set()
    assert (project / "output/index.html").is_file()


def test_ctrl_c_stops_the_build_cleanly_and_leaves_output_as_it_was(project_copy, tmp_path):
    project, before = built_project(project_copy)
    log = tmp_path / "build.log"
    proc = start_build_and_wait_until_half_done(project, log)
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C: the terminal signals the whole foreground process group
    assert proc.wait(60) == 130
    printed = log.read_text()
    assert "Interrupted: nothing was written" in printed and "was left as it was" in printed
    assert "Traceback" not in printed and "KeyboardInterrupt" not in printed
    assert hashes(project / "output") == before
    assert staging_folders(project) == set()
    assert wait_for_session_to_end(proc.pid) == []


def test_only_staging_folders_of_builds_that_ended_are_removed(tmp_path):
    output = tmp_path / "output"
    dead = tmp_path / (staging_prefix(output) + "dead")
    live = tmp_path / (staging_prefix(output) + "live")
    for folder in (dead, live):
        folder.mkdir()
        (folder / "index.html").write_text("x")
    (tmp_path / "keep-me").mkdir()
    fd = os.open(live, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # a running build holds its staging folder's lock
    try:
        assert remove_leftovers(output) == [dead]
        assert live.is_dir() and not dead.exists() and (tmp_path / "keep-me").is_dir()
    finally:
        os.close(fd)
    assert remove_leftovers(output) == [live]


def test_page_workers_leave_with_a_killed_or_interrupted_build(tmp_path):
    """A 140-page handbook renders its pages in forked workers for a second or two: killed half way,
    they leave with the build; on Ctrl-C they print nothing and the build says it stopped."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import synth

    project = synth.generate(tmp_path / "synthetic", tracks=6, levels=8, competencies=80)
    result = CliRunner().invoke(main, ["build", str(project), "--no-pdf", "-q"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    before = hashes(project / "output")

    proc = start_build_and_wait_until_half_done(project, tmp_path / "killed.log", pages=True)
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(30) == -signal.SIGKILL
    assert wait_for_session_to_end(proc.pid) == []
    assert hashes(project / "output") == before

    log = tmp_path / "interrupted.log"
    proc = start_build_and_wait_until_half_done(project, log, pages=True)
    os.killpg(proc.pid, signal.SIGINT)
    assert proc.wait(60) == 130
    printed = log.read_text()
    assert "Interrupted: nothing was written" in printed
    assert "Traceback" not in printed and "KeyboardInterrupt" not in printed, printed
    assert wait_for_session_to_end(proc.pid) == []
    assert hashes(project / "output") == before


def clean_exit(log: Path, code: int, proc: subprocess.Popen) -> str:
    assert proc.wait(60) == code, log.read_text()
    printed = log.read_text()
    for trace in ("Traceback", "KeyboardInterrupt", "leaked semaphore", "resource_tracker", "Warning"):
        assert trace not in printed, printed
    assert wait_for_session_to_end(proc.pid) == []
    return printed


@pytest.mark.parametrize("to", ["process group", "process"])
def test_sigterm_stops_the_build_as_cleanly_as_ctrl_c(project_copy, tmp_path, to):
    """`timeout` signals the whole group; `kill PID` and service managers the process alone."""
    project, before = built_project(project_copy)
    log = tmp_path / "build.log"
    proc = start_build_and_wait_until_half_done(project, log)
    (os.killpg if to == "process group" else os.kill)(proc.pid, signal.SIGTERM)
    printed = clean_exit(log, 143, proc)
    assert "Stopped (SIGTERM): nothing was written" in printed and "was left as it was" in printed
    assert hashes(project / "output") == before
    assert staging_folders(project) == set()


def test_sigterm_stops_the_page_workers_too(tmp_path):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import synth

    project = synth.generate(tmp_path / "synthetic", tracks=6, levels=8, competencies=80)
    result = CliRunner().invoke(main, ["build", str(project), "--no-pdf", "-q"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    before = hashes(project / "output")
    log = tmp_path / "terminated.log"
    proc = start_build_and_wait_until_half_done(project, log, pages=True)
    os.killpg(proc.pid, signal.SIGTERM)
    clean_exit(log, 143, proc)
    assert hashes(project / "output") == before
    assert staging_folders(project) == set()


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_stopping_packets_leaves_the_last_packets_as_they_were(project_copy, tmp_path, stop):
    """Packets are written into a staging folder too: stopped half way, the packets of the last run
    are all there, unchanged, and no half-written folder is left beside them."""
    project = project_copy()
    roster = tmp_path / "roster.csv"
    roster.write_text("employee_id,name,level,manager\n" + "".join(
        f"E{n:05d},Employee {n},assistant-{1 + n % 2},Manager\n" for n in range(4000)), encoding="utf-8")
    small = tmp_path / "small.csv"
    small.write_text("employee_id,name,level,manager\nE1,Ana,assistant-1,Bo\n", encoding="utf-8")
    out = tmp_path / "packets"
    first = CliRunner().invoke(main, ["packets", str(project), "--roster", str(small), "-o", str(out), "-q"],
                               catch_exceptions=False)
    assert first.exit_code == 0, first.output
    before = hashes(out)
    log = tmp_path / "packets.log"
    proc = start_and_wait_until_half_done(["packets", str(project), "--roster", str(roster), "-o", str(out), "-j", "2"],
                                          out, log, "E*.pdf")
    os.killpg(proc.pid, stop)
    printed = clean_exit(log, 130 if stop == signal.SIGINT else 143, proc)
    assert ("Interrupted." if stop == signal.SIGINT else "Stopped (SIGTERM).") in printed
    assert hashes(out) == before
    assert list(tmp_path.glob(staging_prefix(out) + "*")) == []
