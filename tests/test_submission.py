"""The page "Vorschlag einreichen" and its proposal template, as a non-profit meets them on the built sample site.

Expectations come from the sources, never from a list written here: the URL from the catalogue's slugs, the next
round from the event files, the build date from the site's own sitemap, the field labels from the model and the
catalogue, the need kinds from site_config.yml.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import types
from pathlib import Path
from types import SimpleNamespace
from typing import Annotated, Any, Union, get_args, get_origin
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import yaml
from pydantic import BaseModel

from generator import model as m
from generator.catalogue import Catalogue
from generator.periods import Period, parse_period
from generator.submission import INTERNAL_FIELDS, next_round, proposal_template
from generator.urls import UrlScheme, url_of

from .conftest import REPO

CATALOGUE = Catalogue("de")  # the sample network's language; it has no catalogue override (templates/i18n/)
STRINGS = CATALOGUE.strings
URLS = UrlScheme(STRINGS["sections"])
CONFIG = yaml.safe_load((REPO / "site_config.yml").read_text(encoding="utf-8"))
NEVER_IN_THE_FORM = {"status", "reviewed", "matched", "event", "sources", "aliases", "language", "image", "image_alt"}
"""What the coordination office or the matching group decides, or how the file is kept (the brief's list)."""


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def page(site: Path, source: str) -> str:
    return read(site / url_of(source) / "index.html")


def content_of(page_html: str) -> str:
    """Our part of a page (MkDocs' navigation and footer left out)."""
    return page_html[page_html.index('<div class="sc"'):]


def section(page_html: str, heading_id: str) -> str:
    """The HTML of the <section> or <aside> whose heading has this id."""
    match = re.search(rf'<(section|aside)[^>]*aria-labelledby="{heading_id}".*?</\1>', page_html, re.S)
    assert match, f"no section {heading_id}"
    return match.group()


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def mailto_links(fragment: str) -> list[tuple[str, dict[str, list[str]]]]:
    """(address, query) of every mailto link, decoded."""
    found = []
    for href in re.findall(r'href="(mailto:[^"]+)"', fragment):
        parts = urlsplit(html.unescape(href))
        found.append((unquote(parts.path), parse_qs(parts.query)))
    return found


def front_matter(path: Path) -> dict[str, Any]:
    return yaml.safe_load(read(path).split("---\n")[1])


def build_date(site: Path) -> dt.date:
    """The day the site was built as of (SOURCE_DATE_EPOCH): MkDocs dates the sitemap by it, as we date pages."""
    return dt.date.fromisoformat(re.search(r"<lastmod>([0-9-]+)</lastmod>", read(site / "sitemap.xml")).group(1))


# --- the page ----------------------------------------------------------------------------------------------------


def test_the_page_is_at_the_address_the_scheme_gives_and_in_the_navigation(sample_site):
    path = sample_site / url_of(URLS.submit()) / "index.html"
    assert path.is_file()
    assert url_of(URLS.submit()) == f"{STRINGS['sections']['submit']}/"
    assert f"<h1>{STRINGS['submit']['title']}</h1>" in read(path)
    home = read(sample_site / "index.html")
    navigation = home[:home.index('<div class="sc"')]
    assert re.search(rf'href="{re.escape(url_of(URLS.submit()))}"[^>]*>\s*(<[^>]+>\s*)*{STRINGS["submit"]["nav"]}',
                     navigation)


def test_the_next_round_and_its_deadline_come_from_the_event_files(sample_site):
    today = build_date(sample_site)
    rounds = [data for data in map(front_matter, sorted((REPO / "content/events").glob("*.md")))
              if data.get("kind") == "round"]
    upcoming = []
    for data in rounds:
        date = parse_period(data["date"]) if data.get("date") is not None else None
        deadline = parse_period(data["deadline"]) if data.get("deadline") is not None else None
        last = deadline or date
        if last is not None and last.end >= today:
            upcoming.append((date or last, deadline))
    shown = text_of(section(content_of(page(sample_site, URLS.submit())), "submit-round"))
    if not upcoming:
        assert STRINGS["submit"]["round_none"] in shown
        return
    date, deadline = min(upcoming, key=lambda pair: pair[0].start)
    assert CATALOGUE.period(date) in shown
    if deadline is not None:
        assert STRINGS["submit"]["round_deadline"].format(date=CATALOGUE.period(deadline)) in shown


def test_the_page_links_the_template_which_the_site_contains(sample_site):
    html_page = content_of(page(sample_site, URLS.submit()))
    links = re.findall(r'<a [^>]*href="([^"]+)"[^>]*\bdownload\b', html_page)
    assert len(links) == 1
    target = (sample_site / url_of(URLS.submit()) / links[0]).resolve()
    assert target == (sample_site / URLS.submit_template()).resolve()
    assert target.is_file() and target.suffix == ".txt"
    assert read(target) == proposal_template(CATALOGUE, m.SiteConfig.model_validate(CONFIG))


def test_money_is_named_as_not_fitting(sample_site):
    unfit = text_of(section(content_of(page(sample_site, URLS.submit())), "submit-unfit"))
    assert "Geld" in STRINGS["submit"]["unfit_money"]
    assert STRINGS["submit"]["unfit_money"] in unfit
    assert all(example in unfit for example in STRINGS["submit"]["unfit"].values())


def test_the_submit_button_writes_to_the_coordination_office(sample_site):
    cta = section(content_of(page(sample_site, URLS.submit())), "submit-send")
    button = re.search(r'<a class="md-button md-button--primary[^"]*" href="([^"]+)">([^<]+)</a>', cta)
    assert button and button.group(2) == STRINGS["submit"]["button"]
    (address, query), = mailto_links(f'href="{button.group(1)}"')
    assert address == CONFIG["network"]["contact"]["email"]
    assert query["subject"] == [STRINGS["submit"]["subject"].format(network=CONFIG["network"]["name"])]


def test_open_challenges_are_linked_as_models(sample_site):
    examples = section(content_of(page(sample_site, URLS.submit())), "submit-examples")
    links = re.findall(r'<h3 class="sc-card__title"><a href="([^"]+)"', examples)
    assert 2 <= len(links) <= 3
    for link in links:
        assert (sample_site / url_of(URLS.submit()) / link / "index.html").resolve().is_file()


def test_the_offers_page_invites_companies_to_offer_something(sample_site):
    offers = content_of(page(sample_site, URLS.offers()))
    invitation = section(offers, "offer-invitation")
    assert STRINGS["submit"]["offer_title"] in text_of(invitation)
    subject = STRINGS["submit"]["offer_subject"].format(network=CONFIG["network"]["name"])
    assert (CONFIG["network"]["contact"]["email"], subject) in [
        (address, query.get("subject", [""])[0]) for address, query in mailto_links(invitation)]


# --- the template ------------------------------------------------------------------------------------------------


def nested_models(annotation: Any) -> list[type[BaseModel]]:
    """The models a field's type holds (inside Optional, lists and Annotated), amounts' Estimate left out."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [] if annotation is m.Estimate else [annotation]
    if get_origin(annotation) in (Annotated, Union, types.UnionType, list):
        return [model for argument in get_args(annotation) for model in nested_models(argument)]
    return []


def filled_in_fields(model: type[BaseModel] = m.Proposal, top: bool = True) -> list[str]:
    """The names of every field a non-profit fills in, nested ones included, in the model's order."""
    names = []
    for name, info in model.model_fields.items():
        if top and name in INTERNAL_FIELDS:
            continue
        names.append(name)
        for nested in nested_models(info.annotation):
            names += filled_in_fields(nested, top=False)
    return names


def label_lines(template: str) -> set[str]:
    """The lines that name a field: `Titel *`, `  Beschreibung` (a required mark dropped)."""
    return {line.strip().removesuffix(" *") for line in template.splitlines() if line.strip()}


@pytest.fixture(scope="module")
def template(sample_site) -> str:
    return read(sample_site / URLS.submit_template())


def test_the_template_asks_for_every_field_a_non_profit_fills_in(template):
    names = filled_in_fields()
    assert {"title", "summary", "needs", "kind", "description", "contact", "public"} <= set(names)
    labels = {name: STRINGS["submit"]["fields"].get(name) or STRINGS["editor"]["fields"][name] for name in names}
    missing = {name: label for name, label in labels.items() if label not in label_lines(template)}
    assert missing == {}


def test_the_template_lists_the_network_s_need_kinds(template):
    kinds = CONFIG["need_kinds"]
    assert kinds
    for kind in kinds.values():
        label = kind if isinstance(kind, str) else kind["label"]
        assert f"[ ] {label}" in {line.strip() for line in template.splitlines()}, label


def test_the_template_leaves_out_what_the_office_decides(template):
    assert NEVER_IN_THE_FORM <= INTERNAL_FIELDS <= set(m.Proposal.model_fields)
    lines = label_lines(template)
    for name in INTERNAL_FIELDS:
        label = STRINGS["editor"]["fields"][name]
        assert label not in lines, f"{name} ({label}) is in the template"
        assert not re.search(rf"\b{name}\b", template), f"`{name}` is in the template"


def test_the_template_is_in_the_site_s_language_and_says_where_to_send_it(template):
    config = m.SiteConfig.model_validate(CONFIG)
    assert config.network.contact.email in template
    assert STRINGS["submit"]["form_photos"].split()[0] in template  # photos go as attachments
    english = proposal_template(Catalogue("en"), config)
    assert Catalogue("en").strings["submit"]["form_answer"] in english
    # The model's descriptions are German: another language shows only its catalogue's hints.
    assert m.Proposal.model_fields["summary"].description not in english
    assert m.Proposal.model_fields["summary"].description in template


# --- the next round ----------------------------------------------------------------------------------------------


def event(kind: str = "round", date: str | None = None, deadline: str | None = None, name: str = "") -> Any:
    return SimpleNamespace(kind=kind, date=parse_period(date) if date else None,
                           deadline=parse_period(deadline) if deadline else None, name=name)


TODAY = dt.date(2027, 1, 15)


def test_the_next_round_is_the_first_whose_deadline_has_not_passed():
    events = [
        event(date="2027-04-14", deadline="2027-03-24", name="april"),
        event(date="2027-02-10", deadline="2027-01-20", name="february"),
        event(date="2027-01-20", deadline="2027-01-05", name="deadline passed"),
        event(date="2026-11-11", deadline="2026-10-20", name="past"),
        event(kind="marketplace", date="2027-01-30", name="not a round"),
    ]
    assert next_round(events, TODAY).name == "february"


def test_a_deadline_on_the_build_date_still_counts():
    assert next_round([event(date="2027-02-10", deadline="2027-01-15", name="today")], TODAY).name == "today"
    assert next_round([event(date="2027-02-10", deadline="2027-01-14")], TODAY) is None


def test_without_a_deadline_the_date_decides():
    events = [event(date="2027-01-10", name="over"), event(date="2027-01-28", name="open")]
    assert next_round(events, TODAY).name == "open"


def test_a_month_lasts_to_its_last_day():
    assert next_round([event(date="2027-02", deadline="2027-01", name="january")], TODAY).name == "january"
    assert next_round([event(date="2026-12", name="december")], TODAY) is None


def test_no_round_no_next_round():
    assert next_round([], TODAY) is None
    assert next_round([event(kind="meeting", date="2027-02-01")], TODAY) is None
    assert next_round([event()], TODAY) is None  # neither date nor deadline


def test_the_sample_round_is_chosen_as_of_its_build_date():
    """The same choice the sample site makes, with the round a non-profit reads about there."""
    rounds = [SimpleNamespace(**{**data, "date": parse_period(data["date"]) if data.get("date") else None,
                                 "deadline": parse_period(data["deadline"]) if data.get("deadline") else None})
              for data in map(front_matter, (REPO / "content/events").glob("*.md")) if data.get("kind") == "round"]
    for candidate in rounds:
        last: Period = candidate.deadline or candidate.date
        assert next_round(rounds, last.end) is not None
        assert next_round(rounds, last.end + dt.timedelta(days=1)) is not candidate
