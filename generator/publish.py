"""Stage 4 — publish: the public view of validated content, ready for the templates.

This module is the privacy boundary. Only proposals and offers with a public status, organisations with public
activity and contacts marked `public: true` cross it; everything downstream (templates, MkDocs, search index,
sitemap) sees only these views. Sorting, paging, sums and every URL (from the URL scheme) are settled here, so
templates only lay out. Every figure is counted here, once, with one rule (`count_impact`): unknown values stay
unknown, pledged help and money never count as delivered value, and a cooperation whose event reported a total
for a figure is covered by that total instead of being added twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from babel.dates import format_date

from . import images
from . import model as m
from .catalogue import sort_key
from .content import Content, Entry
from .files import image_file
from .kinds import COOPERATION, EVENT, OFFER, ORGANIZATION, PAGE, PROPOSAL
from .moment import build_date
from .quantities import Quantity, Total, add
from .urls import FACETS, UrlScheme
from .views import (
    Facet,
    Figures,
    ImageSource,
    Impact,
    Listing,
    Need,
    Partner,
    PublicCooperation,
    PublicEvent,
    PublicImage,
    PublicOffer,
    PublicOrganization,
    PublicPage,
    PublicProposal,
    PublicSite,
    PublicSource,
    Redirect,
    Results,
    Row,
)

HOME_STORIES = 3
HOME_OPEN_PROPOSALS = 6
HOME_OFFERS = 3
FACET_STORIES = 6
"""Success stories a theme, need kind or district page without open challenges shows (the newest)."""
FIGURES = ("hours", "value_eur", "people_reached")
"""The figures a cooperation and an event's reported results share."""


def publish(content: Content, urls: UrlScheme, today: dt.date | None = None) -> PublicSite:
    """The public view of the content as of `today` (the build date; default: `moment.build_date()`)."""
    today = today or build_date()
    config = content.config
    organizations = {key: _organization(entry, urls, config) for key, entry in content.organizations.items()}
    events = {key: _event(entry, organizations, urls, config) for key, entry in content.events.items()}
    for event in events.values():
        for key in event.includes:
            if key in events:
                events[key].included_in.append(event)
    proposals = {
        key: _proposal(entry, organizations, events, urls, config, today)
        for key, entry in content.proposals.items()
        if entry.data.status in m.PUBLIC_STATUSES
    }
    offers = {
        key: _offer(entry, organizations, urls, config)
        for key, entry in content.offers.items()
        if entry.data.status in m.PUBLIC_OFFER_STATUSES
    }
    cooperations = [_cooperation(entry, organizations, proposals, offers, events, urls, config)
                    for entry in content.cooperations.values()]
    cooperations.sort(key=_newest_cooperation_first)
    public = sorted(proposals.values(), key=_newest_first)
    _attach(public, cooperations, list(offers.values()))
    stories = [c for c in cooperations if c.delivered]
    ongoing = [c for c in cooperations if not c.delivered]
    for event in events.values():
        for organizer in event.organizers:
            organizer.events.append(event)
    engaged = [org for org in organizations.values()
               if org.proposals or org.cooperations or org.offers or org.events]
    engaged.sort(key=lambda org: sort_key(org.name, config.site.language))
    open_ones = [p for p in public if p.status == "open" and not p.expired]
    listings = _listings(open_ones, public, cooperations, urls, config)
    _link_facets(public, cooperations, list(offers.values()), listings)
    event_list = sorted(events.values(), key=_newest_event_first)
    pages = [_page(entry, urls, config) for entry in content.pages.values()]
    return PublicSite(
        config=config, figures=count_figures(open_ones, cooperations, event_list, config, today),
        proposals=public, open_proposals=open_ones, listings=listings, cooperations=stories,
        organizations=engaged, impact=count_impact(stories, event_list, config, today), ongoing=ongoing,
        offers=sorted(offers.values(), key=_offer_order), events=event_list, pages=pages,
        images=_images(engaged, public, cooperations, config),
        image_sources=_size_images(content, urls, engaged, public, cooperations),
        logo_size=_logo_size(content, config.site.logo),
        logo_wall=_logo_wall(engaged),
        redirects=_redirects(content, urls, {org.id for org in engaged}, set(proposals), set(offers)),
        links={"home": urls.url(urls.home()), "proposals": urls.url(urls.listing()),
               "cooperations": urls.url(urls.cooperations()), "organizations": urls.url(urls.organizations()),
               "impact": urls.url(urls.impact()), "offers": urls.url(urls.offers()),
               "events": urls.url(urls.events()), "calendar": urls.calendar(), "data": urls.url(urls.data()),
               "submit": urls.url(urls.submit())},
        matched_proposals=[p for p in public if p.status == "matched"],
        today=today,
    )


def _newest_first(proposal: PublicProposal) -> tuple:
    """Newest first by the start of the latest known date; proposals without any date last."""
    when = proposal.reviewed or proposal.submitted
    return (-when.start.toordinal() if when else 0, proposal.id)


def _newest_cooperation_first(cooperation: PublicCooperation) -> tuple:
    """Newest first by the start of its period (`2017-10` before `2017`); undated ones last."""
    when = cooperation.date
    return (-when.start.toordinal() if when else 0, cooperation.id)


def _newest_event_first(event: PublicEvent) -> tuple:
    return (-event.date.start.toordinal() if event.date else 0, event.id)


def _offer_order(offer: PublicOffer) -> tuple:
    """Open offers first, those that end soonest first; then taken ones."""
    return (offer.status != "open", offer.until.end.toordinal() if offer.until else 10**7, offer.id)


# --- views -----------------------------------------------------------------------------------------------------


def _image(src: str, alt: str, urls: UrlScheme, caption: str | None = None, credit: str | None = None
           ) -> PublicImage:
    """An image as pages show it; its size and resized copies are added by `_size_images` once all are known."""
    return PublicImage(src, alt, urls.image(src), caption, credit)


def _organization(entry: Entry[m.Organization], urls: UrlScheme, config: m.SiteConfig) -> PublicOrganization:
    data = entry.data
    logo = _image(data.logo, data.name, urls) if data.logo else None
    district = config.districts.get(data.district) if data.district else None
    return PublicOrganization(entry.id, urls.detail_url(ORGANIZATION, entry.id), data.name, data.kind, data.website,
                              district, data.description, logo, data.language)


def _facets(keys: list[str], labels: dict[str, str]) -> list[Facet]:
    return [Facet(key, labels[key]) for key in keys]


def _district(key: str | None, config: m.SiteConfig) -> Facet | None:
    return Facet(key, config.districts[key]) if key else None


def _sources(sources: list[m.Source]) -> list[PublicSource]:
    return [PublicSource(source.title, source.url, source.date) for source in sources]


def _proposal(entry: Entry[m.Proposal], organizations: dict[str, PublicOrganization],
              events: dict[str, PublicEvent], urls: UrlScheme, config: m.SiteConfig, today: dt.date
              ) -> PublicProposal:
    data = entry.data
    contact = data.contact if data.contact and data.contact.public else None
    image = _image(data.image, data.image_alt or "", urls, credit=data.image_credit) if data.image else None
    labels = config.need_labels
    needs = [Need(n.kind, labels[n.kind], n.description, Quantity.of(n.hours), Quantity.of(n.value_eur))
             for n in data.needs]
    event = events.get(data.event) if data.event else None
    proposal = PublicProposal(
        id=entry.id, url=urls.detail_url(PROPOSAL, entry.id), title=data.title, summary=data.summary,
        status=data.status, organization=organizations[data.organization],
        themes=_facets(data.themes, config.themes), district=_district(data.district, config), needs=needs,
        beneficiaries=data.beneficiaries,
        people=Quantity.of(data.beneficiaries.count) if data.beneficiaries else None,
        contact=contact, image=image, submitted=data.submitted, reviewed=data.reviewed, matched=data.matched,
        body=entry.body, language=data.language, event=event, helpers=data.helpers, duration=data.duration,
        window=data.window, deadline=data.deadline, expired=data.expired(today),
        kinds=_facets(list(dict.fromkeys(n.kind for n in data.needs)), labels),
    )
    if event is not None:
        event.proposals.append(proposal)
    return proposal


def _contributor_name(organization: PublicOrganization | None, unnamed: str | None) -> str:
    return organization.name if organization is not None else unnamed or ""


def _offer(entry: Entry[m.Offer], organizations: dict[str, PublicOrganization], urls: UrlScheme,
           config: m.SiteConfig) -> PublicOffer:
    data = entry.data
    organization = organizations.get(data.organization) if data.organization else None
    return PublicOffer(
        id=entry.id, url=urls.detail_url(OFFER, entry.id), title=data.title, organization=organization,
        name=_contributor_name(organization, data.unnamed), kind_label=config.need_labels[data.kind],
        summary=data.summary, amount=data.amount, status=data.status, offered=data.offered, until=data.until,
        themes=_facets(data.themes, config.themes), district=_district(data.district, config), body=entry.body,
        language=data.language, kind=Facet(data.kind, config.need_labels[data.kind]),
    )


def _event(entry: Entry[m.Event], organizations: dict[str, PublicOrganization], urls: UrlScheme,
           config: m.SiteConfig) -> PublicEvent:
    data = entry.data
    results = None
    if data.results is not None:
        r = data.results
        results = Results(Quantity.of(r.matches), Quantity.of(r.hours), Quantity.of(r.value_eur),
                          Quantity.of(r.people_reached), Quantity.of(r.organizations), r.note, r.scope)
    event = PublicEvent(
        id=entry.id, url=urls.detail_url(EVENT, entry.id), title=data.title, kind=data.kind, date=data.date,
        end=data.end, summary=data.summary, place=data.place, district=_district(data.district, config),
        organizers=[organizations[key] for key in data.organizers], results=results,
        sources=_sources(data.sources), body=entry.body, language=data.language,
        includes=list(data.results.includes) if data.results else [],
        deadline=data.deadline,
    )
    if event.on_a_day:  # a time, a weekday and a calendar file only make sense for a day (never for a year)
        event.time, event.end_time = data.time, data.end_time
        event.day_label = format_date(data.date.start, format="full", locale=config.site.language)
        event.calendar_url = urls.event_calendar(entry.id)
    return event


def _partner(partner: m.Partner, cooperation: m.Cooperation, organizations: dict[str, PublicOrganization],
             config: m.SiteConfig) -> Partner:
    organization = organizations.get(partner.organization) if partner.organization else None
    hours, stated = Quantity.of(partner.hours), Quantity.of(partner.value_eur)
    estimated = stated is None and hours is not None
    valued = stated if stated is not None else hours.times(config.value.hourly_rate_eur) if hours else None
    return Partner(
        organization=organization, name=_contributor_name(organization, partner.unnamed),
        contributor_kind=organization.kind if organization else partner.unnamed_kind,
        kind=partner.kind, kind_label=config.need_labels[partner.kind], contribution=partner.contribution,
        delivered=cooperation.partner_delivered(partner), monetary=partner.kind in config.monetary_kinds,
        hours=hours, value_eur=stated, valued_eur=valued, estimated=estimated,
    )


def _cooperation(entry: Entry[m.Cooperation], organizations: dict[str, PublicOrganization],
                 proposals: dict[str, PublicProposal], offers: dict[str, PublicOffer],
                 events: dict[str, PublicEvent], urls: UrlScheme, config: m.SiteConfig) -> PublicCooperation:
    data = entry.data
    partners = [_partner(p, data, organizations, config) for p in data.partners]
    images = [
        _image(image.src, image.alt, urls, image.caption, image.credit) if isinstance(image, m.ImageRef)
        else _image(image, "", urls)
        for image in data.images
    ]
    given = [p for p in partners if p.delivered and not p.monetary]
    cooperation = PublicCooperation(
        id=entry.id, url=urls.detail_url(COOPERATION, entry.id), title=data.title, status=data.status,
        summary=data.summary, recipients=[organizations[key] for key in data.recipient_ids],
        # A proposal or offer that is not public is never linked, even from its own story.
        proposal=proposals.get(data.proposal) if data.proposal else None,
        partners=partners, started=data.started, completed=data.completed,
        themes=_facets(data.themes, config.themes), district=_district(data.district, config),
        people_reached=Quantity.of(data.people_reached), reach_note=data.reach_note, quote=data.quote,
        images=images, sources=_sources(data.sources), origin=data.derived_origin, body=entry.body,
        language=data.language, event=events.get(data.event) if data.event else None,
        offer=offers.get(data.offer) if data.offer else None,
        hours=add(p.hours for p in given), value_eur=add(p.valued_eur for p in given),
        money_eur=add(p.value_eur for p in partners if p.delivered and p.monetary),
    )
    if cooperation.event is not None:
        cooperation.event.cooperations.append(cooperation)
    return cooperation


def _attach(proposals: list[PublicProposal], cooperations: list[PublicCooperation], offers: list[PublicOffer]
            ) -> None:
    """Link each side to the other: organisations list their activity, proposals their story."""
    for proposal in proposals:
        proposal.organization.proposals.append(proposal)
    for offer in offers:
        if offer.organization is not None:
            offer.organization.offers.append(offer)
    for cooperation in cooperations:
        if cooperation.proposal is not None:
            cooperation.proposal.cooperation = cooperation
        involved = {recipient.id: recipient for recipient in cooperation.recipients}
        involved |= {p.organization.id: p.organization for p in cooperation.partners if p.organization}
        for organization in involved.values():
            organization.cooperations.append(cooperation)


def _page(entry: Entry[m.Page], urls: UrlScheme, config: m.SiteConfig) -> PublicPage:
    data = entry.data
    repo = config.site.repo_url if data.imprint and config.site.repo_public else None
    return PublicPage(entry.id, urls.detail_url(PAGE, entry.id), data.title, data.description, data.nav, entry.body,
                      data.language, repo)


def _images(organizations: list[PublicOrganization], proposals: list[PublicProposal],
            cooperations: list[PublicCooperation], config: m.SiteConfig) -> list[str]:
    paths = {image.src for image in _shown_images(organizations, proposals, cooperations)}
    paths |= {path for path in (config.site.logo, config.site.favicon) if path}  # the header's logo, the tab's icon
    return sorted(paths)


def _shown_images(organizations: list[PublicOrganization], proposals: list[PublicProposal],
                  cooperations: list[PublicCooperation]) -> list[PublicImage]:
    """Every image a public page shows: logos of engaged organisations, photos of public proposals and stories."""
    shown = [org.logo for org in organizations if org.logo]
    shown += [p.image for p in proposals if p.image]
    shown += [image for cooperation in cooperations for image in cooperation.images]
    return shown


def _size_images(content: Content, urls: UrlScheme, organizations: list[PublicOrganization],
                 proposals: list[PublicProposal], cooperations: list[PublicCooperation]
                 ) -> dict[str, list[ImageSource]]:
    """Give every shown image its size and its resized copies (`images.plan`), each file measured once; the
    copies to write, by image path. An image that cannot be read keeps no size: the build reports it."""
    planned: dict[str, tuple[int, int, list[ImageSource]] | None] = {}
    for image in _shown_images(organizations, proposals, cooperations):
        if image.src not in planned:
            measured = _measured(content, image.src)
            if measured is None:
                planned[image.src] = None
                continue
            copies = images.plan(measured)
            sources = [ImageSource(urls.image_variant(image.src, copy.width, copy.suffix), copy.width, copy.height,
                                   copy.format) for copy in copies]
            size = (copies[-1].width, copies[-1].height) if copies else (measured.width, measured.height)
            planned[image.src] = (*size, sources)
        if planned[image.src] is not None:
            image.width, image.height, image.sources = planned[image.src]
    return {src: plan[2] for src, plan in planned.items() if plan is not None and plan[2]}


def _logo_size(content: Content, path: str | None) -> tuple[int, int] | None:
    """The network logo's width and height (upright), for the header's `<img>`; None without one or when it
    cannot be read (`copy_images` reports that)."""
    measured = _measured(content, path) if path else None
    return (measured.width, measured.height) if measured else None


def _measured(content: Content, path: str) -> images.Measured | None:
    """An image's size and kind (`images.measure`); None when it cannot be read (`copy_images` reports that)."""
    try:
        return images.measure(image_file(content.root, path))
    except (images.ImageUnreadable, OSError):
        return None


def _logo_wall(engaged: list[PublicOrganization]) -> list[PublicOrganization]:
    """Engaged companies that have a logo, in the order of `engaged` (by name)."""
    return [org for org in engaged if org.kind == "company" and org.logo]


def _redirects(content: Content, urls: UrlScheme, engaged: set[str], public_proposals: set[str],
               public_offers: set[str]) -> list[Redirect]:
    """Former ids of every published entry; an unpublished entry's old address stays unknown."""
    published = {
        ORGANIZATION.name: engaged, PROPOSAL.name: public_proposals, OFFER.name: public_offers,
        EVENT.name: set(content.events), COOPERATION.name: set(content.cooperations), PAGE.name: set(content.pages),
    }
    return [
        Redirect(urls.redirect(entry.kind, alias), urls.detail_url(entry.kind, entry.id))
        for entry in content.entries() if entry.id in published[entry.kind.name]
        for alias in entry.data.aliases
    ]


# --- figures, listings and impact ------------------------------------------------------------------------------


def covered(cooperation: PublicCooperation, figure: str) -> bool:
    """The cooperation's event, or a report that contains that event, gave a total for this figure that already
    includes the cooperation."""
    event = cooperation.event
    return event is not None and any(report.reports(figure) for report in event.covering())


def _counted_report(event: PublicEvent, figure: str) -> bool:
    """An event's total is added unless a wider report of this network already contains it."""
    return event.reports(figure) and not any(outer.reports(figure) for outer in event.covering()[1:])


def count(stories: list[PublicCooperation], events: list[PublicEvent], figure: str) -> Total:
    """One figure over the success stories and the reported totals: the counting rule of every output."""
    total = Total()
    for cooperation in stories:
        if not covered(cooperation, figure):
            total.include(getattr(cooperation, figure))
    for event in events:
        if _counted_report(event, figure):
            total.include_reported(getattr(event.results, figure))
    return total


def in_year(cooperations: list[PublicCooperation], events: list[PublicEvent], year: int
            ) -> tuple[list[PublicCooperation], list[PublicEvent]]:
    """The cooperations (by their date: completed, else started) and events dated in `year`."""
    return ([c for c in cooperations if c.date is not None and c.date.year == year],
            [e for e in events if e.date is not None and e.date.year == year])


def _first_year(cooperations: list[PublicCooperation], events: list[PublicEvent]) -> int | None:
    """The first year the figures cover: of any cooperation counted, or of any total this network reported."""
    years = [c.date.year for c in cooperations if c.date is not None]
    years += [e.date.year for e in events if e.date is not None
              and any(e.reports(figure) for figure in ("matches", *FIGURES))]
    return min(years, default=None)


def count_figures(open_ones: list[PublicProposal], cooperations: list[PublicCooperation],
                  events: list[PublicEvent], config: m.SiteConfig, today: dt.date | None = None) -> Figures:
    """The headline figures of all time; with `today`, also those of its year so far (`Figures.this_year`),
    counted by the same rule over the cooperations and events dated in that year."""
    figures = _count_figures(open_ones, cooperations, events, config)
    figures.since = _first_year(cooperations, events)
    if today is not None:
        figures.this_year = _count_figures(open_ones, *in_year(cooperations, events, today.year), config)
        figures.this_year.since = figures.this_year.year = today.year
        figures.this_year.running = True
    return figures


def _count_figures(open_ones: list[PublicProposal], cooperations: list[PublicCooperation],
                   events: list[PublicEvent], config: m.SiteConfig) -> Figures:
    stories = [c for c in cooperations if c.delivered]
    kinds: dict[str, set[str]] = defaultdict(set)
    for cooperation in cooperations:
        for partner in cooperation.partners:
            if partner.organization is not None:
                kinds[partner.organization.kind].add(partner.organization.id)
    money = None
    if config.network.monetary:
        money = Total()
        for cooperation in stories:
            money.include(cooperation.money_eur)
    return Figures(
        open=len(open_ones), completed=len(stories), ongoing=len(cooperations) - len(stories),
        companies=len(kinds["company"]),
        contributors={kind: len(kinds[kind]) for kind in m.ORGANIZATION_KINDS if kinds[kind]},
        hours=count(stories, events, "hours"), value_eur=count(stories, events, "value_eur"),
        people=count(stories, events, "people_reached"), money_eur=money,
        matches_reported=count([], events, "matches").value,
    )


def _facet_labels(config: m.SiteConfig) -> dict[str, dict[str, str]]:
    return {"theme": config.themes, "need": config.need_labels, "district": config.districts}


def _facet_keys(themes: list[Facet], needs: Iterable[str], district: Facet | None) -> list[tuple[str, str]]:
    """(facet, key) of every theme, need kind and district of an item, each once."""
    keys = [("theme", theme.key) for theme in themes] + [("need", key) for key in needs]
    if district:
        keys.append(("district", district.key))
    return list(dict.fromkeys(keys))


def _listings(open_ones: list[PublicProposal], public: list[PublicProposal], cooperations: list[PublicCooperation],
              urls: UrlScheme, config: m.SiteConfig) -> list[Listing]:
    """All open challenges, then one listing per theme, need kind and district that any public proposal (of any
    public status) or any cooperation uses, in the order site_config.yml defines them. So every chip links to a
    page: one without open challenges shows the facet's newest success stories instead."""
    used: set[tuple[str, str]] = set()
    for proposal in public:
        used.update(_facet_keys(proposal.themes, (need.kind for need in proposal.needs), proposal.district))
    by: dict[tuple[str, str], list[PublicProposal]] = defaultdict(list)
    for proposal in open_ones:
        for key in _facet_keys(proposal.themes, (need.kind for need in proposal.needs), proposal.district):
            by[key].append(proposal)
    stories: dict[tuple[str, str], list[PublicCooperation]] = defaultdict(list)
    for cooperation in sorted(cooperations, key=_newest_cooperation_first):
        partners = cooperation.partners
        used.update(_facet_keys(cooperation.themes, (partner.kind for partner in partners), cooperation.district))
        if cooperation.delivered:  # a story belongs to the kinds of help it delivered (as in `count_impact`)
            given = (partner.kind for partner in partners if partner.delivered)
            for key in _facet_keys(cooperation.themes, given, cooperation.district):
                stories[key].append(cooperation)
    listings = [Listing(None, "", "", open_ones, urls.url(urls.listing()))]
    labels = _facet_labels(config)
    for facet in FACETS:
        listings += [Listing(facet, key, label, by[facet, key], urls.url(urls.listing(facet, key)),
                             stories[facet, key][:FACET_STORIES], len(stories[facet, key]))
                     for key, label in labels[facet].items() if (facet, key) in used]
    return listings


def _link_facets(proposals: list[PublicProposal], cooperations: list[PublicCooperation], offers: list[PublicOffer],
                 listings: list[Listing]) -> None:
    """Themes and districts link to their listing (`_listings` makes one for every facet in use). Offers have no
    listings of their own: their kind, themes and district link to the same listings of challenges, where a
    proposal or cooperation uses them (else they stay plain text)."""
    existing = {(listing.facet, listing.key): listing.url for listing in listings}
    for proposal in proposals:
        for kind in proposal.kinds:
            kind.url = existing.get(("need", kind.key))
    for offer in offers:
        if offer.kind is not None:
            offer.kind.url = existing.get(("need", offer.kind.key))
    for item in [*proposals, *cooperations, *offers]:
        for theme in item.themes:
            theme.url = existing.get(("theme", theme.key))
        if item.district:
            item.district.url = existing.get(("district", item.district.key))


def count_impact(stories: list[PublicCooperation], events: list[PublicEvent], config: m.SiteConfig,
                 today: dt.date | None = None) -> Impact:
    """Success stories by year, theme and kind of help (each story once per row it belongs to), with the same
    counting rule as the headline figures; reported totals join the year they were reported for. With `today`,
    the row of its year is marked as running (the year is not over)."""
    years: dict[Any, Row] = {}
    themes: dict[str, Row] = {}
    needs: dict[str, Row] = {}
    districts: dict[str, Row] = {}
    for cooperation in stories:
        year = cooperation.date.year if cooperation.date else None
        _add(years, year, cooperation)
        for theme in cooperation.themes:
            _add(themes, theme.key, cooperation, label=theme.label)
        if cooperation.district:
            _add(districts, cooperation.district.key, cooperation, label=cooperation.district.label)
        for key in dict.fromkeys(p.kind for p in cooperation.partners if p.delivered):
            # A story counts once per need kind, however many of its partners gave that kind of help.
            given = [p for p in cooperation.partners if p.kind == key and p.delivered]
            sums = {"hours": add(p.hours for p in given), "value_eur": add(p.valued_eur for p in given)}
            _add(needs, key, cooperation, sums, given[0].kind_label)
    for event in events:
        for figure in ("hours", "value_eur"):
            if _counted_report(event, figure):
                year = event.date.year if event.date else None
                row = years.setdefault(year, Row("" if year is None else str(year)))
                getattr(row, figure).include_reported(getattr(event.results, figure))
    if today is not None and today.year in years:
        years[today.year].running = True
    per_year = [years[key] for key in sorted(years, key=lambda y: (y is None, y))]
    per_theme = [themes[key] for key in config.themes if key in themes]
    per_need = [needs[key] for key in config.need_kinds if key in needs and key not in config.monetary_kinds]
    per_district = [districts[key] for key in config.districts if key in districts]
    for rows in (per_year, per_theme, per_need, per_district):
        _shares(rows)
    return Impact(per_year, per_theme, per_need, per_district)


def _add(rows: dict, key: Any, cooperation: PublicCooperation, figures: dict[str, Quantity | None] | None = None,
         label: str | None = None) -> None:
    """One story in one row: its own figures, or `figures` (its share of one kind of help)."""
    row = rows.setdefault(key, Row(label if label is not None else ("" if key is None else str(key))))
    row.cooperations += 1
    for name in ("hours", "value_eur"):
        if not covered(cooperation, name):
            getattr(row, name).include(figures[name] if figures is not None else getattr(cooperation, name))


def _shares(rows: list[Row]) -> None:
    largest = max((row.value_eur.value.high for row in rows if row.value_eur.value), default=0)
    for row in rows:
        value = row.value_eur.value
        row.share = value.high / largest if largest and value else 0.0
