"""The public views: what templates, the search index and every other output may see of the content.

Views are distinct from the models: they hold only public data, labels instead of keys, and each knows its own
`url` (from the URL scheme). Publish builds them; render lays them out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from . import model as m


@dataclass
class Figures:
    open: int
    completed: int
    companies: int
    hours: float
    value_eur: float


@dataclass
class PublicImage:
    src: str
    """Path relative to content/images/."""
    alt: str
    url: str


@dataclass
class Facet:
    """A theme, need kind or district of an entry; `url` is its list of open challenges, if there is one."""

    key: str
    label: str
    url: str | None = None


@dataclass
class PublicOrganization:
    id: str
    url: str
    name: str
    kind: str
    website: str | None
    district: str | None
    description: str | None
    logo: PublicImage | None
    proposals: list[PublicProposal] = field(default_factory=list)
    cooperations: list[PublicCooperation] = field(default_factory=list)


@dataclass
class Need:
    kind: str
    kind_label: str
    description: str
    hours: float | None
    value_eur: float | None


@dataclass
class PublicProposal:
    id: str
    url: str
    title: str
    summary: str
    status: str
    organization: PublicOrganization
    themes: list[Facet]
    district: Facet | None
    needs: list[Need]
    beneficiaries: m.Beneficiaries | None
    contact: m.Contact | None
    image: PublicImage | None
    submitted: dt.date
    reviewed: dt.date | None
    matched: dt.date | None
    body: str
    cooperation: PublicCooperation | None = None


@dataclass
class Partner:
    organization: PublicOrganization
    kind: str
    kind_label: str
    contribution: str
    hours: float | None
    value_eur: float | None
    valued_eur: float
    """The stated euro value, or the hours at the network's hourly rate."""


@dataclass
class PublicCooperation:
    """A completed cooperation, shown as a success story."""

    id: str
    url: str
    title: str
    summary: str | None
    organization: PublicOrganization
    proposal: PublicProposal | None
    partners: list[Partner]
    started: dt.date
    completed: dt.date
    themes: list[Facet]
    district: Facet | None
    people_reached: int | None
    quote: m.Quote | None
    images: list[PublicImage]
    body: str
    hours: float = 0
    value_eur: float = 0


@dataclass
class PublicPage:
    id: str
    url: str
    title: str
    description: str | None
    nav: bool
    body: str


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
    """A filtered list of open proposals with its own pages (all, one theme, one need kind, one district)."""

    facet: str | None
    """None for the list of all open challenges; else `theme`, `need` or `district`."""
    key: str
    label: str
    proposals: list[PublicProposal]
    url: str

    @property
    def kind(self) -> str:
        return self.facet or "all"


@dataclass
class Redirect:
    """A former address of an entry (`aliases`), sending visitors on to its current page."""

    source: str
    """File written into the site, e.g. `<proposals>/alter-name/index.html`."""
    target: str
    """URL of the current page, relative to the site root."""


@dataclass
class PublicSite:
    config: m.SiteConfig
    figures: Figures
    proposals: list[PublicProposal]
    """Every public proposal (open, matched, completed), newest first."""
    open_proposals: list[PublicProposal]
    listings: list[Listing]
    cooperations: list[PublicCooperation]
    """Completed cooperations, newest first."""
    organizations: list[PublicOrganization]
    impact: Impact
    pages: list[PublicPage]
    images: list[str]
    """Every image path (relative to content/images/) that a public page shows — and no other."""
    redirects: list[Redirect]
    links: dict[str, str]
    """URLs of the sections, for navigation and calls to action."""
