"""Score the checker against a labelled fixture suite (a folder with ``expected.yaml``).

Gold labels say, for each labelled equation, whether each step is true (``proved``) or false
(``refuted``), or that the equation is a definition. The score counts what matters, worst first:

- false proofs: a false step called proved;
- false alarms: a true step called refuted;
- correct equations proved, wrong equations refuted at the right step (the first false one).

Run as a script to print the table: ``python tests/scoring.py tests/fixtures/models/*``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml


@dataclass
class Score:
    """Counts over one suite; ``problems`` names each false proof and false alarm."""

    documents: int = 0
    correct: int = 0
    correct_proved: int = 0
    wrong: int = 0
    wrong_found: int = 0
    false_proofs: int = 0
    false_alarms: int = 0
    unverified_steps: int = 0
    problems: list = field(default_factory=list)

    def line(self, name: str) -> str:
        """One line of the table."""
        def pct(a: int, b: int) -> str:
            return f"{a}/{b} ({100 * a / b:.0f} %)" if b else "-"

        return (f"{name:28s} docs {self.documents:3d}  correct proved {pct(self.correct_proved, self.correct):16s}"
                f"  wrong found {pct(self.wrong_found, self.wrong):16s}  false proofs {self.false_proofs}"
                f"  false alarms {self.false_alarms}  unverified steps {self.unverified_steps}")


def score_suite(folder: Path, check=None, **options) -> Score:
    """Check every document of ``folder`` and compare with its ``expected.yaml``."""
    if check is None:
        from symsoft.check import check
    expected = yaml.safe_load((folder / "expected.yaml").read_text())
    score = Score()
    for name, labels in sorted(expected.items()):
        path = folder / name
        if not path.exists():
            continue
        score.documents += 1
        report = check(path, **options)
        got = {e.label: e for e in report.equations}
        for gold in labels:
            label = str(gold["label"])
            if gold["status"] == "definition":
                continue
            eq = got.get(label)
            gold_steps = gold.get("steps") or [gold["status"]]
            ours = [s.status for s in eq.steps] if eq is not None and eq.steps else [eq.status if eq else "missing"]
            wrong = "refuted" in gold_steps
            if wrong:
                score.wrong += 1
            else:
                score.correct += 1
            if len(ours) == len(gold_steps):
                pairs = list(zip(gold_steps, ours))
                for number, (g, o) in enumerate(pairs, start=1):
                    if g == "refuted" and o == "proved":
                        score.false_proofs += 1
                        score.problems.append(f"false proof: {name} ({label}) step {number}")
                    if g == "proved" and o == "refuted":
                        score.false_alarms += 1
                        score.problems.append(f"false alarm: {name} ({label}) step {number}")
                    score.unverified_steps += o not in ("proved", "refuted")
                if wrong and ours.index("refuted") == gold_steps.index("refuted") if "refuted" in ours else False:
                    score.wrong_found += 1
                if not wrong and all(o == "proved" for o in ours):
                    score.correct_proved += 1
            else:  # the chain was read with another number of steps: compare whole equations
                status = eq.status if eq is not None else "missing"
                if wrong and status == "proved":
                    score.false_proofs += 1
                    score.problems.append(f"false proof: {name} ({label})")
                if not wrong and status == "refuted":
                    score.false_alarms += 1
                    score.problems.append(f"false alarm: {name} ({label})")
                score.correct_proved += (not wrong and status == "proved")
                score.wrong_found += (wrong and status == "refuted")
    return score


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        folder = Path(argument)
        result = score_suite(folder)
        print(result.line(folder.name))
        for problem in result.problems:
            print("    " + problem)
