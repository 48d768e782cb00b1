"""The hostile-input catalogue: the real command line against careless and hostile input.

Every case builds a throw-away tree — `project/` (a copy of the small fixture), `home/` (the home
folder: HOME points here), `precious/` (someone's files) — breaks it in one way, runs one command
in-process from the tree's root, and asserts four things:

* the exit code;
* no traceback: no exception escaped but SystemExit, and "Traceback" was not printed;
* the located message: fragments such as `content/tracks.yaml:6:` and `[yaml-syntax]`;
* everything in the tree outside the one folder the command may write is byte for byte as it was
  (files, folders, links, named pipes), and no staging folder is left anywhere.

Families: malformed files, resources (bounded work), references, injection (terminal escapes, JSON),
paths (the output-folder guard), roster. Interruption (Ctrl-C, SIGTERM, SIGKILL of real processes)
is in test_hostile_interrupt.py, git history in test_history.py, and what the handbook and PDFs
contain in test_hostile_output.py. Nothing here ever writes outside the tree: the system folders
are judged by the guard's decision function, from paths alone (test_output_folder_decisions).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import traceback
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner

from helpers import edit
from ladderbuild.cli import main
from ladderbuild.model import DOCUMENT_MODELS
from ladderbuild.outputdir import MARKER, refusal
from test_hostile_input import CASES as MALFORMED

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "minimal"
BUILD = ("build", "project", "--no-pdf", "-o", "out")


@dataclass(frozen=True)
class Case:
    family: str
    command: tuple[str, ...]
    exit: int
    says: tuple[str, ...] = ()  # fragments the output must hold
    setup: Callable[[Path], None] | None = None  # gets the tree's root
    writes: str | None = None  # the folder (relative to the tree) the command may change; else nothing
    never: tuple[str, ...] = ()  # fragments the output must not hold


# --------------------------------------------------------------------------- the tree and its snapshot


def make_tree(root: Path) -> Path:
    shutil.copytree(FIXTURE, root / "project")
    (root / "home").mkdir()
    (root / "home" / "notes.txt").write_text("my notes\n")
    (root / "precious").mkdir()
    (root / "precious" / "thesis.txt").write_text("do not delete\n")
    return root


def snapshot(root: Path, skip: Path | None) -> dict[str, tuple]:
    """Every entry under `root` but `skip` (and what is inside it): its kind and content, read without
    following links or opening pipes."""
    found: dict[str, tuple] = {}
    for folder, dirs, files in os.walk(root, followlinks=False):
        for name in sorted(dirs + files):
            path = Path(folder) / name
            if skip is not None and (path == skip or skip in path.parents):
                continue
            mode = path.lstat().st_mode
            rel = path.relative_to(root).as_posix()
            if stat.S_ISLNK(mode):
                found[rel] = ("link", os.readlink(path))
            elif stat.S_ISDIR(mode):
                found[rel] = ("dir", stat.S_IMODE(mode))
            elif stat.S_ISREG(mode):
                found[rel] = ("file", stat.S_IMODE(mode), hashlib.sha256(path.read_bytes()).hexdigest())
            else:
                found[rel] = ("other", stat.S_IFMT(mode))
    return found


def staging_left(root: Path) -> list[str]:
    return [os.path.join(folder, name) for folder, dirs, _files in os.walk(root) for name in dirs
            if ".staging-" in name]


def run_case(case: Case, root: Path, monkeypatch) -> str:
    make_tree(root)
    if case.setup:
        case.setup(root)
    skip = (root / case.writes).resolve() if case.writes else None
    before = snapshot(root, skip)
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, list(case.command), env={"HOME": str(root / "home")})
    out = result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError("".join(traceback.format_exception(result.exception)) + out)
    assert "Traceback" not in out, out
    assert result.exit_code == case.exit, out
    for fragment in case.says:
        assert fragment in out, f"{fragment!r} not in:\n{out}"
    for fragment in case.never:
        assert fragment not in out, f"{fragment!r} in:\n{out}"
    assert snapshot(root, skip) == before, "something outside the output folder changed"
    assert staging_left(root) == []
    return out


# --------------------------------------------------------------------------- small helpers for setups


def content(relative: str, text: str | bytes) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / "project" / "content" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return apply


def change(relative: str, old: str, new: str) -> Callable[[Path], None]:
    return lambda root: edit(root / "project", relative, old, new)


def steps(*setups: Callable[[Path], None]) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        for setup in setups:
            setup(root)
    return apply


def page(title: str, body: str = "Text.\n", ident: str | None = None) -> str:
    return "---\n" + (f"id: {ident}\n" if ident else "") + f"title: {title}\n---\n{body}"


def level(ident: str, rank: int, inherits: str, track: str = "clinical") -> str:
    return f"---\nid: {ident}\ntitle: Level {ident}\ntrack: {track}\nrank: {rank}\ninherits: {inherits}\nsummary: S.\n---\n"


def link_from_promotion(target: str) -> Callable[[Path], None]:
    return change("pages/promotion.md", "../levels/assistant-1.md", target)


CASES: dict[str, Case] = {}

# --------------------------------------------------------------------------- malformed files
# Every case of test_hostile_input (one exact diagnostic each), now through `build` end to end.

for name, bad in MALFORMED.items():
    CASES[f"malformed/{name}"] = Case(
        "malformed", BUILD, 1, (f"{bad.file}:{bad.line}:", f"[{bad.code}]", "was left as it was"),
        setup=lambda root, bad=bad: bad.break_it(root / "project"))

QUOTE = "the quote (`{}`) opened here is never closed"
CASES.update({
    "malformed/unclosed-double-quote-swallows-lines": Case(
        "malformed", BUILD, 1, ("content/competencies/scheduling.yaml:2:7: error [yaml-syntax]", QUOTE.format('"')),
        setup=change("competencies/scheduling.yaml", "name: Scheduling", 'name: "Scheduling')),
    "malformed/unclosed-single-quote": Case(
        "malformed", BUILD, 1, ("content/tracks.yaml:2:9: error [yaml-syntax]", QUOTE.format("'"), "`''`"),
        setup=change("tracks.yaml", "  name: Clinical", "  name: 'Clinical")),
    "malformed/unclosed-quote-in-front-matter": Case(
        "malformed", BUILD, 1, ("content/levels/assistant-2.md:3:8: error [yaml-syntax]", QUOTE.format('"')),
        setup=change("levels/assistant-2.md", "title: Assistant II", 'title: "Assistant II')),
    "malformed/unclosed-quote-in-a-flow-list": Case(
        "malformed", BUILD, 1, ("content/packets/annual-review.yaml:4:", QUOTE.format('"')),
        setup=change("packets/annual-review.yaml", "forms: [self, annual]", 'forms: [self, "annual]')),
    "malformed/quoted-value-closed-on-a-later-line-is-fine": Case(
        "malformed", BUILD, 0, ("Built Example Clinic Career Ladder",), writes="out",
        setup=change("competencies/scheduling.yaml", "name: Scheduling", 'name: "Sched\n  uling"')),
    "malformed/nul-byte-in-a-markdown-body": Case(
        "malformed", BUILD, 0, ("Built",), writes="out",
        setup=change("levels/lead.md", "Leads a team.", "Leads a\x00 team.")),
})

# --------------------------------------------------------------------------- resources: bounded work


def many_pages(count: int) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        for n in range(count):
            (root / "project/content/pages" / f"p{n:04d}.md").write_text(page(f"P{n}"))
    return apply


def long_glossary(entries: int) -> Callable[[Path], None]:
    return content("glossary.yaml", "".join(f"- term: t{n}\n  definition: d\n" for n in range(entries)))


def inheritance_chain(length: int) -> Callable[[Path], None]:
    """Levels c0001 … inheriting each from the one before, the first from assistant-2."""
    def apply(root: Path) -> None:
        parent = "assistant-2"
        for n in range(1, length + 1):
            ident = f"c{n:04d}"
            (root / "project/content/levels" / f"{ident}.md").write_text(level(ident, 2 + n, parent))
            parent = ident
    return apply


CASES.update({
    "resources/1001-pages": Case(
        "resources", BUILD, 1, ("content/pages/p1000.md:1:1: error [too-many-files]", "the limit is 1,000"),
        setup=many_pages(1001)),
    "resources/10001-glossary-entries": Case(
        "resources", BUILD, 1, ("content/glossary.yaml:20001:3: error [too-many-items]", "10,001 entries"),
        setup=long_glossary(10_001)),
    "resources/a-mapping-of-10001-keys": Case(
        "resources", BUILD, 1, ("content/levels/lead.md:", "[too-many-items]", "this mapping has 10,002 entries"),
        setup=change("levels/lead.md", "competencies:\n", "competencies:\n" + "".join(
            f"  c{n}: expert\n" for n in range(10_000)))),
    "resources/chain-of-997-inheriting-levels": Case(
        "resources", BUILD, 1, ("content/levels/c0100.md:", "[inheritance-too-deep]",
                                "inherits through 101 levels", "the limit is 100"),
        never=("RecursionError",), setup=inheritance_chain(997)),
    "resources/chain-of-98-inheriting-levels-is-fine": Case(
        "resources", ("check", "project", "-q"), 0, setup=inheritance_chain(98)),
    "resources/track-name-of-99000-characters": Case(
        "resources", BUILD, 1, ("content/tracks.yaml:5:9: error [name-too-long]", "99,000 characters",
                                "the limit is 200"),
        setup=change("tracks.yaml", "name: Leadership", "name: " + "L" * 99_000)),
    "resources/competency-name-of-one-60000-character-word": Case(
        "resources", BUILD, 1, ("content/competencies/scheduling.yaml:2:7: error [name-too-long]",),
        setup=change("competencies/scheduling.yaml", "name: Scheduling", "name: " + "W" * 60_000)),
    "resources/level-title-of-201-characters": Case(
        "resources", BUILD, 1, ("content/levels/lead.md:3:8: error [name-too-long]", "201 characters"),
        setup=change("levels/lead.md", "title: Lead Assistant", "title: " + "Lead " * 40 + "A")),
    "resources/glossary-alias-of-300-characters": Case(
        "resources", BUILD, 1, ("content/glossary.yaml:2:", "[name-too-long]", "this alias is 300"),
        setup=change("glossary.yaml", "  definition: A description",
                     "  aliases: [" + "a" * 300 + "]\n  definition: A description")),
    "resources/a-60000-character-word-in-a-description": Case(
        "resources", BUILD, 1, ("content/competencies/scheduling.yaml:4:1: error [word-too-long]",
                                "a word of 60,000 characters", "(in `description`)"),
        setup=change("competencies/scheduling.yaml", "Books and", "x" * 60_000 + " Books and")),
    "resources/a-1001-character-word-in-a-level-body": Case(
        "resources", BUILD, 1, ("content/levels/lead.md:14:1: error [word-too-long]", "1,001 characters"),
        setup=change("levels/lead.md", "Leads a team.", "Leads a team.\n\n" + "z" * 1001)),
    "resources/50000-open-brackets": Case(
        "resources", BUILD, 1, ("content/levels/lead.md:12:1: error [word-too-long]",),
        setup=change("levels/lead.md", "Leads a team.", "[" * 50_000)),
    "resources/a-1000-character-word-is-fine": Case(
        "resources", BUILD, 0, ("Built",), writes="out",
        setup=change("levels/lead.md", "Leads a team.", "z" * 1000)),
    "resources/a-3000-character-link-target-is-not-a-word": Case(
        "resources", BUILD, 0, ("Built",), writes="out",
        setup=change("levels/lead.md", "Leads a team.", "[docs](https://example.com/" + "a" * 3000 + ")")),
    "resources/5000-characters-of-chinese-in-one-line-are-not-a-word": Case(
        "resources", BUILD, 0, ("Built",), writes="out",
        setup=change("levels/lead.md", "Leads a team.", "带领团队" * 1250)),
    "resources/a-markdown-text-of-100001-characters": Case(
        "resources", BUILD, 1, ("content/levels/lead.md:12:1: error [value-too-long]", "100,001 characters"),
        setup=change("levels/lead.md", "Leads a team.", ("word " * 20_001)[:100_000])),
    "resources/a-paragraph-of-20000-lines": Case(
        "resources", BUILD, 0, ("Built",), writes="out",
        setup=change("levels/lead.md", "Leads a team.", "a\n" * 20_000)),
    "resources/3000-broken-links": Case(
        "resources", BUILD, 1, ("content/pages/promotion.md:7:1: error [broken-link]", "3000 error(s)",
                                "hint: did you mean `pages/promotion.md`?",  # the first 200 get a suggestion …
                                "hint: the link is relative to content/pages/promotion.md; fix the path, or create "
                                "content/pages/missing-2999.md"),  # … the others the plain hint
        setup=change("pages/promotion.md", "Talk to your manager.",
                     "Talk to your manager. " + " ".join(f"[x](missing-{n}.md)" for n in range(3000)))),
})

# --------------------------------------------------------------------------- references


def twin_form_and_level(root: Path) -> None:
    """Form `self--p` for level `lead` and form `self` for level `p--lead` are one file name."""
    forms, levels = root / "project/content/forms", root / "project/content/levels"
    (forms / "self--p.yaml").write_text((forms / "self.yaml").read_text().replace("id: self", "id: self--p"))
    (levels / "p--lead.md").write_text((levels / "lead.md").read_text().replace("id: lead", "id: p--lead"))


def linked_assets(*names: str, link: str | None = None) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        assets = root / "project/content/assets"
        assets.mkdir(exist_ok=True)
        for name in names:
            (assets / name).write_bytes(b"\x89PNG\r\n" + name.encode())
        links = " ".join(f"![{n}](../assets/{n})" for n in ([link] if link else names))
        edit(root / "project", "pages/promotion.md", "Talk to your manager.", f"Talk to your manager. {links}")
    return apply


NFC, NFD = unicodedata.normalize("NFC", "café"), unicodedata.normalize("NFD", "café")
CASES.update({
    "references/two-forms-written-to-one-file": Case(
        "references", BUILD, 1, ("content/forms/self--p.yaml:1:5: error [output-collision]",
                                 "would both be written as `self--p--lead.pdf`"),
        setup=twin_form_and_level),
    "references/FAQ.md-beside-faq.md": Case(
        "references", BUILD, 1, ("content/pages/promotion.md:1:1: error [case-collision]",
                                 "`pages/promotion.md` and `pages/PROMOTION.md` differ only in capitals"),
        setup=content("pages/PROMOTION.md", page("Shouting", ident="shouting"))),
    "references/page-id-from-a-file-name-with-spaces-and-accents": Case(
        "references", BUILD, 1, ("content/pages/Résumé tips.md:2:1: error [invalid-id]",
                                 "rename the file to `resume-tips.md`"),
        setup=content("pages/Résumé tips.md", page("Résumé tips"))),
    "references/page-id-from-a-capitalised-file-name": Case(
        "references", BUILD, 1, ("content/pages/FAQ.md:2:1: error [invalid-id]", "`faq.md`"),
        setup=content("pages/FAQ.md", page("Questions"))),
    "references/a-page-with-its-own-id-may-have-any-portable-file-name": Case(
        "references", BUILD, 0, ("Built",), writes="out",
        setup=content("pages/My Notes.md", page("Notes", ident="my-notes"))),
    "references/an-accent-encoded-two-ways": Case(
        "references", BUILD, 1, ("[case-collision]", "differ only in capitals or accents"),
        setup=steps(content(f"pages/{NFC}.md", page("A", ident="cafe-a")),
                    content(f"pages/{NFD}.md", page("B", ident="cafe-b")))),
    "references/two-folders-that-differ-in-case": Case(
        "references", BUILD, 1, ("content/levels:1:1: error [case-collision]", "`levels` and `Levels`"),
        setup=content("Levels/extra.md", page("Extra"))),
    "references/two-linked-assets-that-differ-in-case": Case(
        "references", BUILD, 1, ("content/assets/logo.png:1:1: error [case-collision]",
                                 "`assets/logo.png` and `assets/Logo.png`"),
        setup=linked_assets("Logo.png", "logo.png")),
    "references/an-asset-linked-with-the-wrong-case": Case(
        "references", BUILD, 1, ("content/pages/promotion.md:7:1: error [broken-link]", "did you mean `assets/logo.png`?"),
        setup=linked_assets("logo.png", link="Logo.png")),
    "references/a-name-windows-cannot-hold": Case(
        "references", BUILD, 1, ("content/assets/a:b.png:1:1: error [unportable-name]", "holds `:`"),
        setup=linked_assets("a:b.png")),
    "references/a-device-name": Case(
        "references", BUILD, 1, ("content/assets/CON.png:1:1: error [unportable-name]", "reserved for a device"),
        setup=linked_assets("CON.png")),
    "references/a-name-ending-with-a-dot": Case(
        "references", BUILD, 1, ("content/assets/logo.:1:1: error [unportable-name]", "ends with a dot"),
        setup=content("assets/logo.", b"x")),
    "references/protocol-relative-link": Case(
        "references", BUILD, 1, ("content/pages/promotion.md:7:1: error [unsafe-link]", "names no scheme",
                                 "write the scheme: `https://evil.example/x`"),
        setup=link_from_promotion("//evil.example/x")),
    "references/protocol-relative-image": Case(
        "references", BUILD, 1, ("content/pages/promotion.md:7:1: error [unsafe-link]", "`//evil.example/i.png`"),
        setup=change("pages/promotion.md", "Talk to your manager.", "![i](//evil.example/i.png)")),
    "references/protocol-relative-link-in-a-yaml-description": Case(
        "references", BUILD, 1, ("content/competencies/scheduling.yaml:4:1: error [unsafe-link]", "(in `description`)"),
        setup=change("competencies/scheduling.yaml", "Books and", "Books [x](//evil.example) and")),
    "references/backslash-host-link-is-an-absolute-path": Case(
        "references", BUILD, 1, ("content/pages/promotion.md:7:1: error [outside-content]",),
        setup=link_from_promotion("/\\evil.example/x")),
    "references/a-link-with-a-capitalised-scheme-is-fine": Case(
        "references", BUILD, 0, ("Built",), writes="out", setup=link_from_promotion("HTTPS://example.com/x")),
})

# --------------------------------------------------------------------------- injection: terminal and JSON
# YAML's double-quoted escapes ("\e", "\x9b", "\u202e") put real control characters into values;
# a message that names such a value must show them escaped.

INJECTIONS = {
    "clear-screen": ("\\e[2J\\e[H", "\x1b[2J", "\\x1b[2J\\x1b[H"),
    "window-title": ("\\e]0;pwned\\a", "\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07"),
    "osc8-hyperlink": ("\\e]8;;https://evil.example\\e\\\\click\\e]8;;\\e\\\\", "\x1b]8;;https://evil",
                       "\\x1b]8;;https://evil.example"),
    "hidden-text": ("\\e[8msecret\\e[0m", "\x1b[8m", "\\x1b[8msecret"),
    "c1-csi": ("\\x9b2J", "\x9b", "\\x9b2J"),
    "bidi-override": ("abc\\u202Edcba", "\u202e", "abc\\u202edcba"),
    "carriage-return": ("x\\rall good", "\rall good", "x\\rall good"),
}

for name, (written, raw, shown) in INJECTIONS.items():
    CASES[f"injection/{name}-in-a-reference"] = Case(
        "injection", ("check", "project"), 1, ("content/levels/assistant-2.md:35:9: error [invalid-id]", shown),
        never=(raw,), setup=change("levels/assistant-2.md", "  - to: lead", f'  - to: "{written}"'))


def forged_lines(out: str) -> None:
    assert not any(line.startswith("0 error(s)") for line in out.splitlines()), out


CASES.update({
    "injection/newline-in-a-value-cannot-forge-a-line": Case(
        "injection", ("check", "project"), 1, ("`x\\n0 error(s), 0 warning(s)` is not a valid id for `track`",),
        setup=change("levels/lead.md", "track: leadership", 'track: "x\\n0 error(s), 0 warning(s)"')),
    "injection/escape-in-a-file-name": Case(
        "injection", ("check", "project"), 1, ("content/assets/\\x1b[31mred.png:1:1: error [unportable-name]",),
        never=("\x1b",), setup=content("assets/\x1b[31mred.png", b"x")),
    "injection/newline-in-a-file-name": Case(
        "injection", ("check", "project"), 1, ("content/assets/a\\n0 error(s), 0 warning(s).png:1:1:",),
        setup=content("assets/a\n0 error(s), 0 warning(s).png", b"x")),
    "injection/escape-in-the-title-of-a-successful-build": Case(
        "injection", BUILD, 0, ("Built \\x1b]0;pwned\\x07 1.0 into",), never=("\x1b",), writes="out",
        setup=change("framework.yaml", "title: Example Clinic Career Ladder", 'title: "\\e]0;pwned\\a"')),
    "injection/escape-in-the-summary-of-check": Case(
        "injection", ("check", "project"), 0, ("\\x1b[2J 1.0: 3 levels",), never=("\x1b",),
        setup=change("framework.yaml", "title: Example Clinic Career Ladder", 'title: "\\e[2J"')),
    "injection/template-syntax-is-just-text": Case(
        "injection", ("check", "project"), 0, ("{{ 7*7 }} {% raw %} 1.0:",),
        setup=change("framework.yaml", "title: Example Clinic Career Ladder", 'title: "{{ 7*7 }} {% raw %}"')),
})

for name, written, raw in (("escape", "\\e[2J", "\x1b[2J"), ("c1", "\\x9b31m", "\x9b31m"),
                           ("bidi", "\\u202Eevil", "\u202eevil"), ("line-separator", "a\\u2028b", "a\u2028b")):
    CASES[f"injection/json-stays-json-with-{name}"] = Case(
        "injection", ("check", "project", "--format", "json"), 1, ('"code": "invalid-id"',), never=(raw,),
        setup=change("levels/assistant-2.md", "  - to: lead", f'  - to: "{written}"'))


def two_versions(title: str) -> Callable[[Path], None]:
    """`project` renamed to `old`, and a copy `new` whose level Lead Assistant is renamed to `title`."""
    def apply(root: Path) -> None:
        shutil.copytree(root / "project", root / "new")
        edit(root / "new", "levels/lead.md", "title: Lead Assistant", f'title: "{title}"')
    return apply


for fmt in ("text", "markdown", "json"):
    CASES[f"injection/diff-{fmt}-output"] = Case(
        "injection", ("diff", "project", "new", "--format", fmt), 0,
        ("Lead \\x1b[31mRed" if fmt != "json" else "Lead \\u001b[31mRed",), never=("\x1b",),
        setup=two_versions("Lead \\e[31mRed"))

# --------------------------------------------------------------------------- paths: the output-folder guard


def link(name: str, target: str) -> Callable[[Path], None]:
    return lambda root: (root / name).symlink_to(root / target)


def folder(name: str, *files: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        (root / name).mkdir(parents=True, exist_ok=True)
        for file in files:
            (root / name / file).write_text("someone's\n")
    return apply


def marked(name: str, kind: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        (root / name).mkdir()
        (root / name / MARKER).write_text(f"{kind}\n")
        (root / name / "index.html").write_text("old handbook\n")
    return apply


def built_without_marker(name: str) -> Callable[[Path], None]:
    """A handbook built into `name` before builds left a marker: the build cache remembers it."""
    def apply(root: Path) -> None:
        done = CliRunner().invoke(main, ["build", str(root / "project"), "--no-pdf", "-q", "-o", str(root / name)],
                                  env={"HOME": str(root / "home")})
        assert done.exit_code == 0, done.output
        (root / name / MARKER).unlink()
    return apply


def old_packets(name: str, ours: bool) -> Callable[[Path], None]:
    """Packets from before the marker: a manifest.csv as `packets` wrote it (or someone else's)."""
    def apply(root: Path) -> None:
        (root / name / "annual-review").mkdir(parents=True)
        (root / name / "annual-review" / "E0.pdf").write_bytes(b"%PDF-1.7 old")
        header = '"employee_id","name","level","manager","packet","file"' if ours else "id,name"
        (root / name / "manifest.csv").write_text("\ufeff" + header + "\r\n", encoding="utf-8")
    return apply


def git_tree(name: str) -> Callable[[Path], None]:
    return steps(folder(name, "README.md"), folder(f"{name}/.git", "HEAD"))


def out(*extra: str) -> tuple[str, ...]:
    return ("build", "project", "--no-pdf", *extra)


NEVER = "--force does not change this"
PATHS = {
    # (command, exit, says, setup, writes)
    "build-into-a-folder-of-someone's-files": (out("-o", "precious"), 2, ("`precious` is not empty and ladderbuild "
                                               "did not make it", "add --force"), None, None),
    "build-into-a-folder-of-someone's-files-with-force": (out("-o", "precious", "--force"), 0, ("Built",), None,
                                                          "precious"),
    "build-into-the-content-folder": (out("-o", "project/content"), 2, ("is the content folder", NEVER), None, None),
    "build-into-the-content-folder-with-force": (out("-o", "project/content", "--force"), 2, (NEVER,), None, None),
    "build-inside-the-content-folder": (out("-o", "project/content/site"), 2, ("is inside the content folder",),
                                        None, None),
    "build-into-the-project": (out("-o", "project"), 2, ("is the project folder",), None, None),
    "build-into-the-folder-it-runs-in": (out("-o", ".", "--force"), 2, ("is the folder you are working in",), None,
                                         None),
    "build-into-the-parent-of-the-tree": (out("-o", "..", "--force"), 2, ("holds",), None, None),
    "build-into-home": (out("-o", "home", "--force"), 2, ("is your home folder",), None, None),
    "build-into-home-by-a-roundabout-path": (out("-o", "precious/../home/"), 2, ("is your home folder",), None,
                                             None),
    "build-into-a-folder-an-older-ladderbuild-built": (out("-o", "site"), 0, ("Built",), built_without_marker("site"),
                                                       "site"),
    "build-into-a-new-folder-in-home-is-fine": (out("-o", "home/handbook"), 0, ("Built",), None, "home/handbook"),
    "build-into-a-link-to-the-content-folder": (out("-o", "linked", "--force"), 2, ("(a link to",
                                                "is the content folder"), link("linked", "project/content"), None),
    "build-into-a-link-to-home": (out("-o", "linked", "--force"), 2, ("is your home folder",), link("linked", "home"),
                                  None),
    "build-into-a-link-to-an-empty-folder-is-fine": (out("-o", "linked"), 0, ("Built",),
                                                     steps(folder("empty"), link("linked", "empty")), "empty"),
    "build-into-the-templates-folder": (out("-o", "project/templates", "--force"), 2, ("is the templates folder",),
                                        None, None),
    "build-into-a-file": (out("-o", "precious/thesis.txt", "--force"), 2, ("is a file",), None, None),  # click's check
    "build-into-a-link-to-a-file": (out("-o", "linked", "--force"), 2, ("is a file",),
                                    link("linked", "precious/thesis.txt"), None),
    "build-into-a-git-working-tree": (out("-o", "repo", "--force"), 2, ("is a git working tree",), git_tree("repo"),
                                      None),
    "build-inside-a-.git-folder": (out("-o", "repo/.git/site"), 2, (".git folder",), git_tree("repo"), None),
    "build-into-an-empty-folder": (out("-o", "empty"), 0, ("Built",), folder("empty"), "empty"),
    "build-into-its-own-earlier-output": (out("-o", "site"), 0, ("Built",), marked("site", "build"), "site"),
    "build-into-a-folder-packets-wrote": (out("-o", "site"), 2, ("holds what `ladderbuild packets` wrote",),
                                          marked("site", "packets"), None),
    "build-into-a-folder-packets-wrote-with-force": (out("-o", "site", "--force"), 0, ("Built",),
                                                     marked("site", "packets"), "site"),
    "build-into-a-folder-with-a-marker-that-is-a-link": (
        out("-o", "site"), 2, ("did not make it",),
        steps(folder("site", "keep.txt"), lambda root: (root / "site" / MARKER).symlink_to(root / "precious/thesis.txt")),
        None),
    "packets-into-the-content-folder": (("packets", "project", "--roster", "roster.csv", "-o", "project/content"), 2,
                                        ("is the content folder",), None, None),
    "packets-into-someone's-folder": (("packets", "project", "--roster", "roster.csv", "-o", "precious"), 2,
                                      ("is not empty",), None, None),
    "packets-into-home": (("packets", "project", "--roster", "roster.csv", "-o", "home", "--force"), 2,
                          ("is your home folder",), None, None),
    "packets-into-the-handbook": (("packets", "project", "--roster", "roster.csv", "-o", "project/output/p"), 2,
                                  ("personal data",), None, None),
    "packets-into-a-folder-the-build-wrote": (("packets", "project", "--roster", "roster.csv", "-o", "site"), 2,
                                              ("holds what `ladderbuild build` wrote",), marked("site", "build"), None),
    "packets-into-packets-an-older-ladderbuild-wrote": (("packets", "project", "--roster", "roster.csv", "-o", "pk"), 0,
                                                        ("Wrote 1 packet(s)",), old_packets("pk", ours=True), "pk"),
    "packets-into-a-folder-with-someone-else's-manifest": (("packets", "project", "--roster", "roster.csv", "-o", "pk"),
                                                           2, ("is not empty",), old_packets("pk", ours=False), None),
    "scores-into-the-content-folder": (("scores", "precious/thesis.txt", "-C", "project", "-o", "project/content",
                                        "--force"), 2, ("is the content folder",), None, None),
    "scores-into-home": (("scores", "precious/thesis.txt", "-C", "project", "-o", "home", "--force"), 2,
                         ("is your home folder",), None, None),
    "scores-into-a-link-to-the-project": (("scores", "precious/thesis.txt", "-C", "project", "-o", "linked", "--force"),
                                          2, ("is the project folder",), link("linked", "project"), None),
    "schema-into-the-content-folder": (("schema", "-o", "project/content"), 2, ("is a framework's content folder",),
                                       None, None),
    "build-into-another-framework's-content": (out("-o", "other/content/site"), 2,
                                               ("is inside a framework's content folder",),
                                               lambda root: shutil.copytree(root / "project", root / "other"), None),
    "build-into-another-framework-project": (out("-o", "other", "--force"), 2, ("is a framework project",),
                                             lambda root: shutil.copytree(root / "project", root / "other"), None),
    "schema-over-someone's-file-of-the-same-name": (("schema", "-o", "mine"), 2, ("mine/level.schema.json",
                                                    "ladderbuild did not write"),
                                                    lambda root: (root / "mine").mkdir() or (
                                                        root / "mine/level.schema.json").write_text("{}"), None),
    "schema-beside-someone's-files-adds-only-its-own": (("schema", "-o", "precious"), 0,
                                                        (f"Wrote {len(DOCUMENT_MODELS)} schema files",),
                                                        None, "precious"),
}


def roster_file(root: Path) -> None:
    (root / "roster.csv").write_text("employee_id,name,level,manager\nE1,Ana,assistant-1,Bo\n")


for name, (command, code, says, setup, writes) in PATHS.items():
    refused = code == 2 and name not in ("build-into-a-file", "build-into-a-link-to-a-file")  # click refuses those
    CASES[f"paths/{name}"] = Case("paths", command, code, says + (("Nothing was written.",) if refused else ()),
                                  setup=steps(roster_file, *([setup] if setup else [])), writes=writes)

# --------------------------------------------------------------------------- roster

HEADER = "employee_id,name,level,manager\n"


def roster(text: str | bytes) -> Callable[[Path], None]:
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    return lambda root: (root / "roster.csv").write_bytes(data)


PACKETS = ("packets", "project", "--roster", "roster.csv", "-o", "pk")
ROSTERS = {
    "unclosed-quote": (HEADER + 'E1,"Ana,assistant-1,Bo\nE2,Cy,assistant-1,Bo\nE3,Di,lead,Bo\n', 1,
                       ("roster.csv:2: a quote (`\"`) opened on this row is never closed",)),
    "unclosed-quote-closed-rows-later": (HEADER + 'E1,Ana,assistant-1,Bo\nE2,"Cy,assistant-1,Bo\nE3,"Di",lead,Bo\n', 1,
                                         ("roster.csv:3: a quote",)),
    "text-after-a-closing-quote": (HEADER + 'E1,"Ana" Smith,assistant-1,Bo\n', 1,
                                   ("roster.csv:2: this row is not valid CSV",)),
    "a-cell-past-the-csv-field-limit": (HEADER + "E1," + "A" * 200_000 + ",assistant-1,Bo\n", 1,
                                        ("roster.csv:2: this row is not valid CSV", "field larger than field limit")),
    "escape-in-a-level": (HEADER + "E1,Ana,\x1b[2Jlead,Bo\n", 1,
                          ("roster.csv:2: column `level`", "the value contains a line break or control character")),
    "escape-in-an-unknown-level": (HEADER + "E1,Ana,le\u202ead,Bo\n", 1, ("unknown level `le\\u202ead`",)),
    "duplicate-ids-that-differ-in-case": (HEADER + "E1,Ana,assistant-1,Bo\ne1,Cy,lead,Bo\n", 1,
                                          ("roster.csv:3: column `employee_id`: duplicate employee ID `e1`",)),
    "unknown-level": (HEADER + "E1,Ana,assistent-1,Bo\n", 1, ("did you mean `assistant-1`?",)),
    "bad-hire-date": ("employee_id,name,level,manager,hire_date\nE1,Ana,lead,Bo,2024-02-30\n", 1,
                      ("roster.csv:2: column `hire_date`: `2024-02-30` is not a date",)),
    "empty-roster": ("", 1, ("roster.csv:1: the roster is empty",)),
    "header-only": (HEADER, 1, ("Nothing written: the roster has no valid rows.",)),
    "missing-columns": ("id,name\nE1,Ana\n", 1, ("column `employee_id`: required column is missing",)),
    "latin-1": ((HEADER + "E1,José,lead,Bo\n").encode("latin-1"), 1, ("roster.csv:2: this line is not valid UTF-8",)),
    "utf-16": ((HEADER + "E1,Ana,lead,Bo\n").encode("utf-16"), 1, ("it looks like UTF-16",)),
    "binary": (bytes(range(256)) * 8, 1, ("roster.csv:1: the roster is not UTF-8 text",)),
    "too-few-cells": (HEADER + "E1,Ana,lead\n", 1, ("roster.csv:2: this row has 3 cells but the header has 4",)),
}

for name, (text, code, says) in ROSTERS.items():
    CASES[f"roster/{name}"] = Case("roster", PACKETS, code, says, setup=roster(text), never=("\x1b", "\u202e"))

CASES.update({
    "roster/a-folder-instead-of-a-roster": Case("roster", PACKETS, 2, ("is a directory",),
                                                setup=lambda root: (root / "roster.csv").mkdir()),
    "roster/no-roster-at-all": Case("roster", PACKETS, 2, ("no roster file at roster.csv",)),
    "roster/a-named-pipe-is-never-opened": Case("roster", PACKETS, 2, ("no roster file at roster.csv",),
                                                setup=lambda root: os.mkfifo(root / "roster.csv")),
    "roster/formula-names-are-written-as-text": Case(
        "roster", PACKETS, 0, ("Wrote 1 packet(s) for 1 employee(s)",), writes="pk",
        setup=roster(HEADER + 'E1,"=HYPERLINK(""http://evil.example"")",assistant-2,@SUM(A1)\n')),
})


# --------------------------------------------------------------------------- the tests


def test_the_catalogue_is_well_over_a_hundred_cases_in_every_family():
    families = {case.family for case in CASES.values()}
    assert families == {"malformed", "resources", "references", "injection", "paths", "roster"}
    assert len(CASES) >= 150, len(CASES)
    assert all(sum(c.family == family for c in CASES.values()) >= 10 for family in families)


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_input(name, tmp_path, monkeypatch):
    case = CASES[name]
    printed = run_case(case, tmp_path / "tree", monkeypatch)
    if name == "injection/newline-in-a-value-cannot-forge-a-line" or name == "injection/newline-in-a-file-name":
        forged_lines(printed)
    if name.startswith("injection/json-stays-json"):
        found = json.loads(printed)
        assert any(d["code"] == "invalid-id" and any(0x7f <= ord(c) <= 0x9f or c in "\u202e\u2028" or c == "\x1b"
                                                            for c in d["message"]) for d in found)
    if name.startswith("injection/diff-json"):
        changes = json.loads(printed)
        assert any(c["after"] == "Lead \x1b[31mRed" for c in changes)  # JSON readers get the value back
    if name == "roster/formula-names-are-written-as-text":
        manifest = (tmp_path / "tree/pk/manifest.csv").read_text(encoding="utf-8-sig")
        assert "\"'=HYPERLINK(" in manifest and "\"'@SUM(A1)\"" in manifest
    if name == "paths/schema-beside-someone's-files-adds-only-its-own":
        assert (tmp_path / "tree/precious/thesis.txt").read_text() == "do not delete\n"
    if CASES[name].exit == 0 and CASES[name].writes and name.startswith("paths/build"):
        target = (tmp_path / "tree" / CASES[name].writes).resolve()
        assert (target / MARKER).read_text().startswith("build") and (target / "index.html").is_file()


# --------------------------------------------------------------------------- the guard's decisions from paths alone


@pytest.mark.parametrize("path, fragment", [
    ("/", "is the root of the file system"),
    ("/usr", "is a system folder"),
    ("/usr/share", "is a system folder"),
    ("/usr/share/doc/x", "is inside the system folder /usr/share"),
    ("/etc", "is a system folder"),
    ("/etc/nginx/sites", "is inside the system folder /etc"),
    ("/var", "is a system folder"),
    ("/var/lib/handbook", "is inside the system folder /var/lib"),
    ("/var/log/x", "is inside the system folder /var/log"),
    ("/home", "is a system folder"),
    ("/tmp", "is a system folder"),
    ("/srv", "is a system folder"),
    ("/opt", "is a system folder"),
    ("/root", "is a system folder"),
    ("/boot/efi", "is inside the system folder /boot"),
    ("/proc/self", "is inside the system folder /proc"),
    ("/sys/kernel", "is inside the system folder /sys"),
    ("/dev/shm/x", "is inside the system folder /dev"),
    ("/bin", "is a system folder"),
    ("/Users", "is a system folder"),
    ("/System/Library/x", "is inside the system folder /System"),
])
def test_output_folder_decisions_for_system_folders(path, fragment, tmp_path):
    """Judged from the path alone: nothing is created or removed, and --force changes nothing."""
    for force in (False, True):
        refused = refusal(Path(path), kind="build", force=force, home=tmp_path / "home", cwd=tmp_path)
        assert refused is not None and fragment in refused.message, (path, refused and refused.message)
        assert not refused.forceable


@pytest.mark.parametrize("path", ["/var/www/handbook-lb-7f3a", "/srv/handbook-lb-7f3a", "/opt/handbook-lb-7f3a/site"])
def test_a_new_folder_inside_a_shared_system_folder_may_be_an_output(path, tmp_path):
    # Names no machine has: an existing folder would be judged as what it holds, not as a new one.
    assert not Path(path).exists()
    assert refusal(Path(path), kind="build", home=tmp_path / "home", cwd=tmp_path) is None


def test_home_and_the_folders_that_hold_it_are_refused(tmp_path):
    home = tmp_path / "users" / "ana"
    home.mkdir(parents=True)
    for path, fragment in ((home, "is your home folder"), (home.parent, "holds your home folder"),
                           (tmp_path, "holds your home folder")):
        refused = refusal(path, kind="build", force=True, home=home, cwd=Path("/"))
        assert refused is not None and fragment in refused.message
    assert refusal(home / "handbook", kind="build", home=home, cwd=Path("/")) is None


def test_a_file_where_the_folder_belongs_is_refused_by_the_guard_itself(tmp_path):
    """The command line's own check catches this first; the guard holds for every other caller."""
    (tmp_path / "report.pdf").write_bytes(b"%PDF")
    refused = refusal(tmp_path / "report.pdf", kind="build", force=True, home=tmp_path / "home", cwd=Path("/"))
    assert refused is not None and "is a file, not a folder" in refused.message
