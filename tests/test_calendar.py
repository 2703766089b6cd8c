"""Calendar files (.ics) of the events: one per event dated to the day, one with all of them, linked from the pages.

Every expected value comes from the sample's content files, `site_config.yml` and the catalogue, never from the
output: the built site is read back with `icalendar` and compared with what the editors wrote.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import icalendar
import pytest
import yaml

from generator.build import source_date_epoch
from generator.catalogue import Catalogue
from generator.event_calendar import DEFAULT_LENGTH, TIMEZONE, calendar_files
from generator.publish import publish

from .conftest import REPO, checked_project

EVENTS = REPO / "content" / "events"
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
ICS_LINK = re.compile(r'href="([^"]+\.ics)"')


def _front_matter(path: Path) -> dict:
    match = FRONT_MATTER.match(path.read_text(encoding="utf-8"))
    assert match, f"{path}: no front matter"
    return yaml.safe_load(match.group(1))


def _day(value) -> dt.date | None:
    """The date an editor wrote, if it is a day (`2024` or `"2017-10"` is not)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) == 10:
        return dt.date.fromisoformat(value)
    return None


def _clock(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


@pytest.fixture(scope="module")
def config() -> dict:
    return yaml.safe_load((REPO / "site_config.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def texts(config) -> dict:
    language = config["site"]["language"]
    return yaml.safe_load((REPO / "generator" / "theme" / "i18n" / f"{language}.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def events() -> dict[str, dict]:
    return {path.stem: _front_matter(path) for path in sorted(EVENTS.glob("*.md"))}


@pytest.fixture(scope="module")
def dated(events) -> dict[str, dict]:
    found = {key: data for key, data in events.items() if _day(data.get("date"))}
    assert found, "the sample needs events dated to the day"
    return found


def _page_path(site: Path, url_path: str) -> Path:
    """The file a site-relative URL path resolves to in the built site."""
    target = site / url_path.lstrip("/")
    return target / "index.html" if url_path.endswith("/") else target


def _event_page(site: Path, texts: dict, key: str) -> tuple[str, Path]:
    """(URL path, file) of an event's page."""
    url_path = f"/{texts['sections']['events']}/{key}/"
    page = _page_path(site, url_path)
    assert page.is_file(), f"no page for event {key} at {url_path}"
    return url_path, page


def _linked_calendars(site: Path, url_path: str, page: Path) -> list[Path]:
    """The .ics files a page links, each resolved like a browser does (relative to the page's URL)."""
    links = ICS_LINK.findall(page.read_text(encoding="utf-8"))
    return [_page_path(site, urlsplit(urljoin(f"https://x{url_path}", link)).path) for link in links]


def _read(path: Path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(path.read_bytes())


def _by_uid(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(entry["UID"]): entry for entry in calendar.walk("VEVENT")}


def _event_calendar(sample_site: Path, texts: dict, key: str) -> icalendar.Calendar:
    url_path, page = _event_page(sample_site, texts, key)
    linked = _linked_calendars(sample_site, url_path, page)
    assert len(linked) == 1, f"the page of {key} should link exactly one calendar file, found {linked}"
    assert linked[0].is_file(), f"the calendar link of {key} points to {linked[0]}, which is not in the site"
    return _read(linked[0])


def _host(config: dict) -> str:
    return urlsplit(config["site"]["url"]).hostname


def _page_url(config: dict, texts: dict, key: str) -> str:
    return f"{config['site']['url'].rstrip('/')}/{texts['sections']['events']}/{key}/"


def _build_moment() -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or source_date_epoch(REPO)
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC)


def _all_events_calendar(sample_site: Path, texts: dict) -> icalendar.Calendar:
    url_path = f"/{texts['sections']['events']}/"
    linked = _linked_calendars(sample_site, url_path, _page_path(sample_site, url_path))
    assert len(linked) == 1, f"the events page should link the calendar of all events once, found {linked}"
    assert linked[0].is_file(), linked[0]
    return _read(linked[0])


# --- one file per event dated to the day --------------------------------------------------------------------------


def test_every_event_with_a_day_has_its_calendar_with_what_the_editors_wrote(sample_site, config, texts, dated):
    for key, data in dated.items():
        calendar = _event_calendar(sample_site, texts, key)
        entry = _by_uid(calendar).get(f"{key}@{_host(config)}")
        assert entry is not None, f"{key}: no VEVENT with its UID"
        assert str(entry["SUMMARY"]) == data["title"]
        assert str(entry.get("LOCATION")) == data["place"] if data.get("place") else "LOCATION" not in entry
        page_url = _page_url(config, texts, key)
        assert str(entry["URL"]) == page_url
        assert page_url in str(entry["DESCRIPTION"])
        if data.get("summary"):
            assert data["summary"] in str(entry["DESCRIPTION"])
        start = entry["DTSTART"]
        day = _day(data["date"])
        if data.get("time"):
            assert start.params.get("TZID") == TIMEZONE, f"{key}: a time needs the network's time zone"
            assert start.dt.replace(tzinfo=None) == dt.datetime.combine(day, _clock(data["time"]))
            assert str(start.dt.tzinfo) == TIMEZONE
            end_day = _day(data.get("end")) or day
            end_time = _clock(data["end_time"]) if data.get("end_time") else None
            expected_end = (dt.datetime.combine(end_day, end_time) if end_time
                            else dt.datetime.combine(end_day, _clock(data["time"])) + DEFAULT_LENGTH)
            assert entry["DTEND"].dt.replace(tzinfo=None) == expected_end
        else:
            assert start.dt == day and not isinstance(start.dt, dt.datetime), f"{key}: all-day as a DATE"
            assert entry["DTEND"].dt == (_day(data.get("end")) or day) + dt.timedelta(days=1)


def test_the_sample_has_a_timed_event_and_a_round_with_a_deadline(dated):
    """Without these the tests above would prove less than they claim."""
    assert any(data.get("time") for data in dated.values())
    assert any(data["kind"] == "round" and _day(data.get("deadline")) for data in dated.values())


def test_a_round_s_deadline_is_an_all_day_entry_of_its_own(sample_site, config, texts, dated):
    rounds = {key: data for key, data in dated.items() if data["kind"] == "round" and _day(data.get("deadline"))}
    for key, data in rounds.items():
        entries = _event_calendar(sample_site, texts, key).walk("VEVENT")
        title = texts["events"]["deadline_title"].format(title=data["title"])
        reminder = [entry for entry in entries if str(entry["SUMMARY"]) == title]
        assert len(reminder) == 1, f"{key}: no entry “{title}”"
        start = reminder[0]["DTSTART"].dt
        assert start == _day(data["deadline"]) and not isinstance(start, dt.datetime)
        assert str(reminder[0]["URL"]) == _page_url(config, texts, key)
        assert str(reminder[0]["UID"]) != f"{key}@{_host(config)}"


def test_the_calendar_of_all_events_holds_every_entry_once(sample_site, texts, dated):
    everything = _by_uid(_all_events_calendar(sample_site, texts))
    expected: dict[str, icalendar.Event] = {}
    for key in dated:
        expected |= _by_uid(_event_calendar(sample_site, texts, key))
    assert set(everything) == set(expected)
    assert len(_all_events_calendar(sample_site, texts).walk("VEVENT")) == len(expected)
    for uid, entry in expected.items():
        assert everything[uid].to_ical() == entry.to_ical()


def test_calendars_are_dated_by_the_build_moment_and_name_the_network(sample_site, config, texts, dated):
    moment = _build_moment()
    network = config["network"]["name"]
    calendars = [_all_events_calendar(sample_site, texts)]
    calendars += [_event_calendar(sample_site, texts, key) for key in dated]
    for calendar in calendars:
        assert network in str(calendar["PRODID"])
        assert str(calendar["X-WR-CALNAME"]) == texts["events"]["calendar_name"].format(network=network)
        for entry in calendar.walk("VEVENT"):
            assert entry["DTSTAMP"].dt == moment


def test_an_event_without_a_day_gets_no_calendar(sample_site, texts, events, dated):
    undated = [key for key in events if key not in dated]
    assert undated, "the sample needs an event without a day (a yearly report)"
    everything = _by_uid(_all_events_calendar(sample_site, texts))
    for key in undated:
        url_path, page = _event_page(sample_site, texts, key)
        assert _linked_calendars(sample_site, url_path, page) == []
        assert not (sample_site / texts["sections"]["events"] / f"{key}.ics").exists()
        assert not any(uid.startswith(f"{key}@") or uid.startswith(f"{key}.") for uid in everything)


def test_the_home_page_lists_the_events_still_ahead(sample_site, texts, dated):
    home = (sample_site / "index.html").read_text(encoding="utf-8")
    today = _build_moment().date()
    ahead = {key for key, data in dated.items() if (_day(data.get("end")) or _day(data["date"])) >= today}
    assert ahead, "the sample needs an upcoming event"
    section = home.split(f'id="upcoming">{texts["events"]["upcoming"]}<', 1)[1].split("</section>", 1)[0]
    for key in dated:
        linked = f'{texts["sections"]["events"]}/{key}/' in section
        assert linked == (key in ahead), f"{key}: {'missing from' if key in ahead else 'wrongly in'} the home page"


# --- the files themselves -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_view():
    checked = checked_project(REPO)
    assert checked.content is not None and checked.theme is not None, checked.diagnostics
    return publish(checked.content, checked.theme.urls), checked.theme.catalogue


def test_the_same_content_gives_the_same_bytes(sample_view):
    site, catalogue = sample_view
    moment = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
    first = calendar_files(site, catalogue, moment, site.config.site.url)
    assert first and first == calendar_files(site, catalogue, moment, site.config.site.url)
    assert set(first) == {event.calendar_url for event in site.calendar_events} | {site.links["calendar"]}


def test_a_start_without_an_end_lasts_two_hours_and_no_time_is_a_whole_day(sample_view):
    site, catalogue = sample_view
    timed = next(event for event in site.calendar_events if event.time)
    moment = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
    for changed, check in (
        (dataclasses.replace(timed, end_time=None), lambda start, end: end - start == DEFAULT_LENGTH),
        (dataclasses.replace(timed, time=None, end_time=None),
         lambda start, end: not isinstance(start, dt.datetime) and end - start == dt.timedelta(days=1)),
    ):
        alone = dataclasses.replace(site, events=[changed])
        data = calendar_files(alone, catalogue, moment, site.config.site.url)[changed.calendar_url]
        entry = _by_uid(icalendar.Calendar.from_ical(data))[f"{changed.id}@{urlsplit(site.config.site.url).hostname}"]
        assert check(entry["DTSTART"].dt, entry["DTEND"].dt)


def test_a_catalogue_in_another_language_names_the_calendar_in_it(sample_view):
    site, _ = sample_view
    english = Catalogue("en")
    data = calendar_files(site, english, dt.datetime(2026, 3, 1, tzinfo=dt.UTC), site.config.site.url)
    calendar = icalendar.Calendar.from_ical(data[site.links["calendar"]])
    network = site.config.network.name
    assert str(calendar["X-WR-CALNAME"]) == english.text("events.calendar_name", network=network)


def test_an_event_may_not_take_the_address_of_the_calendar_of_all_events(project):
    root = project("minimal")
    slug = yaml.safe_load((REPO / "generator" / "theme" / "i18n" / "de.yml").read_text(encoding="utf-8"))[
        "sections"]["events"]
    event = root / "content" / "events" / f"{slug}.md"
    event.parent.mkdir(parents=True, exist_ok=True)
    event.write_text('---\ntitle: "Treffen"\nkind: meeting\ndate: 2026-05-04\n---\n', encoding="utf-8")
    diagnostics = checked_project(root).diagnostics
    taken = [d for d in diagnostics if d.code == "url-taken"]
    assert [d.path for d in taken] == [f"content/events/{slug}.md"], diagnostics


def test_the_privacy_gate_reads_calendar_files_unfolded(tmp_path):
    """iCalendar folds lines at 75 octets and escapes commas: a secret must not hide across either."""
    from generator.gate import _decoded

    ics = tmp_path / "termin.ics"
    ics.write_bytes(b"BEGIN:VCALENDAR\r\nDESCRIPTION:Treffen mit der Geheim\r\n tafel\\, intern\\nZeile\r\n"
                    b"END:VCALENDAR\r\n")
    text = _decoded(ics)
    assert "Geheimtafel, intern\nZeile" in text
