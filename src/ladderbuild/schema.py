"""JSON Schema for the content files, generated from the pydantic models.

One schema per kind of file (`framework.schema.json`, `level.schema.json` …), so
that an editor can autocomplete keys and flag mistakes while an author types
(docs/content-format.md shows how to set up VS Code). The models stay the only
source of truth: nothing here describes content by hand, it only reshapes what
`model_json_schema()` produces:

- files that hold a list of entries (tracks.yaml, training.yaml …) get an array
  of the entry schema;
- levels and pages are Markdown files: their schema describes the YAML front
  matter between the `---` lines;
- the output is JSON Schema draft-07 (`definitions` rather than `$defs`),
  because that is the newest draft the VS Code YAML extension understands;
- mappings whose keys are ids (`competencies:`, `anchors:`) reject keys that
  are not ids, as the loader does.

The schema is a help for editors, not the judge: `ladderbuild check` also checks
what no schema can (references between files, weights that total 100 …).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .load import LAYOUT
from .model import DOCUMENT_MODELS, LIST_KINDS

DRAFT = "http://json-schema.org/draft-07/schema#"
DOCS = "docs/content-format.md"

# Where each kind lives, from the loader's own table: kind → "levels/*.md".
PLACES: dict[str, str] = {kind: pattern for kind, pattern, _, _ in LAYOUT}


def file_name(kind: str) -> str:
    return f"{kind}.schema.json"


def schema_for(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft-07) of one kind of content file."""
    model = DOCUMENT_MODELS[kind]
    entry = model.model_json_schema(ref_template="#/definitions/{model}")
    definitions = entry.pop("$defs", {})
    place = f"content/{PLACES[kind]}"
    if kind in LIST_KINDS:
        body: dict[str, Any] = {
            "title": f"ladderbuild {place}",
            "description": f"{place}: a list of entries. See {DOCS}.",
            "type": "array",
            "items": {"$ref": f"#/definitions/{model.__name__}"},
        }
        definitions[model.__name__] = entry
    else:
        what = "the YAML front matter of " if PLACES[kind].endswith(".md") else ""
        body = dict(entry)
        body["title"] = f"ladderbuild {place}"
        body["description"] = f"{what}{place}. See {DOCS}."
    out: dict[str, Any] = {"$schema": DRAFT, **body}
    if definitions:
        out["definitions"] = {name: definitions[name] for name in sorted(definitions)}
    _close_id_mappings(out)
    return out


def all_schemas() -> dict[str, dict[str, Any]]:
    """File name → schema, for every kind of content file."""
    return {file_name(kind): schema_for(kind) for kind in DOCUMENT_MODELS}


def render(schema: dict[str, Any]) -> str:
    """The text written to disk: stable, readable, ending with a newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


class NotOurs(Exception):
    """Files of the schemas' names that ladderbuild did not write: nothing was written."""

    def __init__(self, paths: list[Path]):
        super().__init__(", ".join(str(p) for p in paths))
        self.paths = paths


def write_schemas(directory: Path) -> list[Path]:
    """Write every `<kind>.schema.json` into `directory` (created if needed); the paths written.

    Only these files are written, and a file of the same name is replaced only when it is a schema
    ladderbuild wrote (an older one, say): otherwise NotOurs is raised before anything is written."""
    schemas = {directory / name: render(schema) for name, schema in all_schemas().items()}
    foreign = [path for path in schemas if (path.exists() or path.is_symlink()) and not _ours(path)]
    if foreign:
        raise NotOurs(foreign)
    directory.mkdir(parents=True, exist_ok=True)
    for path, text in schemas.items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    return list(schemas)


def _ours(path: Path) -> bool:
    """A JSON Schema this module wrote: a regular file, titled `ladderbuild content/…`."""
    if path.is_symlink() or not path.is_file():
        return False
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("$schema") == DRAFT and str(data.get("title", "")).startswith(
        "ladderbuild content/")


def _close_id_mappings(node: Any) -> None:
    """`dict[Id, …]` becomes patternProperties; also refuse keys that do not match the pattern."""
    if isinstance(node, dict):
        if "patternProperties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for value in node.values():
            _close_id_mappings(value)
    elif isinstance(node, list):
        for value in node:
            _close_id_mappings(value)
