"""Page renders for people to look at: one page of each form type, a packet cover and a personalised
packet, as PNG in test-artifacts/forms/ (poppler's pdftoppm)."""

from __future__ import annotations

import subprocess

import pytest
from PIL import Image

from ladderbuild.forms.acroform import FilledTemplate
from test_forms_support import built

RENDERS = {
    "annual-evaluation": ("forms/annual--assistant-2.pdf", 1),
    "self-assessment": ("forms/self--lead.pdf", 1),
    "competency-validation": ("forms/validation--assistant-2.pdf", 1),
    "promotion-readiness": ("forms/promotion--assistant-2.pdf", 1),
    "development-plan": ("forms/plan--assistant-1.pdf", 1),
    "ninety-day-review": ("forms/ninety--assistant-1.pdf", 1),
    "peer-feedback": ("forms/peer--lead.pdf", 1),
    "weighted-score-and-signatures": ("forms/annual--assistant-2.pdf", -1),
    "packet-cover": ("packets/annual-review--assistant-2.pdf", 1),
}


def _png(pdf, page: int, target) -> Image.Image:
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                    str(target)], check=True, capture_output=True)
    return Image.open(f"{target}.png").convert("L")


def _ink(image: Image.Image, box) -> int:
    """How many dark pixels a region holds."""
    return sum(image.crop(box).histogram()[:128])


@pytest.mark.parametrize("name", sorted(RENDERS))
def test_render_a_page_of_each_form_type(name, artifacts_dir):
    from pypdf import PdfReader

    path, page = RENDERS[name]
    pdf = built("forms-all") / path
    if page < 0:
        page = len(PdfReader(pdf).pages) + 1 + page
    (artifacts_dir / "forms").mkdir(exist_ok=True)
    image = _png(pdf, page, artifacts_dir / "forms" / name)
    assert image.size == (680, 880)  # Letter at 80 dpi
    assert _ink(image, (0, 0, 680, 880)) > 5000  # the page is not blank
    margin = round(15 / 25.4 * 80) - 2
    assert _ink(image, (0, 0, margin, 880)) == 0 and _ink(image, (680 - margin, 0, 680, 880)) == 0


def test_render_a_personalised_packet_shows_the_filled_in_name(artifacts_dir, tmp_path):
    blank = built("forms-all") / "packets/annual-review--lead.pdf"
    filled = tmp_path / "filled.pdf"
    filled.write_bytes(FilledTemplate(blank.read_bytes()).fill({"employee.name": "Samuel Okafor"}))
    (artifacts_dir / "forms").mkdir(exist_ok=True)
    before = _png(blank, 1, artifacts_dir / "forms" / "packet-blank")
    after = _png(filled, 1, artifacts_dir / "forms" / "packet-personalised")
    # poppler draws the value from the appearance stream: the footer and the name box gain ink
    footer = (40, 820, 300, 850)
    assert _ink(after, footer) > _ink(before, footer) + 50
