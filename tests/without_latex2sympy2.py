"""A pytest plugin that switches latex2sympy2 off, as on the Python 3.13 leg of CI where it is not installed.

Run: ``PYTHONPATH=tests pytest -p without_latex2sympy2 tests/test_quick_notes.py`` (any tests).
"""


def pytest_configure(config):
    """Make the adapter report latex2sympy2 as absent, and refuse its import."""
    import symsoft.parse.adapter as adapter

    def absent():
        raise ImportError("latex2sympy2 switched off by the without_latex2sympy2 plugin")

    adapter.latex2sympy2_available = lambda: False
    adapter._module = absent
