"""Render a check report as JSON, schema ``symsoft.check/1`` (documented in docs/check-json.md).

>>> from symsoft.decide.verdicts import Report
>>> import json
>>> json.loads(render_json(Report("x.md", "softmax", ())))["schema"]
'symsoft.check/1'
"""

from __future__ import annotations

import json
from dataclasses import asdict

from symsoft.decide.verdicts import Report, StepVerdict

SCHEMA = "symsoft.check/1"


def _step(step: StepVerdict) -> dict:
    counterexample = None
    if step.counterexample is not None:
        c = step.counterexample
        counterexample = {
            "classes": c.classes,
            "features": c.features,
            "sizes": dict(c.sizes),
            "indices": dict(c.indices),
            "values": dict(c.values),
            "lhs": c.lhs,
            "rhs": c.rhs,
            "others": dict(c.others),
            "others_from": c.others_from or None,
        }
    return {
        "number": step.number,
        "latex": step.latex,
        "status": step.status,
        "reason": step.reason,
        "method": step.method,
        "facts": list(step.facts),
        "for_all_c": step.for_all_c,
        "classes": list(step.classes),
        "features": list(step.features),
        "sizes": {axis: list(sizes) for axis, sizes in step.sizes},
        "for_every_d": step.for_every_d,
        "counterexample": counterexample,
        "repairs": [asdict(r) for r in step.repairs],
        "holds_when": step.holds_when,
        "message": step.message,
    }


def report_dict(report: Report) -> dict:
    """The report as plain data in the ``symsoft.check/1`` schema.

    >>> report_dict(Report("x.md", "softmax", ()))["summary"]["equations"]
    0
    """
    return {
        "schema": SCHEMA,
        "source": report.source,
        "profile": report.profile,
        "classes": report.classes,
        "front_matter": list(report.front_matter),
        "equations": [
            {
                "label": e.label,
                "line": e.line,
                "latex": e.latex,
                "conditions": list(e.conditions),
                "status": e.status,
                "reason": e.reason,
                "message": e.message,
                "steps": [_step(s) for s in e.steps],
            }
            for e in report.equations
        ],
        "findings": [asdict(f) for f in report.findings],
        "summary": report.summary,
    }


def render_json(report: Report) -> str:
    """The report as indented JSON text (keys in a fixed order: output is deterministic).

    >>> render_json(Report("x.md", "softmax", ())).splitlines()[1]
    '  "schema": "symsoft.check/1",'
    """
    return json.dumps(report_dict(report), indent=2, ensure_ascii=False)
