"""Form views → HTML, through the theme's Jinja2 templates (templates/forms/)."""

from __future__ import annotations

import datetime as dt
import os
import re
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from .. import i18n
from ..i18n import N_
from ..model import FormFile, PacketFile
from ..resolve import Framework, Level
from ..theme import make_environment
from . import view

FORM_TEMPLATE = "forms/form.html"
PACKET_TEMPLATE = "forms/packet.html"  # a packet laid out whole (the reference assembled packets are tested against)
COVER_TEMPLATE = "forms/packet-cover.html"  # a packet's cover alone, to which its forms' PDFs are appended
PAGE_FOOTER = N_("Page %(page)s of %(pages)s")  # document.html's @bottom-right


def page_counters(text: str) -> Markup:
    """`Page {page} of {pages}` (translated) → a CSS `content` value with the page counters."""
    parts = re.split(r"(\{page\}|\{pages\})", str(text))
    out = []
    for part in parts:
        if part == "{page}":
            out.append("counter(page)")
        elif part == "{pages}":
            out.append("counter(pages)")
        elif part:
            out.append('"' + part.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"')
    return Markup(" ".join(out) or '""')


def page_footer(locale: str) -> str:
    """The pages' footer as document.html prints it in `locale`, with `%(page)s` and `%(pages)s` where the
    numbers go: what an assembled packet rewrites on every page (assemble.py)."""
    return i18n.translations_for(locale).gettext(PAGE_FOOTER)


@lru_cache(maxsize=8)
def environment(templates: Path | None, locale: str) -> jinja2.Environment:
    env = make_environment(templates, locale)
    env.filters["page_counters"] = page_counters
    return env


def created_date(fw: Framework) -> str:
    """The PDFs' creation date: SOURCE_DATE_EPOCH when set, else the framework's effective date.

    Never the clock, so the same content gives byte-identical PDFs.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        moment = dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    else:
        moment = dt.datetime.combine(fw.meta.effective, dt.time(0, 0), tzinfo=dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def form_html(fw: Framework, form: FormFile, level: Level, *, paper: str, templates: Path | None = None,
              promotion: bool = False) -> str:
    """A form alone; with `promotion`, as a promotion packet binds it (view.form_document)."""
    doc = view.form_document(fw, form, level, created=created_date(fw), paper=paper, promotion=promotion)
    return environment(templates, fw.meta.locale).get_template(FORM_TEMPLATE).render(doc=doc, fw=fw)


def packet_html(fw: Framework, packet: PacketFile, level: Level, *, paper: str,
                templates: Path | None = None, values: dict[str, str] | None = None,
                title: str | None = None, employee: str = "") -> str:
    """The packet laid out whole, cover and forms in one document: what an assembled packet must equal
    (forms/assemble.py). `values` pre-fill text fields by name, `title` replaces the document title and
    `employee` is the id recorded in its metadata (personal.reference_packet)."""
    doc = view.packet_document(fw, packet, level, created=created_date(fw), paper=paper, values=values, title=title,
                               employee=employee)
    return environment(templates, fw.meta.locale).get_template(PACKET_TEMPLATE).render(doc=doc, fw=fw)


def packet_cover_html(fw: Framework, packet: PacketFile, level: Level, *, paper: str, contents_pages: tuple[str, ...],
                      templates: Path | None = None) -> str:
    """The packet's cover alone, its document information that of the whole packet; `contents_pages` are what the
    contents print as the page each form starts on."""
    doc = view.packet_document(fw, packet, level, created=created_date(fw), paper=paper,
                               contents_pages=contents_pages)
    return environment(templates, fw.meta.locale).get_template(COVER_TEMPLATE).render(doc=doc, fw=fw)
