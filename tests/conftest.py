"""Fixtures shared by the test modules."""

from __future__ import annotations

import os
import shutil

import pytest

ENGINE = shutil.which("latexmk") or shutil.which("pdflatex")


@pytest.fixture
def tex_engine():
    """Skip without a TeX engine, except in CI, where its absence is a failure."""
    if ENGINE is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install a TeX engine: apt-get install texlive-latex-base latexmk")
        pytest.skip("no TeX engine installed (apt-get install texlive-latex-base latexmk)")


@pytest.fixture
def fresh_helper():
    """The time-limit helper process is forked again before and after, so that it sees what the test patched
    (and a test leaves no busy or patched helper behind)."""
    from symsoft import timelimit

    def restart():
        if timelimit._worker is not None and timelimit._worker.alive():
            timelimit._worker.stop()
        timelimit._worker = None

    restart()
    yield
    restart()


# the fixture folders hold documents and their label scripts, which tests run on purpose, not as modules
collect_ignore_glob = ["fixtures/*"]
