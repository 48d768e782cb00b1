"""The JSON API: the framework as versioned JSON documents under output/api/v1/, each with a JSON Schema.

Documents (paths from api/v1/):

- `framework.json` — start here: the framework (framework.yaml as resolved),
  its catalogues and pages, and a reference to every other document;
- `levels/<id>.json` — a level after inheritance, with its expectations
  resolved (stage labels, anchors) and links to its handbook page, PDFs,
  job description, interview guide and worksheet;
- `competencies/<id>.json` — a competency with its anchors and the levels
  that expect it;
- `tracks.json` — the tracks with their levels in order, and every path;
- `forms.json` — the forms and packets, with the PDF of each per level;
- `schemas/<kind>.schema.json` — a JSON Schema (draft 2020-12) for each.

Each document type is a pydantic model that *extends* the content model it
publishes (a `LevelDocument` is a `Level` plus links), so the documents and
their schemas come from the typed model: a field added to the content format
appears in both with no change here. Every link is relative to the document
it is in, so the API reads the same from a folder and from a web server.

The compatibility promise (docs/api.md): within v1, fields and document paths
are added, never renamed or removed; a field's type never changes; ids are the
content's ids. The published schemas therefore allow properties they do not
list (a consumer holding an older schema still accepts newer documents);
tests/test_api.py checks the documents against the closed form too, and that
no field listed in tests/fixtures/api-v1-fields.txt has disappeared.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema

from . import urls
from .hiring import has_interview
from .model import ChangelogEntry, Competency, Credential, FormFile, FrameworkFile, LevelPath, PacketFile, Track, Training
from .resolve import Framework, Glossary, Level, Page
from .write import write_text

VERSION = "v1"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


class Document(BaseModel):
    """What every API document carries first: its schema, the API version, its kind."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)
    schema_: str = Field(alias="$schema", description="The JSON Schema of this document, relative to it.")
    api_version: Literal["v1"] = Field(description="The API version; documents change only by addition within it.")
    kind: str


class Ref(BaseModel):
    """A pointer to another document (`href`, relative to this one) and what it is called."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str
    title: str
    href: str


class PdfLink(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str = Field(description="The form's or packet's id, or the level's id in a list of PDFs by level.")
    title: str
    pdf: str | None = Field(description="The PDF, relative to this document; null when the build made no PDFs.")


# --------------------------------------------------------------------------- the documents


class FrameworkLinks(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    handbook: str
    tracks: str
    forms: str


class PageDocument(Page):
    """A free page of the handbook, its Markdown body as written."""

    body_line: SkipJsonSchema[int] = Field(default=1, exclude=True)
    href: str = Field(description="Its page in the handbook.")


class FrameworkDocument(Document, FrameworkFile):
    kind: Literal["framework"]
    links: FrameworkLinks
    levels: list[Ref]
    competencies: list[Ref]
    credentials: list[Credential]
    training: list[Training]
    glossary: list[Glossary]
    changelog: list[ChangelogEntry]
    pages: list[PageDocument]


class Expectation(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    competency: str
    competency_name: str
    domain: str
    stage: str
    stage_label: str
    anchor: str = Field(description="What the competency looks like at the expected stage.")
    href: str = Field(description="The competency's document.")


class LevelLinks(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    handbook: str
    job_description: str
    job_description_pdf: str | None
    interview_guide: str | None = Field(description="Null when no expected competency has interview questions.")
    interview_guide_pdf: str | None
    worksheet: str = Field(description="The XLSX worksheet.")
    worksheet_csv: str


class LevelDocument(Document, Level):
    kind: Literal["level"]
    body_line: SkipJsonSchema[int] = Field(default=1, exclude=True)
    expectations: list[Expectation] = Field(description="Every competency the level expects, inherited ones included.")
    level_below: str | None = Field(description="The level it builds on (its `inherits`, else the rank below).")
    paths_in: list[LevelPath] = Field(description="The paths from other levels into this one; `to` is this level.")
    sources_of_paths_in: list[str] = Field(description="The level each of `paths_in` starts from, in the same order.")
    forms: list[PdfLink]
    packets: list[PdfLink]
    links: LevelLinks


class LevelExpecting(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    level: str
    stage: str
    href: str


class CompetencyDocument(Document, Competency):
    kind: Literal["competency"]
    expected_at: list[LevelExpecting]
    handbook: str


class TrackDocument(Track):
    levels: list[Ref] = Field(description="Its levels, by rank.")


class PathDocument(LevelPath):
    from_: str = Field(alias="from")


class TracksDocument(Document):
    kind: Literal["tracks"]
    tracks: list[TrackDocument]
    paths: list[PathDocument]


class FormDocument(FormFile):
    pdfs: list[PdfLink] = Field(description="The form for each level it applies to (`id` is the level's).")


class PacketDocument(PacketFile):
    pdfs: list[PdfLink] = Field(description="The packet for each level it applies to (`id` is the level's).")


class FormsDocument(Document):
    kind: Literal["forms"]
    forms: list[FormDocument]
    packets: list[PacketDocument]


DOCUMENTS: dict[str, type[Document]] = {
    "framework": FrameworkDocument, "level": LevelDocument, "competency": CompetencyDocument,
    "tracks": TracksDocument, "forms": FormsDocument,
}


# --------------------------------------------------------------------------- paths and links


def schema_path(kind: str) -> str:
    return urls.api(f"schemas/{kind}.schema.json")


def level_doc(level_id: str) -> str:
    return urls.api(f"levels/{level_id}.json")


def competency_doc(competency_id: str) -> str:
    return urls.api(f"competencies/{competency_id}.json")


FRAMEWORK, TRACKS, FORMS = urls.api("framework.json"), urls.api("tracks.json"), urls.api("forms.json")


class _Linker:
    """Links from one document: every target is a path from the output root."""

    def __init__(self, document: str, pdfs: set[str]):
        self.document, self.pdfs = document, pdfs

    def __call__(self, target: str) -> str:
        return urls.relative(target, self.document)

    def pdf(self, target: str) -> str | None:
        return self(target) if target in self.pdfs else None

    def head(self, kind: str) -> dict:
        return {"$schema": self(schema_path(kind)), "api_version": VERSION, "kind": kind}


def _content(model: BaseModel, *exclude: str) -> dict:
    return model.model_dump(exclude=set(exclude))


# --------------------------------------------------------------------------- building the documents


def framework_document(fw: Framework, pdfs: set[str]) -> FrameworkDocument:
    link = _Linker(FRAMEWORK, pdfs)
    return FrameworkDocument(
        **link.head("framework"), **_content(fw.meta),
        links=FrameworkLinks(handbook=link(urls.HOME), tracks=link(TRACKS), forms=link(FORMS)),
        levels=[Ref(id=lvl.id, title=lvl.title, href=link(level_doc(lvl.id))) for lvl in fw.all_levels],
        competencies=[Ref(id=c.id, title=c.name, href=link(competency_doc(c.id))) for c in fw.competencies],
        credentials=list(fw.credentials), training=list(fw.training), glossary=list(fw.glossary),
        changelog=list(fw.changelog),
        pages=[PageDocument(**_content(p), href=link(urls.page(p.id))) for p in fw.pages],
    )


def level_document(fw: Framework, level: Level, pdfs: set[str]) -> LevelDocument:
    link = _Linker(level_doc(level.id), pdfs)
    below = fw.level_below(level)
    interview = has_interview(fw, level)
    into = fw.paths_into(level)
    return LevelDocument(
        **link.head("level"), **_content(level, "body_line"),
        expectations=[Expectation(competency=e.competency.id, competency_name=e.competency.name,
                                  domain=e.competency.domain, stage=e.stage.id, stage_label=e.stage.label,
                                  anchor=e.competency.anchors.get(e.stage.id, ""),
                                  href=link(competency_doc(e.competency.id))) for e in fw.expectations(level)],
        level_below=below.id if below else None,
        paths_in=[path for _source, path in into], sources_of_paths_in=[source.id for source, _path in into],
        forms=[PdfLink(id=f.id, title=f.title, pdf=link.pdf(urls.form_pdf(f.id, level.id))) for f in fw.forms_for(level)],
        packets=[PdfLink(id=p.id, title=p.title, pdf=link.pdf(urls.packet_pdf(p.id, level.id)))
                 for p in fw.packets_for(level)],
        links=LevelLinks(handbook=link(urls.level(level.id)), job_description=link(urls.job(level.id)),
                         job_description_pdf=link.pdf(urls.job_pdf(level.id)),
                         interview_guide=link(urls.interview(level.id)) if interview else None,
                         interview_guide_pdf=link.pdf(urls.interview_pdf(level.id)) if interview else None,
                         worksheet=link(urls.worksheet(level.id)), worksheet_csv=link(urls.worksheet_csv(level.id))),
    )


def competency_document(fw: Framework, competency: Competency, pdfs: set[str]) -> CompetencyDocument:
    link = _Linker(competency_doc(competency.id), pdfs)
    return CompetencyDocument(
        **link.head("competency"), **_content(competency),
        expected_at=[LevelExpecting(level=lvl.id, stage=stage.id, href=link(level_doc(lvl.id)))
                     for lvl, stage in fw.levels_expecting(competency)],
        handbook=link(urls.competency(competency.id)),
    )


def tracks_document(fw: Framework, pdfs: set[str]) -> TracksDocument:
    link = _Linker(TRACKS, pdfs)
    return TracksDocument(
        **link.head("tracks"),
        tracks=[TrackDocument(**_content(t), levels=[Ref(id=lvl.id, title=lvl.title, href=link(level_doc(lvl.id)))
                                                     for lvl in fw.levels_in_track(t.id)]) for t in fw.tracks],
        paths=[PathDocument(**_content(p), **{"from": lvl.id}) for lvl in fw.levels for p in lvl.paths],
    )


def forms_document(fw: Framework, pdfs: set[str]) -> FormsDocument:
    link = _Linker(FORMS, pdfs)

    def per_level(item, applies, pdf_path) -> list[PdfLink]:
        return [PdfLink(id=lvl.id, title=lvl.title, pdf=link.pdf(pdf_path(item.id, lvl.id)))
                for lvl in fw.all_levels if item in applies(lvl)]

    return FormsDocument(
        **link.head("forms"),
        forms=[FormDocument(**_content(f), pdfs=per_level(f, fw.forms_for, urls.form_pdf)) for f in fw.forms],
        packets=[PacketDocument(**_content(p), pdfs=per_level(p, fw.packets_for, urls.packet_pdf)) for p in fw.packets],
    )


def documents(fw: Framework, pdfs: set[str]) -> dict[str, Document]:
    """Every document of the API, by its path from the output root, in a stable order."""
    out: dict[str, Document] = {FRAMEWORK: framework_document(fw, pdfs), TRACKS: tracks_document(fw, pdfs),
                                FORMS: forms_document(fw, pdfs)}
    out.update({level_doc(lvl.id): level_document(fw, lvl, pdfs) for lvl in fw.all_levels})
    out.update({competency_doc(c.id): competency_document(fw, c, pdfs) for c in fw.competencies})
    return out


# --------------------------------------------------------------------------- schemas


def schema_for(kind: str) -> dict[str, Any]:
    """The published JSON Schema of one kind of document: pydantic's, open to properties added later."""
    model = DOCUMENTS[kind]
    schema = model.model_json_schema(mode="serialization", by_alias=True)
    schema = {"$schema": DIALECT, "$id": f"{kind}.schema.json",
              "title": f"ladderbuild API {VERSION}: {kind}", **{k: v for k, v in schema.items() if k != "title"}}
    _open(schema)
    return schema


def _open(node: Any) -> None:
    """Drop `additionalProperties: false`: within v1 documents gain fields, and old schemas must accept them."""
    if isinstance(node, dict):
        if node.get("additionalProperties") is False:
            del node["additionalProperties"]
        for value in node.values():
            _open(value)
    elif isinstance(node, list):
        for value in node:
            _open(value)


HEAD = ("$schema", "api_version", "kind")


def render(data: Any) -> str:
    if isinstance(data, dict):  # the head first, whatever order the base models give the fields
        data = {**{key: data[key] for key in HEAD if key in data}, **data}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_api(fw: Framework, root: Path, pdfs: set[str]) -> list[str]:
    """Write every document and schema under `root`; the paths written, from `root`."""
    written = []
    for path, document in documents(fw, pdfs).items():
        write_text(root, path, render(document.model_dump(mode="json", by_alias=True)))
        written.append(path)
    for kind in DOCUMENTS:
        write_text(root, schema_path(kind), render(schema_for(kind)))
        written.append(schema_path(kind))
    return written
