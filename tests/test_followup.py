"""A follow-up study is rows, not code: the recipe of CONTRIBUTING.md ("Follow-up study"), run.

In a copy of the project, a future election (Pilkada 2029: its contest row and calendar rows), a
transfer wave and a case are added as data rows only (plus the bib entry their `source` cells
cite), then the real `make book` runs. The built book must read true:

- no raw id (an election id or a snake_case vocabulary term) in the visible text of any page
  outside the data appendix;
- the new election is in chapter A's and D.5's figures (drawn element ids, redrawn from the copy's
  data with the same functions the chapters call) and in their glued text and tables;
- D.5, E and Statistik state the same position for the new wave against the Pasal 71 window;
- sums stated in prose add up (D.1's confirmed/partly/not found = its cases; D.5's waves).

No file under src/, book/ or tests/ is edited in the copy.

Then, in the same copy, an author follows CONTRIBUTING's "Add a dataset" and "Add a chapter"
(``make chapter``) and the strict build must pass with the new chapter and dataset on their pages
(the last test; it reuses the built book, so only the changed pages are read again).
"""

from __future__ import annotations

import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from netralitas.build.execute import copy_env, copy_project

# one worker runs this file, in file order (`make unit` distributes whole files, --dist loadfile):
# the last test extends the copy the others read
pytestmark = pytest.mark.followup

NEW = "pilkada2029"
WAVE = "M2029-07"
CASE = "V2029"
BIB = """
@misc{kpu2029jadwal,
  author = {{Komisi Pemilihan Umum}},
  title = {Jadwal Pilkada serentak 2029 (contoh studi lanjutan)},
  year = {2029},
  note = {Synthetic entry of the follow-up test: the rows citing it are test data, not facts.}
}
"""
#: The follow-up's rows, by column name: written against each file's current header (a column the
#: test does not name stays empty), so the recipe keeps working when a table gains a column.
ROWS = {
    "contests.csv": [dict(election=NEW, label_id="Pilkada 2029", label_en="2029 regional election",
                          kind="regular", year="2029", source="kpu2029jadwal")],
    "elections.csv": [
        dict(event_id=f"{NEW}-penetapan", date="2029-09-24", level="city", election=NEW,
             kind="candidate_determination", description="Penetapan pasangan calon Pilkada 2029",
             source="kpu2029jadwal"),
        dict(event_id=NEW, date="2029-11-28", level="city", election=NEW, kind="voting_day",
             description="Hari pemungutan suara Pilkada 2029", source="kpu2029jadwal"),
        dict(event_id=f"{NEW}-pelantikan", date="2030-02-20", level="city", election=NEW,
             kind="inauguration", description="Pelantikan wali kota hasil Pilkada 2029",
             source="kpu2029jadwal"),
    ],
    "mutations.csv": [dict(wave_id=WAVE, date="2029-07", date_basis="stated", count="40",
                           count_qualifier="exact", unit="ASN",
                           scope="Mutasi ASN (contoh studi lanjutan)", authority="Wali Kota",
                           stated_in_paper="false", found_in_public="true",
                           source="kpu2029jadwal")],
    "violations.csv": [dict(case_id=CASE, year="2029", position="Lurah",
                            position_group="camat_lurah", election=NEW,
                            act="Menyatakan dukungan kepada salah satu calon (contoh)",
                            act_category="declaring_support", sanction="Teguran",
                            sanction_rank="1", date="2029-10-01", public_record="confirmed",
                            public_confirms="Pernyataan dukungan dan teguran (contoh)",
                            ruled_by="bawaslu", source="kpu2029jadwal")],
}
#: Pages that show data as it is stored (ids included) on purpose.
DATA_PAGES = {"data_kodebuku.html", "manifes.html", "genindex.html", "search.html"}


def _add_rows(proj: Path) -> None:
    import csv
    import io

    for name, rows in ROWS.items():
        path = proj / "data" / name
        text = path.read_text(encoding="utf-8")
        header = next(csv.reader(io.StringIO(text)))
        unknown = sorted({k for r in rows for k in r} - set(header))
        assert not unknown, f"{name} has no column(s) {unknown}: update the follow-up recipe"
        out = io.StringIO()
        csv.DictWriter(out, fieldnames=header, lineterminator="\n").writerows(
            [{k: r.get(k, "") for k in header} for r in rows])
        path.write_text(text + ("" if text.endswith("\n") else "\n") + out.getvalue(),
                        encoding="utf-8")
    bib = proj / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + BIB, encoding="utf-8")


class _Text(HTMLParser):
    """Visible text of a page's article (no code, scripts, styles, attributes)."""

    SKIP = {"script", "style", "code", "pre", "kbd", "samp"}

    def __init__(self):
        super().__init__()
        self.depth, self.article, self.parts = 0, 0, []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.depth += 1
        if tag == "article":
            self.article += 1

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.depth:
            self.depth -= 1
        if tag == "article" and self.article:
            self.article -= 1

    def handle_data(self, data):
        if self.article and not self.depth:
            self.parts.append(data)


def _visible(page: Path) -> str:
    p = _Text()
    p.feed(page.read_text(encoding="utf-8"))
    return " ".join(" ".join(p.parts).split())


def _glued(nb_path: Path) -> dict[str, str]:
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    out = {}
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            name = o.get("metadata", {}).get("scrapbook", {}).get("name")
            if not name:
                continue
            data = {k.rsplit("/", 2)[-2] + "/" + k.rsplit("/", 1)[-1]: v
                    for k, v in o.get("data", {}).items()}
            val = data.get("text/markdown") or data.get("text/plain") or ""
            out[name] = "".join(val) if isinstance(val, list) else str(val)
    return out


def _python(env: dict) -> str:
    """The interpreter the copy runs with (the project's .venv, which the copy shares)."""
    py = Path(env["VIRTUAL_ENV"]) / "bin" / "python" if "VIRTUAL_ENV" in env else None
    return str(py or Path(__file__).resolve().parents[1] / ".venv" / "bin" / "python")


def _run_python(proj: Path, env: dict, code: str) -> str:
    res = subprocess.run([_python(env), "-c", code], cwd=proj, env=env, capture_output=True,
                         text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]
    return res.stdout


def _make(proj: Path, env: dict, *args: str, timeout: int = 1200) -> subprocess.CompletedProcess:
    make_args, _ = copy_env(proj)
    return subprocess.run(["make", "--no-print-directory", *make_args, *args], cwd=proj, env=env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def followup(tmp_path_factory):
    proj = copy_project(tmp_path_factory.mktemp("followup") / "proj")
    before = {p: p.read_bytes() for d in ("src", "book", "tests") for p in (proj / d).rglob("*")
              if p.is_file()}
    _add_rows(proj)
    _, env = copy_env(proj)
    res = _make(proj, env, "book", timeout=1500)
    assert res.returncode == 0, (res.stdout + res.stderr)[-4000:]
    after = {p: p.read_bytes() for d in ("src", "book", "tests") for p in (proj / d).rglob("*")
             if p.is_file() and "__pycache__" not in p.parts}
    changed = [str(p.relative_to(proj)) for p in after
               if p.suffix != ".ipynb" and before.get(p) != after[p]]
    assert not changed, f"the follow-up needed edits outside data/: {changed}"
    return proj, env


def test_no_raw_id_on_any_page(followup):
    proj, _ = followup
    import csv

    vocab = list(csv.DictReader((proj / "data" / "vocabulary.csv").open(encoding="utf-8")))
    contests = list(csv.DictReader((proj / "data" / "contests.csv").open(encoding="utf-8")))
    ids = {r["election"] for r in contests} | {r["term"] for r in vocab if "_" in r["term"]}
    pattern = re.compile(r"(?<![\w/.-])(" + "|".join(sorted(map(re.escape, ids), key=len,
                                                             reverse=True)) + r")(?![\w-])")
    found = {}
    for page in sorted((proj / "_build" / "html").rglob("*.html")):
        if page.name in DATA_PAGES or "_static" in page.parts:
            continue
        hits = sorted(set(pattern.findall(_visible(page))))
        if hits:
            found[str(page.relative_to(proj / "_build" / "html"))] = hits
    assert not found, f"raw ids in the visible text of the built pages: {found}"


def test_new_election_in_figures_and_tables(followup):
    proj, env = followup
    out = _run_python(proj, env, """
import netralitas as nt
from netralitas.plots.style import drawn
d = {n: nt.data.load(n) for n in ("elections", "leadership", "mutations", "legal_events")}
start, end = nt.calendar.span(d["elections"], d["leadership"], d["mutations"], d["legal_events"])
a = nt.plots.timelines.election_timeline(d["elections"], d["leadership"], start=start, end=end)
w = nt.calendar.pasal71_windows(d["elections"], d["legal_events"])
b = nt.plots.timelines.mutation_timeline(d["mutations"], d["elections"], d["leadership"], w,
                                         nt.calendar.pasal162_windows(d["elections"]),
                                         d["legal_events"])
print("A", " ".join(drawn(a, "event:")))
print("D5", " ".join(drawn(b, "window:")), "|", " ".join(drawn(b, "wave:")))
""")
    a_line = next(line for line in out.splitlines() if line.startswith("A "))
    d5_line = next(line for line in out.splitlines() if line.startswith("D5 "))
    assert f"{NEW}-penetapan" in a_line and NEW in a_line.split()
    assert NEW in d5_line.split("|")[0].split() and WAVE in d5_line
    a = _glued(proj / "book" / "a_pendahuluan.ipynb")
    assert "Pilkada 2029" in a["a_elections"] and int(a["a_year_to"]) >= 2029
    assert "Pilkada 2029" in a["a_fig_timeline"]  # the alt text is derived from the data
    html = (proj / "_build" / "html" / "book" / "d5_mutasi.html").read_text(encoding="utf-8")
    assert "Pilkada 2029" in html
    assert "Pilkada 2029" in (proj / "_build" / "html" / "book" / "a_pendahuluan.html").read_text(
        encoding="utf-8")


def test_chapters_agree_on_the_new_wave(followup):
    proj, _ = followup
    d5 = _glued(proj / "book" / "d5_mutasi.ipynb")
    e = _glued(proj / "book" / "e_kesimpulan.ipynb")
    assert WAVE in d5["d5_inside_ids"], "D.5 does not place the new wave inside its window"
    assert e["e_n_inside"] == d5["d5_n_inside"]
    stat = (proj / "_build" / "html" / "book" / "statistik.html").read_text(encoding="utf-8")
    row = re.search(re.escape(WAVE) + r".*?</tr>", stat, flags=re.S)
    assert row, "the statistics chapter does not list the new wave"
    cells = [re.sub(r"<[^>]+>", "", c).strip()
             for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), flags=re.S)]
    assert any(c.startswith("ya") and "Pasal 71 · Pilkada 2029" in c for c in cells), cells


def test_sums_in_prose_add_up(followup):
    proj, _ = followup
    d1 = _glued(proj / "book" / "d1_struktur.ipynb")
    n = {k: int(v) for k, v in d1.items() if re.fullmatch(r"d1_n_\w+", k) and v.isdigit()}
    # the sentence names one count per public-record status, and they add up to the cases
    assert n["d1_n_cases"] == (n["d1_n_confirmed"] + n["d1_n_partly"] + n["d1_n_disputed"]
                               + n["d1_n_not_found"])
    d5 = _glued(proj / "book" / "d5_mutasi.ipynb")
    m = {k: int(v) for k, v in d5.items() if v.isdigit()}
    assert m["d5_n_waves"] == m["d5_n_paper_only"] + m["d5_n_public_only"] + m["d5_n_both"]
    assert m["d5_n_waves"] == m["d5_n_inside"] + m["d5_n_partly"] + m["d5_n_outside"]
    a = _glued(proj / "book" / "a_pendahuluan.ipynb")
    assert int(a["a_n_elections"]) == len(re.split(r", | dan ", a["a_elections"]))


def _add_dataset(proj: Path) -> None:
    """CONTRIBUTING, "Add a dataset": CSV + Table Schema + datapackage.json entry + bib keys +
    the codebook's manifest row."""
    import csv
    import io
    import json

    (proj / "data" / "contoh_survei.csv").write_text(
        "item_id,answer,count,source\nq1,ya,3,ansyari2026netralitas\nq2,tidak,5,ansyari2026netralitas\n",
        encoding="utf-8")
    schema = {
        "fields": [
            {"name": "item_id", "type": "string", "description": "Identifier of the item.",
             "constraints": {"required": True, "unique": True}},
            {"name": "answer", "type": "string", "description": "Answer category.",
             "constraints": {"required": True, "enum": ["ya", "tidak"]}},
            {"name": "count", "type": "integer", "description": "Number of answers.",
             "constraints": {"required": True, "minimum": 0}},
            {"name": "source", "type": "string",
             "description": "Semicolon-separated citation keys in references.bib.",
             "constraints": {"required": True}},
        ],
        "primaryKey": ["item_id"],
    }
    (proj / "data" / "schemas" / "contoh_survei.json").write_text(
        json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    package_path = proj / "data" / "datapackage.json"
    package = json.loads(package_path.read_text(encoding="utf-8"))
    package["resources"].append({
        "name": "contoh_survei", "path": "contoh_survei.csv", "schema": "schemas/contoh_survei.json",
        "format": "csv", "encoding": "utf-8", "mediatype": "text/csv",
        "description": "Example survey answers added by the authoring test."})
    package_path.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    # its codebook's row in the manifest: a copy of the row of tbl-data-elections
    manifest = proj / "data" / "manifest.csv"
    rows = list(csv.reader(io.StringIO(manifest.read_text(encoding="utf-8"))))
    col = {c: i for i, c in enumerate(rows[0])}
    new = list(next(r for r in rows if r[col["label"]] == "tbl-data-elections"))
    new[col["item_id"]] = "B-DATA-CONTOH-SURVEI"
    new[col["title"]] = "Kodebuku `contoh_survei.csv`"
    new[col["label"]] = "tbl-data-contoh_survei"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows + [new])
    manifest.write_text(out.getvalue(), encoding="utf-8")


def test_then_a_new_dataset_and_chapter_build_strictly(followup):
    """CONTRIBUTING's "Add a dataset" and "Add a chapter", after the follow-up's rows.

    Runs last in this module (it adds a chapter to the copy the tests above read): the book is
    already built, so ``make build`` re-reads only what the dataset and the chapter change.
    """
    proj, env = followup
    _add_dataset(proj)
    py = _python(env)
    checked = subprocess.run([py, "-m", "netralitas.data"], cwd=proj, env=env,
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # the codebook appendix lists every resource of the package: re-execute it
    codebook = subprocess.run([py, "-m", "netralitas.build.execute", "book/data_kodebuku.ipynb"],
                              cwd=proj, env=env, capture_output=True, text=True)
    assert codebook.returncode == 0, codebook.stdout + codebook.stderr

    made = _make(proj, env, "chapter", "NAME=bab_uji", "TITLE=Bab uji penulis")
    assert made.returncode == 0, made.stdout + made.stderr
    nb_path = proj / "book" / "bab_uji.ipynb"
    assert nb_path.is_file()
    toc = yaml.safe_load((proj / "_toc.yml").read_text(encoding="utf-8"))
    part = next(p for p in toc["parts"] if p["caption"] == "Analisis tambahan")
    assert "book/bab_uji" in [c["file"] for c in part.get("chapters", [])]

    import nbformat

    nb = nbformat.read(nb_path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.get("execution_count") for c in code), "the new chapter was not executed"
    assert not any(o.get("output_type") == "error" for c in code for o in c.outputs)

    again = _make(proj, env, "chapter", "NAME=bab_uji")
    assert again.returncode != 0 and "already exists" in again.stderr

    built = _make(proj, env, "build")
    log = (built.stdout + built.stderr)[-6000:]
    assert built.returncode == 0, "strict build with the new chapter failed:\n" + log
    html = (proj / "_build" / "html" / "book" / "bab_uji.html").read_text(encoding="utf-8")
    article = html.split('<article class="bd-article">', 1)[1].split("</article>", 1)[0]
    text = re.sub(r"<[^>]+>", " ", article)
    assert "Bab uji penulis" in text and "English summary" in text
    assert "{glue" not in article and "glue:text" not in article
    n_id = re.search(r"Data memuat\s+(\d+)\s+kasus", text)
    n_en = re.search(r"the data hold\s+(\d+)\s+cases", text)
    assert n_id and n_en and n_id.group(1) == n_en.group(1) and int(n_id.group(1)) > 0
    intro = (proj / "_build" / "html" / "book" / "intro.html").read_text(encoding="utf-8")
    assert 'href="bab_uji.html"' in intro, "the new chapter is not in the sidebar"
    kodebuku = (proj / "_build" / "html" / "book" / "data_kodebuku.html").read_text(encoding="utf-8")
    assert "contoh_survei" in kodebuku, "the new dataset is not in the Data & Kodebuku appendix"
