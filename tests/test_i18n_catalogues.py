"""The interface catalogues: complete, current and well-formed, and chosen and applied as documented.

The msgids are extracted exactly as `scripts/catalogues` does (pybabel with the
mappings in pyproject.toml), so a new `_("…")` in a template or an `N_("…")`
default in Python fails here until it is translated — and a msgid that no
longer exists in the source fails as stale until the catalogues are updated.
"""

from __future__ import annotations

import datetime as dt
import gettext
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from ladderbuild import i18n

REPO = Path(__file__).resolve().parents[1]
TRANSLATED = ["zh_CN", "es"]  # every msgid needs a translation in these
PLACEHOLDER = re.compile(r"%\((\w+)\)s|\{(\w+)\}")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """The msgids in the source today, extracted the way scripts/catalogues extracts them."""
    pot = tmp_path_factory.mktemp("pot") / "ladderbuild.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "pyproject.toml",
                    "--no-wrap", "-o", str(pot), "templates", "src/ladderbuild"], cwd=REPO, check=True)
    with pot.open("rb") as fh:
        return read_po(fh)


def catalogue(name: str):
    with i18n.catalogue_path(name).open("rb") as fh:
        return read_po(fh, locale=name)


def key(message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def test_extraction_finds_template_and_python_strings(template):
    ids = {key(m) for m in template if m.id}
    assert len(ids) > 250
    assert "Page %(page)s of %(pages)s" in ids  # templates/forms/document.html
    assert "Expected stage: <strong>%(stage)s</strong>" in ids  # a {% trans %} block with markup
    assert "N/A" in ids and "Direct observation" in ids and "Not approved" in ids  # N_() defaults in model.py
    plural = next(m for m in template if key(m) == "%(num)s month")
    assert plural.id == ("%(num)s month", "%(num)s months")  # ngettext keeps both forms


@pytest.mark.parametrize("name", TRANSLATED)
def test_every_msgid_is_translated_and_none_is_stale(template, name):
    cat = catalogue(name)
    wanted = {key(m): m for m in template if m.id}
    have = {key(m): m for m in cat if m.id}
    missing = sorted(set(wanted) - set(have))
    stale = sorted(set(have) - set(wanted))
    untranslated = sorted(k for k, m in have.items() if k in wanted and (
        not m.string or (isinstance(m.string, tuple) and not all(m.string))))
    fuzzy = sorted(k for k, m in have.items() if m.fuzzy)
    problems = []
    if missing:
        problems.append(f"not in the {name} catalogue (run scripts/catalogues, then translate): {missing}")
    if untranslated:
        problems.append(f"untranslated in {name}: {untranslated}")
    if fuzzy:
        problems.append(f"fuzzy (changed in the source; check the translation, then drop the flag) in {name}: {fuzzy}")
    if stale:
        problems.append(f"stale in {name}: no longer in the source (run scripts/catalogues): {stale}")
    assert not problems, "\n".join(problems)


def test_the_english_catalogue_has_every_msgid_too(template):
    assert {key(m) for m in catalogue("en") if m.id} == {key(m) for m in template if m.id}


@pytest.mark.parametrize("name", TRANSLATED)
def test_translations_keep_their_placeholders_and_plural_forms(name):
    cat = catalogue(name)
    assert not list(cat.check()), [(m.id, errors) for m, errors in cat.check()]
    for message in cat:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert len(strings) == cat.num_plurals if isinstance(message.id, tuple) else 1, message.id
        wanted = {a or b for a, b in PLACEHOLDER.findall(ids[-1])}
        for text in strings:
            found = {a or b for a, b in PLACEHOLDER.findall(text)}
            assert found <= wanted, f"{name}: {text!r} uses placeholders {found - wanted} that {ids[-1]!r} lacks"
            # A singular may leave out the count ("cada mes"); everything else keeps every placeholder.
            if len(strings) == 1 or text is not strings[0]:
                assert found == wanted, f"{name}: {text!r} drops {wanted - found} of {ids[-1]!r}"
            # Jinja formats every translation with %: a bare % would break the page at run time.
            text % {p: "x" for p in wanted | {"num", "count"}}


def test_every_msgid_the_templates_ask_for_at_run_time_is_in_the_catalogue(template, minimal_project, monkeypatch,
                                                                           tmp_path):
    """What the pages and forms really look up — not only what the extractor sees — is catalogued."""
    asked: set[str] = set()

    class Recorder(gettext.NullTranslations):
        def gettext(self, message):
            asked.add(message)
            return message

        def ngettext(self, singular, plural, n):
            asked.add(singular)
            return singular if n == 1 else plural

        def pgettext(self, context, message):
            asked.add(message)
            return message

    monkeypatch.setattr(i18n, "translations_for", lambda _tag: Recorder())
    from ladderbuild.forms.html import environment, form_html, packet_html
    from ladderbuild.project import load_project
    from ladderbuild.site import render_site

    environment.cache_clear()
    project = load_project(minimal_project)
    fw = project.framework
    render_site(fw, tmp_path / "site")
    for level in fw.levels:
        for form in fw.forms_for(level):
            form_html(fw, form, level, paper="a4")
        for packet in fw.packets_for(level):
            packet_html(fw, packet, level, paper="a4")
    environment.cache_clear()
    known = {key(m) for m in template if m.id}
    assert len(asked) > 150
    assert not asked - known, f"looked up at run time but not extracted: {sorted(asked - known)}"


# --------------------------------------------------------------------------- choosing and applying a catalogue


@pytest.mark.parametrize("tag, expected", [
    ("en", "en"), ("en-GB", "en"), ("es", "es"), ("es-MX", "es"), ("zh-CN", "zh_CN"), ("zh_CN", "zh_CN"),
    ("zh", "zh_CN"), ("zh-Hans-SG", "zh_CN"), ("zh-TW", "en"), ("fr", "en"), ("not a tag", "en"),
])
def test_catalogue_exact_then_same_language_and_script_then_english(tag, expected):
    assert i18n.catalogue_for(tag) == expected


def test_plural_forms_follow_each_language():
    for tag, one, two in [("en", "1 month", "2 months"), ("es", "1 mes", "2 meses"), ("zh-CN", "1 个月", "2 个月")]:
        t = i18n.translations_for(tag)
        assert t.ngettext("%(num)s month", "%(num)s months", 1) % {"num": 1} == one
        assert t.ngettext("%(num)s month", "%(num)s months", 2) % {"num": 2} == two


def test_dates_and_numbers_are_written_the_locale_way():
    day = dt.date(2026, 3, 1)
    expected = {
        "en": ("March 1, 2026", "2.5", "33.3%", "1,234"),
        "en-GB": ("1 March 2026", "2.5", "33.3%", "1,234"),
        "es": ("1 de marzo de 2026", "2,5", "33,3\xa0%", "1.234"),
        "zh-CN": ("2026年3月1日", "2.5", "33.3%", "1,234"),
    }
    for tag, (date, number, percent, thousands) in expected.items():
        fmt = i18n.Formatter(tag)
        assert (fmt.date(day), fmt.number(2.5), fmt.percent(33.3), fmt.number(1234)) == (
            date, number, percent, thousands), tag
    assert i18n.Formatter("en").number(40.0) == "40"
    assert i18n.Formatter("en").percent(0.1 + 0.2) == "0.3%"


def test_defaults_the_author_left_out_come_in_the_framework_language(project_copy):
    from helpers import edit

    from ladderbuild.project import load_project

    project = project_copy()
    edit(project, "framework.yaml", "locale: en", "locale: es")
    edit(project, "framework.yaml", "      label: N/A\n", "")
    fw = load_project(project).framework
    assert fw.meta.scales[0].not_applicable.label == "N/A"  # Spanish writes N/A too …
    assert [m.label for m in fw.meta.validation_methods][:3] == ["Demostración", "Demostración de retorno",
                                                                 "Observación directa"]
    assert fw.meta.evaluation.label == "Evaluación ponderada"
    edit(project, "framework.yaml", "locale: es", "locale: zh-CN")
    fw = load_project(project).framework
    assert fw.meta.scales[0].not_applicable.label == "不适用"  # … Chinese does not
    assert fw.meta.domains[0].name == "Clinical care"  # what the author wrote is never translated


def test_an_unknown_locale_is_an_error_and_one_without_a_catalogue_a_warning(project_copy):
    from helpers import diagnostics, edit, line_of, only

    project = project_copy()
    edit(project, "framework.yaml", "locale: en", "locale: english")
    found = only(diagnostics(project), "invalid-value")
    assert (found.file, found.line) == ("content/framework.yaml", line_of(project, "framework.yaml", "locale:"))
    assert "`english` is not a language tag" in found.message and "zh-CN" in found.hint
    edit(project, "framework.yaml", "locale: english", "locale: fr")
    found = only(diagnostics(project), "untranslated-locale")
    assert found.severity.value == "warning" and "`fr`" in found.message and "`zh-CN`" in found.hint
