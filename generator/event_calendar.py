"""Calendar files (iCalendar, RFC 5545, written with `icalendar`) of the events, so a visitor can put a date into
their own calendar.

One file per event dated to the day, beside its page, and one file with all of them in the events' folder; the
paths come from the URL scheme through the views (`PublicEvent.calendar_url`, `PublicSite.links["calendar"]`), so
the pages link exactly the files written. A yearly report or an event known only by its month has no day to put
into a calendar and gets no file. The entries come from the public views only, every visible text from the
catalogue. `DTSTAMP` is the build moment (SOURCE_DATE_EPOCH), so two builds of the same content give the same
bytes. Times are the network's local time (`TIMEZONE`); an event without a time is an all-day event.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar

from .catalogue import Catalogue
from .views import PublicEvent, PublicSite

TIMEZONE = "Europe/Berlin"
DEFAULT_LENGTH = dt.timedelta(hours=2)
"""How long an event with a start time but no `end_time` is entered."""

VTIMEZONE = f"""BEGIN:VTIMEZONE
TZID:{TIMEZONE}
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
"""
"""Central European time by its rule (the same since 1996), instead of a list of dates from the local tz database:
short, and the same bytes whatever tzdata is installed."""


def calendar_files(site: PublicSite, texts: Catalogue, built: dt.datetime, base_url: str) -> dict[str, bytes]:
    """Every calendar file by its path in the site: one per event with a day, and the calendar of all of them
    (none at all when no event has a day). `base_url` is the site's address, ending in `/`."""
    events = site.calendar_events
    if not events:
        return {}
    host = urlsplit(base_url).hostname or "localhost"
    stamp = built.astimezone(dt.UTC)
    files = {event.calendar_url: _calendar(site, texts, [event], stamp, base_url, host)
             for event in events if event.calendar_url}
    files[site.links["calendar"]] = _calendar(site, texts, events, stamp, base_url, host)
    return files


def _calendar(site: PublicSite, texts: Catalogue, events: list[PublicEvent], stamp: dt.datetime, base_url: str,
              host: str) -> bytes:
    network = site.config.network.name
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{network}//cooperation-showcase//{texts.language.upper()}")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", texts.text("events.calendar_name", network=network))
    calendar.add("x-wr-timezone", TIMEZONE)
    if any(event.time for event in events):
        calendar.add_component(icalendar.Timezone.from_ical(VTIMEZONE))
    for event in events:
        for component in _entries(event, texts, stamp, base_url, host):
            calendar.add_component(component)
    return calendar.to_ical()


def _entries(event: PublicEvent, texts: Catalogue, stamp: dt.datetime, base_url: str,
             host: str) -> list[icalendar.Event]:
    """The event itself and, for a matching-group round, its deadline for proposals as an all-day entry."""
    page = base_url + event.url
    entry = icalendar.Event()
    entry.add("uid", f"{event.id}@{host}")
    entry.add("dtstamp", stamp)
    start, end = _span(event)
    entry.add("dtstart", start)
    entry.add("dtend", end)
    entry.add("summary", event.title)
    if event.place:
        entry.add("location", event.place)
    entry.add("description", "\n\n".join(text for text in (event.summary, page) if text))
    entry.add("url", page)
    entries = [entry]
    deadline = event.deadline
    if event.kind == "round" and deadline is not None and deadline.precision == "day":
        shown = texts.text("events.deadline_description", title=event.title, date=texts.period(event.date))
        reminder = icalendar.Event()
        reminder.add("uid", f"{event.id}.deadline@{host}")  # a dot: no event id has one
        reminder.add("dtstamp", stamp)
        reminder.add("dtstart", deadline.start)
        reminder.add("dtend", deadline.start + dt.timedelta(days=1))
        reminder.add("summary", texts.text("events.deadline_title", title=event.title))
        reminder.add("description", f"{shown}\n\n{page}")
        reminder.add("url", page)
        reminder.add("transp", "TRANSPARENT")  # a reminder, not a busy day
        entries.append(reminder)
    return entries


def _span(event: PublicEvent) -> tuple[dt.date | dt.datetime, dt.date | dt.datetime]:
    """Start and (exclusive) end: local times when a start time is given, else whole days through the last one."""
    assert event.date is not None
    first = event.date.start
    last = max(event.last_day or first, first)
    if event.time is None:
        return first, last + dt.timedelta(days=1)
    zone = ZoneInfo(TIMEZONE)
    start = dt.datetime.combine(first, _clock(event.time), tzinfo=zone)
    if event.end_time is None:
        return start, dt.datetime.combine(last, _clock(event.time), tzinfo=zone) + DEFAULT_LENGTH
    end = dt.datetime.combine(last, _clock(event.end_time), tzinfo=zone)
    return start, end if end > start else end + dt.timedelta(days=1)  # past midnight


def _clock(text: str) -> dt.time:
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))
