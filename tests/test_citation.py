"""CITATION.cff is valid Citation File Format 1.2.0 and agrees with the rest of the project.

The schema is the official one, vendored in tests/schemas/ (provenance in its README), and is
checked with the pinned jsonschema (cffconvert is not a dependency: it pins jsonschema<4).
"""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path

import jsonschema
import pytest
import yaml

from netralitas import bib

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "tests" / "schemas" / "citation-cff-1.2.0.schema.json").read_text())


def _dates_to_str(node):
    # The schema's note: YAML dates must be cast to strings before validation.
    if isinstance(node, dict):
        return {k: _dates_to_str(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_dates_to_str(v) for v in node]
    if isinstance(node, dt.date):
        return node.isoformat()
    return node


def _errors(cff: dict) -> list[str]:
    validator = jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    return [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
            for e in sorted(validator.iter_errors(_dates_to_str(cff)), key=str)]


@pytest.fixture(scope="module")
def cff() -> dict:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_schema_is_the_official_1_2_0():
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    assert SCHEMA["$id"] == "https://citation-file-format.github.io/1.2.0/schema.json"


def test_citation_cff_is_valid(cff):
    errors = _errors(cff)
    assert not errors, "CITATION.cff does not follow CFF 1.2.0:\n" + "\n".join(errors)
    assert cff["cff-version"] == "1.2.0"


@pytest.mark.parametrize(
    "change, where",
    [(lambda c: c.pop("authors"), "(top)"),
     (lambda c: c.update({"license": "MIT-ish"}), "license"),
     (lambda c: c["references"][0].pop("type"), "references/0"),
     (lambda c: c.update({"date-released": "27-11-2026"}), "date-released")],
)
def test_validator_catches_broken_files(cff, change, where):
    broken = json.loads(json.dumps(cff))
    change(broken)
    assert any(e.startswith(where) for e in _errors(broken))


def test_citation_agrees_with_project(cff):
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert cff["repository-code"].rstrip("/") == config["repository"]["url"].rstrip("/")
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert cff["version"] == version


def test_original_paper_is_referenced_as_in_the_bibliography(cff):
    entry = bib.parse()["ansyari2026netralitas"]
    paper = next(r for r in cff["references"] if "ansyari2026netralitas" in r.get("notes", ""))
    assert paper["title"] == entry.fields["title"].strip("{}")
    assert str(paper["year"]) == entry.fields["year"]
    family = [a.split(",")[0].strip() for a in entry.fields["author"].split(" and ")]
    assert [a["family-names"] for a in paper["authors"]] == family
