"""Where each artefact lives in output/: the one place that knows the URL scheme.

URLs are stable (derived from ids only) and always relative, so the handbook
works from a web server and from file:// alike.
"""

from __future__ import annotations

import posixpath
from functools import lru_cache

HOME = "index.html"
MATRIX = "matrix.html"
COMPARE = "compare.html"
PLACE = "place.html"  # self-placement: pick a stage per competency, see the levels that fit
FORMS = "forms.html"  # every form and packet, by who fills it and when
SEARCH = "search.html"
TRAINING = "training.html"
CREDENTIALS = "credentials.html"
GLOSSARY = "glossary.html"
CHANGES = "changes.html"
EVALUATION = "evaluation.html"  # the evaluation model, rating bands and merit guide
NOT_FOUND = "404.html"
STATIC = "static"
COMPETENCIES = "competencies.html"  # the index of all competencies, by domain
SEARCH_INDEX = "search-index.js"  # the prebuilt lunr index, loaded with a plain <script>
DOWNLOADS = "downloads.html"  # job descriptions, interview guides, worksheets, the JSON API, past versions
API = "api/v1"  # the JSON API (api.py); its documents link to each other relative to themselves


def level(level_id: str) -> str:
    return f"levels/{level_id}.html"


def specialism(specialism_id: str) -> str:
    return f"specialisms/{specialism_id}.html"


def role(role_id: str) -> str:
    return f"roles/{role_id}.html"


def next_step(from_level: str, to_level: str) -> str:
    """What it takes to move along a path: what changes from one level to the other."""
    return f"next/{from_level}/{to_level}.html"


def competency(competency_id: str) -> str:
    return f"competencies/{competency_id}.html"


def page(page_id: str) -> str:
    return f"pages/{page_id}.html"


def track(track_id: str) -> str:
    return f"{HOME}#track-{track_id}"


def comparison(first_level: str, second_level: str) -> str:
    """The compare page showing two levels side by side (its script reads the query)."""
    return f"{COMPARE}?a={first_level}&b={second_level}"


def static(name: str) -> str:
    return f"{STATIC}/{name}"


def domain(domain_id: str) -> str:
    return f"{COMPETENCIES}#domain-{domain_id}"


def glossary_term(term_id: str) -> str:
    return f"{GLOSSARY}#term-{term_id}"


def training_item(training_id: str) -> str:
    return f"{TRAINING}#training-{training_id}"


def credential(credential_id: str) -> str:
    return f"{CREDENTIALS}#credential-{credential_id}"


def change(version: str) -> str:
    return f"{CHANGES}#version-{version_slug(version)}"


def version_slug(version: str) -> str:
    """An id-safe form of a version string ("2026.1" → "2026-1")."""
    return "".join(c if c.isalnum() else "-" for c in version).strip("-") or "version"


def form(form_id: str) -> str:
    """A form's entry on the forms page: what it is for, who fills it, its PDF for each level."""
    return f"{FORMS}#form-{form_id}"


def packet(packet_id: str) -> str:
    return f"{FORMS}#packet-{packet_id}"


def form_pdf(form_id: str, level_id: str) -> str:
    return f"forms/{form_id}--{level_id}.pdf"


def packet_pdf(packet_id: str, level_id: str) -> str:
    return f"packets/{packet_id}--{level_id}.pdf"


def worksheet(level_id: str) -> str:
    return f"worksheets/{level_id}.xlsx"


def worksheet_csv(level_id: str) -> str:
    return f"worksheets/{level_id}.csv"


def job(level_id: str) -> str:
    return f"jobs/{level_id}.html"


def job_pdf(level_id: str) -> str:
    return f"jobs/{level_id}.pdf"


def interview(level_id: str) -> str:
    return f"interviews/{level_id}.html"


def interview_pdf(level_id: str) -> str:
    return f"interviews/{level_id}.pdf"


def api(document: str) -> str:
    """An API document (`framework.json`, `levels/ma-2.json` …) from the output root."""
    return f"{API}/{document}"


def version_root(version: str) -> str:
    """The folder a past version is published in: `v/2025.1/` (characters unsafe in a path become "-")."""
    safe = "".join(c if c.isalnum() or c in "._-" else "-" for c in version).strip(".-") or "version"
    return f"v/{safe}/"


def relative(target: str, from_page: str) -> str:
    """`target` (a path from the output root, maybe with #fragment) as seen from `from_page`."""
    folder, _, name = from_page.rpartition("/")
    if not target or target.startswith("#"):  # this page itself
        return name + target
    return _relative_to_folder(target, folder)


@lru_cache(maxsize=65536)  # keyed by folder, not page: every page of a folder shares its links' answers
def _relative_to_folder(target: str, folder: str) -> str:
    path, _, fragment = target.partition("#")
    rel = posixpath.relpath(path, folder or ".")
    return f"{rel}#{fragment}" if fragment else rel


def is_asset(content_path: str) -> bool:
    """Images and attachments: anything in an `assets/` folder of content/ (see load.py)."""
    return "assets" in content_path.split("/")[:-1]


# Content files (as linked from Markdown, relative to content/) → output pages.
def for_content_file(content_path: str) -> str | None:
    """The output page for a content file path like `levels/ma-2.md`; None when it has no page."""
    if is_asset(content_path):
        return content_path  # images and attachments are copied to the same place in output/
    folder, _, name = content_path.rpartition("/")
    stem = name.rsplit(".", 1)[0]
    return {
        "levels": level, "competencies": competency, "pages": page, "specialisms": specialism, "roles": role,
        "forms": form, "packets": packet,
    }.get(folder, lambda _s: None)(stem) or {
        "training.yaml": TRAINING, "credentials.yaml": CREDENTIALS, "glossary.yaml": GLOSSARY,
        "changelog.yaml": CHANGES, "framework.yaml": HOME, "tracks.yaml": HOME,
    }.get(content_path)
