"""Nothing injected: script, event handlers, script links and template syntax in content come out as inert text.

One hostile project is made from the small fixture: every text field that reaches the handbook or
the PDFs (titles, summaries, Markdown bodies and their headings, KPI names, form instructions,
glossary terms, page titles, scale labels, values, anchors …) gets a payload that starts with a
marker naming the field. Markdown fields of YAML files also get `javascript:`/`data:`/`vbscript:`
links in every spelling. `check` refuses those links (`unsafe-link`, as in level and page bodies;
see test_hostile_input.py), so the project is built past `check` — as if a link had slipped through
— to test the renderer's own defence. The project is built once; then:

- every HTML page, parsed with a real HTML5 parser, has no <script> but the handbook's own
  external files and its JSON data blocks, no `on*` attribute, no script or data link, and the
  payload is visible literally after every marker;
- every page loaded in headless Chromium opens no dialog and logs no error (the Content Security
  Policy would log one for any inline script); search and compare run on the hostile text;
- the search index is one assignment of a JSON value that holds the literal text;
- the PDFs' text shows the payload literally (`{{ 7*7 }}`, never 49) and they have no
  JavaScript, no open action and no link to anything but http(s)/mailto.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject
from tinyhtml5 import parse

from ladderbuild.build import BuildOptions, build
from ladderbuild.forms import form_tasks
from ladderbuild.forms.pdf import render_all
from ladderbuild.load import load_content
from ladderbuild.project import Project, load_project
from ladderbuild.resolve import resolve
from ladderbuild.validate import validate

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "minimal"
XHTML = "{http://www.w3.org/1999/xhtml}"
PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(2)>{{ 7*7 }}{% if true %}yes{% endif %}"
LINKS = (" [js](javascript:alert(3)) [caps](JaVaScRiPt:alert(4)) [entity](&#106;avascript:alert(5))"
         " [data](data:text/html;base64,PHNjcmlwdD5hbGVydCg2KTwvc2NyaXB0Pg==) <javascript:alert(7)>"
         " ![img](javascript:alert(8)) [vb](vbscript:msgbox(9)) [tab](java\tscript:alert(10))")
TEXT_KEYS = {"title", "organisation", "summary", "name", "label", "description", "definition", "term", "numerator",
             "denominator", "target", "cycle", "instructions", "prompt", "text", "issuer", "abbreviation",
             "short_title", "role", "format"}
TEXT_LISTS = {"responsibilities", "evidence_examples", "critical_steps", "aliases", "options"}
MARKDOWN_KEYS = {"summary", "description", "definition", "instructions"}  # YAML keys rendered as Markdown
OWN_SCRIPTS = re.compile(r"^(\.\./)*(static/[a-z.-]+\.js|search-index\.js)$")
EXTRA_FORM = {
    "id": "hostile", "title": "Hostile form", "type": "promotion-readiness", "levels": ["assistant-2"],
    "instructions": "Form instructions.",
    "sections": [
        {"kind": "header", "fields": ["employee", "level"], "title": "Who", "instructions": "Section instructions."},
        {"kind": "kpis", "title": "Indicators"},
        {"kind": "narrative", "id": "notes", "title": "Notes", "prompt": "A prompt."},
        {"kind": "decision", "options": ["Approved", "Deferred"]},
        {"kind": "attestation", "text": "I attest."},
        {"kind": "signatures", "signers": ["employee", "manager"]},
    ],
}


def marker(tag: str) -> str:
    return f"[{tag}]"


def poison(data, tag: str, key: str | None = None):
    """`data` with the payload added to every text field, each marked with where it is."""
    if isinstance(data, dict):
        out = {}
        for k, v in data.items():
            if k == "anchors" and isinstance(v, dict):
                out[k] = {stage: poison_text(f"{tag}.anchors.{stage}", text, markdown=True) for stage, text in v.items()}
            elif k in TEXT_LISTS and isinstance(v, list):
                out[k] = [poison_text(f"{tag}.{k}.{i}", item) for i, item in enumerate(v)]
            elif k in TEXT_KEYS and isinstance(v, str):
                out[k] = poison_text(f"{tag}.{k}", v, markdown=k in MARKDOWN_KEYS)
            else:
                out[k] = poison(v, f"{tag}.{k}", k)
        return out
    if isinstance(data, list):
        return [poison(item, f"{tag}.{i}") for i, item in enumerate(data)]
    return data


def poison_text(tag: str, text: str, markdown: bool = False) -> str:
    return f"{text} {marker(tag)}{PAYLOAD}" + (LINKS if markdown else "")


def make_hostile_project(root: Path) -> tuple[Path, list[str]]:
    project = root / "hostile"
    shutil.copytree(FIXTURE, project)
    content = project / "content"
    (content / "forms/hostile.yaml").write_text(yaml.safe_dump(EXTRA_FORM))
    tags: list[str] = []
    for path in sorted(content.rglob("*")):
        if path.suffix == ".yaml":
            data = poison(yaml.safe_load(path.read_text()), path.stem)
            path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
        elif path.suffix == ".md":
            _, front, body = path.read_text().split("---\n", 2)
            data = poison(yaml.safe_load(front), path.stem)
            body_tag = f"{path.stem}.body"
            heading_tag = f"{path.stem}.heading"
            body += (f"\n## {marker(heading_tag)}{PAYLOAD}\n\n{marker(body_tag)}{PAYLOAD}\n\n"
                     f"<iframe src=x></iframe> <a href=\"javascript:alert(11)\">raw link</a>\n")
            path.write_text("---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n" + body)
            tags += [body_tag, heading_tag]
        else:
            continue
        tags += re.findall(r"\[([a-z0-9-]+\.[^\]\s]+)\]<script>", path.read_text())
    return project, sorted(set(tags))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The hostile project built: the handbook, and for one level the packet (which binds the annual and
    self forms) and the hostile form (every other kind of section)."""
    root = tmp_path_factory.mktemp("hostile")
    project, tags = make_hostile_project(root)
    checked = load_project(project)
    assert {(d.code, d.message.endswith("`)")) for d in checked.errors} == {("unsafe-link", True)}, \
        "\n".join(d.format() for d in checked.errors)  # only the script links, each naming its key
    loaded = Project(checked.root, checked.content_dir, resolve(validate(load_content(checked.content_dir))))
    site = root / "site"
    build(loaded, site, BuildOptions(pdf=False))
    pdf_dir = root / "pdf"
    tasks = [t for t in form_tasks(loaded.framework, pdf_dir)
             if t.path.stem in ("annual-review--assistant-2", "hostile--assistant-2")]
    render_all(tasks, jobs=1)  # in this process: no pool to start for four PDFs
    return {"site": site, "pdfs": sorted(pdf_dir.rglob("*.pdf")), "tags": tags,
            "framework_title": loaded.framework.meta.title}


def pdf_text(hostile: dict, path: Path) -> str:
    """The text of a PDF, extracted once (it is the slow part) and shared by the tests: the body of every
    page, then every page's running header and footer, so that a paragraph a page break splits (a long
    payload wraps onto the next page) reads on. The margins are drawn last on a page: they start at the
    page's last running header, which begins with the framework's title."""
    cache = hostile.setdefault("pdf_text", {})
    if path not in cache:
        header = hostile["framework_title"].split("<", 1)[0]  # "Example Clinic Career Ladder [framework.title]"
        bodies, margins = [], []
        for page in PdfReader(path).pages:
            text = page.extract_text()
            cut = text.rfind(header)
            bodies.append(text[:cut] if cut >= 0 else text)
            margins.append(text[cut:] if cut >= 0 else "")
        cache[path] = "\n".join(bodies + margins)
    return cache[path]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def visible_text(root) -> str:
    body = root.find(f"{XHTML}body")
    parts = []

    def walk(node):
        if node.tag in (f"{XHTML}script", f"{XHTML}style", f"{XHTML}template"):
            return
        parts.append(node.text or "")
        for child in node:
            walk(child)
            parts.append(child.tail or "")

    walk(body)
    return "".join(parts)


def assert_markers_show_the_payload(text: str, where: str) -> set[str]:
    """Every marker in `text` is followed by the payload, literally (or by its start and `…` where a
    long title is shortened, as in the ladder diagram); returns the tags seen."""
    flat, payload = squash(text), squash(PAYLOAD)
    seen = set()
    for match in re.finditer(r"\[([a-z0-9-]+\.[^\]]+?)\]", flat):
        following = flat[match.end():match.end() + len(payload) + 1]
        if not following.startswith("<script>"):  # a Markdown link label such as [js], not a marker
            continue
        same = next((i for i, (a, b) in enumerate(zip(following, payload)) if a != b), len(payload))
        shortened = same < len(payload) and following[same] == "…"
        assert same == len(payload) or shortened, f"{where}: [{match.group(1)}] is followed by {following!r}"
        seen.add(match.group(1))
    return seen


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_html_has_no_injected_script_handler_or_link(hostile):
    seen: set[str] = set()
    for path in html_pages(hostile["site"]):
        where = path.relative_to(hostile["site"]).as_posix()
        root = parse(path.read_text(encoding="utf-8"))
        for element in root.iter():
            tag = element.tag.replace(XHTML, "") if isinstance(element.tag, str) else ""
            assert tag not in ("iframe", "object", "embed", "base", "frame"), f"{where}: <{tag}>"
            for name, value in element.attrib.items():
                name = name.rsplit("}", 1)[-1].lower()
                assert not name.startswith("on"), f"{where}: <{tag} {name}={value!r}>"
                if name in ("href", "src", "action", "formaction", "xlink:href", "poster", "data"):
                    scheme = re.sub(r"[\x00-\x20]", "", value).lower().split(":", 1)[0]
                    assert scheme not in ("javascript", "vbscript", "data", "file"), f"{where}: {name}={value!r}"
            if tag == "script":
                if element.get("type") == "application/json":
                    json.loads(element.text)  # data, not code, and it stays inside its element
                else:
                    assert OWN_SCRIPTS.match(element.get("src", "")) and not (element.text or "").strip(), \
                        f"{where}: a script that is not the handbook's own: {element.attrib} {element.text!r}"
            if tag == "meta" and (element.get("http-equiv") or "").lower() == "content-security-policy":
                policy = element.get("content")
                assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        text = visible_text(root)
        assert "<script>alert(1)</script>" in text, f"{where}: the payload is not shown as text"
        seen |= assert_markers_show_the_payload(text, where)
    # The kinds of field the issue names all reached the handbook, and were shown inert.
    for tag in ("framework.title", "framework.summary", "assistant-2.body", "promotion.heading", "promotion.title",
                "assistant-1.kpis.0.name", "glossary.0.term", "glossary.0.definition",
                "framework.stages.0.label", "scheduling.anchors.expert", "tracks.0.name", "training.0.title", "credentials.0.name",
                "changelog.0.summary", "assistant-1.responsibilities.0", "vital-signs.critical_steps.0"):
        assert tag in seen, f"the field {tag} was not shown in the handbook"


def test_heading_anchors_are_slugs(hostile):
    page = (hostile["site"] / "pages/promotion.html").read_text(encoding="utf-8")
    ids = re.findall(r'<h[2-4][^>]* id="([^"]*)"', page)
    assert ids and all(re.fullmatch(r"[\w-]+", i) for i in ids), ids


def test_search_index_is_plain_data_with_the_literal_text(hostile):
    script = (hostile["site"] / "search-index.js").read_text(encoding="utf-8")
    assert "</script" not in script.lower() and "\u2028" not in script and "\u2029" not in script
    head, _, rest = script.partition("window.LADDERBUILD_SEARCH = ")
    assert head.startswith("//") and head.count("\n") == 1 and rest.endswith(";\n")
    data = json.loads(rest[:-2])  # exactly one JSON value, nothing after it
    titles = [doc["title"] for doc in data["docs"].values()]
    assert any(f"{marker('framework.title')}<script>alert(1)</script>" in t for t in titles) or any(
        "<script>alert(1)</script>" in t for t in titles)


def test_pages_run_no_injected_script_in_chromium(hostile, browser):
    site = hostile["site"]
    context = browser.new_context()
    tab = context.new_page()
    dialogs, errors = [], []
    tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    base = site.resolve().as_uri() + "/"
    try:
        for path in html_pages(site):
            tab.goto(base + path.relative_to(site).as_posix())
            # The protocol of every link as the browser resolves it (SVG links included).
            protocols = tab.eval_on_selector_all("[href], [src], [action]", """els => els.map(e => {
                const v = e.getAttribute('href') ?? e.getAttribute('src') ?? e.getAttribute('action');
                try { return new URL(v, document.baseURI).protocol; } catch (x) { return 'unparsable:' + v; }
            })""")
            bad = [p for p in protocols if p not in ("file:", "http:", "https:", "mailto:", "tel:")]
            assert bad == [], f"{path.name}: {bad}"
        # Search and compare put hostile text on the page with script: still inert.
        tab.goto(base + "search.html?q=vital")
        tab.wait_for_selector("#search-results li a")
        assert any("<script>alert(1)</script>" in t for t in tab.locator("#search-results li").all_inner_texts())
        tab.goto(base + "search.html?q=%3Cimg%20src%3Dx%20onerror%3Dalert(12)%3E")
        tab.wait_for_selector("#search-status")
        tab.goto(base + "compare.html?a=assistant-1&b=lead")
        tab.wait_for_selector("table.compare-table tr")
        assert "<script>alert(1)</script>" in tab.locator("table.compare-table").inner_text()
    finally:
        context.close()
    assert dialogs == [], f"injected script ran: {dialogs}"
    assert errors == [], errors


def _actions(pdf: PdfReader):
    """Every action dictionary reachable from the pages' annotations, and the catalogue's own."""
    root = pdf.trailer["/Root"]
    assert "/OpenAction" not in root and "/AA" not in root
    assert "/JavaScript" not in (root.get("/Names") or {})
    for page in pdf.pages:
        assert "/AA" not in page
        for annot in page.get("/Annots") or []:
            annot = annot.get_object() if isinstance(annot, IndirectObject) else annot
            for key in ("/A", "/AA"):
                action = annot.get(key)
                if isinstance(action, (DictionaryObject, IndirectObject)):
                    yield key, action.get_object()


def test_pdfs_show_the_payload_as_text_and_hold_no_script(hostile):
    assert [p.name for p in hostile["pdfs"]] == ["hostile--assistant-2.pdf", "annual-review--assistant-2.pdf"]
    seen: set[str] = set()
    for path in hostile["pdfs"]:
        pdf = PdfReader(path)
        text = pdf_text(hostile, path)
        assert "{{ 7*7 }}" in text and "<script>alert(1)</script>" in squash(text), path.name
        assert "49" not in text, f"{path.name}: template syntax was evaluated"
        seen |= assert_markers_show_the_payload(text, path.name)
        for key, action in _actions(pdf):
            assert key == "/A" and action.get("/S") in ("/URI", "/GoTo", None), f"{path.name}: {action}"
            uri = str(action.get("/URI", ""))
            assert not uri or uri.split(":", 1)[0].lower() in ("http", "https", "mailto", "tel"), uri
    for tag in ("hostile.instructions", "hostile.sections.4.text", "hostile.sections.2.prompt",
                "hostile.sections.3.options.0", "annual-review.title", "assistant-1.kpis.0.name",
                "framework.scales.0.points.0.label", "vital-signs.anchors.competent", "framework.values.0.name"):
        assert tag in seen, f"the field {tag} was not printed in the PDFs"


def test_every_poisoned_field_was_checked_somewhere(hostile):
    """Each field given a payload reached the handbook or a PDF, where it was shown inert: the tests
    above looked at all of them."""
    seen = set()
    for path in html_pages(hostile["site"]):
        seen |= assert_markers_show_the_payload(visible_text(parse(path.read_text(encoding="utf-8"))), path.name)
    for path in hostile["pdfs"]:
        seen |= assert_markers_show_the_payload(pdf_text(hostile, path), path.name)
    assert len(hostile["tags"]) > 60
    unseen = set(hostile["tags"]) - seen
    assert unseen == set(), sorted(unseen)
