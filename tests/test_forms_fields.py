"""Form fields: every input a real, well-named AcroForm field of the right type."""

from __future__ import annotations

import re

from test_forms_support import built, field_kinds, framework, page_text, reader, widgets_by_field

from ladderbuild.hiring import has_interview


def test_every_form_and_packet_of_every_level_is_written():
    out = built("forms-all")
    fw = framework("forms-all")
    expected = {f"forms/{f.id}--{lvl.id}.pdf" for lvl in fw.levels for f in fw.forms_for(lvl)}
    expected |= {f"packets/{p.id}--{lvl.id}.pdf" for lvl in fw.levels for p in fw.packets_for(lvl)}
    expected |= {f"jobs/{lvl.id}.pdf" for lvl in fw.levels}  # a job description per level
    expected |= {f"interviews/{lvl.id}.pdf" for lvl in fw.levels if has_interview(fw, lvl)}
    written = {p.relative_to(out).as_posix() for p in out.rglob("*.pdf")}
    assert written == expected
    assert "forms/promotion--assistant-1.pdf" not in written  # the form lists its levels
    assert not list(out.rglob("*.part"))


def test_a_radio_group_per_rated_competency_with_the_scale_and_not_applicable():
    pdf = reader(built("minimal") / "forms/annual--assistant-2.pdf")
    kinds = field_kinds(pdf)
    for comp in ("vital-signs", "scheduling"):
        assert kinds[f"rating.{comp}"] == ("radio", ("1", "2", "3", "4", "na"))
        assert kinds[f"comment.{comp}"] == ("multiline", ())
    # one group per competency: the buttons are widgets of the group, not fields of their own
    assert not [name for name in kinds if name.startswith("rating.vital-signs.")]
    assert len(widgets_by_field(pdf)["rating.vital-signs"]) == 5


def test_only_the_level_s_competencies_are_rated():
    fw = framework("minimal")
    for level in fw.levels:
        kinds = field_kinds(reader(built("minimal") / f"forms/annual--{level.id}.pdf"))
        rated = {n.split(".", 1)[1] for n in kinds if n.startswith("rating.")}
        assert rated == set(level.competencies)


def test_header_goal_value_score_and_signature_fields_have_stable_names():
    kinds = field_kinds(reader(built("minimal") / "forms/annual--assistant-2.pdf"))
    for name in ("employee.name", "employee.id", "employee.level", "employee.department", "employee.hire-date",
                 "review.period", "evaluator.name", "reviewer.name",
                 "goal.1.text", "goal.3.comment", "score.competencies.average", "score.goals.weighted",
                 "score.total", "narrative.strengths", "signature.employee.date",
                 "signature.hr.name", "signature.reviewer.date"):
        assert kinds[name][0] in ("text", "multiline"), name
    for name in ("signature.employee.sign", "signature.evaluator.sign", "signature.reviewer.sign", "signature.hr.sign"):
        assert kinds[name][0] == "/Sig", name  # a real signature field, for Acrobat and e-signature tools
    assert kinds["goal.2.rating"] == ("radio", ("1", "2", "3", "4", "na"))
    assert kinds["value.respect.rating"][0] == "radio"
    # the employee signs with the name from the header: one field, several widgets
    assert "signature.employee.name" not in kinds


def test_the_employee_name_is_one_field_shown_in_the_header_every_footer_and_the_signature():
    pdf = reader(built("minimal") / "forms/annual--assistant-2.pdf")
    pages = widgets_by_field(pdf)["employee.name"]
    assert set(range(len(pdf.pages))) <= set(pages)  # a footer widget on every page
    assert len(pages) == len(pdf.pages) + 2  # + header + employee signature block


def test_validation_checklist_fields():
    kinds = field_kinds(reader(built("forms-all") / "forms/validation--assistant-2.pdf"))
    assert kinds["validation.vital-signs"] == ("radio", ("met", "not-met", "not-observed"))
    assert kinds["validation.scheduling"] == ("radio", ("met", "not-met", "not-observed"))
    for part in ("name", "credential", "initials", "date"):
        assert kinds[f"validator.vital-signs.{part}"][0] == "text"
    # the competency's own validation methods (and all methods when it names none) as checkboxes
    assert {n for n in kinds if n.startswith("method.vital-signs.")} == {
        "method.vital-signs.observation", "method.vital-signs.return-demonstration"}
    assert len([n for n in kinds if n.startswith("method.scheduling.")]) == 6
    assert kinds["step.vital-signs.1"] == ("checkbox", ("Yes",))
    assert kinds["validator.name"][0] == "text"  # header
    assert "signature.validator.date" in kinds


def test_promotion_readiness_fields_and_facts():
    path = built("forms-all") / "forms/promotion--assistant-2.pdf"
    pdf = reader(path)
    kinds = field_kinds(pdf)
    text = " ".join(page_text(pdf, i) for i in range(len(pdf.pages)))
    assert "Promotion from Assistant I to Assistant II" in text
    assert "At least 12 months as Assistant I" in text
    assert "Last overall rating at least 3 (Meets)" in text
    assert "No corrective action in the last 12 months" in text
    assert "Mandatory training completed: EHR basics" in text
    assert "at least 10 points, from at least 2 categories" in text
    for gate in ("time-in-level", "last-rating", "discipline", "training-ehr-basics", "credential-2"):
        assert kinds[f"gate.{gate}.met"][0] == "checkbox", gate
        assert kinds[f"gate.{gate}.note"][0] == "text", gate
    assert kinds["points.teaching.count"][0] == "text"
    assert kinds["points.total"][0] == "text"
    assert kinds["decision.outcome"] == ("radio", ("approved", "deferred", "not-approved"))
    assert kinds["promotion.target-level"][0] == "text"
    assert kinds["promotion.current-level"][0] == "text"
    assert kinds["rating.vital-signs"][0] == "radio"
    values = {k: str(v.get("/V", "")) for k, v in pdf.get_fields().items()}
    assert values["promotion.target-level"] == "Assistant II"
    assert values["promotion.current-level"] == "Assistant I"
    assert "Next, at Expert:" in text  # show_next_stage prints the anchor one stage up


def test_plan_ninety_day_and_peer_fields():
    out = built("forms-all")
    plan = field_kinds(reader(out / "forms/plan--assistant-1.pdf"))
    for n in (1, 2):
        for part, kind in (("goal", "multiline"), ("measure", "text"), ("actions", "multiline"),
                           ("competency", "text"), ("target-date", "text")):
            assert plan[f"smart.{n}.{part}"][0] == kind
    assert "smart.3.goal" not in plan
    assert plan["narrative.support"][0] == "multiline"
    ninety = field_kinds(reader(out / "forms/ninety--assistant-1.pdf"))
    assert ninety["kpi.intake-complete.result"][0] == "text"
    assert ninety["kpi.intake-complete.met"] == ("radio", ("met", "not-met"))
    assert ninety["employee.hire-date"][0] == "text"
    peer = field_kinds(reader(out / "forms/peer--lead.pdf"))
    assert peer["value.respect.rating"][0] == "radio"
    assert peer["peer.name"][0] == "text"
    assert "signature.peer.date" in peer


def test_comments_are_marked_required_where_the_scale_says():
    pdf = reader(built("minimal") / "forms/annual--assistant-2.pdf")
    text = page_text(pdf, 0)
    # four-point scale: comment_required top: true, at_or_below: 2; the legend and every rating row mark them
    assert "Ratings marked * need a written comment." in text
    for label in ("4 · Exceeds*", "3 · Meets ", "2 · Partially meets*", "1 · Does not meet*"):
        assert label in text, label
    assert re.search(r"Vital signs .*4 Exceeds\* 3 Meets 2 Partially meets\* 1 Does not meet\* N/A", text)


def test_field_tooltips_name_what_the_field_is_for():
    fields = reader(built("minimal") / "forms/annual--assistant-2.pdf").get_fields()
    assert str(fields["comment.vital-signs"]["/TU"]) == "Comment: Vital signs"
    assert str(fields["employee.id"]["/TU"]) == "Employee ID"


def test_fields_type_with_an_embedded_subset_and_no_font_is_embedded_whole():
    pdf = reader(built("minimal") / "forms/annual--assistant-2.pdf")
    acro = pdf.trailer["/Root"]["/AcroForm"]
    base = acro["/DR"]["/Font"]["/LbBase"].get_object()
    assert "+" in str(base["/BaseFont"])  # a subset …
    assert "/FontFile2" in base["/DescendantFonts"][0].get_object()["/FontDescriptor"]  # … embedded
    appearances = [str(annot.get_object().get("/DA")) for page in pdf.pages for annot in page["/Annots"]
                   if "/DA" in annot.get_object()]
    assert len(appearances) > 20 and all(da.startswith("/LbBase ") for da in appearances)
    fonts = pdf.pages[0]["/Resources"]["/Font"]
    for font in fonts.values():
        font = font.get_object()
        assert "+" in str(font["/BaseFont"]), f"{font['/BaseFont']} is embedded whole, not subset"
