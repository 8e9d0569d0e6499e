"""Checks on the built book in _build/html (run by `make browser`, after `make build`).

- no page loads a script, stylesheet, font or image from a third-party host (also inside CSS);
- every local asset a page references exists;
- every figure in a chapter has a meaningful alt text; figures are not oversized;
- every notebook chapter has Binder and Colab launch links built from `repository.url`, every
  chapter has a download button, and thebe (live code from a CDN) is absent.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from netralitas import paths
from netralitas.build import site
from netralitas.build.offline import is_external

ROOT = paths.root()
SITE = ROOT / "_build" / "html"
MAX_FIG_PX = 1600  # widest figure: FIG_SIZE width × FIG_DPI is well below this
MAX_FIG_KIB = 400


@pytest.fixture(scope="module")
def pages() -> list[Path]:
    if not (SITE / "index.html").is_file():
        pytest.fail(f"{SITE}/index.html is missing: run `make build` before these tests")
    # _static/*.html are the theme's Jinja macro files, copied verbatim; they are not pages
    return sorted(p for p in SITE.rglob("*.html") if "_static" not in p.relative_to(SITE).parts)


def _rel(p: Path) -> str:
    return str(p.relative_to(SITE))


def test_no_third_party_resources_in_pages(pages):
    bad = [f"{_rel(p)}:{r.line}: {r.kind} {r.url}"
           for p in pages for r in site.resources(p.read_text(encoding="utf-8"))
           if is_external(r.url)]
    assert not bad, "pages load from third-party hosts:\n" + "\n".join(bad)


def test_no_third_party_urls_in_stylesheets():
    bad = []
    for css in sorted(SITE.rglob("*.css")):
        for url in site.css_urls(css.read_text(encoding="utf-8", errors="replace")):
            if is_external(url):
                bad.append(f"{_rel(css)}: {url}")
    assert not bad, "stylesheets fetch from third-party hosts:\n" + "\n".join(bad)


def test_local_assets_exist(pages):
    missing = []
    for p in pages:
        for r in site.resources(p.read_text(encoding="utf-8")):
            if not is_external(r.url) and not site.local_path(p, r.url).is_file():
                missing.append(f"{_rel(p)}:{r.line}: {r.url}")
    assert not missing, "missing assets:\n" + "\n".join(missing)


def test_no_thebe_or_cdn_config(pages):
    bad = [_rel(p) for p in pages
           if re.search(r"THEBE_JS_URL|x-thebe-config|unpkg\.com|cdn\.jsdelivr", p.read_text("utf-8"))]
    assert not bad, f"thebe/CDN configuration left in: {bad}"


def _article_images(html: str) -> list[dict]:
    body = html.split('<article class="bd-article">', 1)[-1].split("</article>", 1)[0]
    return [dict(re.findall(r'(\w[\w-]*)="([^"]*)"', m)) for m in re.findall(r"<img\s([^>]*)>", body)]


def test_chapter_figures_have_meaningful_alt(pages):
    bad = []
    for p in pages:
        for img in _article_images(p.read_text(encoding="utf-8")):
            alt = img.get("alt", "").strip()
            src_name = Path(img.get("src", "")).stem
            if len(alt.split()) < 3 or alt == src_name or alt.lower().endswith((".png", ".svg")):
                bad.append(f"{_rel(p)}: {img.get('src')} alt={alt!r}")
    assert not bad, "figures without a meaningful alt text (say what the figure shows):\n" + "\n".join(bad)


def test_figures_are_not_oversized():
    from PIL import Image

    bad = []
    for png in sorted((SITE / "_images").glob("*")) if (SITE / "_images").is_dir() else []:
        kib = png.stat().st_size / 1024
        if png.suffix.lower() in {".png", ".jpg", ".jpeg"}:
            with Image.open(png) as im:
                width = im.size[0]
            if width > MAX_FIG_PX or kib > MAX_FIG_KIB:
                bad.append(f"{png.name}: {width}px, {kib:.0f} KiB")
    assert not bad, f"figures wider than {MAX_FIG_PX}px or above {MAX_FIG_KIB} KiB:\n" + "\n".join(bad)


def _repository() -> tuple[str, str]:
    cfg = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    repo = cfg["repository"]
    return repo["url"].rstrip("/"), repo.get("branch", "main")


def test_launch_and_download_buttons_on_every_chapter():
    url, branch = _repository()
    org_repo = "/".join(url.split("/")[-2:])
    problems = []
    for doc in site.toc_pages(ROOT):
        html = (SITE / f"{doc}.html").read_text(encoding="utf-8")
        if "download-source-button" not in html:
            problems.append(f"{doc}: no download button")
        if (ROOT / f"{doc}.ipynb").is_file():
            binder = f"https://mybinder.org/v2/gh/{org_repo}/{branch}?urlpath=lab/tree/{doc}.ipynb"
            colab = f"https://colab.research.google.com/github/{org_repo}/blob/{branch}/{doc}.ipynb"
            for name, link in (("Binder", binder), ("Colab", colab)):
                if f'href="{link}"' not in html:
                    problems.append(f"{doc}: no {name} link {link}")
            if "download-notebook-button" not in html and f"{Path(doc).name}.ipynb" not in html:
                problems.append(f"{doc}: no .ipynb download")
    assert not problems, "\n".join(problems)


def test_every_toc_page_is_built():
    missing = [d for d in site.toc_pages(ROOT) if not (SITE / f"{d}.html").is_file()]
    assert not missing, f"pages in _toc.yml but not in _build/html: {missing}"
