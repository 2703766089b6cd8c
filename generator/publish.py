"""Stage 4 — publish: the public view of validated content, ready for the templates.

This module is the privacy boundary. Only proposals with a public status, organisations with public activity and
contacts marked `public: true` cross it; everything downstream (templates, MkDocs, search index, sitemap) sees only
these views. Sorting, paging, sums and every URL (from the URL scheme) are settled here, so templates only lay out.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from . import model as m
from .content import Content, Entry
from .kinds import COOPERATION, ORGANIZATION, PAGE, PROPOSAL
from .urls import FACETS, UrlScheme
from .views import (
    Facet,
    Figures,
    Impact,
    Listing,
    Need,
    Partner,
    PublicCooperation,
    PublicImage,
    PublicOrganization,
    PublicPage,
    PublicProposal,
    PublicSite,
    Redirect,
    Row,
)

HOME_STORIES = 3
HOME_OPEN_PROPOSALS = 6


def publish(content: Content, urls: UrlScheme) -> PublicSite:
    config = content.config
    organizations = {key: _organization(entry, urls, config) for key, entry in content.organizations.items()}
    proposals = {
        key: _proposal(entry, organizations, urls, config)
        for key, entry in content.proposals.items()
        if entry.data.status in m.PUBLIC_STATUSES
    }
    cooperations = [_cooperation(entry, organizations, proposals, urls, config)
                    for entry in content.cooperations.values()]
    cooperations.sort(key=lambda c: (c.completed, c.id), reverse=True)
    public = sorted(proposals.values(), key=_newest_first)
    _attach(public, cooperations)
    engaged = [org for org in organizations.values() if org.proposals or org.cooperations]
    engaged.sort(key=lambda org: org.name.casefold())
    open_ones = [p for p in public if p.status == "open"]
    listings = _listings(open_ones, urls, config)
    _link_facets(public, cooperations, listings)
    pages = [_page(entry, urls) for entry in content.pages.values()]
    return PublicSite(
        config=config, figures=_figures(open_ones, cooperations), proposals=public, open_proposals=open_ones,
        listings=listings, cooperations=cooperations, organizations=engaged, impact=_impact(cooperations, config),
        pages=pages, images=_images(engaged, public, cooperations),
        redirects=_redirects(content, urls, {org.id for org in engaged}, set(proposals)),
        links={"home": urls.url(urls.home()), "proposals": urls.url(urls.listing()),
               "cooperations": urls.url(urls.cooperations()), "organizations": urls.url(urls.organizations()),
               "impact": urls.url(urls.impact())},
    )


def _newest_first(proposal: PublicProposal) -> tuple:
    return (-(proposal.reviewed or proposal.submitted).toordinal(), proposal.id)


# --- views -----------------------------------------------------------------------------------------------------


def _image(src: str, alt: str, urls: UrlScheme) -> PublicImage:
    return PublicImage(src, alt, urls.image(src))


def _organization(entry: Entry[m.Organization], urls: UrlScheme, config: m.SiteConfig) -> PublicOrganization:
    data = entry.data
    logo = _image(data.logo, data.name, urls) if data.logo else None
    district = config.districts.get(data.district) if data.district else None
    return PublicOrganization(entry.id, urls.detail_url(ORGANIZATION, entry.id), data.name, data.kind, data.website,
                              district, data.description, logo)


def _facets(keys: list[str], labels: dict[str, str]) -> list[Facet]:
    return [Facet(key, labels[key]) for key in keys]


def _district(key: str | None, config: m.SiteConfig) -> Facet | None:
    return Facet(key, config.districts[key]) if key else None


def _proposal(entry: Entry[m.Proposal], organizations: dict[str, PublicOrganization], urls: UrlScheme,
              config: m.SiteConfig) -> PublicProposal:
    data = entry.data
    contact = data.contact if data.contact and data.contact.public else None
    image = _image(data.image, data.image_alt or "", urls) if data.image else None
    needs = [Need(n.kind, config.need_kinds[n.kind], n.description, n.hours, n.value_eur) for n in data.needs]
    return PublicProposal(
        id=entry.id, url=urls.detail_url(PROPOSAL, entry.id), title=data.title, summary=data.summary,
        status=data.status, organization=organizations[data.organization],
        themes=_facets(data.themes, config.themes), district=_district(data.district, config), needs=needs,
        beneficiaries=data.beneficiaries, contact=contact, image=image, submitted=data.submitted,
        reviewed=data.reviewed, matched=data.matched, body=entry.body,
    )


def _cooperation(entry: Entry[m.Cooperation], organizations: dict[str, PublicOrganization],
                 proposals: dict[str, PublicProposal], urls: UrlScheme, config: m.SiteConfig) -> PublicCooperation:
    data = entry.data
    rate = config.value.hourly_rate_eur
    partners = [
        Partner(organizations[p.organization], p.kind, config.need_kinds[p.kind], p.contribution, p.hours,
                p.value_eur, valued_eur=_valued(p.hours, p.value_eur, rate))
        for p in data.partners
    ]
    images = [
        _image(image.src, image.alt, urls) if isinstance(image, m.ImageRef) else _image(image, "", urls)
        for image in data.images
    ]
    return PublicCooperation(
        id=entry.id, url=urls.detail_url(COOPERATION, entry.id), title=data.title, summary=data.summary,
        organization=organizations[data.organization],
        # A proposal that is not public is never linked, even from its own story.
        proposal=proposals.get(data.proposal) if data.proposal else None,
        partners=partners, started=data.started, completed=data.completed,
        themes=_facets(data.themes, config.themes), district=_district(data.district, config),
        people_reached=data.people_reached, quote=data.quote, images=images, body=entry.body,
        hours=sum(p.hours or 0 for p in partners), value_eur=sum(p.valued_eur for p in partners),
    )


def _valued(hours: float | None, value_eur: float | None, rate: float) -> float:
    if value_eur is not None:
        return value_eur
    return (hours or 0) * rate


def _attach(proposals: list[PublicProposal], cooperations: list[PublicCooperation]) -> None:
    """Link each side to the other: organisations list their activity, proposals their story."""
    for proposal in proposals:
        proposal.organization.proposals.append(proposal)
    for cooperation in cooperations:
        if cooperation.proposal is not None:
            cooperation.proposal.cooperation = cooperation
        involved = {cooperation.organization.id: cooperation.organization}
        involved |= {partner.organization.id: partner.organization for partner in cooperation.partners}
        for organization in involved.values():
            organization.cooperations.append(cooperation)


def _page(entry: Entry[m.Page], urls: UrlScheme) -> PublicPage:
    data = entry.data
    return PublicPage(entry.id, urls.detail_url(PAGE, entry.id), data.title, data.description, data.nav, entry.body)


def _images(organizations: list[PublicOrganization], proposals: list[PublicProposal],
            cooperations: list[PublicCooperation]) -> list[str]:
    paths = {org.logo.src for org in organizations if org.logo}
    paths |= {p.image.src for p in proposals if p.image}
    paths |= {image.src for cooperation in cooperations for image in cooperation.images}
    return sorted(paths)


def _redirects(content: Content, urls: UrlScheme, engaged: set[str], public_proposals: set[str]) -> list[Redirect]:
    """Former ids of every published entry; an unpublished entry's old address stays unknown."""
    published = {
        ORGANIZATION.name: engaged, PROPOSAL.name: public_proposals,
        COOPERATION.name: set(content.cooperations), PAGE.name: set(content.pages),
    }
    return [
        Redirect(urls.redirect(entry.kind, alias), urls.detail_url(entry.kind, entry.id))
        for entry in content.entries() if entry.id in published[entry.kind.name]
        for alias in entry.data.aliases
    ]


# --- figures, listings and impact ------------------------------------------------------------------------------


def _figures(open_ones: list[PublicProposal], cooperations: list[PublicCooperation]) -> Figures:
    companies = {
        partner.organization.id for cooperation in cooperations for partner in cooperation.partners
        if partner.organization.kind == "company"
    }
    return Figures(
        open=len(open_ones), completed=len(cooperations), companies=len(companies),
        hours=sum(c.hours for c in cooperations), value_eur=sum(c.value_eur for c in cooperations),
    )


def _facet_labels(config: m.SiteConfig) -> dict[str, dict[str, str]]:
    return {"theme": config.themes, "need": config.need_kinds, "district": config.districts}


def _listings(open_ones: list[PublicProposal], urls: UrlScheme, config: m.SiteConfig) -> list[Listing]:
    """All open challenges, then one listing per theme, need kind and district that has any, in the order
    site_config.yml defines them."""
    by: dict[tuple[str, str], list[PublicProposal]] = defaultdict(list)
    for proposal in open_ones:
        for theme in proposal.themes:
            by["theme", theme.key].append(proposal)
        for key in dict.fromkeys(need.kind for need in proposal.needs):
            by["need", key].append(proposal)
        if proposal.district:
            by["district", proposal.district.key].append(proposal)
    listings = [Listing(None, "", "", open_ones, urls.url(urls.listing()))]
    labels = _facet_labels(config)
    for facet in FACETS:
        listings += [Listing(facet, key, label, by[facet, key], urls.url(urls.listing(facet, key)))
                     for key, label in labels[facet].items() if by[facet, key]]
    return listings


def _link_facets(proposals: list[PublicProposal], cooperations: list[PublicCooperation],
                 listings: list[Listing]) -> None:
    """Themes and districts link to their listing only where one exists (it has open challenges)."""
    existing = {(listing.facet, listing.key): listing.url for listing in listings}
    for item in [*proposals, *cooperations]:
        for theme in item.themes:
            theme.url = existing.get(("theme", theme.key))
        if item.district:
            item.district.url = existing.get(("district", item.district.key))


def _impact(cooperations: list[PublicCooperation], config: m.SiteConfig) -> Impact:
    years: dict[int, Row] = {}
    themes: dict[str, Row] = {}
    needs: dict[str, Row] = {}
    for cooperation in cooperations:
        _add(years, cooperation.completed.year, str(cooperation.completed.year), cooperation.hours,
             cooperation.value_eur)
        for theme in cooperation.themes:
            _add(themes, theme.key, theme.label, cooperation.hours, cooperation.value_eur)
        for key in dict.fromkeys(partner.kind for partner in cooperation.partners):
            # A story counts once per need kind, however many of its partners gave that kind of help.
            given = [partner for partner in cooperation.partners if partner.kind == key]
            _add(needs, key, given[0].kind_label, sum(p.hours or 0 for p in given), sum(p.valued_eur for p in given))
    per_year = [years[key] for key in sorted(years)]
    per_theme = [themes[key] for key in config.themes if key in themes]
    per_need = [needs[key] for key in config.need_kinds if key in needs]
    for rows in (per_year, per_theme, per_need):
        _shares(rows)
    return Impact(per_year, per_theme, per_need)


def _add(rows: dict, key: Any, label: str, hours: float, value: float) -> None:
    row = rows.setdefault(key, Row(label, 0, 0.0, 0.0))
    row.cooperations += 1
    row.hours += hours
    row.value_eur += value


def _shares(rows: list[Row]) -> None:
    largest = max((row.value_eur for row in rows), default=0)
    for row in rows:
        row.share = row.value_eur / largest if largest else 0.0
