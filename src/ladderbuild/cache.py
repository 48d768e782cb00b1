"""The build cache: what makes a rebuild cheap without ever making it different.

Two levels, both keyed by content hashes, never by timestamps:

* **The whole build.** A fingerprint of everything a build reads — every file
  under content/ and the project's templates/, the package itself (code,
  default theme, catalogues), the versions of the libraries that shape the
  output, the installed fonts, and the build options. If it matches the last
  build into the same output folder and that folder is untouched since, the
  build has nothing to do and renders nothing.
* **Each PDF.** A PDF is a pure function of its HTML document (which carries
  its own CSS and every fact it shows) and of the renderer, so its key is the
  hash of that HTML plus the same environment salt; a packet, assembled from
  its forms' PDFs, is keyed by its cover's HTML and its forms' keys. Editing one competency
  changes the HTML of only the forms and packets that show it; the others are
  copied from the cache instead of being laid out again, which is where a
  build spends its time.

The cache lives in `.ladderbuild-cache/` in the project when the output is in
the project too (the default `output/`); a build into a folder elsewhere
(`build -o /srv/handbook`) keeps its cache in the user's cache folder
(`$XDG_CACHE_HOME/ladderbuild/`, by default `~/.cache/ladderbuild/`), so it
writes nothing into the project it was not asked to. LADDERBUILD_CACHE_DIR
overrides both (a CI cache folder, say). The cache folder holds its own
`.gitignore` (`*`), so git ignores it in any project, made by `init` or not.
It is pruned to what the latest build into each output folder used. Deleting
it is always safe.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from .layout import default_theme_dir

CACHE_DIR = ".ladderbuild-cache"
_LIBRARIES = ("weasyprint", "pydyf", "pypdf", "jinja2", "markdown-it-py", "mdit-py-plugins", "lunr", "babel",
              "xlsxwriter")


def _hash_files(digest, root: Path, files: Iterable[Path]) -> None:
    for path in sorted(files):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())


def _tree_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return [p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts]


def _fonts_signature() -> str:
    """The installed fonts: adding or removing one can change every PDF."""
    try:
        listed = subprocess.run(["fc-list", "--format", "%{file}\\n"], capture_output=True, text=True,
                                timeout=20, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return "no-fc-list"
    return hashlib.sha256("\n".join(sorted(listed.splitlines())).encode()).hexdigest()


def _library_dists() -> list[str]:
    """The installed distributions of the libraries that shape the output, as `name-version.dist-info`
    folder names found on sys.path. (importlib.metadata says the same, but importing it is a quarter
    of a build that has nothing to do.)"""
    wanted = {name.replace("-", "_").lower() for name in _LIBRARIES}
    found = []
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        found += [name for name in names
                  if name.endswith(".dist-info") and name.partition("-")[0].lower() in wanted]
    return sorted(found)


@lru_cache(maxsize=2)
def environment_salt(fonts: bool = True) -> str:
    """Everything outside the content that shapes the output: this package's own files (so a code or
    theme change in a source checkout invalidates the cache even when the version does not move),
    the libraries' versions and, with `fonts`, the installed fonts. Fonts shape only PDFs (the
    handbook names no font file), so a build without PDFs leaves out asking fontconfig for them."""
    digest = hashlib.sha256(b"ladderbuild-cache-v1\0")
    package = Path(__file__).resolve().parent
    _hash_files(digest, package, [p for p in _tree_files(package) if p.suffix != ".pyc"])
    theme_dir = default_theme_dir()
    if package not in theme_dir.parents:  # a source checkout keeps the default theme beside src/
        _hash_files(digest, theme_dir, _tree_files(theme_dir))
    digest.update("\0".join(_library_dists()).encode())
    if fonts:
        digest.update(_fonts_signature().encode())
    return digest.hexdigest()


def pdf_key(html: str) -> str:
    return hashlib.sha256(environment_salt().encode() + b"\0" + html.encode("utf-8")).hexdigest()


def packet_key(task) -> str:
    """A packet assembled from its forms' PDFs (forms/pdf.PacketTask) is a pure function of its cover's HTML,
    its forms' documents (each keyed as it is laid out alone), how it binds them and its footer's wording."""
    digest = hashlib.sha256(environment_salt().encode() + b"\0packet\0" + task.cover.encode("utf-8"))
    for html, (form_id, prefix) in zip(task.parts, task.bindings):
        digest.update(b"\0" + pdf_key(html).encode() + b"\0" + form_id.encode() + b"\0" + prefix.encode())
    digest.update(b"\0" + task.footer.encode("utf-8"))
    return digest.hexdigest()


def project_fingerprint(roots: Iterable[Path], options: dict, *, fonts: bool = True) -> str:
    """One hash of every input file under `roots` (content/, the project's templates/) and the options;
    `fonts`: whether the installed fonts are an input (they are when the build makes PDFs)."""
    digest = hashlib.sha256(environment_salt(fonts).encode())
    digest.update(json.dumps(options, sort_keys=True, default=str).encode())
    for root in roots:
        digest.update(b"\0root\0")
        _hash_files(digest, root, _tree_files(root))
    return digest.hexdigest()


def tree_state(folder: Path) -> dict[str, list[int]]:
    """Every file under `folder` with its size and modification time: enough to notice any change to a
    folder that only builds write (an edit, a deletion, a copy over it)."""
    state = {}
    for path in _tree_files(folder):
        stat = path.stat()
        state[path.relative_to(folder).as_posix()] = [stat.st_size, stat.st_mtime_ns]
    return state


@dataclass
class BuildCache:
    root: Path  # .ladderbuild-cache/ of the project

    @classmethod
    def for_project(cls, project_root: Path, output: Path | None = None) -> "BuildCache":
        """The cache of a project's builds into `output` (None: the project's own output/)."""
        override = os.environ.get("LADDERBUILD_CACHE_DIR", "").strip()
        if override:
            return cls(Path(override))
        root = Path(project_root).resolve()
        if output is None or Path(output).resolve().is_relative_to(root):
            return cls(root / CACHE_DIR)
        user = os.environ.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
        return cls(Path(user) / "ladderbuild" / hashlib.sha256(str(root).encode()).hexdigest()[:16])

    def _ensure_root(self) -> None:
        """Create the cache folder with a `.gitignore` of its own, so no project commits it by mistake."""
        if not (self.root / ".gitignore").is_file():
            self.root.mkdir(parents=True, exist_ok=True)
            (self.root / ".gitignore").write_text("# made by ladderbuild: the build cache is never committed\n*\n",
                                                  encoding="utf-8")

    # ------------------------------------------------------------------ PDFs

    def _pdf(self, key: str) -> Path:
        return self.root / "pdf" / key[:2] / f"{key}.pdf"

    def fetch_pdf(self, key: str, target: Path) -> bool:
        """Copy the cached PDF for `key` to `target`; False when there is none."""
        source = self._pdf(key)
        if not source.is_file():
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        return True

    def store_pdf(self, key: str, source: Path) -> None:
        target = self._pdf(key)
        if target.is_file():
            return
        self._ensure_root()
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_name(f"{target.name}.{os.getpid()}.part")
        shutil.copyfile(source, part)
        os.replace(part, target)  # a concurrent or killed build never leaves a half-written entry

    def prune_pdfs(self, keep: set[str]) -> int:
        """Remove the PDFs the last build did not use, so the cache does not grow without end."""
        removed = 0
        for path in _tree_files(self.root / "pdf"):
            if path.stem not in keep:
                path.unlink(missing_ok=True)
                removed += 1
        return removed

    # ------------------------------------------------------------------ whole builds

    def _record(self, output: Path) -> Path:
        name = hashlib.sha256(str(Path(output).resolve()).encode()).hexdigest()[:16]
        return self.root / "builds" / f"{name}.json"

    def is_up_to_date(self, output: Path, fingerprint: str) -> bool:
        """True when the last build into `output` had this fingerprint and `output` is as it left it."""
        try:
            record = json.loads(self._record(output).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return record.get("fingerprint") == fingerprint and record.get("output") == tree_state(Path(output))

    def remember(self, output: Path, fingerprint: str, extra: dict | None = None) -> None:
        record = self._record(output)
        self._ensure_root()
        record.parent.mkdir(parents=True, exist_ok=True)
        data = {"fingerprint": fingerprint, "path": str(Path(output).resolve()),
                "output": tree_state(Path(output)), **(extra or {})}
        part = record.with_name(record.name + ".part")
        part.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
        os.replace(part, record)

    def recall(self, output: Path) -> dict:
        try:
            return json.loads(self._record(output).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def forget(self, output: Path) -> None:
        self._record(output).unlink(missing_ok=True)

    # ------------------------------------------------------------------ past versions

    def _version(self, key: str) -> Path:
        return self.root / "versions" / key

    def fetch_version(self, key: str, target: Path) -> dict | None:
        """Copy the past version built under `key` to `target`; its record, or None when there is none."""
        folder = self._version(key)
        try:
            record = json.loads((folder / "record.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        shutil.copytree(folder / "output", target, dirs_exist_ok=True)
        return record

    def store_version(self, key: str, source: Path, record: dict) -> None:
        folder = self._version(key)
        if folder.is_dir():
            return
        part = folder.with_name(f"{key}.{os.getpid()}.part")
        shutil.rmtree(part, ignore_errors=True)
        shutil.copytree(source, part / "output")
        (part / "record.json").write_text(json.dumps(record, sort_keys=True), encoding="utf-8")
        folder.parent.mkdir(parents=True, exist_ok=True)
        os.replace(part, folder)  # a concurrent or killed build never leaves a half-written entry

    def prune_versions(self, keep: set[str]) -> int:
        removed = 0
        root = self.root / "versions"
        for folder in sorted(root.iterdir()) if root.is_dir() else []:
            if folder.name not in keep:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        return removed

    def pdfs_in_use(self) -> set[str]:
        """The PDF keys of every output folder this project builds into (letter and A4, say)."""
        return self.in_use("pdfs")

    def in_use(self, field: str) -> set[str]:
        """The keys listed under `field` in the record of every output folder this project builds into."""
        keys: set[str] = set()
        for path in _tree_files(self.root / "builds"):
            try:
                record = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                path.unlink(missing_ok=True)
                continue
            if not Path(record.get("path", "")).is_dir():  # that output folder is gone (a past `serve`)
                path.unlink(missing_ok=True)
                continue
            keys.update(record.get(field, []))
        return keys
