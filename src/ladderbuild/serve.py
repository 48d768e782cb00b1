"""Serve: build, serve on 127.0.0.1, watch content/ and templates/, rebuild and reload open tabs.

The site is built into a private folder (never over output/). Each HTML
response gets one extra external script (CSP-friendly) that long-polls
`/__ladderbuild/status`: when the build version moves on it reloads the page,
and when the content has errors it shows them in an overlay instead — the
server keeps the last good site and recovers on the next good save.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qs, urlsplit

from . import urls
from .build import BuildOptions, build
from .diagnostics import ContentError, Diagnostic
from .project import load_project
from .terminal import printable

STATUS_PATH = "/__ladderbuild/status"
SCRIPT_PATH = "/__ladderbuild/live.js"
POLL_SECONDS = 20

LIVE_JS = """\
// ladderbuild serve: reload on rebuild, show content errors as an overlay (which can be put aside).
(function () {
  var version = null, dismissed = null;
  function close(box, key) {
    dismissed = key;
    box.remove();
  }
  function overlay(errors) {
    var box = document.getElementById("ladderbuild-errors");
    var key = JSON.stringify(errors);
    if (!errors.length || key === dismissed) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "ladderbuild-errors";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0;z-index:99999;overflow:auto;padding:2rem;" +
        "background:rgba(20,20,20,.94);color:#fff;font:15px/1.5 ui-monospace,monospace";
      document.body.appendChild(box);
    }
    box.textContent = "";
    var button = document.createElement("button");
    button.type = "button";
    button.id = "ladderbuild-errors-close";
    button.textContent = "Dismiss (Esc)";
    button.style.cssText = "float:right;font:inherit;padding:.3rem .8rem;color:#000;background:#fff;border:0;" +
      "border-radius:4px;cursor:pointer";
    button.addEventListener("click", function () { close(box, key); });
    box.appendChild(button);
    box.addEventListener("keydown", function (event) { if (event.key === "Escape") close(box, key); });
    document.addEventListener("keydown", function escape(event) {
      if (event.key === "Escape" && document.getElementById("ladderbuild-errors") === box) { close(box, key); }
      if (!document.body.contains(box)) document.removeEventListener("keydown", escape);
    });
    var title = document.createElement("h2");
    title.textContent = "ladderbuild: the content has " + errors.length + " problem(s); fix and save to rebuild";
    box.appendChild(title);
    var note = document.createElement("p");
    note.textContent = "Dismiss to look at the last good pages meanwhile; the list comes back when the problems change.";
    note.style.color = "#ccc";
    box.appendChild(note);
    errors.forEach(function (e) {
      var p = document.createElement("p");
      p.className = "ladderbuild-error";
      p.textContent = e.file + ":" + e.line + ":" + e.column + ": " + e.severity + " [" + e.code + "] " + e.message;
      box.appendChild(p);
      if (e.hint) {
        var h = document.createElement("p");
        h.textContent = "    hint: " + e.hint;
        h.style.color = "#9fd3ff";
        box.appendChild(h);
      }
    });
  }
  function poll() {
    var url = "/__ladderbuild/status" + (version === null ? "" : "?since=" + version);
    fetch(url, {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      if (version !== null && s.version !== version && !s.errors.length) { location.reload(); return; }
      version = s.version;
      overlay(s.errors);
      poll();
    }).catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
"""


PDF_NOTE = 'data-serve-note="pdf"'  # the 404 page's note on PDFs, shown when a PDF was asked for
PDF_NOTE_HIDDEN = PDF_NOTE + " hidden"


def with_live_script(html: str) -> bytes:
    tag = f'<script src="{SCRIPT_PATH}" defer></script>'
    return (html.replace("</body>", tag + "</body>", 1) if "</body>" in html else html + tag).encode()


_RELATIVE = re.compile(r'(\b(?:href|src|data-scripts|data-root)=")([^"]*)"')


def from_root(html: str) -> str:
    """The 404 page, which links relative to the site's root, with links that work at any address
    (it is sent for /levels/gone.html as for /gone.html)."""

    def fix(match: re.Match) -> str:
        values = [v if not v or v.startswith(("/", "#")) or re.match(r"[a-z][a-z0-9+.-]*:", v) else "/" + v
                  for v in match.group(2).split(" ")]
        return f'{match.group(1)}{" ".join(values) or "/"}"'

    return _RELATIVE.sub(fix, html)


@dataclass
class BuildState:
    """What the server knows about the latest build; `version` moves on with every attempt."""

    version: int = 0
    errors: list[Diagnostic] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, errors: list[Diagnostic]) -> None:
        with self.changed:
            self.version += 1
            self.errors = errors
            self.changed.notify_all()

    def wait_past(self, version: int, timeout: float) -> None:
        with self.changed:
            self.changed.wait_for(lambda: self.version != version, timeout=timeout)

    def as_json(self) -> bytes:
        return json.dumps({"version": self.version, "errors": [d.to_json() for d in self.errors]}).encode()


class DevServer:
    def __init__(self, project_dir: Path, host: str = "127.0.0.1", port: int = 8000, pdf: bool = False,
                 log: Callable[[str], None] = print, verbosity: int = 0):
        self.project_dir = project_dir
        self.pdf = pdf
        self.log = log
        self.verbosity = verbosity  # -1 quiet: the address and problems only; 1 verbose: every request too
        self.state = BuildState()
        self.site = Path(tempfile.mkdtemp(prefix="ladderbuild-serve-")) / "site"
        self.site.mkdir()
        handler = partial(_Handler, directory=str(self.site), state=self.state, pdf=pdf,
                          log=log if verbosity > 0 else None)
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/"

    def rebuild(self) -> bool:
        started = time.perf_counter()
        project = load_project(self.project_dir)
        try:
            # Past versions are for the published handbook; a preview shows the content being edited.
            # Without --pdf the pages still link every PDF, as published; the server answers those links
            # with a note on how to get them.
            report = build(project, self.site, BuildOptions(pdf=self.pdf, versions="none", link_unbuilt_pdfs=True))
        except ContentError as exc:
            errors = [d for d in exc.diagnostics if d.severity.value == "error"]
            for diag in errors:
                self.log(diag.format())
            self.log(f"Build failed: {len(errors)} error(s); still serving the last good build.")
            self.state.publish(errors)
            return False
        for diag in report.found:
            self.log(diag.format())
        if self.verbosity >= 0:
            pdfs = f", {len(report.pdfs_rendered)} PDFs laid out" if self.pdf else ""
            self.log(f"Rebuilt {len(report.pages)} pages{pdfs} in {time.perf_counter() - started:.1f} s")
        self.state.publish([])
        return True

    def watch_paths(self) -> list[Path]:
        project = load_project(self.project_dir)
        return [p for p in (project.content_dir, project.templates_dir) if p.exists()]

    def serve_forever(self, stop: threading.Event | None = None) -> None:
        from watchfiles import watch

        stop = stop or threading.Event()
        self.rebuild()
        thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        thread.start()
        self.log(f"Serving {self.url} — watching for changes (Ctrl-C to stop)")
        try:
            for changes in watch(*self.watch_paths(), stop_event=stop, debounce=200, rust_timeout=500):
                names = sorted({Path(p).name for _, p in changes})
                if self.verbosity >= 0:
                    self.log(f"Changed: {printable(', '.join(names))}")
                self.rebuild()
        except KeyboardInterrupt:
            pass
        finally:
            self.httpd.shutdown()
            shutil.rmtree(self.site.parent, ignore_errors=True)
            if self.verbosity >= 0:
                self.log(f"Stopped serving {self.url}")


class _Handler(SimpleHTTPRequestHandler):
    def __init__(self, *args, state: BuildState, pdf: bool = False, log: Callable[[str], None] | None = None,
                 **kwargs):
        self.state = state
        self.pdf = pdf
        self.log = log
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args) -> None:
        # Requests are logged only with -v: the terminal is for build messages.
        if self.log is not None and not self.path.startswith(STATUS_PATH):
            self.log(printable(format % args))

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path == STATUS_PATH:
            since = parse_qs(parts.query).get("since", [None])[0]
            if since is not None and since.lstrip("-").isdigit():
                self.state.wait_past(int(since), POLL_SECONDS)
            return self._send(self.state.as_json(), "application/json")
        if parts.path == SCRIPT_PATH:
            return self._send(LIVE_JS.encode(), "text/javascript")
        local = Path(self.translate_path(parts.path))
        if local.is_dir():
            local = local / "index.html"
        if local.suffix == ".html" and local.is_file():
            return self._send(with_live_script(local.read_text(encoding="utf-8")), "text/html; charset=utf-8")
        super().do_GET()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """A missing page gets the handbook's own 404 page (with a note on PDFs, for a PDF when the
        server makes none), not the bare "Error response" of the standard library."""
        page = Path(self.directory) / urls.NOT_FOUND
        if code != HTTPStatus.NOT_FOUND or not page.is_file():
            return super().send_error(code, message, explain)
        html = page.read_text(encoding="utf-8")
        if not self.pdf and urlsplit(self.path).path.lower().endswith(".pdf"):
            html = html.replace(f" {PDF_NOTE_HIDDEN}", f" {PDF_NOTE}")
        self._send(with_live_script(from_root(html)), "text/html; charset=utf-8", HTTPStatus.NOT_FOUND)

    def _send(self, body: bytes, content_type: str, status: HTTPStatus = HTTPStatus.OK) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the tab was closed or reloaded while its long poll waited: nobody is left to answer
