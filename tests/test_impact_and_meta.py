"""Issue 10: figures a journalist can quote (period, "Stand", this year so far, the counting rule, readable charts
and tables), and what a page tells link previews and machines (Open Graph, Twitter card, canonical, JSON-LD).

Expected figures come from the content files (tests/counting.py, PyYAML alone), never from the generator's sums;
the build date from the sitemap's `lastmod`, which MkDocs writes from the same SOURCE_DATE_EPOCH.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from babel.dates import format_date

from generator.catalogue import catalogue
from generator.metadata import json_ld
from generator.publish import publish
from generator.render import render_site

from .conftest import REPO, checked_project
from .counting import content_files, figures_from_the_files, front_matter, year_of

DE = catalogue("de").strings
CONFIG = yaml.safe_load((REPO / "site_config.yml").read_text(encoding="utf-8"))
SITE_URL = CONFIG["site"]["url"]
FIGURE_KEYS = {"completed": "completed", "companies": "companies", "hours": "hours", "value": "value",
               "matches_reported": "matches_reported"}
"""tests/counting.py's keys → the catalogue's `figures` labels."""


# --- reading the built pages --------------------------------------------------------------------------------------


def page(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def content_block(text: str) -> str:
    """Our part of a page (the `sc` block), without MkDocs' and Material's chrome."""
    start = text.index('<div class="sc"')
    return text[start:text.index("</article>", start)] if "</article>" in text[start:] else text[start:]


def head(text: str) -> str:
    return text[:text.index("</head>")]


def plain(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def section(markup: str, labelled_by: str) -> str:
    start = markup.index(f'<section aria-labelledby="{labelled_by}"')
    return markup[start:markup.index("</section>", start)]


def build_date(site: Path) -> dt.date:
    """The day the site was built as of: the sitemap's lastmod (MkDocs takes it from SOURCE_DATE_EPOCH)."""
    dates = set(re.findall(r"<lastmod>(\d{4}-\d{2}-\d{2})</lastmod>", page(site, "sitemap.xml")))
    assert len(dates) == 1, dates
    return dt.date.fromisoformat(dates.pop())


def slug(name: str) -> str:
    return DE["sections"][name]


def meta_tags(text: str) -> dict[str, str]:
    """`property` or `name` → `content` of every <meta> in a page's head."""
    found = {}
    for attributes in re.findall(r"<meta\s([^>]*)>", head(text)):
        key = re.search(r'(?:property|name)="([^"]+)"', attributes)
        value = re.search(r'content="([^"]*)"', attributes)
        if key and value:
            found[html.unescape(key.group(1))] = html.unescape(value.group(1))
    return found


def structured_data(text: str) -> list[dict]:
    return [json.loads(block) for block in
            re.findall(r'<script type="application/ld\+json">(.*?)</script>', head(text), flags=re.S)]


def canonicals(text: str) -> list[str]:
    return re.findall(r'<link rel="canonical" href="([^"]+)"', head(text))


# --- figures as shown -----------------------------------------------------------------------------------------------


def shown_figures(markup: str) -> dict[str, str]:
    """Label → the figure itself (without the note on what it covers) of every tile in `markup`."""
    tiles = re.findall(r'<div class="sc-figure[^"]*"><dt>(.*?)</dt><dd>(.*?)</dd></div>', markup, flags=re.S)
    return {plain(label): plain(value.split("<small", 1)[0]) for label, value in tiles}


def parse_amount(text: str) -> tuple[float, float, bool]:
    """`ca. 66.200–76.235 €` → (66200, 76235, True), as the German catalogue writes figures."""
    approx = text.startswith(DE["values"]["approx"].split("{")[0])
    digits = re.sub(r"[^0-9.,–]", "", text)
    parts = [float(part.replace(".", "").replace(",", ".")) for part in digits.split("–")]
    return parts[0], parts[-1], approx


def assert_figures_match(shown: dict[str, str], expected: dict[str, tuple[float, float, bool]]) -> None:
    for key, label_key in FIGURE_KEYS.items():
        label = DE["figures"][label_key]
        low, high, approx = expected[key]
        if key == "matches_reported" and high == 0:
            assert label not in shown, shown  # no reported matches: no tile
            continue
        assert label in shown, (label, shown)
        if shown[label] == DE["values"]["unknown"]:
            assert high == 0, (label, expected[key])
            continue
        seen_low, seen_high, seen_approx = parse_amount(shown[label])
        assert seen_approx == approx, (label, shown[label], expected[key])
        if seen_low == seen_high:  # a narrow range is shown as its rounded middle
            assert low - 0.5 <= seen_low <= high + 0.5, (label, shown[label], expected[key])
        else:
            assert (seen_low, seen_high) == pytest.approx((low, high)), (label, shown[label])


def first_year() -> int:
    """The first year the totals cover, from the files: of any cooperation (completed, else started) or of any
    total this network reported for an event or a year."""
    years = [year_of(c.get("completed") or c.get("started")) for c in map(front_matter,
                                                                          content_files(REPO, "cooperations"))]
    for event in map(front_matter, content_files(REPO, "events")):
        results = event.get("results") or {}
        if results.get("scope", "network") == "network" and set(results) & {"matches", "hours", "value_eur",
                                                                             "people_reached"}:
            years.append(year_of(event.get("date")))
    return min(year for year in years if year is not None)


def stand(day: dt.date) -> str:
    return DE["figures"]["as_of"].format(date=format_date(day, format="long", locale="de"))


# --- Task A: impact a journalist can quote --------------------------------------------------------------------------


def test_impact_page_and_home_show_the_period_and_the_build_date(sample_site):
    day = build_date(sample_site)
    since = DE["figures"]["since"].format(year=first_year())
    for path in (f"{slug('impact')}/index.html", "index.html"):
        text = plain(content_block(page(sample_site, path)))
        assert f"{since} · {stand(day)}" in text, (path, text[:600])
    impact = plain(content_block(page(sample_site, f"{slug('impact')}/index.html")))
    so_far = DE["figures"]["so_far"].format(year=day.year)
    assert f"{so_far} ({DE['figures']['running']}) · {stand(day)}" in impact


def test_the_stand_date_follows_source_date_epoch(monkeypatch):
    """One rule for "today": SOURCE_DATE_EPOCH (moment.py) decides the date and the year shown as running."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")  # 2026-09-21
    checked = checked_project(REPO)
    site = publish(checked.content, checked.theme.urls)
    pages = {rendered.template: rendered for rendered in render_site(site, checked.theme, checked.project)}
    for template in ("impact.html", "home.html"):
        assert stand(dt.date(2026, 9, 21)) in plain(pages[template].html), template
    assert DE["figures"]["so_far"].format(year=2026) in plain(pages["impact.html"].html)


def test_this_years_figures_match_an_independent_count_of_the_year(sample_site):
    year = build_date(sample_site).year
    impact = content_block(page(sample_site, f"{slug('impact')}/index.html"))
    this_year = section(impact, "impact-this-year")
    assert DE["figures"]["so_far"].format(year=year) in plain(this_year)
    assert DE["figures"]["open"] not in shown_figures(this_year), "open challenges are not a year's achievement"
    assert_figures_match(shown_figures(this_year), figures_from_the_files(REPO, year=year))


@pytest.mark.parametrize("year", [2025, 2024])
def test_a_past_years_figures_so_far_match_the_independent_count(year):
    """As if built on the last day of `year`: its figures by the same counting rule as the files say."""
    checked = checked_project(REPO)
    site = publish(checked.content, checked.theme.urls, dt.date(year, 12, 31))
    impact = next(p for p in render_site(site, checked.theme, checked.project) if p.template == "impact.html")
    assert_figures_match(shown_figures(section(impact.html, "impact-this-year")),
                         figures_from_the_files(REPO, year=year))


def test_the_totals_still_match_and_people_reached_is_shown(sample_site):
    impact = content_block(page(sample_site, f"{slug('impact')}/index.html"))
    totals = impact[:impact.index('<section aria-labelledby="impact-this-year"')]
    shown = shown_figures(totals)
    assert_figures_match(shown, figures_from_the_files(REPO))
    assert DE["figures"]["people"] in shown


def test_the_counting_box_is_visible_and_names_the_hourly_rate(sample_site):
    impact = content_block(page(sample_site, f"{slug('impact')}/index.html"))
    match = re.search(r'<section class="sc-counting" id="counting"[^>]*>(.*?)</section>', impact, flags=re.S)
    assert match, "no counting box"
    box = plain(match.group(1))
    assert DE["figures"]["counting"] in box
    assert f"{CONFIG['value']['hourly_rate_eur']} €" in box
    for key in ("counting_in_kind", "counting_once", "counting_overlap", "counting_companies", "counting_money"):
        assert DE["impact"][key] in box, key
    assert "<details" not in match.group(0), "the box is not folded away"
    # Home and every figure set link to it.
    home = content_block(page(sample_site, "index.html"))
    assert f'href="{slug("impact")}/#counting"' in home


def test_charts_are_html_bars_with_every_number_in_text(sample_site):
    impact = content_block(page(sample_site, f"{slug('impact')}/index.html"))
    assert "<svg" not in impact and "<text" not in impact
    bars = re.findall(r'<li class="sc-bar">(.*?)</li>', impact, flags=re.S)
    assert len(bars) >= 3
    for bar in bars:
        label = re.search(r'<span class="sc-bar__label">(.*?)</span>', bar, flags=re.S)
        value = re.search(r'<span class="sc-bar__value">(.*?)</span>', bar, flags=re.S)
        assert label and plain(label.group(1)), bar
        assert value and (re.search(r"\d", value.group(1)) or plain(value.group(1)) == DE["values"]["unknown"]), bar
    css = page(sample_site, "assets/showcase.css")
    assert re.search(r"li\.sc-bar \{[^}]*font-size: \.8rem", css), "bar labels at the body size (16px on a phone)"


class _Tables(HTMLParser):
    """Every `table.sc-table`: its column headers and, per body row, each cell's `data-label` (None if missing)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self.cell: str | None = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "table" and "sc-table" in (attributes.get("class") or ""):
            self.tables.append({"headers": [], "rows": []})
        elif not self.tables:
            return
        elif tag == "tr":
            self.tables[-1]["rows"].append([])
        elif tag in ("th", "td"):
            self.cell, self.text = ("head" if attributes.get("scope") == "col" else "body"), ""
            if self.cell == "body":
                self.tables[-1]["rows"][-1].append((attributes.get("data-label"), attributes.get("class") or ""))

    def handle_data(self, data):
        if self.cell:
            self.text += data

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self.cell == "head":
            self.tables[-1]["headers"].append(" ".join(self.text.split()))
        if tag in ("th", "td"):
            self.cell = None


def test_tables_label_every_cell_for_phones_and_right_align_numbers(sample_site):
    parser = _Tables()
    parser.feed(content_block(page(sample_site, f"{slug('impact')}/index.html")))
    assert len(parser.tables) >= 3
    for table in parser.tables:
        rows = [row for row in table["rows"] if row]
        assert rows
        for row in rows:
            assert [label for label, _ in row] == table["headers"], (row, table["headers"])
            assert all("sc-num" in classes for _, classes in row[1:]), row  # every figure column
    css = page(sample_site, "assets/showcase.css")
    phone = re.search(r"@media screen and \(max-width: 30em\) \{(.*?)\n\}", css[css.index("table.sc-table"):],
                      flags=re.S)
    assert phone and "attr(data-label)" in phone.group(1), "tables stack on phones"
    assert re.search(r"\.sc-num \{[^}]*text-align: right;[^}]*tabular-nums", css)


# --- Task B: sharing and machines -----------------------------------------------------------------------------------


def story_with_images() -> tuple[str, dict]:
    for path in content_files(REPO, "cooperations"):
        data = front_matter(path)
        if data.get("images") and data.get("status", "completed") in ("completed", "recurring"):
            return path.stem, data
    raise AssertionError("the sample has a success story with images")


def test_a_story_page_has_open_graph_twitter_canonical_and_article_data(sample_site):
    key, data = story_with_images()
    path = f"{slug('cooperations')}/{key}/"
    text = page(sample_site, path + "index.html")
    tags = meta_tags(text)
    assert canonicals(text) == [SITE_URL + path]
    assert tags["og:url"] == SITE_URL + path
    assert tags["og:title"] == data["title"] and tags["og:type"] == "article"
    assert tags["og:locale"] == "de_DE" and tags["og:description"]
    image = tags["og:image"]
    assert image.startswith(SITE_URL), image
    first = data["images"][0]
    assert unquote(image).endswith("/" + (first["src"] if isinstance(first, dict) else first))
    assert (sample_site / unquote(image[len(SITE_URL):])).is_file(), image
    assert tags["twitter:card"] == "summary_large_image"
    articles = [item for item in structured_data(text) if item.get("@type") == "Article"]
    assert len(articles) == 1
    article = articles[0]
    assert article["@context"] == "https://schema.org"
    assert article["headline"] == data["title"]
    assert article["author"]["name"] == CONFIG["network"]["name"]
    assert image in article["image"]
    assert article["datePublished"] == str(data.get("completed") or data.get("started"))


def test_a_page_without_image_has_a_summary_card_and_no_og_image(sample_site):
    text = page(sample_site, f"{slug('impact')}/index.html")
    tags = meta_tags(text)
    assert tags["twitter:card"] == "summary" and "og:image" not in tags
    assert canonicals(text) == [SITE_URL + f"{slug('impact')}/"]


def test_an_event_page_has_event_data_with_its_date_and_place(sample_site):
    events = [(path.stem, front_matter(path)) for path in content_files(REPO, "events")]
    key, data = next((key, data) for key, data in events if data.get("kind") != "report" and data.get("place"))
    text = page(sample_site, f"{slug('events')}/{key}/index.html")
    found = [item for item in structured_data(text) if item.get("@type") == "Event"]
    assert len(found) == 1
    event = found[0]
    assert event["name"] == data["title"]
    assert event["startDate"].startswith(str(data["date"]))
    if data.get("time"):
        assert event["startDate"][11:16] == data["time"]
    assert event["location"]["name"] == data["place"]


def test_the_home_page_describes_the_network_as_an_organization(sample_site):
    text = page(sample_site, "index.html")
    found = [item for item in structured_data(text) if item.get("@type") == "Organization"]
    assert len(found) == 1
    assert found[0]["name"] == CONFIG["network"]["name"] and found[0]["url"] == SITE_URL
    tags = meta_tags(text)
    assert tags["og:title"] == CONFIG["network"]["name"] and tags["og:url"] == SITE_URL
    assert canonicals(text) == [SITE_URL]


def test_an_organization_page_has_organization_data(sample_site):
    key = next(path.stem for path in content_files(REPO, "organizations")
               if yaml.safe_load(path.read_text(encoding="utf-8"))["kind"] == "company"
               and (sample_site / slug("organizations") / path.stem / "index.html").is_file())
    name = yaml.safe_load((REPO / "content/organizations" / f"{key}.yml").read_text(encoding="utf-8"))["name"]
    text = page(sample_site, f"{slug('organizations')}/{key}/index.html")
    found = [item for item in structured_data(text) if item.get("@type") == "Organization"]
    assert [item["name"] for item in found] == [name]


def test_the_404_page_links_no_absolute_production_address(sample_site):
    text = page(sample_site, "404.html")
    host = urlsplit(SITE_URL).netloc
    absolute = re.findall(rf'(?:href|src)="(?:https?:)?//{re.escape(host)}[^"]*"', text)
    assert absolute == [], absolute
    assert "canonical" not in head(text) and "og:url" not in head(text)


def test_json_ld_cannot_end_its_script_element():
    hostile = {"headline": "</script><script>alert(1)</script> <!-- & -->", "name": "a\u2028b"}
    text = json_ld(hostile)
    assert "</" not in text and "<!--" not in text and "<" not in text
    assert json.loads(text) == hostile
