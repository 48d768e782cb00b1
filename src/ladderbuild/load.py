"""Load: content/ files → raw documents that remember where every value came from.

YAML is composed into nodes (not constructed straight to Python) so that each
value keeps its line and column; diagnostics from every later stage point
back at the source through `SourceDocument.position`. The loader itself
refuses what PyYAML would silently accept: duplicate keys, aliases (which make
"billion laughs" bombs possible), non-text keys, absurd nesting.
"""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import i18n
from .diagnostics import Diagnostic, Severity, did_you_mean, relpath

try:  # the C composer is several times faster; fall back where libyaml is missing
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_DEPTH = 40
MAX_SCALAR_CHARS = 100_000
MAX_FILE_BYTES = 5_000_000
MAX_ITEMS = 10_000  # entries of one list, or keys of one mapping
MAX_FILES = {"competency": 10_000}  # files of one kind; the other kinds (levels, pages …):
MAX_OTHER_FILES = 1_000

DataPath = tuple  # a path into the data: ("levels", 0, "title")


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based


@dataclass
class SourceDocument:
    """One content file as loaded: plain data plus where each piece came from."""

    path: Path
    rel: str  # path as the author sees it, relative to the project
    kind: str
    data: Any
    positions: dict[DataPath, Position] = field(default_factory=dict)
    key_positions: dict[DataPath, Position] = field(default_factory=dict)
    body: str = ""  # Markdown after the front matter, for .md files
    body_line: int = 1  # line of the file where `body` starts

    def position(self, path: DataPath = (), *, key: bool = False) -> Position:
        """Position of the value (or its key) at `path`, else of its nearest ancestor."""
        path = tuple(path)
        if key and path in self.key_positions:
            return self.key_positions[path]
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), Position(1, 1))

    def diagnostic(
        self,
        path: DataPath,
        code: str,
        message: str,
        hint: str = "",
        severity: Severity = Severity.ERROR,
        *,
        key: bool = False,
    ) -> Diagnostic:
        pos = self.position(path, key=key)
        return Diagnostic(self.rel, pos.line, pos.column, severity, code, message, hint)


# Where each kind of document lives inside content/, and the shape of its top level.
# (kind, glob relative to content/, file format, top-level type)
LAYOUT: tuple[tuple[str, str, str, type], ...] = (
    ("framework", "framework.yaml", "yaml", dict),
    ("tracks", "tracks.yaml", "yaml", list),
    ("credentials", "credentials.yaml", "yaml", list),
    ("training", "training.yaml", "yaml", list),
    ("glossary", "glossary.yaml", "yaml", list),
    ("changelog", "changelog.yaml", "yaml", list),
    ("level", "levels/*.md", "markdown", dict),
    ("competency", "competencies/*.yaml", "yaml", dict),
    ("page", "pages/*.md", "markdown", dict),
    ("form", "forms/*.yaml", "yaml", dict),
    ("packet", "packets/*.yaml", "yaml", dict),
    ("specialism", "specialisms/*.yaml", "yaml", dict),
    ("role", "roles/*.yaml", "yaml", dict),
)
REQUIRED_FILES = ("framework.yaml", "tracks.yaml")
TYPE_NAMES = {dict: "a mapping (`key: value` lines)", list: "a list (`- item` lines)"}


@dataclass
class LoadResult:
    documents: list[SourceDocument]
    diagnostics: list[Diagnostic]
    unreadable: list[tuple[str, Path]] = field(default_factory=list)  # (kind, path) of files that failed to load

    def of_kind(self, kind: str) -> list[SourceDocument]:
        return [d for d in self.documents if d.kind == kind]


class _LoadProblem(Exception):
    def __init__(self, line: int, column: int, code: str, message: str, hint: str = ""):
        super().__init__(message)
        self.line, self.column, self.code, self.message, self.hint = line, column, code, message, hint


def load_content(content_dir: Path, project_dir: Path | None = None) -> LoadResult:
    """Load every content file under `content_dir`; never raises for bad content."""
    project_dir = project_dir or content_dir.parent
    documents: list[SourceDocument] = []
    diagnostics: list[Diagnostic] = []
    if not content_dir.is_dir():
        diagnostics.append(
            Diagnostic(
                relpath(content_dir, project_dir), 1, 1, Severity.ERROR, "missing-content",
                f"there is no content folder at {content_dir}",
                "run ladderbuild in a project that has a content/ folder, or pass its path: "
                "`ladderbuild check path/to/project`",
            )
        )
        return LoadResult(documents, diagnostics)
    for name in REQUIRED_FILES:
        if not (content_dir / name).exists():
            diagnostics.append(
                Diagnostic(
                    relpath(content_dir / name, project_dir), 1, 1, Severity.ERROR, "missing-file",
                    f"the framework needs a `{name}` file in content/",
                    "see docs/content-format.md for what it holds",
                )
            )
    known: set[Path] = set()
    unreadable: list[tuple[str, Path]] = []
    for kind, pattern, fmt, top in LAYOUT:
        limit = MAX_FILES.get(kind, MAX_OTHER_FILES)
        matched = sorted(content_dir.glob(pattern))
        known.update(matched)
        paths = [p for p in matched if not _is_scratch(p)]  # editor backups, hidden drafts (.#ma-1.md, ma-1.md~)
        if len(paths) > limit:  # refused before any of them is read: the work stays bounded
            folder = pattern.rpartition("/")[0]
            diagnostics.append(Diagnostic(
                _author_path(paths[limit], project_dir), 1, 1, Severity.ERROR, "too-many-files",
                f"content/{folder}/ holds {len(paths):,} files; the limit is {limit:,}, so this file and the "
                f"{len(paths) - limit - 1:,} after it are not read", "merge or remove files, or split the framework"))
            unreadable.extend((kind, path) for path in paths[limit:])
            paths = paths[:limit]
        for path in paths:
            doc, problems = _load_file(path, kind, fmt, top, content_dir, project_dir)
            diagnostics.extend(problems)
            if doc is not None:
                documents.append(doc)
            else:
                unreadable.append((kind, path))
    everything = sorted(content_dir.rglob("*"))
    diagnostics.extend(_unexpected_files(content_dir, project_dir, known, everything))
    diagnostics.extend(_name_problems(content_dir, project_dir, everything))
    return LoadResult(documents, diagnostics, unreadable)


def _is_scratch(path: Path) -> bool:
    return path.name.startswith((".", "#")) or path.name.endswith("~")


def _unexpected_files(content_dir: Path, project_dir: Path, known: set[Path], everything: list[Path]
                      ) -> list[Diagnostic]:
    """Warn about files the loader does not read, so a misnamed file is not silently ignored."""
    out = []
    expected = [pattern for _, pattern, _, _ in LAYOUT]
    for path in everything:
        rel_parts = path.relative_to(content_dir).parts
        if path in known or path.is_dir() or any(part.startswith(".") for part in rel_parts) or _is_scratch(path):
            continue
        if path.parent.name == "assets" or "assets" in path.relative_to(content_dir).parts:
            continue  # images and attachments referenced from Markdown
        rel = path.relative_to(content_dir).as_posix()
        out.append(
            Diagnostic(
                _author_path(path, project_dir), 1, 1, Severity.WARNING, "ignored-file",
                f"`{rel}` is not a file ladderbuild reads, so it is ignored",
                did_you_mean(rel, expected).replace("known values", "expected places"),
            )
        )
    return out


# Names Windows cannot give a file (macOS refuses `:` too), in any folder and with any extension.
_RESERVED_NAMES = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                             *(f"lpt{i}" for i in range(1, 10))})
_RESERVED_CHARACTERS = re.compile(r'[<>:"|?*\\\x00-\x1f\x7f]')


def _name_problems(content_dir: Path, project_dir: Path, everything: list[Path]) -> list[Diagnostic]:
    """Names that work here but not on the laptops that check the project out: two that differ only
    in case (or in how an accent is encoded) are one file on macOS and Windows, and Windows cannot
    hold a name with `:` or `?`, a trailing dot or space, or a device name such as `con`."""
    import unicodedata

    out = []
    first: dict[str, Path] = {}
    for path in everything:
        relative = path.relative_to(content_dir)
        if any(part.startswith(".") for part in relative.parts) or _is_scratch(path):
            continue  # never read, never published
        rel = relative.as_posix()
        where = _author_path(path, project_dir)
        name = path.name
        bad = sorted(set(_RESERVED_CHARACTERS.findall(name)))
        if bad or name.rstrip(". ") != name or name.split(".")[0].lower() in _RESERVED_NAMES:
            what = (f"holds {', '.join(f'`{c}`' if c.isprintable() else repr(c) for c in bad)}" if bad else
                    "ends with a dot or a space" if name.rstrip(". ") != name else "is a name reserved for a device")
            out.append(Diagnostic(where, 1, 1, Severity.ERROR, "unportable-name",
                                  f"the name `{name}` {what}, which Windows does not allow: the project could not "
                                  "be checked out on a Windows laptop",
                                  "rename it with letters, digits, hyphens and dots only"))
        key = unicodedata.normalize("NFC", rel).casefold()
        if key in first:
            out.append(Diagnostic(where, 1, 1, Severity.ERROR, "case-collision",
                                  f"`{rel}` and `{first[key].relative_to(content_dir).as_posix()}` differ only in "
                                  "capitals or accents: on macOS and Windows they are one and the same file",
                                  "rename or merge one of them"))
        else:
            first[key] = path
    return out


def _load_file(
    path: Path, kind: str, fmt: str, top: type, content_dir: Path, project_dir: Path
) -> tuple[SourceDocument | None, list[Diagnostic]]:
    rel = _author_path(path, project_dir)

    def problem(line: int, col: int, code: str, message: str, hint: str = "") -> Diagnostic:
        return Diagnostic(rel, line, col, Severity.ERROR, code, message, hint)

    target = path.resolve()
    if not _inside(target, content_dir.resolve()):  # a symlinked file or folder pointing away
        return None, [problem(1, 1, "outside-content",
                              f"`{path.name}` is a link to a file outside the content folder ({target})",
                              "copy the file into content/ instead of linking to it")]
    try:
        raw = _read_regular_file(path)
    except _NotAFile as exc:
        return None, [problem(1, 1, "unreadable-file", f"`{path.name}` is {exc.what}, not a file",
                              "a content file is expected here: remove or rename this entry")]
    except OSError as exc:
        return None, [problem(1, 1, "unreadable-file", f"cannot read this file: {exc.strerror or exc}",
                              "check that the file exists and that you have permission to read it")]
    if len(raw) > MAX_FILE_BYTES:
        return None, [problem(1, 1, "file-too-large", f"the file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,}",
                              "split it into smaller files")]
    warnings: list[Diagnostic] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        warnings.append(Diagnostic(rel, 1, 1, Severity.WARNING, "byte-order-mark",
                                   "the file starts with a byte-order mark (BOM), which is ignored",
                                   "save the file as UTF-8 without BOM"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, warnings + [problem(line, col, "not-utf8", "the file is not valid UTF-8 text",
                                         "save it as UTF-8 (most editors offer this under 'Save with encoding')")]
    if not text.strip():
        return None, warnings + [problem(1, 1, "empty-file", "the file is empty",
                                         "fill it in (see docs/content-format.md) or delete it")]
    body, body_line, line_offset = "", 1, 0
    if fmt == "markdown":
        split = _split_front_matter(text)
        if split is None:
            return None, warnings + [problem(1, 1, "missing-front-matter",
                                             "a Markdown file here must start with YAML front matter between `---` lines",
                                             "start the file with `---`, the fields (`id: …`, `title: …`), then `---`")]
        yaml_text, body, body_line = split
        line_offset = 1
        if len(body) > MAX_SCALAR_CHARS:  # Markdown costs more than linear time on some inputs: bound it
            return None, warnings + [problem(body_line, 1, "value-too-long",
                                             f"the Markdown text is {len(body):,} characters long; the limit is "
                                             f"{MAX_SCALAR_CHARS:,}", "split it into several pages")]
        if not yaml_text.strip():
            return None, warnings + [problem(1, 1, "empty-front-matter", "the front matter is empty",
                                             "add at least `id:` and `title:` between the `---` lines")]
    else:
        yaml_text = text
    try:
        data, positions, key_positions = parse_yaml(yaml_text, line_offset)
    except _LoadProblem as p:
        return None, warnings + [problem(p.line, p.column, p.code, p.message, p.hint)]
    if not isinstance(data, top):
        found = TYPE_NAMES.get(type(data), f"a single value ({_describe(data)})")
        return None, warnings + [problem(1 + line_offset, 1, "wrong-type",
                                         f"this file should hold {TYPE_NAMES[top]}, but it holds {found}",
                                         "see docs/content-format.md for an example of this file")]
    doc = SourceDocument(path, rel, kind, data, positions, key_positions, body, body_line)
    return doc, warnings


class _NotAFile(OSError):
    def __init__(self, what: str):
        super().__init__(what)
        self.what = what


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))


def _read_regular_file(path: Path) -> bytes:
    """The bytes of a regular file. Anything else is refused before it is opened: opening a
    named pipe would wait forever for a writer, and a device could be read without end."""
    mode = path.stat().st_mode
    if not stat.S_ISREG(mode):
        raise _NotAFile(next((what for test, what in _KINDS if test(mode)), "not a regular file"))
    return path.read_bytes()


def _author_path(path: Path, project_dir: Path) -> str:
    """The path as written in the project, not where a symlink leads (that is for the message)."""
    try:
        return path.relative_to(project_dir).as_posix()
    except ValueError:
        return relpath(path, project_dir)


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False


def _split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, body's first line) or None when there is no front matter."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return None
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "".join(lines[1:i]), "".join(lines[i + 1 :]), i + 2
    return None


def parse_yaml(text: str, line_offset: int = 0) -> tuple[Any, dict, dict]:
    """Parse YAML text into plain data plus value and key positions (1-based)."""
    last_line = max(1, len(text.splitlines())) + line_offset
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.reader.ReaderError as exc:  # a character YAML refuses (NUL, other control characters)
        line = text.count("\n", 0, exc.position) + 1 + line_offset
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise _LoadProblem(line, col, "yaml-syntax",
                           f"the file contains the control character U+{exc.character:04X}, which YAML does not allow",
                           "delete it (it is invisible in most editors; it often comes from copying out of "
                           "another program)") from None
    except yaml.MarkedYAMLError as exc:
        opened = _unclosed_quote(text, exc)
        if opened is not None:  # reported where the quote opens, not where the parser gave up
            line, col, quote = opened
            raise _LoadProblem(line + 1 + line_offset, col + 1, "yaml-syntax",
                               f"this is not valid YAML: the quote (`{quote}`) opened here is never closed",
                               "close it where the text ends; a quote inside the text is written "
                               + ('`\\"`' if quote == '"' else "`''`") + ", or leave the quotes out") from None
        mark = exc.problem_mark or exc.context_mark
        # At the end of the file the parser points one line past it: report the last real line.
        line = min((mark.line + 1 + line_offset) if mark else 1 + line_offset, last_line)
        col = (mark.column + 1) if mark else 1
        if mark and _full_width_near(text, mark):
            raise _LoadProblem(line, col, "yaml-syntax",
                               "this is not valid YAML: a full-width colon `：` or space is used where YAML needs "
                               "an ASCII one", "type `: ` (colon and space) after each key, and indent with "
                               "ordinary spaces") from None
        if mark and _tab_near(text, mark):
            raise _LoadProblem(line, col, "yaml-tab", "a tab character is used for indentation; YAML only allows spaces",
                               "replace the tab with spaces (two spaces per indentation level)") from None
        raise _LoadProblem(line, col, "yaml-syntax", _yaml_message(exc), _yaml_hint(exc, text, line_offset)) from None
    except yaml.YAMLError as exc:
        raise _LoadProblem(1 + line_offset, 1, "yaml-syntax", f"this is not valid YAML: {exc}") from None
    if node is None:
        raise _LoadProblem(1 + line_offset, 1, "empty-file", "there is nothing in this YAML",
                           "fill it in or delete the file")
    builder = _Builder(line_offset, text)
    data = builder.build(node, (), 0)
    return data, builder.positions, builder.key_positions


def _full_width_near(text: str, mark) -> bool:
    """True when the failing line or the one above uses a full-width colon or space (a Chinese keyboard slip)."""
    lines = text.splitlines()
    near = lines[max(0, mark.line - 1): mark.line + 1]
    return any(re.match(r"^[\s\u3000]*[^:\s#\-][^:]*：", ln) or ln.lstrip(" ").startswith("\u3000") for ln in near)


def _tab_near(text: str, mark) -> bool:
    """True when the line the parser stopped at starts its indentation with a tab."""
    lines = text.splitlines()
    if not 0 <= mark.line < len(lines):
        return False
    line = lines[mark.line]
    return "\t" in line[: len(line) - len(line.lstrip())]


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    text = problem or context or "invalid YAML"
    if context and problem:
        text = f"{problem} ({context})"
    return f"this is not valid YAML: {text}"


def _yaml_hint(exc: yaml.MarkedYAMLError, text: str = "", line_offset: int = 0) -> str:
    problem = exc.problem or ""
    if "mapping values are not allowed" in problem:
        above = _indented_under(text, exc.problem_mark)
        if above is not None:
            return (f"this line is indented further than line {above + line_offset}, so YAML reads it as the "
                    "rest of that line's value: line its key up with the key above (or indent the line above's "
                    "value on a line of its own)")
        return "a value containing `: ` must be quoted, e.g. `summary: \"Note: …\"`"
    if "could not find expected ':'" in problem or "simple key" in problem:
        return "each line inside a mapping needs `key: value`; check the indentation and any unclosed quotes"
    if "found undefined alias" in problem or "found unknown escape" in problem:
        return "quote the text, e.g. `\"*important*\"`"
    if "expected <block end>" in problem:
        return "check the indentation: items of the same list or mapping must line up"
    return "check the indentation and quoting on this line and the one above"


def _indented_under(text: str, mark) -> int | None:
    """The 1-based line above the error when the error's line is a `key: value` line indented further
    than it and that line already has a value: a slip of indentation, not a value that needs quotes."""
    if mark is None:
        return None
    lines = text.splitlines()
    if not 0 <= mark.line < len(lines):
        return None
    line = lines[mark.line]
    indent = len(line) - len(line.lstrip(" "))
    for index in range(mark.line - 1, -1, -1):
        above = lines[index]
        if not above.strip() or above.lstrip().startswith("#"):
            continue
        above_indent = len(above) - len(above.lstrip(" "))
        key, sep, value = above.strip().removeprefix("- ").partition(": ")
        if indent > above_indent and sep and value.strip() and value.strip()[0] not in "|>" \
                and ": " not in line[:indent] and re.match(r"\s*[\w\-]+:( |$)", line):
            return index + 1
        return None
    return None


# A value that starts with a quote: after `key: `, list dashes, or at the start of the line.
_QUOTED_START = re.compile(r"""^(\s*(?:-\s+)*(?:[^\s#'"\-][^#]*?:\s+)?)(["'])""")


def _unclosed_quote(text: str, exc: yaml.MarkedYAMLError) -> tuple[int, int, str] | None:
    """(0-based line, column, the quote) of a quoted value that runs on to where the parser failed.

    A quote left open swallows the lines after it until the next quote of its kind (or the end of the
    file), and the parser fails there, often many lines below the mistake."""
    if exc.context and "quoted scalar" in exc.context and exc.context_mark is not None:
        mark = exc.context_mark
        quote = text[mark.index] if mark.index < len(text) else '"'
        return mark.line, mark.column, quote
    failed = (exc.problem_mark or exc.context_mark)
    if failed is None:
        return None
    lines = text.split("\n")
    for number in range(min(failed.line, len(lines)) - 1, -1, -1):
        start = _QUOTED_START.match(lines[number])
        if start is None:
            continue
        offset = sum(len(line) + 1 for line in lines[:number]) + start.end()
        end = _quoted_end(text, offset, start.group(2))
        if end is None or text.count("\n", 0, end) >= failed.line:
            return number, start.end() - 1, start.group(2)
        return None  # the nearest quoted value above closes before the failure: something else is wrong
    return None


def _quoted_end(text: str, start: int, quote: str) -> int | None:
    """Index of the quote that closes a YAML quoted scalar whose text begins at `start`, or None."""
    i = start
    while i < len(text):
        char = text[i]
        if quote == '"' and char == "\\":
            i += 2
            continue
        if char == quote:
            if quote == "'" and text[i + 1:i + 2] == "'":
                i += 2
                continue
            return i
        i += 1
    return None


_PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp",
                                                           "seq", "map", "merge"))


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if value is None:
        return "nothing"
    return type(value).__name__


def refold_unspaced(raw: str, style: str | None, value: str) -> str:
    """A folded (`>`) or plain multi-line scalar with its line breaks joined the Chinese way.

    YAML folds each line break into a space, which in Chinese or Japanese is a stray gap in the
    middle of a sentence. The lines are folded again here, joined with nothing between two such
    characters (i18n.line_joiner) — but only when folding them with spaces reproduces YAML's own
    value exactly, so any scalar this simple folding does not understand (more-indented lines,
    escapes) keeps YAML's value.
    """
    if "\n" not in raw.rstrip("\n"):
        return value
    lines = raw.split("\n")[1:] if style == ">" else raw.split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    body = [line for line in lines if line.strip()]
    if not body or not lines[0].strip():
        return value
    if style == ">" and len({len(line) - len(line.lstrip(" ")) for line in body}) > 1:
        return value  # more-indented lines keep their breaks in YAML: not simple folding

    def fold(join) -> str:
        out, previous, breaks = "", "", 0
        for line in (line.strip() for line in lines):
            if not line:
                breaks += 1
                continue
            if previous:
                out += "\n" * breaks if breaks else join(previous, line)
            out += line
            previous, breaks = line, 0
        return out

    core = value.rstrip("\n")
    if fold(lambda _a, _b: " ") != core:
        return value
    return fold(i18n.line_joiner) + value[len(core):]


class _Builder:
    """Turns a composed node tree into plain data, recording positions on the way."""

    def __init__(self, line_offset: int, source: str = ""):
        self.line_offset = line_offset
        self.source = source  # the YAML text, to re-fold multi-line Chinese text (see refold_unspaced)
        self.positions: dict[DataPath, Position] = {}
        self.key_positions: dict[DataPath, Position] = {}
        self._seen: set[int] = set()
        self._constructor = yaml.constructor.SafeConstructor()

    def _pos(self, node: yaml.Node) -> Position:
        return Position(node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1)

    def _fail(self, node: yaml.Node, code: str, message: str, hint: str = "") -> None:
        pos = self._pos(node)
        raise _LoadProblem(pos.line, pos.column, code, message, hint)

    def build(self, node: yaml.Node, path: DataPath, depth: int) -> Any:
        if depth > MAX_DEPTH:
            self._fail(node, "too-deep", f"the data is nested more than {MAX_DEPTH} levels deep",
                       "flatten the structure; no content file needs this much nesting")
        if node.tag not in _PLAIN_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self._fail(node, "yaml-tag", f"the YAML tag `{tag[:60]}` is not supported",
                       "remove the tag and write a plain value (put text in quotes if it must stay text)")
        # Composed aliases are the very same node object: seeing one twice means `*alias`.
        if id(node) in self._seen:
            self._fail(node, "yaml-alias", "YAML anchors and aliases (`&name` / `*name`) are not supported",
                       "write the values out in full; aliases make files hard to review and can be abused")
        self._seen.add(id(node))
        self.positions[path] = self._pos(node)
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and len(node.value) > MAX_ITEMS:
            extra = node.value[MAX_ITEMS]
            self._fail(extra[0] if isinstance(extra, tuple) else extra, "too-many-items",
                       f"this {'mapping' if isinstance(node, yaml.MappingNode) else 'list'} has {len(node.value):,} "
                       f"entries; the limit is {MAX_ITEMS:,} (this is entry {MAX_ITEMS + 1:,})",
                       "split it: no framework needs this many in one place")
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        if len(node.value) > MAX_SCALAR_CHARS:
            self._fail(node, "value-too-long", f"this value is {len(node.value):,} characters long; "
                       f"the limit is {MAX_SCALAR_CHARS:,}", "move long text into a Markdown page")
        return self._scalar(node)

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        try:
            value = self._constructor.construct_object(node, deep=True)
            if isinstance(value, str) and node.style in (">", "", None) and self.source:
                value = refold_unspaced(self.source[node.start_mark.index:node.end_mark.index], node.style, value)
            return value
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
            # e.g. `2026-13-45` looks like a date to YAML but is none; `!!binary` with bad data
            reason = getattr(exc, "problem", None) or str(exc)
            self._fail(node, "invalid-value", f"the value `{node.value[:60]}` cannot be read: {reason}",
                       "correct it, or put it in quotes to make it plain text")

    def _mapping(self, node: yaml.MappingNode, path: DataPath, depth: int) -> dict:
        out: dict = {}
        first_seen: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._fail(key_node, "yaml-alias", "YAML merge keys (`<<:`) are not supported",
                           "write the keys out in full")
            if not isinstance(key_node, yaml.ScalarNode):
                self._fail(key_node, "invalid-key", "a key must be plain text, not a list or mapping")
            key = self._scalar(key_node)
            if isinstance(key, bool) or key is None:
                # `yes:`/`no:`/`on:` become booleans in YAML 1.1; authors meant the word.
                key = key_node.value
            if not isinstance(key, str):
                key = str(key)
            if key in first_seen:
                first = self._pos(first_seen[key])
                self._fail(key_node, "duplicate-key",
                           f"the key `{key}` appears twice in this mapping (first on line {first.line})",
                           "remove one of them; YAML would otherwise silently keep only the last")
            first_seen[key] = key_node
            self.key_positions[path + (key,)] = self._pos(key_node)
            out[key] = self.build(value_node, path + (key,), depth + 1)
        return out
