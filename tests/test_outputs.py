"""Issue 12: outputs beside the site — matching-round packet, annual report, engagement record, open data, feeds.

Figures in the PDFs are read back with pypdf and held against sums computed independently from the content files
(tests/counting.py); open data is checked against its own published JSON Schema.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import yaml
from pypdf import PdfReader

from generator.catalogue import catalogue
from generator.cli import main

from .conftest import FIXTURES, REPO
from .counting import content_files, figures_from_the_files, front_matter

BIN = Path(sys.executable).parent
DATE_EPOCH = "1790000000"  # 2026-09-21: reports say "Stand" of this date


def pdf_text(path: Path) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(path).pages))


def shown(value: tuple[float, float, bool]) -> str:
    """A figure as the catalogue writes it in German (exact, `ca. …`, or a range)."""
    texts = catalogue("de")
    low, high, approx = value
    if low == high or high - low <= 0.05 * high:
        number = texts.number(round((low + high) / 2) if low != high else low)
    else:
        number = f"{texts.number(low)}–{texts.number(high)}"
    return f"ca. {number}" if approx else number


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reports")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", DATE_EPOCH)
        assert main(["report", "--config", str(REPO / "site_config.yml"), "--year", "2025", "--out", str(out)]) == 0
        assert main(["report", "--config", str(REPO / "site_config.yml"), "--organization", "lindenberg-versicherung",
                     "--out", str(out)]) == 0
    return out


def test_annual_report_figures_match_an_independent_count_of_the_files(reports):
    text = pdf_text(reports / "bilanz-2025.pdf")
    assert "Bilanz 2025" in text and "Stand: 21. September 2026" in text
    expected = figures_from_the_files(REPO, year=2025)
    assert f"{expected['completed'][0]:.0f} abgeschlossene Kooperationen" in text
    assert f"{shown(expected['hours'])} {catalogue('de').text('figures.hours')}" in text
    assert f"{shown(expected['value'])} € Gegenwert" in text.replace("– ", "–")
    previous = figures_from_the_files(REPO, year=2024)
    assert f"{shown(previous['hours'])} {shown(expected['hours'])}" in text  # the comparison table's row
    assert "mit 35 € pro Stunde bewertet" in text  # the hourly rate is stated


def test_annual_report_thanks_the_companies_by_name_and_prints_stories_with_quotes(reports):
    text = pdf_text(reports / "bilanz-2025.pdf")
    stories = [front_matter(p) for p in content_files(REPO, "cooperations")]
    in_year = [s for s in stories if str(s.get("completed") or s.get("started") or "").startswith("2025")
               and s.get("status", "completed") == "completed"]
    for story in in_year:
        assert story["title"] in text
        if story.get("quote"):
            assert story["quote"]["author"] in text
    assert "Lindenberg Versicherung AG" in text and "Engagierte Unternehmen" in text
    # Only public data: no internal proposal, no private contact.
    for path in content_files(REPO, "proposals"):
        data = front_matter(path)
        if data["status"] in ("submitted", "under_review", "declined", "withdrawn"):
            assert data["title"] not in text


def test_engagement_record_counts_only_the_companys_own_delivered_contributions(reports):
    text = pdf_text(reports / "engagement-lindenberg-versicherung.pdf")
    expected = figures_from_the_files(REPO, partner="lindenberg-versicherung")
    assert "Engagement von Lindenberg Versicherung AG" in text
    assert f"{expected['completed'][0]:.0f} abgeschlossene Kooperationen" in text
    assert f"{shown(expected['hours'])} Stunden, die das Unternehmen geschenkt hat" in text
    assert f"{shown(expected['value'])} € Gegenwert seiner Beiträge" in text


# --- the matching round's packet --------------------------------------------------------------------------------


def packet_project(tmp_path: Path) -> Path:
    """The minimal network plus past stories that make the ranking for `tablets` predictable."""
    root = tmp_path / "netz"
    shutil.copytree(FIXTURES / "minimal", root)
    for org, kind in (("druckerei", "company"), ("baeckerei", "company"), ("autohaus", "company")):
        (root / f"content/organizations/{org}.yml").write_text(f"name: {org.title()} GmbH\nkind: {kind}\n")

    def story(name: str, partner: str, need: str, themes: list[str], district: str, completed: str, hours: int) -> None:
        data = {"title": name, "organization": "jugendtreff", "completed": completed, "themes": themes,
                "district": district, "partners": [{"organization": partner, "kind": need,
                                                     "contribution": "Hilfe", "hours": hours}]}
        (root / f"content/cooperations/{name}.md").write_text(
            "---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\nText.\n")

    story("drucke", "druckerei", "sachspende", ["bildung"], "nord", "2025-11", 10)
    story("brote", "baeckerei", "logistik", ["jugend"], "nord", "2024-02", 5)
    story("autos", "autohaus", "logistik", [], "mitte", "2023-01", 2)
    tablets = {"title": "Tablets für die Hausaufgabenhilfe", "organization": "jugendtreff",
               "summary": "Zehn Tablets.", "status": "submitted", "submitted": "2026-01-10", "themes": ["bildung"],
               "district": "nord", "needs": [{"kind": "sachspende", "description": "Zehn Tablets"}],
               "contact": {"name": "Rita Intern", "email": "rita@verein.example.org"}}
    (root / "content/proposals/tablets.md").write_text("---\n" + yaml.safe_dump(tablets, allow_unicode=True)
                                                       + "---\nText.\n")
    return root


def test_packet_suggests_companies_ranked_with_their_reasons(tmp_path, capsys):
    root = packet_project(tmp_path)
    out = tmp_path / "mappe"
    assert main(["round", "--config", str(root / "site_config.yml"), "--date", "2026-03-01", "--out", str(out)]) == 0
    text = pdf_text(out / "matching-runde-2026-03-01.pdf")
    assert text.startswith("INTERN")
    block = text[text.index("Tablets für die Hausaufgabenhilfe"):]
    suggestions = block[block.index("Vorschläge für Unternehmen"):]
    # Same kind of help, theme and place first; the baker only shares the place; the car dealer nothing.
    assert suggestions.index("Druckerei GmbH") < suggestions.index("Baeckerei GmbH")
    assert "Druckerei GmbH – hat schon Sachspende gegeben; Thema Bildung; gleicher Ort; 10 Stunden bisher; " \
           "zuletzt November 2025" in suggestions
    assert "Baeckerei GmbH – gleicher Ort" in suggestions
    assert "Autohaus" not in suggestions
    assert "Am längsten wartet: „Tablets für die Hausaufgabenhilfe“" in text


@pytest.mark.parametrize("inside", ["project", "site"])
def test_packet_refuses_to_write_where_it_could_be_committed_or_published(tmp_path, capsys, inside):
    root = packet_project(tmp_path)
    out = root / "mappe" if inside == "project" else root / "site" / "intern"
    code = main(["round", "--config", str(root / "site_config.yml"), "--out", str(out)])
    assert code == 2
    assert "interne Daten" in capsys.readouterr().err
    assert not out.exists()


def test_build_never_writes_the_packet(sample_site):
    assert not [path for path in sample_site.rglob("*") if "matching-runde" in path.name]
    assert not (sample_site / "bilanz-2025.pdf").exists()


# --- open data and feeds ----------------------------------------------------------------------------------------


def data_folder(site: Path) -> Path:
    return site / yaml.safe_load((REPO / "generator/theme/i18n/de.yml").read_text())["sections"]["data"]


@pytest.mark.parametrize("dataset", ["proposals", "cooperations", "organizations", "events"])
def test_open_data_follows_its_published_schema_and_names_the_network(sample_site, dataset):
    folder = data_folder(sample_site)
    data = json.loads((folder / f"{dataset}.json").read_text(encoding="utf-8"))
    schema = json.loads((folder / f"schemas/{dataset}-1.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    assert data["network"] == {"id": "beispielstadt", "name": "Die Herausforderung Beispielstadt",
                               "city": "Beispielstadt"}
    assert data["licence"] == "CC-BY-4.0" and data["version"] == "1"
    rows = list(csv.DictReader(io.StringIO((folder / f"{dataset}.csv").read_text(encoding="utf-8"))))
    assert [row["id"] for row in rows] == [item["id"] for item in data["items"]]
    assert {(row["network"], row["network_name"]) for row in rows} <= {("beispielstadt",
                                                                        "Die Herausforderung Beispielstadt")}


def test_open_data_holds_no_people_and_nothing_internal(sample_site):
    folder = data_folder(sample_site)
    text = "\n".join(path.read_text(encoding="utf-8") for path in folder.rglob("*") if path.suffix in (".json", ".csv"))
    for path in content_files(REPO, "proposals"):
        data = front_matter(path)
        if data.get("contact"):
            assert data["contact"]["name"] not in text, path
        if data["status"] in ("submitted", "under_review", "declined", "withdrawn"):
            assert data["title"] not in text and path.stem not in text
    for path in content_files(REPO, "cooperations"):
        quote = front_matter(path).get("quote")
        if quote:
            assert quote["author"] not in text
    published = json.loads((folder / "proposals.json").read_text(encoding="utf-8"))["items"]
    public = [front_matter(p) for p in content_files(REPO, "proposals")]
    assert len(published) == sum(p["status"] in ("open", "matched", "completed", "archived") for p in public)


def test_feeds_list_the_open_challenges_and_stories_and_every_page_links_them(sample_site):
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(sample_site / "herausforderungen.xml").getroot()
    titles = {entry.find(f"{atom}title").text for entry in feed.iter(f"{atom}entry")}
    open_titles = {front_matter(p)["title"] for p in content_files(REPO, "proposals")
                   if front_matter(p)["status"] == "open"}
    assert titles == open_titles
    links = [entry.find(f"{atom}link").get("href") for entry in feed.iter(f"{atom}entry")]
    assert all(link.startswith("https://beispielstadt.example.org/herausforderungen/") for link in links)
    stories = ET.parse(sample_site / "erfolgsgeschichten.xml").getroot()
    assert len(list(stories.iter(f"{atom}entry"))) == sum(
        front_matter(p).get("status", "completed") in ("completed", "recurring")
        for p in content_files(REPO, "cooperations"))
    for root in (feed, stories):  # newest first
        dates = [entry.find(f"{atom}updated").text for entry in root.iter(f"{atom}entry")]
        assert dates == sorted(dates, reverse=True)
    home = (sample_site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<link rel="alternate" type="application/atom\+xml" [^>]*href="\./'
                     r'herausforderungen\.xml"', home)


def test_the_data_page_explains_every_field(sample_site):
    page = (data_folder(sample_site) / "index.html").read_text(encoding="utf-8")
    for field in ("counted_in_event", "people_reached", "value_eur", "scope"):
        assert f"<code>{field}</code>" in page
    assert "CC-BY-4.0" in page


# --- several networks -------------------------------------------------------------------------------------------


def test_federate_adds_the_networks_exports_by_the_same_counting_rule(sample_site, real_site, capsys,
                                                                      monkeypatch):
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert main(["federate", str(data_folder(sample_site)), str(data_folder(real_site))]) == 0
    lines = capsys.readouterr().out.splitlines()
    sample, real = figures_from_the_files(REPO), figures_from_the_files(FIXTURES / "real-networks")
    rows = {line.split(" | ")[0]: line.split(" | ")[1:] for line in lines[1:]}
    beispiel = rows["Die Herausforderung Beispielstadt (beispielstadt)"]
    assert beispiel[0] == f"{sample['completed'][0]:.0f}" and beispiel[2] == shown(sample["hours"])
    assert beispiel[3] == f"{shown(sample['value'])}\u00a0€"
    [real_row] = [row for name, row in rows.items() if name.startswith("Gute Geschäfte")]
    assert real_row[1] == shown(real["matches_reported"]) and real_row[2] == shown(real["hours"])
    total_matches = sample["matches_reported"][0] + real["matches_reported"][0]
    assert rows["Zusammen"][1] == catalogue("de").number(total_matches)


def test_federate_refuses_a_folder_that_is_no_export(tmp_path, capsys):
    (tmp_path / "cooperations.json").write_text('{"dataset": "proposals"}')
    assert main(["federate", str(tmp_path)]) == 2
    assert "kein Export" in capsys.readouterr().err


def test_check_jsonschema_accepts_the_open_data_with_its_own_schemas(sample_site):
    folder = data_folder(sample_site)
    for dataset in ("proposals", "cooperations", "organizations", "events"):
        schema = folder / f"schemas/{dataset}-1.json"
        result = subprocess.run([str(BIN / "check-jsonschema"), "--schemafile", str(schema),
                                 str(folder / f"{dataset}.json")], capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_privacy_gate_reads_the_open_data_too(tmp_path, monkeypatch, capsys):
    """Should a change ever put an internal proposal into a data file, the build fails instead of publishing it."""
    root = tmp_path / "netz"
    shutil.copytree(FIXTURES / "minimal", root)
    secret = front_matter(root / "content/proposals/geheimer-antrag.md")["title"]
    import generator.build as build

    original = build.data_files
    monkeypatch.setattr(build, "data_files", lambda site, base: {
        **original(site, base), "proposals.json": json.dumps({"items": [{"title": secret}]}).encode()})
    out = tmp_path / "site"
    assert main(["build", "--config", str(root / "site_config.yml"), "--out", str(out), "--quiet"]) == 1
    assert "privacy-leak" in capsys.readouterr().out
    assert not out.exists()


def test_hostile_texts_stay_plain_text_in_feeds_and_data(tmp_path):
    """A network name with markup is text in the feed (XML-escaped, parsed back as written) and in the JSON."""
    root = tmp_path / "netz"
    shutil.copytree(FIXTURES / "minimal", root)
    config = root / "site_config.yml"
    hostile = '<script>alert(1)</script>"onload="x'
    config.write_text(config.read_text(encoding="utf-8").replace('name: "Testnetz Musterstadt"',
                                                                 f"name: {json.dumps(hostile)}"), encoding="utf-8")
    out = tmp_path / "site"
    assert main(["build", "--config", str(config), "--out", str(out), "--quiet"]) == 0
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(out / "herausforderungen.xml").getroot()
    assert feed.find(f"{atom}title").text.startswith(hostile + ": ")
    assert not list(feed.iter("script"))
    data = json.loads((data_folder(out) / "proposals.json").read_text(encoding="utf-8"))
    assert data["network"]["name"] == hostile
