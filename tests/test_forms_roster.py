"""The roster of a personalised-packet run: every problem named by row and column, with a hint."""

from __future__ import annotations

from pathlib import Path

import pytest

from ladderbuild.forms.personal import check_roster
from ladderbuild.forms.roster import RosterError, RosterProblem, safe_file_stem
from test_forms_support import FIXTURES, framework

ROSTERS = FIXTURES / "rosters"
HEADER = "employee_id,name,level,manager\n"


def _check(tmp_path: Path, text: str | bytes, packet: str | None = None):
    path = tmp_path / "roster.csv"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return check_roster(framework("forms-all"), path, packet)


def _only(problems: list[RosterProblem]) -> RosterProblem:
    assert len(problems) == 1, [p.format("r.csv") for p in problems]
    return problems[0]


def test_a_good_roster_reads_every_row(tmp_path):
    employees, problems = check_roster(framework("minimal"), ROSTERS / "minimal.csv")
    assert problems == []
    assert [e.employee_id for e in employees] == ["E1001", "E1002", "E1003"]
    nguyen = employees[1]
    assert nguyen.name == "Nguyen, Thi Minh"  # quoted comma
    assert nguyen.level.id == "assistant-2"  # given by its title
    assert (nguyen.manager, nguyen.department, nguyen.hire_date) == ("Maria Lopez", "Family Medicine", "2021-07-01")
    assert employees[0].name == "Zoë O'Brien"
    assert employees[0].row == 2


def test_unknown_level_suggests_the_nearest(tmp_path):
    problem = _only(_check(tmp_path, HEADER + "E1,Ana,assitant-2,Maria\n")[1])
    assert (problem.row, problem.column) == (2, "level")
    assert "unknown level `assitant-2`" in problem.message
    assert problem.hint == "did you mean `assistant-2`?"
    assert problem.format("roster.csv").startswith("roster.csv:2: column `level`: unknown level")


def test_missing_name_and_duplicate_id_name_their_rows(tmp_path):
    _, problems = _check(tmp_path, HEADER + "E1,Ana,assistant-1,M\nE2,,assistant-1,M\n\nE1,Ana again,lead,M\n")
    assert [(p.row, p.column) for p in problems] == [(3, "name"), (5, "employee_id")]
    assert problems[0].message == "name is empty"
    assert "duplicate employee ID `E1` (also on row 2)" in problems[1].message


def test_ids_that_would_share_a_file_name_are_duplicates(tmp_path):
    _, problems = _check(tmp_path, HEADER + "ab/1,Ana,assistant-1,M\nAB_1,Bo,assistant-1,M\n")
    assert _only(problems).row == 3
    assert safe_file_stem("../../etc/passwd") == "etc_passwd"
    assert safe_file_stem("E 10/2") == "E_10_2"


def test_wrong_columns_stop_before_any_row(tmp_path):
    with pytest.raises(RosterError) as err:
        _check(tmp_path, "employee id,full_name,level,manger,email\nE1,Ana,assistant-1,M,a@x\n")
    found = {(p.column, p.message) for p in err.value.problems}
    assert ("full_name", "unknown column") in found
    assert ("email", "unknown column") in found
    assert ("name", "required column is missing") in found
    assert ("manager", "required column is missing") in found
    hints = {p.column: p.hint for p in err.value.problems}
    assert hints["manger"] == "did you mean `manager`?"
    assert all(p.row == 1 for p in err.value.problems)  # "employee id" is accepted for employee_id


def test_a_row_with_too_many_cells(tmp_path):
    problem = _only(_check(tmp_path, HEADER + "E1,Ana,Silva,assistant-1,M\n")[1])
    assert problem.row == 2 and "5 cells but the header has 4" in problem.message


def test_bad_encoding_names_the_line(tmp_path):
    data = (HEADER + "E1,Ana,assistant-1,M\n").encode() + "E2,José,assistant-1,M\n".encode("latin-1")
    with pytest.raises(RosterError) as err:
        _check(tmp_path, data)
    problem = err.value.problems[0]
    assert problem.row == 3 and "not valid UTF-8" in problem.message
    assert "CSV UTF-8" in problem.hint


def test_excel_bom_semicolons_and_blank_lines_are_fine(tmp_path):
    employees, problems = _check(tmp_path, "\ufeffEmployee_ID;Name;Level;Manager;Hire date\r\n"
                                           "E1;Ana;assistant-1;M;2024-02-29\r\n\r\n")
    assert problems == [] and employees[0].hire_date == "2024-02-29"


def test_bad_hire_date_and_control_characters(tmp_path):
    _, problems = _check(tmp_path, "employee_id,name,level,manager,hire_date\n"
                                   "E1,Ana,assistant-1,M,03/18/2024\nE2,\"Bo\x07\",assistant-1,M,\n")
    assert [(p.row, p.column) for p in problems] == [(2, "hire_date"), (3, "name")]


def test_the_packet_must_apply_to_the_row_s_level(tmp_path):
    employees, problems = _check(tmp_path, "employee_id,name,level,manager,target_level\n"
                                 "E1,Ana,assistant-1,M,\nE2,Bo,assistant-1,M,lead\nE3,Cy,lead,M,assistant-1\n"
                                 "E4,Di,assistant-2,M,\n", packet="promotion-review")
    # a promotion packet is for the target level: the only level onward, or the one given
    assert [(e.employee_id, e.target and e.target.id) for e in employees] == [("E1", "assistant-2")]
    # lead is reachable from assistant-1 (through assistant-2) and from assistant-2, but the packet is for
    # assistant-2 only; nothing leads from lead back to assistant-1
    assert [(p.row, p.column) for p in problems] == [(3, "level"), (4, "target_level"), (5, "level")]
    assert "does not apply" in problems[0].message
    assert "`assistant-1` cannot be reached from `lead` by a promotion path" in problems[1].message
    assert "no path leads on from `lead`" in problems[1].hint


def test_a_value_no_installed_font_can_print_is_refused_with_its_row(tmp_path):
    problem = _only(_check(tmp_path, HEADER + "E1,Ana \U0001d11e,assistant-2,M\n")[1])
    assert (problem.row, problem.column) == (2, "name")
    assert "no installed font can print 1 character: \U0001d11e (U+1D11E)" in problem.message


def test_an_empty_roster(tmp_path):
    with pytest.raises(RosterError):
        _check(tmp_path, "")
    employees, problems = _check(tmp_path, HEADER)
    assert employees == [] and problems == []
