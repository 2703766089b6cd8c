"""Atom feeds of new open challenges and new success stories (feedgen), so press and partner networks can follow.

Entries come from the public views only; the feed's `updated` time is the build date (SOURCE_DATE_EPOCH), so two
builds of the same content give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from feedgen.feed import FeedGenerator

from .catalogue import Catalogue
from .periods import Period
from .views import PublicSite

FEED_ITEMS = 50
FEED_KINDS = ("proposals", "cooperations")


def _when(period: Period | None, fallback: dt.datetime) -> dt.datetime:
    return dt.datetime.combine(period.start, dt.time(12), tzinfo=dt.UTC) if period else fallback


def _feed(site: PublicSite, feed_url: str, title: str, subtitle: str, built: dt.datetime,
          entries: Iterable[tuple[str, str, str, dt.datetime]]) -> bytes:
    config = site.config
    feed = FeedGenerator()
    feed.id(feed_url)
    feed.title(f"{config.network.name}: {title}")
    feed.subtitle(subtitle)
    feed.author({"name": config.network.contact.name})
    feed.link(href=config.site.url, rel="alternate")
    feed.link(href=feed_url, rel="self")
    feed.language(config.site.language)
    feed.updated(built)
    # feedgen lists entries newest-added first; add the oldest first.
    for url, entry_title, summary, when in reversed(list(entries)[:FEED_ITEMS]):
        entry = feed.add_entry()
        entry.id(url)
        entry.title(entry_title)
        entry.link(href=url)
        entry.summary(summary)
        entry.updated(when)
        entry.published(when)
    return feed.atom_str(pretty=True)


def feed_files(site: PublicSite, texts: Catalogue, built: dt.datetime, feed_url: dict[str, str]) -> dict[str, bytes]:
    """The two feeds by name (`proposals`, `cooperations`); `feed_url` gives each feed's own absolute address."""
    base = site.config.site.url
    strings = texts.strings
    proposals = [(base + p.url, p.title, p.summary, _when(p.reviewed or p.submitted, built))
                 for p in site.open_proposals]
    stories = [(base + c.url, c.title, c.summary or c.title, _when(c.date, built)) for c in site.cooperations]
    return {
        "proposals": _feed(site, feed_url["proposals"], strings["proposals"]["title"],
                           strings["proposals"]["description"], built, proposals),
        "cooperations": _feed(site, feed_url["cooperations"], strings["stories"]["title"],
                              strings["stories"]["description"], built, stories),
    }
