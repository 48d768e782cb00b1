"""Shared fixtures: the shipped framework, the small test framework, and copies to break."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARTIFACTS = REPO / "test-artifacts"  # screenshots and page renders for people to look at


@pytest.fixture(scope="session", autouse=True)
def private_build_cache(tmp_path_factory) -> Path:
    """Builds of the fixtures keep their cache out of the source tree (and out of each other's way)."""
    folder = tmp_path_factory.mktemp("ladderbuild-cache")
    previous = os.environ.get("LADDERBUILD_CACHE_DIR")
    os.environ["LADDERBUILD_CACHE_DIR"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("LADDERBUILD_CACHE_DIR", None)
    else:
        os.environ["LADDERBUILD_CACHE_DIR"] = previous


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def minimal_project() -> Path:
    return FIXTURES / "minimal"


@pytest.fixture
def project_copy(tmp_path: Path):
    """A function that copies a fixture project into tmp_path so a test may break it."""

    def copy(name: str = "minimal") -> Path:
        target = tmp_path / name
        shutil.copytree(FIXTURES / name, target)
        return target

    return copy


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


# --------------------------------------------------------------------------- the HTML handbook (test_site_*)
# Each handbook is built once per session (HTML only) and shared by the site tests,
# which open it in real headless Chromium (Debian's /usr/bin/chromium) from file://
# and from a local HTTP server.

SITE_PROJECTS = {
    "minimal": FIXTURES / "minimal",
    "content": REPO,  # the shipped Medical Assistant framework
    "zh": REPO / "examples" / "health-manager-zh",
    "se": REPO / "examples" / "software-engineering",  # outside healthcare: specialism, role, vocabulary
}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def build_site(project: Path, output: Path) -> Path:
    """Build the HTML handbook of `project` into `output`; content errors fail loudly with their diagnostics."""
    from ladderbuild.build import BuildOptions, build
    from ladderbuild.project import load_project

    loaded = load_project(project)
    assert not loaded.errors, "content does not pass check:\n" + "\n".join(d.format() for d in loaded.errors)
    build(loaded, output, BuildOptions(pdf=False))
    return output


class BuiltSites:
    """Each handbook built on first use, once per session: a test of the minimal fixture
    does not wait for (or fail with) the shipped content, and vice versa."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._built: dict[str, Path] = {}

    def __getitem__(self, name: str) -> Path:
        if name not in self._built:
            self._built[name] = build_site(SITE_PROJECTS[name], self.root / name)
        return self._built[name]


@pytest.fixture(scope="session")
def sites(tmp_path_factory) -> BuiltSites:
    return BuiltSites(tmp_path_factory.mktemp("sites"))


@pytest.fixture(scope="session")
def site_server(sites):
    """An HTTP server on 127.0.0.1 (random port) serving every built site under /<name>/."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):  # keep the test output readable
            pass

    root = sites.root
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
