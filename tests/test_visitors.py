"""The four visitors of the site review, each with a task, walked through in a real browser by clicking as they
would (../shared/SITE-REVIEW.md "The journeys"). Expected values come from the content files and the catalogue."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import yaml
from playwright.sync_api import Page, expect

from generator.catalogue import catalogue

from .conftest import REPO

pytestmark = pytest.mark.browser

DE = catalogue("de").strings
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def front_matter(path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n", 2)[1])


@pytest.fixture
def visitor(chromium, site_url: str):
    contexts = []

    def open_site(viewport: dict) -> Page:
        context = chromium.new_context(viewport=viewport, accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.goto(site_url)
        return page

    yield open_site
    for context in contexts:
        context.close()


def test_company_finds_a_team_day_in_its_district_and_opens_the_prefilled_mail(visitor):
    """CSR manager: a team day for 4–6 people in the district where the company sits, then the e-mail."""
    wanted = next(
        (path.stem, data) for path in sorted((REPO / "content/proposals").glob("*.md"))
        if (data := front_matter(path))["status"] == "open" and data.get("helpers") and data.get("district")
    )
    entry_id, data = wanted
    district_label = yaml.safe_load((REPO / "site_config.yml").read_text(encoding="utf-8"))["districts"][
        data["district"]]
    page = visitor(DESKTOP)
    page.locator(".sc-hero").get_by_role("link", name=re.compile(DE["home"]["cta_companies"])).click()
    page.select_option("#sc-filter select[name=district]", label=district_label)
    page.select_option("#sc-filter select[name=team]", "1-5" if data["helpers"]["min"] <= 5 else "6-10")
    page.locator("#sc-filter-results").get_by_role("link", name=data["title"]).click()
    expect(page.locator("h1")).to_have_text(data["title"])
    href = page.get_by_role("link", name=DE["proposal"]["cta_button"]).get_attribute("href")
    parts = urlsplit(href)
    query = {key: value[0] for key, value in parse_qs(parts.query).items()}
    assert parts.scheme == "mailto"
    assert unquote(parts.path) == yaml.safe_load((REPO / "site_config.yml").read_text(encoding="utf-8"))[
        "network"]["contact"]["email"]
    assert data["title"] in query["subject"] and data["title"] in query["body"]
    assert f"/{entry_id}/" in query["body"]


def test_nonprofit_finds_how_to_submit_and_downloads_the_template(visitor):
    page = visitor(PHONE)
    page.locator(".sc-hero").get_by_role("link", name=re.compile(DE["home"]["cta_nonprofits"])).click()
    expect(page.locator("h1")).to_have_text(DE["submit"]["title"])
    with page.expect_download() as download:
        page.locator("a[download], a[href$='.txt']").first.click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert DE["editor"]["fields"]["title"] in text and DE["editor"]["fields"]["needs"] in text


def test_journalist_finds_this_years_figures_with_period_and_a_story_with_image_and_quote(visitor):
    page = visitor(DESKTOP)
    page.locator(".md-tabs").get_by_role("link", name=DE["nav"]["impact"]).click()
    body = page.locator("article.md-content__inner").inner_text()
    assert re.search(r"Stand:? \d{1,2}\. \w+ \d{4}", body), "figures say as of when"
    assert re.search(r"\b20\d\d\b", body), "figures say for which period"
    stories = [front_matter(path) for path in sorted((REPO / "content/cooperations").glob("*.md"))]
    story = next(s for s in stories if s.get("quote") and s.get("images") and s.get("status", "completed")
                 in ("completed", "recurring"))
    page.locator(".md-tabs").get_by_role("link", name=DE["nav"]["stories"]).click()
    page.get_by_role("link", name=story["title"]).first.click()
    expect(page.locator("h1")).to_have_text(story["title"])
    first_image = page.locator("article.md-content__inner img").first
    expect(first_image).to_be_visible()
    assert first_image.evaluate("img => img.naturalWidth") > 0
    expect(page.get_by_text(story["quote"]["text"][:40])).to_be_visible()


def test_phone_visitor_sees_both_calls_to_action_on_the_first_screen(visitor):
    page = visitor(PHONE)
    for name in (DE["home"]["cta_companies"], DE["home"]["cta_nonprofits"]):
        button = page.locator(".sc-hero").get_by_role("link", name=re.compile(name))
        expect(button).to_be_visible()
        box = button.bounding_box()
        assert box["y"] + box["height"] <= PHONE["height"], f"{name} is below the first screen"
        assert box["height"] >= 44, "tap target of at least 44 px"
