"""Packets: a cover with contents and instructions, then the forms in order, one outline over all."""

from __future__ import annotations

from test_forms_support import built, field_kinds, framework, outline_titles, page_text, reader


def test_packet_is_cover_then_forms_in_order():
    out = built("minimal")
    packet = reader(out / "packets/annual-review--assistant-2.pdf")
    forms = [reader(out / f"forms/{f}--assistant-2.pdf") for f in ("self", "annual")]
    # a cover, then each form as it is alone (each prints its own scale legend: assembled from the forms' PDFs)
    assert len(packet.pages) == 1 + sum(len(f.pages) for f in forms)
    cover = page_text(packet, 0)
    assert "Annual review packet" in cover and "Assistant II · Annual review" in cover
    assert "Contents" in cover and "Instructions" in cover
    # contents list each form with who completes it and the page it starts on (as the outline says)
    starts = {str(item.title): packet.get_destination_page_number(item) for item in packet.outline
              if not isinstance(item, list)}
    assert starts["Self-assessment"] == 1 < starts["Annual evaluation"]
    assert "Self-assessment Employee 2" in cover
    assert f"Annual evaluation Manager {starts['Annual evaluation'] + 1}" in cover
    assert page_text(packet, 1).count("Self-assessment") >= 1
    assert "Annual evaluation" in page_text(packet, starts["Annual evaluation"])
    total = len(packet.pages)
    for index in range(total):
        assert f"Page {index + 1} of {total}" in page_text(packet, index)


def test_packet_outline_covers_the_cover_and_every_form():
    packet = reader(built("minimal") / "packets/annual-review--assistant-2.pdf")
    top = [title for depth, title in outline_titles(packet) if depth == 1]
    assert top == ["Annual review packet", "Self-assessment", "Annual evaluation"]
    titles = outline_titles(packet)
    start = titles.index((1, "Annual evaluation"))
    assert (2, "Weighted evaluation") in titles[start:]
    assert (2, "Competency ratings") in titles[1:start]


def test_packet_instructions_from_content_are_on_the_cover():
    packet = reader(built("forms-all") / "packets/promotion-review--assistant-2.pdf")
    assert "The committee reads the validation checklist before the readiness form." in page_text(packet, 0)
    assert [t for d, t in outline_titles(packet) if d == 1] == [
        "Promotion review packet", "Competency validation checklist", "Promotion readiness"]


def test_in_a_packet_identity_fields_are_shared_and_the_rest_belong_to_one_form():
    kinds = field_kinds(reader(built("minimal") / "packets/annual-review--assistant-2.pdf"))
    for shared in ("employee.name", "employee.id", "employee.level", "manager.name", "review.period",
                   "evaluator.name"):
        assert shared in kinds
    assert kinds["self.rating.vital-signs"][0] == "radio"
    assert kinds["annual.rating.vital-signs"][0] == "radio"
    assert "rating.vital-signs" not in kinds
    assert "self.signature.employee.date" in kinds and "annual.signature.hr.date" in kinds


def test_packets_exist_only_where_every_form_applies():
    fw = framework("forms-all")
    out = built("forms-all")
    for level in fw.levels:
        for packet in fw.packets:
            exists = (out / f"packets/{packet.id}--{level.id}.pdf").exists()
            assert exists == (packet in fw.packets_for(level))
