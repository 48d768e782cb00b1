"""WeasyPrint fetches nothing while making a PDF: no network, no local files; only inline `data:` URLs.

The HTML given to the renderer here points at a local web server (images, a stylesheet, a CSS
background) and at a real image file on disk. The server must see no request at all, and the
PDF must hold exactly one image: the one given inline as a `data:` URL.
"""

from __future__ import annotations

import base64
import functools
import io
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from pypdf import PdfReader

from ladderbuild.forms.pdf import render_pdf

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")


@pytest.fixture
def server(tmp_path):
    (tmp_path / "pixel.png").write_bytes(PNG)
    (tmp_path / "style.css").write_text("body { color: red }")
    requests: list[str] = []

    class Counting(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            requests.append(self.path)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Counting, directory=str(tmp_path)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", requests
    httpd.shutdown()
    httpd.server_close()


def test_the_pdf_renderer_loads_data_urls_only(server, tmp_path):
    base, requests = server
    on_disk = tmp_path / "pixel.png"
    html = f"""<!doctype html><html><head><link rel="stylesheet" href="{base}/style.css">
    <style>@import url("{base}/imported.css"); p {{ background: url("{base}/background.png") }}</style></head>
    <body><p>Remote <img src="{base}/pixel.png" alt="remote"></p>
    <p>Local <img src="{on_disk.as_uri()}" alt="local"></p>
    <p>Inline <img src="data:image/png;base64,{base64.b64encode(PNG).decode()}" alt="inline"></p></body></html>"""
    pdf = PdfReader(io.BytesIO(render_pdf(html)))
    assert requests == []
    assert len(pdf.pages[0].images) == 1  # the data: image; neither the remote nor the local file
    assert "Remote" in pdf.pages[0].extract_text()
