"""The combinable filter of open challenges, in a real browser: a CSR manager looks for a team day for ten people in
one district and sees all fitting challenges at once; the data behind it loads only when the filter is used."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from .conftest import REPO, checked_project

pytestmark = pytest.mark.browser


def open_challenges() -> dict[str, dict]:
    """Open proposals read from the files (the sample has no passed deadline)."""
    found = {}
    for path in sorted((REPO / "content/proposals").glob("*.md")):
        data = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n", 2)[1])
        if data["status"] == "open":
            found[path.stem] = data
    return found


def fits_team(data: dict, low: int, high: int) -> bool:
    helpers = data.get("helpers")
    if not helpers:
        return False
    most = helpers.get("max") or float("inf")
    return helpers["min"] <= high and most >= low


@pytest.fixture
def listing(chromium, site_url: str):
    urls = checked_project(REPO).theme.urls
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(site_url + urls.url(urls.listing()))
    page.requests = requests  # type: ignore[attr-defined]
    page.data_file = urls.filter_data()  # type: ignore[attr-defined]
    yield page
    context.close()


def test_the_filter_data_loads_only_when_the_filter_is_used(listing):
    expect(listing.locator("#sc-filter")).to_be_visible()
    assert not any(url.endswith(listing.data_file) for url in listing.requests)
    listing.select_option("#sc-filter select[name=team]", "6-10")
    expect(listing.locator("#sc-filter-status")).not_to_be_empty()
    assert any(url.endswith(listing.data_file) for url in listing.requests)


def test_place_and_team_size_combine_over_all_open_challenges(listing):
    challenges = open_challenges()
    district = next(data["district"] for data in challenges.values() if data.get("helpers") and "district" in data)
    expected = {key for key, data in challenges.items() if data.get("district") == district and fits_team(data, 6, 10)}
    listing.select_option("#sc-filter select[name=district]", district)
    listing.select_option("#sc-filter select[name=team]", "6-10")
    results = listing.locator("#sc-filter-results .sc-card__title a")
    expect(results).to_have_count(len(expected))
    found = {href.rstrip("/").rsplit("/", 1)[-1] for href in results.evaluate_all("els => els.map(e => e.href)")}
    assert found == expected
    expect(listing.locator("#sc-open")).to_be_hidden()
    listing.click("#sc-filter button[type=reset]")
    expect(listing.locator("#sc-open")).to_be_visible()


def test_a_result_opens_its_challenge(listing):
    listing.select_option("#sc-filter select[name=team]", "1-5")
    first = listing.locator("#sc-filter-results .sc-card__title a").first
    title = first.inner_text()
    first.click()
    expect(listing.locator("h1")).to_have_text(title)


def test_without_javascript_the_form_stays_hidden_and_facet_pages_remain(sample_site: Path):
    urls = checked_project(REPO).theme.urls
    html = (sample_site / urls.url(urls.listing()) / "index.html").read_text(encoding="utf-8")
    assert '<form id="sc-filter" class="sc-filter"' in html
    assert "<noscript><style>.sc-filter{display:none}</style></noscript>" in html.split("</head>")[0]
    assert 'class="sc-filters"' in html  # the static facet links


def test_the_data_file_holds_every_open_challenge_and_nothing_internal(sample_site: Path):
    urls = checked_project(REPO).theme.urls
    raw = (sample_site / urls.filter_data()).read_bytes()
    data = json.loads(raw)
    assert {row[0] for row in data["rows"]} == set(open_challenges())
    assert len(gzip.compress(raw)) < 30_000
    for path in (REPO / "content/proposals").glob("*.md"):
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n", 2)[1])
        if front["status"] != "open":
            assert front["title"] not in raw.decode("utf-8")
        contact = front.get("contact") or {}
        assert not contact.get("email") or contact["email"] not in raw.decode("utf-8")
