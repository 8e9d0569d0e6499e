"""Archive-ready metadata: ro-crate-metadata.json and .zenodo.json (netralitas.build.archive).

Both files are committed; these tests fail when either differs from what the generator writes
today (run `make archive`), when the crate does not load with the rocrate library, or when the
metadata disagree with CITATION.cff and data/datapackage.json.
"""

from __future__ import annotations

import json

import pytest
import yaml

from netralitas import paths
from netralitas.build import archive

ROOT = paths.root()
CFF = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
PKG = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def graph() -> dict[str, dict]:
    meta = json.loads((ROOT / "ro-crate-metadata.json").read_text(encoding="utf-8"))
    return {e["@id"]: e for e in meta["@graph"]}


def _ids(value) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [i["@id"] for i in items]


def test_committed_files_are_current():
    assert (ROOT / "ro-crate-metadata.json").read_text(encoding="utf-8") == archive.metadata_json(ROOT), \
        "ro-crate-metadata.json is stale: run `make archive`"
    assert (ROOT / ".zenodo.json").read_text(encoding="utf-8") == archive.zenodo_json(ROOT), \
        ".zenodo.json is stale: run `make archive`"


def test_crate_loads_with_rocrate():
    from rocrate.rocrate import ROCrate

    crate = ROCrate(ROOT)
    assert crate.name == CFF["title"]
    assert {e.id for e in crate.data_entities} >= {f"data/{r['path']}" for r in PKG["resources"]}


def test_descriptor_and_root(graph):
    desc = graph["ro-crate-metadata.json"]
    assert desc["about"] == {"@id": "./"} and "w3id.org/ro/crate" in desc["conformsTo"]["@id"]
    rd = graph["./"]
    assert rd["name"] == CFF["title"] and rd["version"] == str(CFF["version"])
    assert rd["datePublished"] and rd["description"].startswith(CFF["abstract"].split()[0])
    lic = {graph[i]["identifier"] for i in _ids(rd["license"])}
    assert lic == set(CFF["license"])
    assert [graph[i]["name"] for i in _ids(rd["author"])] == [a["name"] for a in CFF["authors"]]
    assert rd["codeRepository"] == CFF["repository-code"] and rd["url"] == CFF["url"]


def test_every_data_file_with_schema_and_licence(graph):
    licence = PKG["licenses"][0]
    parts = set(_ids(graph["./"]["hasPart"]))
    for res in PKG["resources"]:
        f = graph[f"data/{res['path']}"]
        assert f"data/{res['path']}" in parts
        assert f["conformsTo"] == {"@id": f"data/{res['schema']}"}
        assert f"data/{res['schema']}" in graph
        assert graph[f["license"]["@id"]]["identifier"] == licence["name"]
        assert f["encodingFormat"] == res["mediatype"]


def test_notebooks_software_paper_and_book(graph):
    for nb in (ROOT / "book").glob("*.ipynb"):
        assert f"book/{nb.name}" in graph, nb.name
    assert "SoftwareSourceCode" in graph["src/netralitas/"]["@type"]
    for f in ("requirements.txt", "environment.yml", "Makefile", "references.bib", "CITATION.cff"):
        assert f in graph, f
    paper = graph[graph["./"]["isBasedOn"]["@id"]]
    ref = next(r for r in CFF["references"] if r.get("title"))
    assert paper["name"] == ref["title"]
    assert [graph[i]["familyName"] for i in _ids(paper["author"])] == \
        [a["family-names"] for a in ref["authors"]]
    site = graph[graph["./"]["subjectOf"]["@id"]]
    assert site["url"] == CFF["url"]


def test_zenodo_agrees_with_citation_cff():
    z = json.loads((ROOT / ".zenodo.json").read_text(encoding="utf-8"))
    assert z["title"] == CFF["title"] and z["version"] == str(CFF["version"])
    assert [c["name"] for c in z["creators"]] == [a["name"] for a in CFF["authors"]]
    assert z["keywords"] == CFF["keywords"]
    assert z["license"].upper() == PKG["licenses"][0]["name"].upper() in CFF["license"]
    assert z["upload_type"] == "software" and CFF["type"] == "software"
    assert {r["identifier"] for r in z["related_identifiers"]} == {CFF["repository-code"], CFF["url"]}
