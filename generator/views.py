"""The public views: what templates, the search index and every other output may see of the content.

Views are distinct from the models: they hold only public data, labels instead of keys, and each knows its own
`url` (from the URL scheme). Publish builds them; render lays them out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from . import model as m
from .periods import Period
from .quantities import Quantity, Total

HOME_EVENTS = 3
"""Upcoming events the home page lists."""


@dataclass
class Figures:
    """The headline figures, counted once here for the site (and every other output)."""

    open: int
    completed: int
    """Success stories: completed and recurring cooperations."""
    ongoing: int
    """Agreed and running cooperations."""
    companies: int
    """Named companies among all partners (other kinds of contributors are counted under `contributors`)."""
    contributors: dict[str, int]
    """Named contributors by organisation kind (`public`, `association`, …), companies included."""
    hours: Total
    value_eur: Total
    people: Total
    money_eur: Total | None
    """Money given, for networks that broker money (`network.monetary`); never part of `value_eur`."""
    matches_reported: Quantity | None
    """Matches that networks reported as totals for events or years."""
    since: int | None = None
    """The period the figures cover: the first year of any cooperation or reported total counted here (for all
    time: "seit 2017"); None when nothing is dated."""
    year: int | None = None
    """None for the figures of all time; else the one year these figures are restricted to."""
    running: bool = False
    """The year is the build date's: not over yet ("2026 bisher")."""
    this_year: Figures | None = None
    """The same figures for the build date's year so far, by the same counting rule (`publish.count_figures`)."""


@dataclass(frozen=True)
class ImageSource:
    """One resized copy of a published image (`images.py` writes it at build time, without metadata)."""

    url: str
    """Relative to the site root (`urls.image_variant`)."""
    width: int
    height: int
    format: str
    """`avif`, `webp`, or the fallback for browsers without either: `jpeg`, or `png` for an image with
    transparency."""

    @property
    def type(self) -> str:
        return f"image/{self.format}"


@dataclass
class PublicImage:
    src: str
    """Path relative to content/images/."""
    alt: str
    url: str
    """The whole image, re-encoded without metadata (relative to the site root)."""
    caption: str | None = None
    credit: str | None = None
    """Who took the photo, as written (`Foto: Anna Beispiel` or just `Anna Beispiel`)."""
    width: int | None = None
    """Width and height of the largest copy (upright), so the page reserves the space before it loads; None
    when the file could not be measured (the build then reports it as unreadable)."""
    height: int | None = None
    sources: list[ImageSource] = field(default_factory=list)
    """The resized copies, every width in AVIF (unless the build's Pillow cannot write it), WebP and the fallback
    format, narrowest first; empty for an animation (shown as the whole image)."""

    @property
    def avif(self) -> list[ImageSource]:
        return [source for source in self.sources if source.format == "avif"]

    @property
    def webp(self) -> list[ImageSource]:
        return [source for source in self.sources if source.format == "webp"]

    @property
    def fallback(self) -> list[ImageSource]:
        return [source for source in self.sources if source.format not in ("avif", "webp")]

    @property
    def fallback_src(self) -> ImageSource:
        """The copy an `<img src>` names: the widest one up to 960 pixels."""
        fallback = self.fallback
        return next((source for source in reversed(fallback) if source.width <= 960), fallback[0])


@dataclass
class Facet:
    """A theme, need kind or district of an entry; `url` is its listing page (every facet in use has one)."""

    key: str
    label: str
    url: str | None = None


@dataclass
class PublicSource:
    title: str
    url: str | None
    date: Period | None


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
    language: str | None = None
    proposals: list[PublicProposal] = field(default_factory=list)
    cooperations: list[PublicCooperation] = field(default_factory=list)
    offers: list[PublicOffer] = field(default_factory=list)
    events: list[PublicEvent] = field(default_factory=list)
    """Events it organised."""


@dataclass
class Need:
    kind: str
    kind_label: str
    description: str
    hours: Quantity | None
    value_eur: Quantity | None


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
    people: Quantity | None
    contact: m.Contact | None
    image: PublicImage | None
    submitted: Period | None
    reviewed: Period | None
    matched: Period | None
    body: str
    language: str | None = None
    event: PublicEvent | None = None
    cooperation: PublicCooperation | None = None
    helpers: m.Helpers | None = None
    duration: float | str | None = None
    """Hours, or `half_day` / `full_day`."""
    window: m.Window | None = None
    deadline: Period | None = None
    expired: bool = False
    """Open, but its deadline has passed by the build date: shown as expired, no longer among the open ones."""
    kinds: list[Facet] = field(default_factory=list)
    """Each kind of help once, linking to its listing: the tags on a card."""

    @property
    def call_to_action(self) -> bool:
        """Only an open challenge asks companies to act; an archived or expired one is shown as a record."""
        return self.status == "open" and not self.expired

    @property
    def shown_status(self) -> str:
        """The status visitors see: an expired open challenge says so."""
        return "expired" if self.expired else self.status


@dataclass
class Partner:
    organization: PublicOrganization | None
    """None for a contributor that stays unnamed."""
    name: str
    contributor_kind: str | None
    kind: str
    kind_label: str
    contribution: str
    delivered: bool
    monetary: bool
    hours: Quantity | None
    value_eur: Quantity | None
    valued_eur: Quantity | None
    """The stated euro value, or the hours at the network's hourly rate; None when neither is known."""
    estimated: bool = False
    """True when `valued_eur` comes from hours × the hourly rate."""


@dataclass
class PublicCooperation:
    """A cooperation: a success story when completed or recurring, else an agreed or running one."""

    id: str
    url: str
    title: str
    status: str
    summary: str | None
    recipients: list[PublicOrganization]
    proposal: PublicProposal | None
    partners: list[Partner]
    started: Period | None
    completed: Period | None
    themes: list[Facet]
    district: Facet | None
    people_reached: Quantity | None
    reach_note: str | None
    quote: m.Quote | None
    images: list[PublicImage]
    sources: list[PublicSource]
    origin: str | None
    body: str
    language: str | None = None
    event: PublicEvent | None = None
    offer: PublicOffer | None = None
    hours: Quantity | None = None
    """Delivered hours (pledged ones and money do not count); None when no partner states any."""
    value_eur: Quantity | None = None
    money_eur: Quantity | None = None

    @property
    def delivered(self) -> bool:
        return self.status in m.DELIVERED_STATUSES

    @property
    def organization(self) -> PublicOrganization:
        """The first recipient (the one a card names)."""
        return self.recipients[0]

    @property
    def date(self) -> Period | None:
        """The date a list shows and sorts by: the end if known, else the start."""
        return self.completed or self.started

    @property
    def contributors(self) -> list[str]:
        """Each contributor's name once, in the order given (a partner who gave twice is named once)."""
        return list(dict.fromkeys(partner.name for partner in self.partners))


@dataclass
class PublicOffer:
    id: str
    url: str
    title: str
    organization: PublicOrganization | None
    name: str
    kind_label: str
    summary: str
    amount: str | None
    status: str
    offered: Period | None
    until: Period | None
    themes: list[Facet]
    district: Facet | None
    body: str
    language: str | None = None
    kind: Facet | None = None
    """The kind of help as a chip, linking to the open challenges that need it (as a proposal card's tags do)."""


@dataclass
class Results:
    matches: Quantity | None
    hours: Quantity | None
    value_eur: Quantity | None
    people_reached: Quantity | None
    organizations: Quantity | None
    note: str | None
    scope: str = "network"


@dataclass
class PublicEvent:
    id: str
    url: str
    title: str
    kind: str
    date: Period | None
    end: Period | None
    summary: str | None
    place: str | None
    district: Facet | None
    organizers: list[PublicOrganization]
    results: Results | None
    sources: list[PublicSource]
    body: str
    language: str | None = None
    cooperations: list[PublicCooperation] = field(default_factory=list)
    proposals: list[PublicProposal] = field(default_factory=list)
    includes: list[str] = field(default_factory=list)
    """Ids of events whose totals this one already contains."""
    included_in: list[PublicEvent] = field(default_factory=list)
    time: str | None = None
    """Start as `HH:MM`, the network's local time; None for an all-day event or an unknown time."""
    end_time: str | None = None
    deadline: Period | None = None
    """Last day to send proposals (a matching-group round) or to register."""
    day_label: str | None = None
    """The date with its weekday as Babel writes it in the site's language ("Freitag, 6. März 2026"); None
    unless the date is a day."""
    calendar_url: str | None = None
    """Its calendar file (.ics), relative to the site root; None unless the date is a day (a yearly report has
    none)."""

    @property
    def on_a_day(self) -> bool:
        """Dated to the day: only such an event goes into a calendar or the upcoming events."""
        return self.date is not None and self.date.precision == "day"

    @property
    def last_day(self) -> dt.date | None:
        """The last day the event lasts (its end, else its date)."""
        when = self.end or self.date
        return when.end if when else None

    def reports(self, figure: str) -> bool:
        """This event reports a total of `figure` for the network itself (not a wider, e.g. national, total)."""
        return (self.results is not None and self.results.scope == "network"
                and getattr(self.results, figure) is not None)

    def covering(self) -> list[PublicEvent]:
        """This event and every report that contains its totals, outward."""
        found: list[PublicEvent] = []
        todo = [self]
        while todo:
            event = todo.pop()
            if event not in found:
                found.append(event)
                todo += event.included_in
        return found


@dataclass
class PublicPage:
    id: str
    url: str
    title: str
    description: str | None
    nav: bool
    body: str
    language: str | None = None
    repo_url: str | None = None
    """The repository's address, on the imprint only, and only when the repository is public."""


@dataclass
class Row:
    """One line of an impact table, with its share of the largest value for the bar chart."""

    label: str
    cooperations: int = 0
    hours: Total = field(default_factory=Total)
    value_eur: Total = field(default_factory=Total)
    share: float = 0.0
    running: bool = False
    """A row of the build date's year: the year is not over yet."""


@dataclass
class Impact:
    per_year: list[Row]
    per_theme: list[Row]
    per_need: list[Row]
    per_district: list[Row] = field(default_factory=list)


@dataclass
class Listing:
    """A filtered list of open proposals with its own pages (all, one theme, one need kind, one district).

    Every theme, need kind and district that a public proposal or a cooperation uses has one, even without open
    challenges: then its page shows the facet's success stories instead."""

    facet: str | None
    """None for the list of all open challenges; else `theme`, `need` or `district`."""
    key: str
    label: str
    proposals: list[PublicProposal]
    url: str
    stories: list[PublicCooperation] = field(default_factory=list)
    """The newest success stories with this facet (at most `publish.FACET_STORIES`), newest first."""
    stories_total: int = 0
    """How many success stories have this facet in all."""

    @property
    def kind(self) -> str:
        return self.facet or "all"

    @property
    def more_stories(self) -> bool:
        """Some of the facet's stories are not shown here (the stories page lists them all)."""
        return self.stories_total > len(self.stories)


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
    """Success stories (completed and recurring cooperations), newest first."""
    organizations: list[PublicOrganization]
    impact: Impact
    ongoing: list[PublicCooperation]
    """Agreed and running cooperations, newest first: shown, but not as success stories."""
    offers: list[PublicOffer]
    events: list[PublicEvent]
    """Public events and reported totals, newest first."""
    pages: list[PublicPage]
    images: list[str]
    """Every image path (relative to content/images/) that a public page shows — and no other (the network's
    logo and favicon included)."""
    redirects: list[Redirect]
    links: dict[str, str]
    """URLs of the sections, for navigation and calls to action."""
    matched_proposals: list[PublicProposal] = field(default_factory=list)
    """Challenges a company has taken up, work in progress: shown below the open ones, newest first."""
    today: dt.date = dt.date.min
    """The day the site is built as of (`moment.build_date`): deadlines before it have passed."""
    logo_wall: list[PublicOrganization] = field(default_factory=list)
    """Engaged companies with a logo, by name: "Diese Unternehmen sind dabei" (home and organisations page)."""
    image_sources: dict[str, list[ImageSource]] = field(default_factory=dict)
    """The resized copies to write, by image path (relative to content/images/)."""
    logo_size: tuple[int, int] | None = None
    """Width and height in pixels of the network's logo (`site.logo`): the header's `<img>` states them, so the
    header keeps its place while the logo loads. None without a logo, or when it cannot be read (the build says so)."""

    @property
    def calendar_events(self) -> list[PublicEvent]:
        """Events with a calendar file (dated to the day), soonest first: the calendar of all events."""
        dated = [event for event in self.events if event.calendar_url]
        dated.sort(key=lambda event: (event.date.start, event.time or "", event.id))
        return dated

    @property
    def upcoming_events(self) -> list[PublicEvent]:
        """The next events dated to the day and not over by `today`, soonest first (the home page's dates)."""
        return [event for event in self.calendar_events if event.last_day >= self.today][:HOME_EVENTS]
