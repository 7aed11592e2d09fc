r"""Grading against a reference solution (issue 14): targets met by content, in the student's own notation.

The fast tests here check the pieces (targets read from a reference, index letters renamed, candidate claims,
scores) and a few submissions end to end; the class in tests/fixtures/class is graded in test_class_grades.py.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from symsoft.decide.verdicts import EquationVerdict
from symsoft.errors import UsageError
from symsoft.grade.batch import grade, load_rubric
from symsoft.grade.reference import (Target, candidates, free_indices, load_reference, parse_target, renamed,
                                     targets_from_reference)
from symsoft.read.document import DisplayEquation
from symsoft.render.grade import grade_line, render_csv, render_gradescope

ROOT = Path(__file__).resolve().parent.parent
RUBRIC = ROOT / "derivations" / "softmax_rubric.yaml"
JACOBIAN = parse_target("jacobian", r"\frac{\partial \sigma(z_i)}{\partial z_j} = \sigma(z_i)(\delta_{ij} - \sigma(z_j))", 3.0)


def test_the_reference_solution_is_itself_proved():
    from symsoft.check import check

    report = check(ROOT / "derivations" / "softmax_reference.md")
    assert [(e.label, e.status) for e in report.equations] == [
        ("below_one", "proved"), ("sum_to_one", "proved"), ("jacobian", "proved"), ("gradient", "proved")]


def test_the_homework_rubric_names_four_targets_with_their_points():
    rubric = load_rubric(RUBRIC)
    assert [(t.name, t.relation, t.points) for t in rubric.targets] == [
        ("below_one", "<=", 1.0), ("sum_to_one", "=", 2.0), ("jacobian", "=", 3.0), ("gradient", "=", 3.0)]
    assert rubric.refuted_penalty == 1.0


def test_targets_are_the_named_displays_only():
    text = "$$a = b \\tag{3}$$\n\n$$\\sigma(z_i) \\leq 1 \\tag{bound}$$\n\n$$\\sigma(z_i) > 0$$"
    assert [t.name for t in targets_from_reference(text)] == ["bound"]
    with pytest.raises(UsageError, match="no target displays"):
        targets_from_reference("$$a = b \\tag{3}$$")


@pytest.mark.parametrize("rubric, message", [
    ({"targets": {"jac": 2}}, "target jac is not in the reference"),
    ({"targets": {"jac": {"claim": "a + b"}}}, "not a relation"),
    ({"targets": {"jac": {"claim": "a = b", "visibility": "sometimes"}}}, "visibility of target jac"),
    ({"targets": {"jac": {"claim": "a = b", "weight": 2}}}, "unknown key 'weight'"),
    ({"targets": [1, 2]}, "targets must map"),
    ({"reference": "/nonexistent.md"}, "cannot read"),
])
def test_a_malformed_rubric_is_one_usage_error(rubric, message):
    with pytest.raises(UsageError, match=message):
        load_rubric(rubric)


def test_a_missing_reference_file_is_a_usage_error():
    with pytest.raises(UsageError, match="cannot read"):
        load_reference("/nonexistent/reference.md")


def test_free_indices_leave_out_summed_letters():
    assert free_indices(r"\sum_{k=1}^C \hat{y}_k x_{j}") == ["j"]
    assert free_indices(r"\frac{\partial L}{\partial w_{kl}}") == ["k", "l"]
    assert free_indices(r"\sigma(z_i)") == ["i"]


def test_renaming_is_simultaneous_and_only_in_indices():
    assert renamed(r"\delta_{ij} x_i", {"i": "j", "j": "i"}) == r"\delta_{ji} x_j"
    assert renamed(r"\sigma(z_i) + i", {"i": "k"}) == r"\sigma(z_k) + i"  # a letter outside an index is kept
    assert renamed(r"\sum_{i \neq j} a_i", {"i": "k"}) == r"\sum_{k \neq j} a_k"


def test_candidates_need_the_relation_the_derivative_and_the_index_count_to_fit():
    equations = [
        DisplayEquation("1", 1, r"p_i = \frac{e^{z_i}}{\sum_k e^{z_k}}"),  # no derivative: not the Jacobian
        DisplayEquation("2", 2, r"\frac{\partial p_i}{\partial z_j} = p_i(\delta_{ij} - p_j)"),
        DisplayEquation("3", 3, r"\frac{\partial L}{\partial z_j} = p_j - y_j"),  # one free index
        DisplayEquation("4", 4, r"\frac{\partial p_i}{\partial z_j} \leq 1"),  # not an equality
        DisplayEquation("5", 5, r"\frac{\partial p_i}{\partial z_i} = p_i(1 - p_i)", ("i = j",)),  # a case
    ]
    found = candidates(equations, [JACOBIAN])
    assert {c.label for c in found} == {"2"}
    assert {c.quantity_claim for c in found} == {
        r"\frac{\partial p_i}{\partial z_j} = \frac{\partial \sigma(z_i)}{\partial z_j}",
        r"\frac{\partial p_i}{\partial z_j} = \frac{\partial \sigma(z_j)}{\partial z_i}"}


def test_a_side_with_no_letter_is_about_nothing():
    target = parse_target("sum", r"\sum_{i=1}^C \sigma(z_i) = 1")
    assert candidates([DisplayEquation("1", 1, "1 = 1")], [target]) == []


def _grade_one(tmp_path: Path, name: str, text: str, rubric=RUBRIC):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    [result] = grade([path], rubric=rubric, jobs=1)
    return result


def test_a_correct_jacobian_in_the_students_own_letters_meets_the_target(tmp_path):
    result = _grade_one(tmp_path, "a.md", "Let $p_k = \\frac{e^{z_k}}{\\sum_{m=1}^C e^{z_m}}$.\n\n"
                        "$$\\frac{\\partial p_k}{\\partial z_l} = p_k(\\delta_{kl} - p_l) \\tag{1}$$\n")
    assert result.statuses == {"below_one": "not_reached", "sum_to_one": "not_reached", "jacobian": "met",
                               "gradient": "not_reached"}
    assert (result.score, result.max_score) == (3.0, 9.0)
    assert grade_line(result) == "1 of 4 targets met (3 of 9 points); 3 of 9 points"


def test_the_homeworks_wrong_bracket_is_an_error_at_its_step_and_costs_a_point(tmp_path):
    result = _grade_one(tmp_path, "b.md", "$$\\frac{\\partial \\sigma(z_i)}{\\partial z_j} = "
                        "\\frac{\\partial}{\\partial z_j} \\frac{e^{z_i}}{\\sum_{k=1}^C e^{z_k}} = "
                        "\\sigma(z_i)(\\delta_{ij} - \\sigma(z_i)) \\tag{7}$$\n")
    assert result.statuses["jacobian"] == "error"
    [row] = [e for e in result.equations if e.name == "jacobian"]
    assert row.line == 1 and "equation (7)" in row.feedback and "\\sigma(z_j)" in row.feedback
    assert result.score == 0.0  # floored: no target met, one refuted step


def test_trivial_equations_meet_no_target(tmp_path):
    result = _grade_one(tmp_path, "c.md", "$$a = a \\tag{1}$$\n\n$$1 = 1 \\tag{2}$$\n\n$$\\sum_{i=1}^C 1 = C \\tag{3}$$\n")
    assert set(result.statuses.values()) == {"not_reached"}
    assert result.score == 0.0


def test_an_unreadable_submission_gets_every_target_with_the_reason(tmp_path):
    result = _grade_one(tmp_path, "d.md", "")
    assert result.outcome == "error" and result.score == 0.0 and result.max_score == 9.0
    assert all(e.status == "not_reached" and e.feedback.startswith("not checked:") for e in result.equations)


def test_target_rows_in_csv_and_gradescope(tmp_path):
    result = _grade_one(tmp_path, "e.md", "$$\\sum_{i=1}^C \\sigma(z_i) = 1 \\tag{3}$$\n\n"
                        "$$\\sigma(z_i) \\leq 2 \\tag{4}$$\n")
    header = render_csv([result]).splitlines()[0]
    assert header == "file,score,max_score,outcome,below_one,sum_to_one,jacobian,gradient,message"
    import json

    data = json.loads(render_gradescope(result))
    assert [t["name"] for t in data["tests"]] == ["Target: below_one", "Target: sum_to_one", "Target: jacobian",
                                                  "Target: gradient"]
    assert data["score"] == 2 and "1 of 4 targets met" in data["output"]


def test_the_gradescope_bundle_grades_against_the_rubrics_reference(tmp_path):
    import zipfile

    import yaml

    from symsoft.cli import main
    from test_gradescope_bundle import run_autograder

    bundle = tmp_path / "autograder.zip"
    assert main(["gradescope-bundle", "--rubric", str(RUBRIC), "-o", str(bundle)]) == 0
    with zipfile.ZipFile(bundle) as archive:
        assert yaml.safe_load(archive.read("rubric.yaml"))["reference"] == "reference.md"
        assert archive.read("reference.md") == (ROOT / "derivations" / "softmax_reference.md").read_bytes()
    wrong = (ROOT / "tests" / "fixtures" / "class" / "submissions" / "s06_eq7_error_homework_notation.md").read_bytes()
    data = run_autograder(bundle, tmp_path / "root", {"answer.md": wrong})
    tests = {t["name"]: (t["score"], t["max_score"], t["status"]) for t in data["tests"]}
    assert tests == {"Target: below_one": (1, 1, "passed"), "Target: sum_to_one": (2, 2, "passed"),
                     "Target: jacobian": (0, 3, "failed"), "Target: gradient": (3, 3, "passed")}
    assert data["score"] == 5 and "less 1 for refuted steps" in data["output"]


def test_hidden_targets_keep_their_visibility_on_gradescope():
    import json

    from symsoft.grade.batch import EquationScore, GradeResult

    rubric = load_rubric({"targets": {"sum": {"claim": r"\sum_{i=1}^C \sigma(z_i) = 1", "points": 2,
                                              "visibility": "after_published"}}})
    assert rubric.targets[0].visibility == "after_published"
    result = GradeResult("a.md", "", "graded", 0, 2, (EquationScore("sum", None, "not_reached", 0, 2, "", "target",
                                                                    "after_published"),))
    assert json.loads(render_gradescope(result))["tests"][0]["visibility"] == "after_published"


def test_a_target_claim_is_written_back_as_latex():
    assert Target("b", r"\sigma(z_i)", "<=", "1").claim == r"\sigma(z_i) \leq 1"
