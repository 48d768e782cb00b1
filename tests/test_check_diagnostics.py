"""Each diagnostic `check` promises, on a broken copy of the small fixture: exact code, file and line."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from helpers import diagnostics, edit, line_of, only
from ladderbuild.cli import main
from ladderbuild.diagnostics import Severity

LEVEL2 = "levels/assistant-2.md"


def run_check(*args: str):
    return CliRunner().invoke(main, ["check", *args])


def test_clean_fixture_passes(minimal_project):
    result = run_check(str(minimal_project))
    assert result.exit_code == 0, result.output
    assert "3 levels in 2 tracks" in result.output
    assert json.loads(run_check(str(minimal_project), "--format", "json").output) == []


def test_check_accepts_the_content_folder_itself(minimal_project):
    assert run_check(str(minimal_project / "content")).exit_code == 0


def test_yaml_syntax_error_points_at_the_line(project_copy):
    project = project_copy()
    edit(project, "tracks.yaml", "  name: Leadership", "  name: [Leadership")
    found = only(diagnostics(project), "yaml-syntax")
    assert found.file == "content/tracks.yaml"
    assert found.line in (5, 6)
    assert found.hint


def test_tab_indentation(project_copy):
    project = project_copy()
    edit(project, "tracks.yaml", "  name: Leadership", "\tname: Leadership")
    found = only(diagnostics(project), "yaml-tab")
    assert (found.file, found.line) == ("content/tracks.yaml", 5)
    assert "spaces" in found.hint


def test_duplicate_key(project_copy):
    project = project_copy()
    edit(project, "competencies/scheduling.yaml", "name: Scheduling", "name: Scheduling\nname: Booking")
    found = only(diagnostics(project), "duplicate-key")
    assert (found.file, found.line) == ("content/competencies/scheduling.yaml", 3)
    assert "first on line 2" in found.message


def test_unknown_key_suggests_the_right_one(project_copy):
    project = project_copy()
    edit(project, LEVEL2, "summary: Experienced level.", "summary: Experienced level.\nresponsibilites: []")
    found = only(diagnostics(project), "unknown-key")
    assert found.file == "content/levels/assistant-2.md"
    assert found.line == line_of(project, LEVEL2, "responsibilites:")
    assert found.hint == "did you mean `responsibilities`?"


def test_unknown_key_in_a_form_section(project_copy):
    project = project_copy()
    edit(project, "forms/annual.yaml", "    title: Strengths", "    title: Strengths\n    promt: What went well?")
    found = only(diagnostics(project), "unknown-key")
    assert found.line == line_of(project, "forms/annual.yaml", "promt:")
    assert found.hint == "did you mean `prompt`?"


def test_wrong_type_suggests_quoting(project_copy):
    project = project_copy()
    edit(project, "framework.yaml", 'version: "1.0"', "version: 1.0")
    found = only(diagnostics(project), "wrong-type")
    assert (found.file, found.line, found.column) == ("content/framework.yaml", 3, 10)
    assert "quotes" in found.hint


@pytest.mark.parametrize("written, shown", [("No", "`false`"), ("2026-01-01", "`2026-01-01`"), ("12", "the number `12`")])
def test_yaml_reading_text_as_a_boolean_date_or_number_suggests_quoting(project_copy, written, shown):
    """YAML reads `No`, a date or a number as something else than text: the hint says to quote it."""
    project = project_copy()
    edit(project, "competencies/scheduling.yaml", "name: Scheduling", f"name: {written}")
    found = only(diagnostics(project), "wrong-type")
    assert (found.file, found.line) == ("content/competencies/scheduling.yaml", 2)
    assert found.message == f"`name` should be text, not {shown}"
    assert found.hint.startswith("put the value in quotes to make it text")


def test_list_where_a_mapping_belongs(project_copy):
    project = project_copy()
    edit(project, LEVEL2, "  time_in_level:\n    min_months: 12", "  time_in_level:\n    - 12")
    found = only(diagnostics(project), "wrong-type")
    assert found.line == line_of(project, LEVEL2, "- 12")
    assert "mapping" in found.message


def test_missing_required_field(project_copy):
    project = project_copy()
    edit(project, LEVEL2, "summary: Experienced level.\n", "")
    found = only(diagnostics(project), "missing-field")
    assert found.file == "content/levels/assistant-2.md"
    assert "`summary`" in found.message
    assert found.line == 2  # the front matter mapping starts on the line after `---`


def test_duplicate_id(project_copy):
    project = project_copy()
    source = project / "content/competencies/scheduling.yaml"
    (project / "content/competencies/scheduling-copy.yaml").write_text(source.read_text())
    found = diagnostics(project)
    dup = only(found, "duplicate-id")
    # The error lands on the copy, naming the untouched original, whichever file sorts first.
    assert dup.file == "content/competencies/scheduling-copy.yaml"
    assert "already used in content/competencies/scheduling.yaml:1" in dup.message
    assert "scheduling-copy" in dup.hint
    mismatch = only(found, "id-file-mismatch")
    assert mismatch.severity is Severity.WARNING
    # Renaming the copy to scheduling.yaml would overwrite the original: never suggested.
    assert "rename the file" not in mismatch.hint and "change the id to `scheduling-copy`" in mismatch.hint


@pytest.mark.parametrize(
    "relative, old, new, needle, hint",
    [
        (LEVEL2, "  vital-signs: competent", "  vital-sign: competent", "vital-sign:", "did you mean `vital-signs`?"),
        (LEVEL2, "  - to: lead", "  - to: laed", "to: laed", "did you mean `lead`?"),
        ("forms/self.yaml", "audience: employee", "audience: employee\nlevels: [asistant-2]", "levels:",
         "did you mean `assistant-2`?"),
        ("competencies/vital-signs.yaml", "training: [vitals-lab]", "training: [vital-lab]", "training:",
         "did you mean `vitals-lab`?"),
        ("packets/annual-review.yaml", "forms: [self, annual]", "forms: [self, anual]", "forms:",
         "did you mean `annual`?"),
        (LEVEL2, "mandatory_training: [ehr-basics]", "mandatory_training: [ehr-basic]", "mandatory_training",
         "did you mean `ehr-basics`?"),
    ],
    ids=["level-competency", "level-level", "form-level", "competency-training", "packet-form", "gate-training"],
)
def test_dangling_references(project_copy, relative, old, new, needle, hint):
    project = project_copy()
    edit(project, relative, old, new)
    found = only(diagnostics(project), "unknown-reference")
    assert found.file == f"content/{relative}"
    assert found.line == line_of(project, relative, needle)
    assert found.hint == hint


def test_weights_must_total_100(project_copy):
    project = project_copy()
    edit(project, "framework.yaml", "weight: 15", "weight: 20")
    found = only(diagnostics(project), "weights-total")
    assert "total 105 (60 + 25 + 20)" in found.message
    assert found.line == line_of(project, "framework.yaml", "- id: competencies")


def test_expected_stage_the_framework_does_not_have(project_copy):
    project = project_copy()
    edit(project, LEVEL2, "  vital-signs: competent", "  vital-signs: competant")
    found = only(diagnostics(project), "unknown-stage")
    assert found.line == line_of(project, LEVEL2, "vital-signs: competant")
    assert found.hint == "did you mean `competent`?"


def test_anchor_for_an_unknown_stage_and_a_missing_anchor(project_copy):
    project = project_copy()
    edit(project, "competencies/scheduling.yaml", "  expert: Designs", "  master: Designs")
    found = diagnostics(project)
    unknown = only(found, "unknown-stage")
    assert unknown.line == line_of(project, "competencies/scheduling.yaml", "master:")
    missing = only(found, "missing-anchor")
    assert "`expert`" in missing.message
    assert missing.file == "content/competencies/scheduling.yaml"


def test_promotion_cycle(project_copy):
    project = project_copy()
    edit(project, "levels/lead.md", "summary: Leads the team.",
         "summary: Leads the team.\npaths:\n  - to: assistant-1")
    found = only(diagnostics(project), "promotion-cycle")
    assert "assistant-1 → assistant-2 → lead → assistant-1" in found.message
    assert "lateral" in found.hint


def test_lateral_moves_both_ways_are_not_a_cycle(project_copy):
    project = project_copy()
    edit(project, "levels/lead.md", "summary: Leads the team.",
         "summary: Leads the team.\npaths:\n  - to: assistant-2\n    kind: lateral")
    assert [d for d in diagnostics(project) if d.code == "promotion-cycle"] == []


def test_inheritance_cycle(project_copy):
    project = project_copy()
    edit(project, "levels/assistant-1.md", "rank: 1\n", "rank: 1\ninherits: lead\n")
    found = only(diagnostics(project), "inheritance-cycle")
    assert "assistant-1 → lead → assistant-2 → assistant-1" in found.message


def test_unreachable_level_and_unused_competency_are_warnings(project_copy):
    project = project_copy()
    edit(project, LEVEL2, "  - to: lead\n", "  - to: assistant-1\n    kind: lateral\n")
    (project / "content/competencies/triage.yaml").write_text(
        "id: triage\nname: Triage\ndomain: clinical\ndescription: Sorts patients by urgency.\n"
        "anchors:\n  novice: a\n  competent: b\n  expert: c\n")
    found = diagnostics(project)
    unreachable = only(found, "unreachable-level")
    assert (unreachable.file, unreachable.severity) == ("content/levels/lead.md", Severity.WARNING)
    unused = only(found, "unused-competency")
    assert (unused.file, unused.severity) == ("content/competencies/triage.yaml", Severity.WARNING)
    assert run_check(str(project)).exit_code == 0  # warnings alone pass …
    assert run_check(str(project), "--strict").exit_code == 1  # … unless --strict


def test_broken_link_between_markdown_pages(project_copy):
    project = project_copy()
    edit(project, "pages/promotion.md", "../levels/assistant-1.md", "../levels/asistant-1.md")
    found = only(diagnostics(project), "broken-link")
    assert found.file == "content/pages/promotion.md"
    assert found.line == line_of(project, "pages/promotion.md", "asistant-1.md")
    assert found.hint == "did you mean `levels/assistant-1.md`?"


def test_links_in_markdown_fields_of_yaml_are_checked_too(project_copy):
    """A description is Markdown like a page body: its links are checked, relative to its own file."""
    project = project_copy()
    edit(project, "competencies/scheduling.yaml", "description: Books and manages appointments in the EHR.",
         "description: Books appointments ([policy](../pages/promotoin.md)).")
    edit(project, "glossary.yaml", "definition: ", "definition: See [this](javascript:alert(1)). ")
    found = diagnostics(project)
    broken = only(found, "broken-link")
    assert (broken.file, broken.line) == ("content/competencies/scheduling.yaml", 4)
    assert broken.message == "the link `../pages/promotoin.md` points to a file that does not exist (in `description`)"
    assert broken.hint == "did you mean `pages/promotion.md`?"
    unsafe = only(found, "unsafe-link")
    assert unsafe.file == "content/glossary.yaml"
    assert unsafe.line == line_of(project, "glossary.yaml", "javascript:")
    assert unsafe.message.endswith("(in `definition`)")
    # The same links, correct, pass: a link from a competency to a page goes up one folder.
    edit(project, "competencies/scheduling.yaml", "promotoin.md", "promotion.md")
    edit(project, "glossary.yaml", "See [this](javascript:alert(1)). ", "")
    assert not [d for d in diagnostics(project) if d.code.endswith("-link")]


def test_all_diagnostics_at_once_and_json_format(project_copy):
    project = project_copy()
    edit(project, "framework.yaml", "weight: 15", "weight: 20")
    edit(project, LEVEL2, "  vital-signs: competent", "  vital-signs: competant")
    edit(project, "tracks.yaml", "  name: Leadership", "  nam: Leadership")
    result = run_check(str(project), "--format", "json")
    assert result.exit_code == 1
    codes = sorted(d["code"] for d in json.loads(result.stdout))
    assert codes == ["missing-field", "unknown-key", "unknown-stage", "weights-total"]
    first = json.loads(result.stdout)[0]
    assert set(first) == {"file", "line", "column", "severity", "code", "message", "hint"}


@pytest.mark.parametrize(
    "content, code",
    [
        (b"", "empty-file"),
        (b"- just\n- a list\n", "wrong-type"),
        (b"id: \xff\xfe broken\n", "not-utf8"),
        (b"a: &a [1, 2]\nb: *a\n", "yaml-alias"),
        (b"a: &a ['x','x','x']\nb: &b [*a,*a,*a]\nc: &c [*b,*b,*b]\nd: [*c,*c,*c]\n", "yaml-alias"),
        (b"[" * 100 + b"]" * 100, "too-deep"),
        (b"id: x\n<<: {name: y}\n", "yaml-alias"),
    ],
    ids=["empty", "list-not-mapping", "invalid-utf8", "alias", "alias-bomb", "deep-nesting", "merge-key"],
)
def test_malformed_files_get_a_diagnostic_not_a_traceback(project_copy, content, code):
    project = project_copy()
    (project / "content/competencies/broken.yaml").write_bytes(content)
    found = diagnostics(project)
    hit = [d for d in found if d.file == "content/competencies/broken.yaml" and d.code == code]
    assert hit, "\n".join(d.format() for d in found)
    assert all(d.hint for d in hit)


def test_no_traceback_from_the_command_line(project_copy):
    project = project_copy()
    (project / "content/framework.yaml").write_bytes(b"\x00\x01 not yaml: [")
    proc = subprocess.run([sys.executable, "-m", "ladderbuild.cli", "check", str(project)],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "content/framework.yaml:1:" in proc.stderr


def test_missing_content_folder(tmp_path):
    result = run_check(str(tmp_path))
    assert result.exit_code == 1
    assert "[missing-content]" in result.output


def test_an_invalid_id_used_as_a_key_points_at_the_key(project_copy):
    project = project_copy()
    edit(project, LEVEL2, "  vital-signs: competent", "  Vital Signs: competent")
    found = only(diagnostics(project), "invalid-id")
    assert found.message == "the key `Vital Signs` under `competencies` is not a valid id"
    assert (found.line, found.column) == (line_of(project, LEVEL2, "Vital Signs:"), 3)


def test_a_section_without_kind_lists_the_kinds(project_copy):
    project = project_copy()
    edit(project, "forms/self.yaml", "  - kind: competency-ratings", "  - title: Ratings")
    found = only(diagnostics(project), "missing-field")
    assert "competency-ratings" in found.hint and "signatures" in found.hint


def test_too_few_entries_and_numbers_out_of_range(project_copy):
    project = project_copy()
    edit(project, "framework.yaml", "  - id: competent\n    label: Competent\n    description: Plans and works "
         "independently.\n  - id: expert\n    label: Expert\n    description: Intuitive grasp; teaches others.\n", "")
    edit(project, "levels/assistant-1.md", "rank: 1", "rank: 0")
    found = diagnostics(project)
    assert any(d.message == "`stages` needs at least 2 entries" for d in found), found
    rank = [d for d in found if d.message.startswith("`rank` is 0")]
    assert rank and rank[0].message == "`rank` is 0, but it must be at least 1"


def test_levels_all_or_a_list(project_copy):
    project = project_copy()
    edit(project, "forms/self.yaml", "audience: employee", "audience: employee\nlevels: some")
    found = only(diagnostics(project), "invalid-value")
    assert found.message == "`levels` should be `all` or a list of ids, not the text `some`"


def test_stage_label_written_instead_of_id(project_copy):
    project = project_copy()
    edit(project, LEVEL2, "  vital-signs: competent", "  vital-signs: Competent")
    assert only(diagnostics(project), "unknown-stage").hint == (
        "`Competent` is the label of the stage `competent`; write the id")


def test_a_file_that_fails_to_load_does_not_cascade(project_copy):
    project = project_copy()
    (project / "content/competencies/scheduling.yaml").write_text("id: scheduling\nname: [broken\n")
    edit(project, "levels/assistant-2.md", "summary: Experienced level.\n", "")
    codes = sorted(d.code for d in diagnostics(project))
    assert codes == ["missing-field", "yaml-syntax"]  # no unknown-reference, no unreachable-level


def test_editor_backups_and_hidden_files_are_not_content(project_copy):
    project = project_copy()
    source = (project / "content/levels/lead.md").read_text()
    for name in (".#lead.md", "lead.md~", ".draft.md"):
        (project / "content/levels" / name).write_text(source)
    (project / "content/.obsidian").mkdir()
    (project / "content/.obsidian/workspace.json").write_text("{}")
    assert diagnostics(project) == []


def test_script_links_are_reported(project_copy):
    project = project_copy()
    edit(project, "pages/promotion.md", "Talk to your manager.", "Talk to [your manager](javascript:alert(1)).")
    found = only(diagnostics(project), "unsafe-link")
    assert found.line == line_of(project, "pages/promotion.md", "javascript:")


def test_full_width_colon_gets_its_own_hint(project_copy):
    project = project_copy()
    edit(project, "tracks.yaml", "  name: Leadership", "  name：领导力")
    found = only(diagnostics(project), "yaml-syntax")
    assert "full-width colon" in found.message and "`: `" in found.hint


def test_a_promotion_down_the_ranks_of_a_track(project_copy):
    project = project_copy()
    edit(project, "levels/assistant-2.md", "rank: 2", "rank: 1\nentry: true")
    edit(project, "levels/assistant-1.md", "rank: 1", "rank: 2")
    found = only(diagnostics(project), "promotion-rank")
    assert found.file == "content/levels/assistant-1.md"
    assert found.line == line_of(project, "levels/assistant-1.md", "- to: assistant-2")


def test_broken_link_with_nothing_close(project_copy):
    project = project_copy()
    edit(project, "pages/promotion.md", "../levels/assistant-1.md", "../handbook/zzz.md")
    found = only(diagnostics(project), "broken-link")
    assert found.hint == "the link is relative to content/pages/promotion.md; fix the path, or create content/handbook/zzz.md"


def test_a_comment_rule_must_name_ratings_the_scale_has(project_copy):
    project = project_copy()
    edit(project, "framework.yaml", "      at_or_below: 2", "      at_or_below: 0\n      values: [3, 7]")
    found = [d for d in diagnostics(project) if d.code == "invalid-value"]
    assert [(d.file, d.line) for d in found] == [("content/framework.yaml", 41), ("content/framework.yaml", 42)]
    assert found[0].message == ("`at_or_below: 0` is below every rating of the scale `four-point` (1, 2, 3, 4), "
                                "so it never asks for a comment")
    assert found[1].message == "the scale `four-point` has no rating 7 (its ratings: 1, 2, 3, 4)"
    assert found[1].hint == "list only ratings the scale has, or remove this one"
