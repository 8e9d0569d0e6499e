"""The CI entry point and the GitHub workflows do what README and CONTRIBUTING say they do."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _workflow(name: str) -> dict:
    data = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as True
    return data


def _steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def test_book_workflow_builds_and_deploys_pages():
    wf = _workflow("book.yml")
    assert wf["on"]["push"]["branches"] == ["main"]
    assert wf["permissions"]["pages"] == "write" and wf["permissions"]["id-token"] == "write"
    build = _steps(wf["jobs"]["build"])
    runs = " ".join(s.get("run", "") for s in build)
    assert "make book" in runs
    upload = [s for s in build if s.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert upload and upload[0]["with"]["path"] == "_build/html"
    deploy = wf["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in _steps(deploy))


def test_test_workflow_runs_make_test_with_debian_chromium():
    wf = _workflow("test.yml")
    assert "push" in wf["on"] and "pull_request" in wf["on"]
    job = wf["jobs"]["test"]
    assert "bookworm" in job["container"]
    runs = "\n".join(s.get("run", "") for s in _steps(job))
    assert "apt-get install -y -qq chromium" in runs
    assert runs.strip().endswith("bash .ci/run")


def test_ci_run_installs_chromium_then_runs_make_test():
    text = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    assert "set -euo pipefail" in lines
    update = next(i for i, ln in enumerate(lines) if re.search(r"apt-get .*update", ln))
    install = next(i for i, ln in enumerate(lines) if re.search(r"apt-get .*install -y .*chromium", ln))
    assert update < install < lines.index("make test")
    assert any("/usr/bin/chromium" in ln and "if" in ln for ln in lines[:update])


def test_make_test_order():
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    # make test runs every step (concurrently where nothing orders them) ...
    steps = re.search(r"^test-steps:(.*)$", make, re.M).group(1).split()
    assert steps == [f"test-{s}" for s in ("unit", "lint", "verify", "build", "pdf", "browser")]
    assert re.search(r"^test: setup\n\t@\$\(MAKE\) .*-j\$\(TEST_JOBS\) .*test-steps$", make, re.M)
    # ... each step is the make target of the same name ...
    assert re.search(r"^test-unit test-lint test-verify:\n\t@\$\(MAKE\) --no-print-directory "
                     r"\$\(@:test-%=%\)$", make, re.M)
    # ... and in order where one needs the other: verified notebooks -> HTML -> PDF -> browser
    for step, before in (("build", "verify"), ("pdf", "build"), ("browser", "pdf")):
        assert re.search(rf"^test-{step}: test-{before}\n\t@\$\(MAKE\) --no-print-directory "
                         rf"{step}$", make, re.M), step
    # verify = one execution of every chapter, checked by nbval (strict) and byte for byte
    recipe = re.search(r"^verify:.*\n((?:\t.*\n)+)", make, re.M).group(1)
    assert "netralitas.build.verify" in recipe and "--nbval-lax" not in recipe
