"""The JSON Schema files in schema/: up to date with the model, valid, and in agreement with real content."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft7Validator, FormatChecker

from ladderbuild.cli import main
from ladderbuild.load import load_content
from ladderbuild.model import DOCUMENT_MODELS
from ladderbuild.schema import all_schemas, file_name, schema_for, write_schemas

REPO = Path(__file__).resolve().parents[1]
COMMITTED = REPO / "schema"
REGENERATE = "run `ladderbuild schema -o schema` in the repository and commit the result"

# Real content the schemas must accept: the test fixture, the starter project, the examples and the
# shipped framework (when it is there).
CONTENT_DIRS = [
    REPO / "tests" / "fixtures" / "minimal" / "content",
    REPO / "src" / "ladderbuild" / "scaffold" / "project" / "content",
    *sorted(p for p in (REPO / "examples").glob("*/content") if p.is_dir()),
    *([REPO / "content"] if (REPO / "content" / "framework.yaml").exists() else []),
]


def jsonable(value):
    """Content data as JSON sees it: YAML dates become YYYY-MM-DD text, as in an editor (YAML 1.2)."""
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [jsonable(item) for item in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def validator(kind: str) -> Draft7Validator:
    schema = json.loads((COMMITTED / file_name(kind)).read_text(encoding="utf-8"))
    return Draft7Validator(schema, format_checker=FormatChecker())


def errors(kind: str, data) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
            for e in validator(kind).iter_errors(jsonable(data))]


def test_committed_schemas_are_up_to_date(tmp_path):
    write_schemas(tmp_path)
    fresh = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.iterdir()}
    committed = {p.name: p.read_text(encoding="utf-8") for p in COMMITTED.glob("*.json")}
    assert sorted(committed) == sorted(fresh), f"schema/ holds other files than the model produces; {REGENERATE}"
    stale = sorted(name for name in fresh if fresh[name] != committed[name])
    assert not stale, f"schema/{', schema/'.join(stale)} no longer match the model; {REGENERATE}"


def test_one_schema_per_file_kind():
    assert sorted(all_schemas()) == sorted(file_name(kind) for kind in DOCUMENT_MODELS)


@pytest.mark.parametrize("kind", sorted(DOCUMENT_MODELS))
def test_schemas_are_valid_draft_7(kind):
    schema = schema_for(kind)
    Draft7Validator.check_schema(schema)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert "$defs" not in json.dumps(schema), "draft-07 editors need `definitions`, not `$defs`"


@pytest.mark.parametrize("content", CONTENT_DIRS, ids=lambda p: str(p.relative_to(REPO)))
def test_real_content_validates_against_the_schemas(content):
    loaded = load_content(content)
    assert loaded.documents, f"nothing loaded from {content}"
    problems = []
    for doc in loaded.documents:  # for .md files, `data` is the parsed front matter
        problems += [f"{doc.rel}: {e}" for e in errors(doc.kind, doc.data)]
    assert not problems, "\n".join(problems)


def test_every_kind_is_covered_by_the_fixtures_and_examples():
    """Each kind of file is validated against its schema by some content above (specialisms and
    roles by the software engineering example)."""
    kinds = {doc.kind for content in CONTENT_DIRS for doc in load_content(content).documents}
    assert kinds == set(DOCUMENT_MODELS)


@pytest.mark.parametrize("kind, data, wanted", [
    ("level", {"id": "ma-1", "title": "MA I", "track": "clinical", "rank": 1, "summary": "S", "sumary": "x"},
     "Additional properties"),
    ("level", {"id": "MA 1", "title": "MA I", "track": "clinical", "rank": 1, "summary": "S"}, "does not match"),
    ("level", {"id": "ma-1", "title": "MA I", "track": "clinical", "rank": 0, "summary": "S"}, "less than the minimum"),
    ("level", {"id": "ma-1", "title": "MA I", "track": "clinical", "rank": 1, "summary": "S",
               "competencies": {"Vital Signs": "novice"}}, "does not match any of the regexes"),
    ("level", {"id": "ma-1", "title": "MA I", "track": "clinical", "rank": 1}, "'summary' is a required property"),
    ("tracks", [{"id": "clinical", "name": "Clinical", "kind": "Clinic ward"}], "does not match"),
    ("tracks", {"id": "clinical", "name": "Clinical"}, "is not of type 'array'"),
    ("framework", {"title": "T", "organisation": "O", "version": 1.0, "effective": "2026-01-01",
                   "stages": [], "scales": [], "domains": []}, "is not of type 'string'"),
    ("changelog", [{"version": "1", "date": "2026-02-30"}], "is not a 'date'"),
    ("form", {"id": "f", "title": "F", "type": "annual-evaluation", "sections": [{"kind": "narative"}]}, "is not valid"),
    ("form", {"id": "f", "title": "F", "type": "annual-evaluation", "sections": [{"kind": "narrative"}]}, "is not valid"),
])
def test_schemas_reject_what_check_rejects(kind, data, wanted):
    found = errors(kind, data)
    assert any(wanted in e for e in found), f"expected an error containing {wanted!r}, got {found}"


def test_schema_command_writes_the_files(tmp_path):
    out = tmp_path / "editor-schemas"
    result = CliRunner().invoke(main, ["schema", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(all_schemas())
    assert f"Wrote {len(all_schemas())} schema files" in result.output
    for path in out.iterdir():
        Draft7Validator.check_schema(json.loads(path.read_text(encoding="utf-8")))


def test_schema_command_defaults_to_schema_in_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "schema" / "level.schema.json").is_file()
