"""The JSON API under output/api/v1/: every document valid against its schema (as published, and closed
so that no field goes undescribed), links that resolve from a folder and from a web server, ids stable,
and the compatibility promise: no field of v1 ever disappears."""

from __future__ import annotations

import json
import posixpath
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import FIXTURES
from jsonschema import Draft202012Validator, FormatChecker

from ladderbuild import api
from ladderbuild.project import load_project

FIELDS = FIXTURES / "api-v1-fields.txt"  # every field path of v1; fields may be added, never removed


def documents(root: Path) -> dict[str, dict]:
    base = root / "api" / "v1"
    return {p.relative_to(base).as_posix(): json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(base.rglob("*.json")) if "schemas" not in p.parts}


def schema_of(root: Path, path: str, document: dict) -> dict:
    schema_file = posixpath.normpath(posixpath.join(posixpath.dirname(path), document["$schema"]))
    return json.loads((root / "api" / "v1" / schema_file).read_text(encoding="utf-8"))


def closed(node):
    """The schema with every object closed: a document property the schema does not list fails."""
    if isinstance(node, dict):
        node = {key: closed(value) for key, value in node.items()}
        if "properties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        return node
    if isinstance(node, list):
        return [closed(value) for value in node]
    return node


@pytest.mark.parametrize("name", ["minimal", "content", "zh"])
def test_every_document_is_valid_against_its_schema(sites, name):
    root = sites[name]
    found = documents(root)
    fw = load_project({"minimal": FIXTURES / "minimal", "content": Path(__file__).parents[1],
                       "zh": Path(__file__).parents[1] / "examples/health-manager-zh"}[name]).framework
    assert set(found) == {"framework.json", "tracks.json", "forms.json"} | {
        f"levels/{lvl.id}.json" for lvl in fw.all_levels} | {f"competencies/{c.id}.json" for c in fw.competencies}
    for path, document in found.items():
        schema = schema_of(root, path, document)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        Draft202012Validator.check_schema(schema)
        for variant in (schema, closed(schema)):
            errors = sorted(Draft202012Validator(variant, format_checker=FormatChecker()).iter_errors(document),
                            key=str)
            assert not errors, f"{path}: " + "; ".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
        assert document["api_version"] == "v1" and document["kind"] in api.DOCUMENTS


def test_a_level_is_resolved_and_links_everything_it_offers(sites):
    root = sites["content"]
    fw = load_project(Path(__file__).parents[1]).framework
    doc = documents(root)["levels/ma-2.json"]
    level = fw.level("ma-2")
    assert doc["id"] == "ma-2" and doc["title"] == level.title and doc["inherits"] == "ma-1"
    # inherited expectations are included: MA II states only what changes from MA I
    assert doc["competencies"] == level.competencies
    assert "vital-signs" in doc["competencies"]
    vitals = next(e for e in doc["expectations"] if e["competency"] == "vital-signs")
    assert vitals["stage"] == "competent" and vitals["anchor"] == fw.competency("vital-signs").anchors["competent"]
    assert vitals["href"] == "../competencies/vital-signs.json"
    assert doc["level_below"] == "ma-1"
    assert doc["links"]["handbook"] == "../../../levels/ma-2.html"
    assert doc["links"]["worksheet"] == "../../../worksheets/ma-2.xlsx"
    assert doc["links"]["interview_guide"] == "../../../interviews/ma-2.html"
    assert doc["links"]["job_description_pdf"] is None  # an HTML-only build made no PDFs
    assert [f["id"] for f in doc["forms"]] == [f.id for f in fw.forms_for(level)]
    assert all(f["pdf"] is None for f in doc["forms"])
    assert "body_line" not in doc  # where the body starts in its file is no business of a consumer


def test_pdf_links_point_at_the_pdfs_of_the_build(tmp_path):
    fw = load_project(FIXTURES / "minimal").framework
    pdfs = {"forms/annual--assistant-1.pdf", "jobs/assistant-1.pdf"}
    written = api.write_api(fw, tmp_path, pdfs)
    assert "api/v1/framework.json" in written and "api/v1/schemas/level.schema.json" in written
    doc = json.loads((tmp_path / "api/v1/levels/assistant-1.json").read_text(encoding="utf-8"))
    assert [f["pdf"] for f in doc["forms"]] == ["../../../forms/annual--assistant-1.pdf", None]
    assert doc["links"]["job_description_pdf"] == "../../../jobs/assistant-1.pdf"
    forms = json.loads((tmp_path / "api/v1/forms.json").read_text(encoding="utf-8"))
    annual = next(f for f in forms["forms"] if f["id"] == "annual")
    assert [(p["id"], p["pdf"]) for p in annual["pdfs"]][0] == ("assistant-1", "../../forms/annual--assistant-1.pdf")


@pytest.mark.parametrize("origin", ["file", "http"])
def test_following_the_links_from_framework_json_reaches_every_document(sites, site_server, origin):
    """A consumer starts at framework.json and follows hrefs, resolved against each document's own URL."""
    root = sites["minimal"]
    start = ((root / "api/v1/framework.json").resolve().as_uri() if origin == "file"
             else f"{site_server}/minimal/api/v1/framework.json")
    seen: dict[str, dict] = {}
    todo = [start]
    while todo:
        address = todo.pop()
        if address in seen:
            continue
        with urllib.request.urlopen(address) as response:  # noqa: S310 — file:// and 127.0.0.1 only
            seen[address] = document = json.loads(response.read().decode("utf-8"))
        for href in _hrefs(document):
            target = urllib.parse.urljoin(address, href)
            if target.endswith(".json"):
                todo.append(target)
            else:
                with urllib.request.urlopen(target) as response:  # noqa: S310 — the page or PDF exists
                    assert response.read(1) or target.endswith(".csv")
    kinds = sorted(d["kind"] for d in seen.values())
    assert kinds.count("level") == 3 and kinds.count("competency") == 2 and "tracks" in kinds and "forms" in kinds


def _hrefs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("href", "pdf", "handbook", "worksheet", "worksheet_csv", "job_description",
                       "interview_guide", "tracks", "forms") and isinstance(value, str):
                yield value
            else:
                yield from _hrefs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _hrefs(value)


def field_paths(schema: dict) -> set[str]:
    """Every property path a schema describes ("level.expectations[].stage" …), following $refs."""
    defs = schema.get("$defs", {})
    out: set[str] = set()

    def walk(node, path: str, depth: int = 0) -> None:
        if depth > 12 or not isinstance(node, dict):
            return
        if "$ref" in node:
            walk(defs[node["$ref"].rsplit("/", 1)[-1]], path, depth + 1)
        for key in ("anyOf", "oneOf", "allOf"):
            for option in node.get(key, []):
                walk(option, path, depth + 1)
        if "items" in node:
            walk(node["items"], path + "[]", depth + 1)
        for name, value in node.get("properties", {}).items():
            out.add(f"{path}.{name}")
            walk(value, f"{path}.{name}", depth + 1)

    walk(schema, schema["$id"].split(".")[0])
    return out


def test_no_field_of_v1_is_ever_removed_or_renamed():
    """The compatibility promise. A field listed in the fixture and missing now breaks every consumer
    of v1: put it back (or, for a breaking change, publish v2 beside v1). New fields pass; add them to
    the list with `python -c "from test_api import print_fields; print_fields()"` from tests/."""
    now = set().union(*(field_paths(api.schema_for(kind)) for kind in api.DOCUMENTS))
    promised = {line for line in FIELDS.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")}
    assert promised, "the fixture lists the fields of v1"
    missing = sorted(promised - now)
    assert not missing, f"fields of API v1 disappeared: {missing}"


def print_fields() -> None:
    for kind in api.DOCUMENTS:
        for path in sorted(field_paths(api.schema_for(kind))):
            print(path)


def test_the_same_content_gives_the_same_bytes(tmp_path):
    fw = load_project(FIXTURES / "minimal").framework
    api.write_api(fw, tmp_path / "a", set())
    api.write_api(fw, tmp_path / "b", set())
    first = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*.json")}
    second = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*.json")}
    assert first == second and len(first) > 10
