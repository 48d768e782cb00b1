"""`ladderbuild serve` end to end: a real browser tab reloads after a save, a broken save shows the
error overlay, and the next good save clears it — all on 127.0.0.1."""

from __future__ import annotations

import threading

from helpers import edit
from playwright.sync_api import expect

from ladderbuild.serve import DevServer


def test_serve_reloads_shows_errors_and_recovers(project_copy, browser):
    project = project_copy()
    server = DevServer(project, port=0, log=lambda message: None)
    stop = threading.Event()
    thread = threading.Thread(target=server.serve_forever, kwargs={"stop": stop}, daemon=True)
    thread.start()
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        server.state.wait_past(0, timeout=30)  # the first build is done
        assert server.state.version >= 1 and server.state.errors == []
        page.goto(server.url + "levels/assistant-2.html")
        page.wait_for_function("() => performance.getEntriesByType('resource')"
                               ".some(e => e.name.includes('/__ladderbuild/status'))")
        assert "Experienced level." in page.content()

        # 1. A good save: the open tab reloads with the new text.
        with page.expect_event("load", timeout=20_000):
            edit(project, "levels/assistant-2.md", "summary: Experienced level.", "summary: Works without supervision.")
        page.get_by_text("Works without supervision.").first.wait_for(timeout=10_000)

        # 2. A broken save: the overlay names file, line and the problem; the last good page stays.
        edit(project, "levels/assistant-2.md", "  vital-signs: competent", "  vital-signs: competant")
        overlay = page.locator("#ladderbuild-errors")
        overlay.wait_for(timeout=20_000)
        text = overlay.inner_text()
        assert "content/levels/assistant-2.md:" in text
        assert "[unknown-stage]" in text and "did you mean `competent`?" in text
        assert "Works without supervision." in page.content()

        # The overlay can be put aside to look at the last good pages; it stays aside until the problems change.
        page.locator("#ladderbuild-errors-close").click()
        overlay.wait_for(state="detached", timeout=5_000)
        expect(page.get_by_text("Works without supervision.").first).to_be_visible()
        edit(project, "levels/assistant-2.md", "  vital-signs: competant", "  vital-signs: competnt")
        overlay.wait_for(timeout=20_000)  # another problem: it is back
        page.keyboard.press("Escape")
        overlay.wait_for(state="detached", timeout=5_000)

        # 3. The next good save clears the overlay and reloads.
        with page.expect_event("load", timeout=20_000):
            edit(project, "levels/assistant-2.md", "  vital-signs: competnt", "  vital-signs: expert")
        overlay.wait_for(state="detached", timeout=10_000)
        assert page.locator("#ladderbuild-errors").count() == 0
        assert all(url.startswith(server.url) for url in requests), requests
    finally:
        page.close()
        stop.set()
        thread.join(timeout=10)


def test_serve_answers_a_missing_page_and_an_unbuilt_pdf_with_the_handbooks_own_page(project_copy, browser):
    project = project_copy()
    server = DevServer(project, port=0, log=lambda message: None)  # without --pdf
    stop = threading.Event()
    thread = threading.Thread(target=server.serve_forever, kwargs={"stop": stop}, daemon=True)
    thread.start()
    page = browser.new_page()
    try:
        server.state.wait_past(0, timeout=30)
        # The pages link the PDFs as the published handbook will ...
        page.goto(server.url + "levels/assistant-1.html")
        pdf_link = page.locator("a[href$='.pdf']").first
        href = pdf_link.get_attribute("href")
        assert href and href.startswith("../forms/")
        # ... and a PDF link says how to get the PDFs, in the handbook's own page and style.
        response = page.goto(server.url + "levels/" + href)
        assert response.status == 404
        expect(page.locator("h1")).to_have_text("Page not found")
        expect(page.locator("[data-serve-note=pdf]")).to_be_visible()
        expect(page.locator("[data-serve-note=pdf]")).to_contain_text("ladderbuild serve --pdf")
        assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).borderBottomStyle") == "solid"
        # A page that is not there, however deep: the 404 page with working links, no PDF note.
        response = page.goto(server.url + "levels/no/such/page.html")
        assert response.status == 404
        expect(page.locator("h1")).to_have_text("Page not found")
        expect(page.locator("[data-serve-note=pdf]")).to_be_hidden()
        page.locator("main a", has_text="Go to the career ladder").click()
        expect(page).to_have_url(server.url + "index.html")
    finally:
        page.close()
        stop.set()
        thread.join(timeout=10)
