"""Stage 5 — render: the public view → page fragments (HTML) from the theme's Jinja templates.

Every content field is escaped by Jinja's autoescape; bodies go through `bodies.render_markdown`. Each page is
written to the source path the URL scheme gives it; templates link with `url(view.url)`, which makes the link
relative to the page. Numbers and dates are formatted by the catalogue (Babel). Nothing is written to disk here.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from .bodies import render_markdown
from .catalogue import Catalogue
from .feeds import FEED_KINDS
from .kinds import COOPERATION, EVENT, OFFER, ORGANIZATION, PAGE, PROPOSAL
from .metadata import FRONT_MATTER_KEY, page_metadata
from .opendata import DATASETS, network_id, schema_name
from .project import Project, SiteTheme
from .publish import HOME_OFFERS, HOME_OPEN_PROPOSALS, HOME_STORIES
from .submission import offer_invitation, submit_page
from .urls import UrlScheme, url_of
from .views import PublicProposal, PublicSite

ORGANIZATION_GROUPS = ("company", "public", "association", "foundation", "school", "individual", "nonprofit")
"""The order of the organisations page: who gives help first, then who receives it."""


@dataclass
class RenderedPage:
    """One page of the site: where it goes, its title and description (plain text), and its HTML."""

    path: str
    """Source path inside MkDocs' docs_dir, e.g. `<proposals>/laptops.md` (with the catalogue's slug)."""
    title: str
    description: str
    html: str
    searchable: bool = True
    template: str = ""
    """The theme's template the page was rendered from, e.g. `proposals.html`."""
    source: str | None = None
    """The content file the page shows (relative to the project root), None for listings, home and the like.
    Views carry no file paths: `links.attach_sources` sets it after rendering, for diagnostics about the page."""
    meta: dict[str, Any] | None = None
    """What the page tells link previews and machines (Open Graph, Twitter card, JSON-LD): `metadata.py`."""


class Renderer:
    """The Jinja environment of one build: the project's templates over the package's, the site's catalogue."""

    def __init__(self, project: Project, texts: Catalogue, site: PublicSite):
        self.texts, self.strings, self.site = texts, _with_place_label(texts.strings, site), site
        self.environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(path) for path in project.theme_dirs("pages")]),
            autoescape=True,
            auto_reload=False,  # templates do not change during a build; skip a stat() per page
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.environment.filters.update(markdown=render_markdown, date=texts.period, number=texts.number,
                                        quantity=texts.quantity, coverage=texts.coverage,
                                        team_facts=lambda proposal: team_facts(proposal, self.strings, texts),
                                        tel_href=tel_href)  # `tel:{{ phone | tel_href }}`: one form for every link
        self.environment.globals["once"] = self.once
        self._base = ""
        self._cards: dict[tuple[str, int, str, str], Markup] = {}

    def once(self, card: Any, item: Any, heading: str) -> Markup:
        """A card macro's HTML for an item, rendered once per page depth: an open challenge's card appears on the
        listing, on its theme, kind and place pages and on its organisation's page, and its links differ only
        with the depth of the page (relative URLs)."""
        key = (card.name, id(item), heading, self._base)
        html_text = self._cards.get(key)
        if html_text is None:
            html_text = self._cards[key] = card(item, heading)
        return html_text

    def page(self, template: str, path: str, title: str, description: str, searchable: bool = True,
             **context: Any) -> RenderedPage:
        base = self._base = "../" * url_of(path).count("/")
        html_text = self.environment.get_template(template).render(
            t=self.strings, site=self.site, links=self.site.links, title=title, url=lambda target: base + target,
            **context,
        )
        meta = page_metadata(self.site, url_of(path), title, description, template, context)
        return RenderedPage(path, title, description, html_text, searchable, template, meta=meta)


def _with_place_label(strings: dict[str, Any], site: PublicSite) -> dict[str, Any]:
    """The network's own word for its places (`Ort`, `Gemeinde`, `dorp`) wherever the theme says `Stadtteil`."""
    config = site.config.site
    if not config.place_label:
        return strings
    plural = config.place_label_plural or config.place_label
    strings = {**strings, "proposal": {**strings["proposal"], "district": config.place_label},
               "proposals": {**strings["proposals"], "by_district": strings["places"]["by"].format(label=plural)}}
    return strings


def render_site(site: PublicSite, theme: SiteTheme, project: Project) -> list[RenderedPage]:
    renderer = Renderer(project, theme.catalogue, site)
    urls = theme.urls
    pages = [render_home(site, renderer, urls)]
    pages += render_listings(site, renderer, urls)
    pages += [render_proposal(site, renderer, urls, proposal) for proposal in site.proposals]
    pages += render_cooperations(site, renderer, urls)
    pages += render_organizations(site, renderer, urls)
    pages += render_offers(site, renderer, urls)
    pages += render_events(site, renderer, urls)
    pages.append(render_data(site, renderer, urls))
    pages.append(render_submit(site, renderer, urls))
    pages.append(renderer.page("impact.html", urls.impact(), renderer.strings["impact"]["title"],
                               renderer.strings["impact"]["description"], impact=site.impact))
    pages += [renderer.page("page.html", urls.detail(PAGE, page.id), page.title, page.description or page.title,
                            page=page) for page in site.pages]
    return pages


def render_home(site: PublicSite, renderer: Renderer, urls: UrlScheme) -> RenderedPage:
    return renderer.page(
        "home.html", urls.home(), renderer.strings["home"]["title"], site.config.network.tagline,
        figures=site.figures, newest_open=site.open_proposals[:HOME_OPEN_PROPOSALS],
        newest_cooperations=site.cooperations[:HOME_STORIES],
        open_offers=[offer for offer in site.offers if offer.status == "open"][:HOME_OFFERS],
    )


# --- paged lists -------------------------------------------------------------------------------------------------


def _chunks(items: list, per_page: int) -> list[list]:
    count = max(1, math.ceil(len(items) / per_page))
    return [items[index * per_page : (index + 1) * per_page] for index in range(count)]


def _paged_title(title: str, number: int, strings: dict[str, Any]) -> str:
    """Page 2 and later get the page number in their title, so each title is unique."""
    return title if number == 1 else f"{title} – {strings['pagination']['page'].format(number=number)}"


def _page_window(number: int, total: int, around: int = 2) -> list[int | None]:
    """First, last and a few pages around the current one, None for a gap: linking every page from every page
    made listings grow quadratically with the content."""
    shown = sorted({1, total} | set(range(max(1, number - around), min(total, number + around) + 1)))
    window: list[int | None] = []
    for n in shown:
        if window and n - window[-1] > 1:
            window.append(None)
        window.append(n)
    return window


def _paged(items: list, per_page: int, source_of) -> Iterator[tuple[int, list, str, dict[str, Any]]]:
    """(number, items, source path, pagination) for each page of a list; `source_of(n)` is page n's source."""
    chunks = _chunks(items, per_page)
    total = len(chunks)
    for number, chunk in enumerate(chunks, start=1):
        pagination = {
            "number": number,
            "total": total,
            "pages": [(n, url_of(source_of(n)) if n else None) for n in _page_window(number, total)],
            "previous": url_of(source_of(number - 1)) if number > 1 else None,
            "next": url_of(source_of(number + 1)) if number < total else None,
        }
        yield number, chunk, source_of(number), pagination


def render_listings(site: PublicSite, renderer: Renderer, urls: UrlScheme) -> list[RenderedPage]:
    strings = renderer.strings["proposals"]
    filters = _filters(site)
    # The combinable filter offers what open challenges have (a facet without any would find nothing).
    options = {kind: [(listing.key, listing.label) for listing in site.listings
                      if listing.facet == kind and listing.proposals] for kind in ("theme", "need", "district")}
    rendered = []
    for listing in site.listings:
        title = strings["title"] if listing.facet is None else strings[f"{listing.facet}_title"].format(
            label=listing.label)
        pages = _paged(listing.proposals, site.config.site.per_page,
                       lambda n, listing=listing: urls.listing(listing.facet, listing.key, n))
        for number, chunk, path, pagination in pages:
            page_title = _paged_title(title, number, renderer.strings)
            # The first page of all challenges also shows the work in progress and points to what is done.
            at_a_glance = listing.facet is None and number == 1
            rendered.append(renderer.page(
                "proposals.html", path, page_title, strings["description"], searchable=False, listing=listing,
                proposals=chunk, pagination=pagination, filters=filters, at_a_glance=at_a_glance,
                filter_options=options if at_a_glance else None, filter_src=urls.filter_data(),
                filter_script=urls.asset("filter.js"),
            ))
    return rendered


def _filters(site: PublicSite) -> list[dict[str, Any]]:
    """Links to every theme, need kind and district page: navigation that works without JavaScript."""
    groups = []
    for kind in ("theme", "need", "district"):
        links = [(listing.label, listing.url, len(listing.proposals)) for listing in site.listings
                 if listing.facet == kind]
        if links:
            groups.append({"kind": kind, "links": links})
    return groups



# --- detail pages ------------------------------------------------------------------------------------------------


class TeamFact(NamedTuple):
    label: str
    value: str
    inline: str
    """How it reads in a one-line summary (cards, the filter's results): the value, or for a deadline
    "Melden bis <date>", since a bare date would not say what it is."""


def team_facts(proposal: PublicProposal, strings: dict[str, Any], texts: Catalogue) -> list[TeamFact]:
    """What a company planning a team day asks first: how many people, how long, when, by when to answer — on
    cards as one line, on the proposal page in its fact box."""
    words = strings["proposal"]
    facts = []
    if proposal.helpers:
        helpers = proposal.helpers
        text = (words["helpers_from"].format(min=helpers.min) if helpers.max is None
                else words["helpers_exact"].format(n=helpers.min) if helpers.max == helpers.min
                else words["helpers_range"].format(min=helpers.min, max=helpers.max))
        facts.append(TeamFact(words["team"], text, text))
    if proposal.duration is not None:
        duration = proposal.duration
        text = (words[f"duration_{duration}"] if isinstance(duration, str)
                else words["hours"].format(value=texts.number(duration)))
        facts.append(TeamFact(words["duration"], text, text))
    if proposal.window:
        start, end = texts.period(proposal.window.start), texts.period(proposal.window.end)
        text = words["window_range"].format(start=start, end=end) if end else words["window_from"].format(start=start)
        facts.append(TeamFact(words["window"], text, text))
    if proposal.deadline:
        date = texts.period(proposal.deadline)
        facts.append(TeamFact(words["deadline"], date, f"{words['deadline']} {date}"))
    return facts


def tel_href(phone: str | None) -> str:
    """A phone number as a `tel:` link needs it: digits and a leading +, nothing else."""
    return re.sub(r"[^0-9+]", "", phone or "")


def call_to_action(site: PublicSite, strings: dict[str, Any], title: str, page_url: str) -> dict[str, str]:
    """The e-mail a company sends to take up a challenge: to the coordination office, subject and body naming
    the challenge and its address, with the questions the office asks anyway; and who answers, how fast."""
    contact = site.config.network.contact
    words = strings["proposal"]
    subject = words["cta_subject"].format(title=title)
    # RFC 6068: line breaks in a mailto body are CRLF.
    body = words["cta_body"].format(title=title, url=site.config.site.url + page_url).replace("\n", "\r\n")
    return {
        "mailto": f"mailto:{contact.email}?subject={quote(subject, safe='')}&body={quote(body, safe='')}",
        "email": contact.email,
        "person": contact.person or contact.name,
        "phone": contact.phone or "",
        "response_time": contact.response_time or "",
    }


def render_proposal(site: PublicSite, renderer: Renderer, urls: UrlScheme, proposal) -> RenderedPage:
    cta = call_to_action(site, renderer.strings, proposal.title, proposal.url)
    return renderer.page("proposal.html", urls.detail(PROPOSAL, proposal.id), proposal.title, proposal.summary,
                         proposal=proposal, cta=cta)


def render_cooperations(site: PublicSite, renderer: Renderer, urls: UrlScheme) -> list[RenderedPage]:
    strings = renderer.strings["stories"]
    rendered = []
    for number, chunk, path, pagination in _paged(site.cooperations, site.config.site.per_page, urls.cooperations):
        title = _paged_title(strings["title"], number, renderer.strings)
        # Agreed and running cooperations stand below the stories on the first page, never among them.
        ongoing = site.ongoing if number == 1 else []
        rendered.append(renderer.page("cooperations.html", path, title, strings["description"], searchable=False,
                                      cooperations=chunk, pagination=pagination, ongoing=ongoing))
    for cooperation in [*site.cooperations, *site.ongoing]:
        rendered.append(renderer.page("cooperation.html", urls.detail(COOPERATION, cooperation.id),
                                      cooperation.title, cooperation.summary or cooperation.title,
                                      cooperation=cooperation))
    return rendered


def render_organizations(site: PublicSite, renderer: Renderer, urls: UrlScheme) -> list[RenderedPage]:
    strings = renderer.strings["organizations"]
    groups = [(strings[f"group_{kind}"], [org for org in site.organizations if org.kind == kind])
              for kind in ORGANIZATION_GROUPS]
    rendered = [renderer.page("organizations.html", urls.organizations(), strings["title"], strings["description"],
                              searchable=False, groups=[group for group in groups if group[1]])]
    for organization in site.organizations:
        description = f"{organization.name}: {strings['kind_' + organization.kind]}"
        rendered.append(renderer.page("organization.html", urls.detail(ORGANIZATION, organization.id),
                                      organization.name, description, organization=organization))
    return rendered


def render_offers(site: PublicSite, renderer: Renderer, urls: UrlScheme) -> list[RenderedPage]:
    strings = renderer.strings["offers"]
    rendered = [renderer.page("offers.html", urls.offers(), strings["title"], strings["description"],
                              searchable=False, offers=site.offers,
                              invitation=offer_invitation(site, renderer.strings))]
    for offer in site.offers:
        subject = strings["cta_subject"].format(title=offer.title)
        mailto = f"mailto:{site.config.network.contact.email}?subject={quote(subject, safe='')}"
        rendered.append(renderer.page("offer.html", urls.detail(OFFER, offer.id), offer.title, offer.summary,
                                      offer=offer, mailto=mailto))
    return rendered


def render_submit(site: PublicSite, renderer: Renderer, urls: UrlScheme) -> RenderedPage:
    """How a non-profit submits a proposal: what fits, the next round as of the build date, the template."""
    strings = renderer.strings["submit"]
    return renderer.page("submit.html", urls.submit(), strings["title"], strings["description"],
                         **submit_page(site, renderer.strings, urls))


def render_events(site: PublicSite, renderer: Renderer, urls: UrlScheme) -> list[RenderedPage]:
    strings = renderer.strings["events"]
    rendered = [renderer.page("events.html", urls.events(), strings["title"], strings["description"],
                              searchable=False, events=site.events)]
    rendered += [renderer.page("event.html", urls.detail(EVENT, event.id), event.title, event.summary or event.title,
                               event=event) for event in site.events]
    return rendered


def render_data(site: PublicSite, renderer: Renderer, urls: UrlScheme) -> RenderedPage:
    """The open-data page: each file with its fields (from the records' descriptions), licence and feeds."""
    strings = renderer.strings["data"]
    datasets = [{
        "name": dataset.name, "title": strings[f"dataset_{dataset.name}"],
        "json": urls.data_file(f"{dataset.name}.json"), "csv": urls.data_file(f"{dataset.name}.csv"),
        "schema": urls.data_file(schema_name(dataset)),
        "fields": [(name, info.description or "") for name, info in dataset.record.model_fields.items()],
    } for dataset in DATASETS]
    feeds = [(strings[f"feed_{kind}"], urls.feed(kind)) for kind in FEED_KINDS]
    return renderer.page("data.html", urls.data(), strings["title"], strings["description"], searchable=False,
                         datasets=datasets, feeds=feeds, network_id=network_id(site.config))


# --- the files MkDocs reads --------------------------------------------------------------------------------------

# Characters that YAML reads as line breaks or refuses in a stream; JSON leaves them raw, so escape them.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def page_source(page: RenderedPage) -> str:
    """The Markdown file MkDocs reads: front matter, then our HTML as one raw block.

    MkDocs' templates print `page.title` and `page.meta.description` without escaping, so both are escaped here.
    """
    meta: dict[str, Any] = {
        "title": html.escape(page.title, quote=True),
        "description": html.escape(page.description, quote=True),
    }
    if not page.searchable:
        meta["search"] = {"exclude": True}
    if page.meta is not None:  # plain text and serialised JSON-LD; the theme's partial escapes the texts
        meta[FRONT_MATTER_KEY] = page.meta
    # A showcase, not a handbook: navigation lives in the header tabs; no sidebars, no table of contents.
    meta["hide"] = ["navigation", "toc"]
    # JSON is YAML: one flow mapping, safely quoted, and far cheaper to write than yaml.safe_dump.
    front = _YAML_UNSAFE.sub(lambda c: f"\\u{ord(c.group()):04x}", json.dumps(meta, ensure_ascii=False, sort_keys=True))
    return f"---\n{front}\n---\n\n{main_content(page)}"


def main_content(page: RenderedPage, attributes: str = "", start: str = "") -> str:
    """A page's own HTML in its main element, the target of the skip link; the search index reads the same
    (`search.index_document` adds its `attributes` and `start`)."""
    return f'<div class="sc" id="sc-main" tabindex="-1"{attributes}>{start}\n{page.html}\n</div>\n'
