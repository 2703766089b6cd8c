"""End-to-end tests in a real browser: the built sample site as visitors see it, in Debian's chromium.

The site is built once per session and served on 127.0.0.1 (fixtures in conftest.py). Expected values come from the
sample content through `generator.publish` or straight from the content files, never from numbers written here.
Screenshots of every page kind at phone and desktop size land in tests/_artifacts/ (gitignored).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Response, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from generator.content import Content
from generator.kinds import COOPERATION, ORGANIZATION, PAGE, PROPOSAL
from generator.publish import publish
from generator.urls import UrlScheme
from generator.views import PublicSite

from .conftest import REPO, checked_project
from .counting import figures_from_the_files

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
VIEWPORTS = ["phone", "desktop"]
ARTIFACTS = Path(__file__).resolve().parent / "_artifacts"
PAGE_KINDS = ["home", "listing", "theme", "proposal", "stories", "story", "organizations", "organization", "impact",
              "editor-page", "not-found"]
BLOCKING_IMPACTS = {"serious", "critical"}
# axe findings we cannot fix in our templates or CSS, as (rule id, CSS selector of the element). Empty: every serious
# or critical finding so far was ours to fix (see generator/theme/assets/showcase.css and generator/theme/overrides/).
AXE_ACCEPTED: set[tuple[str, str]] = set()


# --- what the content says -----------------------------------------------------------------------------------------


@dataclass
class Sample:
    content: Content
    site: PublicSite
    strings: dict[str, Any]
    urls: UrlScheme
    theme: str
    """The theme whose page the tests check: the most used one that some open proposals do not have."""
    paths: dict[str, str] = field(default_factory=dict)
    """URL path (relative to the site root) of one page of each kind."""

    def open_with_theme(self, key: str) -> set[str]:
        return open_with_theme(self.content, key)


def open_with_theme(content: Content, key: str | None) -> set[str]:
    """Ids of open proposals (with theme `key`, unless None), read from the content files, not from publish."""
    return {pid for pid, entry in content.proposals.items()
            if entry.data.status == "open" and (key is None or key in entry.data.themes)}


@pytest.fixture(scope="session")
def sample() -> Sample:
    checked = checked_project(REPO)
    assert checked.ok, checked.diagnostics
    content, urls = checked.content, checked.theme.urls
    site = publish(content, urls)
    strings = checked.theme.catalogue.strings
    open_count = len(open_with_theme(content, None))
    counts = {key: len(open_with_theme(content, key)) for key in content.config.themes}
    partial = [key for key, n in counts.items() if 0 < n < open_count] or [key for key, n in counts.items() if n]
    assert partial, "the sample content needs an open proposal with a theme"
    theme = max(partial, key=lambda key: counts[key])
    editor = next((page for page in site.pages if page.nav), site.pages[0])
    story = max(site.cooperations, key=lambda st: (len(st.images), st.quote is not None))
    org = max(site.organizations, key=lambda o: (len(o.proposals) + len(o.cooperations), o.logo is not None))
    # Addresses from the URL scheme with the catalogue's slugs, never written out here.
    paths = {
        "home": urls.url(urls.home()),
        "listing": urls.url(urls.listing()),
        "theme": urls.url(urls.listing("theme", theme)),
        "proposal": urls.detail_url(PROPOSAL, open_ids_newest_first(content)[0]),
        "stories": urls.url(urls.cooperations()),
        "story": urls.detail_url(COOPERATION, story.id),
        "organizations": urls.url(urls.organizations()),
        "organization": urls.detail_url(ORGANIZATION, org.id),
        "impact": urls.url(urls.impact()),
        "editor-page": urls.detail_url(PAGE, editor.id),
        "not-found": "no-such-page/",
    }
    return Sample(content, site, strings, urls, theme, paths)


def open_ids_newest_first(content: Content) -> list[str]:
    """Open proposals, newest review first (as the listing sorts them), from the content files."""
    found = [(entry.data.reviewed or entry.data.submitted, pid) for pid, entry in content.proposals.items()
             if entry.data.status == "open"]
    return [pid for _, pid in sorted(found, key=lambda item: (-item[0].start.toordinal(), item[1]))]


# --- the browser ---------------------------------------------------------------------------------------------------


def is_local(url: str) -> bool:
    """A request stays on this machine: 127.0.0.1, or no network at all (data:, blob:, about:)."""
    parts = urlsplit(url)
    return parts.scheme not in ("http", "https", "ws", "wss") or parts.hostname == "127.0.0.1"


class Tab:
    """One page in its own browser context, with the console errors and requests seen since the last `open`."""

    def __init__(self, context: BrowserContext, base: str) -> None:
        self.context = context
        self.base = base
        self.errors: list[tuple[str, str]] = []
        """(text, URL of the resource) of every console error and uncaught exception."""
        self.requests: list[str] = []
        # The context sees requests of the page and of its workers (the search index is fetched by a worker).
        context.on("request", lambda request: self.requests.append(request.url))
        # Nothing may leave the machine even if a page tried: such requests are recorded above, then aborted.
        context.route(lambda url: not is_local(url), lambda route: route.abort())
        self.page = context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append((f"uncaught exception: {error}", "")))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append((message.text, message.location.get("url", "")))

    def open(self, path: str, settle: bool = False) -> Response:
        self.errors.clear()
        self.requests.clear()
        response = self.page.goto(self.base + path, wait_until="load")
        assert response is not None
        if settle:  # let scripts finish their follow-up requests (search worker, index)
            self.page.wait_for_load_state("networkidle")
        return response

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if not is_local(url)]


def new_tab(browser: Browser, base: str, viewport: str, **options: Any) -> Tab:
    if viewport == "phone":
        options |= {"viewport": PHONE, "is_mobile": True, "has_touch": True}
    else:
        options |= {"viewport": DESKTOP}
    return Tab(browser.new_context(locale="de-DE", **options), base)


@pytest.fixture(scope="session")
def phone(chromium: Browser, site_url: str) -> Iterator[Tab]:
    tab = new_tab(chromium, site_url, "phone")
    yield tab
    tab.context.close()


@pytest.fixture(scope="session")
def desktop(chromium: Browser, site_url: str) -> Iterator[Tab]:
    tab = new_tab(chromium, site_url, "desktop")
    yield tab
    tab.context.close()


def heading(page: Page):
    return page.locator("article h1").first


def proposal_id(page: Page, href: str | None) -> str:
    """`../herausforderungen/laptops/` (relative to the page) → `laptops`."""
    assert href, "link without href"
    return urlsplit(urljoin(page.url, href)).path.rstrip("/").rsplit("/", 1)[-1]


def parse_number(text: str, language: str) -> float:
    """A number as the site shows it ("14.680 €" in German, "14,680 €" in English) → 14680.0."""
    digits = text.replace("€", "").replace("\u00a0", "").strip()
    thousands, decimal = (".", ",") if language == "de" else (",", ".")
    return float(digits.replace(thousands, "").replace(decimal, "."))


def parse_amount(text: str, language: str) -> tuple[float, float, bool]:
    """"ca. 1.575" → (1575, 1575, approximate); "30.000–40.000 €" → (30000, 40000, exact)."""
    approx = text.startswith(("ca. ", "approx. "))
    text = text.removeprefix("ca. ").removeprefix("approx. ")
    low, _, high = text.partition("–")
    return parse_number(low, language), parse_number(high or low, language), approx


# --- home: key figures ---------------------------------------------------------------------------------------------


def test_home_shows_the_key_figures_computed_from_the_content(desktop: Tab, sample: Sample) -> None:
    desktop.open(sample.paths["home"])
    labels = sample.strings["figures"]
    expected = {labels[key]: value for key, value in figures_from_the_files(REPO).items()}
    assert all(value[1] for value in expected.values()), f"the sample should make every figure non-zero: {expected}"

    shown: dict[str, str] = {}
    for figure in desktop.page.locator(".sc-figures .sc-figure").all():
        expect(figure).to_be_visible()
        # The figure itself, without the note under it on what it covers.
        shown[figure.locator("dt").inner_text().strip()] = figure.locator("dd").evaluate(
            "dd => dd.firstChild.textContent").strip()
    people = labels["people"]
    assert set(shown) - {people} == set(expected), f"figures shown: {shown}"
    for label, (low, high, approx) in expected.items():
        seen_low, seen_high, seen_approx = parse_amount(shown[label], sample.content.language)
        assert seen_approx == approx, (label, shown[label])
        if seen_low == seen_high:  # a narrow range is shown as its rounded middle
            assert low - 0.5 <= seen_low <= high + 0.5, (label, shown[label], low, high)
        else:
            assert (seen_low, seen_high) == pytest.approx((low, high)), (label, shown[label])
    assert shown[labels["value"]].endswith("€"), "the equivalent value is shown in euro"


# --- proposals by theme --------------------------------------------------------------------------------------------


def shown_proposals(page: Page) -> set[str]:
    return {proposal_id(page, link.get_attribute("href"))
            for link in page.locator(".sc-cards .sc-card__title a").all()}


def test_theme_page_lists_exactly_the_open_proposals_with_that_theme(desktop: Tab, sample: Sample) -> None:
    desktop.open(sample.paths["theme"])
    label = sample.content.config.themes[sample.theme]
    expect(heading(desktop.page)).to_have_text(sample.strings["proposals"]["theme_title"].format(label=label))
    expected = sample.open_with_theme(sample.theme)
    assert 0 < len(expected) < len(sample.site.open_proposals), "the chosen theme must filter something out"
    assert shown_proposals(desktop.page) == expected


def test_listing_cards_name_each_kind_of_help_once(desktop: Tab, sample: Sample) -> None:
    desktop.open(sample.paths["listing"])
    cards = desktop.page.locator("#sc-open .sc-card")
    expect(cards).to_have_count(min(len(sample.site.open_proposals), sample.content.config.site.per_page))
    for card in cards.all():
        entry = sample.content.proposals[proposal_id(desktop.page, card.locator("a").first.get_attribute("href"))]
        kinds = dict.fromkeys(sample.content.config.need_kinds[need.kind] for need in entry.data.needs)
        assert [tag.strip() for tag in card.locator(".sc-tag").all_inner_texts()] == list(kinds)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_listing_links_to_the_theme_page(chromium: Browser, site_url: str, sample: Sample, javascript: bool) -> None:
    tab = new_tab(chromium, site_url, "desktop", java_script_enabled=javascript)
    try:
        page = tab.page
        tab.open(sample.paths["listing"])
        label = sample.content.config.themes[sample.theme]
        expected = sample.open_with_theme(sample.theme)
        filters = page.locator(".sc-filters")
        link = filters.get_by_role("link", name=f"{label} ({len(expected)})", exact=True)
        expect(link).to_be_hidden()  # the theme group starts folded; <details> unfolds without JavaScript
        filters.locator("summary", has_text=sample.strings["proposals"]["by_theme"]).click()
        expect(link).to_be_visible()
        link.click()
        expect(page).to_have_url(site_url + sample.paths["theme"])
        expect(heading(page)).to_have_text(sample.strings["proposals"]["theme_title"].format(label=label))
        assert shown_proposals(page) == expected
        expect(page.locator(".sc-filters a[aria-current=page]")).to_have_text(f"{label} ({len(expected)})")
        assert not tab.errors
    finally:
        tab.context.close()


# --- the call to action --------------------------------------------------------------------------------------------


def test_open_proposals_offer_a_mailto_cta_to_the_coordination(desktop: Tab, sample: Sample) -> None:
    strings = sample.strings["proposal"]
    email = sample.content.config.network.contact.email
    assert sample.site.open_proposals, "the sample content needs open proposals"
    for proposal in sample.site.open_proposals:
        desktop.open(sample.urls.detail_url(PROPOSAL, proposal.id))
        cta = desktop.page.locator(".sc-cta").get_by_role("link", name=strings["cta_button"], exact=True)
        expect(cta).to_be_visible()
        href = cta.get_attribute("href") or ""
        parts = urlsplit(href)
        assert parts.scheme == "mailto", href
        assert unquote(parts.path) == email, href
        subject = parse_qs(parts.query).get("subject", [""])
        assert subject == [strings["cta_subject"].format(title=proposal.title)], href
        assert proposal.title in subject[0]


def test_matched_proposals_show_no_cta(desktop: Tab, sample: Sample) -> None:
    strings = sample.strings["proposal"]
    email = sample.content.config.network.contact.email
    matched = [p for p in sample.site.proposals if p.status == "matched"]
    assert matched, "the sample content needs a matched proposal"
    for proposal in matched:
        desktop.open(sample.urls.detail_url(PROPOSAL, proposal.id))
        expect(heading(desktop.page)).to_have_text(proposal.title)
        expect(desktop.page.get_by_role("link", name=strings["cta_button"])).to_have_count(0)
        expect(desktop.page.locator(".sc-cta")).to_have_count(0)
        expect(desktop.page.locator(f'a[href^="mailto:{email}?"]')).to_have_count(0)
        expect(desktop.page.get_by_text(strings["matched_note"])).to_be_visible()


# --- nothing broken, nothing sent elsewhere ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_no_console_errors_and_no_request_leaves_the_machine(desktop: Tab, sample: Sample, kind: str) -> None:
    response = desktop.open(sample.paths[kind], settle=True)
    errors = desktop.errors
    if kind == "not-found":
        assert response.status == 404
        expect(heading(desktop.page)).to_be_visible()  # the site's own 404 page, with its styles and navigation
        expect(desktop.page.locator(".md-header")).to_be_visible()
        # Chromium logs the 404 of the page itself as a console error; that one is the point of this page.
        errors = [(text, url) for text, url in errors if not (url == desktop.page.url and "404" in text)]
    else:
        assert response.status == 200
    assert not errors, f"console errors on {kind}: {errors}"
    assert not desktop.foreign_requests(), f"requests to other hosts on {kind}: {desktop.foreign_requests()}"
    assert desktop.requests, "no requests were recorded at all"


# --- on a phone ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_no_horizontal_scrolling_on_a_phone(phone: Tab, sample: Sample, kind: str) -> None:
    phone.open(sample.paths[kind])
    width = phone.page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"{kind} is {width}px wide on a {PHONE['width']}px phone"


def test_phone_drawer_opens_and_leads_to_the_proposals(phone: Tab, sample: Sample, site_url: str) -> None:
    page = phone.page
    phone.open(sample.paths["home"])
    link = page.locator(".md-sidebar--primary").get_by_role("link", name=sample.strings["nav"]["proposals"],
                                                              exact=True)
    expect(link).not_to_be_in_viewport()
    page.locator('.md-header label[for="__drawer"]').tap()
    expect(link).to_be_in_viewport(ratio=1)
    link.tap()
    expect(page).to_have_url(site_url + sample.paths["listing"])
    expect(heading(page)).to_have_text(sample.strings["proposals"]["title"])


def test_two_taps_from_home_to_the_cta_on_a_phone(phone: Tab, sample: Sample) -> None:
    page = phone.page
    cta_name = sample.strings["proposal"]["cta_button"]
    phone.open(sample.paths["home"])
    newest = page.get_by_role("region", name=sample.strings["home"]["newest_open"])
    cards = newest.locator(".sc-card__title a")
    count = cards.count()
    assert count > 0, "the home page shows no open proposal"
    for index in range(count):
        if index:
            phone.open(sample.paths["home"])
        card = cards.nth(index)
        title = card.inner_text().strip()
        card.tap()  # tap 1
        expect(heading(page)).to_have_text(title)
        cta = page.locator(".sc-cta").get_by_role("link", name=cta_name, exact=True)
        # Tap 2 needs the CTA on the first screen, without scrolling.
        assert page.evaluate("window.scrollY") == 0
        expect(cta).to_be_in_viewport(ratio=1)
        assert (cta.get_attribute("href") or "").startswith("mailto:")


# --- keyboard ------------------------------------------------------------------------------------------------------


FOCUSED_LINK_ON_SCREEN = """() => {
    const element = document.activeElement;
    if (!element || element.tagName !== 'A') return true;
    const r = element.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.left >= 0 && r.right <= innerWidth && r.bottom > 0 && r.top < innerHeight;
}"""


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_tab_reaches_the_cta_with_a_visible_focus_indicator(request: pytest.FixtureRequest, sample: Sample,
                                                            viewport: str) -> None:
    tab: Tab = request.getfixturevalue(viewport)
    page = tab.page
    tab.open(sample.paths["proposal"])
    cta = page.locator(".sc-cta").get_by_role("link", name=sample.strings["proposal"]["cta_button"], exact=True)
    unseen: list[str] = []
    for _ in range(60):
        page.keyboard.press("Tab")
        try:  # a link with keyboard focus must come on screen (the phone drawer slides in: allow its transition)
            page.wait_for_function(FOCUSED_LINK_ON_SCREEN, timeout=2000)
        except PlaywrightTimeoutError:
            unseen.append(page.evaluate("document.activeElement.textContent.trim() || document.activeElement.href"))
        if cta.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail("60 presses of Tab from the top of the page never reached the CTA")
    assert not unseen, f"links that had keyboard focus off screen: {unseen}"
    expect(cta).to_be_in_viewport()
    style = cta.evaluate("""element => {
        const s = getComputedStyle(element);
        return {outline: s.outlineStyle, width: parseFloat(s.outlineWidth), shadow: s.boxShadow,
                focusVisible: element.matches(':focus-visible')};
    }""")
    assert style["focusVisible"], style
    assert (style["outline"] != "none" and style["width"] > 0) or style["shadow"] != "none", style


# --- accessibility and screenshots ---------------------------------------------------------------------------------

AXE = Axe()


def blocking_violations(results: dict[str, Any]) -> list[str]:
    lines = []
    for violation in results["violations"]:
        if violation["impact"] not in BLOCKING_IMPACTS:
            continue
        nodes = [node for node in violation["nodes"]
                 if (violation["id"], ", ".join(map(str, node["target"]))) not in AXE_ACCEPTED]
        if not nodes:
            continue
        targets = [", ".join(map(str, node["target"])) for node in nodes]
        summary = " ".join((nodes[0].get("failureSummary") or "").split())[:300]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}\n    "
                     + "\n    ".join(targets[:10]) + f"\n    first: {summary}\n    {violation['helpUrl']}")
    return lines


@pytest.mark.parametrize("kind", PAGE_KINDS)
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_axe_finds_no_serious_or_critical_violation(request: pytest.FixtureRequest, sample: Sample,
                                                    viewport: str, kind: str) -> None:
    tab: Tab = request.getfixturevalue(viewport)
    tab.open(sample.paths[kind])
    violations = blocking_violations(AXE.run(tab.page).response)
    assert not violations, f"axe on {kind} ({viewport}):\n" + "\n".join(violations)


@pytest.mark.parametrize("kind", PAGE_KINDS)
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_page_renders_and_is_saved_as_screenshot(request: pytest.FixtureRequest, sample: Sample, viewport: str,
                                                 kind: str) -> None:
    tab: Tab = request.getfixturevalue(viewport)
    response = tab.open(sample.paths[kind])
    assert response.status == (404 if kind == "not-found" else 200)
    expect(heading(tab.page)).to_be_visible()
    # Lazy images below the fold would stay blank in a full-page screenshot.
    tab.page.evaluate("""() => Promise.all([...document.images].map(img => {
        img.loading = 'eager';
        return img.complete ? null : new Promise(done => { img.onload = img.onerror = done; });
    }))""")
    broken = tab.page.evaluate("[...document.images].filter(img => !img.naturalWidth).map(img => img.src)")
    assert not broken, f"images that did not load on {kind}: {broken}"
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / f"{viewport}-{kind}.png"
    tab.page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 0


# --- the real networks: a second network beside the sample ---------------------------------------------------------

REAL_PAGES = {
    "home": "", "stories": "erfolgsgeschichten/",
    "story-several-recipients": "erfolgsgeschichten/sb-seife-fuer-drei-einrichtungen/",
    "story-pledged": "erfolgsgeschichten/sb-kinderschutzbund/", "story-dutch": "erfolgsgeschichten/nl-ehbo-rugzakken/",
    "event": "termine/sb-bilanz-erstes-jahr/", "events": "termine/", "impact": "wirkung/",
    "organizations": "organisationen/",
}


@pytest.fixture(scope="module")
def real_tabs(chromium: Browser, real_site_url: str) -> Iterator[dict[str, Tab]]:
    tabs = {viewport: new_tab(chromium, real_site_url, viewport) for viewport in VIEWPORTS}
    yield tabs
    for tab in tabs.values():
        tab.context.close()


@pytest.mark.parametrize("kind", REAL_PAGES)
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_real_network_pages_are_accessible_honest_and_fit_a_phone(real_tabs: dict[str, Tab], viewport: str,
                                                                    kind: str) -> None:
    tab = real_tabs[viewport]
    assert tab.open(REAL_PAGES[kind]).status == 200
    expect(heading(tab.page)).to_be_visible()
    text = tab.page.locator("article.md-content__inner").inner_text()
    # Nothing a source did not say: unknown values read "keine Angabe", never an invented 0.
    assert not re.search(r"(?<![\d.,])0 (Stunden|€)", text), text[:500]
    violations = blocking_violations(AXE.run(tab.page).response)
    assert not violations, f"axe on the real networks' {kind} ({viewport}):\n" + "\n".join(violations)
    assert not tab.errors and not tab.foreign_requests()
    if viewport == "phone":
        width = tab.page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= PHONE["width"], f"{kind} is {width}px wide on a {PHONE['width']}px phone"
    ARTIFACTS.mkdir(exist_ok=True)
    tab.page.screenshot(path=str(ARTIFACTS / f"real-{viewport}-{kind}.png"), full_page=True)


def test_a_dutch_story_carries_its_language(real_tabs: dict[str, Tab]) -> None:
    tab = real_tabs["desktop"]
    tab.open(REAL_PAGES["story-dutch"])
    assert tab.page.locator(".sc-entry[lang='nl']").count() == 1
