"""Search index built ahead or in the reader's browser: which gives the first result sooner?

The handbook's search index is built at build time (lunr.py) and loaded as a
plain script. The alternative ships only the text and lets lunr.js index it
in the browser. Both need the text (results show the passage that matches).
This measures, in headless Chromium from file://, the time from the scripts
starting to load to the first result of a query — a fresh page each time,
median of several runs — for both, on the shipped MA framework and on a
synthetic one, and the build-time cost of the prebuilt index.

    .venv/bin/python bench/search_index.py [--size 10x10x100] [--runs 9]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(BENCH))

import synth  # noqa: E402

from ladderbuild.build import BuildOptions, build  # noqa: E402
from ladderbuild.project import load_project  # noqa: E402
from ladderbuild.site import search  # noqa: E402
from ladderbuild.site.htmlscan import read_page  # noqa: E402
from ladderbuild.site.pages import NOT_INDEXED, synonym_groups  # noqa: E402

QUERY = "blood pressure"
PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<script src="start.js"></script><script src="lunr.min.js"></script><script src="{data}"></script>
<script src="{run}"></script></body></html>"""
START = "window.T0 = performance.now();"
PREBUILT = ("var index = lunr.Index.load(window.DATA.index);"
            "var hits = index.search(%s); window.DONE = [performance.now() - T0, hits.length];")
# The same fields, boosts and text as the prebuilt index (CJK text as bigrams, as search.py does).
IN_BROWSER = """
var CJK = /[\\u2e80-\\u2fff\\u3040-\\u9fff\\uf900-\\ufaff\\uac00-\\ud7af]+/g;
function pairs(run) { if (run.length === 1) return " " + run + " "; var o = [];
  for (var i = 0; i + 1 < run.length; i++) o.push(run.substr(i, 2)); return " " + o.join(" ") + " "; }
function prep(text) { return text.replace(CJK, pairs); }
var index = lunr(function () {
  this.ref("ref"); this.field("title", {boost: 10}); this.field("headings", {boost: 4}); this.field("body");
  var builder = this;
  window.DATA.docs.forEach(function (d) {
    builder.add({ref: d.ref, title: prep(d.title), headings: prep(d.headings), body: prep(d.text)});
  });
});
var hits = index.search(%s); window.DONE = [performance.now() - T0, hits.length];"""


def documents(site: Path) -> list[search.Document]:
    return [doc for page in sorted(site.rglob("*.html")) if page.relative_to(site).as_posix() not in NOT_INDEXED
            for doc in read_page(page.read_text(encoding="utf-8"), page.relative_to(site).as_posix()).documents]


def measure(site: Path, fw, work: Path, runs: int, browser) -> dict:
    docs = documents(site)
    started = time.perf_counter()
    data = search.build_index(docs, synonym_groups(fw))
    build_seconds = time.perf_counter() - started
    work.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "templates/site/static/lunr.min.js", work / "lunr.min.js")
    (work / "start.js").write_text(START)
    (work / "prebuilt-data.js").write_text("window.DATA = " + json.dumps(data, ensure_ascii=False) + ";",
                                           encoding="utf-8")
    (work / "prebuilt-run.js").write_text(PREBUILT % json.dumps(QUERY))
    texts = {"docs": [{"ref": d.ref, "title": d.title, "kind": d.kind, "headings": " ".join(d.headings),
                       "text": search.body_text(d.text, d.title)} for d in docs], "synonyms": data["synonyms"]}
    (work / "browser-data.js").write_text("window.DATA = " + json.dumps(texts, ensure_ascii=False) + ";",
                                          encoding="utf-8")
    (work / "browser-run.js").write_text(IN_BROWSER % json.dumps(QUERY))
    for kind in ("prebuilt", "browser"):
        (work / f"{kind}.html").write_text(PAGE.format(data=f"{kind}-data.js", run=f"{kind}-run.js"))
    times: dict[str, list[float]] = {"prebuilt": [], "browser": []}
    hits = {}
    for _ in range(runs):
        for kind in times:  # alternate, so a change in the machine's load hurts neither
            tab = browser.new_page()
            tab.goto((work / f"{kind}.html").as_uri())
            tab.wait_for_function("() => window.DONE")
            ms, hits[kind] = tab.evaluate("window.DONE")
            times[kind].append(ms)
            tab.close()
    assert hits["prebuilt"] == hits["browser"] > 0, hits
    return {"docs": len(docs), "build_ms": build_seconds * 1000,
            "prebuilt_kb": (work / "prebuilt-data.js").stat().st_size / 1024,
            "browser_kb": (work / "browser-data.js").stat().st_size / 1024,
            "prebuilt_ms": statistics.median(times["prebuilt"]), "browser_ms": statistics.median(times["browser"])}


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", default="10x10x100", help="synthetic case, TRACKSxLEVELSxCOMPETENCIES")
    parser.add_argument("--runs", type=int, default=9, help="page loads per measurement (the median is reported)")
    args = parser.parse_args()
    tracks, levels, competencies = (int(n) for n in args.size.split("x"))
    with tempfile.TemporaryDirectory(prefix="ladderbuild-search-bench-") as tmp, sync_playwright() as pw:
        root = Path(tmp)
        cases = {"MA content": REPO,
                 f"synthetic {args.size}": synth.generate(root / "synthetic", tracks, levels, competencies)}
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        rows = []
        for name, project in cases.items():
            loaded = load_project(project)
            site = root / "sites" / name.replace(" ", "-")
            build(loaded, site, BuildOptions(pdf=False, cache=False))
            result = measure(site, loaded.framework, root / "work" / name.replace(" ", "-"), args.runs, browser)
            rows.append((name, result))
            print(f"{name}: {result}", flush=True)
        browser.close()
    print("\n| case | documents | index built ahead: build time | file | first result | built in the browser: file |"
          " first result | in the browser / ahead |")
    print("|---|---|---|---|---|---|---|---|")
    for name, r in rows:
        print(f"| {name} | {r['docs']} | {r['build_ms']:.0f} ms | {r['prebuilt_kb']:.0f} KiB | {r['prebuilt_ms']:.0f} ms"
              f" | {r['browser_kb']:.0f} KiB | {r['browser_ms']:.0f} ms | {r['browser_ms'] / r['prebuilt_ms']:.1f}× |")


if __name__ == "__main__":
    main()
