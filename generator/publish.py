"""Stage 4 — publish: the public view of validated content, ready for the templates.

This module is the privacy boundary. Only proposals with a public status, organisations with public activity and
contacts marked `public: true` cross it; everything downstream (templates, MkDocs, search index, sitemap) sees only
these views. Sorting, paging, sums and formatting happen here, so templates only lay out.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from . import model as m
from .validate import Content

HOME_STORIES = 3
HOME_OPEN_PROPOSALS = 6


@dataclass
class Figures:
    open: int
    completed: int
    companies: int
    hours: float
    value_eur: float


@dataclass
class Image:
    src: str
    """Path relative to content/images/."""
    alt: str


@dataclass
class Org:
    id: str
    name: str
    kind: str
    website: str | None
    district: str | None
    description: str | None
    logo: Image | None
    proposals: list[Proposal] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)


@dataclass
class Need:
    kind: str
    kind_label: str
    description: str
    hours: float | None
    value_eur: float | None


@dataclass
class Proposal:
    id: str
    title: str
    summary: str
    status: str
    organization: Org
    themes: list[tuple[str, str]]
    district: tuple[str, str] | None
    needs: list[Need]
    beneficiaries: m.Beneficiaries | None
    contact: m.Contact | None
    image: Image | None
    submitted: dt.date
    reviewed: dt.date | None
    matched: dt.date | None
    body: str
    story: Story | None = None


@dataclass
class Partner:
    organization: Org
    kind: str
    kind_label: str
    contribution: str
    hours: float | None
    value_eur: float | None
    valued_eur: float
    """The stated euro value, or the hours at the network's hourly rate."""


@dataclass
class Story:
    id: str
    title: str
    summary: str | None
    organization: Org
    proposal: Proposal | None
    partners: list[Partner]
    started: dt.date
    completed: dt.date
    themes: list[tuple[str, str]]
    district: tuple[str, str] | None
    people_reached: int | None
    quote: m.Quote | None
    images: list[Image]
    body: str
    hours: float = 0
    value_eur: float = 0


@dataclass
class Row:
    """One line of an impact table, with its share of the largest value for the bar chart."""

    label: str
    cooperations: int
    hours: float
    value_eur: float
    share: float = 0.0


@dataclass
class Impact:
    per_year: list[Row]
    per_theme: list[Row]
    per_need: list[Row]


@dataclass
class Listing:
    """A filtered list of open proposals with its own page (all, one theme, one need kind, one district)."""

    kind: str
    key: str
    label: str
    proposals: list[Proposal]


@dataclass
class EditorPage:
    id: str
    title: str
    description: str | None
    nav: bool
    body: str


@dataclass
class Site:
    config: m.SiteConfig
    figures: Figures
    proposals: list[Proposal]
    """Every public proposal (open, matched, completed), newest first."""
    open_proposals: list[Proposal]
    listings: list[Listing]
    stories: list[Story]
    organizations: list[Org]
    impact: Impact
    pages: list[EditorPage]
    images: list[str]
    """Every image path (relative to content/images/) that a public page shows — and no other."""


# --- entry point -------------------------------------------------------------------------------------------------


def publish(content: Content) -> Site:
    config = content.config
    orgs = {key: _org(entry.data, key, config) for key, entry in content.organizations.items()}
    proposals = {
        key: _proposal(entry, orgs, config)
        for key, entry in content.proposals.items()
        if entry.data.status in m.PUBLIC_STATUSES
    }
    stories = [_story(entry, orgs, proposals, config) for entry in content.cooperations.values()]
    stories.sort(key=lambda s: (s.completed, s.id), reverse=True)
    public = sorted(proposals.values(), key=_newest_first)
    _attach(public, stories)
    engaged = [org for org in orgs.values() if org.proposals or org.stories]
    engaged.sort(key=lambda org: org.name.casefold())
    open_ones = [p for p in public if p.status == "open"]
    return Site(
        config=config,
        figures=_figures(open_ones, stories),
        proposals=public,
        open_proposals=open_ones,
        listings=_listings(open_ones, config),
        stories=stories,
        organizations=engaged,
        impact=_impact(stories, config),
        pages=[_page(entry) for entry in content.pages.values()],
        images=_images(engaged, public, stories),
    )


def _newest_first(proposal: Proposal) -> tuple:
    return (-(proposal.reviewed or proposal.submitted).toordinal(), proposal.id)


# --- views -----------------------------------------------------------------------------------------------------


def _org(data: m.Organization, key: str, config: m.SiteConfig) -> Org:
    logo = Image(data.logo, data.name) if data.logo else None
    district = config.districts.get(data.district) if data.district else None
    return Org(key, data.name, data.kind, data.website, district, data.description, logo)


def _labelled(keys: list[str], labels: dict[str, str]) -> list[tuple[str, str]]:
    return [(key, labels[key]) for key in keys]


def _district(key: str | None, config: m.SiteConfig) -> tuple[str, str] | None:
    return (key, config.districts[key]) if key else None


def _proposal(entry, orgs: dict[str, Org], config: m.SiteConfig) -> Proposal:
    data: m.Proposal = entry.data
    contact = data.contact if data.contact and data.contact.public else None
    image = Image(data.image, data.image_alt or "") if data.image else None
    needs = [Need(n.kind, config.need_kinds[n.kind], n.description, n.hours, n.value_eur) for n in data.needs]
    return Proposal(
        id=entry.id, title=data.title, summary=data.summary, status=data.status,
        organization=orgs[data.organization], themes=_labelled(data.themes, config.themes),
        district=_district(data.district, config), needs=needs, beneficiaries=data.beneficiaries,
        contact=contact, image=image, submitted=data.submitted, reviewed=data.reviewed, matched=data.matched,
        body=entry.document.body,
    )


def _story(entry, orgs: dict[str, Org], proposals: dict[str, Proposal], config: m.SiteConfig) -> Story:
    data: m.Cooperation = entry.data
    rate = config.value.hourly_rate_eur
    partners = [
        Partner(orgs[p.organization], p.kind, config.need_kinds[p.kind], p.contribution, p.hours, p.value_eur,
                valued_eur=_valued(p.hours, p.value_eur, rate))
        for p in data.partners
    ]
    images = [
        Image(image.src, image.alt) if isinstance(image, m.ImageRef) else Image(image, "")
        for image in data.images
    ]
    return Story(
        id=entry.id, title=data.title, summary=data.summary, organization=orgs[data.organization],
        # A proposal that is not public is never linked, even from its own story.
        proposal=proposals.get(data.proposal) if data.proposal else None,
        partners=partners, started=data.started, completed=data.completed,
        themes=_labelled(data.themes, config.themes), district=_district(data.district, config),
        people_reached=data.people_reached, quote=data.quote, images=images, body=entry.document.body,
        hours=sum(p.hours or 0 for p in partners), value_eur=sum(p.valued_eur for p in partners),
    )


def _valued(hours: float | None, value_eur: float | None, rate: float) -> float:
    if value_eur is not None:
        return value_eur
    return (hours or 0) * rate


def _attach(proposals: list[Proposal], stories: list[Story]) -> None:
    """Link each side to the other: organisations list their activity, proposals their story."""
    for proposal in proposals:
        proposal.organization.proposals.append(proposal)
    for story in stories:
        if story.proposal is not None:
            story.proposal.story = story
        involved = {story.organization.id: story.organization}
        involved |= {partner.organization.id: partner.organization for partner in story.partners}
        for org in involved.values():
            org.stories.append(story)


def _page(entry) -> EditorPage:
    return EditorPage(entry.id, entry.data.title, entry.data.description, entry.data.nav, entry.document.body)


def _images(orgs: list[Org], proposals: list[Proposal], stories: list[Story]) -> list[str]:
    paths = {org.logo.src for org in orgs if org.logo}
    paths |= {p.image.src for p in proposals if p.image}
    paths |= {image.src for story in stories for image in story.images}
    return sorted(paths)


# --- figures, listings and impact ------------------------------------------------------------------------------


def _figures(open_ones: list[Proposal], stories: list[Story]) -> Figures:
    companies = {
        partner.organization.id for story in stories for partner in story.partners
        if partner.organization.kind == "company"
    }
    return Figures(
        open=len(open_ones), completed=len(stories), companies=len(companies),
        hours=sum(story.hours for story in stories), value_eur=sum(story.value_eur for story in stories),
    )


def _listings(open_ones: list[Proposal], config: m.SiteConfig) -> list[Listing]:
    """One listing per theme, need kind and district, in the order site_config.yml defines them."""
    by: dict[tuple[str, str], list[Proposal]] = defaultdict(list)
    for proposal in open_ones:
        for key, _ in proposal.themes:
            by["theme", key].append(proposal)
        for key in dict.fromkeys(need.kind for need in proposal.needs):
            by["need", key].append(proposal)
        if proposal.district:
            by["district", proposal.district[0]].append(proposal)
    listings = [Listing("all", "", "", open_ones)]
    for kind, labels in (("theme", config.themes), ("need", config.need_kinds), ("district", config.districts)):
        listings += [Listing(kind, key, label, by[kind, key]) for key, label in labels.items() if by[kind, key]]
    return listings


def _impact(stories: list[Story], config: m.SiteConfig) -> Impact:
    years: dict[int, Row] = {}
    themes: dict[str, Row] = {}
    needs: dict[str, Row] = {}
    for story in stories:
        _add(years, story.completed.year, str(story.completed.year), story.hours, story.value_eur)
        for key, label in story.themes:
            _add(themes, key, label, story.hours, story.value_eur)
        for key in dict.fromkeys(partner.kind for partner in story.partners):
            # A story counts once per need kind, however many of its partners gave that kind of help.
            given = [partner for partner in story.partners if partner.kind == key]
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
