"""Archive-ready metadata: ``ro-crate-metadata.json`` (RO-Crate, written with ``rocrate``) and
``.zenodo.json``, both derived from ``CITATION.cff``, ``data/datapackage.json``,
``_config.yml`` and the files of the repository.

``python -m netralitas.build.archive`` (``make archive``) rewrites both files at the repository
root; ``tests/test_archive.py`` fails when a committed file differs from what this module
generates today, or when the two disagree with ``CITATION.cff`` and ``datapackage.json``.

The crate describes: every data file (CSV, with its Table Schema via ``conformsTo`` and the data
licence), the data package descriptor and the schemas, the chapter notebooks, the software (the
``netralitas`` package, the pinned environment, the Makefile), the bibliography, the paper the
book re-analyses (``isBasedOn``) and the published book (the site derived from
``repository.url``). Nothing in it depends on the time it was written (``datePublished`` is the
book's copyright year from ``_config.yml``), so regenerating it leaves ``git status`` clean.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from .. import paths

__all__ = ["sources", "crate", "metadata_json", "zenodo", "zenodo_json", "main"]

LICENCES = {
    "MIT": ("https://spdx.org/licenses/MIT", "MIT License"),
    "CC-BY-4.0": ("https://spdx.org/licenses/CC-BY-4.0", "Creative Commons Attribution 4.0 International"),
}
ZENODO_LICENCE = {"CC-BY-4.0": "cc-by-4.0", "MIT": "mit"}
FRICTIONLESS_PACKAGE = "https://specs.frictionlessdata.io/data-package/"
TABLE_SCHEMA = "https://specs.frictionlessdata.io/table-schema/"
PAPER_ID = "#paper-ansyari-fernanda"


def _yaml(path: Path) -> dict:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def sources(root: Path) -> dict:
    """What the metadata is derived from."""
    from .sharing import site_url

    cfg = _yaml(root / "_config.yml")
    return {
        "cff": _yaml(root / "CITATION.cff"),
        "package": json.loads((root / "data" / "datapackage.json").read_text(encoding="utf-8")),
        "config": cfg,
        "site": site_url(cfg["repository"]["url"], (cfg.get("html") or {}).get("baseurl", "")),
    }


def _licence_ids(cff: dict) -> list[str]:
    lic = cff.get("license", [])
    return [lic] if isinstance(lic, str) else list(lic)


def _person(a: dict) -> tuple[str, dict]:
    if a.get("name"):
        return "#" + "-".join(a["name"].lower().split()), {"@type": "Organization", "name": a["name"]}
    name = f"{a.get('given-names', '')} {a.get('family-names', '')}".strip()
    props = {"@type": "Person", "name": name, "familyName": a.get("family-names"),
             "givenName": a.get("given-names")}
    if a.get("affiliation"):
        props["affiliation"] = a["affiliation"]
    return "#" + "-".join(name.lower().split()), props


def crate(root: Path | None = None):
    """The RO-Crate of the repository (a ``rocrate.rocrate.ROCrate``)."""
    from rocrate.model.contextentity import ContextEntity
    from rocrate.rocrate import ROCrate

    root = root or paths.root()
    src = sources(root)
    cff, pkg, cfg = src["cff"], src["package"], src["config"]
    c = ROCrate()

    def ctx(eid: str, props: dict):
        return c.add(ContextEntity(c, eid, properties=props))

    licences = {}
    for lid in _licence_ids(cff):
        url, name = LICENCES[lid]
        licences[lid] = ctx(url, {"@type": "CreativeWork", "name": name, "identifier": lid})
    data_licence_url = pkg["licenses"][0]["path"]
    data_licence = next((e for lid, e in licences.items() if lid == pkg["licenses"][0]["name"]), None)
    if data_licence is None:
        data_licence = ctx(data_licence_url, {"@type": "CreativeWork", "name": pkg["licenses"][0]["title"]})

    authors = [ctx(*_person(a)) for a in cff.get("authors", [])]
    paper_ref = next(r for r in cff.get("references", []) if r.get("title"))
    paper = ctx(PAPER_ID, {
        "@type": "ScholarlyArticle", "name": paper_ref["title"],
        "author": [{"@id": ctx(*_person(a)).id} for a in paper_ref.get("authors", [])],
        "datePublished": str(paper_ref.get("year", "")),
        "inLanguage": "id",
        "description": " ".join(str(paper_ref.get("notes", "")).split()),
    })
    book = ctx(src["site"], {"@type": ["WebSite", "Book"], "name": cff["title"], "url": src["site"],
                             "inLanguage": "id", "author": [{"@id": a.id} for a in authors]})

    rd = c.root_dataset
    rd["name"] = cff["title"]
    rd["description"] = " ".join(str(cff.get("abstract", "")).split())
    rd["version"] = str(cff.get("version", ""))
    rd["datePublished"] = str(cfg.get("copyright", ""))
    rd["license"] = [{"@id": e.id} for e in licences.values()]
    rd["author"] = [{"@id": a.id} for a in authors]
    rd["keywords"] = list(cff.get("keywords", []))
    rd["url"] = cff.get("url", src["site"])
    rd["codeRepository"] = cff.get("repository-code", "")
    rd["isBasedOn"] = {"@id": paper.id}
    rd["subjectOf"] = {"@id": book.id}
    rd["inLanguage"] = "id"

    def add(rel: str, props: dict):
        if not (root / rel).is_file():
            raise FileNotFoundError(rel)
        return c.add_file(root / rel, dest_path=rel, properties=props)

    add("data/datapackage.json", {"name": pkg.get("title", "data package"),
                                  "description": " ".join(str(pkg.get("description", "")).split()),
                                  "encodingFormat": "application/json",
                                  "conformsTo": {"@id": FRICTIONLESS_PACKAGE},
                                  "license": {"@id": data_licence.id}})
    for res in pkg["resources"]:
        schema = add(f"data/{res['schema']}", {
            "name": f"Table Schema of {res['name']}", "encodingFormat": "application/json",
            "conformsTo": {"@id": TABLE_SCHEMA}})
        add(f"data/{res['path']}", {
            "name": res["name"], "description": " ".join(str(res.get("description", "")).split()),
            "encodingFormat": res.get("mediatype", "text/csv"), "conformsTo": {"@id": schema.id},
            "license": {"@id": data_licence.id}})
    add("references.bib", {"name": "Bibliography of the book (BibTeX)",
                           "encodingFormat": "application/x-bibtex"})
    for nb in sorted((root / "book").glob("*.ipynb")):
        rel = nb.relative_to(root).as_posix()
        add(rel, {"@type": ["File", "SoftwareSourceCode"], "name": f"Chapter notebook {nb.stem}",
                  "encodingFormat": "application/x-ipynb+json", "programmingLanguage": "Python",
                  "license": {"@id": data_licence.id}})
    software = c.add_dataset(root / "src" / "netralitas", dest_path="src/netralitas/", properties={
        "@type": ["Dataset", "SoftwareSourceCode"], "name": "netralitas (Python package)",
        "description": "Data loading and validation, tables, figures and the book's build tools.",
        "programmingLanguage": "Python", "license": {"@id": licences.get("MIT", data_licence).id}})
    for rel, name, fmt in [("requirements.txt", "Exact pins of the environment", "text/plain"),
                           ("environment.yml", "Conda/Binder environment (same pins)", "application/yaml"),
                           ("Makefile", "make book, make test, make pdf, make lab", "text/x-makefile"),
                           ("CITATION.cff", "Citation metadata", "application/yaml"),
                           ("_config.yml", "Jupyter Book configuration", "application/yaml"),
                           ("_toc.yml", "Table of contents of the book", "application/yaml")]:
        add(rel, {"name": name, "encodingFormat": fmt})
    rd["mainEntity"] = {"@id": software.id}
    return c


def metadata_json(root: Path | None = None) -> str:
    c = crate(root)
    return json.dumps(c.metadata.generate(), indent=2, ensure_ascii=False) + "\n"


def zenodo(root: Path | None = None) -> dict:
    """``.zenodo.json`` (Zenodo's deposit metadata) from ``CITATION.cff``."""
    root = root or paths.root()
    src = sources(root)
    cff = src["cff"]
    ids = _licence_ids(cff)
    data_lid = src["package"]["licenses"][0]["name"]
    paper = next(r for r in cff.get("references", []) if r.get("title"))
    paper_authors = ", ".join(f"{a.get('family-names')}, {a.get('given-names')}"
                              for a in paper.get("authors", []))
    return {
        "title": cff["title"],
        "upload_type": "software" if cff.get("type") == "software" else "dataset",
        "description": " ".join(str(cff.get("abstract", "")).split()),
        "creators": [{"name": a.get("name") or f"{a.get('family-names')}, {a.get('given-names')}"}
                     for a in cff.get("authors", [])],
        "version": str(cff.get("version", "")),
        "license": ZENODO_LICENCE[data_lid],
        "keywords": list(cff.get("keywords", [])),
        "language": "ind",
        "notes": "Licences: " + ", ".join(ids) + " (code MIT; data and text CC-BY-4.0).",
        "related_identifiers": [
            {"identifier": cff["repository-code"], "relation": "isSupplementTo", "scheme": "url"},
            {"identifier": cff.get("url", src["site"]), "relation": "isDocumentedBy", "scheme": "url"},
        ],
        "references": [f"{paper_authors} ({paper.get('year')}). {paper['title']}."],
    }


def zenodo_json(root: Path | None = None) -> str:
    return json.dumps(zenodo(root), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m netralitas.build.archive",
                                 description=__doc__.split("\n")[0])
    ap.parse_args(argv)
    root = paths.root()
    (root / "ro-crate-metadata.json").write_text(metadata_json(root), encoding="utf-8")
    (root / ".zenodo.json").write_text(zenodo_json(root), encoding="utf-8")
    print("archive: ro-crate-metadata.json, .zenodo.json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
