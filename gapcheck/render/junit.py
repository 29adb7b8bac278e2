"""JUnit XML for CI: one test suite per operation, one test case per mandatory or forbidden requirement.

=====================  ==========================================================
mandatory, fit         passes
mandatory, gap         ``<failure type="gap">``
mandatory, partial     ``<failure type="partial">`` (△ is not conformance)
deferred (経過措置)     ``<skipped>`` with its implement-by date
deferral expired      ``<failure type="deferral-expired">``: the implement-by date has passed
stale                  ``<failure type="stale">``: a person must review the link
forbidden, absent      passes
forbidden, violation   ``<error type="violation">``: the current system still does it
=====================  ==========================================================

The document follows the Apache Ant JUnit schema (the common ``junit.xsd``):
``<testsuites>`` without attributes, and per suite ``properties``,
``system-out`` and ``system-err``.  Its ``timestamp`` is midnight of the
as-of date; ``hostname`` is always ``localhost`` so that the file does not
depend on the machine.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any

from pandas import isna

from gapcheck.core.labels import (
    CLASS_LABELS,
    JUDGEMENT_LABELS,
    KIND_LABELS,
    STATE_LABELS,
    ref_label,
)
from gapcheck.render.base import DEFAULT_OPTIONS, RenderOptions
from gapcheck.render.markdown import percent

if TYPE_CHECKING:
    from gapcheck.analysis.result import Summary
    from gapcheck.readiness.bundle import Report
    from gapcheck.readiness.status import OperationReadiness

CASE_CLASSES = ("mandatory", "forbidden")
"""Implementation classes that become test cases (optional requirements are a choice, not a test)."""
FAILURES = ("gap", "partial", "stale", "deferral-expired")
ERRORS = ("violation",)
SKIPPED = ("deferred",)
_FIELDS = ("id", "ref", "title", "kind", "class", "state", "judgement", "items", "deferred_until", "note")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def render(report: Report, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """The JUnit XML document of ``report``."""
    root = ET.Element("testsuites")
    timestamp = report.as_of.isoformat() + "T00:00:00"
    for n, s in enumerate(report.analysis.summaries):
        root.append(_suite(report, s, n, timestamp))
    ET.indent(root, space="  ")
    text = ET.tostring(root, encoding="unicode", xml_declaration=False)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + _NOT_XML.sub("\ufffd", text) + "\n"


def _suite(report: Report, summary: Summary, number: int, timestamp: str) -> ET.Element:
    code = summary.operation
    req = report.analysis.requirements
    cases = req[(req["operation"] == code) & req["class"].isin(CASE_CLASSES)]
    states = cases["state"]
    suite = ET.Element("testsuite", {
        "name": code, "timestamp": timestamp, "hostname": "localhost", "tests": str(len(cases)),
        "failures": str(int(states.isin(FAILURES).sum())), "errors": str(int(states.isin(ERRORS).sum())),
        "skipped": str(int(states.isin(SKIPPED).sum())), "time": "0", "package": "gapcheck", "id": str(number),
    })
    props = ET.SubElement(suite, "properties")
    ready = report.operation(code)
    for name, value in (("operation", code), ("name", summary.name), ("spec_version", summary.spec_version),
                        ("municipality", report.municipality), ("as_of", report.as_of.isoformat()),
                        ("status", ready.status if ready is not None else ""), ("sample", str(report.sample).lower())):
        ET.SubElement(props, "property", {"name": name, "value": value})
    for values in cases[list(_FIELDS)].itertuples(index=False, name=None):
        suite.append(_case(code, dict(zip(_FIELDS, values, strict=True))))
    ET.SubElement(suite, "system-out").text = _summary_text(summary, ready)
    ET.SubElement(suite, "system-err").text = ""
    return suite


def _case(code: str, r: dict[str, Any]) -> ET.Element:
    shown = ref_label(r["ref"])  # 帳票 0230010 where a function shares the ID: test case names stay unique
    case = ET.Element("testcase", {"name": f"{shown} {r['title']}", "classname": f"{code}.{r['class']}", "time": "0"})
    state = r["state"]
    label = STATE_LABELS.get(state, state)
    if state in FAILURES or state in ERRORS:
        tag = "error" if state in ERRORS else "failure"
        el = ET.SubElement(case, tag, {"message": f"{label}: {shown} {r['title']}", "type": state})
        el.text = _detail(r)
    elif state in SKIPPED:
        ET.SubElement(case, "skipped", {"message": f"{label}: {r['deferred_until']} まで"})
    return case


def _detail(r: dict[str, Any]) -> str:
    judgement = JUDGEMENT_LABELS.get(r["judgement"]) if _given(r["judgement"]) else None
    lines = [f"{KIND_LABELS.get(r['kind'], r['kind'])} / {CLASS_LABELS.get(r['class'], r['class'])}",
             f"判定: {judgement or '現行機能の対応なし'}"]
    if _given(r["items"]):
        lines.append(f"現行機能: {r['items']}")
    if _given(r["note"]):
        lines.append(f"備考: {r['note']}")
    return "\n".join(lines)


def _given(value: Any) -> bool:
    """True for a real value (not None, NaN, NA or empty text)."""
    return not isna(value) and value != ""


def _summary_text(s: Summary, ready: OperationReadiness | None) -> str:
    text = (f"{s.name}（{s.operation}）第{s.spec_version}版: 必須機能 適合率 {percent(s.fit_rate_functions)}、"
            f"必須帳票 適合率 {percent(s.fit_rate_forms)}、ギャップ {s.states['gap']}、部分適合 {s.states['partial']}、"
            f"経過措置 {s.states['deferred']}、経過措置期限切れ {s.states['deferral-expired']}、違反 {s.violations}、"
            f"未決定の独自 {s.undecided}")
    if ready is not None and ready.mandatory_fit_rate is not None:
        text += f"、必須要件 適合率 {percent(ready.mandatory_fit_rate)}"
    return text
