"""The README's screenshots, made from the shipped framework (see scripts/screenshots).

Each is a browser's view of a built page at desktop size (the first screenful, as a reader lands on
it) or the first page of a form PDF as PDFium draws it, reduced to a small palette so the PNGs stay
small in git. Deterministic content; pixel-identical output is not promised across browser versions.
"""

from __future__ import annotations

import io
import re
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from ladderbuild import urls  # noqa: E402
from ladderbuild.build import BuildOptions, build  # noqa: E402
from ladderbuild.forms import form_tasks  # noqa: E402
from ladderbuild.forms.pdf import render_all  # noqa: E402
from ladderbuild.project import load_project  # noqa: E402

TARGET = REPO / "docs" / "screenshots"
VIEWPORT = {"width": 1280, "height": 860}
CHROMIUM = "/usr/bin/chromium"

# (file, page, what to do on it before the picture)
PAGES = [
    ("level.png", urls.level("ma-2"), None),
    ("compare.png", urls.comparison("ma-2", "ma-3") + "&diff=1", None),
    ("self-placement.png", urls.PLACE + "#at=ma-1&s=" + ",".join([
        "medication-reconciliation:competent", "patient-intake:competent", "preventive-screenings:advanced-beginner",
        "vital-signs:competent", "ecg-acquisition:advanced-beginner", "procedure-assist:competent"]), None),
]


def small_png(png: bytes, colours: int = 96) -> bytes:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colours, method=Image.Quantize.MEDIANCUT, dither=0)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def main() -> None:
    from playwright.sync_api import sync_playwright
    import pypdfium2

    TARGET.mkdir(parents=True, exist_ok=True)
    project = load_project(REPO)
    assert project.framework is not None and not project.errors
    with tempfile.TemporaryDirectory(prefix="ladderbuild-screenshots-") as tmp:
        site = Path(tmp) / "site"
        # as published: the PDFs linked (laying them all out would take minutes; the form is made below)
        build(project, site, BuildOptions(pdf=False, cache=False, versions="none", link_unbuilt_pdfs=True))
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            tab = browser.new_page(viewport=VIEWPORT)
            for name, page, _ in PAGES:
                path, query = re.match(r"([^?#]*)(.*)", page).groups()
                tab.goto((site / path).as_uri() + query)
                tab.wait_for_load_state("load")
                (TARGET / name).write_bytes(small_png(tab.screenshot()))
                print(f"wrote {TARGET / name}")
            browser.close()
        # a form: the annual evaluation for MA II, first page, as PDFium draws it
        task = next(t for t in form_tasks(project.framework, Path(tmp) / "pdf")
                    if t.path.name == Path(urls.form_pdf("annual-evaluation", "ma-2")).name)
        render_all([task], jobs=1)
        pdf = pypdfium2.PdfDocument(str(task.path))
        image = pdf[0].render(scale=1.3).to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG")
        (TARGET / "form.png").write_bytes(small_png(out.getvalue(), colours=48))
        print(f"wrote {TARGET / 'form.png'}")


if __name__ == "__main__":
    main()
