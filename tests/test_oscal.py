"""export oscal: the mappings as an OSCAL 1.2 mapping-collection, checked against the model's required fields."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from gapcheck.core.config import Config
from gapcheck.core.errors import UsageError
from gapcheck.validation.project import load_project
from gapcheck.vendor.oscal import NAMESPACE, export_oscal

pytestmark = pytest.mark.usefixtures("english")  # exact English lines (--lang en); Japanese: tests/cases, test_lang.py

REPO = Path(__file__).resolve().parent.parent

# What the OSCAL control mapping model requires (usnistgov/OSCAL src/metaschema/oscal_mapping_metaschema.xml and
# oscal_mapping-common_metaschema.xml, schema-version 1.2.0): required flags and assemblies, allowed values, and
# the data types uuid, token, dateTime-with-timezone.
UUID = {"type": "string", "pattern": "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[45][0-9A-Fa-f]{3}-[89ABab][0-9A-Fa-f]{3}-[0-9A-Fa-f]{12}$"}
TOKEN = {"type": "string", "pattern": r"^[^\W\d][\w.\-]*$"}  # OSCAL token ^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$ in Python's re
DATETIME_TZ = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"}
PROPS = {"type": "array", "minItems": 1, "items": {"type": "object", "required": ["name", "value"],
                                                    "properties": {"name": TOKEN, "value": {"type": "string", "minLength": 1},
                                                                   "ns": {"type": "string", "pattern": "^[a-zA-Z][a-zA-Z0-9+.-]*:"}}}}
ITEM = {"type": "object", "required": ["type", "id-ref"], "additionalProperties": False,
        "properties": {"type": {"enum": ["control", "statement"]}, "id-ref": TOKEN, "props": PROPS, "remarks": {"type": "string"}}}
RESOURCE = {"type": "object", "required": ["type", "href"],
            "properties": {"type": {"enum": ["catalog", "profile"]}, "href": {"type": "string", "minLength": 1}}}
COVERAGE = {"type": "object", "required": ["target-coverage"], "additionalProperties": False,
            "properties": {"target-coverage": {"type": "number", "minimum": 0, "maximum": 1}, "generation-method": {"type": "string"}}}
GAP = {"type": "object", "required": ["uuid", "unmapped-controls"], "additionalProperties": False,
       "properties": {"uuid": UUID, "unmapped-controls": {"type": "array", "minItems": 1, "items": {
           "type": "object", "properties": {"with-ids": {"type": "array", "minItems": 1, "items": TOKEN}}}}}}
MAP = {"type": "object", "required": ["uuid", "relationship", "sources", "targets"], "additionalProperties": False,
       "properties": {
           "uuid": UUID, "ns": {"type": "string"}, "matching-rationale": {"enum": ["syntactic", "semantic", "functional"]},
           "relationship": {"enum": ["equivalent-to", "equal-to", "subset-of", "superset-of", "intersects-with", "no-relationship"]},
           "sources": {"type": "array", "minItems": 1, "items": ITEM},
           "targets": {"type": "array", "minItems": 1, "items": ITEM},
           "qualifiers": {"type": "array", "minItems": 1, "items": {
               "type": "object", "required": ["subject", "predicate", "category", "description"], "additionalProperties": False,
               "properties": {"subject": {"enum": ["source", "target", "both"]},
                              "predicate": {"enum": ["has-requirement", "has-incompatibility"]},
                              "category": {"enum": ["restricted", "addressable", "blocked"]},
                              "description": {"type": "string", "minLength": 1}, "remarks": {"type": "string"}}}},
           "confidence-score": {"type": "object"}, "coverage": COVERAGE, "props": PROPS, "links": {"type": "array"},
           "remarks": {"type": "string"}}}
MAPPING = {"type": "object", "required": ["uuid", "source-resource", "target-resource", "maps"], "additionalProperties": False,
           "properties": {
               "uuid": UUID, "method": {"enum": ["human", "automation"]},
               "matching-rationale": {"enum": ["syntactic", "semantic", "functional"]},
               "status": {"enum": ["complete", "not-complete", "draft", "deprecated", "superseded"]},
               "source-resource": RESOURCE, "target-resource": RESOURCE,
               "maps": {"type": "array", "minItems": 1, "items": MAP}, "props": PROPS, "links": {"type": "array"},
               "remarks": {"type": "string"}, "mapping-description": {"type": "string"},
               "source-gap-summary": GAP, "target-gap-summary": GAP, "confidence-score": {"type": "object"}, "coverage": COVERAGE}}
OSCAL_MAPPING_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object", "required": ["mapping-collection"], "additionalProperties": False,
    "properties": {"mapping-collection": {
        "type": "object", "required": ["uuid", "metadata", "provenance", "mappings"], "additionalProperties": False,
        "properties": {
            "uuid": UUID,
            "metadata": {"type": "object", "required": ["title", "last-modified", "version", "oscal-version"],
                         "properties": {"title": {"type": "string", "minLength": 1}, "last-modified": DATETIME_TZ,
                                        "version": {"type": "string", "minLength": 1},
                                        "oscal-version": {"type": "string", "pattern": r"^1\.2\.\d+$"}, "props": PROPS}},
            "provenance": {"type": "object", "required": ["method", "matching-rationale", "status", "mapping-description"],
                           "properties": {"method": {"enum": ["human", "automation"]},
                                          "matching-rationale": {"enum": ["syntactic", "semantic", "functional"]},
                                          "status": {"enum": ["complete", "not-complete", "draft", "deprecated", "superseded"]},
                                          "mapping-description": {"type": "string", "minLength": 1}, "coverage": COVERAGE}},
            "mappings": {"type": "array", "minItems": 1, "items": MAPPING},
            "back-matter": {"type": "object", "properties": {"resources": {"type": "array", "items": {
                "type": "object", "required": ["uuid"], "properties": {"uuid": UUID, "rlinks": {"type": "array", "items": {
                    "type": "object", "required": ["href"]}}}}}}},
        }}},
}


def check(doc: dict[str, Any]) -> None:
    errors = sorted(jsonschema.Draft202012Validator(OSCAL_MAPPING_SCHEMA).iter_errors(doc), key=str)
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]
    coll = doc["mapping-collection"]
    uuids = [coll["uuid"]] + [m["uuid"] for m in coll["mappings"]] + [x["uuid"] for m in coll["mappings"] for x in m["maps"]]
    assert len(uuids) == len(set(uuids))
    hrefs = {r["uuid"] for r in coll["back-matter"]["resources"]}
    for m in coll["mappings"]:
        assert {m["source-resource"]["href"][1:], m["target-resource"]["href"][1:]} <= hrefs


def test_small_project(small: Path) -> None:
    project = load_project(Config.defaults("."))
    doc = export_oscal(project, "kaigo")
    check(doc)
    coll = doc["mapping-collection"]
    assert coll["metadata"]["last-modified"] == "2024-03-29T00:00:00+09:00"
    assert coll["metadata"]["oscal-version"] == "1.2.1"
    assert coll["provenance"] | {"mapping-description": ""} == {
        "method": "human", "matching-rationale": "functional", "status": "not-complete", "mapping-description": ""}
    (mapping,) = coll["mappings"]
    assert [(x["sources"][0]["id-ref"], x["targets"][0]["id-ref"], x["relationship"], x["coverage"]["target-coverage"],
             [(q["subject"], q["predicate"], q["category"]) for q in x.get("qualifiers", [])]) for x in mapping["maps"]] == [
        ("kaigo-item-F1", "kaigo-function-0230265", "equivalent-to", 1.0, []),
        ("kaigo-item-F2", "kaigo-function-0230275", "subset-of", 0.5, [("source", "has-requirement", "addressable")]),
        ("kaigo-item-F3", "kaigo-function-0230286", "no-relationship", 0.0, [("source", "has-requirement", "addressable")]),
        ("kaigo-item-F1", "kaigo-function-0230286", "subset-of", 0.5, [("source", "has-requirement", "addressable")]),
        ("kaigo-item-F2", "kaigo-function-0230300", "equivalent-to", 1.0, []),
        ("kaigo-item-F6", "kaigo-function-0230400", "equivalent-to", 1.0, [("target", "has-incompatibility", "blocked")]),
        ("kaigo-item-R1", "kaigo-form-0230010", "equivalent-to", 1.0, []),
    ]
    assert mapping["maps"][0]["props"] == [
        {"name": "requirement-id", "ns": "urn:gapcheck:oscal", "value": "0230265"},
        {"name": "requirement-kind", "ns": "urn:gapcheck:oscal", "value": "function"},
        {"name": "item-id", "ns": "urn:gapcheck:oscal", "value": "F1"},
        {"name": "judgement", "ns": "urn:gapcheck:oscal", "value": "fit"},
        {"name": "implementation-class", "ns": "urn:gapcheck:oscal", "value": "mandatory"},
    ]
    assert mapping["coverage"] == {"generation-method": "fit-1-partial-0.5", "target-coverage": 0.5}
    assert mapping["source-gap-summary"]["unmapped-controls"] == [{"with-ids": ["kaigo-item-F4", "kaigo-item-F5", "kaigo-item-R2"]}]
    assert mapping["target-gap-summary"]["unmapped-controls"] == [
        {"with-ids": ["kaigo-function-0230290", "kaigo-function-0230291", "kaigo-function-0230301", "kaigo-function-0230401",
                      "kaigo-form-0230014"]}]
    assert [r["rlinks"] for r in coll["back-matter"]["resources"]] in (
        [[{"href": "specs/kaigo/6.0.yaml"}], [{"href": "current_system/inventory.yaml"}]],
        [[{"href": "current_system/inventory.yaml"}], [{"href": "specs/kaigo/6.0.yaml"}]])


def test_uuids_are_deterministic_uuid5(small: Path) -> None:
    project = load_project(Config.defaults("."))
    first = export_oscal(project, "kaigo")
    assert export_oscal(load_project(Config.defaults(".")), "kaigo") == first
    m = first["mapping-collection"]["mappings"][0]
    assert uuid.UUID(m["uuid"]).version == 5
    assert m["maps"][0]["uuid"] == str(uuid.uuid5(NAMESPACE, "map/kaigo/6.0/kaigo/F1/function/0230265"))


def test_timestamp_and_usage_errors(small: Path) -> None:
    project = load_project(Config.defaults("."))
    doc = export_oscal(project, "kaigo", "2026-03-31T09:00:00+09:00")
    assert doc["mapping-collection"]["metadata"]["last-modified"] == "2026-03-31T09:00:00+09:00"
    assert doc["mapping-collection"]["metadata"]["version"] == "2026-03-31"
    with pytest.raises(UsageError) as refused:
        export_oscal(project, "juki")
    assert refused.value.text("en").startswith("no mapping of juki with links to export")
    with pytest.raises(UsageError, match="未知の業務 'nope'"):
        export_oscal(project, "nope")


def test_cli_prints_what_the_library_returns(small: Path, cli: Any) -> None:
    res = cli("export", "oscal", "--operation", "kaigo")
    assert res.exit_code == 0, res.stderr
    assert json.loads(res.stdout) == export_oscal(load_project(Config.defaults(".")), "kaigo")
    out = cli("export", "oscal", "--operation", "kaigo", "--output", "reports/kaigo-oscal.json")
    assert (out.exit_code, out.stderr) == (0, "wrote: reports/kaigo-oscal.json\n")
    assert (small / "reports/kaigo-oscal.json").read_text("utf-8") == res.stdout
    other = cli("export", "oscal", "--operation", "kaigo", "--output", "reports/kaigo-oscal.json", "--timestamp", "2026-04-01T00:00:00Z")
    assert (other.exit_code, other.stderr) == (0, "wrote: reports/kaigo-oscal.json\n")  # its own output, unedited
    (small / "reports/kaigo-oscal.json").write_text("{}\n", "utf-8")  # someone edits it
    edited = cli("export", "oscal", "--operation", "kaigo", "--output", "reports/kaigo-oscal.json")
    assert edited.exit_code == 2 and "content gapcheck did not write: reports/kaigo-oscal.json" in edited.stderr
    bad = cli("export", "oscal", "--operation", "kaigo", "--timestamp", "2026-04-01")
    assert (bad.exit_code, bad.stderr) == (
        2, "gapcheck: --timestamp takes a date-time with time zone, e.g. 2026-03-31T00:00:00+09:00, not '2026-04-01'\n")


def test_the_sample_project_exports_valid_oscal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    project = load_project(Config.defaults("."))
    for op in sorted({m.operation for m in project.mappings}):
        check(export_oscal(project, op))
