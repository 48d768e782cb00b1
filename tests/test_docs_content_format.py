"""docs/content-format.md cannot drift from the model or from the diagnostics the code emits.

- Every pydantic model reachable from `DOCUMENT_MODELS` (through nested models, lists, dicts,
  unions and the form-section union) has a key table marked `<!-- model: Name -->` whose keys
  are exactly the model's fields, and whose Required column agrees with the model.
- Every diagnostic code the source can emit is in the Diagnostics table with the right
  severity, and the table lists no code the source never emits.
- Every file kind has an example marked `<!-- example: kind -->`, and each example is valid.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
import types
import typing
from pathlib import Path

import pytest
from jsonschema import Draft7Validator, FormatChecker
from pydantic import BaseModel

from ladderbuild import model as model_module
from ladderbuild.load import LAYOUT, parse_yaml
from ladderbuild.model import DOCUMENT_MODELS, LIST_KINDS
from ladderbuild.schema import schema_for

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "content-format.md"
SOURCE = REPO / "src" / "ladderbuild"

MODEL_MARKER = re.compile(r"^<!-- model: (\w+)(?: extends: (\w+))? -->\s*$")
EXAMPLE_MARKER = re.compile(r"^<!-- example: (\w+) -->\s*$")
DIAGNOSTICS_MARKER = "<!-- diagnostics -->"


# --------------------------------------------------------------------------- reading the doc


def _cells(row: str) -> list[str]:
    """The cells of a Markdown table row (`\\|` is a literal bar, not a separator)."""
    row = row.strip().strip("|")
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", row)]


def _table_after(lines: list[str], start: int) -> list[list[str]]:
    """The body rows of the Markdown table that begins on the first non-blank line after `start`."""
    i = start + 1
    while i < len(lines) and not lines[i].strip():
        i += 1
    assert i < len(lines) and lines[i].lstrip().startswith("|"), (
        f"{DOC.name}:{start + 1}: the marker `{lines[start].strip()}` must be followed by a table")
    assert i + 1 < len(lines) and re.fullmatch(r"\s*\|[\s|:-]+\|\s*", lines[i + 1]), (
        f"{DOC.name}:{i + 1}: the table after `{lines[start].strip()}` has no header separator row")
    rows = []
    i += 2
    while i < len(lines) and lines[i].lstrip().startswith("|"):
        rows.append(_cells(lines[i]))
        i += 1
    return rows


def _key(cell: str, where: str) -> str:
    match = re.fullmatch(r"`([^`]+)`", cell)
    assert match, f"{where}: the first column must be a key in backticks, got {cell!r}"
    return match.group(1)


def documented_models() -> dict[str, tuple[str | None, dict[str, str]]]:
    """Model name → (base it extends or None, {key: Required cell}) as written in the doc."""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    found: dict[str, tuple[str | None, dict[str, str]]] = {}
    for number, line in enumerate(lines):
        match = MODEL_MARKER.match(line)
        if not match:
            continue
        name, base = match.groups()
        where = f"{DOC.name}, table of {name}"
        assert name not in found, f"{where}: documented twice"
        keys: dict[str, str] = {}
        for row in _table_after(lines, number):
            assert len(row) >= 5, f"{where}: each row needs 5 columns (Key, Type, Required, Default, What it means)"
            key = _key(row[0], where)
            assert key not in keys, f"{where}: key `{key}` is listed twice"
            keys[key] = row[2]
        found[name] = (base, keys)
    return found


def documented_diagnostics() -> dict[str, str]:
    """Code → severity, from the Diagnostics table."""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    starts = [i for i, line in enumerate(lines) if line.strip() == DIAGNOSTICS_MARKER]
    assert len(starts) == 1, f"{DOC.name} needs exactly one `{DIAGNOSTICS_MARKER}` marker before the diagnostics table"
    out: dict[str, str] = {}
    for row in _table_after(lines, starts[0]):
        code = _key(row[0], f"{DOC.name}, diagnostics table")
        assert code not in out, f"{DOC.name}: diagnostic `{code}` is listed twice"
        assert row[1] in ("error", "warning"), f"{DOC.name}: severity of `{code}` must be error or warning, not {row[1]!r}"
        assert all(cell for cell in row[2:4]), f"{DOC.name}: diagnostic `{code}` needs a meaning and a fix"
        out[code] = row[1]
    return out


def documented_examples() -> dict[str, list[str]]:
    """Kind → the fenced code blocks marked `<!-- example: kind -->` (the block right after the marker)."""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    out: dict[str, list[str]] = {}
    for number, line in enumerate(lines):
        match = EXAMPLE_MARKER.match(line)
        if not match:
            continue
        assert lines[number + 1].startswith("```"), f"{DOC.name}:{number + 1}: an example marker must precede a code block"
        end = next(i for i in range(number + 2, len(lines)) if lines[i].startswith("```"))
        out.setdefault(match.group(1), []).append("\n".join(lines[number + 2 : end]) + "\n")
    return out


# --------------------------------------------------------------------------- walking the model


def _unwrap(tp):
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    return tp


def _models_in(tp) -> list[type[BaseModel]]:
    """Every pydantic model mentioned by a type: nested in lists, dicts, unions, Annotated, Optional."""
    tp = _unwrap(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return [tp]
    origin = typing.get_origin(tp)
    if origin is typing.Literal:
        return []
    if origin is not None or isinstance(tp, types.UnionType):
        return [m for arg in typing.get_args(tp) for m in _models_in(arg)]
    return []


def reachable_models() -> dict[str, type[BaseModel]]:
    seen: dict[str, type[BaseModel]] = {}
    todo = list(DOCUMENT_MODELS.values())
    while todo:
        current = todo.pop()
        if current.__name__ in seen:
            assert seen[current.__name__] is current, f"two different models are named {current.__name__}"
            continue
        seen[current.__name__] = current
        for field in current.model_fields.values():
            todo.extend(_models_in(field.annotation))
    return seen


def test_the_walk_reaches_nested_models_and_every_form_section():
    reached = reachable_models()
    for name in ("FrameworkFile", "CommentRule", "EvaluationSection", "LevelFile", "PointsCategory",
                 "CredentialRequirement", "FormFile", "PacketFile", "GlossaryEntry"):
        assert name in reached
    kinds = {typing.get_args(m.model_fields["kind"].annotation)[0]
             for m in reached.values() if "kind" in m.model_fields and m.__name__.endswith("Section")}
    assert kinds == set(model_module.SECTION_KINDS)


# --------------------------------------------------------------------------- keys


def test_every_model_is_documented_and_nothing_else():
    reached = reachable_models()
    documented = documented_models()
    bases = {base for base, _ in documented.values() if base}
    missing = sorted(set(reached) - set(documented))
    extra = sorted(set(documented) - set(reached) - bases)
    assert not missing, f"{DOC.name} has no key table (`<!-- model: Name -->`) for: {', '.join(missing)}"
    assert not extra, f"{DOC.name} documents models that content cannot contain: {', '.join(extra)}"
    for base in bases:
        assert base in documented, f"{DOC.name}: tables extend `{base}`, which has no table of its own"


@pytest.mark.parametrize("name", sorted(reachable_models()))
def test_documented_keys_equal_the_model_fields(name):
    model = reachable_models()[name]
    documented = documented_models()
    assert name in documented, f"{DOC.name}: model {name} has no key table"
    base, keys = documented[name]
    keys = dict(keys)
    if base:
        base_model = getattr(model_module, base, None)
        assert isinstance(base_model, type) and issubclass(model, base_model), (
            f"{DOC.name}: the table of {name} says it extends {base}, but {name} is not a subclass of it")
        keys = {**documented[base][1], **keys}
    fields = set(model.model_fields)
    problems = [f"model {name}: key `{k}` is in the model but not in {DOC.name}" for k in sorted(fields - set(keys))]
    problems += [f"model {name}: key `{k}` is in {DOC.name} but not in the model" for k in sorted(set(keys) - fields)]
    for key in sorted(fields & set(keys)):
        said = keys[key].replace("*", "").strip().lower()
        assert said in ("yes", "no"), f"model {name}: Required of `{key}` must be yes or no, not {keys[key]!r}"
        actual = "yes" if model.model_fields[key].is_required() else "no"
        if said != actual:
            problems.append(f"model {name}: `{key}` is documented as required={said}, but the model says {actual}")
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------- diagnostics in the source

# Calls that create a diagnostic, and the position of the code among their arguments.
BASE_EMITTERS = {"Diagnostic": 4, "_LoadProblem": 2}


def _call_name(call: ast.Call) -> str | None:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _code_arg(call: ast.Call, index: int):
    for kw in call.keywords:
        if kw.arg == "code":
            return kw.value
    return call.args[index] if index < len(call.args) else None


def _emitters(trees: dict[Path, ast.AST]) -> dict[str, int]:
    """Base emitters plus every function that forwards its `code` parameter to one (found to a fixpoint)."""
    emitters = dict(BASE_EMITTERS)
    functions = [node for tree in trees.values() for node in ast.walk(tree)
                 if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    changed = True
    while changed:
        changed = False
        for fn in functions:
            params = [a.arg for a in fn.args.posonlyargs + fn.args.args]
            if "code" not in params or fn.name in emitters:
                continue
            for call in (n for n in ast.walk(fn) if isinstance(n, ast.Call)):
                name = _call_name(call)
                if name in emitters:
                    arg = _code_arg(call, emitters[name])
                    if isinstance(arg, ast.Name) and arg.id == "code":
                        offset = 1 if params and params[0] in ("self", "cls") else 0
                        emitters[fn.name] = params.index("code") - offset
                        changed = True
                        break
    return emitters


def _is_warning(call: ast.Call) -> bool:
    values = list(call.args) + [kw.value for kw in call.keywords]
    return any((isinstance(v, ast.Attribute) and v.attr == "WARNING") or (isinstance(v, ast.Name) and v.id == "WARNING")
               for v in values)


def emitted_diagnostics() -> dict[str, set[str]]:
    """Code → the severities it is emitted with, from every call that creates a diagnostic in src/."""
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(SOURCE.glob("*.py"))}
    emitters = _emitters(trees)
    found: dict[str, set[str]] = {}
    for path, tree in trees.items():
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            name = _call_name(call)
            if name not in emitters:
                continue
            arg = _code_arg(call, emitters[name])
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.setdefault(arg.value, set()).add("warning" if _is_warning(call) else "error")
            else:  # forwarding a code received from elsewhere: `code`, `p.code`
                assert (isinstance(arg, ast.Name) and arg.id == "code") or (
                    isinstance(arg, ast.Attribute) and arg.attr == "code"), (
                    f"{path.name}:{call.lineno}: cannot tell which diagnostic code `{name}(…)` emits; "
                    "pass the code as a string literal")
    return found


def test_the_scan_finds_the_known_emitters():
    found = emitted_diagnostics()
    for code in ("yaml-syntax", "duplicate-key", "unknown-key", "unknown-reference", "weights-total",
                 "broken-link", "too-deep"):
        assert code in found
    assert found["unreachable-level"] == {"warning"}
    assert found["ignored-file"] == {"warning"}


def test_every_emitted_diagnostic_is_documented_and_vice_versa():
    emitted = emitted_diagnostics()
    documented = documented_diagnostics()
    undocumented = sorted(set(emitted) - set(documented))
    stale = sorted(set(documented) - set(emitted))
    assert not undocumented, f"diagnostic codes emitted by src/ladderbuild but missing from the table in {DOC.name}: " \
                             + ", ".join(undocumented)
    assert not stale, f"{DOC.name} documents diagnostic codes the source never emits: " + ", ".join(stale)
    for code, severities in emitted.items():
        assert len(severities) == 1, f"`{code}` is emitted both as error and as warning; document how"
        assert documented[code] == next(iter(severities)), (
            f"{DOC.name}: `{code}` is documented as {documented[code]}, but the source emits a {next(iter(severities))}")


def test_documented_codes_appear_in_the_source_text():
    """A plain-text cross-check of the scan: each documented code is a string literal somewhere in src/."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in SOURCE.glob("*.py"))
    literals = set(re.findall(r"""["']([a-z][a-z0-9]*(?:-[a-z0-9]+)+)["']""", text))
    missing = sorted(set(documented_diagnostics()) - literals)
    assert not missing, f"documented codes not found in src/ladderbuild/*.py: {', '.join(missing)}"


# --------------------------------------------------------------------------- layout and examples


def test_every_file_kind_is_in_the_layout_table():
    text = DOC.read_text(encoding="utf-8")
    for kind, pattern, _, _ in LAYOUT:
        shown = "content/" + pattern.replace("*", "<id>")
        assert f"`{shown}`" in text, f"{DOC.name}: the layout table does not list `{shown}` ({kind})"


def _front_matter(text: str) -> str:
    lines = text.splitlines(keepends=True)
    assert lines[0].rstrip() == "---"
    end = next(i for i in range(1, len(lines)) if lines[i].rstrip() == "---")
    return "".join(lines[1:end])


def example_data(kind: str, text: str):
    fmt = next(f for k, _, f, _ in LAYOUT if k == kind)
    data, _, _ = parse_yaml(_front_matter(text) if fmt == "markdown" else text)
    return data


def test_every_file_kind_has_an_example():
    missing = sorted(set(DOCUMENT_MODELS) - set(documented_examples()))
    assert not missing, f"{DOC.name} has no `<!-- example: kind -->` for: {', '.join(missing)}"


@pytest.mark.parametrize("kind", sorted(DOCUMENT_MODELS))
def test_examples_are_valid(kind):
    model = DOCUMENT_MODELS[kind]
    for text in documented_examples().get(kind, []):
        data = example_data(kind, text)
        entries = data if kind in LIST_KINDS else [data]
        assert isinstance(entries, list) and entries
        for entry in entries:
            model.model_validate(entry)
        # and the JSON Schema an editor uses agrees (dates are text to an editor)
        as_json = json.loads(json.dumps(data, default=lambda v: v.isoformat() if isinstance(v, dt.date) else v))
        found = [e.message for e in Draft7Validator(schema_for(kind), format_checker=FormatChecker()).iter_errors(as_json)]
        assert not found, f"the {kind} example in {DOC.name} fails its JSON Schema: {found}"


def test_the_vscode_settings_snippet_maps_every_yaml_kind_to_its_schema():
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"```json\n(\{\n  \"yaml\.schemas\".*?)```", text, re.S)
    assert block, f"{DOC.name} has no `.vscode/settings.json` snippet with yaml.schemas"
    mapping = json.loads(block.group(1))["yaml.schemas"]
    expected = {f"./schema/{kind}.schema.json": f"**/content/{pattern}"
                for kind, pattern, fmt, _ in LAYOUT if fmt == "yaml"}
    assert mapping == expected
    for schema_path in mapping:
        assert (REPO / schema_path).is_file(), f"{schema_path} does not exist; run `ladderbuild schema`"
