"""What a page tells link previews and machines: Open Graph and Twitter tags and schema.org JSON-LD, as data.

Built from the public views only (after the privacy boundary in `publish`), like every other output: titles,
summaries, published images, dates, places and the network's public contact; never a contact person, never an
internal field. `render.Renderer.page` attaches the result to each `RenderedPage`; `render.page_source` writes it
into the page's front matter, and the theme's partial `partials/showcase-meta.html` prints it (escaping the texts
there; the JSON-LD arrives serialised here, safe inside a `<script>` element).

Every URL here is absolute (the site's `site.url` plus the page's or image's path), as link previews need.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any
from urllib.parse import quote, urljoin
from zoneinfo import ZoneInfo

from .event_calendar import TIMEZONE
from .periods import Period
from .views import PublicCooperation, PublicEvent, PublicImage, PublicOrganization, PublicProposal, PublicSite

LOCALES = {"de": "de_DE", "en": "en_GB", "nl": "nl_NL"}
"""Open Graph locales (`language_TERRITORY`) of the site languages."""
FRONT_MATTER_KEY = "sharing"
"""The page's front-matter key the partial reads (`page.meta.sharing`)."""


def absolute(site: PublicSite, path: str) -> str:
    """A path relative to the site root (`<stories>/x/`, `<images>/a.jpg`) as an absolute URL."""
    base = site.config.site.url
    return urljoin(base if base.endswith("/") else base + "/", quote(path, safe="/%"))


def json_ld(data: dict[str, Any]) -> str:
    """JSON-LD for a `<script type="application/ld+json">` element: serialised by json, never by hand, with `<`,
    `>`, `&` and quotes inside texts as JSON escapes, so no text can end the script element (`</script>`), open
    a comment or look like an attribute to a careless scanner."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    # Inside a JSON string a quote only ever appears escaped (`\\"`): write it as `\\u0022` there.
    text = _JSON_STRING.sub(lambda string: string.group().replace('\\"', "\\u0022"), text)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


_JSON_STRING = re.compile(r'(?<=")(?:[^"\\]|\\.)*(?=")')


def page_metadata(site: PublicSite, url: str, title: str, description: str, template: str,
                  context: dict[str, Any]) -> dict[str, Any]:
    """The metadata of one page: `url` is its path from the site root, `template` and `context` what
    `Renderer.page` rendered it from (the view it shows: `cooperation`, `proposal`, `event`, `organization`)."""
    language = site.config.site.language
    kind, image, structured = "website", None, None
    cooperation: PublicCooperation | None = context.get("cooperation")
    proposal: PublicProposal | None = context.get("proposal")
    event: PublicEvent | None = context.get("event")
    organization: PublicOrganization | None = context.get("organization")
    item = cooperation or proposal or event or organization
    if item is not None and getattr(item, "language", None):
        language = item.language
    if template == "home.html":  # titled with the network's name, as its <title> is
        title, structured = site.config.network.name, _network(site)
    elif template == "cooperation.html" and cooperation is not None:
        image = cooperation.images[0] if cooperation.images else None
        if cooperation.delivered:  # a success story; agreed and running cooperations are not (yet) one
            kind = "article"
            structured = _article(site, cooperation, url)
    elif template == "proposal.html" and proposal is not None:
        image = proposal.image
    elif template == "event.html" and event is not None:
        structured = _event(site, event, url)
    elif template == "organization.html" and organization is not None:
        structured = _organization(site, organization, url)
    tags = [
        {"property": "og:type", "content": kind},
        {"property": "og:site_name", "content": site.config.network.name},
        {"property": "og:title", "content": title},
        {"property": "og:description", "content": description},
        {"property": "og:url", "content": absolute(site, url)},
        {"property": "og:locale", "content": LOCALES.get(language, language.replace("-", "_"))},
    ]
    if image is not None:
        tags.append({"property": "og:image", "content": absolute(site, image.url)})
        if image.alt:
            tags.append({"property": "og:image:alt", "content": image.alt})
    tags.append({"name": "twitter:card", "content": "summary_large_image" if image is not None else "summary"})
    return {"tags": tags, "json_ld": json_ld(structured) if structured is not None else None}


# --- schema.org -------------------------------------------------------------------------------------------------


def _network(site: PublicSite) -> dict[str, Any]:
    """The network itself, with its public contact (the coordination office, never a person)."""
    network = site.config.network
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "Organization", "name": network.name,
        "url": absolute(site, ""), "description": network.tagline, "email": network.contact.email,
        "areaServed": network.city,
    }
    if network.contact.address:
        data["address"] = network.contact.address
    return data


def _publisher(site: PublicSite) -> dict[str, Any]:
    return {"@type": "Organization", "name": site.config.network.name, "url": absolute(site, "")}


def _image_urls(site: PublicSite, images: list[PublicImage]) -> list[str]:
    return [absolute(site, image.url) for image in images]


def _article(site: PublicSite, story: PublicCooperation, url: str) -> dict[str, Any]:
    """A success story as an article by the network."""
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "Article", "headline": story.title,
        "url": absolute(site, url), "mainEntityOfPage": absolute(site, url),
        "author": _publisher(site), "publisher": _publisher(site),
    }
    if story.summary:
        data["description"] = story.summary
    if story.images:
        data["image"] = _image_urls(site, story.images)
    if story.date is not None:
        data["datePublished"] = str(story.date)
    return data


def _start(event: PublicEvent) -> str | None:
    """The event's start in ISO 8601: the date as written, with the local time and offset when one is given."""
    if event.date is None:
        return None
    if event.on_a_day and event.time:
        hour, minute = (int(part) for part in event.time.split(":")[:2])
        moment = dt.datetime.combine(event.date.start, dt.time(hour, minute), tzinfo=ZoneInfo(TIMEZONE))
        return moment.isoformat()
    return str(event.date)


def _event(site: PublicSite, event: PublicEvent, url: str) -> dict[str, Any] | None:
    """An event people can attend; a yearly report (`kind: report`) is none."""
    if event.kind == "report":
        return None
    city = site.config.network.city
    place: dict[str, Any] = {"@type": "Place", "name": event.place or (event.district.label if event.district
                                                                       else city),
                             "address": {"@type": "PostalAddress", "addressLocality": city}}
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "Event", "name": event.title, "url": absolute(site, url),
        "location": place,
    }
    start = _start(event)
    if start is not None:
        data["startDate"] = start
    if isinstance(event.end, Period):
        data["endDate"] = str(event.end)
    if event.summary:
        data["description"] = event.summary
    organizers = [{"@type": "Organization", "name": o.name, "url": absolute(site, o.url)}
                  for o in event.organizers if o.kind != "individual"]
    data["organizer"] = organizers or _publisher(site)
    return data


def _organization(site: PublicSite, organization: PublicOrganization, url: str) -> dict[str, Any] | None:
    """An organisation's page; a private person (`kind: individual`) gets no structured data."""
    if organization.kind == "individual":
        return None
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "Organization", "name": organization.name,
        "url": absolute(site, url),
    }
    if organization.description:
        data["description"] = organization.description
    if organization.logo is not None:
        data["logo"] = absolute(site, organization.logo.url)
    if organization.website:
        data["sameAs"] = [organization.website]
    return data
