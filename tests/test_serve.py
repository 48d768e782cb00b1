"""`ladderbuild serve` end to end: a real browser tab reloads after a save, a broken save shows the
error overlay, and the next good save clears it — all on 127.0.0.1."""

from __future__ import annotations

import threading

from helpers import edit
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

        # 3. The next good save clears the overlay and reloads.
        with page.expect_event("load", timeout=20_000):
            edit(project, "levels/assistant-2.md", "  vital-signs: competant", "  vital-signs: expert")
        overlay.wait_for(state="detached", timeout=10_000)
        assert page.locator("#ladderbuild-errors").count() == 0
        assert all(url.startswith(server.url) for url in requests), requests
    finally:
        page.close()
        stop.set()
        thread.join(timeout=10)
