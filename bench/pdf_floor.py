"""The PDF stage's floor: bare WeasyPrint against ladderbuild's whole cost per PDF, on the same HTML.

    .venv/bin/python bench/pdf_floor.py [PROJECT] [--rounds 3] [--forms annual-evaluation,self-assessment]

For a few forms of one level, in one warm process, alternately (so a change in the machine's load hurts
neither side):

- **floor**: WeasyPrint alone on the HTML ladderbuild made — `HTML(string=…).write_pdf(...)` with the
  same options (fields, PDF/UA-1 tagging, metadata) and a kept `FontConfiguration`, nothing else;
- **ladderbuild**: what a PDF worker does for one task — the HTML made from the model through the
  templates, WeasyPrint, then the fields tidied and drawn and the file written with object streams
  (`forms/acroform.normalise`).

It prints CPU seconds (the process's own user + system time, medians over the rounds), pages per
CPU-second, and the ratio ladderbuild / floor (issue 19's target: at most 1.25).
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from ladderbuild.forms import html as form_html  # noqa: E402
from ladderbuild.forms import pdf as form_pdf  # noqa: E402
from ladderbuild.project import load_project  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", nargs="?", default=str(REPO))
    parser.add_argument("--level", default="ma-2")
    parser.add_argument("--forms", default="annual-evaluation,self-assessment,promotion-readiness")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    import pikepdf
    from weasyprint import HTML

    project = load_project(Path(args.project))
    fw = project.framework
    level = fw.level(args.level)
    forms = [next(f for f in fw.forms if f.id == form_id) for form_id in args.forms.split(",")]
    form_pdf._init_worker()

    def floor(html: str) -> bytes:
        return HTML(string=html, url_fetcher=form_pdf._url_fetcher).write_pdf(
            pdf_forms=True, pdf_variant="pdf/ua-1", font_config=form_pdf._font_config, custom_metadata=True)

    def ladderbuild(form) -> bytes:
        html = form_html.form_html(fw, form, level, paper=fw.meta.paper, templates=project.templates_dir)
        return form_pdf.render_pdf(html)

    htmls = {f.id: form_html.form_html(fw, f, level, paper=fw.meta.paper, templates=project.templates_dir)
             for f in forms}
    floor(htmls[forms[0].id])  # warm: fonts, caches
    times: dict[tuple[str, str], list[float]] = {}
    pages: dict[str, int] = {}
    for _ in range(args.rounds):
        for form in forms:
            for side, run in (("floor", lambda: floor(htmls[form.id])), ("ladderbuild", lambda: ladderbuild(form))):
                start = time.process_time()
                data = run()
                times.setdefault((form.id, side), []).append(time.process_time() - start)
                with pikepdf.open(io.BytesIO(data)) as pdf:
                    pages[form.id] = len(pdf.pages)

    print(f"| form ({args.level}) | pages | floor CPU s | ladderbuild CPU s | floor pages/CPU-s |"
          " ladderbuild pages/CPU-s | ratio |")
    print("|---|---|---|---|---|---|---|")
    total = {"floor": 0.0, "ladderbuild": 0.0}
    for form in forms:
        f, lb = (statistics.median(times[(form.id, side)]) for side in ("floor", "ladderbuild"))
        total["floor"] += f
        total["ladderbuild"] += lb
        n = pages[form.id]
        print(f"| {form.id} | {n} | {f:.2f} | {lb:.2f} | {n / f:.2f} | {n / lb:.2f} | {lb / f:.2f} |")
    n = sum(pages.values())
    print(f"| all | {n} | {total['floor']:.2f} | {total['ladderbuild']:.2f} | {n / total['floor']:.2f} |"
          f" {n / total['ladderbuild']:.2f} | {total['ladderbuild'] / total['floor']:.2f} |")


if __name__ == "__main__":
    main()
