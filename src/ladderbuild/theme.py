"""Theme: the Jinja2 environment shared by the handbook and the PDF forms.

Templates are looked up first in the project's own templates/ folder, then in
the default theme shipped with the package (the way MkDocs' custom_dir and
Hugo's layout lookup work), so a project overrides any template or static file
by placing one with the same name. Autoescaping is on for everything, and
every string a template writes goes through gettext (`_()` / `{% trans %}`),
from the catalogue of the framework's locale (i18n.py), and dates and numbers
go through the locale's `date`, `number` and `percent` filters.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from . import i18n, vocabulary
from .layout import default_theme_dir


def theme_dirs(project_templates: Path | None) -> list[Path]:
    dirs = []
    if project_templates is not None and project_templates.is_dir():
        dirs.append(project_templates)
    default = default_theme_dir()
    if default not in dirs and default.resolve() not in [d.resolve() for d in dirs]:
        dirs.append(default)
    return dirs


_BYTECODE_CACHE = jinja2.FileSystemBytecodeCache(pattern="__ladderbuild_%s.cache")


def make_environment(project_templates: Path | None, locale: str = i18n.FALLBACK) -> jinja2.Environment:
    """The environment for one framework: its templates, its catalogue and its locale's formats."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in theme_dirs(project_templates)]),
        autoescape=True,  # everything, including .svg/.txt: content is never trusted markup
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Compiling the theme cost a tenth of a handbook build, every build. Jinja keeps the compiled
        # templates in a private per-user temp folder, checked against each template's source.
        bytecode_cache=_BYTECODE_CACHE,
    )
    translations = i18n.translations_for(locale)
    env.install_gettext_translations(translations, newstyle=True)
    env.globals["term"] = _term(translations)
    env.filters.update(i18n.Formatter(locale).filters())
    env.filters["join_text"] = i18n.join_text
    # A label that starts with a framework word put in lower case for the middle of a sentence
    # (`_("%(competency)s ratings", competency=term("competency")|lower)|capfirst`): its first letter only.
    env.filters["capfirst"] = lambda text: text[:1].upper() + text[1:]
    env.globals["lang"] = i18n.html_lang(locale)
    env.globals["versions"] = None  # the other published versions (versions.VersionLinks); render_site sets them
    return env


def _term(translations):
    """`term("domain")` in a template: the framework's own word for a label (vocabulary.py)."""

    @jinja2.pass_context
    def term(context, key: str) -> str:
        fw = context.get("fw")
        return vocabulary.label(fw.meta.vocabulary if fw is not None else None, key, translations.gettext)

    return term


def find_static(relative: str, project_templates: Path | None) -> Path | None:
    """The theme file (e.g. `site/static/style.css`) that wins the override lookup."""
    for folder in theme_dirs(project_templates):
        candidate = folder / relative
        if candidate.is_file():
            return candidate
    return None


def static_files(prefix: str, project_templates: Path | None) -> dict[str, Path]:
    """All files under `prefix` across the theme folders; the project's copy of a name wins."""
    found: dict[str, Path] = {}
    for folder in reversed(theme_dirs(project_templates)):
        root = folder / prefix
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    found[path.relative_to(root).as_posix()] = path
    return found
