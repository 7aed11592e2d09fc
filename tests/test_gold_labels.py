"""Every labelled corpus keeps its gold labels verified: each ``verify_labels.py`` beside a corpus (an independent
SymPy check that never imports symsoft) exits 0. A label changed by hand, or a document added without its check,
fails here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SCRIPTS = sorted(FIXTURES.rglob("verify_labels.py"))


def test_every_labelled_corpus_has_its_check():
    """The real corpus and the four model suites each keep a verify_labels.py beside their expected.yaml."""
    folders = {script.parent for script in SCRIPTS}
    assert FIXTURES / "corpus" / "real" in folders
    assert {FIXTURES / "models" / name for name in ("linear", "logistic", "mlp", "softmax-bias-l2")} <= folders


@pytest.mark.slow
@pytest.mark.parametrize("script", SCRIPTS, ids=[str(s.parent.relative_to(FIXTURES)) for s in SCRIPTS])
def test_gold_labels_are_confirmed_by_their_independent_check(script):
    done = subprocess.run([sys.executable, script.name], cwd=script.parent, capture_output=True, text=True,
                          timeout=1800, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
