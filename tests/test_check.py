"""The checker on homework-style fixtures, the seed homework, the JSON schema and exit codes."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest
import yaml

from symsoft import timelimit
from symsoft.check import check
from symsoft.cli import main
from symsoft.render.json import render_json

FIXTURES = Path(__file__).parent / "fixtures" / "derivations"
EXPECTED = yaml.safe_load((FIXTURES / "expected.yaml").read_text())
HOMEWORK = Path(__file__).parent.parent / "derivations" / "softmax_homework.md"


@pytest.fixture(scope="module")
def reports():
    return {name: check(FIXTURES / name) for name in EXPECTED}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_verdicts(name, reports):
    """Every fixture equation gets the expected status, step by step."""
    got = {e.label: e for e in reports[name].equations}
    for expected in EXPECTED[name]:
        eq = got[str(expected["label"])]
        assert eq.status == expected["status"], (name, expected["label"], eq)
        if expected.get("steps") and eq.steps:
            assert [s.status for s in eq.steps] == expected["steps"], (name, expected["label"])


def test_no_false_alarm_on_correct_fixture_steps(reports):
    """No step that the fixtures mark proved is refuted (a false alarm is the worst failure)."""
    for name, equations in EXPECTED.items():
        got = {e.label: e for e in reports[name].equations}
        for expected in equations:
            for number, status in enumerate(expected.get("steps") or [], start=1):
                if status == "proved":
                    step = got[str(expected["label"])].steps[number - 1]
                    assert step.status != "refuted", (name, expected["label"], number)


@pytest.fixture(scope="module")
def homework():
    return check(HOMEWORK)


def _eq(report, label):
    return next(e for e in report.equations if e.label == label)


def test_homework_definitions(homework):
    """(1) and (4) restate definitions; (1) has an index-range finding on its line."""
    assert _eq(homework, "1").status == "definition"
    assert _eq(homework, "4").status == "definition"
    line = _eq(homework, "1").line
    assert any(f.kind == "index_range" and f.line == line and "N" in f.message for f in homework.findings)


def test_homework_bounds_and_sum(homework):
    """(2) is proved with a strictness note; (3) is proved reading N as C."""
    two = _eq(homework, "2")
    assert two.status == "proved" and "strict" in two.steps[-1].message
    three = _eq(homework, "3")
    assert three.status == "proved"
    assert any("N = C" in fact for step in three.steps for fact in step.facts)


def test_homework_conditions_make_cases_proved(homework):
    """(5) under i = j and (6) under i != j are proved step by step."""
    for label, condition in (("5", "i = j"), ("6", "i != j")):
        eq = _eq(homework, label)
        assert eq.conditions == (condition,)
        assert [s.status for s in eq.steps] == ["proved"] * 3


def test_homework_seven_refuted_with_repair(homework):
    """(7) is refuted for i != j with a counterexample, holds for i = j, and is repaired in the bracket."""
    step = _eq(homework, "7").steps[0]
    assert step.status == "refuted"
    assert step.holds_when == "i = j"
    c = step.counterexample
    assert dict(c.indices)["i"] != dict(c.indices)["j"] and c.lhs != c.rhs
    repaired = [r.latex for r in step.repairs]
    assert any(r.endswith(r"\sigma(z_i)(\delta_{ij} - \sigma(z_j))") for r in repaired)


def test_homework_eight_refuted_at_step_three(homework):
    """(8) has four steps; step 3 is refuted (dz_k where dz_h belongs) and repaired; typos are findings."""
    eq = _eq(homework, "8")
    assert [s.status for s in eq.steps][:3] == ["proved", "proved", "refuted"]
    assert eq.status == "refuted"
    assert any(r"\frac{\partial z_h}" in r.latex for r in eq.steps[2].repairs)
    typos = [f for f in homework.findings if f.kind == "typo" and f.line == eq.line]
    assert len(typos) == 2


def test_homework_nine_and_prose(homework):
    """(9) is proved; the sentence before it (z_h = sum_t^C W x_i) gets findings."""
    assert _eq(homework, "9").status == "proved"
    nine = _eq(homework, "9").line
    prose = [f for f in homework.findings if nine - 3 <= f.line < nine]
    assert any(f.kind == "index_range" for f in prose)
    assert any(f.kind == "false_in_text" for f in prose)


def test_json_schema(homework):
    """The JSON report follows the symsoft.check/1 schema."""
    data = json.loads(render_json(homework))
    assert data["schema"] == "symsoft.check/1"
    assert set(data) >= {"schema", "source", "profile", "equations", "findings", "summary"}
    for eq in data["equations"]:
        assert set(eq) >= {"label", "line", "latex", "conditions", "status", "steps"}
        assert eq["status"] in ("proved", "refuted", "unverified", "definition")
        for number, step in enumerate(eq["steps"], start=1):
            assert step["number"] == number
            assert set(step) >= {"latex", "status", "method", "facts", "for_all_c", "counterexample", "repairs", "message"}
            for repair in step["repairs"]:
                assert set(repair) == {"latex", "edit"}
    for finding in data["findings"]:
        assert set(finding) == {"line", "kind", "message"}


BAD_INPUTS = [
    ("missing.md", None, "no such file"),
    ("binary.md", b"\x00\x01\x02", "binary"),
    ("latin1.md", "$$\u00e9 = 1$$".encode("latin-1"), "UTF-8"),
    ("empty.md", b"", "no display equations"),
    ("prose.md", b"just words", "no display equations"),
]


@pytest.mark.parametrize("name,content,message", BAD_INPUTS)
def test_bad_input_exit_code(tmp_path, capsys, name, content, message):
    """Unreadable input exits 2 with a one-line message and no traceback."""
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_exit_codes_refuted_unverified_and_clean(tmp_path):
    """Exit 1 when something is refuted, else 3 when something is unverified, 0 when all is proved or a definition."""
    good = tmp_path / "good.md"
    good.write_text("$$\\sum_{k=1}^C \\sigma(z_k) = 1 \\quad (1)$$\n")
    bad = tmp_path / "bad.md"
    bad.write_text("$$\\sigma(z_i) > 1 \\quad (1)$$\n")
    unread = tmp_path / "unread.md"
    unread.write_text("$$\\sigma(z_i) > 0 \\quad (1)$$\n\n$$\\frac{a}{ = 1 \\quad (2)$$\n")
    assert main(["check", str(good)]) == 0
    assert main(["check", str(bad)]) == 1
    assert main(["check", str(unread)]) == 3
    bad.write_text("$$\\sigma(z_i) > 1 \\quad (1)$$\n\n$$\\frac{a}{ = 1 \\quad (2)$$\n")
    assert main(["check", str(bad)]) == 1  # refuted wins over unverified


def test_unparseable_equation_is_unverified_not_fatal(tmp_path):
    """A broken equation is unverified with a reason; the others are still checked."""
    doc = tmp_path / "mixed.md"
    doc.write_text("$$\\frac{a}{ = 1 \\quad (1)$$\n\n$$\\sigma(z_i) > 0 \\quad (2)$$\n")
    report = check(doc)
    assert report.equations[0].status == "unverified" and report.equations[0].message
    assert report.equations[1].status == "proved"


def test_output_is_deterministic(tmp_path):
    """Two runs give the same JSON."""
    assert render_json(check(HOMEWORK)) == render_json(check(HOMEWORK))


def _slow(*args):
    end = time.monotonic() + 30  # computing, not waiting: the limit is on CPU time
    while time.monotonic() < end:
        pass


def test_time_limit_gives_unverified_not_a_hang(monkeypatch):
    """A parse and a proof that never end are unverified for the budget (words that blame the checker), not a hang."""
    check_module = sys.modules["symsoft.check"]
    if timelimit._worker is not None:
        timelimit._worker.stop()
    monkeypatch.setattr(timelimit, "_worker", None)  # the next worker forks with the slow parts patched in
    monkeypatch.setattr(check_module, "_decide_step", _slow)
    report = check("$$\\sigma(z_i) > 0 \\quad (1)$$", timeout=0.5)
    assert report.equations[0].status == "unverified" and report.equations[0].reason == "budget"
    assert "the proof search ran out of its budget" in report.equations[0].steps[0].message
    assert "not a sign that the step is wrong" in report.equations[0].steps[0].message
    monkeypatch.setattr(check_module, "parse_equation", _slow)
    report = check("$$\\sigma(z_i) > 0 \\quad (1)$$", timeout=0.5)
    assert "ran out of its budget" in report.equations[0].message and report.equations[0].reason == "budget"
    timelimit._worker.stop()


def test_front_matter_profile_and_user_profile(tmp_path):
    """A document may name its profile in front matter; --profile takes a YAML file."""
    doc = tmp_path / "fm.md"
    doc.write_text("---\nprofile: softmax\n---\n\n$$\\sigma(z_i) > 0 \\quad (1)$$\n")
    report = check(doc, profile="nonexistent-is-ignored-when-front-matter-names-one")
    assert report.profile == "softmax" and report.equations[0].status == "proved"
    assert report.equations[0].line == 5
    custom = tmp_path / "mine.yaml"
    custom.write_text((Path(__file__).parent.parent / "symsoft" / "models" / "softmax" / "profiles" / "softmax.yaml").read_text().replace("name: softmax", "name: mine"))
    plain = tmp_path / "plain.md"
    plain.write_text("$$\\sigma(z_i) > 0 \\quad (1)$$\n")
    assert check(plain, profile=str(custom)).profile == "mine"


HELDOUT = Path(__file__).parent / "fixtures" / "heldout_style"
HELDOUT_EXPECTED = yaml.safe_load((HELDOUT / "expected.yaml").read_text())


@pytest.mark.parametrize("name", sorted(HELDOUT_EXPECTED))
def test_heldout_style_never_wrong(name):
    """On the second fixture set every verdict matches or is an honest 'unverified' with a reason."""
    got = {e.label: e for e in check(HELDOUT / name).equations}
    for expected in HELDOUT_EXPECTED[name]:
        eq = got[str(expected["label"])]
        if eq.status == "unverified":
            assert eq.message or all(s.message for s in eq.steps if s.status == "unverified")
            continue
        assert eq.status == expected["status"], (name, expected["label"], eq.status)
        if len(eq.steps) != len(expected.get("steps") or []):
            continue  # a cases block is checked one branch per step
        for number, status in enumerate(expected.get("steps") or [], start=1):
            if eq.steps[number - 1].status != "unverified":
                assert eq.steps[number - 1].status == status, (name, expected["label"], number)
