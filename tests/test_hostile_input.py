"""Bad and hostile input: every malformed file gets one exact diagnostic (code, file, line, message, hint),
`check` and `build` exit with 1 and print it, and nothing raises.

Each case breaks a fresh copy of the small fixture in one way. The expected line is the line of the
broken text in the file as written, so the cases read as "this input → this report".
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner

from helpers import diagnostics, edit
from ladderbuild.cli import main
from ladderbuild.diagnostics import Severity

LEVEL2 = "levels/assistant-2.md"


@dataclass(frozen=True)
class Case:
    break_it: Callable[[Path], None]  # gets the project folder
    code: str
    file: str  # relative to the project
    line: int
    message: str  # a fragment of the message
    hint: str  # a fragment of the hint
    count: int = 1  # how many errors in all (one mistake, one error, unless it spans several files)


def write(relative: str, data: str | bytes) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        path = project / "content" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return apply


def replace(relative: str, old: str, new: str) -> Callable[[Path], None]:
    return lambda project: edit(project, relative, old, new)


def replace_bytes(relative: str, old: bytes, new: bytes) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        path = project / "content" / relative
        data = path.read_bytes()
        assert data.count(old) == 1
        path.write_bytes(data.replace(old, new))
    return apply


def delete(relative: str) -> Callable[[Path], None]:
    return lambda project: (project / "content" / relative).unlink()


def folder_instead_of(relative: str) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        path = project / "content" / relative
        path.unlink()
        path.mkdir()
    return apply


def fifo_at(relative: str) -> Callable[[Path], None]:
    # Opening a named pipe blocks until someone writes to it: the loader must not open it at all.
    return lambda project: os.mkfifo(project / "content" / relative)


def symlink(relative: str, target: Callable[[Path], Path]) -> Callable[[Path], None]:
    def apply(project: Path) -> None:
        link = project / "content" / relative
        points_to = target(project)
        if link.is_dir() and not link.is_symlink():
            shutil.rmtree(link)
        elif link.exists():
            link.unlink()
        link.symlink_to(points_to)
    return apply


def outside_copy(relative: str) -> Callable[[Path], Path]:
    """A copy of a content file (or folder) in a folder beside the project, for a link to point at."""
    def make(project: Path) -> Path:
        source = project / "content" / relative
        target = project.parent / "elsewhere" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target)
        return target
    return make


# Every file kind, with a list where a mapping belongs (or the other way round).
WRONG_SHAPE = {
    "framework.yaml": ("- title: A\n- title: B\n", 1, "should hold a mapping"),
    "tracks.yaml": ("id: clinical\nname: Clinical\n", 1, "should hold a list"),
    "credentials.yaml": ("id: bls\nname: BLS\n", 1, "should hold a list"),
    "training.yaml": ("id: x\ntitle: X\n", 1, "should hold a list"),
    "glossary.yaml": ("term: Anchor\n", 1, "should hold a list"),
    "changelog.yaml": ("version: '1.0'\n", 1, "should hold a list"),
    "levels/lead.md": ("---\n- id: lead\n---\nBody\n", 2, "should hold a mapping"),
    "competencies/scheduling.yaml": ("- id: scheduling\n", 1, "should hold a mapping"),
    "pages/promotion.md": ("---\n- title: x\n---\nBody\n", 2, "should hold a mapping"),
    "forms/self.yaml": ("- id: self\n", 1, "should hold a mapping"),
    "packets/annual-review.yaml": ("- id: annual-review\n", 1, "should hold a mapping"),
}

CASES: dict[str, Case] = {
    # --- YAML that cannot be read
    "invalid-yaml": Case(replace("tracks.yaml", "  name: Leadership", "  name: [Leadership"),
                         "yaml-syntax", "content/tracks.yaml", 6, "not valid YAML", "check the indentation"),
    "unclosed-quote": Case(replace("framework.yaml", "title: Example Clinic Career Ladder",
                                   'title: "Example Clinic Career Ladder'),
                           "yaml-syntax", "content/framework.yaml", 1, "the quote (`\"`) opened here is never closed",
                           "close it where the text ends"),
    "unclosed-at-end-of-file": Case(write("tracks.yaml", "- id: clinical\n  name: [Clinical\n"),
                                    "yaml-syntax", "content/tracks.yaml", 2, "not valid YAML", "check"),
    "tab-indentation": Case(replace("tracks.yaml", "  name: Leadership", "\tname: Leadership"),
                            "yaml-tab", "content/tracks.yaml", 5, "tab character", "spaces"),
    "control-character": Case(replace_bytes("training.yaml", b"format: skills lab", b"format: skills\x00lab"),
                              "yaml-syntax", "content/training.yaml", 3, "control character U+0000", "delete it"),
    "python-tag": Case(replace("competencies/scheduling.yaml", "name: Scheduling",
                               'name: !!python/object/apply:os.system ["touch pwned"]'),
                       "yaml-tag", "content/competencies/scheduling.yaml", 2,
                       "`!!python/object/apply:os.system` is not supported", "remove the tag"),
    "binary-tag": Case(replace("tracks.yaml", "  name: Leadership", "  name: !!binary aGVsbG8="),
                       "yaml-tag", "content/tracks.yaml", 5, "`!!binary`", "remove the tag"),
    "alias": Case(write("competencies/scheduling.yaml", "id: scheduling\nname: &n Scheduling\ndescription: *n\n"),
                  "yaml-alias", "content/competencies/scheduling.yaml", 2, "anchors and aliases", "write the values"),
    "billion-laughs": Case(write("glossary.yaml", "- term: &a lol\n  definition: x\n  aliases: &b [*a, *a, *a]\n"
                                                  "- term: y\n  definition: &c [*b, *b, *b]\n"),
                           "yaml-alias", "content/glossary.yaml", 1, "anchors and aliases", "write the values"),
    "merge-key": Case(replace("tracks.yaml", "- id: leadership", "- <<: {kind: clinical}\n  id: leadership"),
                      "yaml-alias", "content/tracks.yaml", 4, "merge keys", "write the keys out"),
    "duplicate-key": Case(replace("competencies/scheduling.yaml", "name: Scheduling", "name: Scheduling\nname: Booking"),
                          "duplicate-key", "content/competencies/scheduling.yaml", 3, "first on line 2",
                          "remove one of them"),
    "non-text-key": Case(replace("tracks.yaml", "  name: Leadership", "  [name]: Leadership"),
                         "invalid-key", "content/tracks.yaml", 5, "must be plain text", ""),
    "too-deep": Case(write("training.yaml", "- id: x\n  title: " + "[" * 60 + "]" * 60 + "\n"),
                     "too-deep", "content/training.yaml", 2, "more than 40 levels", "flatten"),
    "value-too-long": Case(replace("competencies/scheduling.yaml", "name: Scheduling", "name: " + "x" * 100_001),
                           "value-too-long", "content/competencies/scheduling.yaml", 2, "100,001 characters",
                           "Markdown page"),
    "file-too-large": Case(write("glossary.yaml", "- term: x\n  definition: y\n" + "#" * 5_000_001),
                           "file-too-large", "content/glossary.yaml", 1, "the limit is 5,000,000", "split it"),
    # --- encodings and empty files
    "invalid-utf8": Case(replace_bytes("competencies/scheduling.yaml", b"name: Scheduling", b"name: Sch\xe9duling"),
                         "not-utf8", "content/competencies/scheduling.yaml", 2, "not valid UTF-8", "save it as UTF-8"),
    "utf16": Case(lambda p: (p / "content/tracks.yaml").write_bytes(
                      (p / "content/tracks.yaml").read_text().encode("utf-16")),
                  "not-utf8", "content/tracks.yaml", 1, "not valid UTF-8", "save it as UTF-8"),
    "empty-file": Case(write("training.yaml", ""), "empty-file", "content/training.yaml", 1, "empty", "fill it in"),
    "only-comments": Case(write("training.yaml", "# to do\n"), "empty-file", "content/training.yaml", 1,
                          "nothing in this YAML", "fill it in"),
    "no-front-matter": Case(write("levels/lead.md", "id: lead\n"), "missing-front-matter", "content/levels/lead.md", 1,
                            "must start with YAML front matter", "start the file with `---`"),
    "empty-front-matter": Case(write("levels/lead.md", "---\n---\nBody\n"), "empty-front-matter",
                               "content/levels/lead.md", 1, "front matter is empty", "`id:`"),
    # --- wrong types, unknown keys, bad values
    "wrong-type-number": Case(replace(LEVEL2, "rank: 2", "rank: two"), "wrong-type", f"content/{LEVEL2}", 5,
                              "`rank` should be a whole number, not the text `two`", "docs/content-format.md"),
    "wrong-type-text": Case(replace("framework.yaml", 'version: "1.0"', "version: 1.0"), "wrong-type",
                            "content/framework.yaml", 3, "`version` should be text", "quotes"),
    "wrong-type-list": Case(replace("packets/annual-review.yaml", "forms: [self, annual]", "forms: self"),
                            "wrong-type", "content/packets/annual-review.yaml", 4, "`forms` should be a list", "docs"),
    "wrong-type-mapping": Case(replace(LEVEL2, "  time_in_level:\n    min_months: 12", "  time_in_level:\n    - 12"),
                               "wrong-type", f"content/{LEVEL2}", 15, "mapping", "docs"),
    "wrong-type-entry": Case(replace("tracks.yaml", "- id: leadership\n  name: Leadership\n  kind: leadership",
                                     "- leadership"),
                             "wrong-type", "content/tracks.yaml", 4, "should be a mapping", "example"),
    "wrong-type-date": Case(replace("changelog.yaml", "date: 2026-01-01", "date: yesterday"), "wrong-type",
                            "content/changelog.yaml", 2, "should be a date (YYYY-MM-DD)", "docs"),
    "impossible-date": Case(replace("framework.yaml", "effective: 2026-01-01", "effective: 2026-02-30"),
                            "invalid-value", "content/framework.yaml", 4, "day is out of range", "quotes"),
    "unknown-key": Case(replace(LEVEL2, "summary: Experienced level.", "summary: Experienced level.\nsumary: x"),
                        "unknown-key", f"content/{LEVEL2}", 8, "`sumary` is not a key", "did you mean `summary`?"),
    "missing-field": Case(replace(LEVEL2, "summary: Experienced level.\n", ""), "missing-field", f"content/{LEVEL2}", 2,
                          "`summary` is required", "add a line `summary: …`"),
    "invalid-id": Case(replace("training.yaml", "- id: vitals-lab", "- id: Vitals Lab"), "invalid-id",
                       "content/training.yaml", 1, "not a valid id", "lowercase"),
    # --- references, duplicates, cycles
    "unknown-level": Case(replace(LEVEL2, "  - to: lead", "  - to: laed"), "unknown-reference", f"content/{LEVEL2}",
                          35, "the level `laed` does not exist", "did you mean `lead`?"),
    "duplicate-id": Case(lambda p: shutil.copy(p / "content/competencies/scheduling.yaml",
                                               p / "content/competencies/scheduling-2.yaml"),
                         "duplicate-id", "content/competencies/scheduling-2.yaml", 1,  # the copy, not the original
                         "already used in content/competencies/scheduling.yaml", "its own id"),
    "inheritance-cycle": Case(replace("levels/assistant-1.md", "rank: 1\n", "rank: 1\ninherits: lead\n"),
                              "inheritance-cycle", "content/levels/assistant-1.md", 7,
                              "assistant-1 → lead → assistant-2 → assistant-1", "break the circle"),
    "promotion-cycle": Case(replace("levels/lead.md", "summary: Leads the team.",
                                    "summary: Leads the team.\npaths:\n  - to: assistant-1"),
                            "promotion-cycle", "content/levels/assistant-1.md", 25,
                            "assistant-1 → assistant-2 → lead → assistant-1", "lateral"),
    # --- files that are missing, or are not files
    "missing-framework": Case(delete("tracks.yaml"), "missing-file", "content/tracks.yaml", 1,
                              "needs a `tracks.yaml`", "docs/content-format.md"),
    "folder-instead-of-file": Case(folder_instead_of("levels/lead.md"), "unreadable-file", "content/levels/lead.md", 1,
                                   "`lead.md` is a folder, not a file", "remove or rename"),
    "named-pipe": Case(fifo_at("competencies/triage.yaml"), "unreadable-file",
                       "content/competencies/triage.yaml", 1, "is a named pipe, not a file", "remove or rename"),
    "link-to-nothing": Case(symlink("levels/ghost.md", lambda p: p / "content/levels/not-there.md"),
                            "unreadable-file", "content/levels/ghost.md", 1, "No such file or directory",
                            "check that the file exists"),
    # --- nothing escapes the content folder
    "symlinked-file-outside": Case(symlink("levels/lead.md", outside_copy("levels/lead.md")), "outside-content",
                                   "content/levels/lead.md", 1, "a link to a file outside the content folder",
                                   "copy the file into content/"),
    "symlinked-folder-outside": Case(symlink("competencies", outside_copy("competencies")), "outside-content",
                                     "content/competencies/scheduling.yaml", 1, "outside the content folder",
                                     "copy the file into content/", count=2),  # each file of the folder
    "link-climbs-out": Case(replace("pages/promotion.md", "../levels/assistant-1.md", "../../README.md"),
                            "outside-content", "content/pages/promotion.md", 7,
                            "`../../README.md` points outside the content folder", "inside content/"),
    "link-absolute": Case(replace("pages/promotion.md", "../levels/assistant-1.md", "/etc/passwd"),
                          "outside-content", "content/pages/promotion.md", 7,
                          "`/etc/passwd` points outside the content folder", "inside content/"),
    "link-through-symlink": Case(lambda p: (
        (p / "content/assets").mkdir(),
        (p / "content/assets/notes.txt").symlink_to(outside_copy("tracks.yaml")(p)),
        edit(p, "pages/promotion.md", "../levels/assistant-1.md", "../assets/notes.txt")),
        "outside-content", "content/pages/promotion.md", 7, "leads outside the content folder through a symbolic link",
        "copy the file into content/"),
    "link-file-scheme": Case(replace("pages/promotion.md", "../levels/assistant-1.md", "file:///etc/passwd"),
                             "unsafe-link", "content/pages/promotion.md", 7, "`file:///etc/passwd`", "http:, https:"),
    "link-javascript": Case(replace("pages/promotion.md", "../levels/assistant-1.md", "javascript:alert(1)"),
                            "unsafe-link", "content/pages/promotion.md", 7, "`javascript:alert(1", "http:, https:"),
    "link-data": Case(replace("pages/promotion.md", "../levels/assistant-1.md", "data:text/html,<b>x</b>"),
                      "unsafe-link", "content/pages/promotion.md", 7, "`data:text/html", "http:, https:"),
}
CASES.update({
    f"wrong-shape-{name.split('/')[0].removesuffix('.yaml')}": Case(write(name, text), "wrong-type", f"content/{name}",
                                                                    line, message, "example of this file")
    for name, (text, line, message) in WRONG_SHAPE.items()
})


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_bad_input_gets_its_exact_diagnostic(project_copy, name):
    case = CASES[name]
    project = project_copy()
    case.break_it(project)
    found = diagnostics(project)
    errors = [d for d in found if d.severity is Severity.ERROR]
    matching = [d for d in errors if d.code == case.code]
    assert len(matching) == case.count, f"expected [{case.code}], got:\n" + "\n".join(d.format() for d in found)
    diag = matching[0]
    assert (diag.file, diag.line) == (case.file, case.line), diag.format()
    assert case.message in diag.message, diag.format()
    assert case.hint in diag.hint, diag.format()
    assert diag.column >= 1
    # One mistake, one error: a broken file never cascades into errors about the files that use it.
    assert len(errors) == case.count, "\n".join(d.format() for d in errors)


@pytest.mark.parametrize("name", ["invalid-yaml", "python-tag", "named-pipe", "wrong-shape-framework",
                                  "symlinked-folder-outside", "billion-laughs", "file-too-large"])
def test_check_and_build_report_and_stop_without_a_traceback(project_copy, tmp_path, name):
    case = CASES[name]
    project = project_copy()
    case.break_it(project)
    runner = CliRunner()
    checked = runner.invoke(main, ["check", str(project)], catch_exceptions=False)
    assert checked.exit_code == 1
    assert f"{case.file}:{case.line}:" in checked.output and f"[{case.code}]" in checked.output
    built = runner.invoke(main, ["build", str(project), "-o", str(tmp_path / "out")], catch_exceptions=False)
    assert built.exit_code == 1
    assert f"[{case.code}]" in built.output and "was left as it was" in built.output
    assert not (tmp_path / "out").exists()


def test_a_bom_is_only_a_warning(project_copy):
    project = project_copy()
    path = project / "content/tracks.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    found = diagnostics(project)
    assert [(d.code, d.file, d.line, d.severity) for d in found] == [
        ("byte-order-mark", "content/tracks.yaml", 1, Severity.WARNING)]
    assert "UTF-8 without BOM" in found[0].hint


def test_a_file_the_system_will_not_let_us_read(project_copy):
    """chmod 000 blocks reading for everyone but root (tests may run as root). Either way the report
    must match what the operating system does: a diagnostic exactly when the file cannot be read.
    (The same code path is exercised for root by `link-to-nothing` above.)"""
    project = project_copy()
    path = project / "content/competencies/scheduling.yaml"
    path.chmod(0)
    try:
        readable = os.access(path, os.R_OK)
        found = [d for d in diagnostics(project) if d.code == "unreadable-file"]
    finally:
        path.chmod(0o644)
    if readable:
        assert found == []
    else:
        assert [(d.file, d.line) for d in found] == [("content/competencies/scheduling.yaml", 1)]
        assert "Permission denied" in found[0].message


def test_missing_content_folder_for_check_and_build(tmp_path):
    runner = CliRunner()
    for command in (["check", str(tmp_path)], ["build", str(tmp_path), "--no-pdf"]):
        result = runner.invoke(main, command, catch_exceptions=False)
        assert result.exit_code == 1
        assert "content:1:1: error [missing-content] there is no content folder" in result.output
        assert "ladderbuild check path/to/project" in result.output
    assert not (tmp_path / "output").exists()


def test_an_output_folder_that_cannot_be_made_is_an_error_not_a_traceback(project_copy, tmp_path):
    project = project_copy()
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = CliRunner().invoke(main, ["build", str(project), "--no-pdf", "-o", str(blocker / "out")],
                                catch_exceptions=False)
    assert result.exit_code == 1
    assert "error: cannot write the output" in result.output
    assert "was left as it was" in result.output


# --------------------------------------------------------------------------- rosters


ROSTER_HEADER = "employee_id,name,level,manager\n"


def _packets(project: Path, roster: Path, out: Path):
    return CliRunner().invoke(main, ["packets", str(project), "--roster", str(roster), "-o", str(out)],
                              catch_exceptions=False)


@pytest.mark.parametrize("encoding, line, message", [
    ("latin-1", 2, "this line is not valid UTF-8 (byte 7)"),
    ("utf-16", 1, "it looks like UTF-16"),
    ("utf-16-be", 1, "it looks like UTF-16"),
])
def test_a_roster_in_the_wrong_encoding(minimal_project, tmp_path, encoding, line, message):
    roster = tmp_path / "roster.csv"
    roster.write_bytes((ROSTER_HEADER + "E1,José,assistant-1,Maria\n").encode(encoding))
    result = _packets(minimal_project, roster, tmp_path / "out")
    assert result.exit_code == 1
    assert f"roster.csv:{line}: " in result.output and message in result.output
    assert "save the roster as CSV UTF-8" in result.output
    assert "Nothing written" in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("content, expected", [
    ("id,full name,level\nE1,Ana,assistant-1\n", ["roster.csv:1: column `id`: unknown column",
                                                  "column `employee_id`: required column is missing",
                                                  "column `manager`: required column is missing"]),
    (ROSTER_HEADER + "E1,Ana,asistant-1,Maria\n", ["roster.csv:2: column `level`: unknown level `asistant-1`",
                                                   "did you mean `assistant-1`?"]),
    (ROSTER_HEADER + "E1,Ana,assistant-1,Maria\nE1,Bo,lead,Maria\n",
     ["roster.csv:3: column `employee_id`: duplicate employee ID `E1` (also on row 2)"]),
], ids=["wrong-columns", "unknown-level", "duplicate-id"])
def test_a_roster_with_wrong_columns_levels_or_ids(minimal_project, tmp_path, content, expected):
    roster = tmp_path / "roster.csv"
    roster.write_text(content, encoding="utf-8")
    result = _packets(minimal_project, roster, tmp_path / "out")
    assert result.exit_code == 1
    for fragment in expected:
        assert fragment in result.output
    assert not (tmp_path / "out").exists()


def test_a_roster_that_is_a_binary_file(minimal_project, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_bytes(bytes(range(256)) * 4)
    result = _packets(minimal_project, roster, tmp_path / "out")
    assert result.exit_code == 1
    assert "roster.csv:1: the roster is not UTF-8 text" in result.output


def test_diff_never_passes_an_option_to_git(minimal_project, tmp_path):
    target = tmp_path / "written-by-git.tar"
    result = CliRunner().invoke(main, ["diff", "--", f"--output={target}", str(minimal_project)],
                                catch_exceptions=False)
    assert result.exit_code == 2
    assert f"`--output={target}` is neither a folder nor a git revision" in result.output
    assert not target.exists()
