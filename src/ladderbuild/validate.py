"""Validate: raw documents → typed source models plus every diagnostic at once.

Two passes. The schema pass validates each document against its pydantic model
and turns each error into a diagnostic at the offending value's position. The
reference pass checks what no single file can: ids are unique, references
resolve, weights total 100, stages exist, the promotion graph has no cycles.
Reference checks use the ids found in the raw data, so one broken file does not
cascade into "unknown reference" errors everywhere it is mentioned.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, Iterable
from urllib.parse import unquote, urlsplit

from pydantic import BaseModel, ValidationError

from . import i18n, markdown
from .diagnostics import Diagnostic, Severity, did_you_mean
from .load import DataPath, LoadResult, SourceDocument
from .model import (
    DOCUMENT_MODELS, LIST_KINDS, SECTION_KINDS, Competency, FormFile, FrameworkFile, LevelFile, PacketFile, PageFile,
    PathKind, Requirements, markdown_fields,
)

WARNING = Severity.WARNING
MAX_INHERITANCE_DEPTH = 100  # levels a level may inherit through (see docs/security.md, Bounded work)
MAX_SUGGESTIONS = 200  # unknown references and broken links that get a "did you mean"
MAX_NAME_CHARS = 200  # a title, name, label or term: it is drawn in boxes, headings and table cells
MAX_WORD_CHARS = 1_000  # a run of text with no place to break a line (spaces; CJK breaks anywhere)
_FIELD_WORDS = {"short_title": "short title", "aliases": "alias"}
NAME_FIELDS = frozenset({"title", "short_title", "name", "label", "term", "aliases", "abbreviation", "organisation",
                         "grade"})
_FRAMEWORK_SECTIONS = ("stages", "scales", "domains", "values", "validation_methods", "discipline_levels", "units",
                       "points_categories")
_FILE_KINDS = ("level", "competency", "form", "packet", "page", "specialism", "role")  # one entry per file, named by id
_DEFINED_BY = ("tracks", "credentials", "training", "framework")  # file kinds that define reference kinds


@dataclass(frozen=True)
class Entry:
    """One validated model and where it came from."""

    doc: SourceDocument
    path: DataPath  # where the entry sits in its document: () or (index,)
    model: Any

    def at(self, *sub) -> DataPath:
        return self.path + tuple(sub)


@dataclass
class ValidatedContent:
    entries: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def of(self, kind: str) -> list[Entry]:
        return self.entries.get(kind, [])

    @property
    def framework(self) -> Entry | None:
        found = self.of("framework")
        return found[0] if found else None


def validate(loaded: LoadResult) -> ValidatedContent:
    result = ValidatedContent(diagnostics=list(loaded.diagnostics))
    for doc in loaded.documents:
        model = DOCUMENT_MODELS[doc.kind]
        items = [((i,), item) for i, item in enumerate(doc.data)] if doc.kind in LIST_KINDS else [((), doc.data)]
        for path, data in items:
            instance, problems = validate_schema(doc, model, data, path)
            result.diagnostics.extend(problems)
            if instance is not None:
                result.entries[doc.kind].append(Entry(doc, path, instance))
    result.diagnostics.extend(_ReferenceChecker(loaded, result).run())
    return result


# --------------------------------------------------------------------------- schema pass

_TYPE_WORDS = {
    "string_type": "text", "int_type": "a whole number", "int_parsing": "a whole number",
    "int_from_float": "a whole number", "float_type": "a number", "float_parsing": "a number",
    "bool_type": "`true` or `false`", "bool_parsing": "`true` or `false`", "list_type": "a list",
    "dict_type": "a mapping (`key: value` lines)", "model_type": "a mapping (`key: value` lines)",
    "model_attributes_type": "a mapping (`key: value` lines)", "date_type": "a date (YYYY-MM-DD)",
    "date_parsing": "a date (YYYY-MM-DD)", "date_from_datetime_parsing": "a date (YYYY-MM-DD)",
    "date_from_datetime_inexact": "a date (YYYY-MM-DD)",
}


_RANGES = {"greater_than": "greater than", "greater_than_equal": "at least", "less_than": "less than",
           "less_than_equal": "at most"}


def validate_schema(doc: SourceDocument, model: type[BaseModel], data: Any, base: DataPath = ()):
    """Validate `data` against `model`; (instance or None, diagnostics)."""
    if not isinstance(data, dict):
        return None, [doc.diagnostic(base, "wrong-type", f"each entry here should be a mapping (`key: value` lines), "
                                     f"not {_describe(data)}", "see docs/content-format.md for an example")]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, _schema_diagnostics(doc, model, data, base, exc.errors())


def _schema_diagnostics(doc, model, data, base, errors) -> list[Diagnostic]:
    grouped: dict[DataPath, list[dict]] = defaultdict(list)
    for error in errors:
        grouped[_data_path(data, error["loc"])].append(error)
    out = []
    for path, group in grouped.items():
        if group[0]["loc"] and group[0]["loc"][-1] == "[key]":
            out.append(_key_diagnostic(doc, base + path, group[0]))
        else:
            out.append(_error_to_diagnostic(doc, model, data, base, path, group))
    return out


def _key_diagnostic(doc, path: DataPath, error: dict) -> Diagnostic:
    """A key of an id-keyed mapping (`competencies:`, `anchors:`) that is not a valid id."""
    key = path[-1]
    parent = next((str(p) for p in reversed(path[:-1]) if isinstance(p, str)), "mapping")
    return doc.diagnostic(path, "invalid-id", f"the key `{key}` under `{parent}` is not a valid id",
                          "keys here are ids: lowercase letters, digits and hyphens, e.g. `vital-signs`", key=True)


def _data_path(data: Any, loc: tuple) -> DataPath:
    """Keep the parts of a pydantic error location that exist in the data (drop union branch tags)."""
    path: list = []
    node = data
    for i, seg in enumerate(loc):
        if isinstance(node, dict) and isinstance(seg, str) and seg in node:
            path.append(seg)
            node = node[seg]
        elif isinstance(node, list) and isinstance(seg, int) and 0 <= seg < len(node):
            path.append(seg)
            node = node[seg]
        elif isinstance(node, dict) and isinstance(seg, str) and i == len(loc) - 1:
            path.append(seg)  # a key that is missing or unknown: keep it for the message
        elif seg == "[key]":
            break
    return tuple(path)


def _error_to_diagnostic(doc, model, data, base, path, group) -> Diagnostic:
    error = group[0]
    kind = error["type"]
    field_name = next((str(p) for p in reversed(path) if isinstance(p, str)), "entry")
    value = _value_at(data, path)
    full = base + path
    if kind == "missing":
        return doc.diagnostic(full[:-1], "missing-field", f"`{field_name}` is required here but missing",
                              f"add a line `{field_name}: …` (see docs/content-format.md)")
    if kind == "extra_forbidden":
        allowed = _fields_at(model, error["loc"][:-1])
        return doc.diagnostic(full, "unknown-key", f"`{field_name}` is not a key ladderbuild knows here",
                              did_you_mean(field_name, allowed), key=True)
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        tags = error.get("ctx", {}).get("expected_tags", "")
        tag_list = [t.strip().strip("'") for t in str(tags).split(",") if t.strip()] or list(SECTION_KINDS)
        got = value.get("kind") if isinstance(value, dict) else None
        if kind == "union_tag_not_found":
            return doc.diagnostic(full, "missing-field", "this section needs a `kind`",
                                  f"add `kind:` with one of: {', '.join(tag_list)}")
        return doc.diagnostic(full + ("kind",), "invalid-value", f"`{got}` is not a kind of form section",
                              did_you_mean(str(got), tag_list))
    if kind in ("enum", "literal_error") and len(group) > 1 and any(e["type"] == "list_type" for e in group):
        choices = _choices(group)
        return doc.diagnostic(full, "invalid-value", f"`{field_name}` should be `{choices[0]}` or a list of ids, "
                              f"not {_describe(value)}", f"write `{field_name}: {choices[0]}` or "
                              f"`{field_name}: [first-id, second-id]`")
    if kind in ("enum", "literal_error"):
        choices = _choices(group)
        shown = ", ".join(f"`{c}`" for c in choices)
        return doc.diagnostic(full, "invalid-value", f"`{value}` is not allowed for `{field_name}`; use one of {shown}",
                              did_you_mean(str(value), choices))
    if kind == "string_pattern_mismatch":
        return doc.diagnostic(full, "invalid-id", f"`{value}` is not a valid id for `{field_name}`",
                              "ids use lowercase letters, digits and hyphens, e.g. `vital-signs`", key=_is_key(data, path))
    if kind in ("too_short", "string_too_short"):
        least = error.get("ctx", {}).get("min_length", 1)
        if kind == "too_short" and least > 1:
            return doc.diagnostic(full, "empty-value", f"`{field_name}` needs at least {least} entries",
                                  f"add entries until there are {least} or more")
        return doc.diagnostic(full, "empty-value", f"`{field_name}` must not be empty",
                              "fill it in, or remove the key if it is optional")
    if kind in _RANGES:
        bound = next(iter(error.get("ctx", {}).values()), "")
        return doc.diagnostic(full, "invalid-value", f"`{field_name}` is {value}, but it must be {_RANGES[kind]} {bound}",
                              "correct the number")
    if kind in _TYPE_WORDS or (len(group) > 1 and all(e["type"] in _TYPE_WORDS or e["type"] == "literal_error" for e in group)):
        wanted = " or ".join(dict.fromkeys(
            _TYPE_WORDS.get(e["type"], "`" + "`, `".join(_choices([e])) + "`") for e in group))
        hint = "put the value in quotes to make it text, e.g. `version: \"2026.1\"`" if (
            isinstance(value, (int, float, bool, dt.date)) and "text" in wanted) else "see docs/content-format.md for the expected form"
        return doc.diagnostic(full, "wrong-type", f"`{field_name}` should be {wanted}, not {_describe(value)}", hint)
    if kind == "value_error":  # a rule of the model across its keys (e.g. months or years)
        message = "; ".join(dict.fromkeys(e["msg"].removeprefix("Value error, ") for e in group))
        return doc.diagnostic(full, "invalid-value", f"`{field_name}`: {message}", "see docs/content-format.md")
    message = "; ".join(dict.fromkeys(e["msg"] for e in group))
    return doc.diagnostic(full, "invalid-value", f"`{field_name}`: {message}", "see docs/content-format.md")


def _is_key(data, path) -> bool:
    parent = _value_at(data, path[:-1])
    return isinstance(parent, dict) and path and path[-1] in parent and _value_at(data, path) == path[-1]


def _choices(group) -> list[str]:
    out: list[str] = []
    for error in group:
        expected = str(error.get("ctx", {}).get("expected", ""))
        for part in expected.replace(" or ", ",").split(","):
            part = part.strip().strip("'")
            if part:
                out.append(part)
    return out


def _value_at(data: Any, path: DataPath) -> Any:
    node = data
    for seg in path:
        try:
            node = node[seg]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, (int, float)):
        return f"the number `{value}`"
    if isinstance(value, str):
        return f"the text `{value[:40]}`"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "an empty value"
    return f"`{value}`"


def _fields_at(model: type, loc: tuple) -> list[str]:
    """The keys allowed at a pydantic error location (for 'did you mean')."""
    current: Any = model
    for seg in loc:
        current = _step(current, seg)
        if current is None:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(tp: Any) -> Any:
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    return tp


def _step(tp: Any, seg: Any) -> Any:
    tp = _unwrap(tp)
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        members = [_unwrap(a) for a in typing.get_args(tp)]
        for member in members:  # a discriminated union names the member by its tag
            if isinstance(member, type) and issubclass(member, BaseModel) and "kind" in member.model_fields:
                if typing.get_args(member.model_fields["kind"].annotation) == (seg,):
                    return member
        models = [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)]
        if len(models) == 1:
            return _step(models[0], seg)
        return tp
    if origin is list and isinstance(seg, int):
        return typing.get_args(tp)[0]
    if origin is dict:
        return typing.get_args(tp)[1]
    if isinstance(tp, type) and issubclass(tp, BaseModel) and seg in tp.model_fields:
        return tp.model_fields[seg].annotation
    return tp


# --------------------------------------------------------------------------- reference pass


class _ReferenceChecker:
    """Cross-document checks over the validated entries."""

    def __init__(self, loaded: LoadResult, content: ValidatedContent):
        self.loaded = loaded
        self.content = content
        self.out: list[Diagnostic] = []
        self.ids = self._raw_ids()
        fw = content.framework
        self.fw: FrameworkFile | None = fw.model if fw else None
        self.fw_entry = fw
        self.unknowable = self._unknowable_kinds()
        self._files: list[str] | None = None
        self._suggestions = 0
        self._expected_cache: dict[str, set[str] | None] = {}  # level id → competencies after inheritance

    def run(self) -> list[Diagnostic]:
        self._duplicates()
        self._framework()
        self._competencies()
        levels = self._levels()
        self._specialisms_and_roles(levels)
        self._forms_and_packets()
        self._graph(levels)
        self._usage(levels)
        self._links()
        self._output_names()
        self._text_limits()
        return self.out

    def _error(self, doc, path, code, message, hint="", *, key=False, severity=Severity.ERROR):
        self.out.append(doc.diagnostic(path, code, message, hint, severity, key=key))

    # ids ------------------------------------------------------------------

    def _raw_ids(self) -> dict[str, set[str]]:
        """Ids as written, from every document that has one, valid or not."""
        ids: dict[str, set[str]] = defaultdict(set)
        for doc in self.loaded.documents:
            entries = doc.data if doc.kind in LIST_KINDS else [doc.data]
            for entry in entries:
                if isinstance(entry, dict):
                    ident = entry.get("id")
                    if doc.kind == "page" and ident is None:
                        ident = doc.path.stem
                    if doc.kind == "glossary" and ident is None and isinstance(entry.get("term"), str):
                        ident = markdown.slugify(entry["term"])
                    if isinstance(ident, str):
                        ids[doc.kind].add(ident)
            if doc.kind == "framework":
                for section in _FRAMEWORK_SECTIONS:
                    items = doc.data.get(section)
                    for item in items if isinstance(items, list) else []:
                        if isinstance(item, dict) and isinstance(item.get("id"), str):
                            ids[section].add(item["id"])
        for kind, path in self.loaded.unreadable:
            if kind in _FILE_KINDS:
                ids[kind].add(path.stem)  # file name = id: avoid "does not exist" wherever it is used
        if self._framework_raw() and "validation_methods" not in self._framework_raw():
            from .model import DEFAULT_VALIDATION_METHODS

            ids["validation_methods"].update(m.id for m in DEFAULT_VALIDATION_METHODS)
        return ids

    def _unknowable_kinds(self) -> set[str]:
        """Kinds of reference that cannot be checked because the file defining them did not load
        (or holds the wrong type): saying "does not exist" for each use would only bury the real error."""
        out = {kind for kind, _ in self.loaded.unreadable if kind in _DEFINED_BY}
        out.update(kind for kind in ("tracks", "framework") if not self.loaded.of_kind(kind))  # missing-file
        out.update(kind for kind in ("tracks", "credentials", "training") if any(
            not _usable_id(entry) for doc in self.loaded.of_kind(kind) for entry in doc.data))
        if "framework" in out:
            out.update(_FRAMEWORK_SECTIONS)
        raw = self._framework_raw() or {}
        out.update(section for section in _FRAMEWORK_SECTIONS
                   if raw.get(section) is not None and not isinstance(raw.get(section), list))
        return out

    def _framework_raw(self) -> dict | None:
        docs = self.loaded.of_kind("framework")
        return docs[0].data if docs else None

    def _ref(self, doc, path, ref, kind: str, what: str, *, key=False) -> bool:
        """Report `ref` if it names no known `kind`; True when it resolves (or cannot be checked)."""
        if ref in self.ids.get(kind, ()) or kind in self.unknowable:
            return True
        self._error(doc, path, "unknown-reference", f"{what} `{ref}` does not exist",
                    self._suggest(ref, self.ids.get(kind, ())), key=key)
        return False

    def _duplicates(self) -> None:
        for kind, entries in self.content.entries.items():
            if kind == "framework":
                continue
            seen: dict[str, Entry] = {}
            for entry in entries:
                ident = _entry_id(entry)
                if ident is None:
                    continue
                if isinstance(entry.model, PageFile) and entry.model.id is None and not _ID.fullmatch(ident):
                    self._file_name_id(entry)
                    continue
                if ident in seen:
                    # The copy is the one whose file is not named after the id (a file copied and not
                    # yet renamed); report there and leave the untouched original alone.
                    original, copy = seen[ident], entry
                    if kind in _FILE_KINDS and original.doc.path.stem != ident and copy.doc.path.stem == ident:
                        original, copy = copy, original
                    pos = original.doc.position(original.at("id"))
                    hint = (f"give this copy its own id, e.g. `{copy.doc.path.stem}` as its file is named"
                            if kind in _FILE_KINDS and copy.doc.path.stem != ident else "give each one its own id")
                    self._error(copy.doc, copy.at("id"), "duplicate-id",
                                f"the {kind} id `{ident}` is already used in {original.doc.rel}:{pos.line}", hint)
                    seen[ident] = original
                else:
                    seen[ident] = entry
                if kind in _FILE_KINDS and entry.doc.path.stem != ident:
                    taken = entry.doc.path.with_name(ident + entry.doc.path.suffix).exists()
                    self._error(entry.doc, entry.at("id"), "id-file-mismatch",
                                f"the id `{ident}` differs from the file name `{entry.doc.path.name}`",
                                f"change the id to `{entry.doc.path.stem}`: a file `{ident}{entry.doc.path.suffix}` "
                                "already exists" if taken else
                                f"rename the file to `{ident}{entry.doc.path.suffix}` so the two agree",
                                severity=WARNING)

    def _file_name_id(self, entry: Entry) -> None:
        """A page without `id:` takes its id from its file name, which must then be a valid id: it
        becomes a URL, and a name with spaces, accents or capitals breaks on other systems."""
        name = entry.doc.path.name
        suggestion = portable_id(entry.doc.path.stem)
        rename = f"rename the file to `{suggestion}{entry.doc.path.suffix}`" if suggestion else "rename the file"
        self._error(entry.doc, (), "invalid-id",
                    f"the file name `{name}` gives this page the id `{entry.doc.path.stem}`, which is not a valid id",
                    f"{rename} (lowercase letters, digits and hyphens), or give the page an `id:`")

    def _text_limits(self) -> None:
        """Names longer than MAX_NAME_CHARS and words longer than MAX_WORD_CHARS: laying out a word
        with no break in it costs PDF engines time that grows faster than its length (a 4,000-character
        word takes WeasyPrint seconds to break), and a name of thousands of characters fits no box."""
        for entries in self.content.entries.values():
            for entry in entries:
                for path, name, text in _text_fields(entry.model, entry.path):
                    if name in NAME_FIELDS and len(text) > MAX_NAME_CHARS:
                        self._error(entry.doc, path, "name-too-long",
                                    f"this {_FIELD_WORDS.get(name, name)} is {len(text):,} characters long; the limit is "
                                    f"{MAX_NAME_CHARS}", "shorten it, and put the rest in a description")
                    elif (word := _long_word(text)) is not None:
                        self._word_error(entry.doc, entry.doc.position(path).line, word, f" (in `{name}`)")
        for doc in self.loaded.documents:
            if doc.body and (word := _long_word(doc.body)) is not None:
                self._word_error(doc, doc.body_line + doc.body.count("\n", 0, word.start()), word)

    def _word_error(self, doc, line: int, word: re.Match, field: str = "") -> None:
        self.out.append(Diagnostic(doc.rel, line, 1, Severity.ERROR, "word-too-long",
                                   f"a word of {len(word.group()):,} characters (`{word.group()[:30]}…`){field}; "
                                   f"the limit is {MAX_WORD_CHARS:,}", "break it with spaces"))

    def _output_names(self) -> None:
        """Forms and packets are written as `<form>--<level>.pdf`: `a--b` for level `c` and `a` for level
        `b--c` would be the same file. Ids may hold `--`, so say so when two such pairs meet."""
        levels = {e.model.id for e in self.content.of("level")}
        ordered = sorted(levels)
        for kind in ("form", "packet"):
            entries = {e.model.id: e for e in self.content.of(kind)}
            for longer, entry in entries.items():
                for shorter in entries:
                    if not longer.startswith(shorter + "--"):
                        continue
                    middle = longer[len(shorter) + 2:]
                    clash = next((lvl for lvl in ordered if lvl.startswith(middle + "--")
                                  and lvl[len(middle) + 2:] in levels), None)
                    if clash:
                        self._error(entry.doc, ("id",), "output-collision",
                                    f"the {kind} `{longer}` for level `{clash[len(middle) + 2:]}` and the {kind} "
                                    f"`{shorter}` for level `{clash}` would both be written as "
                                    f"`{longer}--{clash[len(middle) + 2:]}.pdf`",
                                    f"rename the {kind} so that its id does not start with `{shorter}--`")
                        break

    # framework --------------------------------------------------------------

    def _framework(self) -> None:
        if not self.fw:
            return
        doc, fw = self.fw_entry.doc, self.fw
        self._locale(doc, fw.locale)
        for section in _FRAMEWORK_SECTIONS:
            self._unique_within(doc, (section,), [item.id for item in getattr(fw, section)], section[:-1])
        for i, category in enumerate(fw.points_categories):
            self._points_category(doc, ("points_categories", i), category)
        self._synonyms(doc, fw.synonyms)
        for i, scale in enumerate(fw.scales):
            self._unique_within(doc, ("scales", i, "points"), [p.value for p in scale.points], "rating value",
                                attr="value")
            self._comment_rule(doc, i, scale)
            values = sorted(p.value for p in scale.points)
            if scale.expected is not None and scale.expected not in values:
                self._error(doc, ("scales", i, "expected"), "invalid-value",
                            f"the scale `{scale.id}` has no rating {scale.expected} "
                            f"(its ratings: {', '.join(map(str, values))})",
                            "name the rating that means \"works at the level's expected stage\"")
        if fw.evaluation:
            ev = fw.evaluation
            if ev.scale:
                self._ref(doc, ("evaluation", "scale"), ev.scale, "scales", "the rating scale")
            self._weighted_sections(doc, ("evaluation",), ev.sections)
            for i, group in enumerate(ev.by_track):
                for j, track in enumerate(group.tracks):
                    self._ref(doc, ("evaluation", "by_track", i, "tracks", j), track, "tracks", "the track")
                self._weighted_sections(doc, ("evaluation", "by_track", i), group.sections)
            self._bands(doc, ev)
        if fw.merit:
            self._merit(doc, fw)
        if fw.interviews.scale:
            self._ref(doc, ("interviews", "scale"), fw.interviews.scale, "scales", "the rating scale")

    def _weighted_sections(self, doc, at, sections) -> None:
        """Weights total 100, domains exist, and no domain silently drops out of the score."""
        total = sum(s.weight for s in sections)
        if abs(total - 100) > 1e-6:
            listed = " + ".join(f"{s.weight:g}" for s in sections)
            self._error(doc, at + ("sections",), "weights-total",
                        f"the evaluation weights total {total:g} ({listed}), not 100",
                        "adjust the `weight` of the sections so that they add up to exactly 100")
        for i, section in enumerate(sections):
            for j, dom in enumerate(section.domains):
                self._ref(doc, at + ("sections", i, "domains", j), dom, "domains", "the domain")
        self._unique_within(doc, at + ("sections",), [s.id for s in sections], "evaluation section")
        rated = [s for s in sections if s.source.value == "competencies"]
        if rated and all(s.domains for s in rated):
            covered = {d for s in rated for d in s.domains}
            for domain in self.fw.domains:
                if domain.id not in covered:
                    self._error(doc, at + ("sections",), "unweighted-domain",
                                f"the domain `{domain.id}` is in no weighted section, so its competencies "
                                "count for nothing in the score",
                                f"add `{domain.id}` to the `domains` of a section with `source: competencies`, "
                                "or leave that section's `domains` empty to take every domain",
                                severity=WARNING)

    def _synonyms(self, doc, groups: list[list[str]]) -> None:
        """A spelling in two groups makes search treat both groups as one: most likely a slip."""
        seen: dict[str, int] = {}
        for i, group in enumerate(groups):
            for j, spelling in enumerate(group):
                key = " ".join(spelling.casefold().split())
                if key in seen and seen[key] != i:
                    line = doc.position(("synonyms", seen[key])).line
                    self._error(doc, ("synonyms", i, j), "duplicate-synonym",
                                f"`{spelling}` is also in the synonym group on line {line}; search treats the two "
                                "groups as one", "list each spelling in one group: merge the two groups",
                                severity=WARNING)
                seen.setdefault(key, i)
    def _evaluation_values(self) -> list[int]:
        """The values of the scale the overall score is computed on."""
        ev = self.fw.evaluation
        scale = next((s for s in self.fw.scales if ev and s.id == ev.scale), self.fw.scales[0])
        return sorted(p.value for p in scale.points)

    def _bands(self, doc, ev) -> None:
        """Rating bands must cover every score the scale allows, each once."""
        if not ev.bands:
            return
        self._unique_within(doc, ("evaluation", "bands"), [b.id for b in ev.bands], "rating band")
        self._unique_within(doc, ("evaluation", "bands"), [b.min for b in ev.bands], "band minimum", attr="min")
        values = self._evaluation_values()
        for i, band in enumerate(ev.bands):
            if not values[0] <= band.min <= values[-1]:
                self._error(doc, ("evaluation", "bands", i, "min"), "invalid-value",
                            f"the band `{band.id}` starts at {band.min:g}, outside the scale ({values[0]}–{values[-1]})",
                            "use a score on the evaluation's rating scale")
        lowest = min(ev.bands, key=lambda b: b.min)
        if lowest.min > values[0]:
            self._error(doc, ("evaluation", "bands", ev.bands.index(lowest), "min"), "invalid-value",
                        f"no band holds scores below {lowest.min:g}, but scores go down to {values[0]}",
                        f"let the lowest band start at `min: {values[0]}`")

    def _merit(self, doc, fw: FrameworkFile) -> None:
        """The merit matrix has a row per rating band and a number per pay-range position."""
        merit = fw.merit
        bands = [b.id for b in fw.evaluation.bands] if fw.evaluation else []
        if not bands:
            self._error(doc, ("merit",), "invalid-value",
                        "a merit matrix needs rating bands: its rows are the bands of the overall score",
                        "define `evaluation.bands` (e.g. exceeds, meets, partially-meets, does-not-meet)", key=True)
            return
        self._unique_within(doc, ("merit", "positions"), [p.id for p in merit.positions], "pay-range position")
        last = None
        for i, position in enumerate(merit.positions):
            final = i == len(merit.positions) - 1
            if position.below is None and not final:
                self._error(doc, ("merit", "positions", i), "missing-field",
                            f"the position `{position.id}` needs `below`: only the last (highest) position "
                            "is open-ended", "give the upper bound in percent of the pay range, e.g. `below: 50`")
            elif position.below is not None and final:
                self._error(doc, ("merit", "positions", i, "below"), "invalid-value",
                            f"the last position `{position.id}` has `below: {position.below:g}`, so positions "
                            "above it have no column", "leave `below` out of the highest position")
            elif position.below is not None and last is not None and position.below <= last:
                self._error(doc, ("merit", "positions", i, "below"), "invalid-value",
                            f"`below: {position.below:g}` is not above the previous position's {last:g}",
                            "list the positions lowest first, each `below` higher than the one before")
            if position.below is not None:
                last = position.below
        for band, row in merit.increases.items():
            if band not in bands:
                self._error(doc, ("merit", "increases", band), "unknown-reference",
                            f"the rating band `{band}` does not exist", did_you_mean(band, bands), key=True)
            elif len(row) != len(merit.positions):
                self._error(doc, ("merit", "increases", band), "invalid-value",
                            f"the row `{band}` has {len(row)} increase(s) but there are {len(merit.positions)} "
                            "positions", "give one increase (in percent) per position, in the same order")
        for band in bands:
            if band not in merit.increases:
                self._error(doc, ("merit", "increases"), "missing-field",
                            f"the merit matrix has no row for the rating band `{band}`",
                            f"add `{band}: [...]` with an increase per position (0 for none)", key=True)

    def _locale(self, doc, tag: str) -> None:
        """The locale picks the interface catalogue and the date and number formats: it must be a real tag."""
        shipped = ", ".join(f"`{i18n.html_lang(c)}`" for c in i18n.available_catalogues())
        try:
            i18n.parse_tag(tag)
        except ValueError as exc:
            self._error(doc, ("locale",), "invalid-value", str(exc),
                        f"write a language tag such as `en`, `en-GB`, `es` or `zh-CN` (catalogues: {shipped})")
            return
        if not i18n.has_catalogue(tag):
            self._error(doc, ("locale",), "untranslated-locale",
                        f"ladderbuild has no interface catalogue for `{tag}`, so the words it adds to the handbook "
                        "and forms (headings, labels, \"Page 1 of 2\") will be in English; dates and numbers "
                        "still follow the locale",
                        f"use one of {shipped}, or add a catalogue for the language (see README, Languages)",
                        severity=WARNING)

    def _unique_within(self, doc, path, values, what, attr="id") -> None:
        seen = set()
        for i, value in enumerate(values):
            if value in seen:
                self._error(doc, path + (i, attr), "duplicate-id", f"the {what} `{value}` is listed twice",
                            "each must be unique")
            seen.add(value)

    # competencies -------------------------------------------------------------

    def _stage_ids(self) -> list[str]:
        """Stage ids in order, from the raw framework so a broken framework.yaml hides nothing else."""
        return [s["id"] for s in _stage_list(self._framework_raw() or {})
                if isinstance(s, dict) and isinstance(s.get("id"), str)]

    def _stage_hint(self, word: str) -> str:
        """Authors often write a stage's label where its id belongs."""
        raw = self._framework_raw() or {}
        for stage in _stage_list(raw):
            if isinstance(stage, dict) and str(stage.get("label", "")).strip().lower() == word.strip().lower():
                return f"`{word}` is the label of the stage `{stage.get('id')}`; write the id"
        return did_you_mean(word, self._stage_ids(), ordered=True)

    def _competencies(self) -> None:
        stages = self._stage_ids()
        for entry in self.content.of("competency"):
            comp: Competency = entry.model
            doc = entry.doc
            self._ref(doc, ("domain",), comp.domain, "domains", "the domain")
            for i, training in enumerate(comp.training):
                self._ref(doc, ("training", i), training, "training", "the training")
            for i, method in enumerate(comp.validation_methods):
                self._ref(doc, ("validation_methods", i), method, "validation_methods", "the validation method")
            if not stages:
                continue
            for stage in comp.anchors:
                if stage not in stages:
                    self._error(doc, ("anchors", stage), "unknown-stage",
                                f"`{stage}` is not a proficiency stage of this framework",
                                did_you_mean(stage, stages, ordered=True), key=True)
            for i, question in enumerate(comp.interview_questions):
                for stage in question.strong_answer:
                    if stage not in stages:
                        self._error(doc, ("interview_questions", i, "strong_answer", stage), "unknown-stage",
                                    f"`{stage}` is not a proficiency stage of this framework",
                                    did_you_mean(stage, stages, ordered=True), key=True)
            missing = [s for s in stages if s not in comp.anchors]
            if missing:
                self._error(doc, ("anchors",), "missing-anchor",
                            f"the competency has no anchor for the stage(s) {', '.join(f'`{m}`' for m in missing)}",
                            "describe what the competency looks like at every stage, so raters have a rubric")

    # levels ---------------------------------------------------------------

    def _levels(self) -> dict[str, Entry]:
        levels = {e.model.id: e for e in self.content.of("level")}
        stages = self._stage_ids()
        for entry in levels.values():
            lvl: LevelFile = entry.model
            doc = entry.doc
            self._ref(doc, ("track",), lvl.track, "tracks", "the track")
            if lvl.inherits:
                if lvl.inherits == lvl.id:
                    self._error(doc, ("inherits",), "inheritance-cycle", "a level cannot inherit from itself",
                                "name the level below, or remove `inherits`")
                else:
                    self._ref(doc, ("inherits",), lvl.inherits, "level", "the level")
            self._expected(doc, (), lvl.competencies, stages)
            self._requirements(doc, ("requirements",), lvl.requirements)
            if lvl.requirements.time_in_level and lvl.requirements.time_in_level.level:
                self._ref(doc, ("requirements", "time_in_level", "level"), lvl.requirements.time_in_level.level,
                          "level", "the level")
            self._statements(doc, (), lvl.statements, self._expected_at(levels, lvl.id))
            self._removals(doc, lvl, levels)
            if lvl.eligibility:
                for i, t in enumerate(lvl.eligibility.mandatory_training):
                    self._ref(doc, ("eligibility", "mandatory_training", i), t, "training", "the training")
                self._rating_in_scale(doc, lvl)
                gate = lvl.eligibility.discipline
                if gate and gate.min_severity:
                    self._ref(doc, ("eligibility", "discipline", "min_severity"), gate.min_severity,
                              "discipline_levels", "the disciplinary level")
            for i, path in enumerate(lvl.paths):
                if path.to == lvl.id:
                    self._error(doc, ("paths", i, "to"), "promotion-cycle", "a level cannot lead to itself",
                                "remove this path")
                else:
                    self._ref(doc, ("paths", i, "to"), path.to, "level", "the level")
            self._unique_within(doc, ("kpis",), [k.id for k in lvl.kpis], "indicator")
            if lvl.evidence and lvl.evidence.points:
                self._points(doc, ("evidence", "points"), lvl.evidence.points)
        return levels

    def _expected(self, doc, at, competencies: dict, stages: list[str]) -> None:
        for comp, stage in competencies.items():
            self._ref(doc, at + ("competencies", comp), comp, "competency", "the competency", key=True)
            if stages and stage not in stages:
                self._error(doc, at + ("competencies", comp), "unknown-stage",
                            f"`{stage}` is not a proficiency stage of this framework", self._stage_hint(stage))

    def _requirements(self, doc, at, req: Requirements) -> None:
        for i, cred in enumerate(req.credentials):
            for j, ident in enumerate(cred.one_of):
                self._ref(doc, at + ("credentials", i, "one_of", j), ident, "credentials", "the credential")
            for unit in cred.by_unit:
                self._ref(doc, at + ("credentials", i, "by_unit", unit), unit, "units", "the unit", key=True)
        for i, alt in enumerate(req.alternatives):
            for j, ident in enumerate(alt.credentials):
                self._ref(doc, at + ("alternatives", i, "credentials", j), ident, "credentials", "the credential")
            if len(alt.credentials) + len(alt.education) < 2:
                self._error(doc, at + ("alternatives", i), "single-alternative",
                            "this alternative offers only one option, so it is not a choice",
                            "list two or more credentials or kinds of education, or move the one option to "
                            "`credentials:` or `education:`", severity=WARNING)

    def _expected_at(self, levels: dict[str, Entry], level_id: str) -> set[str] | None:
        """The competencies a level expects after inheritance (None when it cannot be known: a missing
        parent, a cycle, or a chain past MAX_INHERITANCE_DEPTH, each reported elsewhere).

        Walks the chain with a loop, not recursion (a long chain must not hit Python's limit), and
        remembers each level's answer, so every level of a chain is worked out once."""
        known = self._expected_cache
        chain: list[LevelFile] = []
        current = level_id
        while current not in known:
            entry = levels.get(current)
            if entry is None or len(chain) > MAX_INHERITANCE_DEPTH or any(m.id == current for m in chain):
                for m in chain:
                    known[m.id] = None
                return None
            chain.append(entry.model)
            if not entry.model.inherits:
                break
            current = entry.model.inherits
        expected = known.get(current) if chain and chain[-1].inherits else set()
        for lvl in reversed(chain):
            expected = None if expected is None else (expected - set(lvl.remove.competencies)) | set(lvl.competencies)
            known[lvl.id] = expected
        return known[level_id]

    def _statements(self, doc, at, statements: dict, expected: set[str] | None) -> None:
        for comp in statements:
            if not self._ref(doc, at + ("statements", comp), comp, "competency", "the competency", key=True):
                continue
            if expected is not None and comp not in expected:
                self._error(doc, at + ("statements", comp), "statement-without-expectation",
                            f"there is a statement for `{comp}`, but no stage is expected in it here",
                            f"add `{comp}` to `competencies:` with its stage, or remove the statement", key=True)

    def _removals(self, doc, lvl: LevelFile, levels: dict[str, Entry]) -> None:
        """Each removed item must be one the level inherits: a removal that matches nothing is a typo
        that would leave the item on the page."""
        gone = lvl.remove
        if not any(getattr(gone, key) for key in type(gone).model_fields):
            return
        if not lvl.inherits:
            self._error(doc, ("remove",), "nothing-to-remove", "`remove` drops inherited items, but this level "
                        "inherits from no level", "add `inherits:`, or delete `remove:`", key=True)
            return
        chain, seen = [], set()
        current = levels.get(lvl.inherits)
        while current is not None and current.model.id not in seen:
            seen.add(current.model.id)
            chain.append(current.model)
            current = levels.get(current.model.inherits) if current.model.inherits else None
        if not chain or chain[-1].inherits:
            return  # a parent that failed to load: its items are unknown
        have = {
            "responsibilities": {x for m in chain for x in m.responsibilities},
            "scope_notes": {x for m in chain for x in m.scope_notes},
            "competencies": {x for m in chain for x in m.competencies},
            "kpis": {k.id for m in chain for k in m.kpis},
            "credentials": {c for m in chain for r in m.requirements.credentials for c in r.one_of}
                           | {c for m in chain for a in m.requirements.alternatives for c in a.credentials},
            "education": {x for m in chain for x in m.requirements.education},
            "other": {x for m in chain for x in m.requirements.other},
        }
        for key, known in have.items():
            for i, item in enumerate(getattr(gone, key)):
                if item not in known:
                    self._error(doc, ("remove", key, i), "not-inherited",
                                f"`{item[:60]}` is not among the {key.replace('_', ' ')} this level inherits "
                                f"from `{lvl.inherits}`",
                                did_you_mean(item, known) if known else "remove this line")

    def _points(self, doc, at, pts) -> None:
        self._unique_within(doc, at + ("categories",), [c.id for c in pts.categories], "evidence category")
        if pts.minimum_categories > len(pts.categories):
            self._error(doc, at + ("minimum_categories",), "invalid-value",
                        f"`minimum_categories` is {pts.minimum_categories} but only "
                        f"{len(pts.categories)} categories are defined", "lower it or add categories")
        shared = {c.id: c for c in (self.fw.points_categories if self.fw else [])}
        caps = []
        for i, category in enumerate(pts.categories):
            if category.id in shared:
                merged = shared[category.id].model_copy(
                    update={k: getattr(category, k) for k in category.model_fields_set})
            else:
                merged = category
            self._points_category(doc, at + ("categories", i), merged)
            caps.append(merged.cap)
        reachable = sum(c if c is not None else float("inf") for c in caps)
        if reachable < pts.minimum_total:
            self._error(doc, at + ("minimum_total",), "invalid-value",
                        f"the caps allow at most {reachable:g} points, less than the minimum of "
                        f"{pts.minimum_total:g}", "raise a cap or lower `minimum_total`")

    def _points_category(self, doc, at, category) -> None:
        if not category.label:
            self._error(doc, at, "missing-field", f"the points category `{category.id}` needs a `label`",
                        "add `label: …`, or define the category once in framework.yaml `points_categories`")
        if category.points_each is None and not category.tiers and category.per_unit is None:
            self._error(doc, at, "missing-points", f"the points category `{category.id}` says how many points "
                        "nothing earns", "add `points_each`, `tiers` or `per_unit`")
        most = category.most_per_item
        if category.cap is not None and most is not None and category.cap < most:
            self._error(doc, at + ("cap",), "cap-below-item",
                        f"the cap of {category.cap:g} points is smaller than the {most:g} points one item earns, "
                        "so a single item is cut short", "raise the cap, or lower the points of an item",
                        severity=WARNING)
        if category.cap is not None and category.minimum is not None and category.minimum > category.cap:
            self._error(doc, at + ("minimum",), "invalid-value",
                        f"the minimum of {category.minimum:g} points is more than the cap of {category.cap:g}",
                        "lower the minimum or raise the cap")

    # specialisms and roles --------------------------------------------------

    def _specialisms_and_roles(self, levels: dict[str, Entry]) -> None:
        stages = self._stage_ids()
        for entry in self.content.of("specialism"):
            spec, doc = entry.model, entry.doc
            for i, level_id in enumerate(spec.levels):
                if self._ref(doc, ("levels", i), level_id, "level", "the level") and f"{level_id}--{spec.id}" in levels:
                    self._error(doc, ("levels", i), "duplicate-id",
                                f"`{level_id}` with this specialism has the id `{level_id}--{spec.id}`, which a "
                                "level already uses", "rename that level or this specialism")
            self._expected(doc, (), spec.competencies, stages)
            self._requirements(doc, ("requirements",), spec.requirements)
            at_levels = [self._expected_at(levels, level_id) for level_id in spec.levels]
            expected = None if any(e is None for e in at_levels) else set(spec.competencies).union(*at_levels)
            self._statements(doc, (), spec.statements, expected)
            self._unique_within(doc, ("kpis",), [k.id for k in spec.kpis], "indicator")
        for entry in self.content.of("role"):
            role, doc = entry.model, entry.doc
            for i, level_id in enumerate(role.levels):
                self._ref(doc, ("levels", i), level_id, "level", "the level")
            self._expected(doc, (), role.competencies, stages)
            self._requirements(doc, ("requirements",), role.requirements)
            self._statements(doc, (), role.statements, set(role.competencies))
            self._unique_within(doc, ("kpis",), [k.id for k in role.kpis], "indicator")

    def _comment_rule(self, doc, i: int, scale) -> None:
        """A comment rule naming a rating the scale does not have never applies: say so, rather than
        print forms that quietly ask for no comment where the authors wanted one."""
        values = sorted(p.value for p in scale.points)
        listed = ", ".join(str(v) for v in values)
        rule = scale.comment_required
        for j, value in enumerate(rule.values):
            if value not in values:
                self._error(doc, ("scales", i, "comment_required", "values", j), "invalid-value",
                            f"the scale `{scale.id}` has no rating {value} (its ratings: {listed})",
                            "list only ratings the scale has, or remove this one")
        if rule.at_or_below is not None and rule.at_or_below < values[0]:
            self._error(doc, ("scales", i, "comment_required", "at_or_below"), "invalid-value",
                        f"`at_or_below: {rule.at_or_below}` is below every rating of the scale `{scale.id}` "
                        f"({listed}), so it never asks for a comment",
                        f"use a rating of the scale, e.g. `at_or_below: {values[0]}` for the lowest")

    def _rating_in_scale(self, doc, lvl: LevelFile) -> None:
        if not (self.fw and lvl.eligibility and lvl.eligibility.min_last_rating is not None):
            return
        ev = self.fw.evaluation
        scale_id = next((s.id for s in self.fw.scales if ev and s.id == ev.scale), self.fw.scales[0].id)
        values = self._evaluation_values()
        if not min(values) <= lvl.eligibility.min_last_rating <= max(values):
            self._error(doc, ("eligibility", "min_last_rating"), "invalid-value",
                        f"a last rating of {lvl.eligibility.min_last_rating:g} is outside the scale "
                        f"`{scale_id}` ({min(values)}–{max(values)})", "use a value on the rating scale")

    # forms and packets -----------------------------------------------------

    def _forms_and_packets(self) -> None:
        for entry in self.content.of("form"):
            form: FormFile = entry.model
            doc = entry.doc
            if isinstance(form.levels, list):
                for i, lvl in enumerate(form.levels):
                    self._ref(doc, ("levels", i), lvl, "level", "the level")
            for i, track in enumerate(form.tracks):
                self._ref(doc, ("tracks", i), track, "tracks", "the track")
            for i, role in enumerate(form.roles):
                self._ref(doc, ("roles", i), role, "role", "the role")
            for i, section in enumerate(form.sections):
                scale = getattr(section, "scale", None)
                if scale:
                    self._ref(doc, ("sections", i, "scale"), scale, "scales", "the rating scale")
                for j, dom in enumerate(getattr(section, "domains", [])):
                    self._ref(doc, ("sections", i, "domains", j), dom, "domains", "the domain")
                if section.kind == "weighted-score" and self.fw and not self.fw.evaluation:
                    self._error(doc, ("sections", i), "missing-evaluation-model",
                                "a weighted-score section needs an `evaluation` model in framework.yaml",
                                "define `evaluation:` with weighted sections, or remove this section")
        for entry in self.content.of("packet"):
            packet: PacketFile = entry.model
            for i, form in enumerate(packet.forms):
                self._ref(entry.doc, ("forms", i), form, "form", "the form")
            if isinstance(packet.levels, list):
                for i, lvl in enumerate(packet.levels):
                    self._ref(entry.doc, ("levels", i), lvl, "level", "the level")

    # graph ---------------------------------------------------------------

    def _graph(self, levels: dict[str, Entry]) -> None:
        inherits = {lid: e.model.inherits for lid, e in levels.items() if e.model.inherits in levels}
        cycles = _cycles({k: [v] for k, v in inherits.items()})
        for cycle in cycles:
            entry = levels[cycle[0]]
            self._error(entry.doc, ("inherits",), "inheritance-cycle",
                        "levels inherit from each other in a circle: " + " → ".join(cycle + [cycle[0]]),
                        "a level inherits from the level below it; break the circle")
        if not cycles:
            for lid, chain in _too_deep(inherits, MAX_INHERITANCE_DEPTH):
                shown = " → ".join(chain[:3] + ["…"] + chain[-2:])
                self._error(levels[lid].doc, ("inherits",), "inheritance-too-deep",
                            f"the level `{lid}` inherits through {len(chain) - 1} levels ({shown}); "
                            f"the limit is {MAX_INHERITANCE_DEPTH}",
                            "let it state its expectations in full instead of inheriting, or inherit from a "
                            "level nearer the bottom of its track")
        upward = {lid: [p.to for p in e.model.paths if p.kind is not PathKind.LATERAL and p.to in levels]
                  for lid, e in levels.items()}
        for cycle in _cycles(upward):
            entry = levels[cycle[0]]
            index = next(i for i, p in enumerate(entry.model.paths) if p.to in cycle)
            self._error(entry.doc, ("paths", index, "to"), "promotion-cycle",
                        "promotion paths go round in a circle: " + " → ".join(cycle + [cycle[0]]),
                        "a promotion leads upward; mark sideways moves `kind: lateral`")
        for lid, entry in levels.items():
            for i, path in enumerate(entry.model.paths):
                target = levels.get(path.to)
                if (path.kind is PathKind.PROMOTION and target is not None and target.model.track == entry.model.track
                        and target.model.rank <= entry.model.rank):
                    self._error(entry.doc, ("paths", i, "to"), "promotion-rank",
                                f"this promotion leads from rank {entry.model.rank} to `{path.to}` at rank "
                                f"{target.model.rank} in the same track",
                                "a promotion leads to a higher rank: fix the `rank` of one of the two levels, "
                                "or mark the move `kind: lateral`")
        if any(kind == "level" for kind, _ in self.loaded.unreadable) or len(levels) < len(self.ids.get("level", ())):
            return  # a level that failed to load may be the one that leads there: say nothing rather than wrong
        entries = [lid for lid, e in levels.items() if e.model.entry] or [
            lid for lid, e in levels.items() if e.model.rank == 1]
        reached = set(entries)
        frontier = list(entries)
        while frontier:
            lid = frontier.pop()
            for path in levels[lid].model.paths:
                if path.to in levels and path.to not in reached:
                    reached.add(path.to)
                    frontier.append(path.to)
        for lid, entry in levels.items():
            if lid not in reached:
                self._error(entry.doc, ("id",), "unreachable-level",
                            f"no path leads to the level `{lid}` from an entry level",
                            "add a `paths:` entry to it from another level, or mark it `entry: true`",
                            severity=WARNING)

    # usage -----------------------------------------------------------------

    def _usage(self, levels: dict[str, Entry]) -> None:
        if any(kind == "level" for kind, _ in self.loaded.unreadable):
            return  # the level that failed to load may be the one that uses it
        used = {comp for e in levels.values() for comp in e.model.competencies}
        used |= {comp for kind in ("specialism", "role") for e in self.content.of(kind) for comp in e.model.competencies}
        for entry in self.content.of("competency"):
            if entry.model.id not in used:
                self._error(entry.doc, ("id",), "unused-competency",
                            f"no level expects the competency `{entry.model.id}`",
                            "add it to a level's (or a specialism's or role's) `competencies:`, or delete it",
                            severity=WARNING)

    # links ---------------------------------------------------------------

    def _links(self) -> None:
        """Links in Markdown bodies and in Markdown fields of YAML (descriptions, definitions …), each
        relative to the folder of the file that holds it, as the handbook resolves them."""
        content_root = _content_root(self.loaded)
        if content_root is None:
            return
        for doc in self.loaded.documents:
            if doc.body:
                self._check_links(content_root, doc, doc.body, lambda line, doc=doc: doc.body_line + line)
        for entries in self.content.entries.values():
            for entry in entries:
                for path, text in markdown_fields(entry.model, entry.path):
                    where = entry.doc.position(path).line  # the field's line: its text may be folded
                    self._check_links(content_root, entry.doc, text, lambda _line, where=where: where,
                                      f" (in `{path[-1]}`)")

    def _suggest(self, word: str, choices) -> str:
        """A "did you mean" hint for the first MAX_SUGGESTIONS unknown names: each compares the name with
        every choice, so thousands of them against thousands of ids would take minutes."""
        self._suggestions += 1
        return did_you_mean(word, choices) if self._suggestions <= MAX_SUGGESTIONS else ""

    def _content_files(self, content_root) -> list[str]:
        """Every file under content/, listed once for all the broken links' "did you mean"."""
        if self._files is None:
            self._files = _listed_files(content_root)
        return self._files

    def _check_links(self, content_root, doc, text: str, file_line, field: str = "") -> None:
        """`file_line(n)` turns the n-th line of `text` (from 0) into a line of the file."""
        if "[" not in text and "<" not in text:  # no link syntax at all (most descriptions): skip the parse
            return

        def error(line: int, code: str, message: str, hint: str) -> None:
            self.out.append(Diagnostic(doc.rel, file_line(line), 1, Severity.ERROR, code, message + field, hint))

        for line, href in markdown.rejected_links(text):
            error(line, "unsafe-link", f"the link `{href[:60]}` uses a scheme that is not allowed; it is shown as "
                  "plain text", "use http:, https:, mailto: or tel: links only")
        for link in markdown.links(text):
            if markdown.is_protocol_relative(link.href):
                https = "https:" + link.href.lstrip()
                error(link.line, "unsafe-link", f"the link `{link.href[:60]}` names no scheme: on a web server it "
                      f"leads to another site, and opened from disk to a file share (`file:{link.href[:60]}`)",
                      f"write the scheme: `{https[:60]}`")
                continue
            if not markdown.is_internal(link.href):
                if urlsplit(link.href).scheme.lower() not in ("", *markdown.SAFE_SCHEMES):
                    error(link.line, "unsafe-link", f"the link `{link.href[:60]}` uses a scheme that is not allowed",
                          "use http:, https:, mailto: or tel: links only")
                continue
            target_rel = unquote(urlsplit(link.href).path)
            target = PurePosixPath(doc.path.parent.relative_to(content_root).as_posix()) / target_rel
            normal = _normalise(target)
            if normal is None or target_rel.startswith("/"):
                error(link.line, "outside-content", f"the link `{unquote(link.href)}` points outside the content folder",
                      "link only to files inside content/")
            elif _escapes(content_root, normal):
                error(link.line, "outside-content", f"the link `{unquote(link.href)}` leads outside the content folder "
                      "through a symbolic link", "copy the file into content/ instead of linking to it")
            elif not (content_root / normal).is_file():
                hint = self._suggest(normal, self._content_files(content_root))
                if not hint.startswith("did you mean"):
                    hint = f"the link is relative to {doc.rel}; fix the path, or create content/{normal}"
                error(link.line, "broken-link", f"the link `{unquote(link.href)}` points to a file that does not exist",
                      hint)


def _listed_files(content_root) -> list[str]:
    return [p.relative_to(content_root).as_posix() for p in content_root.rglob("*") if p.is_file()]


def _usable_id(entry: Any) -> bool:
    """True when a raw catalogue entry has an id other files can refer to; when one has not, the
    entry someone refers to may be that one, so unknown references to its kind are not reported."""
    ident = entry.get("id") if isinstance(entry, dict) else None
    return isinstance(ident, str) and _ID.fullmatch(ident) is not None


_ID = re.compile(r"[a-z0-9][a-z0-9-]*")


def portable_id(name: str) -> str:
    """An id made from a name, for a rename hint: `Résumé tips` → `resume-tips` ('' when nothing is left)."""
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def _stage_list(raw_framework: dict) -> list:
    stages = raw_framework.get("stages")
    return stages if isinstance(stages, list) else []


def _content_root(loaded: LoadResult):
    fw = loaded.of_kind("framework")
    if fw:
        return fw[0].path.parent
    return loaded.documents[0].path.parent if loaded.documents else None


def _escapes(content_root, normal: str) -> bool:
    """True when a path inside content/ is (or passes through) a symlink that leads out of it."""
    target = content_root / normal
    return target.exists() and not target.resolve().is_relative_to(content_root.resolve())


def _normalise(path: PurePosixPath) -> str | None:
    parts: list[str] = []
    for part in path.parts:
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(part)
    return "/".join(parts)


def _entry_id(entry: Entry) -> str | None:
    model = entry.model
    if isinstance(model, PageFile):
        return model.id or entry.doc.path.stem
    if entry.doc.kind == "glossary":
        return model.id or markdown.slugify(model.term)
    if entry.doc.kind == "changelog":
        return model.version
    return getattr(model, "id", None)


def _text_fields(model: Any, path: DataPath):
    """(data path, field name, text) of every text value in `model` and the models inside it."""
    for name, value in model:
        if isinstance(value, str):
            yield path + (name,), name, value
        elif isinstance(value, BaseModel):
            yield from _text_fields(value, path + (name,))
        elif isinstance(value, (list, tuple, dict)):
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(item, str):
                    yield path + (name, key), name, item
                elif isinstance(item, BaseModel):
                    yield from _text_fields(item, path + (name, key))


# A run of characters a line cannot break in: no space, and none of the scripts that break between
# letters (Chinese, Japanese, Korean; Thai, Lao, Khmer, Myanmar by dictionary). Link targets are not
# shown, so `](…)` is skipped.
_LONG_WORD = re.compile(r"[^\s\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u2e80-\u9fff\ua960-\ua97f\uac00-\ud7ff"
                        r"\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]{%d,}" % (MAX_WORD_CHARS + 1))
_LINK_TARGET = re.compile(r"\]\([^)\s]*")


def _long_word(text: str) -> re.Match | None:
    if len(text) <= MAX_WORD_CHARS:
        return None
    return _LONG_WORD.search(_LINK_TARGET.sub(lambda m: "](" + " " * (len(m.group()) - 2), text))


def _too_deep(inherits: dict[str, str], limit: int) -> list[tuple[str, list[str]]]:
    """(level, its chain up to the top) for each level that is the first in its chain to inherit
    through more than `limit` levels. `inherits` has no cycle."""
    depth: dict[str, int] = {}
    for start in sorted(inherits):
        chain = [start]
        while chain[-1] in inherits and chain[-1] not in depth:
            chain.append(inherits[chain[-1]])
        known = depth.get(chain[-1], 0)
        for i, lid in enumerate(reversed(chain)):
            depth.setdefault(lid, known + i)
    out = []
    for lid in sorted(inherits):
        if depth[lid] == limit + 1:
            chain = [lid]
            while chain[-1] in inherits:
                chain.append(inherits[chain[-1]])
            out.append((lid, chain))
    return out


def _cycles(graph: dict[str, list[str]]) -> Iterable[list[str]]:
    """Each elementary cycle once (reported from its smallest node), by depth-first search.

    The search keeps its own stack rather than recursing, so a chain of any length (thousands of
    inheriting levels) cannot hit Python's recursion limit."""
    found: set[tuple[str, ...]] = set()
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for root in sorted(graph):
        if root in state:
            continue
        path: list[str] = [root]
        pending = [iter(sorted(graph.get(root, [])))]
        state[root] = 1
        while pending:
            nxt = next(pending[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                pending.pop()
            elif state.get(nxt) == 1:
                cycle = path[path.index(nxt):]
                start = cycle.index(min(cycle))
                found.add(tuple(cycle[start:] + cycle[:start]))
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                pending.append(iter(sorted(graph.get(nxt, []))))
    return [list(c) for c in sorted(found)]
