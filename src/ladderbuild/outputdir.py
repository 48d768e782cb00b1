"""Output folders: whether a command may replace a folder, decided before anything is touched.

Every command that writes a folder of its own (`build` → output/, `packets` → packets-out/, and any
later one) replaces that folder whole: it builds into a staging folder beside it and swaps the two
(write.staged_output). So the one question is whether the folder may be replaced, and the answer
is the same for every command:

* **yes** when it is missing, empty, or carries the marker file (`MARKER`) that the same kind of
  ladderbuild command wrote into it;
* **only with `--force`** when it holds files but no marker (or another command's marker);
* **never**, whatever the options, when it is — itself or through a symbolic link — a folder
  whose loss would destroy what isn't ours: the root of the file system or a system folder, the
  home folder, the folder the command runs in, the project folder, its `content/` or `templates/`
  folder or the build cache, anything inside `content/` or `templates/`, any framework's content
  folder or project (a folder holding `framework.yaml` or `content/framework.yaml`) and anything
  inside such a content folder, a git working tree or anything inside a `.git` folder, or any
  folder that holds one of these. A file where the folder should be is refused too.

The API, for every command that writes a folder:

    target = outputdir.check(output, kind=outputdir.HANDBOOK, project=root, content=content_dir,
                             force=force)       # raises OutputRefused (message + hint), touches nothing
    with write.staged_output(target) as staging:  # build into `staging`; the marker goes in on success
        ...

`check` returns an `OutputTarget`; `write.staged_output` takes one (a plain path is checked with no
project known). `refusal(...)` is the decision alone (None when writing is allowed), for tests and
for commands that only add files to a folder (`schema -o`, with `replace=False`: the protected
folders are still refused, an unmarked folder is fine because nothing in it is removed).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

MARKER = ".ladderbuild"  # the file a command writes into each folder it owns; it names the command
HANDBOOK = "build"  # marker kinds: the command that owns the folder
PACKETS = "packets"
SCORES = "scores"

# Folders that are never written, nor anything inside them (POSIX, then macOS).
_SYSTEM_TREES = ("/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/proc", "/run", "/sbin",
                 "/sys", "/usr/bin", "/usr/lib", "/usr/lib32", "/usr/lib64", "/usr/libexec", "/usr/sbin",
                 "/usr/include", "/usr/share", "/usr/src", "/var/lib", "/var/log", "/var/spool", "/var/cache",
                 "/var/mail", "/var/backups", "/System", "/Library", "/Applications", "/private/etc",
                 "/private/var/db")
# Folders that are never replaced themselves, though a folder inside them may be an output (/var/www/handbook).
_SYSTEM_FOLDERS = ("/home", "/media", "/mnt", "/opt", "/root", "/snap", "/srv", "/tmp", "/usr", "/usr/local",
                   "/var", "/var/tmp", "/var/www", "/Users", "/Volumes", "/private", "/private/var",
                   "/private/tmp", "/cores")


class OutputRefused(Exception):
    """Writing the folder would (or might) destroy what isn't ours. Nothing has been touched."""

    def __init__(self, output: Path, message: str, hint: str, forceable: bool = False):
        super().__init__(message)
        self.output, self.message, self.hint, self.forceable = output, message, hint, forceable


@dataclass(frozen=True)
class OutputTarget:
    """A folder `check` allowed: `path` is where it really is (symbolic links followed)."""

    path: Path
    kind: str
    given: Path  # as the user wrote it, for messages


def check(output: Path, *, kind: str, project: Path | None = None, content: Path | None = None,
          force: bool = False, replace: bool = True) -> OutputTarget:
    """The folder `output` as a target the command `kind` may write; raises OutputRefused."""
    refused = refusal(output, kind=kind, project=project, content=content, force=force, replace=replace)
    if refused is not None:
        raise refused
    return OutputTarget(Path(output).resolve(), kind, Path(output))


def refusal(output: Path, *, kind: str, project: Path | None = None, content: Path | None = None,
            force: bool = False, replace: bool = True, home: Path | None = None,
            cwd: Path | None = None) -> OutputRefused | None:
    """Why `output` must not be written by the command `kind`, or None. `home` and `cwd` default to the
    user's home folder and the current folder. Reads the file system (links, the folder's first entry,
    its marker) but changes nothing."""
    given = Path(output)
    where = given.resolve()
    shown = f"`{given}`" + (f" (a link to {where})" if where != Path(os.path.abspath(given)) else "")
    never = ("choose another folder — a new one, or one ladderbuild wrote before; --force does not change this"
             if replace else "choose another folder")

    def refuse(what: str, hint: str = never, forceable: bool = False) -> OutputRefused:
        return OutputRefused(given, f"{shown} {what}", hint, forceable)

    if where == Path(where.anchor):
        return refuse("is the root of the file system")
    for folder in _SYSTEM_TREES:
        if where == Path(folder) or Path(folder) in where.parents:
            return refuse("is a system folder" if where == Path(folder) else f"is inside the system folder {folder}")
    if str(where) in _SYSTEM_FOLDERS or where in _windows_folders():
        return refuse("is a system folder")
    # Replacing a folder destroys what it holds; adding files to one (replace=False) only what it is.
    holders: dict[str, Path | None] = {}
    if replace:
        holders = {"your home folder": home if home is not None else _home(),
                   "the folder you are working in": cwd if cwd is not None else Path.cwd()}
    trees: dict[str, Path] = {}
    if project is not None:
        from .cache import BuildCache
        from .layout import templates_dir

        if replace:
            holders["the project folder"] = project
        trees["the build cache"] = BuildCache.for_project(project).root
        trees["the templates folder"] = templates_dir(project)
    if content is not None:
        trees["the content folder"] = content
    guarded = [(name, Path(folder).resolve()) for name, folder in [*holders.items(), *trees.items()] if folder]
    for name, folder in guarded:
        if where == folder:
            return refuse(f"is {name}")
    for name, folder in guarded:
        if name in trees and folder in where.parents:
            return refuse(f"is inside {name} ({folder})")
    for name, folder in guarded:
        if replace and where in folder.parents:
            return refuse(f"holds {name} ({folder})")
    # Any framework's sources, not only this project's: `-o ../other-project/content`.
    for folder in (where, *where.parents):
        if (folder / "framework.yaml").is_file():
            return refuse("is a framework's content folder" if folder == where
                          else f"is inside a framework's content folder ({folder})")
    if replace and (where / "content" / "framework.yaml").is_file():
        return refuse("is a framework project (it holds content/framework.yaml)")
    if ".git" in where.parts:
        return refuse("is inside a git repository's .git folder")
    if replace and (where / ".git").exists():
        return refuse("is a git working tree: replacing it would delete the repository")
    if not where.exists():
        return None
    if not where.is_dir():
        return refuse("is a file, not a folder", "choose a folder for the output, or remove the file")
    if not replace or force:
        return None
    owner = marker_kind(where)
    if owner == kind:
        return None
    if owner is not None:
        return refuse(f"holds what `ladderbuild {owner}` wrote, not `ladderbuild {kind}`",
                      "choose another folder, or add --force to replace what is in it", forceable=True)
    if _is_empty(where):
        return None
    return refuse(f"is not empty and ladderbuild did not make it (it has no {MARKER} file); "
                  "writing there would replace everything in it",
                  "choose a new or empty folder, or add --force if everything in it may be deleted",
                  forceable=True)


def marker_kind(folder: Path) -> str | None:
    """The command whose marker `folder` holds, or None."""
    marker = Path(folder) / MARKER
    if marker.is_symlink() or not marker.is_file():
        return None
    try:
        with open(marker, encoding="utf-8", errors="replace") as handle:
            first = handle.readline(100).strip()
    except OSError:
        return None
    return first.split()[0] if first.split() else None


def mark(folder: Path, kind: str) -> Path:
    """Write the marker that says the command `kind` owns `folder` (and may replace it next time)."""
    path = Path(folder) / MARKER
    path.write_text(f"{kind}\n# Written by `ladderbuild {kind}`: the next `ladderbuild {kind}` into this folder "
                    "replaces everything in it.\n", encoding="utf-8")
    return path


def _is_empty(folder: Path) -> bool:
    with os.scandir(folder) as entries:
        return next(entries, None) is None


def _windows_folders() -> set[Path]:
    if sys.platform != "win32":
        return set()
    names = ("SystemRoot", "ProgramFiles", "ProgramFiles(x86)", "ProgramData", "PUBLIC")
    return {Path(os.environ[name]).resolve() for name in names if os.environ.get(name)}


def _home() -> Path | None:
    """The home folder: $HOME, else the account's (on Windows, USERPROFILE)."""
    for name in ("HOME", "USERPROFILE"):
        value = os.environ.get(name, "").strip()
        if value:
            return Path(value)
    if sys.platform != "win32":
        try:
            import pwd

            return Path(pwd.getpwuid(os.getuid()).pw_dir)
        except (ImportError, KeyError):
            return None
    return None
