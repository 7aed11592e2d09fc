"""What ``check`` says of a document given as text, as the tests compare it: each label's status, or its verdict."""

from __future__ import annotations

from symsoft.check import check


def statuses(text: str) -> dict:
    """Each labelled equation's status (``{"1": "proved", ...}``)."""
    return {e.label: e.status for e in check(text, is_text=True).equations}


def verdicts(text: str) -> dict:
    """Each labelled equation's whole verdict, steps and facts included."""
    return {e.label: e for e in check(text, is_text=True).equations}
